"""The bead DP: which runs of Chinese units go with which runs of English units.

Beads 1–1 … 1–8, 2–1, 2–2, 1–0 and 0–1 are chosen by dynamic programming on the
Gale–Church length model shared with the importer (text/lengths.py), plus evidence that
holds across the languages: numbers normalised (26万 = 260,000), topic and learned terms,
and the CC-CEDICT senses shared by the two sides (derive/lexicon.py); derive/costs.py
prices a bead. When both sides have as many units and the all 1–1 diagonal is SURE bead
by bead, it is taken without the DP (`diagonal`).

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

from .costs import BEADS, Span, Table, bead_cost, run

__all__ = ["BEADS", "Span", "Table", "bead_cost", "run", "best_path", "confidences", "diagonal"]

TEMPERATURE = 1.0
START = 4  # the band's first half-width, in English units
WIDTH = 16  # a band that had to grow wider than this is worth a warning
CELLS = 4_000_000  # the band is widened no further than this many cells
# Pruning inside the DP: see costs.LONGEST (a cell further than BEAM above its row's
# cheapest is not extended: its path would need that much back, against e^−BEAM odds).
BEAM = 10.0
# The diagonal (n = m, every bead 1–1) is taken without the DP when each of its beads has
# at least this confidence: a bead that sure loses to no local change, and the DP agreed
# on every such pair of the gold set and the reports even at 0.5.
SURE = 0.9
# A boundary's alternatives: moved by one Chinese unit, by one or two English units.
MOVES = [(di, dj) for di in (-1, 0, 1) for dj in (-1, 0, 1) if di or dj] + [(0, -2), (0, 2)]


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


def diagonal(table: Table) -> list[tuple[int, int]]:
    """The all 1–1 path when both sides have as many units (else none): accepted without
    the DP when each of its beads is at least SURE against every local alternative."""
    return [(k, k) for k in range(table.n + 1)] if table.n == table.m else []


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
            first = table.cost(i0, j0, i + di - i0, j + dj - j0)
            if first < math.inf:  # else no such shape: the second bead needs no weighing
                alternatives.append(first + table.cost(i + di, j + dj, i2 - i - di, j2 - j - dj))
        weight = sum(math.exp(min(50.0, (here - alt) / TEMPERATURE)) for alt in alternatives if alt < math.inf)
        spread[k - 1] += weight
        spread[k] += weight
    for k, ((i, j), (i2, j2)) in enumerate(beads):
        if i2 > i and j2 > j:  # dropped as untranslated instead
            dropped = (i2 - i) * BEADS[(1, 0)] + (j2 - j) * BEADS[(0, 1)]
            spread[k] += math.exp(-min(50.0, (dropped - costs[k]) / TEMPERATURE))
    return [round(1 / (1 + s), 4) for s in spread]
