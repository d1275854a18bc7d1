"""How long an English translation is for a Chinese text: the Gale–Church length model
both aligners share (paragraphs on import, sentences inside a pair). Fitted on the 62
pairs of the seed corpus (benchmarks/align.py refits it): English characters per Chinese
character, and the variance per Chinese character."""

from __future__ import annotations

import math
import re

RATIO, VARIANCE = 5.29, 62.5
TAIL = 3.0  # heaviness of the cost's tail (large: Gaussian; small: forgiving)
_SPACE = re.compile(r"\s")


def zh_size(text: str) -> int:
    """What the model counts of Chinese: every character but white space."""
    return len(_SPACE.sub("", text))


def en_size(text: str) -> int:
    """What the model counts of English: every character, edges trimmed."""
    return len(text.strip())


def length_z(zh_chars: int, en_chars: int) -> float:
    """How many standard deviations the English length is from what the Chinese predicts."""
    if zh_chars == 0:
        return 0.0
    return (en_chars - RATIO * zh_chars) / math.sqrt(VARIANCE * zh_chars)


def length_cost(zh_chars: int, en_chars: int) -> float:
    """−log-likelihood-like cost of the lengths, heavy-tailed (Student-t-like): a
    translation that elaborates costs log-wise, not quadratically."""
    delta = length_z(zh_chars, en_chars)
    return TAIL * math.log1p(delta * delta / (2 * TAIL))
