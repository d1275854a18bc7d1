"""Numbers written in Chinese and English: the one numeral parser of the project.

Heading numbers (一 → 1, 十二 → 12, XIV → 14), figures in running text normalised across
the languages (26万 = 260,000, 1.6万 = 16,000, 三分之二 = two thirds, 万亿 = one
trillion, 9个 = Nine), and Roman numerals for labels. Pure functions, no I/O."""

from __future__ import annotations

import re
from functools import lru_cache

from .chars import fold

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def zh_numeral(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 九十九 → 99; None when not a numeral."""
    if not text or any(ch not in _DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    tens, _, units = text.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def roman_numeral(text: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(text.upper()):
        value = _ROMAN.get(ch)
        if value is None:
            return None
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total or None


def to_roman(number: int) -> str:
    table = [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in table:
        while number >= value:
            out, number = out + letters, number - value
    return out


# The leading lookaheads ((?=\d), the letters a number word can start with) change no
# match: they let the regex engine skip, in C, the positions where none can begin.
_ZH_NUMBER = re.compile(r"(?=\d)(?<![A-Za-z\d.,-])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                        r"\s*(?:余|多)?\s*(万亿|亿|万|千)?")  # 2,000亿 too (not as 000亿)
# Only from the start of a run of numerals, taken whole: from every character of a long
# run, the run was read to its end again (一 × 80,000: minutes).
_ZH_FRACTION = re.compile(r"(?<![一二两三四五六七八九十])([一二两三四五六七八九十]++)分之([一二两三四五六七八九十]++)")
_ZH_WORDS = re.compile(r"[零一二两三四五六七八九十百千万亿]+")
_ZH_SCALE = {"万": 1e4, "亿": 1e8, "万亿": 1e12, "千": 1e3}
_EN_NUMBER = re.compile(r"(?=\d)(?<![A-Za-z\d.,-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
                        r"(?:\s+(million|billion|trillion))?", re.I)  # not Covid-19
_EN_SCALE = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven "
                                     "twelve thirteen fourteen fifteen sixteen seventeen eighteen "
                                     "nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
         if w != "_"}
_FRACTIONS = {"half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25,
              "quarters": 0.25, "fifth": 0.2, "fifths": 0.2}
_EN_WORDS = re.compile(r"(?=[aefnostz])\b(?:(?:%s)(?:[\s-]+(?:%s|hundred|thousand|million|billion|trillion))*)"
                       r"(?:[\s-]+(?:%s))?(?:fold)?\b" % (
                           "|".join(list(_UNITS) + list(_TENS) + ["a"]),
                           "|".join(list(_UNITS) + list(_TENS)), "|".join(_FRACTIONS)), re.I)


def _key(value: float) -> float:
    return round(value, 6)


@lru_cache(maxsize=4096)
def numbers(text: str, lang: str) -> tuple[frozenset, frozenset]:
    """(hard, soft) normalised numbers: hard ones are written in digits, soft ones in
    words (Chinese numerals, English number words), which anchor but are never flagged."""
    text = fold(text)
    hard, soft = set(), set()
    if lang == "zh":
        hard.update(_digits(m, "zh") for m in _ZH_NUMBER.finditer(text))
        if "分之" in text:  # else no fraction (most sentences): two regex passes spared
            for m in _ZH_FRACTION.finditer(text):
                soft.add(_key(_zh_value(m.group(2)) / _zh_value(m.group(1))))
            text = _ZH_FRACTION.sub("", text)
        for m in _ZH_WORDS.finditer(text):
            soft |= _zh_values(m.group())
    else:
        hard.update(_digits(m, "en") for m in _EN_NUMBER.finditer(text))
        for m in _EN_WORDS.finditer(text):
            value = _en_value(m.group())
            if value:
                soft.add(_key(value))
    return frozenset(hard), frozenset(soft)


def _digits(match: re.Match, lang: str) -> float:
    """The value of a number written in digits (_ZH_NUMBER, _EN_NUMBER), scale and all."""
    if lang == "zh":
        return _key(float(match.group(1).replace(",", "")) * _ZH_SCALE.get(match.group(2) or "", 1))
    return _key(float(match.group(1).replace(",", "")) * _EN_SCALE.get((match.group(2) or "").lower(), 1))


def written(value: float, text: str, lang: str) -> str:
    """How `text` writes a number in digits that `numbers` found in it (9,000; 26万;
    1.5 million), to quote it back to a reader as the page shows it; the plain value
    (9000) where the text has no such number."""
    for match in (_ZH_NUMBER if lang == "zh" else _EN_NUMBER).finditer(fold(text)):
        if _digits(match, lang) == value:
            return match.group(0).strip()
    return f"{value:g}"


_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 1e4, "亿": 1e8}


def _zh_value(word: str) -> float:
    """Chinese numerals: 二十六 → 26, 三千 → 3000, 万亿 → 1e12, 千亿 → 1e11. cn2an does
    this too but compiles regexes on every call (150 ms for the corpus); this is exact
    for the forms the reports use. A run like 百千 (the 百千工程) that is no single
    number yields its first character's value; see _zh_values for the rest."""
    total, section, digit = 0.0, 0.0, None
    for ch in word:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _ZH_UNIT:
            section += (1 if digit is None else digit) * _ZH_UNIT[ch]
            digit = None
        elif ch in _ZH_BIG:
            value = section + (digit or 0)
            if ch == "亿":  # 万亿: everything so far is multiplied again
                total = (total + value or 1) * _ZH_BIG[ch]
            else:
                total += (value or 1) * _ZH_BIG[ch]
            section, digit = 0.0, None
    return total + section + (digit or 0)


def _zh_values(word: str) -> set[float]:
    """The number a Chinese numeral run writes, and, for runs of bare units (百千), each."""
    values = {_key(_zh_value(word))}
    if len(word) > 1 and all(ch in _ZH_UNIT or ch in _ZH_BIG for ch in word):
        values |= {_key(_ZH_UNIT.get(ch) or _ZH_BIG[ch]) for ch in word}
    return {v for v in values if v}


def _en_value(phrase: str) -> float:
    words = re.split(r"[\s-]+", phrase.lower().removesuffix("fold"))
    total, current, fraction = 0.0, 0.0, None
    for word in words:
        if word in _FRACTIONS:
            fraction = _FRACTIONS[word]
        elif word == "a":
            current += 1
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}[word]
            current = 0
    value = total + current
    return value * fraction if fraction is not None else value
