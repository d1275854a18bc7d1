"""Topic pages: the matrix and A–Z lists (topics/), one page per topic (topics/<id>/),
and the topic chips under each pair of a report page. Python computes the numbers
(counts, chart geometry, orderings); the templates hold the HTML."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from pypinyin import lazy_pinyin

from .model import Report
from .render import SiteInfo, number, page, report_url
from .topics import Quantity, Topic, TopicIndex

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
    count: int


def topic_url(topic: Topic) -> str:
    return f"topics/{topic.id}/index.html"


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


def chips(index: TopicIndex, report: Report) -> dict[str, list[tuple[Topic, list[Chip]]]]:
    """For each pair: its topics, each with the other years that have passages on it,
    linking straight to the first of those passages."""
    topics = {t.id: t for t in index.topics}
    out: dict[str, list[tuple[Topic, list[Chip]]]] = {}
    for pair in report.pairs:
        entries = []
        for topic_id in index.of_pair.get((report.id, pair.id), []):
            years = [(year, passages) for year, passages in sorted(index.passages[topic_id].items())
                     if year != report.year]
            entries.append((topics[topic_id], [
                Chip(year, f"../{report_url(p[0].report)}#{p[0].pair.id}", len(p)) for year, p in years]))
        out[pair.id] = entries
    return out


def topics_page(env: jinja2.Environment, index: TopicIndex, site: SiteInfo) -> str:
    return page(env, "topics.html", "../", site, index=index, english=english_groups(index.topics),
                chinese=pinyin_groups(index.topics), topic_url=topic_url,
                canonical=site.base_url + "topics/index.html" if site.base_url else "")


def topic_page(env: jinja2.Environment, index: TopicIndex, topic: Topic, site: SiteInfo) -> str:
    quantities = [q for q in index.quantities if q.topic == topic.id]
    return page(env, "topic.html", "../../", site, index=index, topic=topic,
                quantities=quantities, charts={q.id: chart(q) for q in quantities},
                number=number, report_url=report_url, chart_width=CHART_WIDTH,
                canonical=site.base_url + topic_url(topic) if site.base_url else "")
