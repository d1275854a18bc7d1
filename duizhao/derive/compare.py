"""What changed between two reports: parts, then sections, matched across the two (by
numbering, title and content), paragraphs matched inside each pair of sections by a DP
that keeps their order, and each matched paragraph diffed in both languages.

Only what both reports hold is compared. A part one of them lacks, or a section with no
counterpart, is *named* (the site may hold excerpts), never reported as dropped; inside
two matched sections, a paragraph without a counterpart is new or dropped.

Cost, for two reports of P paragraphs and S sections in all: paragraph similarities are
computed only for the candidate pairs of `similar.candidates` (at most 2·KEEP a
paragraph), plus every pair inside two matched sections when they hold at most SMALL
pairs between them; sections and parts are scored from those similarities (linear in
the candidates) and matched greedily (sorting them); the paragraph DP is a heaviest
increasing chain over a section pair's candidates with a Fenwick tree (C log C). So
the whole comparison is linear in the text, give or take the logarithms."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.headings import id_key
from ..content.inline import plain
from ..content.model import Heading, Pair, Report
from .diff import TextDiff, diff
from .order import chain, fill_gaps, mark_moved
from .similar import Profile, Side, Vectors, candidates, profile, side, similarity, weigh

MATCH = 0.2  # two paragraphs this similar can be the same paragraph, revised
SMALL = 400  # two matched sections with at most this many paragraph pairs: all scored
SECTION = 0.3  # the least score for two sections (or parts) to be compared
SCORE = {"content": 0.55, "title": 0.25, "number": 0.2}


class Scores(dict):
    """Paragraph similarities computed so far, (old index, new index) → similarity, and
    the same by old paragraph (new index → similarity): the DP reads a section's pairs
    from there, never the whole table."""

    def __init__(self, profiles: tuple[list[Profile], list[Profile]],
                 vectors: tuple[list[Vectors], list[Vectors]]) -> None:
        super().__init__()
        self.profiles = profiles
        self.vectors = vectors
        self.by_old: dict[int, dict[int, float]] = {}

    def score(self, i: int, j: int) -> None:
        if (i, j) not in self:
            found = self[(i, j)] = similarity(self.profiles[0][i], self.profiles[1][j],
                                              self.vectors[0][i], self.vectors[1][j])
            self.by_old.setdefault(i, {})[j] = found


@dataclass
class Section:
    """A heading and the pairs right under it (before the next heading), in its part."""

    heading: Heading | None  # None: pairs before the first heading
    part: Heading | None
    pairs: list[int]  # indices into the report's pairs
    order: int

    @property
    def id(self) -> str:
        return self.heading.id if self.heading else "intro"


@dataclass
class Item:
    """One step through two matched sections: a matched paragraph (same or changed), a
    new one or a dropped one. `nearest`: for new and dropped, the most similar paragraph
    of the other report, where one is similar enough (moved or merged, perhaps)."""

    kind: str  # "same" | "changed" | "new" | "dropped"
    old: Pair | None
    new: Pair | None
    similarity: float = 0.0
    zh: TextDiff | None = None
    en: TextDiff | None = None
    nearest: Pair | None = None

    @property
    def anchor(self) -> str:
        """Its id on the compare page: `m-<old>--<new>` matched, `d-<old>`, `n-<new>`."""
        if self.old is not None and self.new is not None:
            return f"m-{self.old.id}--{self.new.id}"
        return f"d-{self.old.id}" if self.old is not None else f"n-{self.new.id}"


@dataclass
class SectionMatch:
    old: Section
    new: Section
    score: float
    reasons: tuple[str, ...]
    zh: TextDiff | None  # the headings' own text, diffed
    en: TextDiff | None
    moved: bool = False  # out of order against the other matched sections
    items: list[Item] = field(default_factory=list)


@dataclass
class Comparison:
    old: Report
    new: Report
    sections: list[SectionMatch]
    only_old: list[Section]  # sections (of compared parts) with no counterpart
    only_new: list[Section]
    parts_old: list[Heading]  # parts the other report does not hold
    parts_new: list[Heading]
    texts: tuple[dict, dict]  # pair id → (Chinese, English) as shown, of each report
    scored: int = 0  # paragraph pairs whose similarity was computed (the cost)


def sections(report: Report) -> list[Section]:
    out: list[Section] = []
    part: Heading | None = None
    current = Section(None, None, [], 0)
    k = 0
    for block in report.blocks:
        if isinstance(block, Heading):
            if current.pairs or current.heading is not None:
                out.append(current)
            part = block if block.level == 1 else part
            current = Section(block, part, [], len(out))
        else:
            current.pairs.append(k)
            k += 1
    if current.pairs or current.heading is not None:
        out.append(current)
    return [s for s in out if s.pairs or (s.heading is not None and s.heading.level > 1)]


def report_side(report: Report, texts: dict, topics: dict | None = None) -> Side:
    """What a comparison reads of one report (`texts`: pair id → (Chinese, English) as
    displayed; `topics`: pair id → its topic ids), the same whichever report it is
    compared with: a caller comparing a report twice makes it once."""
    topics = topics or {}
    return side([profile(*texts[p.id], tuple(topics.get(p.id, ()))) for p in report.pairs])


def compare(old: Report, new: Report, texts: tuple[dict, dict],
            topics: tuple[dict, dict] = ({}, {}), sides: tuple[Side, Side] | None = None) -> Comparison:
    """`texts`: each report's pair id → (Chinese, English) as displayed; `topics`: each
    report's pair id → its topic ids; `sides`: their `report_side`s, when the caller keeps them."""
    olds, news = old.pairs, new.pairs
    sides = sides or (report_side(old, texts[0], topics[0]), report_side(new, texts[1], topics[1]))
    profiles = (sides[0].profiles, sides[1].profiles)
    sims = Scores(profiles, weigh(*sides))
    for i, j in candidates(*sides):
        sims.score(i, j)
    sa, sb = sections(old), sections(new)
    parts = _match_groups(_parts(sa), _parts(sb), sims, profiles, by_part=True)
    held = {(a.part_key, b.part_key) for a, b, _, _ in parts}
    matches = _match_groups(sa, sb, sims, profiles, held=held)
    paths = [_path(a.pairs, b.pairs, sims) for a, b, _, _ in matches]
    nearest = _nearest(sims)
    result = [_section_match(a.group, b.group, score, reasons, path, (olds, news), nearest, sims, texts)
              for (a, b, score, reasons), path in zip(matches, paths)]
    mark_moved(result)
    matched_a = {id(m.old) for m in result}
    matched_b = {id(m.new) for m in result}
    parts_a = {a.part_key for a, _, _, _ in parts}
    parts_b = {b.part_key for _, b, _, _ in parts}
    return Comparison(
        old, new, sorted(result, key=lambda m: m.new.order),
        [s for s in sa if id(s) not in matched_a and _part_key(s) in parts_a],
        [s for s in sb if id(s) not in matched_b and _part_key(s) in parts_b],
        _unheld(sa, parts_a), _unheld(sb, parts_b), texts, len(sims))


def _part_key(section: Section) -> str:
    return section.part.id if section.part else ""


def _unheld(found: list[Section], held: set[str]) -> list[Heading]:
    """Part headings of one report whose part has no counterpart in the other, in order."""
    out: dict[str, Heading] = {}
    for s in found:
        if s.part is not None and s.part.id not in held:
            out.setdefault(s.part.id, s.part)
    return list(out.values())


@dataclass
class _Group:
    """A section or a part as the matcher sees it."""

    group: object
    heading: Heading | None
    pairs: list[int]
    part_key: str


def _parts(found: list[Section]) -> list[_Group]:
    out: dict[str, _Group] = {}
    for s in found:
        key = _part_key(s)
        out.setdefault(key, _Group(s, s.part, [], key)).pairs.extend(s.pairs)
    return list(out.values())


def _match_groups(sa, sb, sims: dict, profiles: tuple, by_part: bool = False,
                  held: set | None = None) -> list[tuple]:
    """(old group, new group, score, reasons), one to one, best first while above
    SECTION; sections only inside the matched parts `held` ((old, new) part keys).
    Scored: the pairs some paragraph candidate joins, and those numbered alike (found
    through a dict of numbers: linear in the groups)."""
    ga = sa if by_part else [_Group(s, s.heading, s.pairs, _part_key(s)) for s in sa]
    gb = sb if by_part else [_Group(s, s.heading, s.pairs, _part_key(s)) for s in sb]
    content = _coverage(ga, gb, sims, profiles)
    numbered: dict = {}
    for y, b in enumerate(gb):
        numbered.setdefault(_number(b.heading, by_part), []).append(y)
    for x, a in enumerate(ga):  # the same number with a like title, whatever the content
        key = _number(a.heading, by_part)
        for y in numbered.get(key, []) if key is not None else []:
            content.setdefault((x, y), 0.0)
    titles = ([_title_grams(g.heading) for g in ga], [_title_grams(g.heading) for g in gb])
    scored = [_score(ga[x], gb[y], cover, by_part, titles[0][x], titles[1][y]) + (x, y)
              for (x, y), cover in content.items()
              if held is None or (ga[x].part_key, gb[y].part_key) in held]
    used_a, used_b, out = set(), set(), []
    for score, reasons, x, y in sorted(scored, key=lambda s: (-s[0], s[2], s[3])):
        if score >= SECTION and x not in used_a and y not in used_b:
            used_a.add(x)
            used_b.add(y)
            out.append((ga[x], gb[y], score, reasons))
    return out


def _number(heading: Heading | None, by_part: bool):
    if heading is None:
        return ("intro",)
    key = id_key(heading.id)
    return None if key is None else (heading.level, key[0]) if by_part else (heading.level, key[1], key[2])


def _coverage(ga: list[_Group], gb: list[_Group], sims: dict, profiles: tuple) -> dict:
    """(old group, new group) → how much of both groups' text has a similar paragraph in
    the other: each paragraph's best similarity there, weighted by its length."""
    of_a = {i: x for x, g in enumerate(ga) for i in g.pairs}
    of_b = {j: y for y, g in enumerate(gb) for j in g.pairs}
    best_a: dict[tuple, float] = {}
    best_b: dict[tuple, float] = {}
    for (i, j), s in sims.items():
        if i in of_a and j in of_b:
            key = (of_a[i], of_b[j])
            best_a[key + (i,)] = max(best_a.get(key + (i,), 0.0), s)
            best_b[key + (j,)] = max(best_b.get(key + (j,), 0.0), s)
    size_a = {x: sum(_size(profiles[0][i]) for i in g.pairs) for x, g in enumerate(ga)}
    size_b = {y: sum(_size(profiles[1][j]) for j in g.pairs) for y, g in enumerate(gb)}
    out: dict[tuple, float] = {}
    for (x, y, i), s in best_a.items():
        out[(x, y)] = out.get((x, y), 0.0) + s * _size(profiles[0][i])
    for (x, y, j), s in best_b.items():
        out[(x, y)] = out.get((x, y), 0.0) + s * _size(profiles[1][j])
    return {key: v / max(size_a[key[0]] + size_b[key[1]], 1) for key, v in out.items()}


def _size(p: Profile) -> int:
    return max(p.han, 1)


def _score(a: _Group, b: _Group, content: float, by_part: bool, title_a: set,
           title_b: set) -> tuple[float, tuple[str, ...]]:
    """A weighted sum of content (coverage, doubled and capped at 1), title likeness and
    the same number; and the reasons that hold."""
    title = 2 * len(title_a & title_b) / (len(title_a) + len(title_b)) if title_a and title_b else 0.0
    if a.heading is None and b.heading is None:
        title = 1.0
    same = a.heading is not None and _number(a.heading, by_part) == _number(b.heading, by_part)
    reasons = tuple(r for r, ok in (("number", same), ("title", title >= 0.3), ("content", content >= 0.15)) if ok)
    score = SCORE["content"] * min(1.0, content * 2) + SCORE["title"] * title + SCORE["number"] * same
    return score, reasons


def _title_grams(heading: Heading | None) -> set:
    """The title's Chinese character bigrams (English stems when it has no Chinese)."""
    if heading is None:
        return set()
    found = profile(plain(heading.zh or ""), plain(heading.en or ""))
    return {("zh", g) for g in found.zh} or {("en", s) for s in found.en}


def _path(a: list[int], b: list[int], sims: Scores) -> list[tuple[int, int]]:
    """The matched paragraphs of two matched sections, in order: every pair of two small
    sections is scored (at most SMALL); in larger ones the candidates' chain, then the
    pairs in its gaps (order.fill_gaps), then the chain again."""
    if len(a) * len(b) <= SMALL:
        for i in a:
            for j in b:
                sims.score(i, j)
        return chain(a, b, sims.by_old, MATCH)
    fill_gaps(a, b, chain(a, b, sims.by_old, MATCH), sims.score)
    return chain(a, b, sims.by_old, MATCH)


def _section_match(a: Section, b: Section, score: float, reasons: tuple, path: list,
                   pairs: tuple, nearest: tuple, sims: Scores, texts: tuple) -> SectionMatch:
    """Two matched sections, paragraph by paragraph in order (`path`: the matched pairs)."""
    zh = diff(plain(a.heading.zh or ""), plain(b.heading.zh or ""), "zh") if a.heading and b.heading else None
    en = diff(plain(a.heading.en or ""), plain(b.heading.en or ""), "en") if a.heading and b.heading else None
    match = SectionMatch(a, b, score, reasons, zh, en)
    olds, news = pairs
    x = y = 0
    for i, j in path + [(None, None)]:
        while x < len(a.pairs) and a.pairs[x] != i:
            match.items.append(_alone("dropped", olds[a.pairs[x]], nearest[0].get(a.pairs[x]), news, texts[0]))
            x += 1
        while y < len(b.pairs) and b.pairs[y] != j:
            match.items.append(_alone("new", news[b.pairs[y]], nearest[1].get(b.pairs[y]), olds, texts[1]))
            y += 1
        if i is None:
            break
        match.items.append(_matched(olds[i], news[j], sims[(i, j)], texts))
        x, y = x + 1, y + 1
    return match


def _matched(old: Pair, new: Pair, score: float, texts: tuple) -> Item:
    (zh_a, en_a), (zh_b, en_b) = texts[0][old.id], texts[1][new.id]
    zh, en = diff(zh_a, zh_b, "zh"), diff(en_a, en_b, "en")
    kind = "same" if zh.same and en.same else "changed"
    return Item(kind, old, new, score, zh, en)


def _alone(kind: str, pair: Pair, nearest: tuple[float, int] | None, others: list[Pair],
           texts: dict) -> Item:
    """A new or dropped paragraph (all of it marked), with its nearest paragraph in the
    other report when that one is at least MATCH alike (moved there, or merged into it)."""
    old, new = (pair, None) if kind == "dropped" else (None, pair)
    zh, en = (_whole(text, kind == "new") for text in texts[pair.id])
    if nearest is None or nearest[0] < MATCH:
        return Item(kind, old, new, 0.0, zh, en)
    return Item(kind, old, new, nearest[0], zh, en, others[nearest[1]])


def _whole(text: str, inserted: bool) -> TextDiff | None:
    if not text:
        return None
    marked = ((text, True),)
    return TextDiff((), marked, (), False) if inserted else TextDiff(marked, (), (), False)


def _nearest(sims: dict) -> tuple[dict, dict]:
    """For each paragraph of each report, (similarity, index) of its most similar scored
    paragraph in the other: one pass over the scored pairs."""
    best: tuple[dict, dict] = ({}, {})
    for (i, j), s in sims.items():
        if s > best[0].get(i, (0.0, -1))[0]:
            best[0][i] = (s, j)
        if s > best[1].get(j, (0.0, -1))[0]:
            best[1][j] = (s, i)
    return best
