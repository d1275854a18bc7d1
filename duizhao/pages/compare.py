"""Compare pages: what changed from one report to the next. One page for each two
consecutive reports of a series, and for each pair site.yaml's `compare:` asks for;
linked from both reports' pages and from the library's report cards.

The page shows the sections matched across the two reports (derive/compare.py), inside
them every paragraph matched, revised, new or dropped, with the differences marked in
both languages; the figures that changed (derive/changes.py); and the terms and topics
that rose and fell (derive/words.py). Python computes all of it; compare.html holds the
HTML."""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any

import jinja2

from ..content import comparisons as requests
from ..content.headings import id_key
from ..content.model import Heading, Report
from ..content.settings import SiteInfo
from ..derive.changes import FigureRow, figure_changes, figure_rows
from ..derive.compare import Comparison, Section, compare, report_side
from ..derive.similar import Side
from ..derive.topic_index import pair_texts
from ..derive.words import Terms, WordChange, count_terms, term_changes, topic_changes, vocabulary
from ..text.chars import han_count
from ..text.numerals import to_roman
from .render import number, page
from .urls import compare_url, pair_url, topic_year_url


@dataclass(frozen=True)
class Pairing:
    """Two reports a compare page is made for, the older first."""

    old: Report
    new: Report

    @property
    def path(self) -> str:
        return compare_url(self.old, self.new)

    @property
    def label(self) -> str:
        if self.old.series == self.new.series:
            return f"{self.old.name} → {self.new.name}"
        return f"{self.old.id} → {self.new.id}"


def comparisons(reports: list[Report], site: SiteInfo) -> list[Pairing]:
    """Consecutive reports of each series, then site.yaml's requests (checked: an unknown
    id is an error on its line), each pair once, sorted by path."""
    by_id = {r.id: r for r in reports}
    requests.check(site.compare, by_id)
    series: dict[str, list[Report]] = {}
    for report in reports:
        series.setdefault(report.series, []).append(report)
    found = {}
    for members in series.values():
        ordered = sorted(members, key=lambda r: (r.year, r.id))
        for old, new in zip(ordered, ordered[1:]):
            found[(old.id, new.id)] = Pairing(old, new)
    for entry in site.compare:
        old, new = sorted((by_id[entry.old], by_id[entry.new]), key=lambda r: (r.year, r.id))
        found.setdefault((old.id, new.id), Pairing(old, new))
    return sorted(found.values(), key=lambda p: p.path)


def links(pairings: list[Pairing]) -> dict[str, list[Pairing]]:
    """Report id → the compare pages it is in, oldest first."""
    out: dict[str, list[Pairing]] = {}
    for pairing in sorted(pairings, key=lambda p: (p.old.year, p.new.year, p.path)):
        for report in (pairing.old, pairing.new):
            out.setdefault(report.id, []).append(pairing)
    return out


MEMO = 8  # reports whose comparison facts a process keeps (pages come in path order: neighbours)


@dataclass(frozen=True)
class Facts:
    """What every comparison of one report reads of it: pair id → its topic ids and
    (Chinese, English) as shown, its `report_side` and each pair's terms (`count_terms`)."""

    topics: dict[str, list[str]]
    texts: dict[str, tuple[str, str]]
    side: Side
    terms: Terms


@dataclass
class Inputs:
    """What a compare page needs of the build besides the two reports: per report id,
    its topic matches (pair id → Match tuple) and sentence alignments (pair id →
    Alignment); the topic index (None without topics.yaml). A report is compared with
    the one before and the one after it: its `facts` are made once and kept for the
    next page (the last MEMO reports' facts, in each process)."""

    matches: dict[str, dict]
    alignments: dict[str, dict]
    index: Any = None
    memo: OrderedDict = field(default_factory=OrderedDict, repr=False)

    def facts(self, report: Report) -> Facts:
        found = self.memo.get(report.id)
        if found is None:
            topics = {pid: [m.topic for m in matched] for pid, matched in self.matches.get(report.id, {}).items()}
            texts = {p.id: pair_texts(p) for p in report.pairs}
            terms = vocabulary(self.index.topics) if self.index else set()
            found = self.memo[report.id] = Facts(
                topics, texts, report_side(report, texts, topics),
                count_terms({pid: zh for pid, (zh, _) in texts.items()}, terms))
            while len(self.memo) > MEMO:
                self.memo.popitem(last=False)
        self.memo.move_to_end(report.id)
        return found


def compare_page(env: jinja2.Environment, pairing: Pairing, site: SiteInfo, inputs: Inputs) -> str:
    old, new = pairing.old, pairing.new
    index = inputs.index
    facts = (inputs.facts(old), inputs.facts(new))
    matches = (inputs.matches.get(old.id, {}), inputs.matches.get(new.id, {}))
    texts = (facts[0].texts, facts[1].texts)
    found = compare(old, new, texts, (facts[0].topics, facts[1].topics), (facts[0].side, facts[1].side))
    scope = _scope(found)
    rows = figure_rows(found, index.quantities if index else [])
    beads = [b for side, report in enumerate((old, new)) for pid in scope[side]
             for b in _beads(inputs.alignments.get(report.id, {}).get(pid))]
    rose, fell = term_changes((facts[0].terms, facts[1].terms), scope, index.topics if index else [], beads)
    topic_rose, topic_fell = _topics(found, scope, matches, index)
    return page(env, "compare.html", pairing.path, site, pairing=pairing, old=old, new=new,
                cmp=found, summary=_summary(found), rows=rows, rose=rose, fell=fell,
                topic_rose=topic_rose, topic_fell=topic_fell, label=section_label,
                figures_of=figure_changes, number=number, percent=_percent,
                pair_href=pair_url, topic_href=_topic_links(index, old, new),
                series=site.series_of(new.series), old_series=site.series_of(old.series),
                unheld=_unheld(found))


def _scope(found: Comparison) -> tuple[list[str], list[str]]:
    """The pair ids of the compared sections, in each report: what both hold."""
    olds, news = found.old.pairs, found.new.pairs
    return ([olds[i].id for m in found.sections for i in m.old.pairs],
            [news[j].id for m in found.sections for j in m.new.pairs])


def _beads(alignment) -> list[tuple[str, str]]:
    return alignment.sentence_pairs() if alignment is not None else []


def _topics(found: Comparison, scope: tuple, matches: tuple, index) -> tuple[list[WordChange], list[WordChange]]:
    """Topics whose terms' occurrences changed most in the compared sections."""
    if index is None:
        return [], []
    counts = (Counter(), Counter())
    for side in (0, 1):
        for pid in scope[side]:
            for match in matches[side].get(pid, ()):
                counts[side][match.topic] += len(match.zh)
    sizes = tuple(sum(han_count(found.texts[side][pid][0]) for pid in scope[side]) for side in (0, 1))
    return topic_changes(counts, sizes, index.topics)


def _topic_links(index, old: Report, new: Report):
    """topic → (link to its passages in the old year, in the new), None where there are none."""
    def links(topic) -> tuple[str | None, str | None]:
        if index is None:
            return None, None
        columns = index.passages.get(topic.id, {})
        return tuple(topic_year_url(topic, r.series, r.year) if (r.series, r.year) in columns else None
                     for r in (old, new))
    return links


def _summary(found: Comparison) -> dict[str, int]:
    kinds = Counter(item.kind for m in found.sections for item in m.items)
    figures = sum(1 for m in found.sections for item in m.items if item.zh and item.zh.numbers)
    return {"sections": len(found.sections), "same": kinds["same"], "changed": kinds["changed"],
            "new": kinds["new"], "dropped": kinds["dropped"], "figures": figures}


def _unheld(found: Comparison) -> list[tuple[str, Report, str]]:
    """What is not compared, as (why, the report that holds it, what: `Part I`, `Part II
    sections 8–9, 11`)."""
    out = []
    for report, other, parts, loose in ((found.old, found.new, found.parts_old, found.only_old),
                                        (found.new, found.old, found.parts_new, found.only_new)):
        if parts:
            out.append(("part", report, _grouped([h for h in parts])))
        if loose:
            why = "excerpt" if _excerpts(other) else "section"
            out.append((why, report, _grouped([s.heading for s in loose])))
    return out


def _grouped(headings: list[Heading | None]) -> str:
    """`Part II sections 8–9, 11–12; Part I item 3`: headings grouped by part and kind,
    numbers in runs; a heading without a number by its label."""
    groups: dict[tuple[str, str], list[int]] = {}
    loose: list[str] = []
    for heading in headings:
        key = id_key(heading.id) if heading is not None else None
        if key is None or (key[1] and key[2]) or not (key[1] or key[2]):
            loose.append(section_label(heading))
            continue
        part = f"Part {to_roman(key[0])} " if key[0] else ""
        kind = "section" if key[1] else "item"
        groups.setdefault((part, kind), []).append(key[1] or key[2])
    out = [f"{part}{kind}{'s' if len(numbers) > 1 else ''} {_runs(sorted(numbers))}"
           for (part, kind), numbers in groups.items()]
    return "; ".join(out + loose)


def _runs(numbers: list[int]) -> str:
    """[8, 9, 11] → `8–9, 11`."""
    out: list[list[int]] = []
    for n in numbers:
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ", ".join(f"{a}–{b}" if b > a else f"{a}" for a, b in out)


def _excerpts(report: Report) -> bool:
    """The site holds excerpts of this report (its sources say what they cover)."""
    return any(source.covers for source in report.sources)


def section_label(heading: Heading | Section | None) -> str:
    """`Part II section 10`, `Part I item 3`, `Part II`; the id when it is free-form."""
    if isinstance(heading, Section):
        heading = heading.heading
    if heading is None:
        return "the opening"
    key = id_key(heading.id)
    if key is None:
        return heading.id
    part, section, item = key
    words = [f"Part {to_roman(part)}"] if part else []
    words += [f"section {section}"] if section else []
    words += [f"item {item}"] if item else []
    return " ".join(words) or heading.id


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:+.0f}%".replace("-", "−")


__all__ = ["FigureRow", "Inputs", "Pairing", "compare_page", "comparisons", "links", "section_label"]
