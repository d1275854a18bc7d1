"""Every URL of the site, in one place. Pages name their targets by their path from the
site root (`topics/elderly-care/index.html`); `relative` turns that into the link a page
at another path writes (`../topics/elderly-care/index.html`). Templates call the same
through the Jinja global `url(path)`, which knows the page being rendered. Nothing else
writes `../`: the site works at `/` and under `/<repo>/`, and from disk."""

from __future__ import annotations

from typing import Any

import jinja2

INDEX = "index.html"
TOPICS = "topics/index.html"
ABOUT = "about/index.html"


def report_url(report: Any) -> str:
    return f"{report.id}/index.html"


def download_url(report: Any, kind: str) -> str:
    """The report's TMX, CSV or JSON download: `beijing/2025/beijing-2025.tmx`."""
    return f"{report.id}/{report.id.replace('/', '-')}.{kind}"


def series_url(series_id: str) -> str:
    return f"{series_id}/index.html"


def legacy_url(report: Any) -> str:
    """Where the report was before series (`2025/index.html`): a redirect now."""
    return f"{report.name}/index.html"


def pair_url(report: Any, pair_id: str) -> str:
    return f"{report_url(report)}#{pair_id}"


def topic_url(topic: Any) -> str:
    return f"topics/{topic.id}/index.html"


def year_topics_url(series: str, year: int) -> str:
    """The topics of one report year of a series, a section per topic:
    `beijing/2025/topics/index.html`. One page per report (not one per topic and year)
    keeps the number of files growing with the reports, not with topics × years."""
    return f"{series}/{year}/topics/index.html"


def topic_year_url(topic: Any, series: str, year: int) -> str:
    """One topic's passages in one report year: its section of `year_topics_url`
    (`beijing/2025/topics/index.html#elderly-care`). These once had pages of their own,
    `topics/<id>/<series>/<year>/`: static/js/moved.js on 404.html sends those
    addresses here."""
    return f"{year_topics_url(series, year)}#{topic.id}"


def compare_url(old: Any, new: Any) -> str:
    """What changed from one report to another: `compare/beijing/2024-2025/index.html`;
    across series `compare/beijing-2025/national-2025/index.html`."""
    if old.series == new.series:
        return f"compare/{old.series}/{old.name}-{new.name}/index.html"
    return f"compare/{old.series}-{old.name}/{new.series}-{new.name}/index.html"


def static_url(name: str) -> str:
    return f"static/{name}"


def root_of(page_path: str) -> str:
    """The relative way back to the site root from a page: `2025/index.html` → `../`."""
    return "../" * page_path.count("/")


def relative(page_path: str, target: str) -> str:
    """The link from the page at `page_path` to `target` (both from the site root):
    back to the root, then down, so every link to one target reads the same."""
    return root_of(page_path) + target


@jinja2.pass_context
def url(context: jinja2.runtime.Context, target: str) -> str:
    """Jinja global: `{{ url("static/style.css") }}` from whatever page is rendered."""
    return context["root"] + target
