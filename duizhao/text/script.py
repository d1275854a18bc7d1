"""Simplified or Traditional: which script a Chinese text is written in, for its `lang`
(`zh-Hans`, `zh-Hant`). Browsers pick glyph shapes and fonts by it, and screen readers
their voice: a Traditional report labelled `zh-Hans` is drawn in a mainland font's forms.

The characters come from CC-CEDICT (text/cedict.py): a single-character entry whose
Traditional and Simplified forms differ gives one character of each script; a character
that is one script's form and never the other's counts for that script (`後` is
Traditional only, `后` Simplified only; `台` is both and counts for neither). The two sets
are made once and kept in the tool cache. A text is Traditional when more of its distinct
characters are Traditional-only than Simplified-only: one pass, set operations in C."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import toolcache
from . import cedict

HANS, HANT = "zh-Hans", "zh-Hant"
_SINGLE = re.compile(r"^(\S) (\S) \[", re.M)  # a one-character entry: Traditional, Simplified


@lru_cache(maxsize=1)
def _only() -> tuple[frozenset[str], frozenset[str]]:
    """(Traditional-only, Simplified-only) characters; empty without the dictionary."""
    name = f"scripts-{toolcache.key(toolcache.source_of(__file__), cedict.stamp())}.marshal"
    stored = toolcache.load(name)
    if isinstance(stored, tuple) and len(stored) == 2 and all(isinstance(s, str) for s in stored):
        return frozenset(stored[0]), frozenset(stored[1])
    traditional, simplified, changed_t, changed_s = set(), set(), set(), set()
    for trad, simp in _SINGLE.findall(cedict.read()):
        traditional.add(trad)
        simplified.add(simp)
        if trad != simp:
            changed_t.add(trad)
            changed_s.add(simp)
    only = (frozenset(changed_t - simplified), frozenset(changed_s - traditional))
    if only[0]:
        toolcache.save(name, ("".join(sorted(only[0])), "".join(sorted(only[1]))))
    return only


def chinese_lang(chars: set[str] | frozenset[str]) -> str:
    """`zh-Hant` when more of these distinct characters are Traditional-only than
    Simplified-only, else `zh-Hans` (also for a text with neither: most of what the
    tool reads is from the mainland)."""
    traditional, simplified = _only()
    return HANT if len(traditional.intersection(chars)) > len(simplified.intersection(chars)) else HANS
