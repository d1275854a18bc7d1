"""Sentence alignment inside each pair: which Chinese sentences the English ones translate.

Chinese splits after 。！？ and after ；(the clauses a translation often splits);
English after . ! ? (not after No., Mr., U.S., decimals like 6.32, or inside quotes).
Beads 1–1, 2–1, 2–2, 1–0, 0–1 and 1–2 … 1–6 (one long Chinese sentence often becomes
several English ones) are chosen by dynamic programming on a Gale–Church length model
fitted to this corpus, plus anchors that hold across the languages: numbers normalised
(26万 = 260,000, 三分之二 = two thirds) and topic terms. Editors can fix an alignment by
putting `||` at the bead boundaries of both sides (the same number on each).

Where the aligner is unsure it says so (`confident` is False) and the page highlights
the whole pair instead of guessing."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from ..content.inline import plain
from ..content.write import MARK
from ..text.numerals import numbers
from ..content.model import Pair, Para
from ..text.chars import fold

# Gale–Church length model, fitted on the 62 pairs of the seed corpus (benchmarks/align.py
# refits it): English characters per Chinese character, and variance per character.
RATIO, VARIANCE = 5.29, 62.5
# Bead types (Chinese units, English units) and their prior cost (-log probability).
BEADS = {(1, 1): 0.0, (1, 2): 1.2, (1, 3): 2.2, (1, 4): 3.2, (1, 5): 4.2, (1, 6): 5.2,
         (2, 1): 2.5, (2, 2): 3.5, (1, 0): 7.0, (0, 1): 7.0}
NUMBER_MATCH, NUMBER_MISS = 2.0, 1.5  # anchor bonus per shared number, cost per unmatched one
TAIL = 3.0  # heaviness of the length cost's tail (large: Gaussian; small: forgiving)
UNSURE = 3.0  # a bead whose length alone is this many deviations off makes the pair unsure

_ZH_END = re.compile(r"[。！？!?；;][”’\"')）]*")
_ABBREVIATIONS = {"no", "nos", "mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e",
                  "approx", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                  "sept", "oct", "nov", "dec", "inc", "co", "ltd", "jr", "sr", "prof"}
_EN_END = re.compile(r"[.!?][”’\"')\]]*(?:\[\^[^\]]+\])?(?=\s+[“\"‘(\[]?[A-Z0-9])")


# ---- splitting -----------------------------------------------------------------------

def split_zh(text: str) -> list[str]:
    """Chinese sentences and semicolon clauses; the pieces join back to the text."""
    folded = fold(text)
    cuts = [m.end() for m in _ZH_END.finditer(folded) if m.end() < len(text)]
    return _cut(text, cuts)


def split_en(text: str) -> list[str]:
    """English sentences; each keeps its trailing space, so the pieces join back."""
    cuts = []
    for match in _EN_END.finditer(text):
        word = re.search(r"(\S+)$", text[: match.start()])
        token = (word.group(1) if word else "").strip("(“\"'").lower()
        if match.group()[0] == "." and (token in _ABBREVIATIONS or re.fullmatch(r"[a-z]", token)
                                        or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token)):
            continue  # No. 1, U.S. Army, e.g. Beijing
        end = match.end()
        while end < len(text) and text[end].isspace():
            end += 1
        cuts.append(end)
    return _cut(text, cuts)


def _cut(text: str, cuts: list[int]) -> list[str]:
    pieces, start = [], 0
    for cut in cuts:
        if cut > start:
            pieces.append(text[start:cut])
            start = cut
    if start < len(text):
        pieces.append(text[start:])
    return [p for p in pieces if p.strip()]


# ---- alignment -----------------------------------------------------------------------

@dataclass(slots=True)
class Unit:
    """A sentence (or clause) of one side, as inline Markdown, and where it sits."""

    text: str
    para: int  # which paragraph of the side
    lead: bool  # the paragraph's run-in heading
    plain: str = ""
    closes: bool = False  # an editor's `||` ends a bead here

    @property
    def shown(self) -> str:
        """The inline Markdown to render (the editor's `||` marks are cut out already)."""
        return self.text


@dataclass(slots=True)
class Alignment:
    zh: list[Unit]
    en: list[Unit]
    beads: list[tuple[list[int], list[int]]]  # indices into zh and en
    confident: bool = True
    confidence: float = 1.0  # the length model's tail probability for the worst bead
    renderable: bool = True  # sentence by sentence renders the same text (no *…* across sentences)
    missing: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))

    def bead_of(self, lang: str) -> dict[int, int]:
        """Unit index → bead number, for one side."""
        side = 0 if lang == "zh" else 1
        return {u: k for k, bead in enumerate(self.beads) for u in bead[side]}

    def paragraphs(self, lang: str) -> list[list[tuple[Unit, int]]]:
        """One side's paragraphs, each a list of (unit, bead number), for rendering."""
        side = self.zh if lang == "zh" else self.en
        beads = self.bead_of(lang)
        out: list[list[tuple[Unit, int]]] = []
        for index, unit in enumerate(side):
            while len(out) <= unit.para:
                out.append([])
            out[unit.para].append((unit, beads.get(index, -1)))
        return out

    def sentence_pairs(self) -> list[tuple[str, str]]:
        """Each bead as (Chinese text, English text), for translation memories."""
        return [("".join(self.zh[i].plain for i in zh).strip(),
                 " ".join(self.en[j].plain.strip() for j in en)) for zh, en in self.beads]


def units(paras: tuple[Para, ...], lang: str) -> list[Unit]:
    """A side's sentences in order; an editor's `||` first cuts the text into segments."""
    out: list[Unit] = []
    split = split_zh if lang == "zh" else split_en
    for index, para in enumerate(paras):
        if para.lead:
            out.append(Unit(para.lead + ("" if lang == "zh" or not para.text else " "), index, True))
        segments = para.text.split(MARK)
        for number, segment in enumerate(segments):
            pieces = split(segment.lstrip() if number else segment)
            out += [Unit(piece, index, False) for piece in pieces]
            if pieces and number < len(segments) - 1:
                out[-1].closes = True
    for unit in out:
        unit.plain = plain(unit.text)
    return out


def align(pair: Pair, anchors: tuple[tuple[frozenset, frozenset], ...] = ()) -> Alignment:
    """Align one pair; `anchors` are (zh terms, en terms) that mark the same topic. Pure:
    the build memoises it per pair text (build.cache.ALIGNMENTS)."""
    zh, en = units(pair.zh, "zh"), units(pair.en, "en")
    marked = _marked(zh, en)
    if marked is not None:
        beads = marked
    elif not zh or not en:
        beads = [([i for i in range(len(zh))], [j for j in range(len(en))])] if zh or en else []
    else:
        beads = _dp(zh, en, anchors)
    confidence = 1.0 if marked is not None else _confidence(zh, en, beads)
    return Alignment(zh, en, beads, confident=_confident(zh, en, beads, marked is not None),
                     confidence=confidence, missing=_missing(pair),
                     renderable=_renderable(pair.zh, zh) and _renderable(pair.en, en))


def _renderable(paras: tuple[Para, ...], side: list[Unit]) -> bool:
    """Rendering each sentence on its own must show the same text as the paragraph: an
    emphasis or link spanning two sentences would otherwise leak its `*` or `[`."""
    whole = "".join(plain(p.lead) + plain(p.text.replace(MARK, "")) for p in paras)
    return re.sub(r"\s", "", whole) == re.sub(r"\s", "", "".join(u.plain for u in side))


def _marked(zh: list[Unit], en: list[Unit]) -> list[tuple[list[int], list[int]]] | None:
    """Editor's boundaries: `||` ends a bead on both sides (same count), or None."""
    def groups(side: list[Unit]) -> list[list[int]]:
        out: list[list[int]] = [[]]
        for i, unit in enumerate(side):
            out[-1].append(i)
            if unit.closes:
                out.append([])
        return [g for g in out if g]
    if not any(u.closes for u in zh + en):
        return None
    gz, ge = groups(zh), groups(en)
    return list(zip(gz, ge)) if len(gz) == len(ge) else None


def _dp(zh: list[Unit], en: list[Unit], anchors) -> list[tuple[list[int], list[int]]]:
    n, m = len(zh), len(en)
    zspans = _spans([_size(u, "zh") for u in zh],
                    [_sets(numbers(u.plain, "zh")) for u in zh],
                    [frozenset(k for k, (terms, _) in enumerate(anchors) if any(t in u.plain for t in terms))
                     for u in zh], max(a for a, _ in BEADS))
    espans = _spans([_size(u, "en") for u in en],
                    [_sets(numbers(u.plain, "en")) for u in en],
                    [frozenset(k for k, (_, terms) in enumerate(anchors) if any(t in u.plain.lower() for t in terms))
                     for u in en], max(b for _, b in BEADS))
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            for (a, b), prior in BEADS.items():
                if i + a > n or j + b > m:
                    continue
                c = here + prior + _bead_cost(zspans.get((i, a)), espans.get((j, b)))
                if c < cost[i + a][j + b]:
                    cost[i + a][j + b], back[i + a][j + b] = c, (a, b)
    beads, i, j = [], n, m
    while i or j:
        a, b = back[i][j]
        beads.append((list(range(i - a, i)), list(range(j - b, j))))
        i, j = i - a, j - b
    return beads[::-1]


def _spans(lengths, sets, topics, widest: int) -> dict[tuple[int, int], tuple]:
    """(start, width) → (length, numbers in digits, all numbers, topics) of each run of
    consecutive units a bead can take, computed once instead of per candidate bead."""
    out = {}
    for start in range(len(lengths)):
        length, hard, every, tops = 0, frozenset(), frozenset(), frozenset()
        for width in range(1, min(widest, len(lengths) - start) + 1):
            k = start + width - 1
            length, hard, every, tops = length + lengths[k], hard | sets[k][0], every | sets[k][1], tops | topics[k]
            out[(start, width)] = (length, hard, every, tops)
    return out


def _sets(found: tuple[frozenset, frozenset]) -> tuple[frozenset, frozenset]:
    """(numbers in digits, all numbers) of a unit."""
    return found[0], found[0] | found[1]


def length_z(zh_chars: int, en_chars: int) -> float:
    """How many standard deviations the English length is from what the Chinese predicts."""
    if zh_chars == 0:
        return 0.0
    return (en_chars - RATIO * zh_chars) / math.sqrt(VARIANCE * zh_chars)


def _bead_cost(zh: tuple | None, en: tuple | None) -> float:
    """Length cost (heavy-tailed) minus anchors: shared numbers and topics; plus a cost
    for each number in digits that the other side lacks. 1–0 and 0–1 beads: prior only."""
    if zh is None or en is None or not zh[0] or not en[0]:
        return 0.0
    z, zh_hard, zh_all, zh_topics = zh
    e, en_hard, en_all, en_topics = en
    delta = length_z(z, e)
    # Heavy-tailed (Student-t-like): a translation that elaborates at length costs
    # log-wise, not quadratically, so it cannot push a sentence out as "untranslated".
    cost = TAIL * math.log1p(delta * delta / (2 * TAIL))
    cost -= NUMBER_MATCH * len((zh_hard & en_all) | (en_hard & zh_all))
    cost += NUMBER_MISS * (len(zh_hard - en_all) + len(en_hard - zh_all))
    return cost - 0.5 * len(zh_topics & en_topics)


def _size(unit: Unit, lang: str) -> int:
    """What the length model counts: Chinese characters without spaces, English characters."""
    return len(re.sub(r"\s", "", unit.plain)) if lang == "zh" else len(unit.plain.strip())


def _deviations(zh: list[Unit], en: list[Unit], beads) -> list[float | None]:
    """|z| of each bead's length against the model; None for a 1–0 or 0–1 bead."""
    return [abs(length_z(sum(_size(zh[i], "zh") for i in zi), sum(_size(en[j], "en") for j in ei)))
            if zi and ei else None for zi, ei in beads]


def _confidence(zh: list[Unit], en: list[Unit], beads) -> float:
    """P(|Z| ≥ |z|) for the bead whose length is furthest from the model (0 for 1–0, 0–1)."""
    deviations = _deviations(zh, en, beads)
    if None in deviations:
        return 0.0
    return round(min((math.erfc(z / math.sqrt(2)) for z in deviations), default=1.0), 4)


def _confident(zh: list[Unit], en: list[Unit], beads, marked: bool) -> bool:
    if marked:
        return True
    if not zh or not en:
        return False  # one side missing: highlight the whole pair
    return all(z is not None and z <= UNSURE for z in _deviations(zh, en, beads))


def _missing(pair: Pair) -> tuple[list[float], list[float]]:
    """Numbers written in digits on one side and absent from the other: a figure the
    translation adds or leaves out (number words only anchor, never flag)."""
    if not pair.zh or not pair.en:
        return [], []
    zh_text = "".join(plain(p.lead) + plain(p.text) for p in pair.zh)
    en_text = " ".join(plain(p.lead) + " " + plain(p.text) for p in pair.en)
    zh_hard, zh_soft = numbers(zh_text, "zh")
    en_hard, en_soft = numbers(en_text, "en")
    return (sorted(zh_hard - en_hard - en_soft), sorted(en_hard - zh_hard - zh_soft))
