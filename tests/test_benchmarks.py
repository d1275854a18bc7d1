"""The benchmark corpus and the comparison script, at the sizes an outside run may pick."""

from __future__ import annotations

import sys
from pathlib import Path

from helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402
import scale  # noqa: E402

REAL = {("beijing", 2023), ("beijing", 2024), ("beijing", 2025)}


def test_every_corpus_holds_the_real_reports_that_topics_yaml_cites() -> None:
    for n in (3, 4, 8, 10, 11, 12, 100, 1000):
        cells = corpus.cells(n)
        assert len(cells) == len(set(cells)) == n and REAL <= set(cells), n
    assert corpus.cells(100)[:5] == [("beijing", 2025), ("national", 2025), ("shanghai", 2025),
                                     ("guangdong", 2025), ("beijing", 2024)]  # newest first, every series
    assert len({series for series, _ in corpus.cells(1000)}) == 32


def test_the_edited_report_is_one_the_corpus_has(tmp_path: Path) -> None:
    corpus.write(5, tmp_path / "small")
    report = scale.edited(tmp_path / "small")
    assert report.startswith("national/")
    text = (tmp_path / "small/duizhao/content/reports" / f"{report}.md").read_text("utf-8")
    assert scale.OLD in text
    for tool in ("duizhao", "mkdocs", "hugo"):
        assert scale.edited_file(tool, tmp_path / "small").is_file()
