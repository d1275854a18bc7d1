"""Topic pages: the matrix and A–Z lists (topics/), one page per topic (topics/<id>/:
figures and counts), one per report year with its passages, a section per topic
(<series>/<year>/topics/#<id>), and the topic chips under each pair of a report page.
Python computes the numbers (counts, chart geometry, orderings); the templates hold the
HTML."""

from __future__ import annotations

import gc
import importlib.util
import os
import sys
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

import jinja2

from .. import toolcache
from ..content.model import Report
from ..content.settings import SiteInfo
from .outline import places
from .render import headline, number, page
from .urls import TOPICS, relative, report_url, topic_url, year_topics_url
from ..derive.topic_file import Quantity
from ..derive.topic_index import Column, TopicIndex
from ..derive.topic_terms import Topic
from ..text.numerals import numbers

CHART_WIDTH, ROW, LABEL = 560, 26, 150  # SVG units: width, bar row height, least label column
# SVG units a character of a label or value may take: 0.6 em of the largest font the chart
# text is drawn in (23, on the narrowest phones, where the chart is scaled to half: see
# pages.css), so no text runs past the chart at any width.
CHAR = 13.8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    label: str
    value: str
    kind: str


@dataclass(frozen=True)
class Chip:
    year: int
    href: str  # relative to the report page
    series: str = ""  # another series' name, for a chip to the same year there
    label: str = ""  # what it shows: `2023`, `State Council 2025`
    title: str = ""  # what it names: `Elderly care · 2023` (its title and accessible name)
    more: bool = False  # the chip for the rest of the other series: to the topic's page


def _chip(topic: Topic, year: int, href: str, series: str = "") -> Chip:
    """A chip with its texts made once here: a report page holds thousands of chips
    when there are many series, and composing each text three times in the template
    was most of that page's rendering."""
    label = f"{series} {year}" if series else str(year)
    return Chip(year, href, series, label, f"{topic.name.en} · {label}")


def chart(quantity: Quantity) -> tuple[list[Bar], int]:
    """Horizontal bars, one per value, scaled to the largest; and the SVG height."""
    top = max((v.value for v in quantity.values), default=0) or 1
    labels = [f"{v.about} {v.kind}" for v in quantity.values]
    figures = [number(v.value) for v in quantity.values]
    left = max([LABEL] + [round(CHAR * len(label)) + 8 for label in labels])
    span = max(40, CHART_WIDTH - left - max([0] + [round(CHAR * len(f)) + 12 for f in figures]))
    bars = [Bar(left, i * ROW + 4, max(2.0, round(v.value / top * span, 1)), label, figure, v.kind)
            for i, (v, label, figure) in enumerate(zip(quantity.values, labels, figures))]
    return bars, len(bars) * ROW + 8


def english_groups(topics: list[Topic]) -> list[tuple[str, list[Topic]]]:
    return _groups(sorted(topics, key=lambda t: t.name.en.lower()), lambda t: t.name.en[:1].upper())


def pinyin_groups(topics: list[Topic]) -> list[tuple[str, list[Topic]]]:
    """Chinese names ordered by their pinyin, grouped by its first letter."""
    keys = pinyin_of([t.name.zh for t in topics])
    ordered = sorted(topics, key=lambda t: keys[t.name.zh])
    return _groups(ordered, lambda t: (keys[t.name.zh] or ["#"])[0][:1].upper())


_PINYIN: dict[str, list[str]] = {}  # a Chinese name → its pinyin, for the life of the process


def pinyin_of(names: list[str]) -> dict[str, list[str]]:
    """Each name's pinyin (pypinyin: phrases read as words, 重庆 chong qing). pypinyin's
    dictionaries take 0.2–0.3 s and 57 MB to load: names read before are found in the tool
    cache (toolcache.py); pypinyin is loaded only for names not seen before and let go
    again when this process had not loaded it itself, so neither a build's worker nor the
    preview holds it (at 1,000 reports it was the build's peak)."""
    missing = sorted({n for n in names if n not in _PINYIN})
    stored: dict = {}
    if missing:
        entry = _pinyin_entry()
        found = toolcache.load(entry)
        stored = found if isinstance(found, dict) else {}
        _PINYIN.update((n, stored[n]) for n in missing if isinstance(stored.get(n), list))
        missing = [n for n in missing if n not in _PINYIN]
    if missing:
        had = "pypinyin" in sys.modules
        from pypinyin import lazy_pinyin
        _PINYIN.update((name, lazy_pinyin(name)) for name in missing)
        if not had:
            for module in [m for m in sys.modules if m == "pypinyin" or m.startswith("pypinyin.")]:
                del sys.modules[module]
            del lazy_pinyin
            gc.collect()  # (modules are cycles; a full pass, but only when new names come)
        kept = list({**stored, **{n: _PINYIN[n] for n in missing}}.items())[-PINYIN_KEPT:]
        toolcache.save(entry, dict(kept))
    return {name: _PINYIN[name] for name in names}


PINYIN_KEPT = 20_000  # names the tool cache keeps the pinyin of (the latest)


@lru_cache(maxsize=1)
def _pinyin_entry() -> str:
    """The tool cache's entry for this copy of pypinyin (its dictionaries' size and mtime)."""
    spec = importlib.util.find_spec("pypinyin")
    folder = os.path.dirname(spec.origin) if spec and spec.origin else ""
    stamps = []
    for part in ("__init__.py", "phrases_dict.py", "pinyin_dict.py"):
        try:
            stat = os.stat(os.path.join(folder, part))
            stamps.append((part, stat.st_size, stat.st_mtime_ns))
        except OSError:
            stamps.append((part, None))
    return f"pinyin-{toolcache.key(folder, stamps, toolcache.source_of(__file__))}.marshal"


def _groups(items: list[Topic], letter) -> list[tuple[str, list[Topic]]]:
    groups: list[tuple[str, list[Topic]]] = []
    for item in items:
        if not groups or groups[-1][0] != letter(item):
            groups.append((letter(item), []))
        groups[-1][1].append(item)
    return groups


NEAR = 2  # year chips on each side of the report's own year, in its series


@dataclass(frozen=True)
class Landings:
    """Where topic chips and year navs lead, made once for all of a site's pages (each
    page reads a few entries; scanning the index per chip was quadratic in the reports):
    topic id → its (series, year) columns with passages, sorted (`columns`); topic id →
    column → the address of that report's passage that best matches the topic (`first`:
    most distinct terms, then most matches, the earliest of equals; the topic in the
    query, `?topic=elderly-care#p2-s10-5`, so the page marks its terms on landing);
    topic id → series → its years with passages, ascending (`years`); topic id → year →
    the series with passages that year, in the site's order (`series`)."""

    columns: dict[str, list[Column]]
    first: dict[str, dict[Column, str]]
    years: dict[str, dict[str, list[int]]]
    series: dict[str, dict[int, list[str]]]


def landings(index: TopicIndex) -> Landings:
    """One pass over the index's columns, and two sorts of each topic's."""
    order = {series: k for k, series in enumerate(index.series)}
    columns = {topic_id: sorted(by_column) for topic_id, by_column in index.passages.items()}
    first = {topic_id: {c: _landing(index.best[topic_id][c], topic_id) for c in found}
             for topic_id, found in columns.items()}
    years: dict[str, dict[str, list[int]]] = {}
    series: dict[str, dict[int, list[str]]] = {}
    for topic_id, found in columns.items():
        for s, y in found:
            years.setdefault(topic_id, {}).setdefault(s, []).append(y)
        for s, y in sorted(found, key=lambda c: (order.get(c[0], len(order)), c[0])):
            series.setdefault(topic_id, {}).setdefault(y, []).append(s)
    return Landings(columns, first, years, series)


def _landing(passage, topic_id: str) -> str:
    return f"{report_url(passage.report)}?topic={topic_id}#{passage.pair.id}"


def chips(index: TopicIndex, report: Report, site: SiteInfo,
          lands: Landings | None = None) -> dict[str, list[tuple[Topic, list[Chip]]]]:
    """For each pair: its topics, each with the nearest other years of the report's
    series (two before, two after) and the same year in other series (a few, then one
    chip for the rest), that have passages on it, linking straight to the first of them.
    Only those links, no counts: a report page changes when another report changes which
    years have a topic, not whenever a passage is added somewhere."""
    lands = lands if lands is not None else landings(index)
    topics = {t.id: t for t in index.topics}
    here = report_url(report)
    out: dict[str, list[tuple[Topic, list[Chip]]]] = {}
    for pair in report.pairs:
        entries = []
        for topic_id in index.of_pair.get((report.id, pair.id), []):
            found = lands.first[topic_id]
            own = lands.years[topic_id].get(report.series, [])
            years = own[max(0, bisect_left(own, report.year) - NEAR):bisect_left(own, report.year)]
            years += own[bisect_right(own, report.year):][:NEAR]
            topic = topics[topic_id]
            chips_ = [_chip(topic, y, relative(here, found[(report.series, y)])) for y in years]
            others = [s for s in lands.series[topic_id].get(report.year, []) if s != report.series]
            chips_ += _other_series(topic, report, site, found, others, here)
            entries.append((topic, chips_))
        out[pair.id] = entries
    return out


OTHER_SERIES = 2  # chips to the same year in other series, at most: then one to the topic's page


def _other_series(topic: Topic, report: Report, site: SiteInfo, found: dict[Column, str],
                  others: list[str], here: str) -> list[Chip]:
    """Chips to the same year in the other series that have passages on the topic
    (`others`, in the site's order of series): the first OTHER_SERIES, then one chip for
    the rest, to the topic's page (which has every series and year). Bounded, so a page's
    size does not grow with the number of series (at 32 series, one chip per series was
    90% of a report page's bytes)."""
    out = [_chip(topic, report.year, relative(here, found[(s, report.year)]), site.series_of(s).name.en or s)
           for s in others[:OTHER_SERIES]]
    rest = len(others) - OTHER_SERIES
    if rest > 0:
        out.append(Chip(report.year, relative(here, topic_url(topic)), "", f"+{rest}",
                        f"{topic.name.en} · {report.year} in {rest} more series", more=True))
    return out


# The topic index shows the whole matrix (topics × years, a row group per series) for at
# most this many series; a bigger library's matrix was megabytes (32 series × 35 topics ×
# 32 years: 6.7 MB), so there it lists the series, and each series page has its own.
MATRIX_SERIES = 4


def matrix(index: TopicIndex, site: SiteInfo, held: dict[Column, str],
           only: str | None = None) -> list[tuple[object, list[int], list]]:
    """Row groups of the topic matrix: (series, its years, rows); a row is (topic, cells,
    total), a cell (count, what the site holds of that report: "" when all of it) or
    None where the series has no report that year. A 0 in a report the site holds only
    parts of says so: the topic may be in the parts it lacks. Columns are every year of
    the site, or, for `only` one series (its page), that series' years."""
    columns = index.years.get(only, []) if only else index.all_years
    groups = []
    for series in [only] if only else index.series:
        own = set(index.years.get(series, ()))
        rows = []
        for topic in index.topics:
            cells = [(index.count(topic.id, series, y), held.get((series, y), "")) if y in own else None
                     for y in columns]
            rows.append((topic, cells, sum(c[0] for c in cells if c)))
        groups.append((site.series_of(series), sorted(own), rows))
    return groups


def series_rows(index: TopicIndex, site: SiteInfo) -> list[tuple[object, list[int], int]]:
    """The topic index of a big library: each series with its years and how many
    passages its reports have on any topic."""
    return [(site.series_of(s), years, sum(len(found) for columns in index.passages.values()
                                           for (series, _), found in columns.items() if series == s))
            for s, years in index.years.items()]


def topics_page(env: jinja2.Environment, index: TopicIndex, site: SiteInfo,
                held: dict[Column, str] | None = None) -> str:
    """`held`: (series, year) → what the site holds of a report that is only excerpts."""
    whole = len(index.series) <= MATRIX_SERIES
    return page(env, "topics.html", TOPICS, site, index=index,
                matrix=matrix(index, site, held or {}) if whole else None,
                series_rows=None if whole else series_rows(index, site),
                english=english_groups(index.topics), chinese=pinyin_groups(index.topics))


def topic_page(env: jinja2.Environment, index: TopicIndex, topic: Topic, site: SiteInfo,
               english: dict[tuple[str, str, str], str] | None = None) -> str:
    """`english`: (report, pair, quote) → the English sentence(s) aligned with the quote."""
    quantities = [q for q in index.quantities if q.topic == topic.id]
    return page(env, "topic.html", topic_url(topic), site, index=index, topic=topic,
                quantities=quantities, charts={q.id: chart(q) for q in quantities},
                number=number, chart_width=CHART_WIDTH, series_of=site.series_of,
                english=english or {})


def quote_english(quantities: list, alignments: dict) -> dict[tuple[str, str, str], str]:
    """Each figure's quote in English: of the aligned English of the bead whose Chinese
    holds the quote, the sentences that state the quote's figure (alignments: report id
    → pair id → derive.align.Alignment)."""
    out = {}
    for quantity in quantities:
        for value in quantity.values:
            alignment = alignments.get(value.report, {}).get(value.pair)
            if alignment is None:
                continue
            for zh, en in alignment.beads:
                if value.quote in "".join(alignment.zh[i].plain for i in zh):
                    out[(value.report, value.pair, value.quote)] = stating(
                        value.quote, [alignment.en[j].plain.strip() for j in en])
                    break
    return out


def stating(quote: str, sentences: list[str]) -> str:
    """The sentences that state a Chinese quote's figures, of a bead's English (a 1–5 bead
    is five sentences of 500 characters, the figure in one of them): those sharing a
    number written in digits with it (26万 = 260,000), else a number in words (万亿 = one
    trillion); all of them where none does."""
    hard, soft = numbers(quote, "zh")
    for wanted in (hard, hard | soft):
        found = [s for s in sentences if wanted and not wanted.isdisjoint(frozenset().union(*numbers(s, "en")))]
        if found:
            return " ".join(found)
    return " ".join(sentences)


@dataclass(frozen=True)
class Section:
    """One topic's passages in one report year of a series, and the years of that
    series that have passages on it (its year nav)."""
    topic: Topic
    passages: list
    years: list[int]


def year_sections(index: TopicIndex, series: str, year: int, lands: Landings | None = None) -> list[Section]:
    """The sections of a report year's topics page, in the order of topics.yaml: only the
    topics it has passages on."""
    lands = lands if lands is not None else landings(index)
    return [Section(topic, found[(series, year)], lands.years[topic.id][series])
            for topic in index.topics if (series, year) in (found := index.passages[topic.id])]


def year_topics_page(env: jinja2.Environment, sections: list[Section], series: str, year: int,
                     reports: list[Report], site: SiteInfo) -> str:
    """Every topic's passages in one report year of one series, a section each
    (`year_sections`, made only when the page is rendered): one page per report, so the
    site's files grow with its reports, not with topics × years.
    `reports`: the reports of that year and series (usually one)."""
    where = {r.id: places(r) for r in reports}
    return page(env, "year_topics.html", year_topics_url(series, year), site, sections=sections,
                place=lambda p: where[p.report.id][p.pair.id], headline=headline, year=year,
                series=site.series_of(series), reports=reports, multiple=len(reports) > 1)
