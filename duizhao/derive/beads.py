"""The bead DP: which runs of Chinese units go with which runs of English units.

Beads 1–1 … 1–8, 2–1, 2–2, 1–0 and 0–1 are chosen by dynamic programming on the
Gale–Church length model shared with the importer (text/lengths.py), plus evidence that
holds across the languages: numbers normalised (26万 = 260,000), topic and learned terms,
and the CC-CEDICT senses shared by the two sides (derive/lexicon.py).

Linear in the paragraph: the DP runs in a band of ±`width` English units around the
length diagonal (the English position whose cumulative length matches the Chinese one),
the diagonal bent through hard anchors (a note reference or a number written in digits
that occurs once on each side). If the best path touches the band's edge, the band is
doubled (at most until it holds `CELLS` cells); past `WIDTH` the caller warns.
Cost: O(units × width × bead types), memory O(units × width).

Each bead's confidence compares the path with its local alternatives: each of its two
boundaries moved (`MOVES`), or removed (the two beads merged), or the bead dropped as
untranslated. With Δ the extra cost of an
alternative, confidence = 1 / (1 + Σ exp(−Δ / TEMPERATURE))."""

from __future__ import annotations

import bisect
import math
from typing import NamedTuple

from ..text.lengths import RATIO, TAIL, VARIANCE

# Bead shapes (Chinese units, English units) and their prior cost: −log of how often each
# shape occurs in the dev half of the gold set, relative to 1–1 (unseen shapes: half an
# occurrence; 1–7 and 1–8 extrapolated; 1–0 and 0–1 tuned on dev).
BEADS = {(1, 1): 0.0, (1, 2): 1.25, (1, 3): 1.9, (1, 4): 2.6, (1, 5): 2.8, (1, 6): 4.2,
         (1, 7): 5.2, (1, 8): 6.2, (2, 1): 4.5, (2, 2): 4.2, (1, 0): 6.0, (0, 1): 6.0}
WIDEST_ZH, WIDEST_EN = max(a for a, _ in BEADS), max(b for _, b in BEADS)
NUMBER_MATCH, NUMBER_MISS = 2.0, 1.5  # per shared number; per number in digits the other side lacks
TERM = 0.5  # per topic or learned term both sides name
LEX = 0.5  # per English stem that a dictionary sense of the Chinese side gives
MISS = 0.3  # per Chinese word whose senses the English lacks, per English stem unexplained
TEMPERATURE = 1.0
START = 4  # the band's first half-width, in English units
WIDTH = 16  # a band that had to grow wider than this is worth a warning
CELLS = 4_000_000
# A boundary's alternatives: moved by one Chinese unit, by one or two English units.
MOVES = [(di, dj) for di in (-1, 0, 1) for dj in (-1, 0, 1) if di or dj] + [(0, -2), (0, 2)]  # the band is widened no further than this many cells


class Span(NamedTuple):
    """What a bead's cost needs of a run of consecutive units of one side."""

    size: int
    hard: frozenset  # numbers in digits
    every: frozenset  # all numbers
    terms: frozenset  # indices of the terms it names
    lex: frozenset  # English stems (senses, for Chinese)
    mean: float = 0.0  # of a Chinese run: the English length the model expects …
    spread: float = 1.0  # … and its standard deviation
    parts: tuple = ()  # of a Chinese run: per unit, stem → a bit mask of the words that mean it
    words: int = 0  # of a Chinese run: its dictionary words that have a sense


def run(units: list[Span]) -> Span:
    """One span of all the units (linear in their number)."""
    size = sum(u.size for u in units)
    return Span(size, frozenset().union(*(u.hard for u in units)),
                frozenset().union(*(u.every for u in units)),
                frozenset().union(*(u.terms for u in units)),
                frozenset().union(*(u.lex for u in units)), RATIO * size, math.sqrt(VARIANCE * size) or 1.0,
                tuple(p for u in units for p in u.parts), sum(u.words for u in units))


def spans(units: list[Span], widest: int) -> list[list[Span | None]]:
    """runs[start][width] for width 0 … widest (None for 0, and past the end)."""
    out = []
    for start in range(len(units)):
        row: list[Span | None] = [None]
        size, hard, every, terms, lex = 0, frozenset(), frozenset(), frozenset(), frozenset()
        parts, words = (), 0
        for unit in units[start:start + widest]:
            size, parts, words = size + unit.size, parts + unit.parts, words + unit.words
            hard = hard | unit.hard if unit.hard else hard
            every = every | unit.every if unit.every else every
            terms = terms | unit.terms if unit.terms else terms
            lex = lex | unit.lex if unit.lex else lex
            row.append(Span(size, hard, every, terms, lex, RATIO * size, math.sqrt(VARIANCE * size) or 1.0,
                            parts, words))
        out.append(row + [None] * (widest + 1 - len(row)))
    out.append([None] * (widest + 1))
    return out


def bead_cost(zh: Span | None, en: Span | None) -> float:
    """Length cost (heavy-tailed: text/lengths.length_cost written out, as this runs for
    every candidate bead) minus the evidence both sides share, plus a cost for each number
    in digits the other side lacks. 1–0 and 0–1 beads: their prior only."""
    if zh is None or en is None or not zh.size or not en.size:
        return 0.0
    d = (en.size - zh.mean) / zh.spread
    cost = TAIL * math.log1p(d * d / (2 * TAIL))
    if zh.hard or en.hard:
        cost -= NUMBER_MATCH * len((zh.hard & en.every) | (en.hard & zh.every))
        cost += NUMBER_MISS * (len(zh.hard - en.every) + len(en.hard - zh.every))
    if zh.terms and en.terms:
        cost -= TERM * len(zh.terms & en.terms)
    if not zh.words:
        return cost
    common = zh.lex & en.lex
    found = 0  # Chinese words with a sense the English has
    for masks in zh.parts if common else ():
        bits = 0
        for stem in common:
            bits |= masks.get(stem, 0)
        found += bits.bit_count()
    return cost - LEX * len(common) + MISS * (zh.words - found + len(en.lex) - len(common))


class Table:
    """Spans of both sides, and the cost of any bead between them."""

    def __init__(self, zh: list[Span], en: list[Span]) -> None:
        self.n, self.m = len(zh), len(en)
        self.zh, self.en = spans(zh, WIDEST_ZH), spans(en, WIDEST_EN)

    def cost(self, i: int, j: int, a: int, b: int) -> float:
        """Prior plus evidence of the bead of zh[i:i+a] and en[j:j+b] (inf if no such shape)."""
        prior = BEADS.get((a, b))
        if prior is None or i + a > self.n or j + b > self.m:
            return math.inf
        return prior + bead_cost(self.zh[i][a], self.en[j][b])


def centre(zh: list[Span], en: list[Span], anchors: list[tuple[int, int]]) -> list[int]:
    """For each Chinese position, the English position on the length diagonal: the
    cumulative lengths matched, piecewise between hard anchors (zh unit, en unit)."""
    zc, ec = [0], [0]
    for unit in zh:
        zc.append(zc[-1] + unit.size)
    for unit in en:
        ec.append(ec[-1] + unit.size)
    points = [(0, 0)] + [p for p in anchors if 0 < p[0] < len(zh) and 0 < p[1] < len(en)]
    points.append((len(zh), len(en)))
    out = []
    for (i0, j0), (i1, j1) in zip(points, points[1:]):
        scale = (ec[j1] - ec[j0]) / max(1, zc[i1] - zc[i0])
        for i in range(i0, i1):
            target = ec[j0] + (zc[i] - zc[i0]) * scale
            out.append(min(j1, max(j0, bisect.bisect_left(ec, target, j0, j1 + 1))))
    return out + [len(en)]


def monotone(anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The anchors that keep both positions increasing (greedy, in Chinese order)."""
    out: list[tuple[int, int]] = []
    for i, j in sorted(anchors):
        if not out or (i > out[-1][0] and j > out[-1][1]):
            out.append((i, j))
    return out


def best_path(table: Table, anchors: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], bool]:
    """The cheapest path of nodes (i, j) from (0, 0) to (n, m), and whether the band had
    to grow past WIDTH. Bounded: each try at most CELLS cells; the width doubles per try."""
    n, m = table.n, table.m
    middle = centre_of(table, anchors)
    width = START
    while True:
        lo = [max(0, c - width) for c in middle]
        hi = [min(m, c + width) for c in middle]
        for i in range(n - 1, -1, -1):  # every row reachable from the one before
            hi[i] = max(hi[i], lo[i + 1] - 1)
        path = _sweep(table, lo, hi)
        whole = all(a == 0 and b == m for a, b in zip(lo, hi))
        if whole or not _touches(path, lo, hi, m) or (4 * width + 1) * (n + 1) > CELLS:
            return path, width > WIDTH
        width *= 2


def centre_of(table: Table, anchors: list[tuple[int, int]]) -> list[int]:
    zh = [row[1] for row in table.zh[:-1]]
    en = [row[1] for row in table.en[:-1]]
    return centre(zh, en, monotone(anchors))


def _touches(path: list[tuple[int, int]], lo: list[int], hi: list[int], m: int) -> bool:
    return any((j == lo[i] and j > 0) or (j == hi[i] and j < m) for i, j in path)


def _sweep(table: Table, lo: list[int], hi: list[int]) -> list[tuple[int, int]]:
    """The DP inside rows lo[i] … hi[i]; the path's nodes, (0, 0) first."""
    n = table.n
    moves = [(a, b, prior) for (a, b), prior in BEADS.items()]
    cost = [[math.inf] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * len(row) for row in cost]
    cost[0][0 - lo[0]] = 0.0
    zs, es = table.zh, table.en
    for i in range(n + 1):
        row, base = cost[i], lo[i]
        for k, here in enumerate(row):
            if here == math.inf:
                continue
            j = base + k
            for a, b, prior in moves:
                i2, j2 = i + a, j + b
                if i2 > n or j2 > hi[i2] or j2 < lo[i2]:
                    continue
                c = here + prior + bead_cost(zs[i][a], es[j][b])
                if c < cost[i2][j2 - lo[i2]]:
                    cost[i2][j2 - lo[i2]], back[i2][j2 - lo[i2]] = c, (a, b)
    path, i, j = [(n, table.m)], n, table.m
    while i or j:
        a, b = back[i][j - lo[i]]
        i, j = i - a, j - b
        path.append((i, j))
    return path[::-1]


def confidences(table: Table, path: list[tuple[int, int]]) -> list[float]:
    """Each bead's confidence against its local alternatives (see the module's doc)."""
    beads = list(zip(path, path[1:]))
    costs = [table.cost(i, j, i2 - i, j2 - j) for (i, j), (i2, j2) in beads]
    spread = [0.0] * len(beads)  # Σ exp(−Δ/T) per bead
    for k in range(1, len(beads)):
        (i0, j0), (i, j), (i2, j2) = path[k - 1], path[k], path[k + 1]
        here = costs[k - 1] + costs[k]
        alternatives = [table.cost(i0, j0, i2 - i0, j2 - j0)]  # the boundary removed
        for di, dj in MOVES:
            alternatives.append(table.cost(i0, j0, i + di - i0, j + dj - j0)
                                + table.cost(i + di, j + dj, i2 - i - di, j2 - j - dj))
        weight = sum(math.exp(min(50.0, (here - alt) / TEMPERATURE)) for alt in alternatives if alt < math.inf)
        spread[k - 1] += weight
        spread[k] += weight
    for k, ((i, j), (i2, j2)) in enumerate(beads):
        if i2 > i and j2 > j:  # dropped as untranslated instead
            dropped = (i2 - i) * BEADS[(1, 0)] + (j2 - j) * BEADS[(0, 1)]
            spread[k] += math.exp(-min(50.0, (dropped - costs[k]) / TEMPERATURE))
    return [round(1 / (1 + s), 4) for s in spread]
