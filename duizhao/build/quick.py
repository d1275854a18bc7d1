"""The command line's "nothing changed" check, made from file stats before the pipeline
(Jinja, markdown-it, YAML, Pagefind) is imported: only the standard library here.

After a build, `build.py` saves a stamp (`.cache/duizhao/quick-<out>.json`): the options
of the build, the size and mtime of every input file (content/, templates/, static/ and
the package's own source), a digest of the output manifest the build left (`write.py`),
and what the command printed. The next build with the same options is skipped when every
input still has its size and mtime, no input was added or removed, the manifest is the
same file, and every output file still has the size and mtime the manifest records, and
no file was added to or removed from the output. Anything else falls through to the real
build, which has its own content-hash checks (`pipeline.build`).

A file modified within `RACY_NS` of the snapshot might change again without its mtime
moving (file systems stamp with a coarse clock): such a file is recorded as unknown, so
the next build does the real check."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..paths import PACKAGE, ROOT, STATIC, TEMPLATES

VERSION = 1
RACY_NS = 100_000_000  # 0.1 s


@dataclass
class BuildResult:
    """What a build did, for the command line (kept with the caches, so an unchanged
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
    base_url: str = ""  # the public address the pages name (empty: none)
    # searching="later": makes the search bundles (the preview runs it after the reload)
    pending_search: Callable[[list], dict[str, bytes]] | None = field(default=None, compare=False, repr=False)
    # in place (the preview): renders the pages left for after the reload (write.update_site)
    pending_pages: object = field(default=None, compare=False, repr=False)  # write.Later

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("pending_search", "pending_pages")}

    @classmethod
    def from_json(cls, data: dict) -> BuildResult:
        data = dict(data, uncovered=[tuple(u) for u in data["uncovered"]],
                    flagged=[tuple(f) for f in data["flagged"]])
        return cls(**data)


_PATHS = "surrogatepass"  # a file name that is not UTF-8 arrives with lone surrogates


def digest(*parts: object) -> str:
    """A short stable hash of strings, bytes and reprs of plain values."""
    try:  # all strings: the common case, made cheap
        return hashlib.sha256(("\0".join(parts) + "\0").encode("utf-8", _PATHS)).hexdigest()[:32]  # type: ignore[arg-type]
    except TypeError:
        pass
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else
                 part.encode("utf-8", _PATHS) if isinstance(part, str) else repr(part).encode("utf-8", _PATHS))
        h.update(b"\0")
    return h.hexdigest()[:32]


def cache_folder(content: Path) -> Path:
    """Where a build's disk cache lives: `.cache/duizhao/` beside content/."""
    return content.resolve().parent / ".cache" / "duizhao"


def stamp_path(content: Path, out: Path) -> Path:
    return cache_folder(content) / f"quick-{digest(str(out.resolve()))[:16]}.json"


def options(content: Path, out: Path, base_url: str | None, search: bool) -> list:
    """Everything besides the input files that decides what a build writes."""
    return [VERSION, str(content.resolve()), str(out.resolve()), base_url, search]


def snapshot(content: Path) -> list[list]:
    """[path, size, mtime_ns] of every input file, sorted; a file modified too recently to
    trust its mtime has None for both."""
    now = time.time_ns()
    found = []
    for folder in (content, TEMPLATES, STATIC, PACKAGE):
        found += _walk(str(folder), now)
    found.append(_entry(str(ROOT / "build.py"), now))
    return sorted(found)


def _walk(folder: str, now: int) -> list[list]:
    found, todo = [], [folder]
    while todo:
        try:
            entries = list(os.scandir(todo.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    todo.append(entry.path)
            elif not entry.name.endswith(".pyc"):
                found.append(_entry(entry.path, now))
    return found


def _entry(path: str, now: int) -> list:
    try:
        stat = os.stat(path)
    except OSError:
        return [path, None, None]
    if stat.st_mtime_ns >= now - RACY_NS:
        return [path, None, None]
    return [path, stat.st_size, stat.st_mtime_ns]


def unchanged(content: Path, out: Path, wanted: list) -> dict | None:
    """The saved stamp, if a build with `wanted` options would change nothing; else None."""
    try:
        stamp = json.loads(stamp_path(content, out).read_text("utf-8"))
        if stamp["options"] != wanted or any(None in entry for entry in stamp["inputs"]):
            return None
        if snapshot(content) != stamp["inputs"] or _leftovers(out):
            return None
        return stamp if _intact(out, stamp["outputs"]) else None
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _intact(out: Path, manifest: dict) -> bool:
    """Does `out` hold exactly the files of `manifest` (path → [size, mtime_ns]), each with
    its size and mtime?"""
    count = 0
    for path, stat in _files(str(out)):
        entry = manifest.get(path)
        if entry is None or stat.st_size != entry[0] or stat.st_mtime_ns != entry[1]:
            return False
        count += 1
    return count == len(manifest) and count > 0


def _files(root: str) -> Iterator[tuple[str, os.stat_result]]:
    """Every file under `root` as (path relative to it, with "/", its stat), as os.walk
    lists them (a link to a folder is neither entered nor a file), but with no path
    arithmetic per file: a thousand reports' site is nine thousand files, and this walk
    is most of a nothing-changed build. A folder that cannot be read raises OSError."""
    todo = [(root, "")]
    while todo:
        folder, prefix = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if not entry.is_symlink():
                        todo.append((entry.path, f"{prefix}{entry.name}/"))
                    continue
                yield prefix + entry.name, entry.stat()


def save(content: Path, out: Path, wanted: list, inputs: list, said: dict) -> None:
    """Record a finished build (`inputs` snapshotted before it started, so an edit made
    while it ran is seen next time)."""
    outputs = _outputs(out)
    if not outputs:
        return
    stamp = {"options": wanted, "inputs": inputs, "outputs": outputs, "said": said}
    path = stamp_path(content, out)
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    try:
        tmp.write_text(json.dumps(stamp), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # no stamp (the cache path is unusable: the build said so): no shortcut
        pass


def _outputs(out: Path) -> dict[str, list[int]]:
    """What the build left in `out`: relative path → [size, mtime_ns]."""
    try:
        return {path: [stat.st_size, stat.st_mtime_ns] for path, stat in _files(str(out))}
    except OSError:
        return {}


def _leftovers(out: Path) -> bool:
    """Folders a killed build left beside `out` (`.site.tmp-*`, `.site.old-*`): the real
    build clears them, so their presence means "build"."""
    try:
        return any(entry.name.startswith((f".{out.name}.tmp-", f".{out.name}.old-"))
                   for entry in os.scandir(out.parent))
    except OSError:
        return False


def forget(content: Path, out: Path) -> None:
    """No stamp while a build runs: a build that fails leaves none behind."""
    try:
        stamp_path(content, out).unlink()
    except OSError:
        pass
