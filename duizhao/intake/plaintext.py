"""Published bilingual plain text → `Report` (one excerpt).

Lines alternate Chinese then English, with or without blank lines. Headings come in
pairs and are recognised by their Chinese numbering, confirmed by the English number.
Footnote numbers glued to English words (`Jingtong15`) become `[^15]` only where
`[15]` is defined after `注释:`. Anything the parser cannot place is a warning or an
error with its line — never silently dropped or shifted."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field

from . import noise
from ..errors import Problems, fail
from .title_block import Line, find_header
from ..content.inline import escape_inline, note_ref
from ..content.model import Footnote, Heading, Pair, Para, Report, Source, number_pairs, LEVEL_NAMES
from ..text.chars import han_count, is_mostly_chinese
from ..content.headings import HeadingIds, ZhHeading, classify_zh, en_number
from .leads import split_leads
from ..text.chars import fold

# These match width-folded text (textio.fold): `:` also stands for `:`, `[` for `［`.
_NOTES_MARK = re.compile(r"^[\[【]?\s*(?:注\s*释|注\s*解|注|Notes?|Annotations?)\s*[\]】]?\s*:?$",
                         re.IGNORECASE)
_NOTE_DEF = re.compile(r"^[\[【]\s*(\d{1,3})\s*[\]】]\s*(\S.*)$")
_GLUED = re.compile(r"(?:(?<=[A-Za-z”’\"')])|(?<=[a-z][.,;:]))(\d{1,3})(?![\d,.]?\d)"
                    r"(?=[\s.,;:!?)”’\"]|$)")
_BRACKET_REF = re.compile(r"\\\[(\d{1,3})\\\]")  # `Jingtong[15]` after escaping: `\[15\]`
_SUPERSCRIPT = re.compile(r"(?<=\S)[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SUPER_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# Words that take a number (`Line17` is a typo for `Line 17`, not a reference).
_NUMBERED_WORDS = {"line", "no", "phase", "grade", "article", "section", "chapter", "class",
                   "level", "type", "category", "route", "ring", "zone", "group", "batch",
                   "round", "volume", "vol", "item", "page", "figure", "table", "terminal",
                   "p", "pp"}
RATIO_BAND = (1.5, 14.0)  # English characters per Han character in a normal pair
MAX_EN_HEADING = 400
WRAP_WIDTH = 100  # a file whose English lines are all this short is hard-wrapped


@dataclass
class Unit:
    line: int
    text: str
    zh: bool
    heading: ZhHeading | None = None


@dataclass
class Draft:
    """A block before escaping: plain text, line numbers for messages."""

    line: int
    zh: list[Unit] = field(default_factory=list)
    en: list[Unit] = field(default_factory=list)
    heading: ZhHeading | None = None


def parse_plaintext(text: str, path: str, problems: Problems, sha256: str = "") -> Report:
    """Parse one published excerpt; warnings go to `problems`, errors are raised."""
    meta: dict[str, str] = {}
    content = _drop_noise(text, path, problems, meta)
    if not content:
        raise fail(path, 1, "no text to import (the file is empty or only page furniture)")
    header = find_header(content, path)
    for line, chrome in content[: header.first]:
        problems.info(path, line, f"dropped page chrome: {chrome!r}")
    body, notes = _split_notes(content[header.end:], path, problems)
    drafts = _pair([_unit(n, t) for n, t in body], path, problems)
    blocks = _to_blocks(drafts, {n.label: n.text for n in notes}, path, problems)
    report = Report(
        id=str(header.year), year=header.year, date=header.date, title=header.title,
        session=header.session, delivered=header.delivered, speaker=header.speaker,
        role=header.role, blocks=blocks, notes=notes, path=path)
    report.sources = [Source(
        file=os.path.basename(path), sha256=sha256, published=meta.get("published", ""),
        source=meta.get("source", ""), translation=meta.get("translation", ""),
        covers=_covers(report))]
    _check_citations(report, path, problems)
    return report


def parse_file_bytes(data: bytes, path: str, problems: Problems) -> Report:
    from ..text.files import decode
    return parse_plaintext(decode(data, path), path, problems, hashlib.sha256(data).hexdigest())


def _drop_noise(text: str, path: str, problems: Problems, meta: dict[str, str]) -> list[Line]:
    from ..text.chars import clean
    from ..text.files import split_lines
    kept: list[Line] = []
    for number, raw in enumerate(split_lines(text), 1):
        line = clean(raw)
        if not line:
            continue
        found = noise.classify(line)
        if found is None:
            kept.append((number, line))
            continue
        for item in found:
            if item.field and item.value:
                meta.setdefault(item.field, item.value)
        problems.info(path, number, f"dropped page noise: {line!r}")
    return kept


def _split_notes(lines: list[Line], path: str, problems: Problems) -> tuple[list[Line], list[Footnote]]:
    """Body lines, and the notes defined as `[15]text` (after `注释:` or anywhere)."""
    body: list[Line] = []
    notes: dict[str, Footnote] = {}
    marker = 0
    for number, text in lines:
        match = _NOTE_DEF.match(fold(text))
        if _NOTES_MARK.match(fold(text)):
            marker = number
        elif match:
            label, note = match.group(1), Footnote(match.group(1), escape_inline(text[match.start(2):]), number)
            if label in notes and notes[label].text != note.text:
                note = _both_languages(notes[label], note, path, problems)
            notes[label] = note
        elif marker and notes and not is_mostly_chinese(text):
            last = list(notes.values())[-1]
            problems.warn(path, number, f"line after the notes is not a note definition; "
                                        f"kept as a continuation of note [{last.label}]")
            last.text += " " + escape_inline(text)
        elif marker:
            raise fail(path, number, f"text after the notes (注释: at line {marker}) that is "
                                     "not a note definition like [15]…")
        else:
            body.append((number, text))
    ordered = sorted(notes.values(), key=lambda n: (int(n.label), n.line))
    return body, ordered


def _both_languages(first: Footnote, second: Footnote, path: str, problems: Problems) -> Footnote:
    """A note given in Chinese and in English keeps the English (the pages' note
    language); the same note given twice differently in one language is an error."""
    if first.lang == second.lang:
        raise fail(path, second.line, f"note [{first.label}] is defined twice, differently "
                                      f"(first at line {first.line})")
    chinese = first if first.lang == "zh" else second
    problems.warn(path, chinese.line, f"note [{first.label}] is given in Chinese and in "
                  "English; the English is used (notes are shown in English)")
    return second if chinese is first else first


def _unit(number: int, text: str) -> Unit:
    zh = is_mostly_chinese(text)
    return Unit(number, text, zh, classify_zh(text) if zh else None)


def _unwrap(units: list[Unit], path: str, problems: Problems) -> list[Unit]:
    """Join hard-wrapped English lines. A line that does not end a sentence continues
    when the next starts in lower case or it is itself long; in a file whose English
    lines never exceed ~100 characters (wrapped by a mail client or editor) a line close
    to that width continues even when a sentence happens to end at the wrap."""
    lengths = [len(u.text) for u in units if not u.zh]
    width = max(lengths, default=0)
    wrapped = width <= WRAP_WIDTH and sum(n >= 0.6 * width for n in lengths) >= 3
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        if prev is not None and not prev.zh and not unit.zh and (
                unit.text[:1].islower() and not re.search(r"[.!?:;\"”’)]$", prev.text)
                or len(prev.text) >= 40 and not re.search(r"[.!?:;,\"”’)]$", prev.text)
                or wrapped and len(prev.text) >= 0.6 * width):
            problems.info(path, unit.line, f"joined to the English line {prev.line} (hard-wrapped)")
            prev.text += " " + unit.text
            continue
        out.append(unit)
    return out


def _pair(units: list[Unit], path: str, problems: Problems) -> list[Draft]:
    """Group units into heading pairs and paragraph pairs, warning where unsure."""
    units = _unwrap(units, path, problems)
    drafts: list[Draft] = []
    i = 0
    while i < len(units):
        unit = units[i]
        nxt = units[i + 1] if i + 1 < len(units) else None
        if unit.heading and _heading_pair(unit, nxt, path, problems, drafts):
            i += 2 if drafts[-1].en else 1
            continue
        if not unit.zh:
            problems.warn(path, unit.line, "English paragraph has no Chinese paragraph "
                                           "before it; kept on its own")
            drafts.append(Draft(unit.line, [], [unit]))
            i += 1
            continue
        j = i + 1
        while j < len(units) and not units[j].zh:
            j += 1
        drafts.append(Draft(unit.line, [unit], units[i + 1:j]))
        _check_lengths(drafts[-1], path, problems)
        i = j
    return drafts


def _heading_pair(unit: Unit, nxt: Unit | None, path: str, problems: Problems,
                  drafts: list[Draft]) -> bool:
    """Append a heading draft if `unit` is one; False means: treat it as a paragraph."""
    heading = unit.heading
    assert heading is not None
    name = LEVEL_NAMES[heading.level]
    english = nxt if nxt is not None and not nxt.zh and len(nxt.text) <= MAX_EN_HEADING else None
    number = en_number(english.text) if english else None
    if heading.stop and number != heading.number:
        return False  # a numbered sentence ending in 。 is prose unless the English agrees
    if english and number is None:
        if heading.level == 3:
            return False  # `一是…` inside ordinary prose, not an item heading
        problems.warn(path, english.line, f"English {name} heading has no number "
                                          f"(Chinese has {heading.number})")
    elif english and number != heading.number:
        problems.warn(path, english.line, f"{name} numbers disagree: Chinese {heading.number}, "
                                          f"English {number}; the id uses the Chinese number")
    if english is None:
        problems.warn(path, unit.line, f"{name} heading has no English translation after it")
    drafts.append(Draft(unit.line, [unit], [english] if english else [], heading))
    return True


def _check_lengths(draft: Draft, path: str, problems: Problems) -> None:
    """Warn where the English is far longer or shorter than a translation should be."""
    zh = draft.zh[0]
    if not draft.en:
        problems.warn(path, zh.line, "Chinese paragraph has no English translation after it")
        return
    han = han_count(zh.text)
    if han < 40:
        return
    total = sum(len(u.text) for u in draft.en)
    before_last = total - len(draft.en[-1].text)
    low, high = RATIO_BAND
    if len(draft.en) > 1 and before_last / han >= low * 1.5:
        problems.warn(path, draft.en[-1].line, f"Chinese paragraph at line {zh.line} has "
                      f"{len(draft.en)} English paragraphs and the first already reads as its "
                      "full translation; is a Chinese paragraph missing?")
    elif not low <= total / han <= high:
        problems.warn(path, draft.en[0].line, f"English is {total / han:.1f}× the Chinese "
                      f"length at line {zh.line} (usually {low}–{high}); check the pairing")


def _to_blocks(drafts: list[Draft], labels: dict[str, str], path: str,
               problems: Problems) -> list[Heading | Pair]:
    ids = HeadingIds()
    seen: dict[str, int] = {}
    blocks: list[Heading | Pair] = []
    for draft in drafts:
        if draft.heading:
            hid = ids.next_id(draft.heading.level, draft.heading.number)
            if hid in seen:
                raise fail(path, draft.line, f"heading id {hid!r} again (first at line "
                                             f"{seen[hid]}): the numbering repeats")
            seen[hid] = draft.line
            en = _english(draft.en[0].text, labels, path, draft.en[0].line, problems,
                          block_start=False) if draft.en else None
            blocks.append(Heading(draft.heading.level, hid,
                                  escape_inline(draft.zh[0].text, block_start=False),
                                  en, draft.line, draft.en[0].line if draft.en else 0))
        else:
            blocks.append(_pair_block(draft, labels, path, problems))
    number_pairs(blocks)
    return blocks


def _pair_block(draft: Draft, labels: dict[str, str], path: str, problems: Problems) -> Pair:
    zh_texts = [u.text for u in draft.zh]
    en_texts = [u.text for u in draft.en]
    leads = ("", "")
    if zh_texts and en_texts:
        (lead_zh, zh_texts[0]), (lead_en, en_texts[0]) = split_leads(zh_texts[0], en_texts[0])
        leads = (lead_zh, lead_en)
    zh = tuple(Para(escape_inline(t), escape_inline(leads[0]) if k == 0 else "")
               for k, t in enumerate(zh_texts))
    en = tuple(Para(_english(t, labels, path, u.line, problems),
                    _english(leads[1], labels, path, u.line, problems) if k == 0 else "")
               for k, (t, u) in enumerate(zip(en_texts, draft.en)))
    return Pair("", zh, en, draft.line, draft.en[0].line if draft.en else 0)


def _english(text: str, labels: dict[str, str], path: str, line: int, problems: Problems,
             block_start: bool = True) -> str:
    """Escape English text and turn glued note numbers into `[^n]` where `[n]` exists."""
    escaped = escape_inline(text, block_start)

    def glued(match: re.Match[str]) -> str:
        label = match.group(1)
        word = escaped[: match.start()].rsplit(None, 1)[-1] if escaped[: match.start()].strip() else ""
        bare = word.strip(".,;:")
        defined_here = label in labels and labels[label].startswith(bare)  # BMC1: "BMC refers to…"
        if not (re.search(r"[a-z]", word) or word[-1:] in "”’\")'" or defined_here) \
                or bare.lower() in _NUMBERED_WORDS:
            return label  # CO2, G20, Line17: part of a name, not a reference
        if label in labels:
            return note_ref(label)
        problems.warn(path, line, f"{word}{label!s}: looks like a reference to note [{label}], "
                                  "which is not defined; kept as text")
        return label

    def marked(match: re.Match[str]) -> str:  # `[15]` or `¹⁵` copied from a web page
        label = match.group(1) if match.re is _BRACKET_REF else match.group().translate(_SUPER_DIGITS)
        return note_ref(label) if label in labels else match.group()

    escaped = _BRACKET_REF.sub(marked, _SUPERSCRIPT.sub(marked, escaped))
    return _GLUED.sub(glued, escaped)


def _check_citations(report: Report, path: str, problems: Problems) -> None:
    from ..content.inline import find_refs
    cited = {label for _, text in report.texts() for label, _ in find_refs(text)}
    for note in report.notes:
        if note.label not in cited:
            problems.warn(path, note.line, f"note [{note.label}] is defined but never cited")


def _covers(report: Report) -> tuple[str, ...]:
    deep = [h.id for h in report.headings if h.level >= 2]
    return tuple(deep or [h.id for h in report.headings])
