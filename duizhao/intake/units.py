"""The lines of a published body as units the aligner pairs: one paragraph or heading line
each, with its language, its file and line, and what its numbering says.

Before aligning, copies are repaired where they broke a unit in two: a heading whose
number stands on a line of its own (`I` / `Overall Requirements …`, `二、` / `…`), and
English hard-wrapped by a mail client or editor. Every join is reported (`-v`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.headings import ZhHeading, bare_numeral, classify_zh, en_numbering
from ..errors import Problems
from ..text.chars import is_mostly_chinese

WRAP_WIDTH = 100  # a file whose English lines are all this short is hard-wrapped
MAX_EN_HEADING = 400  # characters: longer English lines are paragraphs


@dataclass
class Unit:
    path: str
    line: int
    text: str
    zh: bool
    heading: ZhHeading | None = None  # a Chinese unit's numbering, if it has the shape
    numbering: tuple[int, str] | None = None  # an English unit's (number, style)

    @property
    def firm_heading(self) -> bool:
        """A Chinese part or section heading (`二、…`, `(八)…`): never prose. Items
        (`三是…`) and headings ending in 。 are headings only if the English agrees."""
        return self.heading is not None and self.heading.level < 3 and not self.heading.stop


def make_units(lines: list[tuple[int, str]], path: str, problems: Problems,
               after_blank: set[int] | frozenset[int] = frozenset()) -> list[Unit]:
    """Units of one file's body lines (`after_blank`: the numbers of those a blank line
    precedes), with split headings and wrapped English joined."""
    units = [_unit(path, number, text) for number, text in lines]
    return _unwrap(_join_split_headings(units, problems), problems, after_blank)


def _unit(path: str, number: int, text: str) -> Unit:
    if is_mostly_chinese(text):
        return Unit(path, number, text, True, classify_zh(text))
    found = en_numbering(text) if len(text) <= MAX_EN_HEADING else None
    return Unit(path, number, text, False, numbering=found)


def _join_split_headings(units: list[Unit], problems: Problems) -> list[Unit]:
    """`I` then `Overall Requirements …` (or `二、` then `…`): one heading, as published."""
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        if prev is not None and prev.zh == unit.zh and bare_numeral(prev.text) \
                and not bare_numeral(unit.text):
            gap = "" if unit.zh else " "
            problems.info(unit.path, unit.line, f"joined to its number on line {prev.line} "
                                                "(a heading broken over two lines)")
            out[-1] = _unit(prev.path, prev.line, prev.text.rstrip() + gap + unit.text)
            continue
        out.append(unit)
    return out


def _unwrap(units: list[Unit], problems: Problems, after_blank: set[int] | frozenset[int]) -> list[Unit]:
    """Join hard-wrapped English lines. A line that does not end a sentence continues
    when the next starts in lower case or it is itself long; in a file whose English
    lines never exceed ~100 characters (wrapped by a mail client or editor) a line close
    to that width continues even when a sentence happens to end at the wrap. A numbered
    heading line continues only into lower case (in block layouts the next line is the
    next heading or paragraph). An English file whose paragraphs are set apart by blank
    lines, at least three times (`blank_lined`), says it itself: its lines run on to the next
    blank line. (Not a bilingual file: there a Chinese paragraph's English may be two
    paragraphs on consecutive lines, with a blank line only between pairs.)"""
    lengths = [len(u.text) for u in units if not u.zh]
    width = max(lengths, default=0)
    wrapped = width <= WRAP_WIDTH and sum(n >= 0.6 * width for n in lengths) >= 3
    paragraphs_apart = sum(u.line in after_blank for u in units) >= 3  # set apart by blank lines
    blank_lined = paragraphs_apart and not any(u.zh for u in units)  # an English file (see below)
    zh_width = _zh_wrap_width(units)  # (then, blank lines apart, paragraphs run on to the next)
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        if prev is not None and _CLOSING.fullmatch(unit.text):  # a full stop wrapped onto a line of its own
            problems.info(unit.path, unit.line, f"joined to line {prev.line} (its closing punctuation)")
            out[-1] = _unit(prev.path, prev.line, prev.text + unit.text)
            continue
        if zh_width and prev is not None and prev.zh and unit.zh and prev.heading is None \
                and unit.heading is None and (paragraphs_apart and unit.line not in after_blank
                                              or len(prev.text) >= 0.9 * zh_width and not _ZH_END.search(prev.text)):
            problems.info(unit.path, unit.line, f"joined to the Chinese line {prev.line} (hard-wrapped)")
            out[-1] = _unit(prev.path, prev.line, prev.text + unit.text)
            continue
        heading = prev is not None and prev.numbering is not None and len(prev.text) <= 200
        if prev is not None and not prev.zh and not unit.zh and (
                unit.text[:1].islower() and not re.search(r"[.!?:;\"”’)]$", prev.text)
                or blank_lined and unit.line not in after_blank  # (a long heading wraps too)
                or not blank_lined and (
                    not heading and len(prev.text) >= 40 and not re.search(r"[.!?:;,\"”’)]$", prev.text)
                    or wrapped and len(prev.text) >= 0.6 * width and not (heading and unit.numbering))):
            problems.info(unit.path, unit.line, f"joined to the English line {prev.line} (hard-wrapped)")
            out[-1] = _unit(prev.path, prev.line, join_wrapped(prev.text, unit.text))
            continue
        out.append(unit)
    return out


def join_wrapped(before: str, after: str) -> str:
    """Two pieces of one hard-wrapped English line: a space between, none after a hyphen
    that ends a word (`super-` ↵ `large` is `super-large`)."""
    return before + ("" if re.search(r"[A-Za-z]-$", before) and after[:1].isalpha() else " ") + after


def ends_sentence(text: str) -> bool:
    """Does a line end where a sentence (or a clause before a list) may end?"""
    return bool(_ZH_END.search(text) if is_mostly_chinese(text) else re.search(r"[.!?:;\"”’)]$", text))


_CLOSING = re.compile(r"[。！？；：，、”’」』)）.!?;:,\"']+")
_ZH_END = re.compile(r"[。！？；：!?;:…](?:[”’」』)）\"']*)$")  # a sentence (or a clause before a list) ends
ZH_WRAP_WIDTH = 60  # characters: Chinese set this short on every full line was wrapped by print or PDF


def _zh_wrap_width(units: list[Unit]) -> int:
    """The width a copy from print or PDF wrapped its Chinese at (0: not wrapped): no
    Chinese prose line is longer than ZH_WRAP_WIDTH and at least three reach nine tenths
    of the longest. A line that long ending mid-sentence then runs on into the next (a
    short one, a caption, does not; a heading never does)."""
    lengths = [len(u.text) for u in units if u.zh and u.heading is None]
    width = max(lengths, default=0)
    if not width or width > ZH_WRAP_WIDTH or sum(n >= 0.9 * width for n in lengths) < 3:
        return 0
    return width
