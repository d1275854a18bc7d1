"""Build orchestration: load every report, derive what each needs (topics, alignment),
plan every output file with a fingerprint of its inputs, then write the site.

Work is proportional to what changed. A report is parsed, matched against the topics and
aligned once per content hash (`cache`); a page is rendered only when its fingerprint
differs from what the last build wrote there (`pages`, `output`). Nothing is written until
every input loaded, and the site is swapped in whole (`output`), so a failed build leaves
the last good site untouched and no stale file survives a build."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any, Callable
from pathlib import Path

from ..content.settings import SiteInfo, load_site
from ..errors import Problems, fail
from ..pages import search
from . import plan as pages
from .cache import CODE, Cache, digest, shape
from .collect import Loaded, load_all, report_files
from .plan import plan, render_all
from .outdir import check_out, clean_leftovers
from .quick import cache_folder
from .result import BuildResult
from .write import Later, intact, update_site, write_site


def default_cache(content: Path) -> Path:
    return cache_folder(content)


def build(content: Path, out: Path, problems: Problems, base_url: str | None = None,
          live_reload: int = 0, cache: Cache | None = None, in_place: bool = False,
          searching: str = "now", keep: Callable[[Built], None] | None = None) -> BuildResult:
    """Build content/ into `out`. `in_place` is for the preview's own folder (see output);
    `searching` is "now" (index for search as part of the build), "later" (pages offer
    search, the caller indexes: the preview) or "off". `keep(built)`, if given, receives
    what this build made its pages from (not after a build with nothing to do)."""
    out = out.resolve()  # a link to the folder: build into the folder it names
    if not in_place:
        check_out(out, content)
        clean_leftovers(out)  # of a build killed mid-swap: even when nothing else is to do
    cache = cache if cache is not None else Cache(default_cache(content))
    site = load_site(content, base_url)
    files = _inputs(content, cache)
    inputs = digest(CODE, files, site, live_reload, searching)
    state_key = digest(str(out.resolve()))
    state = cache.get("state", state_key, shape(str, BuildResult, list))
    if state is not None and state[0] == inputs and intact(out, cache):
        problems.items += state[2]  # the same warnings as when it was built
        return replace(state[1], written=0)
    own = Problems()
    try:
        loaded = load_all(content, own, cache, site)
        _unnamed_series(loaded.reports, site, own)
        _misplaced(loaded.reports, content, own)
    finally:
        problems.items += own.items
    site = replace(site, live_reload=live_reload, has_topics=loaded.index is not None,
                   has_search=searching != "off" and search.available())
    names = _series_names(site)
    bundle = (lambda key: search_bundle(loaded, cache, names)) if searching == "now" else None
    made: dict = {}
    planned = plan(loaded, site, bundle, made)
    later = None
    try:
        if in_place:
            written, later = update_site(out, planned, cache)
        else:
            written = write_site(out, planned, cache)
    except OSError as exc:  # the disk is full, a folder is read-only …: said where, not a traceback
        raise fail(exc.filename or str(out), 0, f"cannot write the site: {exc.strerror or exc}") from None
    result = replace(_summary(loaded, len(planned) + 1, written), base_url=site.base_url)  # + MARKER
    if keep is not None:
        keep(Built(files, loaded, site, **made))
    state = (inputs, result, own.warnings)
    if later is None:
        cache.put("state", state_key, state)
    else:  # "nothing changed" only once the pages left for after the reload are written
        result = replace(result, pending_pages=_then_state(later, cache, state_key, state))
    cache.forget_unused(evict=("report", "derived", "topics") + (("search",) if bundle else ()))
    if cache.failure:
        where, why = cache.failure
        problems.warn(where, 0, f"the build cache could not be written ({why}); the next build "
                                "starts from scratch (delete or fix that path)")
    if searching == "later" and site.has_search:
        env = pages.env()
        return replace(result, pending_search=lambda running: search.bundles_of(
            loaded.reports, names, loaded.alignments, env, running))
    return result


@dataclass
class Built:
    """What a build made its pages from: each input file with its digest, the loaded
    reports, the site as the pages see it, and what a report page needs of the others."""

    files: list[tuple[str, str]]
    loaded: Loaded
    site: SiteInfo
    env: Any
    lands: Any
    compared: dict


def _then_state(later: Later, cache: Cache, key: str, state: tuple) -> Later:
    def run(stop):
        done = later.run(stop)
        if not stop.is_set():
            cache.put("state", key, state)
        return done
    return replace(later, run=run)


def search_bundle(loaded: Loaded, cache: Cache, names: dict[str, str]) -> dict[str, bytes]:
    """The Pagefind bundles for these reports, each part cached under a digest of its
    records (a part changes only with its reports' text, their alignment and the code)."""
    def memo(key: str, make: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
        full = digest(CODE, key)
        found = cache.get("search", full, _is_bundle)
        if found is None:
            found = make()
            cache.put("search", full, found)
        return found
    return search.bundles_of(loaded.reports, names, loaded.alignments, pages.env(), memo=memo)


def _series_names(site: SiteInfo) -> dict[str, str]:
    """What a search result calls each series (its English name)."""
    return {s.id: s.name.en or s.id for s in site.series}


def _is_bundle(value) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, bytes)
                                           for k, v in value.items())


def input_files(content: Path) -> list[Path]:
    """Every file a build reads (the preview watches these and nothing else): the
    reports, topics.yaml, site.yaml, and the templates and static files. Folders are
    listed, never walked through links, so a link to a big tree or a loop costs nothing."""
    files = report_files(content) + [content / "topics.yaml", content / "site.yaml"]
    for folder in (pages.TEMPLATES, pages.STATIC):
        for root, dirs, names in os.walk(folder):  # does not follow links to folders
            dirs.sort()
            files += [Path(root, name) for name in sorted(names)]
    return files


def _inputs(content: Path, cache: Cache) -> list:
    """Every file a build reads, as (path, content digest): if none changed since a
    build whose output is intact, that output is this build's too."""
    return [(str(p), cache.file_digest(p)) for p in input_files(content)]


def _unnamed_series(reports: list, site: SiteInfo, problems: Problems) -> None:
    """A warning per series the reports name and site.yaml's `series:` does not (its name
    is made from its id, in English only), at the `series:` line of its first report.
    A site.yaml with no `series:` at all (a library of one, from before series) is not
    asked for names."""
    if not site.series:
        return
    known = {s.id for s in site.series}
    first: dict[str, object] = {}
    for report in reports:
        if report.series not in known and report.series not in first:
            first[report.series] = report
    for series, report in sorted(first.items()):
        made = site.series_of(series).name
        problems.warn(report.path, _line_of(report.path, "series:"),
                      f"series {series!r} is not in site.yaml: it is shown as {made.en!r}"
                      + ("" if made.zh else " with no Chinese name") + "; name it in site.yaml's "
                      "`series:` (id, zh, en, issuer)")


def _misplaced(reports: list, content: Path, problems: Problems) -> None:
    """A report file whose place disagrees with its id (`reports/national/2024.md` holding
    `id: beijing/2024`): built where the id says, so warned at its id line."""
    given, folder = str(content / "reports"), os.path.realpath(content / "reports")
    for report in reports:
        if report.path == os.path.join(given, *f"{report.id}.md".split("/")):
            continue  # where its id says, as found (realpath costs 50 µs a report: the preview's every save)
        expected = os.path.join(folder, *f"{report.id}.md".split("/"))
        if os.path.realpath(report.path) != expected:
            problems.warn(report.path, _line_of(report.path, "id:"), f"id {report.id} but the file is "
                          f"{os.path.relpath(os.path.realpath(report.path), folder)}: its pages are at "
                          f"{report.id}/; move it to reports/{report.id}.md or correct the id")


def _line_of(path: str, start: str) -> int:
    """The first line of a file that starts with `start` (0 if none, or unreadable)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return next((n for n, line in enumerate(f, 1) if line.startswith(start)), 0)
    except OSError:
        return 0


def _summary(loaded: Loaded, files: int, written: int) -> BuildResult:
    index, derived = loaded.index, loaded.derived
    return BuildResult(
        len(loaded.reports), files, written,
        len(index.topics) if index else None, index.total_pairs if index else 0,
        list(index.uncovered) if index else [], sum(len(r.pairs) for r in loaded.reports),
        sum(d.aligned for d in derived.values()), [f for d in derived.values() for f in d.flagged])


def render_site(content: Path, base_url: str | None = None) -> dict[str, bytes]:
    """Every output file rendered in memory, no cache (tests and benchmarks)."""
    loaded = load_all(content, Problems(), Cache(None))
    site = replace(load_site(content, base_url), has_topics=loaded.index is not None)
    return render_all(plan(loaded, site))
