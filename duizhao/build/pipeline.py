"""Build orchestration: load every report, derive what each needs (topics, alignment),
plan every output file with a fingerprint of its inputs, then write the site.

Work is proportional to what changed. A report is parsed, matched against the topics and
aligned once per content hash (`cache`); a page is rendered only when its fingerprint
differs from what the last build wrote there (`pages`, `output`). Nothing is written until
every input loaded, and the site is swapped in whole (`output`), so a failed build leaves
the last good site untouched and no stale file survives a build."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from ..derive.align import Alignment, align
from .cache import ALIGNMENTS, CODE, CONTRIBUTIONS, Cache, digest
from ..content.settings import load_site
from ..errors import Diagnostic, DuizhaoError, Problems, fail
from ..content.read import parse_markdown
from ..content.model import Report
from .write import intact, write_site
from . import parallel, plan as pages
from ..pages import search
from .plan import plan, render_all, shelf_entry
from ..text.files import decode
from ..derive.topic_file import load_topics
from ..derive.topic_index import TopicIndex, build_index, match_report
from ..derive.topic_terms import Matcher, Topic

RESERVED = {"topics", "static", "404", "index", "sitemap", "robots"}  # output names the site uses


@dataclass
class BuildResult:
    """What a build did, for the command line (kept with the cache, so an unchanged
    build can say it without loading anything)."""
    reports: int
    files: int
    written: int = 0  # files rendered this time (the rest were kept from the last build)
    topics: int | None = None  # how many topics; None without topics.yaml
    total_pairs: int = 0
    uncovered: list[tuple[str, str]] = field(default_factory=list)  # (report, pair)
    pairs: int = 0
    aligned: int = 0  # pairs aligned sentence by sentence
    flagged: list[tuple[str, str, list, list]] = field(default_factory=list)  # figures differ
    # searching="later": makes the search bundles (the preview runs it after the reload)
    pending_search: Callable[[list], dict[str, bytes]] | None = field(default=None, compare=False, repr=False)


@dataclass
class Derived:
    """What a build needs of one report besides the report: cached per content hash."""
    matched: tuple[dict, dict]  # topics.match_report: matches and texts per pair
    alignments: dict[str, Alignment]
    shelf: str  # pages.shelf_entry
    aligned: int  # pairs aligned sentence by sentence
    topic_ids: tuple[str, ...]  # the topics of any of its pairs
    flagged: list[tuple[str, str, list, list]]  # (report, pair, Chinese only, English only)


@dataclass
class Loaded:
    """All inputs of a build, loaded and derived: what pages are planned from."""
    reports: list[Report]
    keys: dict[str, str]  # report id → content key
    shelf: dict[str, str]  # report id → digest of what the library shows of it
    index: TopicIndex | None
    alignments: dict[str, dict[str, Alignment]]
    derived: dict[str, Derived] = field(default_factory=dict)


def default_cache(content: Path) -> Path:
    return content.resolve().parent / ".cache" / "duizhao"


def build(content: Path, out: Path, problems: Problems, base_url: str | None = None,
          live_reload: int = 0, cache: Cache | None = None, in_place: bool = False,
          searching: str = "now") -> BuildResult:
    """Build content/ into `out`. `in_place` is for the preview's own folder (see output);
    `searching` is "now" (index for search as part of the build), "later" (pages offer
    search, the caller indexes: the preview) or "off"."""
    cache = cache if cache is not None else Cache(default_cache(content))
    site = load_site(content, base_url)
    inputs = digest(CODE, _inputs(content, cache), site, live_reload, searching)
    state_key = digest(str(out.resolve()))
    state = cache.get("state", state_key)
    if state is not None and state[0] == inputs and intact(out, cache):
        problems.items += state[2]  # the same warnings as when it was built
        return replace(state[1], written=0)
    own = Problems()
    try:
        loaded = load_all(content, own, cache)
    finally:
        problems.items += own.items
    site = replace(site, live_reload=live_reload, has_topics=loaded.index is not None,
                   has_search=searching != "off" and search.available())
    bundle = (lambda key: search_bundle(key, loaded.reports, cache)) if searching == "now" else None
    planned = plan(loaded, site, bundle)
    written = write_site(out, planned, cache, in_place)
    result = _summary(loaded, len(planned), written)
    cache.put("state", state_key, (inputs, result, own.warnings))
    cache.forget_unused()
    if searching == "later" and site.has_search:
        reports = loaded.reports
        env = pages.env()
        return replace(result, pending_search=lambda running: search.bundles(
            search.records(reports), env, running))
    return result


def search_bundle(key: str, reports: list[Report], cache: Cache) -> dict[str, bytes]:
    """The Pagefind bundles for these reports (cached: they change only with the text)."""
    found = cache.get("search", key)
    if found is None:
        found = search.bundles(search.records(reports), pages.env())
        cache.put("search", key, found)
    return found


def _inputs(content: Path, cache: Cache) -> list:
    """Every file a build reads, as (path, content digest): if none changed since a
    build whose output is intact, that output is this build's too."""
    files = sorted((content / "reports").glob("*.md")) + [content / "topics.yaml"]
    files += [p for folder in (pages.TEMPLATES, pages.STATIC) for p in sorted(folder.rglob("*"))
              if p.is_file()]
    return [(str(p), cache.file_digest(p)) for p in files]


def _summary(loaded: Loaded, files: int, written: int) -> BuildResult:
    index, derived = loaded.index, loaded.derived
    return BuildResult(
        len(loaded.reports), files, written,
        len(index.topics) if index else None, index.total_pairs if index else 0,
        list(index.uncovered) if index else [], sum(len(r.pairs) for r in loaded.reports),
        sum(d.aligned for d in derived.values()), [f for d in derived.values() for f in d.flagged])


def load_all(content: Path, problems: Problems, cache: Cache) -> Loaded:
    keyed = _load_keyed(content, problems, cache)
    reports = [r for r, _ in keyed]
    topics_path = content / "topics.yaml"
    topics, quantities, topics_key = [], [], "none"
    if topics_path.exists():
        topics_key = digest(CODE, str(topics_path), cache.file_digest(topics_path))
        found = cache.get("topics", topics_key)
        if found is None:
            found = load_topics(topics_path)
            cache.put("topics", topics_key, found)
        topics, quantities = found
    derived = derive(keyed, topics, topics_key, cache)
    index = None
    if topics_path.exists():
        index = build_index(reports, topics, quantities, str(topics_path),
                            {r.id: derived[r.id].matched for r in reports}, CONTRIBUTIONS)
    keys = {r.id: digest(key, topics_key) for r, key in keyed}
    return Loaded(reports, keys, {r.id: derived[r.id].shelf for r in reports}, index,
                  {r.id: derived[r.id].alignments for r in reports}, derived)


def derive(keyed: list[tuple[Report, str]], topics: list[Topic], topics_key: str,
           cache: Cache) -> dict[str, Derived]:
    """Topic matches and alignments of each report, from the cache where it has them."""
    matcher = Matcher(topics) if topics else None
    by_id = {t.id: t for t in topics}
    out, misses = {}, []
    for report, key in keyed:
        derived_key = digest(key, topics_key)
        found = cache.get("derived", derived_key)
        if found is None:
            misses.append((report, derived_key))
        else:
            out[report.id] = found
    computed = parallel.run(lambda i: _derive_one(misses[i][0], matcher, by_id), range(len(misses)))
    for (report, derived_key), found in zip(misses, computed):
        cache.put("derived", derived_key, found)
        out[report.id] = found
    return out


def _derive_one(report: Report, matcher: Matcher | None, topics: dict[str, Topic]) -> Derived:
    matched = match_report(report, matcher) if matcher else ({p.id: () for p in report.pairs}, {})
    alignments = {p.id: aligned(p, _anchors([m.topic for m in matched[0][p.id]], topics))
                  for p in report.pairs}
    flagged = [(report.id, pid, a.missing[0], a.missing[1]) for pid, a in alignments.items()
               if a.missing[0] or a.missing[1]]
    topic_ids = tuple(sorted({m.topic for found in matched[0].values() for m in found}))
    return Derived(matched, alignments, shelf_entry(report),
                   sum(1 for a in alignments.values() if a.confident), topic_ids, flagged)


def _anchors(topic_ids: list[str], topics: dict[str, Topic]) -> tuple:
    """Alignment anchors for one pair: (Chinese terms, English terms) of each topic the
    pair falls under (1–7 of 35 here)."""
    return tuple((frozenset(topics[k].terms_zh), frozenset(e.lower() for e in topics[k].terms_en))
                 for k in topic_ids)


def anchors_of(index: TopicIndex | None, report_id: str, pair_id: str) -> tuple:
    if index is None:
        return ()
    return _anchors(index.of_pair.get((report_id, pair_id), []), {t.id: t for t in index.topics})


def _load_keyed(content: Path, problems: Problems, cache: Cache) -> list[tuple[Report, str]]:
    """Every content/reports/*.md with its content key, all errors of all files reported
    together; a report unchanged since a cached build is not parsed again."""
    folder = content / "reports"
    if not folder.is_dir():
        raise fail(str(folder), 0, "no reports folder; run `python build.py import FILE…` first")
    paths = sorted(folder.glob("*.md"))
    known: dict[Path, tuple] = {}
    for path in paths:
        try:
            found = cache.get("report", key := digest(CODE, str(path), cache.file_digest(path)))
        except OSError:
            continue  # parsed (and its error reported) below
        if found is not None:
            known[path] = (key, found, ())
    misses = [p for p in paths if p not in known]
    for path, outcome in zip(misses, parallel.run(lambda i: _parse(misses[i]), range(len(misses)))):
        known[path] = outcome
        if outcome[1] is not None:
            cache.put("report", outcome[0], outcome[1])
    keyed, errors, seen = [], [], {}
    for path in paths:
        key, found, failed = known[path]
        if found is None:  # an error in one file is reported once, not per file after it
            errors += failed[0]
            problems.items += failed[1]
            continue
        report, warnings = found
        problems.items += warnings
        if report.id in RESERVED:
            errors.append(Diagnostic(str(path), 2, f"id {report.id!r} is reserved for the site's "
                                                   f"own pages ({', '.join(sorted(RESERVED))})"))
        if report.id in seen:
            errors.append(Diagnostic(str(path), 2, f"id {report.id!r} is also used by "
                                                   f"{seen[report.id]}; both would write {report.id}/"))
        seen[report.id] = str(path)
        keyed.append((report, key))
    if errors:
        raise DuizhaoError(errors)
    return sorted(keyed, key=lambda rk: (rk[0].year, rk[0].id))


def _parse(path: Path) -> tuple[str, tuple | None, tuple]:
    """(key, (report, warnings), ()) of one file, or (key, None, (errors, warnings))."""
    own = Problems()
    try:
        data = path.read_bytes()
    except OSError as exc:
        return "", None, ([Diagnostic(str(path), 0, f"cannot read: {exc.strerror or exc}")], [])
    key = digest(CODE, str(path), digest(data))  # what was read, even if saved meanwhile
    try:
        return key, (parse_markdown(decode(data, str(path)), str(path), own), own.warnings), ()
    except DuizhaoError as exc:
        return key, None, (exc.diagnostics, own.warnings)


def load_reports(content: Path, problems: Problems, cache: Cache | None = None) -> list[Report]:
    """Every report, parsed (no cache unless given one)."""
    return [r for r, _ in _load_keyed(content, problems, cache or Cache(None))]


def load_index(content: Path, reports: list[Report]) -> TopicIndex | None:
    """The topic index, when content/topics.yaml exists (quotes verified against the text)."""
    path = content / "topics.yaml"
    if not path.exists():
        return None
    topics, quantities = load_topics(path)
    return build_index(reports, topics, quantities, str(path))


def align_reports(reports: list[Report], index: TopicIndex | None) -> dict[str, dict[str, Alignment]]:
    """Every pair's sentence alignment; topic terms serve as anchors."""
    return {r.id: {p.id: aligned(p, anchors_of(index, r.id, p.id)) for p in r.pairs} for r in reports}


def aligned(pair, anchors: tuple) -> Alignment:
    """A pair's alignment, memoised on its text: a preview rebuild re-aligns only what
    changed."""
    return ALIGNMENTS.get_or((pair.zh, pair.en, anchors), lambda: align(pair, anchors))


def render_site(content: Path, base_url: str | None = None) -> dict[str, bytes]:
    """Every output file rendered in memory, no cache (tests and benchmarks)."""
    loaded = load_all(content, Problems(), Cache(None))
    site = replace(load_site(content, base_url), has_topics=loaded.index is not None)
    return render_all(plan(loaded, site))
