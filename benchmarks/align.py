#!/usr/bin/env python3
"""Sentence alignment against the hand-aligned gold set, and its speed.

    python benchmarks/align.py

tests/data/gold_alignment.json holds 33 pairs aligned by hand (by reading, before and
independently of the aligner), split into dev (the aligner's constants were tuned on
these) and test (held out). A predicted bead counts only if its Chinese and English text
are exactly a gold bead's (strict). Prints precision, recall and F1 per split, the time
to align all three reports, and the length model refitted on the corpus."""

from __future__ import annotations

import json
import math
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from duizhao.build.cache import clear_memos  # noqa: E402
from duizhao.derive.align import align
from duizhao.text.numerals import numbers  # noqa: E402
from duizhao.errors import Problems  # noqa: E402
from duizhao.build.collect import anchors_of, load_index, load_reports  # noqa: E402
from duizhao.derive.topic_index import pair_texts  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold_alignment.json"



def gold_report(report_id: str) -> str:
    """The gold set names Beijing's reports by year, as before series (`2023`)."""
    return report_id if "/" in report_id else f"beijing/{report_id}"

def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def predicted(alignment) -> set[tuple[str, str]]:
    return {(squash("".join(alignment.zh[i].plain for i in zh)), squash("".join(alignment.en[j].plain for j in en)))
            for zh, en in alignment.beads}


def scores(reports, split: str | None, index=None) -> tuple[float, float, float, int, int]:
    pairs = {(r.id, p.id): p for r in reports for p in r.pairs}
    hit = n_pred = n_gold = 0
    for item in json.loads(GOLD.read_text("utf-8"))["pairs"]:
        if split and item["split"] != split:
            continue
        gold = {(squash(b["zh"]), squash(b["en"])) for b in item["beads"]}
        key = (gold_report(item["report"]), item["pair"])
        found = predicted(align(pairs[key], anchors_of(index, *key)))
        hit, n_pred, n_gold = hit + len(gold & found), n_pred + len(found), n_gold + len(gold)
    precision, recall = hit / n_pred, hit / n_gold
    return precision, recall, 2 * precision * recall / (precision + recall), n_gold, hit


def main() -> None:
    reports = load_reports(ROOT / "content", Problems())
    index = load_index(ROOT / "content", reports)  # the build aligns with topic anchors
    print("| gold split | beads | precision | recall | F1 |\n| --- | ---: | ---: | ---: | ---: |")
    for split in ("dev", "test", None):
        p, r, f, n, _ = scores(reports, split, index)
        print(f"| {split or 'all'} | {n} | {p:.3f} | {r:.3f} | {f:.3f} |")
    times = []
    for _ in range(5):
        numbers.cache_clear()
        clear_memos()
        start = time.perf_counter()
        for report in reports:
            for pair in report.pairs:
                align(pair, anchors_of(index, report.id, pair.id))
        times.append((time.perf_counter() - start) * 1000)
    print(f"\nAligning all {sum(len(r.pairs) for r in reports)} pairs of the three reports: "
          f"{min(times):.1f} ms (best of 5, caches cleared)")
    sizes = [(len(squash(zh)), len(en)) for r in reports for p in r.pairs for zh, en in [pair_texts(p)] if zh and en]
    ratio = sum(e for _, e in sizes) / sum(z for z, _ in sizes)
    variance = statistics.mean((e - ratio * z) ** 2 / z for z, e in sizes)
    print(f"Length model refitted on the corpus: RATIO={ratio:.2f}, VARIANCE={variance:.1f}, "
          f"sd per 100 zh chars = {math.sqrt(variance * 100):.0f} en chars")


if __name__ == "__main__":
    main()
