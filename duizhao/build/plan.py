"""The plan of a site: every output file with a fingerprint of all it is made from, and a
function that makes it.

A fingerprint is a digest of the page's inputs, computed without rendering: the package
source, the templates the page uses (followed through extends/import/include), the site
settings and the data the page shows, as content keys and digests. `output` re-renders a
page only when its fingerprint changed, so the fingerprint must name every input; when in
doubt a page depends on more, never on less."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import jinja2
from jinja2 import meta

from .. import __version__
from ..pages import downloads
from ..pages import assets as minify
from ..pages import search
from .cache import CODE, ENVIRONMENTS, TEMPLATE_REFERENCES, digest
from ..paths import STATIC, TEMPLATES
from ..content.settings import SiteInfo
from ..pages.compare import Inputs, compare_page, comparisons, links
from ..pages.library import (about_page, library_page, not_found_page, redirect_page, robots, series_page,
                             shelves, sitemap)
from ..pages.render import make_env, report_page, template_error
from ..pages.topics import (chips, landings, matrix, quote_english, topic_page, topics_page, year_sections,
                            year_topics_page)
from ..pages.urls import ABOUT, TOPICS, download_url, legacy_url, report_url, series_url, topic_url, year_topics_url

if TYPE_CHECKING:
    from .collect import Loaded



@dataclass
class Page:
    path: str  # relative to the site root
    fingerprint: str
    make: Callable[[], bytes]
    later: bool = False  # the preview may render it after the reload (write.update_site)


def plan(loaded: Loaded, site: SiteInfo, search_bundle: Callable[[str], dict[str, bytes]] | None = None,
         keep: dict | None = None) -> list[Page]:
    """Every file of the site, sorted by path; `search_bundle(key)` gives the search
    index files (None: the caller indexes later, as the preview does). `keep`, if given,
    receives what a report page is made from besides the report (serve/first.py)."""
    env = _env(TEMPLATES)
    uses = TemplateDigests(env)
    base = (digest(CODE, site),)
    reports, index = loaded.reports, loaded.index
    pages: list[Page] = []

    def add(path: str, template: str, data: str, make: Callable[[], str]) -> None:
        pages.append(Page(path, digest(*base, uses(template), data), lambda: _text(make)))

    shelf = digest(*[loaded.shelf[r.id] for r in reports])  # what lists of reports show
    add("index.html", "index.html", shelf, lambda: library_page(env, reports, site))
    add("404.html", "404.html", shelf, lambda: not_found_page(env, reports, site))
    add("robots.txt", "robots.txt", "", lambda: robots(env, site))
    add(ABOUT, "about.html", shelf, lambda: about_page(env, reports, site))
    held = {(r.series, r.year): loaded.derived[r.id].held for r in reports if loaded.derived[r.id].held}
    for found in shelves(reports, site):
        grid = matrix(index, site, held, found.series.id) if index else None  # its topics × its years
        add(series_url(found.series.id), "series.html",
            digest(found.series, *[loaded.shelf[r.id] for r in found.reports], _counts(grid)),
            lambda found=found, grid=grid: series_page(env, found, site, grid))
    for report in reports:  # every pre-series URL (`2025/`) keeps working
        if report.series == site.first_series and report.name not in {s.id for s in site.series}:
            add(legacy_url(report), "redirect.html", digest(report.id),
                lambda report=report: redirect_page(env, report, site))
    lands = landings(index) if index else None
    # a chip links to another report's best passage on the topic: when that changes, the page does
    summary = {t: digest(list(columns.items())) for t, columns in lands.first.items()} if lands else {}  # sorted
    downloads_base = digest(CODE, __version__, uses("report.tmx"))
    compared = links(compares := comparisons(reports, site))  # What changed: compare pages
    if keep is not None:
        keep.update(env=env, lands=lands, compared=compared)
    for report in reports:
        add(*_report_pages(env, loaded, report, site, lands, summary, compared.get(report.id, [])))
        for kind in ("tmx", "csv", "json"):
            pages.append(_download(env, loaded, report, kind, downloads_base))
    topic_paths: list[str] = []
    if index is not None:
        topic_paths = _topic_pages(add, env, loaded, site, lands)
    pages += _compare_pages(env, loaded, compares, site, digest(*base, uses("compare.html")))
    topic_paths += [p.path for p in compares]  # in the sitemap
    if site.base_url:
        add("sitemap.xml", "sitemap.xml", digest(shelf, topic_paths),
            lambda: sitemap(env, reports, site, topic_paths))
    pages.append(Page(".nojekyll", digest(CODE), lambda: b""))  # GitHub Pages: no Jekyll
    pages += _static()
    if site.has_search and search_bundle is not None:
        pages += search_pages(search_key(loaded, uses("search_record.html"), site), search_bundle)
    return sorted(pages, key=lambda p: p.path)


def _counts(grid: list | None) -> str:
    """What a series page shows of the topic index: its matrix's cells (topic ids, counts)."""
    if grid is None:
        return ""
    return digest([(series.id, years, [(topic.id, topic.name, cells) for topic, cells, _ in rows])
                   for series, years, rows in grid])


def _topic_pages(add: Callable, env, loaded: Loaded, site: SiteInfo, lands) -> list[str]:
    """The topic index, a page per topic, and one per report year of a series with a
    section per topic; their paths (for the sitemap)."""
    reports, index = loaded.reports, loaded.index
    paths = [TOPICS] + [topic_url(t) for t in index.topics]
    keys = {t.id: digest(t) for t in index.topics}  # each digest made once, not once a page
    counts = {t.id: digest([(c, len(index.passages[t.id][c])) for c in lands.columns[t.id]]) for t in index.topics}
    every = digest(index.years)
    held = {(r.series, r.year): loaded.derived[r.id].held for r in reports if loaded.derived[r.id].held}
    add(TOPICS, "topics.html", digest(*keys.values(), *counts.values(), every, str(len(index.uncovered)),
                                      digest(held)),
        lambda: topics_page(env, index, site, held))
    for topic in index.topics:
        own = [q for q in index.quantities if q.topic == topic.id]
        english = quote_english(own, loaded.alignments)  # what the page shows of other pages
        add(topic_url(topic), "topic.html", digest(keys[topic.id], counts[topic.id], every,
                                                   digest(own, sorted(english.items()))),
            lambda topic=topic, english=english: topic_page(env, index, topic, site, english))
    by_column: dict[tuple[str, int], list] = {}
    for report in reports:
        by_column.setdefault((report.series, report.year), []).append(report)
    years = {(t, s): digest(found) for t, by_series in lands.years.items() for s, found in by_series.items()}
    named = {s: digest(site.series_of(s)) for s, _ in by_column}
    for (series, year), own in by_column.items():
        paths += _year_topics(add, env, loaded, site, (series, year), own, lands, (keys, years, named))
    return paths


def _year_topics(add: Callable, env, loaded: Loaded, site: SiteInfo, column: tuple[str, int],
                 reports: list, lands, keys: tuple[dict, dict, dict]) -> list[str]:
    """A report year's topics page (none when no topic has passages there). It shows
    only its own `reports` (their content keys: texts, headings, titles and so their
    passages), the topics it has passages on (`keys[0]`: their digests, terms and all:
    the marks) and which years of its series have each topic (the year nav: `keys[1]`,
    (topic, series) → digest of its years) and its series' names (`keys[2]`). Keys made
    once a build, not once a page."""
    series, year = column
    index = loaded.index
    present = [t.id for t in index.topics if column in index.passages[t.id]]  # its sections, made when rendered
    if not present:
        return []
    topic_keys, years, named = keys
    shown = "".join(topic_keys[t] + years[(t, series)] for t in present)
    path = year_topics_url(series, year)
    add(path, "year_topics.html", digest(series, str(year), named[series],
                                         *[loaded.keys[r.id] for r in reports], shown),
        lambda: year_topics_page(env, year_sections(index, series, year, lands), series, year, reports, site))
    return [path]


def search_key(loaded: Loaded, template: str, site: SiteInfo) -> str:
    """What the search bundles depend on: the reports' content, the record template and
    the series' names (results show them)."""
    return digest(CODE, search.VERSION, template, site.series, *[loaded.keys[r.id] for r in loaded.reports])


def search_pages(key: str, bundle: Callable[[str], dict[str, bytes]]) -> list[Page]:
    files = bundle(key)
    return [Page(path, digest(key, path), lambda data=data: data) for path, data in sorted(files.items())]


def _report_pages(env, loaded: Loaded, report, site: SiteInfo, lands, summary: dict,
                  compares: list = ()):
    """(path, template, data, make) of a report page: its chips depend on which years
    have each of its topics (`summary`), its compare links on which reports it is compared
    with, nothing else of other reports."""
    index = loaded.index
    topic_ids = loaded.derived[report.id].topic_ids if index else ()
    data = digest(loaded.keys[report.id], *[summary[t] for t in topic_ids], *[c.path for c in compares])
    alignments = loaded.alignments[report.id]

    return report_url(report), "report.html", data, lambda: report_html(env, report, site, lands, index,
                                                                        alignments, compares)


def report_html(env, report, site: SiteInfo, lands, index, alignments: dict, compares: list) -> str:
    """A report page: as a build plans it, and as the preview writes an edited one first."""
    return report_page(env, report, site, chips(index, report, site, lands) if index else None,
                       topic_url, alignments, compares)


def _compare_pages(env, loaded: Loaded, compares: list, site: SiteInfo, base: str) -> list[Page]:
    """What changed: a page per two reports, re-rendered only when either of them (its
    text and topic matches: its content key) or a figure stated in it changes."""
    index = loaded.index
    inputs = Inputs({r.id: loaded.derived[r.id].matched[0] for r in loaded.reports if r.id in loaded.derived},
                    loaded.alignments, index)
    stated: dict[str, list] = {}  # report id → the figure values its text states
    for q in index.quantities if index else []:
        for v in q.values:
            stated.setdefault(v.report, []).append((q.id, v))
    out = []
    for pairing in compares:
        fingerprint = digest(base, *[(loaded.keys[r.id], stated.get(r.id, [])) for r in (pairing.old, pairing.new)])
        out.append(Page(pairing.path, fingerprint,
                        lambda pairing=pairing: _text(lambda: compare_page(env, pairing, site, inputs)), later=True))
    return out


def _download(env, loaded: Loaded, report, kind: str, base: str) -> Page:
    alignments = loaded.alignments[report.id]

    def make() -> bytes:
        rows = downloads.units(report, alignments)
        if kind == "tmx":
            return _text(lambda: downloads.tmx(env, report, rows, __version__))
        return (downloads.csv_text(rows) if kind == "csv" else downloads.json_text(report, rows)).encode("utf-8")
    fingerprint = digest(base, kind, loaded.keys[report.id])
    return Page(download_url(report, kind), fingerprint, make)


def _static() -> list[Page]:
    pages = []
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            pages.append(Page(f"static/{path.relative_to(STATIC).as_posix()}", digest(CODE, data),
                              lambda path=path, data=data: minify.asset(path.name, data)))
    return pages


def _env(templates: Path) -> jinja2.Environment:
    """One environment per state of the templates folder: Jinja compiles each template
    once while the templates stay as they are (the preview's rebuilds), and an edit —
    however soon after the last — gets a fresh environment (mtimes can tie; bytes can't)."""
    state = digest(*[(p.relative_to(templates).as_posix(), p.read_bytes())
                     for p in sorted(templates.rglob("*")) if p.is_file()])
    return ENVIRONMENTS.get_or((str(templates), state), lambda: _compiled(make_env(templates)))


def _compiled(env: jinja2.Environment) -> jinja2.Environment:
    """`env` with every template compiled now, in this process: a build's worker
    processes are forked from it and share them. Compiled lazily, each worker of each
    pool would compile every template it renders again (0.2–0.3 s of CPU each time).
    A template that does not compile is left to the page that renders it, which says
    where the error is (`_text`); an editor's hidden files (`.report.html.swp`) and
    anything unreadable or not text are no templates to compile."""
    for name in env.list_templates():
        if any(part.startswith(".") for part in name.split("/")):
            continue
        try:
            env.get_template(name)
        except (jinja2.TemplateError, UnicodeError, OSError):
            pass
    return env


def env() -> jinja2.Environment:
    """The environment of the site's templates (as pages are rendered with)."""
    return _env(TEMPLATES)




def _text(make: Callable[[], str]) -> bytes:
    try:
        return make().encode("utf-8")
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


class TemplateDigests:
    """Digest of a template together with every template it extends, imports or includes."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.known: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self.known:
            self.known[name] = digest(*[(n, s) for n, s in sorted(self._sources(name, set()).items())])
        return self.known[name]

    def _sources(self, name: str, seen: set[str]) -> dict[str, str]:
        seen.add(name)
        try:
            source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            key = (name, digest(source))
            names = TEMPLATE_REFERENCES.get_or(key, lambda: tuple(  # parsing is the slow part
                n for n in meta.find_referenced_templates(self.env.parse(source, name, filename)) if n))
        except jinja2.TemplateError as exc:
            raise template_error(exc) from None
        out = {name: source}
        for other in names:
            if other not in seen:
                out.update(self._sources(other, seen))
        return out


def render_all(pages: list[Page]) -> dict[str, bytes]:
    return {page.path: page.make() for page in pages}
