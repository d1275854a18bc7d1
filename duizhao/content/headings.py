"""Heading numbering in both languages, and the ids built from it.

Chinese: part `二、…` (or `第二部分 …`), section `(八)…`, item `三是…`. English: `II …`, `8. …`,
`Eighth, …`, `(8) …`. Ids come from the numbers (`p2`, `p2-s8`, `p1-i3`), never from
the wording, so an edited heading keeps its links."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.chars import fold
from ..text.numerals import roman_numeral, zh_numeral

_ZH_NUM = "〇零一二两三四五六七八九十"
_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
             "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
             "twentieth"]

# Patterns match width-folded text (textio.fold), so `(` also stands for `（` etc.
_PART = re.compile(rf"^(?:第([{_ZH_NUM}]+)部分[、.:]?\s*|([{_ZH_NUM}]+)[、.]\s*)(\S.*)$")  # 二、… or 第二部分 …
_SECTION = re.compile(rf"^\(([{_ZH_NUM}]+)\)\s*(\S.*)$")
_ITEM = re.compile(rf"^([{_ZH_NUM}]+)是\s*(\S.*)$")
_NEXT_ITEM = re.compile(rf"[,;、]\s*[{_ZH_NUM}]+是")
_EN_ROMAN = re.compile(r"^(?:Part\s+)?([IVXLC]+)(?:[.:]\s*|\s+)(?=\S)")
_EN_ARABIC = re.compile(r"^(?:\((\d{1,2})\)|(\d{1,2})[.)]|(\d{1,2})(?=\s+[A-Z]))\s*(?=\S)")
_UNICODE_ROMAN = {chr(0x2160 + i): "I II III IV V VI VII VIII IX X XI XII".split()[i] for i in range(12)}
_EN_ORDINAL = re.compile(r"^(" + "|".join(_ORDINALS) + r")\b[,:]?", re.IGNORECASE)
_ID = re.compile(r"^p(\d+)(?:-s(\d+))?(?:-i(\d+))?$|^s(\d+)(?:-i(\d+))?$|^i(\d+)$")

# Longest heading lines accepted, in characters; longer lines are paragraphs.
MAX_HEADING = {1: 60, 2: 90, 3: 120}


@dataclass(frozen=True)
class ZhHeading:
    level: int
    number: int
    stop: bool = False  # ends in 。: a heading only if the English number confirms it


def single_sentence(text: str) -> bool:
    """At most one full stop, and only at the end: headings are one sentence."""
    body = fold(text).rstrip("。!?")
    return not re.search(r"[。!?;]", body)


def classify_zh(text: str) -> ZhHeading | None:
    """Recognise a Chinese heading line by its numbering and shape."""
    if len(text) > max(MAX_HEADING.values()):
        return None
    folded = fold(text)
    for level, pattern in ((1, _PART), (2, _SECTION), (3, _ITEM)):
        match = pattern.match(folded)
        if not match:
            continue
        number = zh_numeral(next(g for g in match.groups() if g is not None))
        if number is None or len(text) > MAX_HEADING[level] or not single_sentence(text):
            return None
        if level == 3 and _NEXT_ITEM.search(folded):
            return None  # `一是…,二是…` enumerates inside a sentence: prose, not a heading
        return ZhHeading(level, number, stop=level < 3 and folded.endswith("。"))
    return None


def en_number(text: str) -> int | None:
    """The number an English heading starts with (roman, arabic or ordinal word)."""
    found = en_numbering(text)
    return found[0] if found else None


def en_numbering(text: str) -> tuple[int, str] | None:
    """(number, style) of an English heading: style "roman" (`II …`, `Part II`), "arabic"
    (`8. …`, `(8) …`) or "ordinal" (`Eighth, …`)."""
    text = fold(text[:40])
    if text[:1] in _UNICODE_ROMAN:
        text = _UNICODE_ROMAN[text[0]] + text[1:]
    match = _EN_ORDINAL.match(text)
    if match:
        return _ORDINALS.index(match.group(1).lower()) + 1, "ordinal"
    match = _EN_ARABIC.match(text)
    if match:
        return int(next(g for g in match.groups() if g)), "arabic"
    match = _EN_ROMAN.match(text)
    if match:
        number = roman_numeral(match.group(1))
        return (number, "roman") if number else None
    return None


_BARE_EN = re.compile(r"^(?:Part\s+)?(?:[IVXLC]+|\d{1,2}|\(\d{1,2}\))[.:)]?$|^(?:%s)[,:]?$"
                      % "|".join(_ORDINALS), re.IGNORECASE)
_BARE_ZH = re.compile(rf"^(?:[{_ZH_NUM}]+[、.]|\([{_ZH_NUM}]+\)|第[{_ZH_NUM}]+部分)$")


def bare_numeral(text: str) -> bool:
    """A line that is only a heading's number (`I`, `8.`, `Eighth,`, `二、`, `(八)`):
    a copy that broke the heading over two lines."""
    folded = fold(text).strip()
    return bool(_BARE_ZH.match(folded) or _BARE_EN.match(folded) and not folded.isdigit())


class HeadingIds:
    """Builds hierarchical ids while walking headings in order."""

    def __init__(self) -> None:
        self.part: int | None = None
        self.section: int | None = None

    def next_id(self, level: int, number: int) -> str:
        if level == 1:
            self.part, self.section = number, None
            return f"p{number}"
        prefix = f"p{self.part}" if self.part is not None else ""
        if level == 2:
            self.section = number
            return f"{prefix}-s{number}".lstrip("-")
        parent = f"{prefix}-s{self.section}" if self.section is not None else prefix
        return f"{parent}-i{number}".lstrip("-")


def id_key(heading_id: str) -> tuple[int, int, int] | None:
    """Sort key (part, section, item) of a numbering id; None for a free-form id."""
    match = _ID.match(heading_id)
    if not match:
        return None
    p, s, i, s2, i2, i3 = match.groups()
    if p is not None:
        return (int(p), int(s or 0), int(i or 0))
    if s2 is not None:
        return (0, int(s2), int(i2 or 0))
    return (0, 0, int(i3))
