"""Writing the site: only changed pages are rendered, and the new site is swapped in whole.

The last build's manifest (in the cache) says, for each file it wrote, the page's
fingerprint and the file's size and mtime. A page whose fingerprint is unchanged, and whose
file in `out` still has that size and mtime (nobody touched it), is hard-linked into the
new site instead of rendered. The new site is assembled in a sibling temporary folder and
swapped in with two renames: a build that fails (a template error mid-way) leaves the last
good site as it was, and no stale file survives. When nothing at all changed, nothing is
written."""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import parallel
from .cache import Cache, digest
from .outdir import MARKER, marker_text, refuse_foreign
from ..text.files import write_atomic
from .plan import Page


@dataclass
class Later:
    """Pages the preview renders after its reload: their paths, and `run(stop)`, which
    renders them (until `stop` is set) and returns the paths it wrote."""

    paths: list[str]
    run: Callable[[threading.Event], list[str]]


def write_site(out: Path, pages: list[Page], cache: Cache) -> int:
    """Write `pages` as the site in `out`; returns how many files were rendered. `out`
    must be empty or an earlier build (see outdir)."""
    pages = _with_marker(pages)
    old = cache.manifest(out) if out.is_dir() else {}
    refuse_foreign(out, {p.path for p in pages} | set(old) | cache.written_before(out))
    kept = {p.path for p in pages if _unchanged(out, p, old.get(p.path))}
    present = _files(out) if out.is_dir() else set()
    if len(kept) == len(pages) and set(old) == kept and present == kept:
        return 0  # nothing changed: the site on disk is this build's already
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    previous = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    manifest = {}
    try:
        for folder in sorted({(tmp / page.path).parent for page in pages}):
            folder.mkdir(parents=True, exist_ok=True)
        todo = [page for page in pages if page.path not in kept]
        written = parallel.run(lambda i: _write(tmp / todo[i].path, todo[i].make()), range(len(todo)))
        stats = dict(zip((page.path for page in todo), written))
        for page in pages:
            if page.path in kept:
                _link(out / page.path, tmp / page.path)
                stats[page.path] = _stat(tmp / page.path)
            manifest[page.path] = [page.fingerprint, *stats[page.path]]
        _swap(tmp, out, previous)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(previous, ignore_errors=True)
    cache.save_manifest(out, manifest)
    return len(pages) - len(kept)


def _replace(target: Path, data: bytes) -> list[int]:
    write_atomic(target, data, durable=False)  # a reader gets the old file or the new
    return _stat(target)


def _write(target: Path, data: bytes) -> list[int]:
    target.write_bytes(data)
    return _stat(target)


def _stat(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def update_site(out: Path, pages: list[Page], cache: Cache) -> tuple[int, Later | None]:
    """The preview's private folder (it made it; nobody else writes there, so the manifest
    is trusted): changed files are replaced one by one, not the folder swapped — at a
    thousand reports that is seconds a save. Returns how many files were rendered and,
    when a few pages marked `later` changed (compare pages: the slowest to render, and
    rarely the page being edited), a function that renders those, for the preview to call
    after the reload; many such pages (the first build) are rendered at once, over the
    cores. Until that function has run, the manifest keeps their old fingerprints: a
    build that comes first renders them itself."""
    pages = _with_marker(pages)
    manifest = dict(cache.manifest(out))
    wanted = {p.path for p in pages}
    todo = [p for p in pages if p.path not in manifest or manifest[p.path][0] != p.fingerprint]
    rest = [p for p in todo if p.later]
    rest = rest if len(rest) < parallel.MIN_ITEMS else []
    now = [p for p in todo if not (p.later and rest)]
    written = parallel.run(lambda i: _replace(out / now[i].path, now[i].make()), range(len(now)))
    for page, stat in zip(now, written):
        manifest[page.path] = [page.fingerprint, *stat]
    for stale in set(manifest) - wanted:
        (out / stale).unlink(missing_ok=True)
        del manifest[stale]
    cache.save_manifest(out, dict(manifest))

    def later(stop: threading.Event) -> list[str]:
        done = []
        for page in rest:
            if stop.is_set():
                break
            manifest[page.path] = [page.fingerprint, *_replace(out / page.path, page.make())]
            done.append(page.path)
        cache.save_manifest(out, dict(manifest))
        return done
    return len(now), (Later([p.path for p in rest], later) if rest else None)


def _with_marker(pages: list[Page]) -> list[Page]:
    text = marker_text([p.path for p in pages]).encode("utf-8")
    return [*pages, Page(MARKER, digest(text), lambda: text)]


def intact(out: Path, cache: Cache) -> bool:
    """Is `out` exactly what the last build wrote there (no file added, removed or touched)?"""
    manifest = cache.manifest(out)
    if not manifest or not out.is_dir() or _files(out) != set(manifest):
        return False
    return all(_same_file(out / path, entry) for path, entry in manifest.items())


def _same_file(path: Path, entry: list) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return [stat.st_size, stat.st_mtime_ns] == entry[1:]


def _unchanged(out: Path, page: Page, entry: list | None) -> bool:
    return bool(entry) and entry[0] == page.fingerprint and _same_file(out / page.path, entry)


def _files(out: Path) -> set[str]:
    """Every file under `out`, as relative paths (anything extra means: rewrite)."""
    found = set()
    for folder, _, names in os.walk(out):
        rel = os.path.relpath(folder, out)
        found.update(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/") for name in names)
    return found


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links: a copy keeps the mtime too
        shutil.copy2(source, target)


def _swap(tmp: Path, out: Path, previous: Path) -> None:
    if out.exists():
        os.replace(out, previous)
    try:
        os.replace(tmp, out)
    except OSError:
        if previous.exists():
            os.replace(previous, out)  # never leave no site at all
        raise
