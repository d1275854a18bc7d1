"""Every cache of the project, in one place, with the rule that makes each one invalid.

| layer | where | key (what it depends on) | invalid when |
| --- | --- | --- | --- |
| `Cache` "report" | memory + `.cache/duizhao/report/` | package source, file path, file bytes | any of them changes (a new key: a miss) |
| `Cache` "topics" | memory + disk | package source, topics.yaml path and bytes | likewise |
| `Cache` "derived" | memory + disk | report key + topics key | the report, topics.yaml or the code changes |
| `Cache` "search" | memory + disk | per part of the index: the package source + Pagefind's version + the record template + every record of the part (its reports' text and alignment) | a report of the part, its alignment, the template or the code changes |
| `Cache` "state" | memory + disk | the output folder | kept with the digest of every input file; compared, not trusted |
| manifest | `.cache/duizhao/manifest-*.pickle` | the output folder | a file in `site/` no longer has the size and mtime recorded; an entry is unrecorded (`unrecord`: the preview wrote that page first) |
| quick stamp | `.cache/duizhao/quick-*.marshal` (`quick.py`) | the output folder | the options differ, an input file's size or mtime differs or one was added or removed, the manifest is another file, or `site/` differs from the manifest |
| `Cache.stats` | memory | file path | the file's mtime or size changes (then its bytes are hashed again) |
| `ALIGNMENTS` | memory | a pair's text and its anchors | never (pure function of the key); bounded |
| `CONTRIBUTIONS` | memory | report id | the report or its matches are other objects (`is`, not `==`) |
| `ENVIRONMENTS` | memory | templates folder + digest of every template's bytes | any template changes |
| `TEMPLATE_REFERENCES` | memory | template name + digest of its source | never (pure); bounded |
| `numbers` (text.numerals) | memory, `functools.lru_cache` | text + language | never (pure); 4,096 entries |

Content-addressed entries are never invalidated by hand: their key is a digest of
everything the value depends on, including the source of this package (`CODE`), so a
change simply misses. Entries live in memory (the preview's rebuilds) and, when a folder
is given, on disk as pickles (the next `build.py`), each sealed with a digest of its kind,
key and bytes that is checked before it is read. A missing, unreadable, damaged, swapped or
wrong-shaped entry is a miss, never an error: deleting or breaking the folder changes
nothing but time. After each full build, entries no build of this content used are
deleted (`forget_unused`)."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
from pathlib import Path
from typing import Any, Callable

from ..errors import DuizhaoError
from ..paths import PACKAGE
from ..text.files import read_bytes, write_atomic
from .quick import digest


def _code_version() -> str:
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".html"))
    return digest(*[(p.relative_to(PACKAGE).as_posix(), p.read_bytes()) for p in files])


CODE = _code_version()


class Memo(dict):
    """An in-process memo of a pure function's results, bounded: when full it starts
    afresh (the preview's edits touch a few entries at a time, never thousands)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_or(self, key: Any, make: Callable[[], Any]) -> Any:
        found = self.get(key)
        if found is None:
            if len(self) >= self.size:
                self.clear()
            found = self[key] = make()
        return found


ALIGNMENTS = Memo(20_000)  # (pair sides, anchors) → derive.align.Alignment
CONTRIBUTIONS: dict[str, tuple] = {}  # report id → its part of the last topic index
ENVIRONMENTS = Memo(1)  # (templates folder, templates digest) → jinja2.Environment
TEMPLATE_REFERENCES = Memo(1_000)  # (template name, source digest) → names it uses


def clear_memos() -> None:
    """Forget every in-process memo (benchmarks that time a cold start)."""
    from ..text.numerals import numbers
    for memo in (ALIGNMENTS, CONTRIBUTIONS, ENVIRONMENTS, TEMPLATE_REFERENCES):
        memo.clear()
    numbers.cache_clear()


Shape = Callable[[Any], bool]


def shape(*types: type) -> Shape:
    """What a cached value must look like: one type, or a tuple of these types."""
    if len(types) == 1:
        return lambda value: isinstance(value, types[0])
    return lambda value: (isinstance(value, tuple) and len(value) == len(types)
                          and all(isinstance(v, t) for v, t in zip(value, types)))


MAGIC = b"duizhao-cache-1\n"
STALE_TEMP = 3600  # seconds: a temporary file this old was left by a killed build


class Cache:
    """Content-addressed values; `folder=None` keeps them in memory only.

    On disk each value is stored with a digest of its kind, key and bytes, checked before
    it is unpickled: a flipped byte, an entry copied under another key, a truncated or
    unreadable file, or a value of the wrong type is a miss, never an error, and never
    reaches a page. A cache folder that cannot be written is noted (`failure`) and the
    build goes on without it."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.memory: dict[tuple[str, str], Any] = {}
        self.used: set[tuple[str, str]] = set()
        self.manifests: dict[str, dict] = {}
        self.stats: dict[str, tuple[tuple[int, int], str]] = {}  # path → ((mtime, size), digest)
        self.failure: tuple[str, str] | None = None  # (path, why) the disk cache could not be written

    def file_digest(self, path: Path) -> str | None:
        """Digest of a file's bytes (None if absent or not a regular file); re-read only
        when its mtime or size changed (the preview asks for every file on every save)."""
        try:
            stat = path.stat()
        except OSError:
            return None
        seen = self.stats.get(str(path))
        if seen is not None and seen[0] == (stat.st_mtime_ns, stat.st_size):
            return seen[1]
        try:
            value = digest(read_bytes(path))
        except DuizhaoError:  # a folder or pipe named like an input: its reader reports it
            return None
        self.stats[str(path)] = ((stat.st_mtime_ns, stat.st_size), value)
        return value

    def get(self, kind: str, key: str, valid: Shape = lambda value: True) -> Any | None:
        self.used.add((kind, key))
        if (kind, key) in self.memory:
            return self.memory[(kind, key)]
        if self.folder is None:
            return None
        try:
            value = _unseal(read_bytes(self._path(kind, key)), kind, key)
        except Exception:  # absent, truncated, flipped, swapped, another version: a miss
            return None
        if value is None or not valid(value):
            return None
        self.memory[(kind, key)] = value
        return value

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry is there (in memory, or a file on disk: not read, so not checked)."""
        return (kind, key) in self.memory or (self.folder is not None and self._path(kind, key).is_file())

    def put(self, kind: str, key: str, value: Any) -> None:
        self.used.add((kind, key))
        self.memory[(kind, key)] = value
        if self.folder is not None:
            self._write(self._path(kind, key), _seal(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), kind, key))

    def _write(self, path: Path, data: bytes) -> None:
        try:
            write_atomic(path, data, durable=False)
        except OSError as exc:  # the cache path is a file, read-only, the disk full …
            self.failure = self.failure or (str(exc.filename or path), exc.strerror or str(exc))

    def forget_unused(self, evict: tuple[str, ...] = ()) -> None:
        """Keep in memory only what the last build used (the preview runs for hours), and
        delete from disk the entries of the kinds in `evict` that it did not use (they
        hold old versions of the content) and temporary files a killed build left."""
        for kind in evict if self.folder is not None else ():
            used = {key for k, key in self.used if k == kind}
            try:
                entries = list(os.scandir(self.folder / kind))
            except OSError:
                continue
            for entry in entries:
                name = entry.name
                stale = name.endswith(".pickle") and name[:-len(".pickle")] not in used
                stale |= name.startswith(".") and name.endswith(".tmp") and _older(entry, STALE_TEMP)
                if stale:
                    try:
                        os.unlink(entry.path)
                    except OSError:
                        pass
        self.memory = {k: v for k, v in self.memory.items() if k in self.used}
        self.used = set()

    def manifest(self, out: Path) -> dict:
        """What the last build wrote into `out`: path → [fingerprint, size, mtime_ns]."""
        name = self._manifest_name(out)
        if name not in self.manifests and self.folder is not None:
            try:
                found = _unseal(read_bytes(self.folder / name), "manifest", name)
                if _is_manifest(found):
                    self.manifests[name] = found
            except Exception:  # absent, unreadable or damaged: as if there were none
                pass
        return self.manifests.get(name, {})

    def save_manifest(self, out: Path, manifest: dict) -> None:
        name = self._manifest_name(out)
        self.manifests[name] = manifest
        if self.folder is not None:
            self._write(self.folder / name, _seal(pickle.dumps(manifest, pickle.HIGHEST_PROTOCOL),
                                                  "manifest", name))

    def unrecord(self, out: Path, path: str) -> None:
        """A file of `out` written otherwise than its manifest says (the preview's edited
        page, written first): the next build renders it, whatever its fingerprint. In
        memory: the build after writes the manifest."""
        found = self.manifest(out)
        if path in found:
            self.manifests[self._manifest_name(out)] = {**found, path: ["", *found[path][1:]]}

    def written_before(self, out: Path) -> set[str]:
        """What a build of an earlier duizhao version recorded it wrote into `out` (its
        manifest was JSON): proof enough that the folder is ours to replace after an
        upgrade. Any problem reading it proves nothing."""
        if self.folder is None:
            return set()
        try:
            data = json.loads((self.folder / self._manifest_name(out).replace(".pickle", ".json"))
                              .read_text("utf-8"))
        except (OSError, ValueError):
            return set()
        return {k for k in data if isinstance(k, str)} if isinstance(data, dict) else set()

    def _manifest_name(self, out: Path) -> str:
        return f"manifest-{digest(str(out.resolve()))[:16]}.pickle"

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{key}.pickle"  # type: ignore[operator]


def _seal(payload: bytes, kind: str, key: str) -> bytes:
    return MAGIC + hashlib.sha256(f"{kind}\0{key}\0".encode() + payload).digest() + payload


def _unseal(data: bytes, kind: str, key: str) -> Any | None:
    """The value, if the data is an entry written for this very kind and key, intact."""
    head, check, payload = data[:len(MAGIC)], data[len(MAGIC):len(MAGIC) + 32], data[len(MAGIC) + 32:]
    if head != MAGIC or hashlib.sha256(f"{kind}\0{key}\0".encode() + payload).digest() != check:
        return None
    return pickle.loads(payload)


def _is_manifest(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, list) and len(v) == 3 and isinstance(v[0], str)
        and all(isinstance(n, int) for n in v[1:]) for k, v in value.items())


def _older(entry: os.DirEntry, seconds: float) -> bool:
    try:
        return time.time() - entry.stat(follow_symlinks=False).st_mtime > seconds
    except OSError:
        return False
