"""What a bead costs: the evidence of the bead DP (derive/beads.py), per pair taken apart once.

A bead's cost is its shape's prior, the Gale–Church length cost (text/lengths.py, heavy
tailed), numbers in digits shared or missing, topic and learned terms both sides name, and
the CC-CEDICT stems (derive/lexicon.py) the two sides share, less the Chinese words and
English stems left unexplained. `Table.row` prices every 1–b bead from one cell in one walk
over the English, so the DP's inner loop builds no run and no set per candidate: inside
the Table a unit's stems, numbers and terms are bits of an int (`bead_cost` and `run`,
for a pair that is one bead, keep the frozensets)."""

from __future__ import annotations

import math
from typing import NamedTuple

from ..text.lengths import RATIO, TAIL, VARIANCE

_ONE = 1  # its bound __lshift__ makes bits in C

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
# Per shared number; per number in digits the other side lacks. At 1.5 a 1–b bead took in
# an English sentence the translation added that states a figure the Chinese never gives
# (dev: added:p2-s10-2); 3.5 to 6 align the same on dev, and no bead of the three reports,
# of the held-out half or of a 100-report corpus changes (their confidences move a little).
NUMBER_MATCH, NUMBER_MISS = 2.0, 4.0
TERM = 0.5  # per topic or learned term both sides name
LEX = 0.5  # per English stem that a dictionary sense of the Chinese side gives
MISS = 0.3  # per Chinese word whose senses the English lacks, per English stem unexplained
# An English sentence of a 1–b bead (b > 1) that shares no stem (nor a number in digits)
# with the Chinese while the bead's other sentences do: the mark of a sentence the
# translation added, which the flat 0–1 prior alone lets a neighbour absorb when it talks
# of the same things. (Stable on dev from 3 to 6.) Text the dictionary misses altogether
# shares nothing anywhere and pays nothing.
ORPHAN = 4.0
# Pruning (the DP asks for it; the confidence pass weighs every shape exactly): a 1–3 …
# 1–8 bead (a 2–1 or 2–2 one: either way) whose English length is more than LONGEST
# deviations from what the Chinese predicts is not tried. With beads.BEAM it changes no
# bead and no confidence of the gold set or the reports even at 6 (at 4 beads change);
# the two cut the candidate beads the DP weighs by about 40%.
LONGEST = 8.0


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
    shared stems, found words, numbers and terms incrementally instead of building a run
    per candidate. Every set is a Python int used as a bit set over the pair's own
    vocabulary (English stems, numbers; a term's index is its bit), so a union is `|` and
    a size `bit_count()`: the same counts as the sets, far cheaper than frozensets in the
    inner loop. A 2–1 or 2–2 bead is the union of the two Chinese units' rows. Rows are
    memoised per cell, so the confidence pass and a widened band reuse them."""

    def __init__(self, zh: list[Span], en: list[Span]) -> None:
        self.n, self.m = len(zh), len(en)
        self.zh, self.en = zh, en
        self.zsize = [u.size for u in zh]
        self.esize = [u.size for u in en]
        stems: dict[str, int] = {}  # stem → its bit: every English stem of the pair
        self.elex = _bits([u.lex for u in en], stems)
        self.zlex, self.masks = _chinese(zh, stems)
        numbers: dict[float, int] = {}
        self.ehard, self.eevery = _bits([u.hard for u in en], numbers), _bits([u.every for u in en], numbers)
        self.zhard, self.zevery = _bits([u.hard for u in zh], numbers), _bits([u.every for u in zh], numbers)
        self.eterms = [sum(map(_ONE.__lshift__, u.terms)) for u in en]  # a term's index is its bit
        self.zterms = [sum(map(_ONE.__lshift__, u.terms)) for u in zh]
        self.width = [min(WIDEST_EN, self.m - j) for j in range(self.m + 1)]
        self.priors = [BEADS[(1, b)] for b in range(1, WIDEST_EN + 1)]
        self.counts: dict[int, list[int]] = {}  # English position → distinct stems of its runs
        self.rows: dict[int, tuple[list[float], list[int], list[int]]] = {}
        self.doubles: dict[int, float] = {}  # exact 2–b costs (never a pruned inf)

    def row(self, i: int, j: int, upto: int = WIDEST_EN, prune: bool = True) -> tuple[list[float], list[int], list[int]]:
        """Prior plus evidence of zh[i] with en[j:j+b] for every b the English allows (a
        memoised row serves a caller whose `upto` it reaches); and, for b = 1 and 2, the
        stems both sides share (bits) and the Chinese words found (for 2–b). Counts are
        kept as the run grows: most English units add no shared stem."""
        key = i * (self.m + 1) + j
        done = self.rows.get(key)
        width = self.width[j]  # a stored row is whole: priced to `width` at once, as a row
        if done is not None and (prune or not width or done[0][min(max(upto, 2), width) - 1] < math.inf):
            return done  # asked again for a longer run would start over (at the English's end: none)
        zh, esize, elex = self.zh[i], self.esize, self.elex
        ehard, eevery, eterms = self.ehard, self.eevery, self.eterms
        size, lex, masks, words = zh.size, self.zlex[i], self.masks[i], zh.words
        zhard, zevery, zterms = self.zhard[i], self.zevery[i], self.zterms[i]
        mean, spread, priors, log1p = zh.mean, zh.spread, self.priors, math.log1p
        counts = self.counts.get(j) or self._counts(j)
        out: list[float] = []
        shared, founds = [], []
        common = bits = length = orphans = hard = every = terms = shares = found = 0
        for b in range(1, width + 1):
            k = j + b - 1
            length += esize[k]
            unit = elex[k]
            new = lex & unit
            if new:
                fresh = new & ~common
                if fresh:
                    common, bits = common | fresh, _words(masks, fresh, bits)
                    shares, found = common.bit_count(), bits.bit_count()
            elif unit and words and not (ehard[k] & zevery or zhard & eevery[k] or eterms[k] & zterms):
                orphans += 1  # shares no stem, number in digits nor term (see ORPHAN)
            if eevery[k] or eterms[k]:  # (hard ⊆ every)
                hard, every, terms = hard | ehard[k], every | eevery[k], terms | eterms[k]
            cost = priors[b - 1]
            if size and length:
                d = (length - mean) / spread
                if prune and d > LONGEST and b > 2:  # longer runs only grow: none of them can win
                    out += [math.inf] * (width - b + 1)
                    break
                cost += TAIL * log1p(d * d / (2 * TAIL))
                if zhard or hard:
                    cost += (NUMBER_MISS * ((zhard & ~every).bit_count() + (hard & ~zevery).bit_count())
                             - NUMBER_MATCH * ((zhard & every) | (hard & zevery)).bit_count())
                if zterms and terms:
                    cost -= TERM * (zterms & terms).bit_count()
                if words:
                    cost += MISS * (words - found + counts[b - 1] - shares) - LEX * shares
                    if b > 1 and common:  # against the run's other sentences, which do share
                        cost += ORPHAN * orphans
                    elif common:  # sharing words, never less likely than two unrelated sentences
                        floor = UNRELATED - LEX * shares
                        if floor < cost:
                            cost = floor
            out.append(cost)
            if b <= 2:
                shared.append(common)
                founds.append(found)
        self.rows[key] = done = (out, shared, founds)
        return done

    def _counts(self, j: int) -> list[int]:
        """How many distinct English stems the runs en[j:j+1], en[j:j+2], … have."""
        out, seen = [], 0
        for unit in self.elex[j:j + WIDEST_EN]:
            seen |= unit
            out.append(seen.bit_count())
        self.counts[j] = out
        return out

    def double(self, i: int, j: int, b: int, prune: bool = False) -> float:
        """Prior plus evidence of the bead zh[i:i+2] with en[j:j+b], b = 1 or 2 (memoised);
        with `prune`, inf when the lengths alone are more than LONGEST deviations apart."""
        key = (i * (self.m + 1) + j) * 2 + b - 1
        done = self.doubles.get(key)
        if done is None:
            size, length = self.zsize[i] + self.zsize[i + 1], sum(self.esize[j:j + b])
            if prune and size and abs(length - RATIO * size) > LONGEST * math.sqrt(VARIANCE * size):
                return math.inf
            done = self.doubles[key] = self._double(i, j, b, size, length)
        return done

    def _double(self, i: int, j: int, b: int, size: int, length: int) -> float:
        cost = BEADS[(2, b)]
        if not size or not length:
            return cost
        d = (length - RATIO * size) / (math.sqrt(VARIANCE * size) or 1.0)
        cost += TAIL * math.log1p(d * d / (2 * TAIL))
        last = j + b - 1
        zhard, zevery = self.zhard[i] | self.zhard[i + 1], self.zevery[i] | self.zevery[i + 1]
        ehard, eevery = self.ehard[j] | self.ehard[last], self.eevery[j] | self.eevery[last]
        if zhard or ehard:
            cost += (NUMBER_MISS * ((zhard & ~eevery).bit_count() + (ehard & ~zevery).bit_count())
                     - NUMBER_MATCH * ((zhard & eevery) | (ehard & zevery)).bit_count())
        zterms = self.zterms[i] | self.zterms[i + 1]
        if zterms:
            cost -= TERM * (zterms & (self.eterms[j] | self.eterms[last])).bit_count()
        words = self.zh[i].words + self.zh[i + 1].words
        if not words:
            return cost
        first, second = self.row(i, j, b, False), self.row(i + 1, j, b, False)
        common = (first[1][b - 1] | second[1][b - 1]).bit_count()
        found = first[2][b - 1] + second[2][b - 1]
        seen = (self.elex[j] | self.elex[last]).bit_count()
        return cost - LEX * common + MISS * (words - found + seen - common)

    def cost(self, i: int, j: int, a: int, b: int) -> float:
        """Prior plus evidence of the bead of zh[i:i+a] and en[j:j+b] (inf if no such shape)."""
        prior = BEADS.get((a, b))
        if prior is None or i < 0 or j < 0 or i + a > self.n or j + b > self.m:
            return math.inf
        if not a or not b:
            return prior
        if a == 2:
            return self.double(i, j, b)
        done = self.rows.get(i * (self.m + 1) + j)
        if done is not None and len(done[0]) >= b and done[0][b - 1] < math.inf:
            return done[0][b - 1]
        return self.row(i, j, b, False)[0][b - 1]


def _words(masks: dict[int, int], fresh: int, bits: int) -> int:
    """`bits` (the Chinese words found) with the words meaning each stem of `fresh`."""
    while fresh:
        low = fresh & -fresh  # its lowest stem
        bits |= masks[low]
        fresh ^= low
    return bits


def _bits(sets: list[frozenset], vocabulary: dict) -> list[int]:
    """Each set as an int with one bit per member, members numbered as first met."""
    out = []
    for one in sets:
        value = 0
        for item in one:
            bit = vocabulary.get(item)
            if bit is None:
                bit = vocabulary[item] = 1 << len(vocabulary)
            value |= bit
        out.append(value)
    return out


def _chinese(zh: list[Span], stems: dict[str, int]) -> tuple[list[int], list[dict[int, int]]]:
    """Per Chinese unit, the bits of its stems the English has somewhere (the only ones a
    bead can share), and per such stem's bit, a bit mask of its words that mean it."""
    english, get = frozenset(stems), stems.__getitem__
    lexes, masks = [], []
    for unit in zh:
        value, mask = 0, {}
        shared = english & unit.lex if unit.parts else None
        if shared:
            value = sum(map(get, shared))  # the bits are distinct: their sum is their union
            word = 1
            for meant in unit.parts[0]:
                for stem in meant & shared:
                    bit = get(stem)
                    mask[bit] = mask.get(bit, 0) | word
                word <<= 1
        lexes.append(value)
        masks.append(mask)
    return lexes, masks
