"""Topic pages: the matrix and A–Z lists (topics/), one page per topic (topics/<id>/:
figures and counts), one per topic and year with passages (topics/<id>/<year>/),
and the topic chips under each pair of a report page. Python computes the numbers
(counts, chart geometry, orderings); the templates hold the HTML."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from ..content.model import Report
from ..content.settings import SiteInfo
from .render import number, page
from .urls import TOPICS, pair_url, relative, report_url, topic_url, topic_year_url
from ..derive.topic_file import Quantity
from ..derive.topic_index import TopicIndex
from ..derive.topic_terms import Topic

CHART_WIDTH, ROW, LABEL = 560, 26, 150  # SVG units: width, bar row height, label column


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


def chart(quantity: Quantity) -> tuple[list[Bar], int]:
    """Horizontal bars, one per value, scaled to the largest; and the SVG height."""
    top = max((v.value for v in quantity.values), default=0) or 1
    span = CHART_WIDTH - LABEL - 90
    bars = [Bar(LABEL, i * ROW + 4, max(2.0, round(v.value / top * span, 1)),
                f"{v.about} {v.kind}", number(v.value), v.kind)
            for i, v in enumerate(quantity.values)]
    return bars, len(bars) * ROW + 8


def english_groups(topics: list[Topic]) -> list[tuple[str, list[Topic]]]:
    return _groups(sorted(topics, key=lambda t: t.name.en.lower()), lambda t: t.name.en[:1].upper())


def pinyin_groups(topics: list[Topic]) -> list[tuple[str, list[Topic]]]:
    """Chinese names ordered by their pinyin, grouped by its first letter."""
    from pypinyin import lazy_pinyin  # 0.5 s to import: only when this page is rendered

    def key(topic: Topic) -> list[str]:
        return lazy_pinyin(topic.name.zh)
    ordered = sorted(topics, key=key)
    return _groups(ordered, lambda t: (key(t) or ["#"])[0][:1].upper())


def _groups(items: list[Topic], letter) -> list[tuple[str, list[Topic]]]:
    groups: list[tuple[str, list[Topic]]] = []
    for item in items:
        if not groups or groups[-1][0] != letter(item):
            groups.append((letter(item), []))
        groups[-1][1].append(item)
    return groups


NEAR = 2  # year chips on each side of the report's own year


def first_passages(index: TopicIndex) -> dict[str, list[tuple[int, str]]]:
    """Topic id → (year, address of that year's first passage on the topic), by year."""
    return {topic_id: [(year, pair_url(p[0].report, p[0].pair.id))
                       for year, p in sorted(by_year.items())]
            for topic_id, by_year in index.passages.items()}


def chips(index: TopicIndex, report: Report,
          firsts: dict[str, list[tuple[int, str]]] | None = None) -> dict[str, list[tuple[Topic, list[Chip]]]]:
    """For each pair: its topics, each with the nearest other years (two before, two
    after) that have passages on it, linking straight to the first of those passages.
    Only those links, no counts: so a report page changes when another report changes
    which years have a topic, not whenever a passage is added somewhere."""
    firsts = firsts if firsts is not None else first_passages(index)
    topics = {t.id: t for t in index.topics}
    out: dict[str, list[tuple[Topic, list[Chip]]]] = {}
    for pair in report.pairs:
        entries = []
        for topic_id in index.of_pair.get((report.id, pair.id), []):
            years = firsts[topic_id]
            before = [y for y in years if y[0] < report.year][-NEAR:]
            after = [y for y in years if y[0] > report.year][:NEAR]
            entries.append((topics[topic_id], [Chip(y, relative(report_url(report), target))
                                               for y, target in before + after]))
        out[pair.id] = entries
    return out


def topics_page(env: jinja2.Environment, index: TopicIndex, site: SiteInfo) -> str:
    return page(env, "topics.html", TOPICS, site, index=index, english=english_groups(index.topics),
                chinese=pinyin_groups(index.topics))


def topic_page(env: jinja2.Environment, index: TopicIndex, topic: Topic, site: SiteInfo) -> str:
    quantities = [q for q in index.quantities if q.topic == topic.id]
    return page(env, "topic.html", topic_url(topic), site, index=index, topic=topic,
                quantities=quantities, charts={q.id: chart(q) for q in quantities},
                number=number, chart_width=CHART_WIDTH)


def topic_year_page(env: jinja2.Environment, index: TopicIndex, topic: Topic, year: int,
                    site: SiteInfo) -> str:
    """One topic's passages in one year's reports (a page per year keeps pages small
    however many reports there are, and an edit re-renders only its year)."""
    passages = index.passages[topic.id][year]
    return page(env, "topic_year.html", topic_year_url(topic, year), site, topic=topic, year=year,
                years=sorted(index.passages[topic.id]), passages=passages,
                multiple=len({p.report.id for p in passages}) > 1)
