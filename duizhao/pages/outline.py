"""The report's outline: the tree of parts, sections, items and run-in headings that the
table of contents and the library show, and the HTML heading level of each heading.

Levels follow the actual nesting, so an item placed straight under a part is an <h3>,
never an <h4> after an <h2> (the page title is the <h1>)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..content.headings import id_key
from ..content.model import Heading, Pair, Report
from ..text.numerals import to_roman

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


def coverage(report: Report, only: tuple[str, ...] | None = None) -> str:
    """What the excerpts cover, e.g. `Part I items 3–6; Part II sections 2, 8–9`; `only`:
    just these heading ids (one excerpt's `covers`) and the parts they are in."""
    parts: list[tuple[str, list[str], list[int]]] = []
    headings = report.headings
    if only is not None:
        wanted = set(only) | {i.split("-")[0] for i in only}
        headings = [h for h in headings if h.id in wanted]
    for heading in headings:
        if heading.level == 1 or not parts:
            parts.append((heading.id if heading.level == 1 else "", [], []))
        top = heading.level == 2 or (heading.level == 3 and "-s" not in heading.id)
        number = _last_number(heading.id)
        kind = "sections" if heading.level == 2 else "items"
        if top and number is not None and parts[-1][1] in ([], [kind]):
            parts[-1][1][:] = [kind]
            parts[-1][2].append(number)
    return "; ".join(_describe(*p) for p in parts)


def _last_number(heading_id: str) -> int | None:
    """The heading's own number: 8 for `p2-s8`, 3 for `p1-i3`; None for a free-form id."""
    numbers = id_key(heading_id)
    return next((n for n in reversed(numbers) if n), None) if numbers else None


def _describe(part_id: str, kind: list[str], numbers: list[int]) -> str:
    number = _last_number(part_id) if part_id else None
    label = f"Part {to_roman(number)}" if number else ""
    if not numbers:
        return label
    noun = kind[0] if len(numbers) > 1 else kind[0][:-1]
    return f"{label} {noun} {_ranges(numbers)}".strip()


def _ranges(numbers: list[int]) -> str:
    """[2, 8, 9] → `2, 8–9`; [3, 4, 5, 6] → `3–6`."""
    out: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}–{prev}" if prev != start else f"{start}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


PROMISE, RESULT = "promise", "result"
_REVIEW = re.compile(r"回顾|review|achievements|looking back", re.IGNORECASE)
_TASKS = re.compile(r"任务|要求|安排|部署|计划|task|plan|requirement|priorit", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """Where a pair stands in its report: its headings, outermost first, and whether that
    part reviews the past year (a result) or sets this year's tasks (a promise)."""
    path: tuple[Heading, ...]
    kind: str  # PROMISE, RESULT or "" where the part heading says neither


def places(report: Report) -> dict[str, Place]:
    """Pair id → its place. A report's parts say what they hold (`一、2024年工作回顾` / `I A
    Review of Our Work in 2024`; `二、2025年工作总体要求和重点任务` / `… Major Tasks …`), so the
    kind is read from the part heading (else the nearest heading that says)."""
    out: dict[str, Place] = {}
    path: list[Heading] = []
    for block in report.blocks:
        if isinstance(block, Heading):
            path = [h for h in path if h.level < block.level] + [block]
        else:
            out[block.id] = Place(tuple(path), _kind(path))
    return out


def _kind(path: list[Heading]) -> str:
    for heading in path:
        text = f"{heading.zh or ''} {heading.en or ''}"
        if _REVIEW.search(text):
            return RESULT
        if _TASKS.search(text):
            return PROMISE
    return ""
