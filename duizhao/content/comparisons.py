"""Compare pages asked for in site.yaml, beyond the consecutive reports of each series
(which always get one):

    compare:
      - [beijing/2023, beijing/2025]

Each entry names two report ids; the older is shown first whatever the order written.
The ids are checked against the reports when the site is planned (`check`), each error
naming the entry's line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import fail
from . import frontmatter


@dataclass(frozen=True)
class Requested:
    old: str
    new: str
    path: str
    line: int


def parse_compare(value: Any, text: str, path: str, line: int) -> tuple[Requested, ...]:
    """The `compare:` list of site.yaml (`text`, the file's text, gives each entry its line)."""
    if value is None:
        return ()
    lines = _entry_lines(text, path)
    if not isinstance(value, list):
        raise fail(path, line, "compare: must be a list of [old report id, new report id] entries")
    out = []
    for k, entry in enumerate(value):
        where = lines[k] if k < len(lines) else line
        if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(e, str) for e in entry)):
            raise fail(path, where, f"compare: entry {entry!r} must be two report ids, "
                                    "like [beijing/2023, beijing/2025]")
        if entry[0] == entry[1]:
            raise fail(path, where, f"compare: {entry[0]!r} with itself")
        out.append(Requested(entry[0], entry[1], path, where))
    return tuple(out)


def _entry_lines(text: str, path: str) -> list[int]:
    """The file line of each item of the top-level `compare:` list."""
    _, _, node = frontmatter.parse_node(text, path, first=1)
    for key, value in node.value:
        if key.value == "compare" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def check(requested: tuple[Requested, ...], known: dict[str, Any]) -> None:
    """Every requested id names a report (`known`: id → report)."""
    for entry in requested:
        for report_id in (entry.old, entry.new):
            if report_id not in known:
                some = ", ".join(sorted(known)[:6]) + (" …" if len(known) > 6 else "")
                raise fail(entry.path, entry.line, f"compare: no report {report_id!r} (reports: {some})")
