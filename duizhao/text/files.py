"""Reading text files the way the published copies arrive: UTF-8 with or without BOM,
UTF-16 with BOM, any line ending. GBK/GB18030 and binary files are refused with a
message that says what to do, never decoded into mojibake."""

from __future__ import annotations

import codecs
import errno
import os
import stat
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import fail
from .chars import CONTROL, control_name

_NEWLINES = re.compile(r"\r\n|\r|\n")


def decode(data: bytes, path: str) -> str:
    """Decode bytes to text or raise a located error (exit 2)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise fail(path, 0, f"broken UTF-16 text (at byte {exc.start}); save it as UTF-8") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise fail(path, line, _not_utf8_message(data, exc.start)) from None
    bad = CONTROL.search(text)
    if bad:
        raise _control_error(text, bad.start(), path)
    return text


def _control_error(text: str, at: int, path: str):
    line = len(split_lines(text[:at]))
    column = at - max(text.rfind("\n", 0, at), text.rfind("\r", 0, at))
    char = text[at]
    if char == "\x00":
        return fail(path, line, f"binary data (control character {char!r}); expected a UTF-8 text file")
    return fail(path, line, f"{control_name(char)} at column {column}: not text (it would "
                            "break the TMX download); delete it or replace it with a space")


def _not_utf8_message(data: bytes, offset: int) -> str:
    byte = data[offset]
    if b"\x00" not in data[:4096]:
        if _mostly_latin(data):  # (first: its few high bytes often read as GBK pairs too)
            return (f"not UTF-8: this looks like Windows-1252 (byte 0x{byte:02x} at offset {offset}, "
                    "curly quotes or dashes from a Western editor); convert it first, e.g. "
                    "iconv -f WINDOWS-1252 -t UTF-8")
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            return (f"not UTF-8: this looks like GBK/GB18030 (byte 0x{byte:02x} at offset "
                    f"{offset}); convert it first, e.g. iconv -f GB18030 -t UTF-8")
    return f"not a UTF-8 text file (byte 0x{byte:02x} at offset {offset}); binary input?"


def _mostly_latin(data: bytes) -> bool:
    """Text in a Western single-byte encoding: nearly all ASCII, its other bytes mostly
    alone between ASCII ones (a curly quote, a dash; GBK writes a Chinese character as two
    high bytes in a row), and all of them ones Windows-1252 gives a character."""
    sample = data[:65536]
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return False
    high = alone = 0
    for k, b in enumerate(sample):
        if b >= 0x80:
            high += 1
            alone += (k == 0 or sample[k - 1] < 0x80) and (k + 1 == len(sample) or sample[k + 1] < 0x80)
    return 0 < high <= 0.25 * len(sample) and alone >= 0.8 * high


def read_text(path: str | Path) -> str:
    """Read and decode a file; a missing or unreadable file is a located error."""
    return decode(read_bytes(path), str(path))


def check_inside(path: Path, root: Path) -> None:
    """A located error when `path` is a link that leads out of `root` (the content
    folder): links out of it are not followed, into a big tree, a loop or a device."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise fail(str(path), 0, "a link that leads round in a loop: not followed") from None
    if target != root.resolve() and root.resolve() not in target.parents:
        raise fail(str(path), 0, f"a link out of {root} (to {target}): not followed; "
                                 "copy the file into the folder instead")


def read_bytes(path: str | Path) -> bytes:
    """A regular file's bytes, or a located error: a folder, a pipe or a device (which
    could block forever) is not read."""
    try:
        with open(path, "rb", opener=_open_regular) as handle:
            return handle.read()
    except OSError as exc:
        raise fail(str(path), 0, f"cannot read: {exc.strerror or exc}") from None


def _open_regular(path: str, flags: int) -> int:
    """Open without blocking (a FIFO would wait for a writer), then insist on a regular file."""
    fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a pipe, socket or device)"
        raise OSError(errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL, f"is {what}")
    return fd


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF only (str.splitlines also splits on U+2028 and friends)."""
    return _NEWLINES.split(text)


def write_atomic(path: str | Path, data: str | bytes, durable: bool = True) -> None:
    """Write a file via a temporary file and rename, so no reader sees half a file.
    Text is written as UTF-8 with \n line ends. `durable` also syncs it to disk first
    (content files); caches and the preview's own folder can do without."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_folders(prefix: str) -> None:
    """Remove the temporary folders `<prefix><pid>-…` of processes no longer running
    (SIGKILL, or a signal that ends a process unasked, leaves no time to clean up): ours
    by name and owner, never this process's own (a thread may be using one)."""
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)-")
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or int(match.group(1)) == os.getpid():
            continue
        try:
            mine = entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid()
        except OSError:
            continue
        if mine and not alive(int(match.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)


def alive(pid: int) -> bool:
    """Is a process with this id running? (One we may not signal is.)"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True
