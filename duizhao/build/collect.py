"""Collecting a build's inputs: every report parsed (or taken from the cache under its
content hash), topics.yaml loaded, and what each report needs derived (topic matches,
sentence alignment), spread over the cores when many reports are new. All errors of all
files are reported together; nothing is written here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any
from pathlib import Path

from ..content.model import Pair, Report
from ..content.read import parse_markdown
from ..content.settings import SiteInfo, load_site
from ..derive.align import Alignment, align, share_sources
from ..derive.beads import WIDTH
from ..derive.learn import realign
from ..derive.lexicon import prepare
from ..derive.topic_file import load_topics
from ..derive.topic_index import TopicIndex, build_index, match_report
from ..derive.topic_terms import Matcher, Topic
from ..errors import Diagnostic, DuizhaoError, Problems, fail
from ..pages.outline import coverage
from ..text.files import check_inside, decode, read_bytes
from . import parallel
from .cache import ALIGNMENTS, CODE, CONTRIBUTIONS, Cache, digest, shape



@dataclass
class Derived:
    """What a build needs of one report besides the report: cached per content hash."""
    matched: tuple[dict, dict]  # topics.match_report: matches and texts per pair
    alignments: dict[str, Alignment]
    shelf: str  # shelf_entry
    aligned: int  # pairs aligned sentence by sentence
    topic_ids: tuple[str, ...]  # the topics of any of its pairs
    flagged: list[tuple[str, str, list, list]]  # (report, pair, Chinese only, English only)
    warnings: list[Diagnostic] = field(default_factory=list)  # pairs whose alignment needed a wide band
    held: str = ""  # what the site holds of a report given in excerpts (outline.coverage); "" all of it


@dataclass
class Loaded:
    """All inputs of a build, loaded and derived: what pages are planned from."""
    reports: list[Report]
    keys: dict[str, str]  # report id → content key
    shelf: dict[str, str]  # report id → digest of what the library shows of it
    index: TopicIndex | None
    alignments: dict[str, dict[str, Alignment]]
    derived: dict[str, Derived] = field(default_factory=dict)
    matcher: Matcher | None = None  # the topics' terms (None without topics.yaml) …
    topics_key: str = "none"  # … and the key of topics.yaml's content, for `load_one`


def load_all(content: Path, problems: Problems, cache: Cache, site: SiteInfo | None = None) -> Loaded:
    site = site or load_site(content)
    topics_path = content / "topics.yaml"
    failed: DuizhaoError | None = None
    try:  # read first (the workers are forked holding them); its errors said after the reports'
        topics, quantities, topics_key = _topics(content, cache)
    except DuizhaoError as exc:
        topics, quantities, topics_key, failed = [], [], "none", exc
    matcher = Matcher(topics) if topics else None
    by_id = {t.id: t for t in topics}
    listed = report_files(content)
    with _workers(listed, cache, topics_key, matcher, by_id) as workers:
        keyed = _load_keyed(content, problems, cache, site.first_series, workers, listed)
        if failed is not None:
            raise failed
        derived = derive(keyed, matcher, by_id, topics_key, cache, workers)
    reports = [r for r, _ in keyed]
    problems.items += [w for r in reports for w in derived[r.id].warnings]
    index = None
    if topics_path.exists():
        index = build_index(reports, topics, quantities, str(topics_path),
                            {r.id: derived[r.id].matched for r in reports}, CONTRIBUTIONS,
                            tuple(s.id for s in site.series))
    keys = {r.id: digest(key, topics_key) for r, key in keyed}
    return Loaded(reports, keys, {r.id: derived[r.id].shelf for r in reports}, index,
                  {r.id: derived[r.id].alignments for r in reports}, derived, matcher, topics_key)


def load_one(path: Path, cache: Cache, loaded: Loaded) -> tuple[Report, Derived] | None:
    """One report file parsed and derived as a build of `loaded`'s topics would (both
    cached for that build), or None if it has an error or no series (the build says
    why). The preview's edited page first (serve/first.py)."""
    key, found, _ = _parse(path)
    if found is None or not found[0].series:
        return None
    cache.put("report", key, found)
    topics = {t.id: t for t in loaded.index.topics} if loaded.index else {}
    in_process = parallel.Forked(partial(_load_task, loaded.matcher, topics), 0)
    return found[0], derive([(found[0], key)], loaded.matcher, topics, loaded.topics_key, cache,
                            in_process)[found[0].id]


def _topics(content: Path, cache: Cache) -> tuple[list, list, str]:
    """topics.yaml's topics and figures, and their key ("none" without the file)."""
    topics_path = content / "topics.yaml"
    if topics_path.is_symlink():
        check_inside(topics_path, content)
    if not topics_path.exists():
        return [], [], "none"
    topics_key = digest(CODE, str(topics_path), cache.file_digest(topics_path))
    found = cache.get("topics", topics_key, shape(list, list))
    if found is None:
        found = load_topics(topics_path)
        cache.put("topics", topics_key, found)
    return found[0], found[1], topics_key


def _workers(listed: list[Path], cache: Cache, topics_key: str, matcher: Matcher | None,
             topics: dict[str, Topic]) -> parallel.Forked:
    """The pool that parses and derives the reports the cache lacks, forked before any
    report is read (parallel.Forked says why); none when there are few (or none) such.
    Whether the cache has a report is decided from its file's digest, which the build
    has already taken (so this reads nothing new)."""
    todo = 0
    for path in listed:
        key = _report_key(path, cache.file_digest(path))
        todo += not (cache.has("report", key) and cache.has("derived", digest(key, topics_key)))
    if todo >= parallel.MIN_ITEMS:
        prepare()  # the dictionary read once, before the fork: every worker shares it
    return parallel.Forked(partial(_load_task, matcher, topics), todo)


def _load_task(matcher: Matcher | None, topics: dict[str, Topic], item: tuple[str, Any]) -> Any:
    """In a worker: ("parse", path) → _parse(path); ("derive", report) → its Derived."""
    kind, value = item
    return _parse(value) if kind == "parse" else _derive_one(value, matcher, topics)


def derive(keyed: list[tuple[Report, str]], matcher: Matcher | None, topics: dict[str, Topic],
           topics_key: str, cache: Cache, workers: parallel.Forked) -> dict[str, Derived]:
    """Topic matches and alignments of each report, from the cache where it has them.
    Each report travels to its worker pickled, a copy the worker frees when done, and
    each result is made to share the report's strings as it arrives (`_share`)."""
    out, misses = {}, []
    for report, key in keyed:
        derived_key = digest(key, topics_key)
        found = cache.get("derived", derived_key, shape(Derived))
        if found is None:
            misses.append((report, derived_key))
        else:
            out[report.id] = found
    if len(misses) >= parallel.MIN_ITEMS:
        prepare()  # (read already, unless the cache lost entries since `_workers` looked)
    computed = workers.run([("derive", r) for r, _ in misses], each=lambda i, found: _share(misses[i][0], found))
    for (report, derived_key), found in zip(misses, computed):
        cache.put("derived", derived_key, found)
        out[report.id] = found
    for report, _ in keyed:
        _share(report, out[report.id])  # (those from the cache; one look for those shared already)
    return out


def _share(report: Report, derived: Derived) -> None:
    """Make `derived` (from a worker or the cache: its own copies of the text) use the
    report's strings where it holds the same text: at 1,000 reports the sentences and
    displayed texts were a third of what a build holds in memory. Linear in the text;
    nothing to do (one look) for a `derived` shared already, as the preview finds the
    reports it did not reload."""
    if _shared(report, derived):
        return
    texts = derived.matched[1]
    for pair in report.pairs:
        share_sources(derived.alignments[pair.id], pair)
        shown = texts.get(pair.id)
        if shown is not None:
            zh, en = (_same(text, paras) for text, paras in zip(shown, (pair.zh, pair.en)))
            if zh is not shown[0] or en is not shown[1]:
                texts[pair.id] = (zh, en)


def _shared(report: Report, derived: Derived) -> bool:
    """Whether `derived` uses the report's strings: all its units were pointed at them at
    once, so its first unit that spans a paragraph's string (not one held as its own
    piece, which is never shared) says."""
    for pair in report.pairs:
        for unit in derived.alignments[pair.id].zh:
            if not unit.lead and unit.para < len(pair.zh):
                text = pair.zh[unit.para].text
                if unit.source is text:
                    return True
                if len(unit.source) == len(text):  # a copy of the paragraph
                    return False
    return True  # no unit spans a paragraph: nothing to share


def _same(text: str, paras: tuple) -> str:
    """`text`, or the paragraph string equal to it (a pair's one paragraph, shown whole)."""
    if len(paras) == 1 and not paras[0].lead and paras[0].text == text:
        return paras[0].text
    return text


def _derive_one(report: Report, matcher: Matcher | None, topics: dict[str, Topic]) -> Derived:
    matched = match_report(report, matcher) if matcher else ({p.id: () for p in report.pairs}, {})
    alignments = align_pairs(report.pairs, {pid: [m.topic for m in found] for pid, found in matched[0].items()},
                             topics)
    flagged = [(report.id, pid, a.missing[0], a.missing[1]) for pid, a in alignments.items()
               if a.missing[0] or a.missing[1]]
    topic_ids = tuple(sorted({m.topic for found in matched[0].values() for m in found}))
    warnings = [Diagnostic(report.path, p.line, f"pair {p.id}: the sentence aligner had to look "
                           f"further than {WIDTH} sentences from the length diagonal; check its "
                           "beads (a `||` at each bead boundary fixes them)", "warning")
                for p in report.pairs if alignments[p.id].widened]
    return Derived(matched, alignments, shelf_entry(report),
                   sum(1 for a in alignments.values() if a.confident), topic_ids, flagged, warnings,
                   coverage(report) if report.sources else "")


def align_pairs(pairs: list[Pair], topic_ids: dict[str, list[str]], topics: dict[str, Topic],
                teachers: list[Alignment] | None = None) -> dict[str, Alignment]:
    """The pairs of one report aligned: the terms of each pair's topics as anchors, then
    the pairs with an uncertain bead again with the terms learned from the confident
    beads (of `teachers`, by default of these pairs)."""
    anchors = {p.id: _anchors(topic_ids.get(p.id, []), topics) for p in pairs}
    return realign(pairs, {p.id: aligned(p, anchors[p.id]) for p in pairs}, anchors, aligned, teachers)


def _anchors(topic_ids: list[str], topics: dict[str, Topic]) -> tuple:
    """Alignment anchors for one pair: (Chinese terms, English terms) of each topic the
    pair falls under (1–7 of 35 here)."""
    return tuple((frozenset(topics[k].terms_zh), frozenset(e.lower() for e in topics[k].terms_en))
                 for k in topic_ids)


def anchors_of(index: TopicIndex | None, report_id: str, pair_id: str) -> tuple:
    if index is None:
        return ()
    return _anchors(index.of_pair.get((report_id, pair_id), []), {t.id: t for t in index.topics})


def _load_keyed(content: Path, problems: Problems, cache: Cache, first_series: str,
                workers: parallel.Forked | None = None,
                listed: list[Path] | None = None) -> list[tuple[Report, str]]:
    """Every content/reports/**/*.md with its content key, all errors of all files
    reported together; a report unchanged since a cached build is not parsed again. A
    report from before series belongs to `first_series`."""
    workers = workers or parallel.Forked(partial(_load_task, None, {}), 0)  # (a pool, if any, made later)
    folder = content / "reports"
    if not folder.is_dir():
        raise fail(str(folder), 0, "no reports folder; run `python build.py import FILE…` first")
    check_inside(folder, content)
    paths, errors = [], []
    for path in report_files(content) if listed is None else listed:
        try:
            if path.is_symlink():
                check_inside(path, content)
            paths.append(path)
        except DuizhaoError as exc:
            errors += exc.diagnostics
    known: dict[Path, tuple] = {}
    for path in paths:
        try:
            found = cache.get("report", key := _report_key(path, cache.file_digest(path)),
                              shape(Report, list))
        except OSError:
            continue  # parsed (and its error reported) below
        if found is not None:
            known[path] = (key, found, ())
    misses = [p for p in paths if p not in known]
    for path, outcome in zip(misses, workers.run([("parse", p) for p in misses])):
        known[path] = outcome
        if outcome[1] is not None:
            cache.put("report", outcome[0], outcome[1])
    keyed, seen = [], {}
    for path in paths:
        key, found, failed = known[path]
        if found is None:  # an error in one file is reported once, not per file after it
            errors += failed[0]
            problems.items += failed[1]
            continue
        report, warnings = found
        problems.items += warnings
        if not report.series:
            problems.warn(str(path), 2, f"no series: taken as {first_series!r}, the first in "
                          "site.yaml (`python build.py migrate` writes it into the file)")
            report = replace(report, series=first_series, id=f"{first_series}/{report.id}")
        folded = report.id.casefold()  # one folder on a case-insensitive file system
        if folded in seen:
            errors.append(Diagnostic(str(path), 2, f"id {report.id!r} is also used by "
                                                   f"{seen[folded]}; both would write {report.id}/ "
                                                   "(ids may not differ only in case)"))
        seen[folded] = str(path)
        keyed.append((report, key))
    if errors:
        raise DuizhaoError(errors)
    return sorted(keyed, key=lambda rk: (rk[0].series, rk[0].year, rk[0].id))


def report_files(content: Path) -> list[Path]:
    """content/reports/<series>/*.md (and, from before series, content/reports/*.md): two
    levels listed, never a walk further or through a link to a folder, without hidden
    files (an editor's lock or backup such as .#2024.md)."""
    folder = content / "reports"
    found = [p for p in folder.glob("*.md") if not p.name.startswith(".")]
    if folder.is_dir():
        for sub in sorted(folder.iterdir()):
            if sub.is_dir() and not sub.is_symlink() and not sub.name.startswith("."):
                found += [p for p in sub.glob("*.md") if not p.name.startswith(".")]
    return sorted(found, key=_parts)  # Path order, without a Path comparison per pair (ms at 1,000)


def _parts(path: Path) -> tuple[str, ...]:
    return path.parts


def _report_key(path: Path, content: str | None) -> str:
    """A report file's content key: the code, its path and its bytes' digest."""
    return digest(CODE, str(path), content)


def _parse(path: Path) -> tuple[str, tuple | None, tuple]:
    """(key, (report, warnings), ()) of one file, or (key, None, (errors, warnings))."""
    own = Problems()
    try:
        data = read_bytes(path)  # a folder or a pipe named *.md is an error, never a hang
    except DuizhaoError as exc:
        return "", None, (exc.diagnostics, [])
    key = _report_key(path, digest(data))  # what was read, even if saved meanwhile
    try:
        return key, (parse_markdown(decode(data, str(path)), str(path), own), own.warnings), ()
    except DuizhaoError as exc:
        return key, None, (exc.diagnostics, own.warnings)


def load_reports(content: Path, problems: Problems, cache: Cache | None = None) -> list[Report]:
    """Every report, parsed (no cache unless given one)."""
    site = load_site(content)
    return [r for r, _ in _load_keyed(content, problems, cache or Cache(None), site.first_series)]


def load_index(content: Path, reports: list[Report]) -> TopicIndex | None:
    """The topic index, when content/topics.yaml exists (quotes verified against the text)."""
    path = content / "topics.yaml"
    if not path.exists():
        return None
    topics, quantities = load_topics(path)
    order = tuple(s.id for s in load_site(content).series)
    return build_index(reports, topics, quantities, str(path), series_order=order)


def align_reports(reports: list[Report], index: TopicIndex | None) -> dict[str, dict[str, Alignment]]:
    """Every pair's sentence alignment, as the build makes it (topic terms as anchors)."""
    topics = {t.id: t for t in index.topics} if index else {}
    return {r.id: align_pairs(r.pairs, {p.id: index.of_pair.get((r.id, p.id), []) if index else []
                                        for p in r.pairs}, topics) for r in reports}


def aligned(pair, anchors: tuple) -> Alignment:
    """A pair's alignment, memoised on its text: a preview rebuild re-aligns only what
    changed. (The aligner is linear in the pair's length: no size guard is needed.)"""
    return ALIGNMENTS.get_or((pair.zh, pair.en, anchors), lambda: align(pair, anchors))


def shelf_entry(report) -> str:
    """A digest of what lists of reports show of one: not its paragraphs' text, but the
    script they are in (the `lang` of its title, byline and contents)."""
    return digest(report.id, report.year, report.date, report.title, report.session,
                  report.delivered, report.speaker, report.role, report.headings,
                  len(report.pairs), len(report.notes), report.sources, report.zh_lang)
