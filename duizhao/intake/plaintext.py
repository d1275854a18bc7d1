"""Published bilingual text → `Report` (one excerpt), whatever its layout.

The lines pass through: noise (page furniture, kept as metadata where it says something),
the title block, notes (`注释:` and `[15]…`), units (split headings and wrapped English
repaired), the paragraph aligner (intake.pairing), and blocks. The same path serves a
plain-text copy, a saved web page (intake.webpage gives its lines) and a Chinese document
with its English translation in another file. Anything that cannot be placed is a warning
or an error with its file and line — never silently dropped or shifted."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field

from ..content.model import Bilingual, Report, Source
from ..errors import Problems, fail
from ..text.chars import clean, is_mostly_chinese
from ..text.files import decode, split_lines
from . import noise
from .blocks import covers, to_blocks
from .notes import check_citations, merge_notes, split_notes
from .pairing import pair_units
from .title_block import Header, Line, find_header, find_header_en, find_header_zh
from .series_of import series_of
from .units import make_units

PROSE = 60  # characters: a longer line above the title block is text, not page chrome


TITLE_LINES = 12  # lines at the top of a file where its title stands


@dataclass
class Excerpt:
    """One file's lines, what its furniture said, and its bytes' digest."""

    path: str
    lines: list[Line]
    sha256: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    after_blank: set[int] = field(default_factory=set)  # numbers of lines a blank line precedes


def parse_plaintext(text: str, path: str, problems: Problems, sha256: str = "") -> Report:
    """Parse one published excerpt; warnings go to `problems`, errors are raised."""
    return parse_excerpt(excerpt_of_text(text, path, problems, sha256), problems)


def parse_file_bytes(data: bytes, path: str, problems: Problems) -> Report:
    return parse_plaintext(decode(data, path), path, problems, hashlib.sha256(data).hexdigest())


def excerpt_of_text(text: str, path: str, problems: Problems, sha256: str = "") -> Excerpt:
    return excerpt_of_lines(list(enumerate(split_lines(text), 1)), path, problems, sha256)


def excerpt_of_lines(raw: list[Line], path: str, problems: Problems, sha256: str = "") -> Excerpt:
    """Cleaned lines without the page furniture (kept as metadata where useful)."""
    excerpt, blank = Excerpt(path, [], sha256), False
    heads, seen = noise.running_heads([clean(text) for _, text in raw]), set()
    for number, text in raw:
        line = clean(text)
        if not line:
            blank = True
            continue
        found = noise.classify(line)
        if found is None and line in heads and (line in seen or len(seen) >= TITLE_LINES):
            found = []  # a running head (kept once near the top: it may be the title)
        seen.add(line)
        if found is None:
            excerpt.lines.append((number, line))
            if blank:
                excerpt.after_blank.add(number)
            blank = False
            continue
        for item in found:
            if item.field and item.value:
                excerpt.meta.setdefault(item.field, item.value)
        problems.info(path, number, f"dropped page noise: {line!r}")
    if not excerpt.lines:
        raise fail(path, 1, "no text to import (the file is empty or only page furniture)")
    return excerpt


def parse_excerpt(excerpt: Excerpt, problems: Problems, counts: Counter | None = None,
                  series: str | None = None) -> Report:
    """A bilingual excerpt: title block, then Chinese and English in any layout."""
    header = find_header(excerpt.lines, excerpt.path)
    _above_title(excerpt, header.first, problems)
    return _report(header, [(excerpt, excerpt.lines[header.end:])], problems, counts, series)


def parse_separate(zh: Excerpt, en: Excerpt, problems: Problems,
                   counts: Counter | None = None, series: str | None = None) -> Report:
    """A Chinese document and its English translation, given as two files."""
    hz, he = find_header_zh(zh.lines, zh.path), find_header_en(en.lines, en.path)
    if he.year and he.year != hz.year:
        problems.warn(en.path, en.lines[he.first][0], f"the English title block gives {he.date}, "
                      f"the Chinese {hz.date} ({zh.path}): are these one report?")
    for excerpt, header in ((zh, hz), (en, he)):
        _above_title(excerpt, header.first, problems)
    header = Header(*(Bilingual(getattr(hz, k).zh, getattr(he, k).en) for k in
                      ("title", "delivered", "session", "speaker", "role")),
                    hz.date, hz.year, hz.first, hz.end)
    return _report(header, [(zh, zh.lines[hz.end:]), (en, en.lines[he.end:])], problems, counts, series)


def is_monolingual(excerpt: Excerpt) -> str | None:
    """"zh" or "en" when (nearly) every line of the file is in one language."""
    share = chinese_share(excerpt)
    return "zh" if share >= 0.95 else "en" if share <= 0.05 else None


def chinese_share(excerpt: Excerpt) -> float:
    """The share of a file's lines that are Chinese (0 for none)."""
    return sum(is_mostly_chinese(text) for _, text in excerpt.lines) / max(1, len(excerpt.lines))


def _report(header: Header, bodies: list[tuple[Excerpt, list[Line]]], problems: Problems,
            counts: Counter | None, series: str | None = None) -> Report:
    units, notes = [], []
    for excerpt, lines in bodies:
        body, found = split_notes(lines, excerpt.path, problems)
        notes.append((excerpt.path, found))
        units += make_units(body, excerpt.path, problems, excerpt.after_blank)
    merged = merge_notes(notes, problems)
    drafts, beads = pair_units(units, problems)
    if counts is not None:
        counts.update(beads)
    first = bodies[0][0]
    series = series_of(header, first.path, first.lines[header.first][0], series)
    report = Report(
        id=f"{series}/{header.year}", series=series, year=header.year, date=header.date, title=header.title,
        session=header.session, delivered=header.delivered, speaker=header.speaker,
        role=header.role, blocks=to_blocks(drafts, {n.label: n.text for n in merged}, problems),
        notes=merged, path=first.path)
    report.sources = [Source(
        file=_shown_name(e.path), sha256=e.sha256, published=e.meta.get("published", ""),
        source=e.meta.get("source", ""), translation=e.meta.get("translation", ""),
        covers=covers(report)) for e, _ in bodies]
    check_citations(report, first.path, problems)
    if not report.blocks:
        problems.warn(first.path, first.lines[header.first][0], "a title block with no text under it: "
                      "the report has no paragraphs (is this the whole file?)")
    return report


def _above_title(excerpt: Excerpt, first: int, problems: Problems) -> None:
    """Lines above the title block are page chrome, dropped; but one that reads like text
    (long, or a Chinese line and an English one in a row) is named in a warning."""
    lines = excerpt.lines[:first]
    for k, (line, text) in enumerate(lines):
        nxt = lines[k + 1][1] if k + 1 < len(lines) else ""
        pair = len(text) >= 15 and len(nxt) >= 15 and is_mostly_chinese(text) != is_mostly_chinese(nxt)
        if len(text) > PROSE or pair:
            problems.warn(excerpt.path, line, f"text above the title block is not imported: "
                          f"{text[:60]!r}{'…' if len(text) > 60 else ''} (move it below the "
                          "title block if it belongs to the report)")
        else:
            problems.info(excerpt.path, line, f"dropped page chrome: {text!r}")


def _shown_name(path: str) -> str:
    """A source file's name as the report records it: text, so a name whose bytes are not
    UTF-8 (read by Python as lone surrogates, which YAML cannot hold) keeps the rest with
    U+FFFD for the bytes it cannot show."""
    return os.path.basename(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
