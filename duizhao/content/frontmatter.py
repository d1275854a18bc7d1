"""YAML front matter of a report file, read with line numbers for every error.

PyYAML alone would accept duplicate keys silently and report errors relative to the
YAML text; this module refuses duplicates and maps every error to the file's line."""

from __future__ import annotations

import datetime
import re
from typing import Any

import yaml

from ..errors import fail
from .model import Bilingual, Source
from .series import check_id as check_series_id
from ..text.chars import CONTROL, control_name

FIRST_LINE = 2  # the YAML text starts on the file's second line
_BOTH = ("title", "session", "delivered", "speaker", "role")
KNOWN = {"id", "series", "year", "date", "sources", "imported", *_BOTH}
_ID_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


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
    the text is parsed once. Work is bounded on any input: aliases (`*name`, the "billion
    laughs") and nesting deeper than MAX_DEPTH are refused before anything is built."""
    try:
        _scan(text, path, first)
        loader = Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None and isinstance(node, yaml.MappingNode):
                _check_keys(node, path, first)
            try:
                data = loader.construct_document(node) if node is not None else None
            except ValueError as exc:  # e.g. date: 2024-13-45 (PyYAML raises plain ValueError)
                raise fail(path, first, f"bad YAML value: {exc}") from None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, path, first) from None
    if node is None or not isinstance(node, yaml.MappingNode):
        raise fail(path, first, "expected a YAML mapping (key: value lines)")
    lines = {k.value: k.start_mark.line + first for k, _ in node.value}
    return data, lines, node


MAX_DEPTH = 20  # nesting levels; the formats need five at most


def _scan(text: str, path: str, first: int) -> None:
    """One pass over the YAML events (libyaml's parser keeps its own stack, so no depth
    can overflow it): refuse aliases and deep nesting before a node is composed."""
    loader = Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                raise fail(path, event.start_mark.line + first, f"YAML alias *{event.anchor} is "
                                                                "not allowed here: write the value out")
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise fail(path, event.start_mark.line + first,
                               f"nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        loader.dispose()


def _yaml_error(exc: yaml.YAMLError, text: str, path: str, first: int):
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + first if mark else first
    problem = getattr(exc, "problem", None) or str(exc)
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    last = first + text.rstrip("\n").count("\n")
    if start is not None and line > last:  # "unexpected end": name where it began
        line, context = start.line + first, None
    if context and start is not None and start.line + first != line:
        lines = text.split("\n")
        opened = lines[start.line].rstrip() if start.line < len(lines) else ""
        if context.startswith(_BEGUN_AT_FAULT) and not opened.endswith(("[", "{")):  # fix it where it began
            problem += f" ({context}; the parser stopped at line {line})"
            line = start.line + first
        else:
            problem += f" ({context} at line {start.line + first})"
    return fail(path, line, f"bad YAML: {problem}")


# Contexts that start on the faulty line itself: a key without its colon, an unclosed
# quote or bracket. PyYAML notices on a later line (the one after, or the end), but the
# editor must fix the line it began on, which the error page then quotes. (A block
# mapping's context is where the whole mapping starts, and so is a bracket that ends
# its line, a list written one item a line: no use as a location.)
_BEGUN_AT_FAULT = ("while scanning a simple key", "while scanning a quoted scalar",
                   "while parsing a flow")


_STR = "tag:yaml.org,2002:str"


def _check_keys(root: yaml.Node, path: str, first: int) -> None:
    """Every key is text and said once, in every mapping: one walk over the nodes (no
    aliases, so a tree; no recursion, so no depth limit of Python's)."""
    todo = [root]
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.SequenceNode):
            todo += node.value
        elif isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                line = key.start_mark.line + first
                if not isinstance(key, yaml.ScalarNode) or key.tag != _STR:
                    shown = f"key {key.value or 'null'}" if isinstance(key, yaml.ScalarNode) else "a key"
                    raise fail(path, line, f"{shown} must be a name (text), not {_kind(key)}")
                if key.value in seen:
                    raise fail(path, line, f"duplicate key {key.value!r} (first at line "
                                           f"{seen[key.value]})")
                seen[key.value] = line
                todo.append(value)
        elif node.tag == _STR and CONTROL.search(node.value):
            char = CONTROL.search(node.value).group()
            raise fail(path, node.start_mark.line + first, f"{control_name(char)} in a value: "
                                                           "not text; delete it")


def _kind(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode):
        return "a list or mapping"
    return {"tag:yaml.org,2002:int": "a number", "tag:yaml.org,2002:float": "a number",
            "tag:yaml.org,2002:null": "null", "tag:yaml.org,2002:bool": "true/false",
            "tag:yaml.org,2002:merge": "a merge (<<)"}.get(node.tag, f"a {node.tag.rsplit(':', 1)[-1]}")


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
    report_id, series = _report_id(data, where, path)
    year = data["year"]
    if not isinstance(year, int) or isinstance(year, bool):
        raise fail(path, where("year"), f"year must be a number, not {year!r}")
    if not 0 <= year <= 9999:  # it names a folder (topics/<id>/<year>/)
        raise fail(path, where("year"), f"year must be from 0 to 9999, not {year}")
    date = data.get("date", "")
    if isinstance(date, (datetime.date, datetime.datetime)):
        date = date.isoformat()[:10]
    date = _text(date, "date", where("date"), path)
    if date and not _is_date(date):  # it becomes <time datetime=…>: a real day or nothing
        raise fail(path, where("date"), f"date {date[:40]!r} is not a day like 2025-01-14 (or leave it out)")
    out: dict[str, Any] = {"id": report_id, "series": series, "year": year, "date": date}
    for key in _BOTH:
        out[key] = _bilingual(data.get(key), key, where(key), path)
    out["sources"] = _sources(data.get("sources") or [], where("sources"), path)
    return out


def _report_id(data: dict[str, Any], where, path: str) -> tuple[str, str]:
    """(id, series): `id: beijing/2025` with `series: beijing`; a report from before series
    (`id: '2025'`, no series) is given its series by the build (site.yaml's first)."""
    report_id = _text(data["id"], "id", where("id"), path)
    parts = report_id.split("/")
    if len(parts) > 2 or not all(_ID_PART.match(p) for p in parts):
        raise fail(path, where("id"), f"id {report_id[:80]!r} must be <series>/<name> (like "
                   "beijing/2025), each part 1–64 letters, digits, - or _ (it becomes the URL)")
    if "series" not in data:
        if len(parts) == 2:
            raise fail(path, where("id"), f"id {report_id!r} names series {parts[0]!r}: add "
                                          f"`series: {parts[0]}` to the front matter")
        return report_id, ""
    series = check_series_id(_text(data["series"], "series", where("series"), path), path, where("series"))
    if len(parts) != 2 or parts[0] != series:
        raise fail(path, where("id"), f"id {report_id!r} must start with its series: "
                                      f"{series}/{parts[-1]}")
    return report_id, series


def _bilingual(value: Any, key: str, line: int, path: str) -> Bilingual:
    if value is None:
        return Bilingual()
    if not isinstance(value, dict) or set(value) - {"zh", "en"}:
        raise fail(path, line, f"{key} must have zh: and en: entries")
    return Bilingual(_text(value.get("zh"), f"{key} zh", line, path),
                     _text(value.get("en"), f"{key} en", line, path))


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
        values = {k: _text(v, k, line, path) if k != "covers"
                  else tuple(_text(c, "covers", line, path) for c in v or ()) for k, v in entry.items()}
        out.append(Source(**values))
    return out


def _text(value: Any, key: str, line: int, path: str) -> str:
    """A text field: text, a whole number or nothing. Anything else YAML reads as another
    type (true, 1.50, a list) would be shown changed, so it is refused."""
    if value is None:
        return ""
    if isinstance(value, str) or isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise fail(path, line, f"{key}: {value!r} is not text (YAML reads it as "
                           f"{type(value).__name__}); put it in quotes")


MAX_ID = 64  # characters of a report or topic id: it names a folder and files


def check_id(value: str, path: str, line: int, what: str = "id") -> None:
    """An id that becomes a folder and file names: letters, digits, - or _, and short
    enough for any file system (at most 64 characters and 200 bytes)."""
    if not value or not all(ch.isalnum() or ch in "-_" for ch in value):
        raise fail(path, line, f"{what} {value!r} must be letters, digits, - or _ "
                               "(it becomes the page's URL)")
    if len(value) > MAX_ID or len(value.encode("utf-8")) > 200:
        raise fail(path, line, f"{what} is {len(value)} characters long; at most {MAX_ID} "
                               "(it names a folder and files)")


def _is_date(text: str) -> bool:
    """YYYY-MM-DD naming a day that exists (2024-02-30 does not)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
