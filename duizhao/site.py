"""Build orchestration: load every report, render every page in memory, then write the
whole site into a temporary folder and swap it into place.

Nothing is written until everything rendered, and the swap is two renames, so a failed
build leaves the last good site untouched and no stale file survives a build."""

from __future__ import annotations

import os
import shutil

import jinja2
from dataclasses import dataclass, replace
from pathlib import Path

from .config import load_site
from .errors import DuizhaoError, Diagnostic, Problems, fail
from .load import load_report
from . import __version__, downloads
from .align import Alignment, align
from .model import Report
from .topicpages import chips, topic_page, topic_url, topics_page
from .topics import TopicIndex, build_index, load_topics
from .render import (library_page, make_env, not_found_page, report_page, report_url, robots,
                     sitemap, template_error)

ROOT = Path(__file__).resolve().parent.parent
RESERVED = {"topics", "static", "404", "index", "sitemap", "robots"}  # output names the site uses
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"


@dataclass
class BuildResult:
    reports: list[Report]
    files: int
    topics: TopicIndex | None = None
    alignments: dict[str, dict[str, Alignment]] | None = None


def anchors_of(index: TopicIndex | None, report_id: str, pair_id: str) -> tuple:
    """Alignment anchors for one pair: (Chinese terms, English terms) of each topic the
    pair falls under (the index already knows which: 1–7 of 35 here)."""
    if index is None:
        return ()
    topics = {t.id: t for t in index.topics}
    return tuple((frozenset(topics[k].terms_zh), frozenset(e.lower() for e in topics[k].terms_en))
                 for k in index.of_pair.get((report_id, pair_id), []))


def align_reports(reports: list[Report], index: TopicIndex | None) -> dict[str, dict[str, Alignment]]:
    """Every pair's sentence alignment; topic terms serve as anchors."""
    return {r.id: {p.id: align(p, anchors_of(index, r.id, p.id)) for p in r.pairs} for r in reports}


def load_reports(content: Path, problems: Problems) -> list[Report]:
    """Every content/reports/*.md, all errors of all files reported together."""
    folder = content / "reports"
    if not folder.is_dir():
        raise fail(str(folder), 0, "no reports folder; run `python build.py import FILE…` first")
    reports, errors, seen = [], [], {}
    for path in sorted(folder.glob("*.md")):
        own = Problems()  # per file: an error in one file is reported once, not per file after it
        try:
            report = load_report(path, own)
        except DuizhaoError as exc:
            errors += exc.diagnostics
            continue
        finally:
            problems.items += own.warnings
        if report.id in RESERVED:
            errors.append(Diagnostic(str(path), 2, f"id {report.id!r} is reserved for the site's "
                                                   f"own pages ({', '.join(sorted(RESERVED))})"))
        if report.id in seen:
            errors.append(Diagnostic(str(path), 2, f"id {report.id!r} is also used by "
                                                   f"{seen[report.id]}; both would write {report.id}/"))
        seen[report.id] = str(path)
        reports.append(report)
    if errors:
        raise DuizhaoError(errors)
    return sorted(reports, key=lambda r: (r.year, r.id))


_INDEX_MEMO: dict[tuple, TopicIndex] = {}


def load_index(content: Path, reports: list[Report]) -> TopicIndex | None:
    """The topic index, when content/topics.yaml exists (quotes verified against the text).
    Reused while topics.yaml and every report file are unchanged (serve's rebuilds)."""
    path = content / "topics.yaml"
    if not path.exists():
        return None
    files = [path] + sorted(Path(r.path) for r in reports)
    key = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    if key not in _INDEX_MEMO:
        topics, quantities = load_topics(path)
        _INDEX_MEMO.clear()
        _INDEX_MEMO[key] = build_index(reports, topics, quantities, str(path))
    return _INDEX_MEMO[key]


def render_site(reports: list[Report], content: Path, base_url: str | None,
                live_reload: int = 0, index: TopicIndex | None = None,
                alignments: dict[str, dict[str, Alignment]] | None = None) -> dict[str, bytes]:
    """Every output file (relative path → bytes), rendered before anything is written."""
    site = replace(load_site(content, base_url), live_reload=live_reload, has_topics=index is not None)
    try:
        env = make_env(TEMPLATES)
        pages = {"index.html": library_page(env, reports, site),
                 "404.html": not_found_page(env, reports, site),
                 "robots.txt": robots(env, site)}
        if index is not None:
            pages["topics/index.html"] = topics_page(env, index, site)
            for topic in index.topics:
                pages[topic_url(topic)] = topic_page(env, index, topic, site)
        if site.base_url:
            pages["sitemap.xml"] = sitemap(env, reports, site, [p for p in pages if p.startswith("topics/")])
        alignments = alignments if alignments is not None else align_reports(reports, index)
        for report in reports:
            pages[report_url(report)] = report_page(
                env, report, site, chips(index, report) if index else None, topic_url,
                alignments[report.id])
            rows = downloads.units(report, alignments[report.id])
            pages[f"{report.id}/{report.id}.tmx"] = downloads.tmx(env, report, rows, __version__)
            pages[f"{report.id}/{report.id}.csv"] = downloads.csv_text(rows)
            pages[f"{report.id}/{report.id}.json"] = downloads.json_text(report, rows)
        files = {name: text.encode("utf-8") for name, text in pages.items()}
        files[".nojekyll"] = b""  # GitHub Pages: serve files as they are, no Jekyll
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            files[f"static/{path.relative_to(STATIC).as_posix()}"] = path.read_bytes()
    return files


def build(content: Path, out: Path, problems: Problems, base_url: str | None = None,
          live_reload: int = 0) -> BuildResult:
    reports = load_reports(content, problems)
    index = load_index(content, reports)
    alignments = align_reports(reports, index)
    files = render_site(reports, content, base_url, live_reload, index, alignments)
    write_site(out, files)
    return BuildResult(reports, len(files), index, alignments)


def write_site(out: Path, files: dict[str, bytes]) -> None:
    """Write into a sibling temporary folder, then swap it in with renames."""
    _refuse_foreign(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        for rel, data in sorted(files.items()):
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if out.exists():
            os.replace(out, old)
        try:
            os.replace(tmp, out)
        except OSError:
            if old.exists():
                os.replace(old, out)  # never leave no site at all
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def _refuse_foreign(out: Path) -> None:
    """Only replace a folder that is empty or an earlier build (never e.g. `--out .`)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise fail(str(out), 0, "output path exists and is not a folder")
    entries = list(out.iterdir())
    if entries and not ((out / ".nojekyll").exists() and (out / "index.html").exists()):
        raise fail(str(out), 0, "refusing to replace this folder: it is not empty and does "
                                "not look like a duizhao site (no .nojekyll and index.html)")
