"""The command line's "nothing changed" check, made from file stats before the pipeline
(Jinja, markdown-it, YAML, Pagefind) is imported: only builtin modules here (os, marshal,
zlib, time; not pathlib, json, hashlib or dataclasses, whose imports were half of a
nothing-changed build of a small site).

After a build, `build.py` saves a stamp (`.cache/duizhao/quick-<out>.marshal`): the options
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

import marshal
import os
import time
import zlib
from collections.abc import Iterator

from .. import paths

VERSION = 2  # 2: the stamp is marshal, not JSON
RACY_NS = 100_000_000  # 0.1 s
Where = "str | os.PathLike[str]"


_PATHS = "surrogatepass"  # a file name that is not UTF-8 arrives with lone surrogates


def digest(*parts: object) -> str:
    """A short stable hash of strings, bytes and reprs of plain values (the caches' keys;
    hashlib is imported here, where it is needed, not on the nothing-changed path)."""
    import hashlib
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


def cache_folder(content: Where):
    """Where a build's disk cache lives: `.cache/duizhao/` beside content/ (a Path)."""
    from pathlib import Path
    return Path(_cache_folder(content))


def _cache_folder(content: Where) -> str:
    return os.path.join(os.path.dirname(os.path.realpath(content)), ".cache", "duizhao")


def stamp_path(content: Where, out: Where) -> str:
    """The stamp of builds into `out` (named by a checksum of its path: the stamp itself
    holds the path, so two outputs sharing a name only cost a build)."""
    name = os.fsencode(os.path.realpath(out))
    return os.path.join(_cache_folder(content), f"quick-{zlib.crc32(name):08x}{zlib.adler32(name):08x}.marshal")


def options(content: Where, out: Where, base_url: str | None, search: bool) -> list:
    """Everything besides the input files that decides what a build writes."""
    return [VERSION, os.path.realpath(content), os.path.realpath(out), base_url, search]


def snapshot(content: Where) -> list[list]:
    """[path, size, mtime_ns] of every input file, sorted, the content folder by its real
    path (`./content` and `content` are one stamp); a file modified too recently to trust
    its mtime has None for both."""
    now = time.time_ns()
    found = []
    for folder in (os.path.realpath(content), paths.TEMPLATES_DIR, paths.STATIC_DIR, paths.PACKAGE_DIR):
        found += _walk(folder, now)
    found.append(_entry(os.path.join(paths.ROOT_DIR, "build.py"), now))
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


def unchanged(content: Where, out: Where, wanted: list) -> dict | None:
    """The saved stamp, if a build with `wanted` options would change nothing; else None."""
    try:
        with open(stamp_path(content, out), "rb") as f:
            stamp = marshal.loads(f.read())
        if stamp["options"] != wanted or any(None in entry for entry in stamp["inputs"]):
            return None
        if snapshot(content) != stamp["inputs"] or _leftovers(out):
            return None
        return stamp if _intact(os.fspath(out), stamp["outputs"]) else None
    except (OSError, ValueError, EOFError, KeyError, TypeError, IndexError):
        return None


def _intact(out: str, manifest: dict) -> bool:
    """Does `out` hold exactly the files of `manifest` (path → [size, mtime_ns]), each with
    its size and mtime?"""
    count, folders = 0, None
    for path, stat in _files(out, True):
        if stat is None:  # a folder: one the manifest's files are in, or something else's
            if folders is None:
                folders = {f[:k + 1] for f in manifest for k, c in enumerate(f) if c == "/"}
            if path not in folders:
                return False
            continue
        entry = manifest.get(path)
        if entry is None or stat.st_size != entry[0] or stat.st_mtime_ns != entry[1]:
            return False
        count += 1
    return count == len(manifest) and count > 0


def _files(root: str, folders: bool = False) -> Iterator[tuple[str, os.stat_result | None]]:
    """Every file under `root` as (path relative to it, with "/", its stat), as os.walk
    lists them (a link to a folder is neither entered nor a file), but with no path
    arithmetic per file: a thousand reports' site is nine thousand files, and this walk
    is most of a nothing-changed build. A folder that cannot be read raises OSError. An
    empty folder holds no file: `folders` lists each (a foreign one means "build")."""
    todo = [(root, "")]
    while todo:
        folder, prefix = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if not entry.is_symlink():
                        todo.append((entry.path, f"{prefix}{entry.name}/"))
                    if folders:  # (with `folders`, each as (its path and "/", None))
                        yield f"{prefix}{entry.name}/", None
                    continue
                yield prefix + entry.name, entry.stat()


def save(content: Where, out: Where, wanted: list, inputs: list, said: dict) -> None:
    """Record a finished build (`inputs` snapshotted before it started, so an edit made
    while it ran is seen next time)."""
    outputs = _outputs(os.fspath(out))
    if not outputs:
        return
    stamp = {"options": wanted, "inputs": inputs, "outputs": outputs, "said": said}
    path = stamp_path(content, out)
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(marshal.dumps(stamp))
        os.replace(tmp, path)
    except (OSError, ValueError):  # no stamp (the cache path is unusable: the build said so): no shortcut
        try:
            os.remove(tmp)
        except OSError:
            pass


def _outputs(out: str) -> dict[str, list[int]]:
    """What the build left in `out`: relative path → [size, mtime_ns]."""
    try:
        return {path: [stat.st_size, stat.st_mtime_ns] for path, stat in _files(out)}
    except OSError:
        return {}


def _leftovers(out: Where) -> bool:
    """Folders a killed build left beside `out` (`.site.tmp-*`, `.site.old-*`): the real
    build clears them, so their presence means "build"."""
    out = os.path.abspath(out)
    name = os.path.basename(out)
    try:
        return any(entry.name.startswith((f".{name}.tmp-", f".{name}.old-"))
                   for entry in os.scandir(os.path.dirname(out)))
    except OSError:
        return False


def forget(content: Where, out: Where) -> None:
    """No stamp while a build runs: a build that fails leaves none behind."""
    try:
        os.remove(stamp_path(content, out))
    except OSError:
        pass
