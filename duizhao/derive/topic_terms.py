"""Topic terms and where they occur: a pair belongs to a topic when any of its terms occurs
in it. Chinese terms as substrings (养老 inside 养老服务中心), except inside the topic's
`not_zh` phrases; English terms as whole words, case-insensitive, the last word also in
its plural. All topics' terms sit in two Aho–Corasick automata (pyahocorasick), so one
pass over a text finds every place a term may begin."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ahocorasick

from ..content.model import Bilingual


@dataclass
class Topic:
    id: str
    name: Bilingual
    about: Bilingual
    terms_zh: tuple[str, ...]
    terms_en: tuple[str, ...]
    not_zh: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        # One alternation per topic and language: one pass over each text, not one per term.
        self._en = _alternation([_english_term(t) for t in self.terms_en], re.IGNORECASE)
        self._zh = _alternation([re.escape(t) for t in sorted(self.terms_zh, key=len, reverse=True)])
        self._not_zh = _alternation([re.escape(t) for t in self.not_zh])
        # Cheap exact pre-filter: a text can only match if it contains a term's first word.
        self._en_keys = {_stem(t.split()[0].lower()) for t in self.terms_en}

    def spans(self, text: str, lang: str, starts: list[int] | None = None) -> list[tuple[int, int]]:
        """Where the topic's terms occur in a plain text of the given language; `starts`,
        when the caller found them already, are the places a term of this topic begins."""
        if lang == "zh":
            if self._zh is None:
                return []
            starts = _starts(text, self.terms_zh) if starts is None else starts
            if not starts:
                return []
            blocked = [m.span() for m in self._not_zh.finditer(text)] if self._not_zh else []
            found = _spans_at(self._zh, text, starts)
            return [s for s in found if not any(b[0] <= s[0] and s[1] <= b[1] for b in blocked)]
        if self._en is None:
            return []
        starts = _starts(_lower(text), self._en_keys) if starts is None else starts
        return _spans_at(self._en, text, starts)


class Matcher:
    """All topics' terms in two Aho–Corasick automata (Chinese terms; English first-word
    stems, lower case): one pass over a text finds every place any topic's term may begin,
    instead of one scan per topic and term."""

    def __init__(self, topics: list[Topic]) -> None:
        self.topics = topics
        self._zh = _automaton({t: [i for i, topic in enumerate(topics) if t in topic.terms_zh]
                               for topic in topics for t in topic.terms_zh})
        self._en = _automaton({k: [i for i, topic in enumerate(topics) if k in topic._en_keys]
                               for topic in topics for k in topic._en_keys})

    def match(self, zh: str, en: str) -> list[tuple[Topic, list[tuple[int, int]], list[tuple[int, int]]]]:
        """(topic, Chinese spans, English spans) of each topic found, in topics.yaml order."""
        zh_starts, en_starts = _begins(self._zh, zh), _begins(self._en, _lower(en))
        found = []
        for i in sorted(zh_starts.keys() | en_starts.keys()):
            topic = self.topics[i]
            zh_spans = topic.spans(zh, "zh", sorted(zh_starts[i])) if i in zh_starts else []
            en_spans = topic.spans(en, "en", sorted(en_starts[i])) if i in en_starts else []
            if zh_spans or en_spans:
                found.append((topic, zh_spans, en_spans))
        return found


def _automaton(needles: dict[str, list[int]]) -> ahocorasick.Automaton | None:
    if not needles:
        return None
    automaton = ahocorasick.Automaton()
    for needle, owners in needles.items():
        automaton.add_word(needle, (len(needle), owners))
    automaton.make_automaton()
    return automaton


def _begins(automaton: ahocorasick.Automaton | None, text: str) -> dict[int, set[int]]:
    """Topic index → positions in text where one of its needles begins."""
    out: dict[int, set[int]] = {}
    if automaton is None or not text:
        return out
    for end, (length, owners) in automaton.iter(text):
        for owner in owners:
            out.setdefault(owner, set()).add(end - length + 1)
    return out


def _stem(word: str) -> str:
    """What every inflection of a term's first word contains: nursery → nurser(ies)."""
    return word[:-1] if len(word) > 2 and word.endswith("y") else word


def _alternation(parts: list[str], flags: int = 0) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in parts), flags) if parts else None


def _lower(text: str) -> str:
    """Lower case with every character where it was (str.lower turns İ into two)."""
    lower = text.lower()
    return lower if len(lower) == len(text) else "".join(c.lower()[0] for c in text)


def _starts(text: str, needles) -> list[int]:
    """Every position where one of the needles occurs (overlaps included): the only
    places a term can begin. Plain `str.find` is far faster than a regex scan."""
    found: set[int] = set()
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            found.add(at)
            at = text.find(needle, at + 1)
    return sorted(found)


def _spans_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[tuple[int, int]]:
    """Every match beginning at one of `starts` (overlapping ones included: 养老 and 老年人
    in 养老年人…); the longest-first alternation decides the match at each start."""
    spans = []
    for at in starts:
        match = pattern.match(text, at)
        if match is not None:
            spans.append(match.span())
    return spans


def _english_term(term: str) -> str:
    words = term.split()
    last = words[-1]
    if re.search(r"[^aeiou]y$", last):
        tail = re.escape(last[:-1]) + "(?:y|ies)"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        tail = re.escape(last) + "(?:es)?"
    else:
        tail = re.escape(last) + "(?:s|es)?"
    body = r"\s+".join([re.escape(w) for w in words[:-1]] + [tail])
    return rf"(?<![\w’']){body}(?![\w’'])"
