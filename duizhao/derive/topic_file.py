"""content/topics.yaml: the curated topics (names, descriptions, terms) and figures
(a quantity's value per report year, each with the quote that states it), every mistake
named with its file line."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..content import frontmatter
from ..content.model import Bilingual
from ..errors import fail
from ..text.files import read_text
from .topic_terms import Topic

KINDS = ("target", "result")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A topic id is also the id of its section on each report's topics page
# (`beijing/2025/topics/#elderly-care`), beside the ids every page's frame uses
# (templates/base.html); a topic may not take one of those.
FRAME_IDS = frozenset({"main", "announce", "search", "search-title", "search-input", "search-year",
                       "search-help", "search-status", "search-results", "search-result"})


@dataclass(frozen=True)
class Value:
    year: int
    value: float
    kind: str
    quote: str
    line: int = 0
    report: str = ""  # the report and pair the quote was found in (set when verified)
    pair: str = ""

    @property
    def about(self) -> int:
        """The year the figure is about: a target is for the report's year; a result was
        achieved in the year before (a report reviews the previous year)."""
        return self.year if self.kind == "target" else self.year - 1


@dataclass
class Quantity:
    id: str
    topic: str
    name: Bilingual
    unit: Bilingual
    values: list[Value]
    line: int = field(default=0, compare=False)
    series: str = ""  # the series whose reports state it (empty: site.yaml's first)


def load_topics(path: Path) -> tuple[list[Topic], list[Quantity]]:
    """Topics and quantities from topics.yaml, every mistake named with its line."""
    data, _, node = frontmatter.parse_node(read_text(path), str(path), first=1)
    lines = _item_lines(node)
    unknown = sorted(set(data) - {"topics", "figures"})
    if unknown:
        raise fail(str(path), 1, f"unknown section {unknown[0]!r} (topics: and figures: only)")
    topics = [_topic(item, lines.get(("topics", i), 1), str(path))
              for i, item in enumerate(_list(data, "topics", str(path)))]
    quantities = [_quantity(item, lines, i, str(path))
                  for i, item in enumerate(_list(data, "figures", str(path)))]
    _unique([(t.id, t.line) for t in topics] + [(q.id, q.line) for q in quantities], str(path))
    known = {t.id for t in topics}
    for i, quantity in enumerate(quantities):
        if quantity.topic not in known:
            raise fail(str(path), lines.get(("figures", i, "topic"), quantity.line),
                       f"figure {quantity.id!r} names topic {quantity.topic!r}, which is not defined")
    return topics, quantities


def _item_lines(node: Any) -> dict[tuple, int]:
    """File lines of list items — (section, i) — of their keys — (section, i, key) — and
    of figure values — (figures, i, values, j)."""
    lines: dict[tuple, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key, value in node.value:
        if isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                lines[(key.value, i)] = item.start_mark.line + 1
                if isinstance(item, yaml.MappingNode):
                    for k, v in item.value:
                        lines[(key.value, i, k.value)] = k.start_mark.line + 1
                        if k.value == "values" and isinstance(v, yaml.SequenceNode):
                            for j, sub in enumerate(v.value):
                                lines[(key.value, i, "values", j)] = sub.start_mark.line + 1
    return lines


def _list(data: dict, key: str, path: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise fail(path, 1, f"{key}: must be a list of entries")
    return value


def _topic(item: dict, line: int, path: str) -> Topic:
    topic_id = str(item.get("id", ""))
    if not _ID.match(topic_id):
        raise fail(path, line, f"topic id {topic_id[:80]!r}: use lowercase letters, digits and -")
    if topic_id in FRAME_IDS:
        raise fail(path, line, f"topic id {topic_id!r} is an id every page uses already; choose another")
    if len(topic_id) > frontmatter.MAX_ID:
        raise fail(path, line, f"topic id is {len(topic_id)} characters long; at most "
                               f"{frontmatter.MAX_ID} (it names a folder)")
    _keys(item, {"id", "zh", "en", "about", "terms", "not_zh"}, f"topic {topic_id!r}", path, line)
    terms, about = _mapping(item.get("terms"), "terms", path, line), _mapping(item.get("about"), "about", path, line)
    zh, en = _strings(terms.get("zh"), path, line), _strings(terms.get("en"), path, line)
    if not zh and not en:
        raise fail(path, line, f"topic {topic_id!r} has no terms (terms: zh: […] en: […])")
    return Topic(topic_id, Bilingual(str(item.get("zh", "")), str(item.get("en", ""))),
                 Bilingual(str(about.get("zh", "")), str(about.get("en", ""))),
                 zh, en, _strings(item.get("not_zh"), path, line), line)


def _mapping(value: Any, key: str, path: str, line: int) -> dict:
    """A `key: {zh: …, en: …}` entry (or nothing), never a bare string or list."""
    if value is None:
        return {}
    if not isinstance(value, dict) or set(value) - {"zh", "en"}:
        raise fail(path, line, f"{key}: must have zh: and en: entries")
    return value


def _keys(item: dict, known: set[str], what: str, path: str, line: int) -> None:
    unknown = sorted(set(item) - known)
    if unknown:
        raise fail(path, line, f"{what}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")


def _strings(value: Any, path: str, line: int) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                              and str(v).strip() for v in value):
        raise fail(path, line, "terms must be lists of non-empty strings")
    return tuple(str(v).strip() for v in value)


def _quantity(item: dict, lines: dict, i: int, path: str) -> Quantity:
    line = lines.get(("figures", i), 1)
    _keys(item, {"id", "topic", "series", "zh", "en", "unit", "values"}, f"figure {item.get('id')!r}", path, line)
    if not isinstance(item.get("values") or [], list):
        raise fail(path, line, "values: must be a list of {year, value, kind, quote}")
    values = []
    for j, raw in enumerate(item.get("values") or []):
        where = lines.get(("figures", i, "values", j), line)
        if not isinstance(raw, dict) or raw.get("kind") not in KINDS or not raw.get("quote"):
            raise fail(path, where, "a value needs year:, value:, kind: target|result and quote:")
        year, value = raw.get("year"), raw.get("value")
        if not _whole(year) or not 0 <= year <= 9999 or not _finite(value):
            raise fail(path, where, "year: must be a year and value: a number")
        values.append(Value(year, float(value), raw["kind"], str(raw["quote"]).strip(), where))
    unit = _mapping(item.get("unit"), "unit", path, line)
    return Quantity(str(item.get("id", "")), str(item.get("topic", "")),
                    Bilingual(str(item.get("zh", "")), str(item.get("en", ""))),
                    Bilingual(str(unit.get("zh", "")), str(unit.get("en", ""))), values, line,
                    str(item.get("series") or ""))


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _finite(value: Any) -> bool:
    return (_whole(value) or isinstance(value, float)) and math.isfinite(value) and abs(value) < 1e15


def _unique(ids: list[tuple[str, int]], path: str) -> None:
    seen: dict[str, int] = {}
    for item_id, line in ids:
        if item_id in seen:
            raise fail(path, line, f"id {item_id!r} again (first at line {seen[item_id]})")
        seen[item_id] = line
