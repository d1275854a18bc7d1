#!/usr/bin/env python3
"""Compare pages: how the matching grows with the reports, and what a page costs.

    python benchmarks/compare.py [--sizes 250 1000 4000 16000]

- **Seeds**: each compare page of the seed reports, made as the build makes it (matching,
  diffs, figures, words; rendering), best of 3, after the dictionary is loaded.
- **Synthetic**: two reports of N paragraphs in sections of 20, made from the seed pairs
  in turn, each ending with a sentence of its own number; the newer report changes the
  number of every 20th paragraph, drops every 33rd and inserts one after every 29th.
  For each N: the time to match (`derive.compare.compare`, diffs included), how many
  paragraph pairs were scored against the N × N a full table would score, and whether
  every unchanged paragraph was matched with its counterpart."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from duizhao.build.cache import Cache  # noqa: E402
from duizhao.build.collect import load_all, load_reports  # noqa: E402
from duizhao.build.plan import _compare_pages, env  # noqa: E402
from duizhao.content.model import Bilingual, Heading, Pair, Para, Report, number_pairs  # noqa: E402
from duizhao.content.settings import load_site  # noqa: E402
from duizhao.derive import lexicon  # noqa: E402
from duizhao.derive.compare import compare  # noqa: E402
from duizhao.derive.topic_index import pair_texts  # noqa: E402
from duizhao.errors import Problems  # noqa: E402
from duizhao.pages.compare import comparisons  # noqa: E402

SECTION = 20


def synthetic(n: int, newer: bool) -> Report:
    base = [p for r in load_reports(ROOT / "content", Problems()) for p in r.pairs if p.zh and p.en]
    blocks: list = []
    for k in range(n):
        if k % SECTION == 0:
            s = k // SECTION + 1
            blocks.append(Heading(2, f"p1-s{s}", f"({s})第{s}部分", f"{s}. Section {s}"))
        if newer and k % 33 == 5:
            continue  # dropped
        value = k + 1_000_000 if newer and k % 20 == 7 else k
        source = base[k % len(base)]
        blocks.append(Pair("", (Para(source.zh[0].text + f"第{value}批项目按期推进。"),),
                           (Para(source.en[0].text + f" Batch {value} will proceed."),)))
        if newer and k % 29 == 11:
            blocks.append(Pair("", (Para(f"新增第{k}项工作安排,推动冰雪运动场馆赛后利用。"),),
                               (Para(f"New task {k}: the winter sports venues will be used after the games."),)))
    number_pairs(blocks)
    return Report(f"s/{int(newer)}", 2000 + newer, "", Bilingual(), Bilingual(), Bilingual(), Bilingual(),
                  Bilingual(), blocks, [])


def seeds() -> None:
    content = ROOT / "content"
    site = load_site(content)
    loaded = load_all(content, Problems(), Cache(None), site)
    lexicon.dictionary()
    pages = _compare_pages(env(), loaded, comparisons(loaded.reports, site), site, "")
    for page in pages:
        best = min(_timed(page.make) for _ in range(3))
        print(f"| {page.path} | {best * 1000:.0f} ms | {len(page.make()) // 1024} KB |")


def _timed(make) -> float:
    start = time.perf_counter()
    make()
    return time.perf_counter() - start


def scale(sizes: list[int]) -> None:
    print("| paragraphs | matched in (s) | pairs scored | of N × N | unchanged matched to their own |")
    print("| ---: | ---: | ---: | ---: | --- |")
    for n in sizes:
        old, new = synthetic(n, False), synthetic(n, True)
        texts = ({p.id: pair_texts(p) for p in old.pairs}, {p.id: pair_texts(p) for p in new.pairs})
        start = time.perf_counter()
        found = compare(old, new, texts)
        took = time.perf_counter() - start
        same = [i for m in found.sections for i in m.items if i.kind == "same"]
        right = all(texts[0][i.old.id] == texts[1][i.new.id] for i in same)
        expected = n - len([k for k in range(n) if k % 33 == 5 or k % 20 == 7])
        print(f"| {n:,} | {took:.2f} | {found.scored:,} | {found.scored / n / n:.2%} | "
              f"{len(same):,} of {expected:,}{'' if right else ' (WRONG)'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 4000, 16000])
    args = parser.parse_args()
    print("| compare page (seeds) | made in | size |\n| --- | ---: | ---: |")
    seeds()
    print()
    scale(args.sizes)


if __name__ == "__main__":
    main()
