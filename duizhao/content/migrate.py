"""`build.py migrate`: reports from before series (`content/reports/2025.md`, `id: '2025'`)
become `content/reports/<series>/2025.md` with `id: <series>/2025` and `series:`, the
series being site.yaml's first. Only those two front-matter lines change; a report still
as imported keeps a valid import stamp (so `import` can still refresh it), one edited by
hand keeps its stale stamp (so `import` still refuses to overwrite it). Idempotent."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import fail
from ..text.files import read_text, write_atomic
from .settings import load_site
from .write import STAMP_KEY, checksum, stamped_checksum

_ID_LINE = re.compile(r"^id:[ \t]*['\"]?([A-Za-z0-9_-]+)['\"]?[ \t]*$", re.MULTILINE)


def migrate(content: Path) -> list[tuple[Path, Path]]:
    """(old path, new path) of every report moved."""
    series = load_site(content).first_series
    folder = content / "reports"
    moved = []
    for path in sorted(p for p in folder.glob("*.md") if p.is_file()):
        text = read_text(path)
        front = text.split("\n---", 1)[0]
        found = _ID_LINE.search(front)
        if re.search(r"^series:", front, re.MULTILINE):
            continue
        if not found:
            raise fail(str(path), 2, "no `id:` line to migrate; add `series:` and `id: <series>/<year>` by hand")
        target = folder / series / f"{found.group(1)}.md"
        if target.exists():
            raise fail(str(path), 2, f"{target} exists already; remove one of them")
        write_atomic(target, _rewrite(text, found, series))
        path.unlink()
        moved.append((path, target))
    return moved


def _rewrite(text: str, found: re.Match[str], series: str) -> str:
    valid = stamped_checksum(text) == checksum(text)
    new = text[: found.start()] + f"id: {series}/{found.group(1)}\nseries: {series}" + text[found.end():]
    if valid and stamped_checksum(new) is not None:
        new = re.sub(rf"^{STAMP_KEY}: sha256:[0-9a-f]{{64}}$", f"{STAMP_KEY}: sha256:{checksum(new)}",
                     new, count=1, flags=re.MULTILINE)
    return new
