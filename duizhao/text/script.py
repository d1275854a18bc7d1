"""Simplified or Traditional: which script a Chinese text is written in, for its `lang`
(`zh-Hans`, `zh-Hant`). Browsers pick glyph shapes and fonts by it, and screen readers
their voice: a Traditional report labelled `zh-Hans` is drawn in a mainland font's forms.

The characters come from CC-CEDICT (text/cedict.py): a single-character entry whose
Traditional and Simplified forms differ gives one character of each script; a character
that is one script's form and never the other's counts for that script (`後` is
Traditional only, `后` Simplified only; `台` is both and counts for neither). The two sets
are made once and kept in the tool cache. A text is Traditional when more of its distinct
characters are Traditional-only than Simplified-only: one pass, set operations in C.
`simplified` writes a Traditional text in Simplified characters, one for one, for the
aligner's dictionary and the topic terms."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import toolcache
from . import cedict

HANS, HANT = "zh-Hans", "zh-Hant"
_SINGLE = re.compile(r"^(\S) (\S) \[", re.M)  # a one-character entry: Traditional, Simplified


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str], dict[int, int]]:
    """(Traditional-only, Simplified-only characters, Traditional-only → its one
    Simplified form); empty without the dictionary."""
    name = f"scripts-{toolcache.key(toolcache.source_of(__file__), cedict.stamp())}.marshal"
    stored = toolcache.load(name)
    if isinstance(stored, tuple) and len(stored) == 4 and all(isinstance(s, str) for s in stored):
        trad, simp, keys, values = stored
        return frozenset(trad), frozenset(simp), dict(zip(map(ord, keys), map(ord, values)))
    traditional, simplified, forms = set(), set(), {}
    for trad, simp in _SINGLE.findall(cedict.read()):
        traditional.add(trad)
        simplified.add(simp)
        if trad != simp:
            forms.setdefault(trad, set()).add(simp)
    changed_s = {simp for found in forms.values() for simp in found}
    only_t = sorted(set(forms) - simplified)
    mapping = sorted((t, next(iter(forms[t]))) for t in only_t if len(forms[t]) == 1)
    stored = ("".join(only_t), "".join(sorted(changed_s - traditional)),
              "".join(t for t, _ in mapping), "".join(s for _, s in mapping))
    if only_t:
        toolcache.save(name, stored)
    return frozenset(stored[0]), frozenset(stored[1]), {ord(t): ord(s) for t, s in mapping}


def chinese_lang(chars: set[str] | frozenset[str]) -> str:
    """`zh-Hant` when more of these distinct characters are Traditional-only than
    Simplified-only, else `zh-Hans` (also for a text with neither: most of what the
    tool reads is from the mainland)."""
    traditional, simplified, _ = _tables()
    return HANT if len(traditional.intersection(chars)) > len(simplified.intersection(chars)) else HANS


def simplified(text: str) -> str:
    """`text` with each Traditional-only character that has one Simplified form written
    in it, one character for one (offsets stay valid): what the dictionary and the
    topic terms, both Simplified, are looked up in. Simplified text comes back as it is."""
    return text.translate(_tables()[2])
