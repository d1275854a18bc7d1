"""Matching that keeps the order: the heaviest chain of paragraph pairs whose positions
both increase (the DP inside two matched sections), the candidates it is given between
its anchors, and which matched sections moved against the others."""

from __future__ import annotations

import bisect
from typing import Callable

BAND = 2  # pairs scored on each side of a gap's diagonal
GAP = 64  # a gap of at most this many pairs (old × new) is scored whole


def chain(a: list[int], b: list[int], by_old: dict, least: float) -> list[tuple[int, int]]:
    """The heaviest chain of paragraph pairs at least `least` alike whose old and new
    positions both increase: a DP over the scored pairs of `a`'s paragraphs (`by_old`:
    old index → new index → similarity), sorted by old position, new positions
    descending within one; each step a Fenwick-tree prefix maximum."""
    pos_a = {i: k for k, i in enumerate(a)}
    pos_b = {j: k for k, j in enumerate(b)}
    points = sorted(((pos_a[i], pos_b[j], s) for i in a for j, s in by_old.get(i, {}).items()
                     if j in pos_b and s >= least), key=lambda p: (p[0], -p[1]))
    tree = [(0.0, -1)] * (len(b) + 1)  # 1-based: best (weight, point) ending at new ≤ k
    best: list[tuple[float, int]] = []
    for n, (x, y, s) in enumerate(points):
        k, found = y, (0.0, -1)  # prefix maximum over new positions < y
        while k > 0:
            found = max(found, tree[k])
            k -= k & -k
        best.append((found[0] + s, found[1]))
        k = y + 1
        while k <= len(b):
            tree[k] = max(tree[k], (best[n][0], n))
            k += k & -k
    end = max(range(len(points)), key=lambda n: best[n][0], default=-1)
    out = []
    while end >= 0:
        out.append((a[points[end][0]], b[points[end][1]]))
        end = best[end][1]
    return out[::-1]


def fill_gaps(a: list[int], b: list[int], path: list[tuple[int, int]], score: Callable[[int, int], None]) -> None:
    """Score more pairs where the candidates left the chain a gap: between two matched
    pairs (and before the first, after the last), every pair when the gap holds at most
    GAP, else those within BAND of the gap's diagonal. So a paragraph whose words are all
    common (repeated boilerplate, a changed number) still meets its counterpart, at a
    cost of at most (2·BAND + 1) scores a paragraph: linear."""
    pos_a = {i: k for k, i in enumerate(a)}
    pos_b = {j: k for k, j in enumerate(b)}
    corners = [(-1, -1)] + [(pos_a[i], pos_b[j]) for i, j in path] + [(len(a), len(b))]
    for (x1, y1), (x2, y2) in zip(corners, corners[1:]):
        width, height = x2 - x1 - 1, y2 - y1 - 1
        if width <= 0 or height <= 0:
            continue
        for x in range(x1 + 1, x2):
            if width * height <= GAP:
                ys = range(y1 + 1, y2)
            else:
                centre = y1 + 1 + round((x - x1 - 1) * (height - 1) / max(width - 1, 1))
                ys = range(max(y1 + 1, centre - BAND), min(y2, centre + BAND + 1))
            for y in ys:
                score(a[x], b[y])


def mark_moved(found: list) -> None:
    """Matched sections out of order against the rest: those off a longest increasing
    run of new positions taken in old order (patience sorting, S log S)."""
    ordered = sorted(found, key=lambda m: m.old.order)
    tails: list[int] = []
    ends: list[int] = []
    back: list[int] = []
    for n, m in enumerate(ordered):
        k = bisect.bisect_left(tails, m.new.order)
        back.append(ends[k - 1] if k else -1)
        tails[k:k + 1] = [m.new.order]
        ends[k:k + 1] = [n]
    keep, at = set(), ends[-1] if ends else -1
    while at >= 0:
        keep.add(at)
        at = back[at]
    for n, m in enumerate(ordered):
        m.moved = n not in keep
