"""The hand-aligned gold set (tests/data/gold_alignment.json) and strict bead F1, aligning
exactly as the build does: topic terms as anchors, then pairs with an uncertain bead again
with the terms learned from their report's confident beads. Used by tests/test_align.py
and benchmarks/align.py.

Real pairs name their report and pair; constructed ones (tests/data/construct_gold.py)
carry their text and a `layout`. A predicted bead counts only if its Chinese and English
text are exactly a gold bead's (white space aside)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from duizhao.build.collect import align_pairs, load_reports
from duizhao.content.inline import escape_inline
from duizhao.content.model import Pair, Para
from duizhao.derive.align import Alignment
from duizhao.derive.topic_file import load_topics
from duizhao.derive.topic_index import pair_texts
from duizhao.derive.topic_terms import Matcher
from duizhao.errors import Problems

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold_alignment.json"


def squash(text: str) -> str:
    return re.sub(r"\s", "", text)


@dataclass
class Score:
    hit: int = 0
    predicted: int = 0
    gold: int = 0
    pairs: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hit / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.hit / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.hit / (self.predicted + self.gold) if self.predicted + self.gold else 1.0


def gold_items() -> list[dict]:
    return json.loads(GOLD.read_text("utf-8"))["pairs"]


def gold_pair(item: dict, real: dict[tuple[str, str], Pair]) -> Pair:
    """The Pair a gold item aligns: the report's own, or the constructed text."""
    if "layout" not in item:
        return real[(item["report"], item["pair"])]
    side = lambda texts: tuple(Para(escape_inline(t)) for t in texts if t)  # noqa: E731
    return Pair(item["pair"], side(item["zh"]), side(item["en"]))


def align_gold(items: list[dict]) -> list[tuple[dict, Alignment]]:
    """Each gold item with its alignment, made as the build makes it."""
    reports = load_reports(ROOT / "content", Problems())
    real = {(r.id, p.id): p for r in reports for p in r.pairs}
    topics = load_topics(ROOT / "content" / "topics.yaml")[0]
    matcher, by_id = Matcher(topics), {t.id: t for t in topics}
    out: dict[int, Alignment] = {}
    for report in reports:
        ids = {p.id: [t.id for t, _, _ in matcher.match(*pair_texts(p))] for p in report.pairs}
        own = align_pairs(report.pairs, ids, by_id)
        built = [(n, gold_pair(item, real)) for n, item in enumerate(items)
                 if item["report"] == report.id and "layout" in item]
        made = {p.id: [t.id for t, _, _ in matcher.match(*pair_texts(p))] for _, p in built}
        theirs = align_pairs([p for _, p in built], made, by_id, list(own.values()))
        for n, item in enumerate(items):
            if item["report"] == report.id and "layout" not in item:
                out[n] = own[item["pair"]]
        out.update({n: theirs[p.id] for n, p in built})
    return [(item, out[n]) for n, item in enumerate(items)]


def beads_of(alignment: Alignment) -> list[tuple[str, str]]:
    return [(squash("".join(alignment.zh[i].plain for i in zh)), squash("".join(alignment.en[j].plain for j in en)))
            for zh, en in alignment.beads]


def score(aligned: list[tuple[dict, Alignment]], keep=lambda item: True) -> Score:
    out = Score()
    for item, alignment in aligned:
        if not keep(item):
            continue
        gold = {(squash(b["zh"]), squash(b["en"])) for b in item["beads"]}
        found = beads_of(alignment)
        out.hit += len(gold & set(found))
        out.predicted, out.gold, out.pairs = out.predicted + len(found), out.gold + len(gold), out.pairs + 1
        if gold != set(found):
            out.misses.append(f"{item['report']} {item['pair']}")
    return out
