"""What a paragraph bead costs, for the paragraph aligner (intake/pairing.py): each unit
taken apart once (`feature`: its length, numbers and sentence ends), then any bead priced
from those (`bead`), a unit left untranslated (`skip`), and the least a wide bead can cost
(`lower_bound`, which lets the DP skip shapes that cannot win).

The evidence: the Gale–Church length model (text.lengths), for 1–2, 1–3 and 2–1 beads with
the longer side cut at its sentence ends where the other side's parts say it should be;
numbers written in digits (26万 = 260,000); heading numbering; and a caption-short Chinese
unit in a 2–1 bead (unless it is a run-in heading set apart: `split_lead`)."""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from ..text.lengths import RATIO, TAIL, en_size, length_cost, length_z, zh_size
from ..text.numerals import numbers
from .leads import en_lead, zh_lead
from .units import Unit

PRIORS = {(1, 1): 0.0, (1, 2): 0.8, (1, 3): 2.0, (2, 1): 3.0}
SKIP_BASE = 2.0  # leaving a unit untranslated: this, plus log of its length
# A 2–1 bead with a Chinese unit this short is more likely a caption nobody translated than
# a merged paragraph: it costs more, so the caption is left untranslated (warned), not hidden.
SHORT_MERGED, SHORT_COST = 20, 2.5
SHARED_NUMBER, MISSING_NUMBER = 1.0, 0.7  # per number in digits
HEADING_MATCH, HEADING_UNNUMBERED = -3.0, 1.5
INF = float("inf")
_ZH_STOP = re.compile(r"[。！？!?；;][”’\"')）]*")
_EN_STOP = re.compile(r"[.!?][”’\"')\]]*(?=\s+[“\"‘(\[]?[A-Z0-9])")


@dataclass(slots=True)
class Feature:
    size: int  # in the length model's units (English: characters)
    hard: frozenset
    every: frozenset
    cuts: list[int]  # cumulative size at each sentence end inside the unit
    lead: bool = False  # it opens with a run-in heading (leads.py: 深化…建设。 / Advance the … .)


def feature(unit: Unit) -> Feature:
    hard, soft = numbers(unit.text, "zh" if unit.zh else "en")
    stops, measure = (_ZH_STOP, zh_size) if unit.zh else (_EN_STOP, en_size)
    cuts, start, total = [], 0, 0
    for found in stops.finditer(unit.text):  # one pass: each stretch measured once
        if found.end() < len(unit.text):
            total += measure(unit.text[start:found.end()]) + (0 if unit.zh or not start else 1)
            cuts.append(total)
            start = found.end()
    lead = bool(zh_lead(unit.text) if unit.zh else en_lead(unit.text))
    return Feature(measure(unit.text), hard, hard | soft, cuts, lead)


def split_lead(units: list[Unit], zs: list[Feature], e: Feature) -> bool:
    """Two Chinese units, the first a run-in heading set on a line of its own (深化健康北京
    建设。 then its paragraph), against one English paragraph that opens with one: one
    paragraph, not a caption (图为…, or no full stop; the second unit would open with its
    own heading then)."""
    if len(zs) != 2 or zs[0].size >= SHORT_MERGED or not e.lead or zs[1].lead:
        return False
    first = units[0].text.strip()
    return first.endswith(("。", "！", "？")) and not first.startswith(("图", "表", "注")) \
        and bool(zh_lead(first + units[1].text))


def lower_bound(rz: range, re_: range, i: int, j: int, a: int, b: int, fz: list[Feature],
                 fe: list[Feature]) -> float:
    """No cut of the longer side can do better than half the whole bead's deviation in
    each piece, nor gain more than four shared numbers."""
    z = sum(fz[k].size for k in rz[i - a:i])
    e = sum(fe[k].size for k in re_[j - b:j])
    return PRIORS[(a, b)] + length_cost_half(z, e) - SHARED_NUMBER * 4


def length_cost_half(zh_chars: int, en_chars: int) -> float:
    delta = length_z(zh_chars, en_chars) / 2
    return TAIL * math.log1p(delta * delta / (2 * TAIL))


def bead(zi: range, ej: range, zh: list[Unit], en: list[Unit], fz: list[Feature],
          fe: list[Feature]) -> float:
    if len(zi) == 1 and len(ej) == 1:  # the common case, kept cheap
        z, e = fz[zi[0]], fe[ej[0]]
        heading = _heading_cost(zh[zi[0]], en[ej[0]]) if zh[zi[0]].heading or en[ej[0]].numbering else 0.0
        if heading == INF:
            return INF
        shared = len((z.hard & e.every) | (e.hard & z.every)) if z.hard or e.hard else 0
        missing = len(z.hard - e.every) + len(e.hard - z.every) if z.hard or e.hard else 0
        return length_cost(z.size, e.size) + heading - SHARED_NUMBER * min(shared, 4) + \
            MISSING_NUMBER * min(missing, 5)
    zs, es = [zh[i] for i in zi], [en[j] for j in ej]
    if any(u.firm_heading for u in zs):
        return INF
    if len(zs) == 1:
        sizes = _split_cost(fz[zi[0]], [fe[j].size for j in ej], True)
    else:
        sizes = _split_cost(fe[ej[0]], [fz[i].size for i in zi], False)
        short = min(fz[i].size for i in zi) < SHORT_MERGED
        sizes += SHORT_COST if short and not split_lead(zs, [fz[i] for i in zi], fe[ej[0]]) else 0.0
    return PRIORS[(len(zs), len(es))] + sizes + _number_cost([fz[i] for i in zi], [fe[j] for j in ej])


def skip(size_zh: float) -> float:
    return SKIP_BASE + 2 * math.log1p(size_zh / 10)


def _heading_cost(z: Unit, e: Unit) -> float:
    """Numbered headings pair only with the same number; items and headings ending in 。
    gain from a matching English number but are prose without one."""
    if z.heading is None:
        return 0.0 if e.numbering is None or len(e.text) > 200 else 1.0
    number = e.numbering[0] if e.numbering else None
    if number == z.heading.number:
        return HEADING_MATCH
    if not z.firm_heading:
        return 0.0
    return HEADING_UNNUMBERED if number is None and len(e.text) <= 200 else INF


def _split_cost(whole: Feature, parts: list[int], zh_whole: bool) -> float:
    """Length cost of cutting `whole` at its sentence ends into len(parts) pieces matching
    `parts` (the other language's sizes): each cut at the sentence end nearest to where
    the parts so far say it falls."""
    scale = 1 / RATIO if zh_whole else RATIO
    cost, start, target = 0.0, 0, 0.0
    for part in parts[:-1]:
        target += part * scale
        k = bisect.bisect_left(whole.cuts, target)
        near = [c for c in whole.cuts[max(0, k - 1):k + 1] if c > start]
        cut = min(near, key=lambda c: abs(c - target)) if near else None
        if cut is None:
            cost += 4.0  # no sentence end left to cut at
            cut = min(max(int(target), start), whole.size)
        cost += _pair_cost(cut - start, part, zh_whole)
        start = cut
    return cost + _pair_cost(whole.size - start, parts[-1], zh_whole)


def _pair_cost(piece: int, other: int, zh_piece: bool) -> float:
    return length_cost(piece, other) if zh_piece else length_cost(other, piece)


def _number_cost(zs: list[Feature], es: list[Feature]) -> float:
    zh_hard = frozenset().union(*(f.hard for f in zs))
    zh_all = frozenset().union(*(f.every for f in zs))
    en_hard = frozenset().union(*(f.hard for f in es))
    en_all = frozenset().union(*(f.every for f in es))
    shared = len((zh_hard & en_all) | (en_hard & zh_all))
    missing = len(zh_hard - en_all) + len(en_hard - zh_all)
    return -SHARED_NUMBER * min(shared, 4) + MISSING_NUMBER * min(missing, 5)
