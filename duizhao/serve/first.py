"""The edited page first: a save that changes one report's text is shown before the rest
of the site is rebuilt.

At a thousand reports a preview rebuild takes about half a second, nearly all of it in
what every page is planned from (the topic index, the fingerprint of each of some 7,000
files), hardly any in the one report that changed. A report page is made from its report
(text, alignments), the site, the compare pages it links to and, through its topic chips,
which topics each of its pairs falls under and where the other reports have them. So when
the only input changed since the last good build is one report file that keeps its id,
its pairs and each pair's topics, its page is exactly what the full build would write:
the same function makes it (`plan.report_html`) from the same context (`Built`). The
preview writes that page, the browser reloads, and the full build runs right after in
the preview's `later` thread (serve/later.py), which requests for any other page wait
for. Anything else (a new, removed or renamed report, a pair's topics changed, an error,
topics.yaml, site.yaml, a template) goes straight to the full build."""

from __future__ import annotations

import os
from pathlib import Path

from ..build.cache import Cache
from ..build.collect import load_one
from ..build.pipeline import Built, input_files
from ..build.plan import _text, report_html
from ..build.write import _replace
from ..pages.urls import report_url
from ..text.script import simplified


def edited_page(content: Path, out: Path, cache: Cache, built: Built) -> tuple[str, bytes] | None:
    """Write the page of the one report changed since `built`: its path and bytes, or
    None (nothing written) when the change is anything else."""
    now = [(str(p), cache.file_digest(p)) for p in input_files(content)]
    changed = _one_changed(built.files, now, content)
    if changed is None:
        return None
    old = next((r for r in built.loaded.reports if r.path == changed), None)
    found = load_one(Path(changed), cache, built.loaded) if old is not None else None
    if found is None:
        return None
    report, derived = found
    if (report.id, report.series, report.year, [p.id for p in report.pairs]) != \
            (old.id, old.series, old.year, [p.id for p in old.pairs]) or \
            _topics(derived) != _topics(built.loaded.derived[old.id]) or not _quotes_kept(built, report, derived):
        return None
    path = report_url(report)
    data = _text(lambda: report_html(built.env, report, built.site, built.lands, built.loaded.index,
                                     derived.alignments, built.compared.get(report.id, [])))
    _replace(out / path, data)
    cache.unrecord(out, path)  # whatever the build behind it does (fails, or finds the edit undone), it rewrites the page
    return path, data


def _quotes_kept(built: Built, report, derived) -> bool:
    """Every figure topics.yaml quotes from this report still in the pair it was found in
    (else the full build says so, as an error, before the reload)."""
    texts = derived.matched[1]
    for quantity in built.loaded.index.quantities if built.loaded.index else ():
        for value in quantity.values:
            if value.report == report.id and not any(
                    value.quote in text or simplified(value.quote) in simplified(text)
                    for text in texts.get(value.pair, ())):
                return False
    return True


def _one_changed(before: list[tuple[str, str]], now: list[tuple[str, str]], content: Path) -> str | None:
    """The one report file whose digest differs between two lists of the same files."""
    if [path for path, _ in before] != [path for path, _ in now]:
        return None  # a file added, removed or renamed
    changed = [path for (path, old), (_, new) in zip(before, now) if old != new]
    reports = os.path.join(str(content), "reports", "")
    if len(changed) != 1 or not changed[0].startswith(reports) or not changed[0].endswith(".md"):
        return None
    return changed[0]


def _topics(derived) -> dict[str, list[str]]:
    """Each pair's topics, as the index and the page's chips take them."""
    return {pid: [m.topic for m in found] for pid, found in derived.matched[0].items()}
