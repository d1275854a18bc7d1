"""What the tool derives from its own parts, kept per user between runs, as Python keeps
`__pycache__`: CC-CEDICT's senses as stems (derive/lexicon.py), Jinja's compiled
templates (pages/render.py) and the pinyin of topic names (pages/topics.py). Each costs a
cold build 0.2–0.4 s to make, and every build (and every test) made them all again.

Never stale: an entry's name holds a digest of everything it is made from (the source of
the code that makes it, the data file, the Python version), so a change makes a new entry
and the old one ages out (at most `LIMIT` files; the oldest go first). Never trusted
blindly: each file carries the SHA-256 of its payload, and a file that is missing, short,
corrupt or unreadable is a miss, made again. Never in the way: a folder that cannot be
made or written keeps nothing, and the work is done in memory as before. Nothing in it
changes what a build writes, only how long it takes.

The folder: `$DUIZHAO_TOOL_CACHE` (empty: keep nothing), else `$XDG_CACHE_HOME/duizhao`,
else `~/.cache/duizhao`, else the temporary folder's `duizhao-<uid>`."""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
import tempfile
from functools import lru_cache

LIMIT = 200  # files kept (a template edited in the preview makes one per save)
_MAGIC = b"duizhao-toolcache-1\n"
_DIGEST = 32  # bytes of SHA-256 after the magic


def key(*parts: object) -> str:
    """A digest of what an entry is made from (strings, bytes, reprs), with the Python
    version (marshal's format and bytecode follow it)."""
    h = hashlib.sha256(repr(sys.version_info[:2]).encode())
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:24]


def source_of(path: str) -> bytes:
    """The bytes of a source file an entry is made by (b"" if unreadable: a miss later)."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


@lru_cache(maxsize=1)
def folder() -> str | None:
    """The cache folder, made if need be; None when nothing can be kept."""
    chosen = os.environ.get("DUIZHAO_TOOL_CACHE")
    if chosen is not None:
        return _usable(chosen) if chosen else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    for candidate in ([os.path.join(xdg, "duizhao")] if xdg and os.path.isabs(xdg) else []) + [
            os.path.join(os.path.expanduser("~"), ".cache", "duizhao"),
            os.path.join(tempfile.gettempdir(), f"duizhao-{_uid()}")]:
        found = _usable(candidate)
        if found:
            return found
    return None


def _uid() -> str:
    return str(os.getuid()) if hasattr(os, "getuid") else "user"


def _usable(path: str) -> str | None:
    """`path`, made if need be, when it is a real folder of this user's that no one else
    can write (what it holds is run: Jinja's compiled code); else None. (As Jinja's own
    cache folder is checked: a folder another user made first in /tmp is refused.)"""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        found = os.lstat(path)
        if not stat.S_ISDIR(found.st_mode) or (hasattr(os, "getuid") and found.st_uid != os.getuid()):
            return None
        if stat.S_IMODE(found.st_mode) & 0o022:  # writable by others: make it ours alone
            os.chmod(path, 0o700)
            if stat.S_IMODE(os.lstat(path).st_mode) & 0o022:
                return None
    except OSError:
        return None
    return path if os.access(path, os.W_OK | os.X_OK) else None


def load(name: str) -> object | None:
    """The value saved under `name`, or None (missing, corrupt, unreadable, no folder)."""
    where = folder()
    if where is None:
        return None
    path = os.path.join(where, name)
    try:
        with open(path, "rb") as f:
            data = f.read()
        payload = data[len(_MAGIC) + _DIGEST:]
        if data[:len(_MAGIC)] != _MAGIC or data[len(_MAGIC):len(_MAGIC) + _DIGEST] != hashlib.sha256(payload).digest():
            return None
        value = marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    try:
        os.utime(path)  # used now: pruning lets the least recently used go, not the oldest made
    except OSError:
        pass
    return value


def save(name: str, value: object) -> bool:
    """Keep `value` (marshal's types only) under `name`: written whole or not at all."""
    where = folder()
    if where is None:
        return False
    payload = marshal.dumps(value)
    path = os.path.join(where, name)
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    except OSError:
        try:
            os.remove(tmp)
        except OSError:
            pass
        return False
    prune(where)
    return True


def prune(where: str) -> None:
    """At most LIMIT files: the least recently used go (written or read: `load` touches
    what it reads; a race with another process pruning only removes a file twice)."""
    try:
        entries = [(e.stat().st_mtime_ns, e.path) for e in os.scandir(where) if e.is_file()]
    except OSError:
        return
    for _, path in sorted(entries)[:max(0, len(entries) - LIMIT)]:
        try:
            os.remove(path)
        except OSError:
            pass
