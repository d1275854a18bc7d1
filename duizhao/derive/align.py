"""Sentence alignment inside each pair: which Chinese sentences the English ones translate.

Every pair is aligned: its sentences (derive/split.py) are grouped into beads by the DP of
derive/beads.py, on lengths, numbers, topic and learned terms and CC-CEDICT senses
(derive/lexicon.py). A side with one sentence makes one bead. Nothing is declined: each
bead carries a confidence (0–1) and the pair the lowest of them, so the page can mark an
uncertain bead quietly. Editors can fix an alignment by putting `||` at the bead
boundaries of both sides (the same number on each): each segment is then one bead.

Cost grows linearly with the paragraph (see derive/beads.py); `widened` says the band
around the length diagonal had to be widened, which the build names in a warning."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from ..content.inline import MARK, find_refs, plain, split_marks, strip_marks
from ..content.model import Pair, Para
from ..text.lengths import RATIO, VARIANCE, en_size, zh_size
from ..text.numerals import numbers
from . import beads as dp
from .lexicon import en_stems, zh_profile
from .split import split_en, split_zh

__all__ = ["Alignment", "Unit", "align", "share_sources", "split_en", "split_zh", "units", "LOW"]

LOW = 0.5  # a bead below this confidence is shown as uncertain


@dataclass(slots=True)
class Unit:
    """A sentence (or clause) of one side, as inline Markdown, and where it sits.

    Held as a span of its paragraph's text (`source`), not as a copy: a build keeps every
    pair's alignment, and the parent process points each `source` back at the report's
    own paragraph string (`share_sources`), so the sentences cost no text of their own."""

    source: str  # the paragraph's text, or a run-in heading with its gap
    start: int
    end: int
    para: int  # which paragraph of the side
    lead: bool  # the paragraph's run-in heading
    closes: bool = False  # an editor's `||` ends a bead here
    marked: str | None = None  # its plain text, where that differs from `text` (markup, notes)

    @property
    def text(self) -> str:
        return self.source[self.start:self.end]

    @property
    def plain(self) -> str:
        """The text without inline Markdown and note references."""
        return self.text if self.marked is None else self.marked

    @property
    def shown(self) -> str:
        """The inline Markdown to render (the editor's `||` marks are cut out already)."""
        return self.text


@dataclass(slots=True)
class Alignment:
    zh: list[Unit]
    en: list[Unit]
    beads: list[tuple[list[int], list[int]]]  # indices into zh and en; every unit in one bead
    bead_confidence: list[float] = field(default_factory=list)  # one per bead, 0–1
    confidence: float = 1.0  # the pair's: its least confident bead (1 when hand-marked)
    confident: bool = True  # drawn sentence by sentence: both sides have text
    renderable: bool = True  # sentence by sentence renders the same text (no *…* across sentences)
    missing: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    widened: bool = False  # the DP's band had to be widened (a warning names the pair)

    @property
    def low(self) -> frozenset[int]:
        """Bead numbers whose confidence is below LOW (the page marks them quietly)."""
        return frozenset(k for k, c in enumerate(self.bead_confidence) if c < LOW)

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
    """A side's sentences in order; an editor's `||` first cuts the text into segments.
    Each is found in its paragraph's text from where the last one ended (so linear): only
    `||` marks and spaces lie between two (a piece not found so is kept as it is)."""
    out: list[Unit] = []
    split = split_zh if lang == "zh" else split_en
    for index, para in enumerate(paras):
        if para.lead:
            lead = para.lead + ("" if lang == "zh" or not para.text else " ")
            out.append(Unit(lead, 0, len(lead), index, True))
        segments, text, at = split_marks(para.text), para.text, 0
        for number, segment in enumerate(segments):
            pieces = split(segment.lstrip() if number else segment)
            for piece in pieces:
                start = text.find(piece, at)
                if start < 0 or text[at:start].replace(MARK, "").strip():
                    out.append(Unit(piece, 0, len(piece), index, False))
                    continue
                at = start + len(piece)
                out.append(Unit(text, start, at, index, False))
            if pieces and number < len(segments) - 1:
                out[-1].closes = True
    for unit in out:
        text = unit.text
        shown = plain(text)
        unit.marked = None if shown == text else shown
    return out


def share_sources(alignment: Alignment, pair: Pair) -> None:
    """Point each unit at `pair`'s own paragraph strings where they hold the same text
    (an alignment made in a worker process, or read from the cache, brings copies). A
    paragraph's units share one copy, so each copy is compared once: linear in the text."""
    for side, paras in ((alignment.zh, pair.zh), (alignment.en, pair.en)):
        last = None  # the copy last found equal (a paragraph's units come together)
        for unit in side:
            if unit.lead or unit.para >= len(paras):
                continue
            text, source = paras[unit.para].text, unit.source
            if source is not text and (source is last or source == text):  # (a piece: lengths differ)
                last, unit.source = source, text


def align(pair: Pair, anchors: tuple[tuple[frozenset, frozenset], ...] = ()) -> Alignment:
    """Align one pair; `anchors` are (zh terms, en terms) naming the same thing (topic
    terms, learned terms). Pure: the build memoises it per pair text and anchors."""
    zh, en = units(pair.zh, "zh"), units(pair.en, "en")
    zfound = [numbers(u.plain, "zh") for u in zh]
    efound = [numbers(u.plain, "en") for u in en]
    renderable = _renderable(pair.zh, zh) and _renderable(pair.en, en)
    done = Alignment(zh, en, [], renderable=renderable, missing=_missing(zfound, efound),
                     confident=bool(zh and en))
    marked = _marked(zh, en)
    if marked is not None:
        done.beads, done.bead_confidence = marked, [1.0] * len(marked)
    elif len(zh) <= 1 or len(en) <= 1:
        done.beads = [(list(range(len(zh))), list(range(len(en))))] if zh or en else []
        done.bead_confidence = [_whole(zh, en, zfound, efound, anchors)] * len(done.beads)
    else:
        _beads(done, zfound, efound, anchors)
    done.confidence = min(done.bead_confidence, default=1.0)
    return done


def _beads(done: Alignment, zfound: list, efound: list, anchors: tuple) -> None:
    """The DP on lengths, numbers, terms and the dictionary's evidence."""
    zh, en = done.zh, done.en
    table = dp.Table(_spans(zh, "zh", zfound, anchors), _spans(en, "en", efound, anchors))
    path = dp.diagonal(table)
    done.bead_confidence = dp.confidences(table, path) if path else []
    if not path or min(done.bead_confidence) < dp.SURE:
        path, done.widened = dp.best_path(table, _hard_anchors(zh, en, zfound, efound))
        done.bead_confidence = dp.confidences(table, path)
    done.beads = [(list(range(i, i2)), list(range(j, j2))) for (i, j), (i2, j2) in zip(path, path[1:])]


def _spans(side: list[Unit], lang: str, found: list[tuple[frozenset, frozenset]],
           anchors: tuple, lexical: bool = True) -> list[dp.Span]:
    """What the DP needs of each unit: size, numbers, terms named, dictionary stems."""
    out, texts = [], [u.plain if lang == "zh" else u.plain.lower() for u in side]
    whole = "\n".join(texts)  # terms the side names at all, then which unit names them
    named = [(k, [t for t in pair[0 if lang == "zh" else 1] if t in whole]) for k, pair in enumerate(anchors)]
    named = [(k, terms) for k, terms in named if terms]
    for unit, text, (hard, soft) in zip(side, texts, found):
        terms = frozenset(k for k, some in named if any(t in text for t in some))
        size = zh_size(unit.plain) if lang == "zh" else en_size(unit.plain)
        lex, parts, words = frozenset(), (), 0
        if lexical and lang == "zh":
            lex, meant = zh_profile(unit.plain)
            parts, words = (meant,), len(meant)
        elif lexical:
            lex = en_stems(unit.plain)
        out.append(dp.Span(size, hard, hard | soft, terms, lex, RATIO * size, math.sqrt(VARIANCE * size) or 1.0,
                           parts, words))
    return out


def _hard_anchors(zh: list[Unit], en: list[Unit], zfound: list, efound: list) -> list[tuple[int, int]]:
    """(zh unit, en unit) sharing a note reference or a number in digits that each side
    has exactly once: they belong to one bead, whatever the lengths say."""
    def keys(side: list[Unit], found: list) -> dict:
        seen = [{("n", v) for v in hard} | {("r", label) for label, _ in find_refs(u.text)}
                for u, (hard, _) in zip(side, found)]
        count = Counter(k for keys in seen for k in keys)
        return {k: i for i, keys in enumerate(seen) for k in keys if count[k] == 1}
    zkeys, ekeys = keys(zh, zfound), keys(en, efound)
    return sorted((i, ekeys[k]) for k, i in zkeys.items() if k in ekeys)


def _whole(zh: list[Unit], en: list[Unit], zfound: list, efound: list, anchors: tuple) -> float:
    """Confidence of a pair that is one bead (a side of one sentence): against dropping
    both sides as untranslated, so only a wildly wrong length makes it low."""
    if not zh or not en:
        return 1.0
    cost = dp.bead_cost(dp.run(_spans(zh, "zh", zfound, anchors, False)),
                        dp.run(_spans(en, "en", efound, anchors, False)))
    dropped = len(zh) * dp.BEADS[(1, 0)] + len(en) * dp.BEADS[(0, 1)]
    return round(1 / (1 + math.exp(min(50.0, (cost - dropped) / dp.TEMPERATURE))), 4)


def _renderable(paras: tuple[Para, ...], side: list[Unit]) -> bool:
    """Rendering each sentence on its own must show the same text as the paragraph: an
    emphasis or link spanning two sentences would otherwise leak its `*` or `[`."""
    whole = "".join(plain(p.lead) + plain(strip_marks(p.text)) for p in paras)
    return "".join(whole.split()) == "".join("".join(u.plain for u in side).split())


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


def _missing(zfound: list, efound: list) -> tuple[list[float], list[float]]:
    """Numbers written in digits on one side and absent from the other: a figure the
    translation adds or leaves out (number words only anchor, never flag)."""
    if not zfound or not efound:
        return [], []
    zh_hard = frozenset().union(*(h for h, _ in zfound))
    zh_soft = frozenset().union(*(s for _, s in zfound))
    en_hard = frozenset().union(*(h for h, _ in efound))
    en_soft = frozenset().union(*(s for _, s in efound))
    return (sorted(zh_hard - en_hard - en_soft), sorted(en_hard - zh_hard - zh_soft))
