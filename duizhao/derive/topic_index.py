"""The cross-year topic index: every report matched against the topics, passages grouped
by topic and year, and each figure's quote verified against its year's text (which also
tells the pair a value links to)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from ..content.inline import plain, strip_marks
from ..content.model import Pair, Report
from ..errors import Problems
from ..text.chars import is_mostly_chinese
from ..text.numerals import numbers
from .topic_file import KINDS, Quantity, Value
from .topic_terms import Matcher, Topic


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
        for topic, zh_spans, en_spans in matcher.match(zh, en):
            zh_merged, en_merged = _merge(zh_spans), _merge(en_spans)
            key = hashlib.sha256(repr((report.id, report.year, pair_id, zh, en, zh_merged, en_merged))
                                 .encode()).hexdigest()
            found.append(Match(topic.id, zh_merged, en_merged, key[:20]))
        matches[pair_id] = tuple(found)
    return matches, texts


Matched = dict[str, tuple[dict[str, tuple[Match, ...]], dict[str, tuple[str, str]]]]


def build_index(reports: list[Report], topics: list[Topic], quantities: list[Quantity],
                path: str, matched: Matched | None = None, reuse: dict | None = None) -> TopicIndex:
    """The index of all reports; `matched` (report id → `match_report`) when the caller
    has it already (from the build cache); `reuse` holds each report's contribution from
    the last index (the caller's memo: build.cache.CONTRIBUTIONS), refreshed here."""
    if matched is None:
        matcher = Matcher(topics)
        matched = {r.id: match_report(r, matcher) for r in reports}
    years = sorted({r.year for r in reports})
    index = TopicIndex(topics, quantities, years, {t.id: {} for t in topics}, {}, [])
    memo = {}
    for report in sorted(reports, key=lambda r: (r.year, r.id)):
        memo[report.id] = _contribution(report, *matched[report.id], reuse)
        passages, of_pair, uncovered = memo[report.id][:3]
        for topic_id, passage in passages:
            index.passages[topic_id].setdefault(report.year, []).append(passage)
        index.of_pair.update(of_pair)
        index.uncovered += uncovered
    if reuse is not None:
        reuse.clear()
        reuse.update(memo)
    by_year: dict[int, list[Report]] = {}
    for report in sorted(reports, key=lambda r: (r.year, r.id)):
        by_year.setdefault(report.year, []).append(report)
    texts = {r.id: matched[r.id][1] for r in reports}
    index.quantities = [_verify(q, by_year, texts, path) for q in quantities]
    return index


def _contribution(report: Report, matches: dict[str, tuple[Match, ...]],
                  texts: dict[str, tuple[str, str]], reuse: dict | None) -> tuple:
    """One report's passages, pair topics and uncovered pairs. Reused while the report and
    its matches are the very same objects (the preview's rebuilds: a save changes one)."""
    known = reuse.get(report.id) if reuse is not None else None
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
