"""The paragraph aligner behind every layout: which English units translate which Chinese.

Chinese and English units (paragraphs and headings) are two sequences, whatever the
layout: alternating lines, blocks of several Chinese paragraphs then their English, or a
Chinese document and its separate translation. They are aligned by dynamic programming
over beads 1–1, 1–2, 1–3, 2–1, 1–0 and 0–1, scored by

- length: the Gale–Church model (text.lengths); for 1–2, 1–3 and 2–1 beads the longer
  side is cut at its sentence ends where the other side's parts say it should be, so a
  split English paragraph is recognised and an unrelated neighbour is not;
- numbers written in digits, normalised across the languages (26万 = 260,000);
- heading numbering: a numbered Chinese part or section heading pairs only with an
  English unit of the same number (or, with a warning, one without a number);
- leaving a unit out costs more the longer it is: a caption may go untranslated, a long
  paragraph hardly ever does.

The work is cut into small pieces first, so it stays linear in practice:
1. heading anchors: numbered headings matched in both sequences (their longest common
   subsequence), each a fixed 1–1 bead;
2. layout groups: in interleaved text a run of Chinese units and the run of English
   units after it translate each other (strict alternation is groups of one and one;
   which language comes first is read per stretch of headings and of paragraphs);
   a separate translation is one group;
3. inside a piece, the DP is banded around the diagonal when the piece is large.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from ..content.model import LEVEL_NAMES
from ..errors import Problems
from ..text.chars import han_count
from ..text.lengths import RATIO
from .bead_costs import INF, Feature, bead, feature, lower_bound, skip, split_lead
from .units import Unit

BEAM = 20.0  # cells costing this much more than their row's best are dropped
BAND, MAX_BAND = 12, 768  # half-width of the DP band around the diagonal (units): first, at most
LCS_LIMIT = 1_000_000  # heading pairs compared exactly; beyond, a greedy walk
RATIO_BAND = (1.5, 14.0)  # English characters per Han character: outside it, a warning


@dataclass
class Draft:
    """A block before escaping: the units of each side, and the heading it is, if any."""

    path: str
    line: int
    zh: list[Unit] = field(default_factory=list)
    en: list[Unit] = field(default_factory=list)
    heading: object = None  # content.headings.ZhHeading


def pair_units(units: list[Unit], problems: Problems) -> tuple[list[Draft], Counter]:
    """Drafts in reading order, and how many beads of each kind were used."""
    zh, en = [u for u in units if u.zh], [u for u in units if not u.zh]
    fz, fe = [feature(u) for u in zh], [feature(u) for u in en]
    groups = _groups(units)
    beads: list[tuple[list[int], list[int]]] = []
    start = (0, 0)
    for i, j in _heading_anchors(zh, en) + [(len(zh), len(en))]:
        for piece in _pieces(start, (i, j), zh, en, groups):
            beads += _align(piece, zh, en, fz, fe, problems)
        if i < len(zh):
            beads.append(([i], [j]))
        start = (i + 1, j + 1)
    counts = Counter(f"{len(z)}–{len(e)}" for z, e in beads)
    return [_draft([zh[i] for i in z], [en[j] for j in e], problems) for z, e in beads], counts


def _groups(units: list[Unit]) -> dict[int, int]:
    """id(unit) → layout group: a run of one language and the run of the other after it.
    Chinese comes first unless a stretch opens with English and closes with Chinese,
    decided per stretch of headings and of paragraphs (`_stretches`): a copy may set its
    headings Chinese first and its paragraphs English first (every pair was one off)."""
    out, group, prev, stretches = {}, -1, None, _stretches(units)
    body_first_zh = not units or units[0].zh or not units[-1].zh  # the document's own way
    for k, stretch in enumerate(stretches):  # a stretch's own way only when it holds both
        # languages after one that ends whole (as many Chinese as English): in block layouts a
        # stretch opens with the last block's English; an unnumbered English heading stands alone
        whole = not k or 2 * sum(u.zh for u in stretches[k - 1]) == len(stretches[k - 1])
        both = 0 < sum(u.zh for u in stretch) < len(stretch)
        first_zh = (stretch[0].zh or not stretch[-1].zh) if whole and both else body_first_zh
        for unit in stretch:
            if prev is None or (unit.zh != prev.zh and unit.zh == first_zh):
                group += 1
            out[id(unit)] = group
            prev = unit
    return out


def _stretches(units: list[Unit]) -> list[list[Unit]]:
    """The units cut where a run of numbered headings begins or ends."""
    out: list[list[Unit]] = []
    heading = None
    for unit in units:  # (a Chinese item 三是… counts: its English `3. We …` does)
        now = unit.heading is not None if unit.zh else unit.numbering is not None
        if not out or now != heading:
            out.append([])
        out[-1].append(unit)
        heading = now
    return out


def _heading_anchors(zh: list[Unit], en: list[Unit]) -> list[tuple[int, int]]:
    """(i, j): Chinese part and section headings matched with English units of the same
    number and a fitting style, the longest sequence in order (LCS)."""
    hz = [i for i, u in enumerate(zh) if u.firm_heading]
    he = [j for j, u in enumerate(en) if u.numbering and len(u.text) <= 200]

    def fits(i: int, j: int) -> bool:
        heading, (number, style) = zh[i].heading, en[j].numbering
        return heading.number == number and (style == "roman") == (heading.level == 1)

    if len(hz) * len(he) > LCS_LIMIT:
        return _greedy_anchors(hz, he, fits)
    table = [[0] * (len(he) + 1) for _ in range(len(hz) + 1)]
    for a in range(len(hz) - 1, -1, -1):
        for b in range(len(he) - 1, -1, -1):
            table[a][b] = table[a + 1][b + 1] + 1 if fits(hz[a], he[b]) else \
                max(table[a + 1][b], table[a][b + 1])
    out, a, b = [], 0, 0
    while a < len(hz) and b < len(he):
        if fits(hz[a], he[b]) and table[a][b] == table[a + 1][b + 1] + 1:
            out.append((hz[a], he[b]))
            a, b = a + 1, b + 1
        elif table[a + 1][b] >= table[a][b + 1]:
            a += 1
        else:
            b += 1
    return out


def _greedy_anchors(hz: list[int], he: list[int], fits) -> list[tuple[int, int]]:
    out, b = [], 0
    for i in hz:
        for k in range(b, min(b + 50, len(he))):
            if fits(i, he[k]):
                out.append((i, he[k]))
                b = k + 1
                break
    return out


def _pieces(start: tuple[int, int], end: tuple[int, int], zh: list[Unit], en: list[Unit],
            groups: dict[int, int]) -> list[tuple[range, range]]:
    """The span between two anchors, cut where both languages change layout group."""
    (a, c), (b, d) = start, end
    cuts = [(a, c)]
    i, j = a, c
    while i < b and j < d:
        gz, ge = groups[id(zh[i])], groups[id(en[j])]
        if gz == ge:
            ni, nj = i, j
            while ni < b and groups[id(zh[ni])] == gz:
                ni += 1
            while nj < d and groups[id(en[nj])] == gz:
                nj += 1
            cuts.append((ni, nj))
            i, j = ni, nj
        elif gz < ge:
            i += 1  # Chinese with no English in its group: aligned with what follows
        else:
            j += 1
    if cuts[-1] != (b, d):
        cuts.append((b, d))
    pieces = [(range(p[0], q[0]), range(p[1], q[1])) for p, q in zip(cuts, cuts[1:])]
    return [p for p in pieces if len(p[0]) or len(p[1])]


def _align(piece: tuple[range, range], zh: list[Unit], en: list[Unit], fz: list[Feature],
           fe: list[Feature], problems: Problems) -> list[tuple[list[int], list[int]]]:
    """The cheapest beads through one piece. The DP runs in a band around the diagonal;
    when the best path runs along the band's edge, the band is doubled and the DP run
    again (up to MAX_BAND; past it, a warning names the piece)."""
    rz, re_ = piece
    n, m = len(rz), len(re_)
    if n == 0 or m == 0:
        return [([i], []) for i in rz] + [([], [j]) for j in re_]
    width = BAND
    while True:
        beads, edge = _banded(rz, re_, width, zh, en, fz, fe)
        if not edge or (width >= max(n, m) and beads):
            return beads
        if width >= MAX_BAND:
            problems.warn(zh[rz[0]].path, zh[rz[0]].line, f"the {n} Chinese and {m} English "
                          f"paragraphs from here on are far from one-to-one; aligned within "
                          f"{MAX_BAND} paragraphs of the diagonal: check the pairing")
            return beads
        width *= 2


def _banded(rz: range, re_: range, width: int, zh: list[Unit], en: list[Unit],
            fz: list[Feature], fe: list[Feature]) -> tuple[list, bool]:
    """One banded DP, computed by pulling each cell from its predecessors: the cheap
    beads (1–1, 1–0, 0–1) first, then a wider bead only when a lower bound on its cost
    could still beat them (most cannot: the length alone rules them out)."""
    n, m = len(rz), len(re_)
    skip_z = [skip(fz[i].size) for i in rz]
    skip_e = [skip(fe[j].size / RATIO) for j in re_]
    bounds = [(max(0, int(i * m / n) - width), min(m, int(i * m / n) + width)) for i in range(n + 1)]
    for i in range(n - 1, -1, -1):  # each row reaches the next one's first cell (far more of one side)
        low, high = bounds[i]
        bounds[i] = (low, max(high, bounds[i + 1][0] - 1))
    cost: list[dict[int, float]] = [dict() for _ in range(n + 1)]
    back: list[dict[int, tuple[int, int]]] = [dict() for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        low, high = bounds[i]
        row, above = cost[i], cost[i - 1] if i else {}
        for j in range(low, high + 1):
            if i == 0 and j == 0:
                continue
            best, move = INF, None
            if j - 1 in above:
                best, move = above[j - 1] + bead(rz[i - 1:i], re_[j - 1:j], zh, en, fz, fe), (1, 1)
            if j in above and above[j] + skip_z[i - 1] < best:
                best, move = above[j] + skip_z[i - 1], (1, 0)
            if j - 1 in row and row[j - 1] + skip_e[j - 1] < best:
                best, move = row[j - 1] + skip_e[j - 1], (0, 1)
            for a, b in _WIDE:
                prev = cost[i - a].get(j - b) if i >= a and j >= b else None
                if prev is None or prev + lower_bound(rz, re_, i, j, a, b, fz, fe) >= best:
                    continue
                c = prev + bead(rz[i - a:i], re_[j - b:j], zh, en, fz, fe)
                if c < best:
                    best, move = c, (a, b)
            if move is not None:
                row[j], back[i][j] = best, move
        if row:  # beam: a cell far costlier than the row's best is never on the path
            floor = min(row.values()) + BEAM
            for j in [j for j, c in row.items() if c > floor and j != m]:
                del row[j]
    if m not in back[n]:  # the beam cut every way to the end: the caller widens the band
        return [], True
    beads, i, j, edge = [], n, m, False
    while i or j:
        a, b = back[i][j]
        low, high = bounds[i]
        edge = edge or (j in (low, high) and 0 < j < m)
        beads.append((list(rz[i - a:i]), list(re_[j - b:j])))
        i, j = i - a, j - b
    return beads[::-1], edge


_WIDE = ((1, 2), (2, 1), (1, 3))


def _draft(zs: list[Unit], es: list[Unit], problems: Problems) -> Draft:
    first = zs[0] if zs else es[0]
    if len(zs) == 1 and zs[0].heading is not None and (zs[0].firm_heading or (
            len(es) == 1 and es[0].numbering and es[0].numbering[0] == zs[0].heading.number)):
        _heading_warnings(zs[0], es, problems)
        return Draft(first.path, first.line, zs, es, zs[0].heading)
    if not es:
        problems.warn(first.path, first.line, "Chinese paragraph has no English translation "
                      "(a caption, or text the translation left out?); kept, marked untranslated")
    elif not zs and es[0].numbering and len(es[0].text) <= 200:
        problems.warn(first.path, first.line, f"English heading numbered {es[0].numbering[0]} "
                      "matches no Chinese heading of that number; kept on its own, marked untranslated")
    elif not zs:
        problems.warn(first.path, first.line, "English paragraph has no Chinese paragraph; "
                      "kept on its own, marked untranslated")
    else:
        if len(zs) > 1 and split_lead(zs, [feature(u) for u in zs], feature(es[0])):  # one paragraph again
            problems.info(zs[0].path, zs[0].line, f"run-in heading {zs[0].text.strip()!r} joined to its paragraph")
            zs = [replace(zs[0], text=zs[0].text + zs[1].text)]
        elif len(zs) > 1:  # merged by the translation, or one's English missing
            problems.warn(zs[0].path, zs[0].line, f"{len(zs)} Chinese paragraphs (lines "
                          f"{', '.join(str(u.line) for u in zs)}) paired with one English paragraph at "
                          f"line {es[0].line}: merged by the translation, or is one's English missing?")
        han, total = sum(han_count(u.text) for u in zs), sum(len(u.text) for u in es)
        low, high = RATIO_BAND
        if han >= 40 and not low <= total / han <= high:
            problems.warn(es[0].path, es[0].line, f"English is {total / han:.1f}× the Chinese "
                          f"length at line {zs[0].line} (usually {low}–{high}); check the pairing")
    return Draft(first.path, first.line, zs, es)


def _heading_warnings(z: Unit, es: list[Unit], problems: Problems) -> None:
    name = LEVEL_NAMES[z.heading.level]
    if not es:
        problems.warn(z.path, z.line, f"{name} heading has no English translation")
    elif es[0].numbering is None:
        problems.warn(es[0].path, es[0].line, f"English {name} heading has no number "
                      f"(Chinese has {z.heading.number})")
