"""Sentence splitting, in one pass over the text.

Chinese splits after 。！？ and after ；(the clauses a translation often splits);
English after . ! ? (not after No., Mr., U.S., decimals like 6.32, or inside quotes).
Each full stop looks back at most `_TOKEN` characters for the word it ends (a longer
word is no abbreviation), so a 200 KB paragraph costs what its length costs: linear."""

from __future__ import annotations

import re

from ..text.chars import fold

_ZH_END = re.compile(r"[。！？!?；;][”’\"')）]*")
_ABBREVIATIONS = {"no", "nos", "mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e",
                  "approx", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                  "sept", "oct", "nov", "dec", "inc", "co", "ltd", "jr", "sr", "prof"}
# A stop, its closing quotes and brackets, a note reference, then space and a capital.
_EN_END = re.compile(r"[.!?][”’\"')\]]{0,8}(?:\[\^[^\]\s]{1,20}\])?(?=\s+[“\"‘(\[]?[A-Z0-9])")
_SPACES = re.compile(r"\s*")
_INITIALS = re.compile(r"[a-z]|(?:[a-z]\.)+[a-z]")
_TOKEN = 16  # longer than any abbreviation or run of initials (u.s, e.g)
# A letter after these is a label (Class V, Phase II), not an initial: the stop ends a sentence.
_LABELS = {"class", "phase", "grade", "level", "type", "category", "stage", "tier", "part",
           "zone", "line", "plan", "section", "article", "annex", "appendix", "chapter", "item"}
_ROMAN = re.compile(r"[IVX]+")


def split_zh(text: str) -> list[str]:
    """Chinese sentences and semicolon clauses; the pieces join back to the text."""
    folded = fold(text)
    cuts = [m.end() for m in _ZH_END.finditer(folded) if m.end() < len(text)]
    return _cut(text, cuts)


def split_en(text: str) -> list[str]:
    """English sentences; each keeps its trailing space, so the pieces join back."""
    cuts = []
    for match in _EN_END.finditer(text):
        if text[match.start()] == "." and _abbreviation(text, match.start()):
            continue  # No. 1, U.S. Army, e.g. Beijing
        cuts.append(_SPACES.match(text, match.end()).end())
    return _cut(text, cuts)


def _abbreviation(text: str, dot: int) -> bool:
    """Is the word before the full stop at `dot` an abbreviation or an initial? Looks back
    at most _TOKEN characters (bounded: the whole split stays linear)."""
    start, floor = dot, max(0, dot - _TOKEN)
    while start > floor and not text[start - 1].isspace():
        start -= 1
    if start == floor and floor > 0 and not text[floor - 1].isspace():
        return False  # a word longer than any abbreviation
    token = text[start:dot].strip("(“\"'")
    before = text[max(0, start - _TOKEN):start].split()  # the word before it, bounded
    if _ROMAN.fullmatch(token) and before and before[-1].lower() in _LABELS:
        return False  # Class V. More …
    token = token.lower()
    return token in _ABBREVIATIONS or _INITIALS.fullmatch(token) is not None


def _cut(text: str, cuts: list[int]) -> list[str]:
    pieces, start = [], 0
    for cut in cuts:
        if cut > start:
            pieces.append(text[start:cut])
            start = cut
    if start < len(text):
        pieces.append(text[start:])
    return [p for p in pieces if p.strip()]
