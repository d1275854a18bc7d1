"""Run-in headings: the short imperative sentence that opens many paragraphs.

    扎实推进城市精细化治理。深化城市更新行动,…
    Advance precision governance in Beijing. We will further advance urban renewal, …

Both languages must agree before a lead is marked, which keeps ordinary opening
sentences (`学习…是一项长期政治任务。` / `Studying, advocating, … is a …`) unmarked."""

from __future__ import annotations

import re

from ..text.chars import fold

MAX_ZH = 30  # characters in a Chinese lead
MAX_EN_WORDS = 30

_ZH_LEAD = re.compile(r"^([^。!?,;:]{2,%d}[。!?])(?=\S)" % MAX_ZH)  # on folded text
# The first sentence end: . ! ? (maybe after a closing quote) followed by a capital,
# with or without the space (published copies have `conduct.We will`).
_EN_END = re.compile(r"[.!?][”\"’']?(?=\s*[A-Z“\"‘])")
_SUBJECTS = {
    "we", "the", "this", "these", "those", "it", "its", "our", "in", "with", "as", "at",
    "by", "for", "from", "on", "to", "a", "an", "there", "since", "over", "under", "after",
    "before", "during", "through", "while", "when", "i", "you", "they", "he", "she", "all",
    "each", "every", "some", "another", "such", "if", "although", "beijing", "china", "fellow",
}


def zh_lead(text: str) -> str:
    match = _ZH_LEAD.match(fold(text[: MAX_ZH + 2]))
    return text[: match.end(1)] if match else ""


def en_lead(text: str) -> str:
    match = _EN_END.search(fold(text[:400]))
    if not match:
        return ""
    lead = text[: match.end()]
    words = lead.split()
    first = words[0].strip("“\"‘'").lower() if words else ""
    if (len(words) > MAX_EN_WORDS or first in _SUBJECTS or not lead[0].isupper()
            or re.search(r"[,;:]", fold(lead)) or not text[match.end():].strip()):
        return ""
    return lead


def split_leads(zh: str, en: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """((zh lead, zh rest), (en lead, en rest)); leads are empty unless both agree."""
    lead_zh, lead_en = zh_lead(zh), en_lead(en)
    if not lead_zh or not lead_en:
        return ("", zh), ("", en)
    return (lead_zh, zh[len(lead_zh):].lstrip()), (lead_en, en[len(lead_en):].lstrip())
