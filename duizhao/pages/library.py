"""The pages that list reports: the library (every series, newest year first), a page
per series, the 404 page, the redirects that keep every pre-series URL working, and the
sitemap and robots.txt."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import jinja2

from ..content.model import Report
from ..content.series import Series
from ..content.settings import SiteInfo
from . import urls
from .compare import comparisons, links
from .outline import coverage, outline
from .render import page
from .urls import legacy_url, report_url, series_url


@dataclass(frozen=True)
class Shelf:
    """One series and its reports, newest first."""

    series: Series
    reports: tuple[Report, ...]


def shelves(reports: list[Report], site: SiteInfo) -> list[Shelf]:
    """Series in site.yaml's order (then any other, by id), each newest year first."""
    order = {s.id: k for k, s in enumerate(site.series)}
    ids = sorted({r.series for r in reports}, key=lambda s: (order.get(s, len(order)), s))
    return [Shelf(site.series_of(s), tuple(sorted((r for r in reports if r.series == s),
                                                  key=lambda r: (-r.year, r.id))))
            for s in ids]


def library_page(env: jinja2.Environment, reports: list[Report], site: SiteInfo) -> str:
    return page(env, "index.html", urls.INDEX, site, shelves=shelves(reports, site),
                coverage={r.id: coverage(r) for r in reports},
                outlines={r.id: outline(r) for r in reports}, compares=links(comparisons(reports, site)))


def series_page(env: jinja2.Environment, shelf: Shelf, site: SiteInfo, topics: list | None = None) -> str:
    """A series' reports, newest first, and (`topics`: pages.topics.matrix of this series
    alone) the matrix of its topics across its years."""
    return page(env, "series.html", series_url(shelf.series.id), site, shelf=shelf,
                coverage={r.id: coverage(r) for r in shelf.reports},
                outlines={r.id: outline(r) for r in shelf.reports},
                compares=links(comparisons(list(shelf.reports), _within(site, shelf))), matrix=topics)


def _within(site: SiteInfo, shelf: Shelf) -> SiteInfo:
    """The site with only the compare pages asked for between reports of this shelf."""
    ids = {r.id for r in shelf.reports}
    return replace(site, compare=tuple(c for c in site.compare if {c.old, c.new} <= ids))


def about_page(env: jinja2.Environment, reports: list[Report], site: SiteInfo) -> str:
    return page(env, "about.html", urls.ABOUT, site, shelves=shelves(reports, site))


def redirect_page(env: jinja2.Environment, report: Report, site: SiteInfo) -> str:
    """The report's pre-series address: a meta refresh and a visible link; a module
    script carries the #fragment along where JavaScript runs."""
    return page(env, "redirect.html", legacy_url(report), site, canonical=False, report=report,
                target=report_url(report))


def not_found_page(env: jinja2.Environment, reports: list[Report], site: SiteInfo) -> str:
    """404.html: served by GitHub Pages at any depth, so it links through <base href>."""
    return page(env, "404.html", "404.html", site, canonical=False, reports=reports,
                base_path=base_path(site))


def base_path(site: SiteInfo) -> str:
    """The path the site lives under: `/duizhao/` for https://user.github.io/duizhao/."""
    return urlsplit(site.base_url).path or "/" if site.base_url else "/"


def sitemap(env: jinja2.Environment, reports: list[Report], site: SiteInfo,
            extra: list[str] = ()) -> str:
    found = [site.base_url] + [site.base_url + report_url(r) for r in reports]
    found += [site.base_url + path for path in sorted(extra)]
    return env.get_template("sitemap.xml").render(urls=found)


def robots(env: jinja2.Environment, site: SiteInfo) -> str:
    return env.get_template("robots.txt").render(
        sitemap=site.base_url + "sitemap.xml" if site.base_url else "")
