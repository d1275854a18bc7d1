"""YAML front matter of a report file, read with line numbers for every error.

PyYAML alone would accept duplicate keys silently and report errors relative to the
YAML text; this module refuses duplicates and maps every error to the file's line."""

from __future__ import annotations

import datetime
from typing import Any

import yaml

from ..errors import fail
from .model import Bilingual, Source

FIRST_LINE = 2  # the YAML text starts on the file's second line
_BOTH = ("title", "session", "delivered", "speaker", "role")
KNOWN = {"id", "year", "date", "sources", "imported", *_BOTH}


def split(lines: list[str], path: str) -> tuple[str, int]:
    """(YAML text, index of the first body line) or a located error."""
    if not lines or lines[0].strip() != "---":
        raise fail(path, 1, "a report starts with YAML front matter between --- lines")
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), index + 1
    raise fail(path, 1, "front matter is not closed by a --- line")


# libyaml's C parser when PyYAML has it (its wheels do): 20× faster on a large topics.yaml.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, path: str, first: int = FIRST_LINE) -> tuple[dict[str, Any], dict[str, int]]:
    """The mapping and the file line of each top-level key; `first` is the file line
    the YAML text starts on."""
    data, lines, _ = parse_node(text, path, first)
    return data, lines


def parse_node(text: str, path: str, first: int = FIRST_LINE) -> tuple[dict[str, Any], dict[str, int], Any]:
    """As parse, and the composed node (for callers that need deeper line numbers):
    the text is parsed once."""
    try:
        loader = Loader(text)
        try:
            node = loader.get_single_node()
            try:
                data = loader.construct_document(node) if node is not None else None
            except ValueError as exc:  # e.g. date: 2024-13-45 (PyYAML raises plain ValueError)
                raise fail(path, first, f"bad YAML value: {exc}") from None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + first if mark else first
        problem = getattr(exc, "problem", None) or str(exc)
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        last = first + text.rstrip("\n").count("\n")
        if start is not None and line > last:  # "unexpected end": name where it began
            line, context = start.line + first, None
        if context and start is not None and start.line + first != line:
            problem += f" ({context} at line {start.line + first})"
        raise fail(path, line, f"bad YAML: {problem}") from None
    if node is None or not isinstance(node, yaml.MappingNode):
        raise fail(path, first, "expected a YAML mapping (key: value lines)")
    _refuse_duplicates(node, path, first)
    lines = {k.value: k.start_mark.line + first for k, _ in node.value}
    return data, lines, node


def _refuse_duplicates(node: yaml.Node, path: str, first: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            line = key.start_mark.line + first
            if key.value in seen:
                raise fail(path, line, f"duplicate key {key.value!r} (first at line "
                                       f"{seen[key.value]})")
            seen[key.value] = line
            _refuse_duplicates(value, path, first)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_duplicates(item, path, first)


def fields(data: dict[str, Any], lines: dict[str, int], path: str) -> dict[str, Any]:
    """Checked Report fields from the front matter mapping."""
    def where(key: str) -> int:
        return lines.get(key, FIRST_LINE)

    for key in ("id", "year", "title"):
        if key not in data:
            raise fail(path, FIRST_LINE, f"front matter lacks {key!r}")
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise fail(path, where(unknown[0]), f"unknown front matter key {unknown[0]!r} "
                                            f"(known: {', '.join(sorted(KNOWN))})")
    report_id = str(data["id"])
    if not report_id or not all(ch.isalnum() or ch in "-_" for ch in report_id):
        raise fail(path, where("id"), f"id {report_id!r} must be letters, digits, - or _ "
                                      "(it becomes the page's URL)")
    year = data["year"]
    if not isinstance(year, int) or isinstance(year, bool):
        raise fail(path, where("year"), f"year must be a number, not {year!r}")
    date = data.get("date", "")
    if isinstance(date, (datetime.date, datetime.datetime)):
        date = date.isoformat()[:10]
    out: dict[str, Any] = {"id": report_id, "year": year, "date": str(date or "")}
    for key in _BOTH:
        out[key] = _bilingual(data.get(key), key, where(key), path)
    out["sources"] = _sources(data.get("sources") or [], where("sources"), path)
    return out


def _bilingual(value: Any, key: str, line: int, path: str) -> Bilingual:
    if value is None:
        return Bilingual()
    if not isinstance(value, dict) or set(value) - {"zh", "en"}:
        raise fail(path, line, f"{key} must have zh: and en: entries")
    return Bilingual(str(value.get("zh") or ""), str(value.get("en") or ""))


def _sources(value: Any, line: int, path: str) -> list[Source]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise fail(path, line, "sources must be a list of entries with file:")
    known = set(Source.__dataclass_fields__)
    out = []
    for entry in value:
        unknown = set(entry) - known
        if unknown or "file" not in entry:
            raise fail(path, line, f"a source needs file: and knows only {sorted(known)}")
        if not isinstance(entry.get("covers") or [], list):
            raise fail(path, line, "a source's covers: must be a list of heading ids")
        values = {k: str(v) if k != "covers" else tuple(str(c) for c in v or ())
                  for k, v in entry.items()}
        out.append(Source(**values))
    return out
