"""The report header: title, date and occasion, speaker — Chinese lines, then English
(or the English first, as a block or line by line: `_english_before`).

    政 府 工 作 报 告                     REPORT ON THE WORK OF THE GOVERNMENT
    ——2025年1月14日在北京市第十六届         Delivered at the Third Session of the ...
    人民代表大会第三次会议上                 People's Congress on January 14, 2025
    北京市市长 殷 勇                      Yin Yong, Mayor of Beijing

The occasion line (starting with a dash) anchors it; the title is the line before it.
Everything before the title is page chrome."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import fail
from ..content.model import Bilingual
from ..text.chars import is_mostly_chinese
from ..content.headings import classify_zh, en_number
from ..text.numerals import zh_numeral

Line = tuple[int, str]  # (line number, cleaned text)

SEARCH_LINES = 300  # the title block must start within this many content lines
MAX_ENGLISH = 6  # English lines a title block holds (title, occasion over 1–3, speaker over 1–2)
_DASH = re.compile(r"^(?:——|—|--|－－|[(（])\s*")  # or the occasion in parentheses: （2024年…会议上）
_CLOSE = re.compile(r"\s*[)）]$")
_ZH_DATE = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                      r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
_ZH_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_PAREN_OCCASION = re.compile(r"^[(（]\s*" + _ZH_DATE.pattern + r"\s*在")  # not （2025年2月28日更新）
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_HAN_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_ON = r"(?:on\s+[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4},?\s+)?"  # `Delivered on March 5, 2024 at …`
_EN_ANCHOR = re.compile(r"^(?:Delivered|Presented|Given)\s+" + _ON + r"(?:at|to|before)\b", re.IGNORECASE)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_EN_DATE = re.compile(r"\b((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*)\.?\s+(\d{1,2})"
                      r"(?:st|nd|rd|th)?,?\s+(\d{4})")
_EN_OCCASION = re.compile(
    r"^(?:Delivered|Presented|Given)\s+" + _ON + r"(?:at|to|before)\s+(?:the\s+)?(?P<session>.*?)"
    r"(?:,?\s+on\s+[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})?\.?$")


def is_anchor(line: str) -> bool:
    """The line a title block hangs on: the Chinese —— date-and-occasion line, or the
    English `Delivered at …` (what a web page's text box must hold: webpage.py)."""
    line = line.strip()
    return bool(_opens_occasion(line) and _ZH_DATE.search(line) or _EN_ANCHOR.match(line))


def _opens_occasion(line: str) -> bool:
    """`——2024年1月21日在…`, or `（2024年1月21日在…` (a parenthesis also opens `(一)` and
    a page's `（2025年2月28日更新）`)."""
    return bool(_PAREN_OCCASION.match(line) if line[:1] in "(（" else _DASH.match(line))


def _zh_date(text: str) -> str:
    """`2024年1月21日` or `二〇二四年一月二十一日` → `2024-01-21` ('' when none, or no day)."""
    found = _ZH_DATE.search(text)
    if not found:
        return ""
    year, month, day = re.split(r"\s*[年月日]\s*", found.group())[:3]
    month_n, day_n = (int(x) if x.isdigit() else zh_numeral(x) or 0 for x in (month, day))
    return f"{int(year.translate(_ZH_DIGITS)):04d}-{month_n:02d}-{day_n:02d}"


@dataclass
class Header:
    title: Bilingual
    delivered: Bilingual
    session: Bilingual
    speaker: Bilingual
    role: Bilingual
    date: str
    year: int
    first: int  # index of the title in the content lines
    end: int  # index of the first body line


def find_header(lines: list[Line], path: str) -> Header:
    """The title block of a bilingual text, Chinese and English lines in blocks or line
    by line; or raise: without it we cannot tell the report."""
    start = _dash_line(lines, path)
    first = next((k for k in range(start - 1, -1, -1) if is_mostly_chinese(lines[k][1])), start - 1)
    if first < 0:
        raise fail(path, lines[start][0], "the title block has no title line before its date line")
    block, end = _collect(lines, first, start)
    before = _english_before(lines, first, block.english)
    if before:
        block = _Block(block.title, [], [], [])
        for text in before:
            block.take_english(text)
        block, end = _collect(lines, first, start, into=block)
    return _header(path, lines[start][0], block, first - len(before), end)


def _english_before(lines: list[Line], first: int, after: list[str]) -> list[str]:
    """The English lines of the title block that stand before the Chinese title: an
    English block put first, or each English line before its Chinese one. The English
    title is the line before `Delivered at …`; English lines above it are page chrome
    (left for the warning about text above the title block). At most MAX_ENGLISH lines."""
    above: list[str] = []
    k = first - 1
    while k >= 0 and len(above) < MAX_ENGLISH and not is_mostly_chinese(lines[k][1]):
        above.insert(0, lines[k][1])
        k -= 1
    english = above + after
    anchor = next((i for i, text in enumerate(english) if _EN_ANCHOR.match(text)), None)
    if anchor is None or anchor == 0 or anchor - 1 >= len(above):
        return []  # no English before the title belongs to the block
    start = anchor - 1
    while start and above[start - 1].isupper() and above[start].isupper():
        start -= 1  # a title set in capitals over two lines: REPORT ON THE WORK / OF THE GOVERNMENT
    return above[start:]


def find_header_zh(lines: list[Line], path: str) -> Header:
    """The title block of a Chinese-only document (its translation is another file)."""
    start = _dash_line(lines, path)
    block, end = _collect(lines, start - 1, start, english=False)
    return _header(path, lines[start][0], block, start - 1, end)


def find_header_en(lines: list[Line], path: str) -> Header:
    """The title block of an English-only document: the title, `Delivered at …` (the
    anchor) and the speaker."""
    start = next((i for i, (_, text) in enumerate(lines[:SEARCH_LINES])
                  if i > 0 and _EN_ANCHOR.match(text)), None)
    if start is None:
        raise fail(path, lines[0][0] if lines else 1, "no English title block found: expected a "
                   "title line, then a line like `Delivered at the … on March 5, 2024`")
    block, end = _collect(lines, start - 1, start, chinese=False)
    english = _english_fields(block.english)
    date = _en_date(english.get("delivered", ""))
    return Header(Bilingual("", english.get("title", "")), Bilingual("", english.get("delivered", "")),
                  Bilingual("", _en_session(english.get("delivered", ""))),
                  Bilingual("", english.get("name", "")), Bilingual("", english.get("role", "")),
                  date, int(date[:4]) if date else 0, start - 1, end)


def _dash_line(lines: list[Line], path: str) -> int:
    start = next((i for i, (_, text) in enumerate(lines[:SEARCH_LINES])
                  if i > 0 and _opens_occasion(text) and is_mostly_chinese(text)), None)
    if start is None:
        line = lines[0][0] if lines else 1
        raise fail(path, line, "no report header found: expected a title line, then a line "
                               "starting with —— that gives the date and occasion "
                               "(e.g. ——2025年1月14日在…会议上)")
    return start


def _collect(lines: list[Line], first: int, start: int, chinese: bool = True,
             english: bool = True, into: _Block | None = None) -> tuple[_Block, int]:
    """The title block's lines from the title on, Chinese (title, occasion, speaker) and
    English, in whatever order they are interleaved; and the index of the body. `into`:
    a block already holding the English lines read before the title."""
    block = into or _Block([lines[first][1]] if chinese else [], [], [], [] if chinese else [lines[first][1]])
    i = first + 1
    while i < len(lines):
        text = lines[i][1]
        taken = (chinese and block.take_chinese(text, i >= start)) if is_mostly_chinese(text) \
            else (english and block.take_english(text))
        if not taken:
            break
        i += 1
    return block, i


@dataclass
class _Block:
    """Title-block lines as they are read, and which are still expected."""

    title: list[str]
    occasion: list[str]
    speaker: list[str]
    english: list[str]
    occasion_done: bool = False
    speaker_done: bool = False
    after_date: int = -1  # English lines after the one that gives the year (-1: none yet)
    named: bool = False

    def take_chinese(self, text: str, past_dash: bool) -> bool:
        if not past_dash:
            return False  # a second Chinese line before the date line: not the title block
        if not self.occasion_done:
            self.occasion.append(text)
            self.occasion_done = _CLOSE.sub("", text).endswith("上") or len(self.occasion) == 3
            return True
        limit = 30 if not self.speaker else 6
        if self.speaker_done or len(text) > limit or classify_zh(text) is not None:
            return False
        self.speaker.append(text)
        self.speaker_done = len(self.speaker) == 2 or len(text.split()) > 1
        return True

    def take_english(self, text: str) -> bool:
        if len(self.english) >= MAX_ENGLISH or len(text) > 200 or en_number(text) is not None:
            return False
        if self.after_date >= 2 or self.after_date == 1 and self.named:
            return False  # the speaker's name and role are in: the body starts
        if self.after_date >= 0:
            self.after_date += 1
            self.named = "," in text
        elif _YEAR.search(text) and self.english:
            self.after_date = 0
        self.english.append(text)
        return True


def _header(path: str, line: int, block: _Block, first: int, end: int) -> Header:
    zh_occasion = _CLOSE.sub("", "".join(_DASH.sub("", t) if k == 0 else t for k, t in enumerate(block.occasion)))
    date = _zh_date(zh_occasion)
    if not date:
        raise fail(path, line, f"the header gives no date: {zh_occasion!r}")
    role_zh, name_zh = _zh_speaker(block.speaker)
    english = _english_fields(block.english)
    return Header(
        title=Bilingual(_HAN_SPACE.sub("", block.title[0]), english.get("title", "")),
        delivered=Bilingual(zh_occasion, english.get("delivered", "")),
        session=Bilingual(_zh_session(zh_occasion), _en_session(english.get("delivered", ""))),
        speaker=Bilingual(name_zh, english.get("name", "")),
        role=Bilingual(role_zh, english.get("role", "")),
        date=date, year=int(date[:4]), first=first, end=end)


def _zh_speaker(lines: list[str]) -> tuple[str, str]:
    """(role, name): `北京市市长 殷 勇` on one line, or `国务院总理` then `李强`."""
    if not lines:
        return "", ""
    tokens = lines[0].split()
    if len(tokens) > 1:
        return tokens[0], "".join(tokens[1:])
    return tokens[0] if tokens else "", lines[1].replace(" ", "") if len(lines) > 1 else ""


def _en_date(text: str) -> str:
    found = _EN_DATE.search(text)
    if not found:
        return ""
    month = _MONTHS.index(found.group(1)[:3].lower()) + 1
    return f"{int(found.group(3)):04d}-{month:02d}-{int(found.group(2)):02d}"


def _english_fields(run: list[str]) -> dict[str, str]:
    """Title, occasion (`Delivered at …`, up to the line with the year) and speaker."""
    found: dict[str, str] = {}
    if not run:
        return found
    anchor = next((k for k, line in enumerate(run) if _EN_ANCHOR.match(line)), 1)
    found["title"], rest = " ".join(run[:max(1, anchor)]), run[max(1, anchor):]  # a title may take two lines
    dated = next((k for k, line in enumerate(rest) if _YEAR.search(line)), None)
    if dated is None:  # no date line: the last line with a comma is the speaker
        dated = len(rest) - 1 - (1 if rest and "," in rest[-1] else 0)
    found["delivered"] = " ".join(rest[: dated + 1])
    speaker = rest[dated + 1:]
    if len(speaker) == 1:
        name, _, role = speaker[0].partition(",")
        found["name"], found["role"] = name.strip(), role.strip()
    elif speaker:
        found["name"], found["role"] = speaker[0].rstrip(","), " ".join(speaker[1:])
    return found


def _zh_session(occasion: str) -> str:
    text = _ZH_DATE.sub("", occasion).strip()
    text = text[1:] if text.startswith("在") else text
    return text[:-1] if text.endswith("上") else text


def _en_session(delivered: str) -> str:
    match = _EN_OCCASION.match(delivered)
    return match.group("session") if match else delivered
