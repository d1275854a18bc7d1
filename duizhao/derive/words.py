"""Words that rose and fell between two reports: the Chinese terms and the topics whose
counts changed most, counted only in the sections both reports hold and compared per
10,000 Chinese characters (so a longer report does not simply say everything more).

A term is a CC-CEDICT headword of 2–4 characters or a topic's Chinese term, found by
looking up every substring of 2–4 characters of each Han run (at most 3 lookups a
character: linear). Terms are ranked by log-likelihood (G², the usual keyness measure:
it weighs a change by how much evidence there is for it), and a term that only ever
occurs inside a longer one with the same counts gives way to it. Each term's English
is read from the aligned sentences that hold it: the commonest English word there that
one of its dictionary senses (or a topic's English term) names; failing that, its first
dictionary sense."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .lexicon import STOP, gloss, headwords, senses
from .similar import stem
from .topic_terms import Topic

SHOWN = 10  # terms that rose, and fell, on a page
TOPICS_SHOWN = 6
LEAST = 3  # a term counts when one of the two reports uses it at least this often
PASSAGES = 4  # passages linked per term and report
BEADS = 20  # aligned sentences read per term for its English (a bound)
_HAN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]")
_GLOSS_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:CL|abbr\. for|variant of|see|also written)\b.*")


@dataclass(frozen=True)
class WordChange:
    zh: str
    en: str
    counts: tuple[int, int]
    rates: tuple[float, float]  # per 10,000 Chinese characters
    keyness: float
    where: tuple[tuple[str, ...], tuple[str, ...]]  # pair ids holding it, in each report
    topic: Topic | None = None

    @property
    def rose(self) -> bool:
        return self.rates[1] > self.rates[0]


def keyness(a: int, b: int, size_a: int, size_b: int) -> float:
    """G² of a count `a` in `size_a` characters against `b` in `size_b`."""
    total = a + b
    if not total or not size_a or not size_b:
        return 0.0
    expect_a = size_a * total / (size_a + size_b)
    expect_b = size_b * total / (size_a + size_b)
    return 2 * sum(n * math.log(n / e) for n, e in ((a, expect_a), (b, expect_b)) if n)


@dataclass(frozen=True)
class Terms:
    """A report's term occurrences: per pair (pair id → its terms' counts, its Han
    characters), and over all its pairs (a comparison usually compares nearly all)."""

    pairs: dict[str, tuple[Counter, int]]
    total: Counter
    size: int


def vocabulary(topics: list[Topic]) -> set[str]:
    """The topics' Chinese terms: terms beside the dictionary's headwords."""
    return {t for topic in topics for t in topic.terms_zh}


def count_terms(texts: dict[str, str], terms: set[str]) -> Terms:
    """Each pair's term occurrences (pair id → Chinese text), headwords and `terms`
    (`vocabulary`); a report's counts are the same whichever report it is compared with,
    so a caller comparing it twice counts once."""
    wide = _wide(terms)
    pairs: dict[str, tuple[Counter, int]] = {}
    total: Counter = Counter()
    for pair_id, text in texts.items():
        counts: Counter = Counter()
        size = 0
        for run in _HAN.findall(text):
            size += len(run)
            counts.update(_terms(run, terms, wide))
        pairs[pair_id] = (counts, size)
        total.update(counts)
    return Terms(pairs, total, sum(size for _, size in pairs.values()))


def term_changes(counted: tuple[Terms, Terms], scope: tuple[list[str], list[str]], topics: list[Topic],
                 beads: list[tuple[str, str]]) -> tuple[list[WordChange], list[WordChange]]:
    """(rose, fell): `counted` holds each report's terms (`count_terms`), `scope` the pair
    ids compared in each, in order; `beads` the aligned (Chinese, English) sentences of
    those pairs. A side's counts are its report's total less the pairs outside the scope
    (usually few), and where a term is, only for the terms shown."""
    counts, sizes = [], []
    for own, ids in zip(counted, scope):
        inside = set(ids)
        total, size = Counter(own.total), own.size
        for pair_id, (found, n) in own.pairs.items():
            if pair_id not in inside:
                total.subtract(found)
                size -= n
        counts.append(total)
        sizes.append(size)
    rated = [(t, g, _rates(t, counts, sizes)) for t, g in _ranked(counts, sizes)]
    rose = [r for r in rated if r[2][1] > r[2][0]][:SHOWN]  # as WordChange.rose says
    fell = [r for r in rated if not r[2][1] > r[2][0]][:SHOWN]
    english = _renderings([t for t, _, _ in rose + fell], beads, topics)  # only what is shown

    def where(term: str, side: int) -> tuple[str, ...]:
        return tuple([pid for pid in scope[side] if term in counted[side].pairs[pid][0]][:PASSAGES])
    return tuple([WordChange(t, english.get(t, ""), (counts[0][t], counts[1][t]), rates, g,
                             (where(t, 0), where(t, 1))) for t, g, rates in found]
                 for found in (rose, fell))


def topic_changes(counts: tuple[Counter, Counter], sizes: tuple[int, int],
                  topics: list[Topic]) -> tuple[list[WordChange], list[WordChange]]:
    """(rose, fell) of the topics, by their terms' occurrences in the compared pairs."""
    out = []
    for topic in topics:
        a, b = counts[0][topic.id], counts[1][topic.id]
        if max(a, b) >= LEAST and a * sizes[1] != b * sizes[0]:
            out.append(WordChange(topic.name.zh, topic.name.en, (a, b), _rates(topic.id, counts, sizes),
                                  keyness(a, b, *sizes), ((), ()), topic))
    out.sort(key=lambda w: (-w.keyness, w.zh))
    return [w for w in out if w.rose][:TOPICS_SHOWN], [w for w in out if not w.rose][:TOPICS_SHOWN]


def _terms(run: str, vocabulary: set[str], wide: tuple[int, ...]):
    """Every term occurrence in a Han run: substrings of 2–4 characters that are
    headwords or topic terms, then topic terms of the longer lengths `wide` (from
    `_wide`: the caller computes them once, not per run), shortest first. At most
    3 + len(wide) lookups a character: linear."""
    lexicon = headwords()
    size = len(run)
    for start in range(size):
        left = size - start
        for width in range(2, min(4, left) + 1):
            piece = run[start:start + width]
            if piece in lexicon or piece in vocabulary:
                yield piece
        for width in wide:
            if width > left:
                break
            piece = run[start:start + width]
            if piece in vocabulary:
                yield piece


def _wide(vocabulary: set[str]) -> tuple[int, ...]:
    """The lengths over 4 of the vocabulary's terms, ascending (4 and less are all looked up)."""
    return tuple(sorted({len(t) for t in vocabulary if len(t) > 4}))


def _ranked(counts: tuple[Counter, Counter], sizes: list[int]) -> list[tuple[str, float]]:
    """Terms used at least LEAST times in one report whose rate changed, by G²; a term
    inside a longer one with the very same counts is dropped (each term has at most 6
    substrings of 2+ characters: linear)."""
    terms = {t for side in counts for t, n in side.items() if n >= LEAST}
    same = set()
    for term in terms:
        for size in range(2, len(term)):
            for start in range(len(term) - size + 1):
                inner = term[start:start + size]
                if counts[0][inner] == counts[0][term] and counts[1][inner] == counts[1][term]:
                    same.add(inner)
    scored = [(t, keyness(counts[0][t], counts[1][t], *sizes)) for t in terms - same
              if counts[0][t] * sizes[1] != counts[1][t] * sizes[0]]
    return sorted(scored, key=lambda s: (-s[1], s[0]))


def _rates(term: str, counts: tuple[Counter, Counter], sizes) -> tuple[float, float]:
    return tuple(round(counts[k][term] * 10_000 / sizes[k], 1) if sizes[k] else 0.0 for k in (0, 1))


def _renderings(terms: list[str], beads: list[tuple[str, str]], topics: list[Topic]) -> dict[str, str]:
    """Each term's English, from the aligned sentences holding it (BEADS at most). A term
    is all Han characters, so it is in a sentence exactly where it is in one of its Han runs."""
    found: dict[str, list[str]] = {t: [] for t in terms}
    for zh, en in beads:
        for term, sentences in found.items():
            if term in zh and len(sentences) < BEADS and en not in sentences:
                sentences.append(en)
    english: dict[str, list[str]] = {}
    for topic in topics:
        for term in topic.terms_zh:
            english.setdefault(term, []).extend(t.lower() for t in topic.terms_en)
    return {term: _rendering(term, found[term], english.get(term, [])) for term in terms}


def _rendering(term: str, sentences: list[str], topic_terms: list[str]) -> str:
    """The commonest word of the sentences that one of the term's dictionary senses names
    (lower case unless the text only ever capitalises it); else the topic's English term
    used most there; else the first dictionary sense."""
    text = " ".join(sentences)
    meant = senses(term)
    forms: dict[str, Counter] = {}
    run: list[str] = []
    for word in _WORD.findall(text) + [""]:  # runs of words a sense names: real estate
        lower = word.lower()
        named = bool(lower) and lower not in STOP and stem(lower) in meant  # once a word
        if named and len(run) < 3:
            run.append(word)
            continue
        if run:
            phrase = " ".join(run)
            forms.setdefault(phrase.lower(), Counter())[phrase] += 1
        run = [word] if named else []
    if forms:
        best = max(forms.items(), key=lambda kv: (sum(kv[1].values()), len(kv[0].split()), -len(kv[0]), kv[0]))
        return best[0] if best[0] in best[1] else best[1].most_common(1)[0][0]
    lower = text.lower()
    used = Counter({t: lower.count(t) for t in topic_terms if t in lower})
    if used:
        return max(used.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]
    first = _GLOSS_NOISE.sub(" ", gloss(term))
    return " ".join(first.split())[:40]
