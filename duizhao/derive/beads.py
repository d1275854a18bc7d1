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
# A 1–1 bead whose sides share a stem costs at most this (both dropped, as untranslated
# and as added) less LEX per shared stem: a short Chinese sentence against a long English
# one is otherwise split into 1–0 + 0–1, the unexplained English stems costing more than
# the flat priors of dropping them.
UNRELATED = BEADS[(1, 0)] + BEADS[(0, 1)]
NUMBER_MATCH, NUMBER_MISS = 2.0, 1.5  # per shared number; per number in digits the other side lacks
TERM = 0.5  # per topic or learned term both sides name
LEX = 0.5  # per English stem that a dictionary sense of the Chinese side gives
MISS = 0.3  # per Chinese word whose senses the English lacks, per English stem unexplained
# An English sentence of a 1–b bead (b > 1) that shares no stem (nor a number in digits)
# with the Chinese while the bead's other sentences do: the mark of a sentence the
# translation added, which the flat 0–1 prior alone lets a neighbour absorb when it talks
# of the same things. (Stable on dev from 3 to 6.) Text the dictionary misses altogether
# shares nothing anywhere and pays nothing.
ORPHAN = 4.0
TEMPERATURE = 1.0
START = 4  # the band's first half-width, in English units
WIDTH = 16  # a band that had to grow wider than this is worth a warning
CELLS = 4_000_000
# Pruning inside the DP (the confidence pass always weighs every shape): a cell costlier
# than its row's cheapest by more than BEAM is not extended (its path would need that much
# back from the rest of the paragraph, against e^−BEAM odds), and a 1–3 … 1–8 bead (a 2–1
# or 2–2 one: either way) whose English length is more than LONGEST deviations from what
# the Chinese predicts is not tried. Neither changes a bead or a confidence of the gold set
# or the reports even at 6 and 6 (at LONGEST 4 beads change); together they cut the
# candidate beads the DP weighs by about 40%.
BEAM = 10.0
LONGEST = 8.0
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
    parts: tuple = ()  # of a Chinese run: per unit, the stems of each of its dictionary words
    words: int = 0  # of a Chinese run: its dictionary words that have a sense


def run(units: list[Span]) -> Span:
    """One span of all the units (linear in their number)."""
    size = sum(u.size for u in units)
    return Span(size, frozenset().union(*(u.hard for u in units)),
                frozenset().union(*(u.every for u in units)),
                frozenset().union(*(u.terms for u in units)),
                frozenset().union(*(u.lex for u in units)), RATIO * size, math.sqrt(VARIANCE * size) or 1.0,
                tuple(p for u in units for p in u.parts), sum(u.words for u in units))


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
    for meant in zh.parts if common else ():
        found += sum(1 for stems in meant if not stems.isdisjoint(common))
    return cost - LEX * len(common) + MISS * (zh.words - found + len(en.lex) - len(common))


class Table:
    """Both sides' per-unit features, taken apart once per pair, and the cost of any bead.

    Why this shape: the DP asks for every 1–b bead (b = 1 … 8) starting at a cell (i, j);
    `row(i, j)` answers them all in one walk over the English units, growing the run's
    shared stems, found words, numbers and terms incrementally (one set intersection per
    English unit) instead of building a run and a fresh set per candidate. A 2–1 or 2–2
    bead is the union of the two Chinese units' rows. Rows are memoised per cell, so the
    confidence pass and a widened band reuse them."""

    def __init__(self, zh: list[Span], en: list[Span]) -> None:
        self.n, self.m = len(zh), len(en)
        self.zh, self.en = zh, en
        self.zsize = [u.size for u in zh]
        self.esize = [u.size for u in en]
        self.masks = _masks(zh, frozenset().union(*(u.lex for u in en)))
        self.width = [min(WIDEST_EN, self.m - j) for j in range(self.m + 1)]
        self.counts = [_union_sizes([u.lex for u in en[j:j + WIDEST_EN]]) for j in range(self.m + 1)]
        self.priors = [BEADS[(1, b)] for b in range(1, WIDEST_EN + 1)]
        self.marked = [bool(u.hard or u.terms) for u in en]  # numbers in digits or terms to weigh
        self.rows: dict[int, tuple[list[float], list[frozenset], list[int]]] = {}

    def row(self, i: int, j: int, upto: int = WIDEST_EN, prune: bool = True) -> tuple[list[float], list[frozenset], list[int]]:
        """Prior plus evidence of zh[i] with en[j:j+b] for b = 1 … at least `upto` (as the
        English allows); and, for b = 1 and 2, the stems both sides share and the Chinese
        words found (for 2–b). The DP asks only for the b that land inside the band."""
        key = i * (self.m + 1) + j
        done = self.rows.get(key)
        upto = min(max(upto, 2), self.width[j])
        if done is not None and len(done[0]) >= upto and (prune or done[0][upto - 1] < math.inf):
            return done
        zh, en, esize = self.zh[i], self.en, self.esize
        size, lex, masks, words = zh.size, zh.lex, self.masks[i], zh.words
        mean, spread, counts = zh.mean, zh.spread, self.counts[j]
        out, shared, founds = [], [], []
        common, bits, length, orphans = frozenset(), 0, 0, 0
        hard, every, terms = frozenset(), frozenset(), frozenset()
        evidence = bool(zh.hard or zh.terms)
        for b in range(1, upto + 1):
            unit = en[j + b - 1]
            length += esize[j + b - 1]
            new = lex & unit.lex if lex else None
            if new:
                common = common | new
                for stem in new:
                    bits |= masks[stem]
            elif unit.lex and words and _apart(zh, unit):
                orphans += 1
            if unit.hard or unit.terms or evidence:
                hard, every, terms = hard | unit.hard, every | unit.every, terms | unit.terms
            cost = self.priors[b - 1]
            if size and length:
                d = (length - mean) / spread
                if prune and d > LONGEST and b > 2:  # longer runs only grow: none of them can win
                    out += [math.inf] * (self.width[j] - b + 1)
                    break
                cost += TAIL * math.log1p(d * d / (2 * TAIL))
                if zh.hard or hard:
                    cost += _numbers(zh.hard, zh.every, hard, every)
                if zh.terms and terms:
                    cost -= TERM * len(zh.terms & terms)
                if words:
                    found = bits.bit_count() if common else 0
                    cost += MISS * (words - found + counts[b - 1] - len(common)) - LEX * len(common)
                    if b > 1 and common:  # against the run's other sentences, which do share
                        cost += ORPHAN * orphans
                    elif common:  # sharing words, never less likely than two unrelated sentences
                        cost = min(cost, UNRELATED - LEX * len(common))
            out.append(cost)
            if b <= 2:
                shared.append(common)
                founds.append(bits.bit_count())
        self.rows[key] = done = (out, shared, founds)
        return done

    def double(self, i: int, j: int, b: int, prune: bool = False) -> float:
        """Prior plus evidence of the bead zh[i:i+2] with en[j:j+b], b = 1 or 2; with
        `prune`, inf when the lengths alone are more than LONGEST deviations apart."""
        zh0, zh1 = self.zh[i], self.zh[i + 1]
        cost = BEADS[(2, b)]
        size, length = zh0.size + zh1.size, sum(self.esize[j:j + b])
        if not size or not length:
            return cost
        d = (length - RATIO * size) / (math.sqrt(VARIANCE * size) or 1.0)
        if prune and abs(d) > LONGEST:
            return math.inf
        cost += TAIL * math.log1p(d * d / (2 * TAIL))
        if zh0.hard or zh1.hard or zh0.terms or zh1.terms or self.marked[j] or self.marked[j + b - 1]:
            en = self.en[j:j + b]
            zhard, zevery, zterms = zh0.hard | zh1.hard, zh0.every | zh1.every, zh0.terms | zh1.terms
            ehard = frozenset().union(*(u.hard for u in en))
            if zhard or ehard:
                cost += _numbers(zhard, zevery, ehard, frozenset().union(*(u.every for u in en)))
            if zterms:
                cost -= TERM * len(zterms & frozenset().union(*(u.terms for u in en)))
        words = zh0.words + zh1.words
        if not words:
            return cost
        first, second = self.row(i, j, b, False), self.row(i + 1, j, b, False)
        common = len(first[1][b - 1] | second[1][b - 1])
        found = first[2][b - 1] + second[2][b - 1]
        return cost - LEX * common + MISS * (words - found + self.counts[j][b - 1] - common)

    def cost(self, i: int, j: int, a: int, b: int) -> float:
        """Prior plus evidence of the bead of zh[i:i+a] and en[j:j+b] (inf if no such shape)."""
        prior = BEADS.get((a, b))
        if prior is None or i < 0 or j < 0 or i + a > self.n or j + b > self.m:
            return math.inf
        if not a or not b:
            return prior
        return self.row(i, j, b, False)[0][b - 1] if a == 1 else self.double(i, j, b)


def _masks(zh: list[Span], english: frozenset) -> list[dict[str, int]]:
    """Per Chinese unit, stem → a bit mask of its words that mean it, for the stems the
    English has somewhere (the only ones a bead can share)."""
    out = []
    for unit in zh:
        masks: dict[str, int] = {}
        if unit.parts and not unit.lex.isdisjoint(english):
            shared = unit.lex & english
            for k, stems in enumerate(unit.parts[0]):
                for stem in stems & shared:
                    masks[stem] = masks.get(stem, 0) | 1 << k
        out.append(masks)
    return out


def _apart(zh: Span, en: Span) -> bool:
    """Do they share no number in digits and no term (an ORPHAN, when no stem either)?"""
    return not (en.hard & zh.every or zh.hard & en.every or en.terms & zh.terms)


def _numbers(zhard: frozenset, zevery: frozenset, ehard: frozenset, eevery: frozenset) -> float:
    """Shared numbers pull a bead together; a number in digits the other side lacks pushes."""
    return (NUMBER_MISS * (len(zhard - eevery) + len(ehard - zevery))
            - NUMBER_MATCH * len((zhard & eevery) | (ehard & zevery)))


def _union_sizes(sets: list[frozenset]) -> list[int]:
    """How many distinct stems each run of the first 1, 2, … sets has."""
    out, seen = [], frozenset()
    for one in sets:
        seen = seen | one if one else seen
        out.append(len(seen))
    return out


def centre(zsize: list[int], esize: list[int], anchors: list[tuple[int, int]]) -> list[int]:
    """For each Chinese position, the English position on the length diagonal: the
    cumulative lengths matched, piecewise between hard anchors (zh unit, en unit)."""
    zc, ec = [0], [0]
    for size in zsize:
        zc.append(zc[-1] + size)
    for size in esize:
        ec.append(ec[-1] + size)
    n, m = len(zsize), len(esize)
    points = [(0, 0)] + [p for p in anchors if 0 < p[0] < n and 0 < p[1] < m]
    points.append((n, m))
    out = []
    for (i0, j0), (i1, j1) in zip(points, points[1:]):
        scale = (ec[j1] - ec[j0]) / max(1, zc[i1] - zc[i0])
        for i in range(i0, i1):
            target = ec[j0] + (zc[i] - zc[i0]) * scale
            out.append(min(j1, max(j0, bisect.bisect_left(ec, target, j0, j1 + 1))))
    return out + [m]


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
    middle = centre(table.zsize, table.esize, monotone(anchors))
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


def _touches(path: list[tuple[int, int]], lo: list[int], hi: list[int], m: int) -> bool:
    return any((j == lo[i] and j > 0) or (j == hi[i] and j < m) for i, j in path)


def _sweep(table: Table, lo: list[int], hi: list[int], exact: bool = False) -> list[tuple[int, int]]:
    """The DP inside rows lo[i] … hi[i]; the path's nodes, (0, 0) first. Each reachable
    cell pushes its beads forward in BEADS order (ties keep the first), the 1–b beads
    from one `row` of costs."""
    n, inf = table.n, math.inf
    drop, add = BEADS[(1, 0)], BEADS[(0, 1)]
    cost = [[inf] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * len(row) for row in cost]
    cost[0][0 - lo[0]] = 0.0
    for i in range(n + 1):
        row, base, top, came = cost[i], lo[i], hi[i], back[i]
        if i < n:
            nrow, nlo, nhi, nback = cost[i + 1], lo[i + 1], hi[i + 1], back[i + 1]
        beam = min(row) + BEAM if i < n and not exact else inf  # the last row reaches (n, m)
        for k, here in enumerate(row):
            if here > beam:  # unreached cells too (inf), unless the whole row is
                continue
            j = base + k
            if i < n:
                for b, c in enumerate(table.row(i, j, nhi - j, not exact)[0] if j <= nhi else (), 1):
                    j2 = j + b - nlo
                    if j2 > nhi - nlo:
                        break
                    if j2 >= 0 and here + c < nrow[j2]:
                        nrow[j2], nback[j2] = here + c, (1, b)
                if i + 2 <= n:
                    _double(table, cost[i + 2], back[i + 2], (lo[i + 2], hi[i + 2]), (i, j), here, exact)
                if nlo <= j <= nhi and here + drop < nrow[j - nlo]:
                    nrow[j - nlo], nback[j - nlo] = here + drop, (1, 0)
            if j < top and here + add < row[k + 1]:
                row[k + 1], came[k + 1] = here + add, (0, 1)
    if back[n][table.m - lo[n]] is None and (n or table.m) and not exact:
        return _sweep(table, lo, hi, True)  # pruning cut every way to the end: all of it
    path, i, j = [(n, table.m)], n, table.m
    while i or j:
        a, b = back[i][j - lo[i]]
        i, j = i - a, j - b
        path.append((i, j))
    return path[::-1]


def _double(table: Table, row: list[float], came: list, band: tuple[int, int], at: tuple[int, int],
            here: float, exact: bool) -> None:
    """The 2–1 and 2–2 beads from `at`, pushed into row i + 2 (its band: lo, hi)."""
    (lo, hi), (i, j) = band, at
    for b in (1, 2):
        j2 = j + b
        if j2 > table.m or j2 > hi:
            return
        if j2 >= lo:
            c = here + table.double(i, j, b, not exact)
            if c < row[j2 - lo]:
                row[j2 - lo], came[j2 - lo] = c, (2, b)


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
