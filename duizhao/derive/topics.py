"""The cross-year topic index: content/topics.yaml matched against every report.

A pair belongs to a topic when any of the topic's terms occurs in it: Chinese terms as
substrings (养老 inside 养老服务中心), except inside the topic's `not_zh` phrases;
English terms as whole words, case-insensitive, the last word also in its plural.
Figures name a quantity's value per report year; each quote must occur in that year's
text, which also tells which pair the value links to."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from ..content import frontmatter
from ..errors import Problems, fail
from ..content.write import MARK
from ..text.numerals import numbers
from ..content.inline import plain
from ..content.model import Bilingual, Pair, Report
from ..text.chars import is_mostly_chinese
from ..text.files import read_text

KINDS = ("target", "result")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class Topic:
    id: str
    name: Bilingual
    about: Bilingual
    terms_zh: tuple[str, ...]
    terms_en: tuple[str, ...]
    not_zh: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        # One alternation per topic and language: one pass over each text, not one per term.
        self._en = _alternation([_english_term(t) for t in self.terms_en], re.IGNORECASE)
        self._zh = _alternation([re.escape(t) for t in sorted(self.terms_zh, key=len, reverse=True)])
        self._not_zh = _alternation([re.escape(t) for t in self.not_zh])
        # Cheap exact pre-filter: a text can only match if it contains a term's first word.
        self._en_keys = {_stem(t.split()[0].lower()) for t in self.terms_en}

    def spans(self, text: str, lang: str, starts: list[int] | None = None) -> list[tuple[int, int]]:
        """Where the topic's terms occur in a plain text of the given language; `starts`,
        when the caller found them already, are the places a term of this topic begins."""
        if lang == "zh":
            if self._zh is None:
                return []
            starts = _starts(text, self.terms_zh) if starts is None else starts
            if not starts:
                return []
            blocked = [m.span() for m in self._not_zh.finditer(text)] if self._not_zh else []
            found = _spans_at(self._zh, text, starts)
            return [s for s in found if not any(b[0] <= s[0] and s[1] <= b[1] for b in blocked)]
        if self._en is None:
            return []
        starts = _starts(_lower(text), self._en_keys) if starts is None else starts
        return _spans_at(self._en, text, starts)


class Matcher:
    """All topics' terms in two Aho–Corasick automata (Chinese terms; English first-word
    stems, lower case): one pass over a text finds every place any topic's term may begin,
    instead of one scan per topic and term."""

    def __init__(self, topics: list[Topic]) -> None:
        self.topics = topics
        self._zh = _automaton({t: [i for i, topic in enumerate(topics) if t in topic.terms_zh]
                               for topic in topics for t in topic.terms_zh})
        self._en = _automaton({k: [i for i, topic in enumerate(topics) if k in topic._en_keys]
                               for topic in topics for k in topic._en_keys})

    def match(self, zh: str, en: str) -> list[tuple[Topic, list[tuple[int, int]], list[tuple[int, int]]]]:
        """(topic, Chinese spans, English spans) of each topic found, in topics.yaml order."""
        zh_starts, en_starts = _begins(self._zh, zh), _begins(self._en, _lower(en))
        found = []
        for i in sorted(zh_starts.keys() | en_starts.keys()):
            topic = self.topics[i]
            zh_spans = topic.spans(zh, "zh", sorted(zh_starts[i])) if i in zh_starts else []
            en_spans = topic.spans(en, "en", sorted(en_starts[i])) if i in en_starts else []
            if zh_spans or en_spans:
                found.append((topic, zh_spans, en_spans))
        return found


def _automaton(needles: dict[str, list[int]]) -> ahocorasick.Automaton | None:
    if not needles:
        return None
    automaton = ahocorasick.Automaton()
    for needle, owners in needles.items():
        automaton.add_word(needle, (len(needle), owners))
    automaton.make_automaton()
    return automaton


def _begins(automaton: ahocorasick.Automaton | None, text: str) -> dict[int, set[int]]:
    """Topic index → positions in text where one of its needles begins."""
    out: dict[int, set[int]] = {}
    if automaton is None or not text:
        return out
    for end, (length, owners) in automaton.iter(text):
        for owner in owners:
            out.setdefault(owner, set()).add(end - length + 1)
    return out


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


def _stem(word: str) -> str:
    """What every inflection of a term's first word contains: nursery → nurser(ies)."""
    return word[:-1] if len(word) > 2 and word.endswith("y") else word


def _alternation(parts: list[str], flags: int = 0) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in parts), flags) if parts else None


def _lower(text: str) -> str:
    """Lower case with every character where it was (str.lower turns İ into two)."""
    lower = text.lower()
    return lower if len(lower) == len(text) else "".join(c.lower()[0] for c in text)


def _starts(text: str, needles) -> list[int]:
    """Every position where one of the needles occurs (overlaps included): the only
    places a term can begin. Plain `str.find` is far faster than a regex scan."""
    found: set[int] = set()
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            found.add(at)
            at = text.find(needle, at + 1)
    return sorted(found)


def _spans_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[tuple[int, int]]:
    """Every match beginning at one of `starts` (overlapping ones included: 养老 and 老年人
    in 养老年人…); the longest-first alternation decides the match at each start."""
    spans = []
    for at in starts:
        match = pattern.match(text, at)
        if match is not None:
            spans.append(match.span())
    return spans


def _english_term(term: str) -> str:
    words = term.split()
    last = words[-1]
    if re.search(r"[^aeiou]y$", last):
        tail = re.escape(last[:-1]) + "(?:y|ies)"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        tail = re.escape(last) + "(?:es)?"
    else:
        tail = re.escape(last) + "(?:s|es)?"
    body = r"\s+".join([re.escape(w) for w in words[:-1]] + [tail])
    return rf"(?<![\w’']){body}(?![\w’'])"


# ---- loading -------------------------------------------------------------------------

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
        raise fail(path, line, f"topic id {topic_id!r}: use lowercase letters, digits and -")
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
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
        raise fail(path, line, "terms must be lists of non-empty strings")
    return tuple(str(v).strip() for v in value)


def _quantity(item: dict, lines: dict, i: int, path: str) -> Quantity:
    line = lines.get(("figures", i), 1)
    _keys(item, {"id", "topic", "zh", "en", "unit", "values"}, f"figure {item.get('id')!r}", path, line)
    if not isinstance(item.get("values") or [], list):
        raise fail(path, line, "values: must be a list of {year, value, kind, quote}")
    values = []
    for j, raw in enumerate(item.get("values") or []):
        where = lines.get(("figures", i, "values", j), line)
        if not isinstance(raw, dict) or raw.get("kind") not in KINDS or not raw.get("quote"):
            raise fail(path, where, "a value needs year:, value:, kind: target|result and quote:")
        try:
            values.append(Value(int(raw["year"]), float(raw["value"]), raw["kind"],
                                str(raw["quote"]).strip(), where))
        except (KeyError, TypeError, ValueError):
            raise fail(path, where, "year: must be a year and value: a number") from None
    unit = _mapping(item.get("unit"), "unit", path, line)
    return Quantity(str(item.get("id", "")), str(item.get("topic", "")),
                    Bilingual(str(item.get("zh", "")), str(item.get("en", ""))),
                    Bilingual(str(unit.get("zh", "")), str(unit.get("en", ""))), values, line)


def _unique(ids: list[tuple[str, int]], path: str) -> None:
    seen: dict[str, int] = {}
    for item_id, line in ids:
        if item_id in seen:
            raise fail(path, line, f"id {item_id!r} again (first at line {seen[item_id]})")
        seen[item_id] = line


# ---- matching ------------------------------------------------------------------------

Segments = tuple[tuple[str, bool], ...]  # text pieces, True where a term matched


Spans = tuple[tuple[int, int], ...]  # merged (start, end) of the terms found in a text


@dataclass(frozen=True, slots=True)
class Match:
    """One topic found in one pair: where its terms are, and a digest of the passage as
    shown, so a page listing it is re-rendered only when the passage itself changed."""
    topic: str
    zh: Spans
    en: Spans
    digest: str


@dataclass(slots=True)
class Passage:
    report: Report
    pair: Pair
    texts: tuple[str, str]  # the pair's displayed texts (shared, not copied per topic)
    zh_spans: Spans
    en_spans: Spans
    digest: str = ""

    @property
    def zh(self) -> Segments:
        return _segments(self.texts[0], self.zh_spans)

    @property
    def en(self) -> Segments:
        return _segments(self.texts[1], self.en_spans)


@dataclass
class TopicIndex:
    topics: list[Topic]
    quantities: list[Quantity]
    years: list[int]
    passages: dict[str, dict[int, list[Passage]]]  # topic id → year → passages
    of_pair: dict[tuple[str, str], list[str]]  # (report id, pair id) → topic ids
    uncovered: list[tuple[str, str]]  # (report id, pair id) with no topic

    def count(self, topic_id: str, year: int) -> int:
        return len(self.passages[topic_id].get(year, []))

    @property
    def total_pairs(self) -> int:
        return len(self.uncovered) + len(self.of_pair)


def pair_texts(pair: Pair) -> tuple[str, str]:
    """The displayed text of each side: run-in heading included (joined as the page
    shows it: no space in Chinese), note numbers dropped."""
    def side(paras, gap: str) -> str:
        return "\n".join(gap.join(t for t in (plain(p.lead), plain(p.text.replace(MARK, ""))) if t)
                         for p in paras)
    return side(pair.zh, ""), side(pair.en, " ")


def match_report(report: Report, matcher: Matcher) -> tuple[dict[str, tuple[Match, ...]],
                                                             dict[str, tuple[str, str]]]:
    """The topics of each pair of one report, and each pair's displayed texts: all that
    the index needs of a report, so it can be cached with the report's content hash."""
    texts = {p.id: pair_texts(p) for p in report.pairs}
    matches = {}
    for pair_id, (zh, en) in texts.items():
        found = []
        for topic, zh_spans, en_spans in matcher.match(zh, en):
            zh_merged, en_merged = _merge(zh_spans), _merge(en_spans)
            key = hashlib.sha256(repr((report.id, report.year, pair_id, zh, en, zh_merged, en_merged))
                                 .encode()).hexdigest()
            found.append(Match(topic.id, zh_merged, en_merged, key[:20]))
        matches[pair_id] = tuple(found)
    return matches, texts


Matched = dict[str, tuple[dict[str, tuple[Match, ...]], dict[str, tuple[str, str]]]]


def build_index(reports: list[Report], topics: list[Topic], quantities: list[Quantity],
                path: str, matched: Matched | None = None) -> TopicIndex:
    """The index of all reports; `matched` (report id → `match_report`) when the caller
    has it already (from the build cache)."""
    if matched is None:
        matcher = Matcher(topics)
        matched = {r.id: match_report(r, matcher) for r in reports}
    years = sorted({r.year for r in reports})
    index = TopicIndex(topics, quantities, years, {t.id: {} for t in topics}, {}, [])
    memo = {}
    for report in sorted(reports, key=lambda r: (r.year, r.id)):
        memo[report.id] = _contribution(report, *matched[report.id])
        passages, of_pair, uncovered = memo[report.id][:3]
        for topic_id, passage in passages:
            index.passages[topic_id].setdefault(report.year, []).append(passage)
        index.of_pair.update(of_pair)
        index.uncovered += uncovered
    _CONTRIBUTIONS.clear()
    _CONTRIBUTIONS.update(memo)
    by_year: dict[int, list[Report]] = {}
    for report in sorted(reports, key=lambda r: (r.year, r.id)):
        by_year.setdefault(report.year, []).append(report)
    texts = {r.id: matched[r.id][1] for r in reports}
    index.quantities = [_verify(q, by_year, texts, path) for q in quantities]
    return index


_CONTRIBUTIONS: dict[str, tuple] = {}  # the last index's, per report id (see _contribution)


def _contribution(report: Report, matches: dict[str, tuple[Match, ...]],
                  texts: dict[str, tuple[str, str]]) -> tuple:
    """One report's passages, pair topics and uncovered pairs. Reused while the report and
    its matches are the very same objects (the preview's rebuilds: a save changes one)."""
    known = _CONTRIBUTIONS.get(report.id)
    if known is not None and known[3] is report and known[4] is matches:
        return known
    passages, of_pair, uncovered = [], {}, []
    for pair in report.pairs:
        found = matches.get(pair.id, ())
        passages += [(m.topic, Passage(report, pair, texts[pair.id], m.zh, m.en, m.digest)) for m in found]
        if found:
            of_pair[(report.id, pair.id)] = [m.topic for m in found]
        else:
            uncovered.append((report.id, pair.id))
    return passages, of_pair, uncovered, report, matches


def _merge(spans: list[tuple[int, int]]) -> Spans:
    """Overlapping and touching matches merged, in order."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((a, b) for a, b in merged)


def _segments(text: str, merged: Spans) -> Segments:
    """Split text into (piece, marked) at the merged spans."""
    out, at = [], 0
    for start, end in merged:
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return tuple(out)


def _verify(quantity: Quantity, by_year: dict[int, list[Report]], texts: dict, path: str) -> Quantity:
    """Each quote must occur in its year's report; remember the pair it is in.
    `texts`: report id → pair id → (Chinese, English) as displayed."""
    problems = Problems()
    checked = []
    for value in quantity.values:
        candidates = by_year.get(value.year, [])
        if not candidates:
            problems.error(path, value.line, f"{quantity.id}: no report for {value.year}")
            continue
        found = next(((r, p) for r in candidates for p in r.pairs
                      if any(value.quote in text for text in texts[r.id][p.id])), None)
        if found is None:
            problems.error(path, value.line, f"{quantity.id}: quote not found in the "
                                             f"{value.year} report: {value.quote!r}")
            continue
        hard, soft = numbers(value.quote, "zh" if is_mostly_chinese(value.quote) else "en")
        if round(value.value, 6) not in hard | soft:
            problems.error(path, value.line, f"{quantity.id}: value {value.value:g} is not the "
                                             f"number written in its quote {value.quote!r}")
            continue
        checked.append(Value(value.year, value.value, value.kind, value.quote, value.line,
                             found[0].id, found[1].id))
    problems.raise_errors()
    return replace(quantity, values=sorted(checked, key=lambda v: (v.year, KINDS.index(v.kind))))
