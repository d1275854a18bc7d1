"""The report's outline: the tree of parts, sections, items and run-in headings that the
table of contents and the library show, and the HTML heading level of each heading.

Levels follow the actual nesting, so an item placed straight under a part is an <h3>,
never an <h4> after an <h2> (the page title is the <h1>)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.model import Heading, Pair, Report

RUNIN = 4  # outline level of a run-in heading (a pair's bold lead)


@dataclass
class Entry:
    id: str
    zh: str | None
    en: str | None
    level: int  # 1 part, 2 section, 3 item, 4 run-in heading
    html_level: int = 0
    children: list["Entry"] = field(default_factory=list)


def outline(report: Report) -> list[Entry]:
    """Headings nested by level; run-in headings under the heading they follow."""
    top: list[Entry] = []
    stack: list[Entry] = []
    for block in report.blocks:
        if isinstance(block, Heading):
            while stack and stack[-1].level >= block.level:
                stack.pop()
            entry = Entry(block.id, block.zh, block.en, block.level,
                          min((stack[-1].html_level + 1) if stack else 2, 6))
            (stack[-1].children if stack else top).append(entry)
            stack.append(entry)
        elif _lead(block, "zh") or _lead(block, "en"):
            entry = Entry(block.id, _lead(block, "zh"), _lead(block, "en"), RUNIN)
            (stack[-1].children if stack else top).append(entry)
    return top


def html_levels(entries: list[Entry]) -> dict[str, int]:
    levels: dict[str, int] = {}
    for entry in entries:
        if entry.level < RUNIN:
            levels[entry.id] = entry.html_level
            levels.update(html_levels(entry.children))
    return levels


def _lead(pair: Pair, lang: str) -> str | None:
    paras = pair.side(lang)
    return paras[0].lead if paras and paras[0].lead else None
