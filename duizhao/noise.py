"""Web-page noise in re-posted copies, and the metadata hidden in it.

A line is noise when it is short and is a page-furniture label (`日期:`, `来源:`,
`字号:`, `英文:市外办`, `Source:` …), a bare timestamp, or a lone UI word (`打印`,
`关闭` …). Dates, sources and translators are kept as metadata; the rest is dropped
and reported with -v. Nothing longer than a label line is ever treated as noise."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_NOISE = 60  # characters; real paragraphs are longer than any furniture line

_LABEL = re.compile(
    r"^\s*(?P<key>日期|发布日期|发布时间|时间|来源|信息来源|稿源|出处|英文|英文翻译|英译|译文|翻译|"
    r"中文|字号|字体|作者|编辑|责任编辑|审核|校对|浏览次数|浏览量|点击数|阅读数|阅读|分享到|分享|"
    r"Source|Date|Published|Editor|Font size|Font|Author|Translated by|Translation|Share)"
    r"\s*[::]\s*(?P<value>.*)$", re.IGNORECASE)
_STAMP = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_UI = re.compile(r"^[【\[]?(打印|打印本页|关闭|关闭窗口|返回顶部|返回|收藏|纠错|分享|大|中|小|"
                 r"字号[::]?\s*大\s*中\s*小|Print|Close|Back to top|Share)[】\]]?$", re.IGNORECASE)
_KEYS = {
    "published": {"日期", "发布日期", "发布时间", "时间", "date", "published"},
    "source": {"来源", "信息来源", "稿源", "出处", "source"},
    "translation": {"英文", "英文翻译", "英译", "译文", "翻译", "translated by", "translation"},
}


@dataclass(frozen=True)
class Noise:
    """A noise line: `field` names the metadata it carries (or is empty)."""

    field: str = ""
    value: str = ""


def iso_date(text: str) -> str:
    match = _DATE.search(text)
    if not match:
        return ""
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def classify(line: str) -> list[Noise] | None:
    """The metadata a noise line carries ([] for pure furniture), None if not noise.

    `来源:英文:市外办` (two labels run together) yields both a source and a
    translator."""
    if not line or len(line) > MAX_NOISE:
        return None
    if _STAMP.match(line):
        return [Noise("published", iso_date(line))]
    if _UI.match(line):
        return []
    match = _LABEL.match(line)
    if not match:
        return None
    key, value = match.group("key").lower(), match.group("value").strip()
    field = next((name for name, keys in _KEYS.items() if key in keys), "")
    inner = classify(value) if value else None
    if inner is not None and _LABEL.match(value):
        return ([Noise(field, "")] if field else []) + inner
    if field == "published":
        value = iso_date(value) or value
    return [Noise(field, value)] if field else []
