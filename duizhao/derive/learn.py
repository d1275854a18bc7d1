"""Term pairs learned from a report's own confident beads, for the coinages no dictionary
has (新质生产力 new quality productive forces, 京通 Jingtong, 老老人 oldest old).

A Chinese run of 2–5 characters that CC-CEDICT does not list and an English word (or
two) that no dictionary sense of its bead explains are paired when they occur in exactly
the same confident beads, at least twice. Cost: linear in the report's text, read up to
BEADS beads (each gives at most 4 runs a character and 2 words a word; pairs come from grouping by the set
of beads, never from all combinations). The pairs serve as anchors (like topic terms)
when the pairs with an uncertain bead are aligned again."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable

from ..content.model import Pair
from .align import LOW, Alignment
from .lexicon import STOP, headwords, zh_stems

CONFIDENT = 0.9  # beads at least this sure teach terms
SEEN = 2  # in at least this many beads
BEADS = 2000  # read at most this many beads (a bound for a giant paragraph)
GROUP = 12  # more runs or words than this in the same beads: repeated text, not a term
_HAN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z][a-z-]+")


def learn(alignments: list[Alignment]) -> tuple[tuple[frozenset, frozenset], ...]:
    """(Chinese runs, English words) that name the same thing, as anchors."""
    zh_beads: dict[str, set[int]] = defaultdict(set)
    en_beads: dict[str, set[int]] = defaultdict(set)
    bead = 0
    for alignment in alignments:
        for (zi, ei), confidence in zip(alignment.beads, alignment.bead_confidence):
            if confidence < CONFIDENT or not zi or not ei or bead >= BEADS:
                continue
            zh = "".join(alignment.zh[i].plain for i in zi)
            en = " ".join(alignment.en[j].plain for j in ei).lower()
            for run in _runs(zh):
                zh_beads[run].add(bead)
            for word in _words(en, zh_stems(zh)):
                en_beads[word].add(bead)
            bead += 1
    by_beads: dict[frozenset, set[str]] = defaultdict(set)
    for word, found in en_beads.items():
        if len(found) >= SEEN:
            by_beads[frozenset(found)].add(word)
    out: dict[frozenset, set[str]] = defaultdict(set)
    for run, found in zh_beads.items():
        key = frozenset(found)
        if len(found) >= SEEN and key in by_beads:
            out[key].add(run)
    return tuple((frozenset(_longest(runs)), frozenset(by_beads[key])) for key, runs in
                 sorted(out.items(), key=lambda kv: sorted(kv[1]))
                 if len(runs) <= GROUP and len(by_beads[key]) <= GROUP)


def _runs(text: str) -> set[str]:
    """Runs of 2–5 Chinese characters that are not dictionary words."""
    lexicon = headwords()
    out = set()
    for match in _HAN.finditer(text):
        han = match.group()
        for start in range(len(han)):
            for width in range(2, 6):
                run = han[start:start + width]
                if len(run) == width and run not in lexicon:
                    out.add(run)
    return out


def _words(text: str, explained: frozenset[str]) -> set[str]:
    """Content words (and pairs of them) that no dictionary sense of the bead explains."""
    words = [w for w in _WORD.findall(text) if w not in STOP and w[:5] not in explained and len(w) > 2]
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:])}


def _longest(runs: set[str]) -> set[str]:
    """Drop a run inside a longer one of the same beads (at most GROUP², bounded)."""
    return {r for r in runs if not any(r != other and r in other for other in runs)}


def realign(pairs: list[Pair], alignments: dict[str, Alignment], anchors: dict[str, tuple],
            align_one: Callable[[Pair, tuple], Alignment],
            teachers: list[Alignment] | None = None) -> dict[str, Alignment]:
    """The second pass: a pair with a bead below LOW is aligned again with the terms
    learned from the report's confident beads (`teachers`, by default all the pairs')
    that both its sides name."""
    unsure = [p for p in pairs if alignments[p.id].confidence < LOW and p.zh and p.en]
    if not unsure:
        return alignments
    learned = learn(list(alignments.values()) if teachers is None else teachers)
    out = dict(alignments)
    for pair in unsure:
        zh = "".join(para.lead + para.text for para in pair.zh)
        en = " ".join(para.lead + " " + para.text for para in pair.en).lower()
        extra = tuple(t for t in learned if any(r in zh for r in t[0]) and any(w in en for w in t[1]))
        if extra:
            out[pair.id] = align_one(pair, anchors[pair.id] + extra)
    return out
