#!/usr/bin/env python3
"""Measure the import and build stages on the seeds and on a 2 MB paragraph.

    python benchmarks/run.py        (or: make bench)

Prints a Markdown table (best of several runs, wall-clock) to paste into README."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from duizhao.errors import Problems  # noqa: E402
from duizhao.content.read import parse_markdown  # noqa: E402
from duizhao.content.write import dump  # noqa: E402
from duizhao.intake.merge import merge_all  # noqa: E402
from duizhao.intake.plaintext import parse_file_bytes  # noqa: E402
from duizhao.build.cache import clear_memos  # noqa: E402
from duizhao.build.cache import Cache  # noqa: E402
from duizhao.build.collect import load_reports  # noqa: E402
from duizhao.build.pipeline import build, render_site  # noqa: E402

RAW = sorted((ROOT / "content" / "raw").glob("*.txt"))
HUGE = ("政府工作报告\n——2024年1月21日在北京市第十六届人民代表大会第二次会议上\n北京市市长 殷勇\n"
        "REPORT ON THE WORK OF THE GOVERNMENT\nDelivered at the Second Session on January 21, 2024\n"
        "Yin Yong, Mayor of Beijing\n" + "推进城市更新行动," * 80_000 + "\n"
        + "We will advance urban renewal, " * 70_000 + "\n").encode("utf-8")


def best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def import_seeds() -> None:
    reports = merge_all([parse_file_bytes(p.read_bytes(), str(p), Problems()) for p in RAW], Problems())
    for report in reports:
        dump(report, stamp=True)


def import_huge() -> None:
    report = parse_file_bytes(HUGE, "huge.txt", Problems())
    parse_markdown(dump(report), "huge.md", Problems())


def cold_build(content: Path, out: Path) -> None:
    clear_memos()  # the pair-level memo too: nothing known in advance
    build(content, out, Problems(), cache=Cache(None))


def main() -> None:
    content = ROOT / "content"
    with tempfile.TemporaryDirectory() as tmp:
        rows = [
            ("import: 5 seed excerpts → 3 reports (parse, merge, write)", best(import_seeds)),
            (f"import: one {len(HUGE) / 1e6:.1f} MB paragraph pair (parse, write, load back)", best(import_huge, 3)),
            ("load: 3 reports from content/", best(lambda: load_reports(content, Problems()))),
            ("render: all pages in memory (no cache)", best(lambda: render_site(content))),
            ("build, cold: no cache, load + render + atomic write of site/",
             best(lambda: cold_build(content, Path(tmp) / "site"))),
            ("build, warm: nothing changed", best(lambda: build(content, Path(tmp) / "site", Problems()))),
        ]
    print("| stage | best time (ms) |\n| --- | ---: |")
    for name, ms in rows:
        print(f"| {name} | {ms:.1f} |")


if __name__ == "__main__":
    main()
