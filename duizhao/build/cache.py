"""Every cache of the project, in one place, with the rule that makes each one invalid.

| layer | where | key (what it depends on) | invalid when |
| --- | --- | --- | --- |
| `Cache` "report" | memory + `.cache/duizhao/report/` | package source, file path, file bytes | any of them changes (a new key: a miss) |
| `Cache` "topics" | memory + disk | package source, topics.yaml path and bytes | likewise |
| `Cache` "derived" | memory + disk | report key + topics key | the report, topics.yaml or the code changes |
| `Cache` "search" | memory + disk | all report keys + the record template | any report or the template changes |
| `Cache` "state" | memory + disk | the output folder | kept with the digest of every input file; compared, not trusted |
| manifest | `.cache/duizhao/manifest-*.json` | the output folder | a file in `site/` no longer has the size and mtime recorded |
| quick stamp | `.cache/duizhao/quick-*.json` (`quick.py`) | the output folder | the options differ, an input file's size or mtime differs or one was added or removed, the manifest is another file, or `site/` differs from the manifest |
| `Cache.stats` | memory | file path | the file's mtime or size changes (then its bytes are hashed again) |
| `ALIGNMENTS` | memory | a pair's text and its anchors | never (pure function of the key); bounded |
| `CONTRIBUTIONS` | memory | report id | the report or its matches are other objects (`is`, not `==`) |
| `ENVIRONMENTS` | memory | templates folder + digest of every template's bytes | any template changes |
| `TEMPLATE_REFERENCES` | memory | template name + digest of its source | never (pure); bounded |
| `numbers` (text.numerals) | memory, `functools.lru_cache` | text + language | never (pure); 4,096 entries |

Content-addressed entries are never invalidated by hand: their key is a digest of
everything the value depends on, including the source of this package (`CODE`), so a
change simply misses. Entries live in memory (the preview's rebuilds) and, when a folder
is given, on disk as pickles (the next `build.py`). A missing, unreadable or stale entry is
a miss, never an error: deleting the folder changes nothing but time."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any, Callable

from ..paths import PACKAGE
from ..text.files import write_atomic
from .quick import digest, manifest_name



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


class Cache:
    """Content-addressed values; `folder=None` keeps them in memory only."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.memory: dict[tuple[str, str], Any] = {}
        self.used: set[tuple[str, str]] = set()
        self.manifests: dict[str, dict] = {}
        self.stats: dict[str, tuple[tuple[int, int], str]] = {}  # path → ((mtime, size), digest)

    def file_digest(self, path: Path) -> str | None:
        """Digest of a file's bytes (None if absent); re-read only when its mtime or size
        changed (the preview asks for every file on every save)."""
        try:
            stat = path.stat()
        except OSError:
            return None
        seen = self.stats.get(str(path))
        if seen is not None and seen[0] == (stat.st_mtime_ns, stat.st_size):
            return seen[1]
        value = digest(path.read_bytes())
        self.stats[str(path)] = ((stat.st_mtime_ns, stat.st_size), value)
        return value

    def get(self, kind: str, key: str) -> Any | None:
        self.used.add((kind, key))
        if (kind, key) in self.memory:
            return self.memory[(kind, key)]
        if self.folder is None:
            return None
        try:
            with open(self._path(kind, key), "rb") as handle:
                value = pickle.load(handle)
        except Exception:  # absent, truncated, or written by another version: a miss
            return None
        self.memory[(kind, key)] = value
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        self.used.add((kind, key))
        self.memory[(kind, key)] = value
        if self.folder is not None:
            write_atomic(self._path(kind, key), pickle.dumps(value, pickle.HIGHEST_PROTOCOL), durable=False)

    def forget_unused(self) -> None:
        """Keep in memory only what the last build used (the preview runs for hours)."""
        self.memory = {k: v for k, v in self.memory.items() if k in self.used}
        self.used = set()

    def manifest(self, out: Path) -> dict:
        """What the last build wrote into `out`: path → [fingerprint, size, mtime_ns]."""
        name = self._manifest_name(out)
        if name not in self.manifests and self.folder is not None:
            try:
                self.manifests[name] = json.loads((self.folder / name).read_text("utf-8"))
            except (OSError, ValueError):
                pass
        return self.manifests.get(name, {})

    def save_manifest(self, out: Path, manifest: dict) -> None:
        name = self._manifest_name(out)
        self.manifests[name] = manifest
        if self.folder is not None:
            write_atomic(self.folder / name, json.dumps(manifest, sort_keys=True), durable=False)

    def _manifest_name(self, out: Path) -> str:
        return manifest_name(out)

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{key}.pickle"  # type: ignore[operator]
