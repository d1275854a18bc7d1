"""The report header: title, date and occasion, speaker — Chinese lines, then English.

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
from .noise import iso_date
from ..content.headings import classify_zh

Line = tuple[int, str]  # (line number, cleaned text)

SEARCH_LINES = 40  # the header must start within this many content lines
_DASH = re.compile(r"^(?:——|—|--|－－)\s*")
_ZH_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_HAN_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_EN_OCCASION = re.compile(
    r"^(?:Delivered|Presented|Given)\s+(?:at|to|before)\s+(?:the\s+)?(?P<session>.*?)"
    r"(?:,?\s+on\s+[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})?\.?$")


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
    """Locate and parse the header, or raise: without it we cannot tell the report."""
    start = next((i for i, (_, text) in enumerate(lines[:SEARCH_LINES])
                  if i > 0 and _DASH.match(text) and is_mostly_chinese(text)), None)
    if start is None:
        line = lines[0][0] if lines else 1
        raise fail(path, line, "no report header found: expected a title line, then a line "
                               "starting with —— that gives the date and occasion "
                               "(e.g. ——2025年1月14日在…会议上)")
    zh_occasion, i = _zh_occasion(lines, start)
    date = iso_date(_ZH_DATE.search(zh_occasion).group()) if _ZH_DATE.search(zh_occasion) else ""
    if not date:
        raise fail(path, lines[start][0], f"the header gives no date: {zh_occasion!r}")
    (role_zh, name_zh), i = _zh_speaker(lines, i)
    english, i = _english_run(lines, i)
    return Header(
        title=Bilingual(_HAN_SPACE.sub("", lines[start - 1][1]), english.get("title", "")),
        delivered=Bilingual(zh_occasion, english.get("delivered", "")),
        session=Bilingual(_zh_session(zh_occasion), _en_session(english.get("delivered", ""))),
        speaker=Bilingual(name_zh, english.get("name", "")),
        role=Bilingual(role_zh, english.get("role", "")),
        date=date, year=int(date[:4]), first=start - 1, end=i)


def _zh_speaker(lines: list[Line], i: int) -> tuple[tuple[str, str], int]:
    """(role, name): `北京市市长 殷 勇` on one line, or `国务院总理` then `李强`."""
    def short_chinese(k: int, limit: int) -> bool:
        return k < len(lines) and is_mostly_chinese(lines[k][1]) and len(lines[k][1]) <= limit \
            and classify_zh(lines[k][1]) is None

    if not short_chinese(i, 30):
        return ("", ""), i
    tokens = lines[i][1].split()
    if len(tokens) > 1:
        return (tokens[0], "".join(tokens[1:])), i + 1
    if short_chinese(i + 1, 6):
        return (tokens[0], lines[i + 1][1].replace(" ", "")), i + 2
    return (tokens[0] if tokens else "", ""), i + 1


def _zh_occasion(lines: list[Line], start: int) -> tuple[str, int]:
    """Join the occasion lines (it is often broken over two) up to `…会议上`."""
    parts, i = [], start
    while i < len(lines) and len(parts) < 3 and is_mostly_chinese(lines[i][1]):
        parts.append(_DASH.sub("", lines[i][1]) if i == start else lines[i][1])
        i += 1
        if parts[-1].endswith("上"):
            break
    return "".join(parts), i


def _english_run(lines: list[Line], i: int) -> tuple[dict[str, str], int]:
    run: list[str] = []
    while i < len(lines) and len(run) < 6 and not is_mostly_chinese(lines[i][1]) \
            and len(lines[i][1]) <= 200:
        run.append(lines[i][1])
        i += 1
    found: dict[str, str] = {}
    if not run:
        return found, i
    found["title"], rest = run[0], run[1:]
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
    return found, i


def _zh_session(occasion: str) -> str:
    text = _ZH_DATE.sub("", occasion).strip()
    text = text[1:] if text.startswith("在") else text
    return text[:-1] if text.endswith("上") else text


def _en_session(delivered: str) -> str:
    match = _EN_OCCASION.match(delivered)
    return match.group("session") if match else delivered
