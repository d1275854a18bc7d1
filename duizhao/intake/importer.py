"""`build.py import`: published plain text → content/reports/<year>.md.

Parses every file, merges excerpts of one report, and writes each report unless that
would lose work: a report edited by hand since the last import (its checksum no longer
matches) or one holding excerpts that are not being imported again needs `--force`.
Importing the same files again writes byte-identical files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import DuizhaoError, Problems, fail
from ..content.read import parse_markdown
from ..content.write import checksum, dump, stamped_checksum
from .merge import merge_all
from ..content.model import Report
from .plaintext import parse_file_bytes
from ..text.files import write_atomic


@dataclass
class Outcome:
    path: Path
    report: Report
    status: str  # "written" | "unchanged"


def import_files(files: list[str], reports_dir: Path, problems: Problems,
                 force: bool = False) -> list[Outcome]:
    if not files:
        raise fail("import", 0, "name at least one published text file to import")
    excerpts = []
    errors = []
    seen: dict[str, str] = {}
    for name in dict.fromkeys(str(Path(f)) for f in files):  # the same path twice: once
        try:
            data = _read(name)
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                raise fail(name, 0, f"same bytes as {seen[digest]}; import one of them")
            seen[digest] = name
            excerpts.append(parse_file_bytes(data, name, problems))
        except DuizhaoError as exc:
            errors += exc.diagnostics
    if errors:
        raise DuizhaoError(errors)
    reports = merge_all(excerpts, problems)
    planned = [(reports_dir / f"{r.id}.md", r, dump(r, stamp=True)) for r in reports]
    for path, report, text in planned:
        _refuse_losing_work(path, report, text, force)
        _verify_round_trip(report, text, str(path))
    outcomes = []
    for path, report, text in planned:
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            outcomes.append(Outcome(path, report, "unchanged"))
            continue
        write_atomic(path, text)
        outcomes.append(Outcome(path, report, "written"))
    return outcomes


def _read(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise fail(name, 0, f"cannot read: {exc.strerror or exc}") from None


def _refuse_losing_work(path: Path, report: Report, text: str, force: bool) -> None:
    """Never overwrite an editor's changes or drop excerpts without --force."""
    if force or not path.exists():
        return
    old = path.read_text(encoding="utf-8", errors="replace")
    if old == text:
        return
    recorded = stamped_checksum(old)
    if recorded is None or recorded != checksum(old):
        raise fail(str(path), 1, "edited by hand since it was imported; importing again "
                                 "would overwrite those edits (use --force to do it anyway)")
    old_files = _source_files(old)
    missing = sorted(old_files - {s.file for s in report.sources})
    if missing:
        raise fail(str(path), 1, f"also holds excerpts from {', '.join(missing)}; import "
                                 "them together with these files (or --force to replace)")


def _source_files(text: str) -> set[str]:
    problems = Problems()
    try:
        return {s.file for s in parse_markdown(text, "", problems).sources}
    except DuizhaoError:
        return set()


def _verify_round_trip(report: Report, text: str, path: str) -> None:
    """What import writes must load back as the same report; anything else is a bug."""
    loaded = parse_markdown(text, path, Problems())
    if loaded != report:
        raise AssertionError(f"{path}: import would not load back identically (a bug)")
