"""The cross-year topic index: every report matched against the topics, passages grouped
by topic and year, and each figure's quote verified against its year's text (which also
tells the pair a value links to)."""

from __future__ import annotations

import hashlib
from array import array
from typing import Iterable, Iterator
from dataclasses import dataclass, field, replace

from ..content.inline import plain, strip_marks
from ..content.model import Pair, Report
from ..errors import Problems
from ..text.chars import is_mostly_chinese
from ..text.numerals import numbers
from ..text.script import simplified
from .topic_file import KINDS, Quantity, Value
from .topic_terms import Matcher, Topic


Segments = tuple[tuple[str, bool], ...]  # text pieces, True where a term matched


class Spans:
    """The merged (start, end) places of a topic's terms in a text, packed: iterates as
    (start, end) pairs, `len` is how many. A build keeps one per topic a pair falls under
    (55,000 at 1,000 reports); as tuples of int pairs they took 41 MB, packed 6 MB. Shown
    (repr, which match digests use) as the tuple of pairs; equal to Spans of the same pairs."""

    __slots__ = ("packed",)

    def __init__(self, pairs: Iterable[tuple[int, int]] = ()) -> None:
        self.packed = array("I", [v for pair in pairs for v in pair]).tobytes()

    def __iter__(self) -> Iterator[tuple[int, int]]:
        values = array("I")
        values.frombytes(self.packed)
        return zip(values[::2], values[1::2])

    def __len__(self) -> int:
        return len(self.packed) // _PAIR

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Spans):
            return NotImplemented
        return other.packed == self.packed

    def __hash__(self) -> int:
        return hash(self.packed)

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self):
        return (_unpacked, (self.packed,))


_PAIR = 2 * array("I").itemsize  # bytes a (start, end) pair takes


def _unpacked(packed: bytes) -> Spans:
    spans = Spans()
    spans.packed = packed
    return spans


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
    strength: tuple[int, int] = (0, 0)  # made from the spans (__post_init__), never given

    def __post_init__(self) -> None:
        """How well the passage matches its topic: distinct terms found (養老 and 老年人 count
        two, 养老 twice counts one), then how many times in all. Made once: every plan
        picks each topic's best passage of each report year by it."""
        zh = {self.texts[0][a:b] for a, b in self.zh_spans}
        en = {self.texts[1][a:b].lower() for a, b in self.en_spans}
        self.strength = (len(zh) + len(en), len(self.zh_spans) + len(self.en_spans))

    @property
    def zh(self) -> Segments:
        return _segments(self.texts[0], self.zh_spans)

    @property
    def en(self) -> Segments:
        return _segments(self.texts[1], self.en_spans)


Column = tuple[str, int]  # (series id, year): one report's place in the index


@dataclass
class TopicIndex:
    topics: list[Topic]
    quantities: list[Quantity]
    years: dict[str, list[int]]  # series id → its report years, series in the site's order
    passages: dict[str, dict[Column, list[Passage]]]  # topic id → (series, year) → passages
    of_pair: dict[tuple[str, str], list[str]]  # (report id, pair id) → topic ids
    uncovered: list[tuple[str, str]]  # (report id, pair id) with no topic
    # topic id → (series, year) → the passage there that best matches the topic (most
    # distinct terms, then most matches; the earliest of equals): where chips lead
    best: dict[str, dict[Column, Passage]] = field(default_factory=dict)

    def count(self, topic_id: str, series: str, year: int) -> int:
        return len(self.passages[topic_id].get((series, year), []))

    @property
    def series(self) -> list[str]:
        return list(self.years)

    @property
    def all_years(self) -> list[int]:
        return sorted({y for years in self.years.values() for y in years})

    @property
    def total_pairs(self) -> int:
        return len(self.uncovered) + len(self.of_pair)


def pair_texts(pair: Pair) -> tuple[str, str]:
    """The displayed text of each side: run-in heading included (joined as the page
    shows it: no space in Chinese), note numbers dropped."""
    def side(paras, gap: str) -> str:
        return "\n".join(gap.join(t for t in (plain(p.lead), plain(strip_marks(p.text))) if t)
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
        for topic, zh_spans, en_spans in matcher.match(simplified(zh), en):  # (terms are Simplified; spans hold)
            zh_merged, en_merged = _merge(zh_spans), _merge(en_spans)
            key = hashlib.sha256(repr((report.id, report.year, pair_id, zh, en, zh_merged, en_merged))
                                 .encode()).hexdigest()
            found.append(Match(topic.id, zh_merged, en_merged, key[:20]))
        matches[pair_id] = tuple(found)
    return matches, texts


Matched = dict[str, tuple[dict[str, tuple[Match, ...]], dict[str, tuple[str, str]]]]


def build_index(reports: list[Report], topics: list[Topic], quantities: list[Quantity],
                path: str, matched: Matched | None = None, reuse: dict | None = None,
                series_order: tuple[str, ...] = ()) -> TopicIndex:
    """The index of all reports; `matched` (report id → `match_report`) when the caller
    has it already (from the build cache); `reuse` holds each report's contribution from
    the last index (the caller's memo: build.cache.CONTRIBUTIONS), refreshed here.
    Series come in `series_order` (site.yaml's), then any other by id."""
    if matched is None:
        matcher = Matcher(topics)
        matched = {r.id: match_report(r, matcher) for r in reports}
    rank = {s: k for k, s in enumerate(series_order)}
    ordered = sorted(reports, key=lambda r: (rank.get(r.series, len(rank)), r.series, r.year, r.id))
    years: dict[str, list[int]] = {}
    for report in ordered:
        if report.year not in years.setdefault(report.series, []):
            years[report.series].append(report.year)
    index = TopicIndex(topics, quantities, years, {t.id: {} for t in topics}, {}, [])
    memo = {}
    for report in ordered:
        memo[report.id] = _contribution(report, *matched[report.id], reuse)
        passages, of_pair, uncovered, best = memo[report.id][:4]
        column = (report.series, report.year)
        for topic_id, passage in passages:
            index.passages[topic_id].setdefault(column, []).append(passage)
        for topic_id, passage in best.items():  # a column's reports in order: the earliest of equals
            known = index.best.setdefault(topic_id, {}).get(column)
            if known is None or passage.strength > known.strength:
                index.best[topic_id][column] = passage
        index.of_pair.update(of_pair)
        index.uncovered += uncovered
    if reuse is not None:
        reuse.clear()
        reuse.update(memo)
    by_column: dict[Column, list[Report]] = {}
    for report in ordered:
        by_column.setdefault((report.series, report.year), []).append(report)
    texts = {r.id: matched[r.id][1] for r in reports}
    default = series_order[0] if series_order else (ordered[0].series if ordered else "")
    index.quantities = [_verify(q, by_column, texts, path, default) for q in quantities]
    return index


def _contribution(report: Report, matches: dict[str, tuple[Match, ...]],
                  texts: dict[str, tuple[str, str]], reuse: dict | None) -> tuple:
    """One report's passages, pair topics, uncovered pairs and best passage on each topic.
    Reused while the report and its matches are the very same objects (the preview's
    rebuilds: a save changes one)."""
    known = reuse.get(report.id) if reuse is not None else None
    if known is not None and known[4] is report and known[5] is matches:
        return known
    passages, of_pair, uncovered, best = [], {}, [], {}
    for pair in report.pairs:
        found = matches.get(pair.id, ())
        for m in found:
            passage = Passage(report, pair, texts[pair.id], m.zh, m.en, m.digest)
            passages.append((m.topic, passage))
            if m.topic not in best or passage.strength > best[m.topic].strength:
                best[m.topic] = passage
        if found:
            of_pair[(report.id, pair.id)] = [m.topic for m in found]
        else:
            uncovered.append((report.id, pair.id))
    return passages, of_pair, uncovered, best, report, matches


def _merge(spans: list[tuple[int, int]]) -> Spans:
    """Overlapping and touching matches merged, in order."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return Spans((a, b) for a, b in merged) if merged else _NO_SPANS


_NO_SPANS = Spans()  # one for every side a topic has no term on


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


def _verify(quantity: Quantity, by_column: dict[Column, list[Report]], texts: dict, path: str,
            default: str) -> Quantity:
    """Each quote must occur in its year's report of the figure's series (a Beijing
    target is not a national one); remember the pair it is in. `texts`: report id → pair
    id → (Chinese, English) as displayed."""
    problems = Problems()
    checked = []
    series = quantity.series or default
    for value in quantity.values:
        candidates = by_column.get((series, value.year), [])
        if not candidates:
            problems.error(path, value.line, f"{quantity.id}: no {series} report for {value.year}")
            continue
        found = next(((r, p) for r in candidates for p in r.pairs
                      if any(value.quote in text for text in texts[r.id][p.id])), None)
        if found is None:  # in the other script (a Traditional report, or a quote so written)
            quote = simplified(value.quote)
            found = next(((r, p) for r in candidates for p in r.pairs
                          if any(quote in simplified(text) for text in texts[r.id][p.id])), None)
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
    return replace(quantity, series=series,
                   values=sorted(checked, key=lambda v: (v.year, KINDS.index(v.kind))))
