"""How alike two paragraphs are, across two reports, and which pairs are worth asking.

A paragraph pair (both languages) becomes four kinds of evidence: the Chinese character
bigrams of its Han runs, the stems of its English content words, the numbers it writes
in digits (normalised: 26万 = 260,000) and the topics it falls under. Bigrams and stems
are weighted by how rare they are among the paragraphs of the two reports (tf-idf), and
the similarity of two paragraphs is a weighted sum of one cosine per kind (a side the
published text lacks gives its weight to the others).

Candidates: only pairs that share a *rare* bigram, stem or number (in at most RARE
paragraphs of either report) are scored, and each paragraph keeps its KEEP candidates
sharing the most. Each rare feature offers at most RARE × RARE pairs, so the candidates
are linear in the text, not the product of the paragraph counts.

A report is compared with the reports before and after it, so what depends on one report
only (its profiles, how many of its paragraphs hold each feature, its rare features'
paragraphs) is a `Side`, made once per report; a comparison adds only the two sides."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from operator import add

from ..text.numerals import numbers
from .lexicon import STEM, STOP

RARE = 6  # a feature in at most this many paragraphs (of each report) proposes pairs
KEEP = 12  # candidates kept per paragraph, those sharing the most rare features
WEIGHTS = {"zh": 0.45, "en": 0.3, "num": 0.15, "topic": 0.1}
_HAN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")


@dataclass(slots=True)
class Profile:
    """One paragraph's evidence: counts per feature, and its size in Han characters."""

    zh: Counter
    en: Counter
    num: frozenset
    topic: frozenset
    han: int


Vectors = tuple[dict, dict]  # a paragraph's Chinese and English counts weighted by rarity, length 1


@dataclass
class Side:
    """One report's paragraphs as comparisons read them: their profiles, per kind ("zh",
    "en") feature → how many paragraphs hold it (`df`), and the rare features (in at most
    RARE paragraphs) → those paragraphs."""

    profiles: list[Profile]
    df: dict[str, dict[str, int]]
    rare: dict[str | float, list[int]]


def side(profiles: list[Profile]) -> Side:
    """One pass over the paragraphs' features. A feature is its own key: bigrams are Han,
    stems Latin letters, numbers floats, so no two kinds share one."""
    df: dict[str, dict[str, int]] = {"zh": Counter(), "en": Counter()}
    for kind, counts in df.items():  # in C: the Counter counts keys of each paragraph
        counts.update(chain.from_iterable(getattr(p, kind) for p in profiles))
    postings: dict[str | float, list[int]] = {}
    for i, p in enumerate(profiles):
        for key in _rare(p, df):
            found = postings.get(key)
            if found is None:
                postings[key] = [i]
            else:
                found.append(i)
    return Side(profiles, df, {k: v for k, v in postings.items() if len(v) <= RARE})


def profile(zh: str, en: str, topics: tuple[str, ...] = ()) -> Profile:
    grams: Counter = Counter()
    han = 0
    for run in _HAN.findall(zh):
        han += len(run)
        grams.update(map(add, run, run[1:]))  # its bigrams, made in C
    words: Counter = Counter()
    for word, count in Counter(_WORD.findall(en.lower())).items():  # each distinct word stemmed once
        if word not in STOP and len(word) > 1:
            words[stem(word)] += count
    figures = numbers(zh, "zh")[0] | numbers(en, "en")[0]
    return Profile(grams, words, frozenset(figures), frozenset(topics), han)


def stem(word: str) -> str:
    """A word's first STEM letters, a plural -s dropped (as the aligner's lexicon stems)."""
    return (word[:-1] if word[-1] == "s" and word[-2:] != "ss" and len(word) > 3 else word)[:STEM]


def weigh(a: Side, b: Side) -> tuple[list[Vectors], list[Vectors]]:
    """Every paragraph's vectors: tf-idf over the paragraphs of both reports,
    idf = log(1 + P / (1 + paragraphs holding the feature)). One pass over the features."""
    total = len(a.profiles) + len(b.profiles)
    idf = {}
    for kind in ("zh", "en"):
        mine, other = a.df[kind], b.df[kind]
        idf[kind] = {f: math.log(1 + total / (1 + n + other.get(f, 0))) for f, n in mine.items()}
        idf[kind].update((f, math.log(1 + total / (1 + n))) for f, n in other.items() if f not in mine)
    out: tuple[list[Vectors], list[Vectors]] = ([], [])
    for k, own in enumerate((a, b)):
        for p in own.profiles:
            vectors = []
            for kind, counts in (("zh", p.zh), ("en", p.en)):
                rarity = idf[kind]
                weighted = {f: c * rarity[f] for f, c in counts.items()}
                norm = math.sqrt(sum(v * v for v in weighted.values()))
                vectors.append({f: v / norm for f, v in weighted.items()} if norm else {})
            out[k].append((vectors[0], vectors[1]))
    return out


def similarity(a: Profile, b: Profile, va: Vectors, vb: Vectors) -> float:
    """0 (nothing shared) … 1 (the same text): a weighted sum of one cosine per kind
    (`va`, `vb`: the profiles' vectors, from `weigh`); a kind neither side has gives its
    weight to the others."""
    scores: dict[str, float] = {}
    for k, kind in enumerate(("zh", "en")):
        x, y = va[k], vb[k]
        if x and y:
            # the shared features found in C; fsum's exact sum does not depend on their order
            scores[kind] = math.fsum([x[f] * y[f] for f in x.keys() & y.keys()])
    if a.num or b.num:
        scores["num"] = len(a.num & b.num) / math.sqrt(max(len(a.num), 1) * max(len(b.num), 1))
    if a.topic and b.topic:
        scores["topic"] = len(a.topic & b.topic) / len(a.topic | b.topic)
    total = sum(WEIGHTS[k] for k in scores)
    return sum(WEIGHTS[k] * v for k, v in scores.items()) / total if total else 0.0


def candidates(a: Side, b: Side) -> list[tuple[int, int]]:
    """(old index, new index) pairs sharing a rare feature, sorted; each paragraph keeps
    the KEEP that share most (see the module's bound)."""
    width = len(b.profiles) + 1  # a pair as one int: i * width + j
    shared: Counter = Counter()
    small, large = (a.rare, b.rare) if len(a.rare) <= len(b.rare) else (b.rare, a.rare)
    for key, here in small.items():
        there = large.get(key)
        if there is not None:
            olds, news = (here, there) if small is a.rare else (there, here)
            shared.update(i * width + j for i in olds for j in news)
    best_old: dict[int, list] = {}
    best_new: dict[int, list] = {}
    for code, count in shared.items():
        i, j = divmod(code, width)
        best_old.setdefault(i, []).append((-count, j))
        best_new.setdefault(j, []).append((-count, i))
    keep = {(i, j) for i, found in best_old.items() for _, j in sorted(found)[:KEEP]}
    return sorted(keep | {(i, j) for j, found in best_new.items() for _, i in sorted(found)[:KEEP]})


def _rare(p: Profile, df: dict[str, Counter]):
    """The features of a paragraph that may propose a candidate: its numbers, and its
    bigrams and stems in at most RARE paragraphs (topics are too common to)."""
    zh, en = df["zh"], df["en"]
    yield from (g for g in p.zh if zh[g] <= RARE)
    yield from (w for w in p.en if en[w] <= RARE)
    yield from p.num
