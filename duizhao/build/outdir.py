"""The output folder: which folder a build may replace, and what a killed build left.

A build replaces `out` only when it is provably an earlier build of ours: every entry in
it is a file that a build wrote there (listed in the folder's own MARKER, or in the
cache's manifest for that folder) or one this build writes. Anything else — a `.git`, a
`CNAME`, notes, a symlink — means the folder is not ours, and the build refuses with the
names it found. Folders the build reads (the content, the project, templates and static
files) and their parents are never an output folder, even when empty.

A build killed between its two renames leaves `.<out>.tmp-<pid>` (a half-written site)
or `.<out>.old-<pid>` (the last good site, moved aside) beside `out`. The next build
restores the last good site if `out` is missing, and removes the rest; folders of a
process that is still running are left alone."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from ..errors import DuizhaoError, fail
from ..paths import PACKAGE, ROOT, STATIC, TEMPLATES
from ..text.files import decode, read_bytes, alive

MARKER = ".duizhao-files"  # in every built site: the files the build wrote there
WHOLE = ("_pagefind/",)  # folders listed once: everything in them is the build's
_HEADER = ("# Written by duizhao: the files of this build. A build replaces this folder only\n"
           "# when it holds nothing but these (and what that build writes).\n")
SHOWN = 5  # foreign entries named in the refusal


def marker_text(paths: list[str]) -> str:
    """The MARKER of a site made of `paths` (the marker itself aside)."""
    listed = sorted({next((w for w in WHOLE if p.startswith(w)), p) for p in paths if p != MARKER})
    return _HEADER + "".join(f"{p}\n" for p in listed)


def check_out(out: Path, content: Path) -> None:
    """Refuse an output folder that is, or holds, a folder the build reads."""
    out = out.resolve()
    content = content.resolve()
    read = {content: "the content folder", content / "reports": "the reports folder",
            ROOT: "the project folder", TEMPLATES: "the templates folder",
            STATIC: "the static files folder", PACKAGE: "the duizhao package"}
    for folder, name in read.items():
        if out == folder or out in folder.parents:
            raise fail(str(out), 0, f"refusing to replace this folder: it is or holds {name} "
                                    f"({folder}); choose another --out")
        if folder not in (ROOT, content) and folder in out.parents:
            raise fail(str(out), 0, f"refusing to write the site here: it is inside {name} "
                                    f"({folder}), which the build reads; choose another --out")


def refuse_foreign(out: Path, ours: set[str]) -> None:
    """Refuse to replace `out` unless every entry in it is a file of ours: one in `ours`
    (what this build writes, what the cache says the last build wrote) or in its MARKER."""
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise fail(str(out), 0, "output path exists and is not a folder")
    owned = set(ours) | _marked(out) | {MARKER}
    whole = tuple(p for p in owned if p.endswith("/"))
    folders = {str(Path(p).parent.as_posix()) for p in owned if "/" in p.rstrip("/")}
    folders |= {"/".join(p.split("/")[:k]) for p in list(folders) for k in range(1, p.count("/") + 1)}
    foreign = _foreign(out, owned, whole, folders)
    if foreign:
        more = ", …" if len(foreign) > SHOWN else ""
        raise fail(str(out), 0, "refusing to replace this folder: it is not empty and holds "
                                f"what no duizhao build wrote ({', '.join(foreign[:SHOWN])}{more}); "
                                "choose another --out, or move those away")


def _marked(out: Path) -> set[str]:
    try:
        text = decode(read_bytes(out / MARKER), str(out / MARKER))
    except DuizhaoError:
        return set()
    if not text.startswith(_HEADER):
        return set()
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def _foreign(out: Path, owned: set[str], whole: tuple[str, ...], folders: set[str]) -> list[str]:
    """Entries of `out` that are not ours, walking only into folders of ours (bounded:
    it stops after a few, and never follows a link)."""
    found: list[str] = []
    todo = [""]
    while todo and len(found) <= SHOWN:
        rel = todo.pop()
        try:
            entries = sorted(os.scandir(out / rel), key=lambda e: e.name)
        except OSError as exc:
            raise fail(str(out / rel), 0, f"cannot look into the output folder: "
                                          f"{exc.strerror or exc}") from None
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            if (path + "/").startswith(whole) and not entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False) and path in folders:
                todo.append(path)
            elif not (entry.is_file(follow_symlinks=False) and path in owned):
                found.append(path + ("/" if entry.is_dir(follow_symlinks=False) else ""))
    return found


_LEFT = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>\d+)$")


def clean_leftovers(out: Path) -> None:
    """Remove the temporary folders of killed builds beside `out`; if `out` itself is
    missing, first put back the last good site that such a build had moved aside."""
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return
    left = []
    for entry in entries:
        match = _LEFT.match(entry.name)
        if match and match["name"] == out.name and entry.is_dir(follow_symlinks=False) \
                and not running(int(match["pid"])):
            left.append((match["kind"], entry))
    olds = sorted((e for kind, e in left if kind == "old"), key=lambda e: e.stat().st_mtime_ns)
    if olds and not out.exists() and not out.is_symlink():
        os.replace(olds.pop().path, out)
    for _, entry in left:
        if os.path.isdir(entry.path):
            shutil.rmtree(entry.path, ignore_errors=True)


def running(pid: int) -> bool:
    """Is a process with this id running (another build using its folders)?"""
    if pid == os.getpid():
        return False  # ours: this process is not building into it now
    return alive(pid)
