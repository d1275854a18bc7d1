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
from pathlib import Path

from . import parallel
from .cache import Cache, digest
from .outdir import MARKER, marker_text, refuse_foreign
from ..text.files import write_atomic
from .plan import Page


def write_site(out: Path, pages: list[Page], cache: Cache, in_place: bool = False) -> int:
    """Write `pages` as the site in `out`; returns how many files were rendered.
    `in_place` (the preview's private folder, which it made itself) replaces changed files
    one by one instead of swapping the whole folder: at a thousand reports that is seconds
    saved a save. Otherwise `out` must be empty or an earlier build (see outdir)."""
    text = marker_text([p.path for p in pages]).encode("utf-8")
    pages = [*pages, Page(MARKER, digest(text), lambda: text)]
    old = cache.manifest(out) if out.is_dir() else {}
    if not in_place:
        refuse_foreign(out, {p.path for p in pages} | set(old) | cache.written_before(out))
    if in_place:  # the preview's own folder: nobody else writes there, trust the manifest
        kept = {p.path for p in pages if p.path in old and old[p.path][0] == p.fingerprint}
        return _update(out, pages, kept, set(old), cache)
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


def _update(out: Path, pages: list[Page], kept: set[str], present: set[str], cache: Cache) -> int:
    """The changed pages rendered and replaced one by one (over the cores when there are
    many: the preview's first build at a thousand reports)."""
    manifest = dict(cache.manifest(out))
    todo = [page for page in pages if page.path not in kept]
    written = parallel.run(lambda i: _replace(out / todo[i].path, todo[i].make()), range(len(todo)))
    for page, stat in zip(todo, written):
        manifest[page.path] = [page.fingerprint, *stat]
    wanted = {p.path for p in pages}
    for stale in present - wanted:
        (out / stale).unlink()
        manifest.pop(stale, None)
    cache.save_manifest(out, {k: v for k, v in manifest.items() if k in wanted})
    return len(pages) - len(kept)


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
