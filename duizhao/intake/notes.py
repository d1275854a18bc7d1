"""Footnotes in published text: definitions `[15]…` (anywhere), and after `注释:` also
`①…`, `(1)…`, `⑴…` or `1.…`; references glued to English words (`Jingtong15`,
`“details”12`), marked (`Jingtong[15]`, `Jingtong(15)`), superscript (`¹⁵`) or circled
(`Jingtong①`). A number becomes a reference only where that note is defined;
`Line 17`, `PM2.5`, `CO2`, `G20` and `1,000` stay text."""

from __future__ import annotations

import re
import unicodedata

from ..content.headings import classify_zh, en_numbering
from ..content.inline import escape_inline, find_refs, note_ref
from ..content.model import Footnote, Report
from ..errors import Problems, fail
from ..text.chars import fold, is_mostly_chinese
from .title_block import Line
from .units import ends_sentence, join_wrapped

# These match width-folded text (text.chars.fold): `:` also stands for `:`, `[` for `［`.
NOTES_MARK = re.compile(r"^[\[【]?\s*(?:[注註]\s*[释釋解]|[注註]|Notes?|Annotations?)\s*[\]】]?\s*:?$",
                        re.IGNORECASE)  # Simplified or Traditional: 注释 註釋 注釋 註解
_NOTE_DEF = re.compile(r"^[\[【]\s*(\d{1,3})\s*[\]】]\s*(\S.*)$")
# After the notes mark only (in the body these start list items): (1) ⑴ ① 1. 1、
_LISTED_DEF = re.compile(r"^(?:\(\s*(\d{1,3})\s*\)|([⑴-⒇])|([①-⑳㉑-㉟㊱-㊿])|(\d{1,3})(?:\.|、)(?!\d))"
                         r"\s*(\S.*)$")
# An appendix after the notes, set as a heading (short, no full stop): 附件：名词解释,
# 附录一, 附：…, Appendix I, Annexes. The body goes on, as after a numbered heading; its text
# is kept and paired like the rest. (A note's own sentence that begins "Annex …" or
# "Attachment …" ends as a sentence does, and stays the note's.)
_APPENDIX = re.compile(r"^(?:附\s*(?:[件录錄表]\s*[\d一二三四五六七八九十]*|(?=:))\s*:?\s*[^。.!?！？]{0,24}|"
                       r"(?:appendix|appendices|annex(?:es)?|attachments?)\b\s*[\divx]*\s*[:.]?\s*[^.!?]{0,60})$",
                       re.IGNORECASE)
_BRACKET_REF = re.compile(r"\\\[(\d{1,3})\\\]|(?<=[A-Za-z”’\"])\((\d{1,3})\)")  # `Jingtong[15]` after escaping: `\[15\]`; `Jingtong(15)`
_CIRCLED_REF = re.compile(r"(?<=\S)[①-⑳㉑-㉟㊱-㊿]")
_GLUED = re.compile(r"(?:(?<=[A-Za-z”’\"')])|(?<=[a-z][.,;:]))(\d{1,3})(?![\d,.]?\d)"
                    r"(?=[\s.,;:!?)”’\"]|$)")
_SUPERSCRIPT = re.compile(r"(?<=\S)[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SUPER_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# Words that take a number (`Line17` is a typo for `Line 17`, not a reference).
_NUMBERED_WORDS = {"line", "no", "phase", "grade", "article", "section", "chapter", "class",
                   "level", "type", "category", "route", "ring", "zone", "group", "batch",
                   "round", "volume", "vol", "item", "page", "figure", "table", "terminal",
                   "p", "pp"}
_UNIT = re.compile(r"(?:^|[^A-Za-z])[kcm]?m$")


def is_power(before: str, label: str) -> bool:
    """`2` or `3` right after m, km, cm or mm (500km2, 3,000m², m<sup>2</sup>): a unit
    squared or cubed, never a note's number (`Forum2` still is one)."""
    return label in ("2", "3") and _UNIT.search(before) is not None


def split_notes(lines: list[Line], path: str, problems: Problems) -> tuple[list[Line], list[Footnote]]:
    """Body lines, and the notes defined as `[15]text` (after `注释:` or anywhere). A
    numbered heading after the notes ends them: the body goes on (a translation that sets
    its notes at the end of each section)."""
    body: list[Line] = []
    notes: dict[str, Footnote] = {}
    marker, since = 0, []  # labels defined since the notes mark
    for number, text in lines:
        folded = fold(text)
        match = _NOTE_DEF.match(folded) or (_listed(folded, since) if marker else None)
        if NOTES_MARK.match(folded):
            marker, since = number, []
        elif match:
            label = _label(next(g for g in match.groups() if g is not None))
            since.append(label)
            note = Footnote(label, escape_inline(text[match.start(match.lastindex):]), number)
            if label in notes and notes[label].text != note.text:
                note = _both_languages(notes[label], note, path, problems)
            notes[label] = note
        elif marker and notes and _wraps(last := list(notes.values())[-1], text):
            problems.info(path, number, f"joined to note [{last.label}] (hard-wrapped)")
            last.text = join_wrapped(last.text, escape_inline(text, block_start=False)) if last.lang == "en" \
                else last.text + escape_inline(text, block_start=False)
        elif marker and (classify_zh(text) is not None or en_numbering(text) is not None
                         or _APPENDIX.match(folded)):
            marker = 0  # a numbered heading after a finished note: the notes stood mid-text
            body.append((number, text))  # (a translation's, at the end of its section): the body goes on
        elif marker and notes and not is_mostly_chinese(text):
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


def _listed(folded: str, since: list[str]) -> re.Match[str] | None:
    """A note numbered `(1)`, `①` or `1.` after the notes mark: the first, or numbered on
    from the last (an excerpt's notes may skip some), the last again (its other language),
    or the first again (the other language's list). `9. Continuing …` after note [17] is
    a section heading, not a note."""
    match = _LISTED_DEF.match(folded)
    if match is None or not since:
        return match
    label, last, first = (int(_label(x)) for x in (next(g for g in match.groups() if g), since[-1], since[0]))
    return match if label >= last or label == first else None


def _wraps(note: Footnote, line: str) -> bool:
    """Is a line the rest of a note hard-wrapped (print, PDF, mail): the note stops
    mid-sentence and the line is in its language."""
    return (note.lang == "zh") == is_mostly_chinese(line) and not ends_sentence(note.text)


def _label(number: str) -> str:
    """A note's label from how it is numbered: `15`, `¹⁵`, `⑮`, `⒂` → `15`."""
    if number.isascii():
        return number
    if len(number) == 1:  # ① ⒂ ² …
        return str(int(unicodedata.numeric(number)))
    return number.translate(_SUPER_DIGITS)


def merge_notes(found: list[tuple[str, list[Footnote]]], problems: Problems) -> list[Footnote]:
    """The notes of a report given in two files (a Chinese document and its translation):
    a note defined in both languages keeps the English, as within one file."""
    notes: dict[str, Footnote] = {}
    for path, listed in found:
        for note in listed:
            known = notes.get(note.label)
            notes[note.label] = note if known is None or known.text == note.text else \
                _both_languages(known, note, path, problems)
    return sorted(notes.values(), key=lambda n: (int(n.label), n.line))


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


def english(text: str, labels: dict[str, str], path: str, line: int, problems: Problems,
             block_start: bool = True) -> str:
    """Escape English text and turn glued note numbers into `[^n]` where `[n]` exists."""
    escaped = escape_inline(text, block_start)

    def glued(match: re.Match[str]) -> str:
        label = match.group(1)
        start = match.start()  # the word before the digits, found by a bounded scan back
        while start and not escaped[start - 1].isspace() and match.start() - start < 200:
            start -= 1
        word = escaped[start:match.start()]
        bare = word.strip(".,;:")
        defined_here = label in labels and labels[label].startswith(bare)  # BMC1: "BMC refers to…"
        if not (re.search(r"[a-z]", word) or word[-1:] in "”’\")'" or defined_here) \
                or bare.lower() in _NUMBERED_WORDS or is_power(bare, label):
            return label  # CO2, G20, Line17: part of a name, not a reference
        if label in labels:
            return note_ref(label)
        problems.warn(path, line, f"{word}{label!s}: looks like a reference to note [{label}], "
                                  "which is not defined; kept as text")
        return label

    def marked(match: re.Match[str]) -> str:  # `[15]`, `(15)`, `¹⁵` or `⑮` copied from a web page
        label = _label(match.group(match.lastindex or 0))
        if match.re is _SUPERSCRIPT and is_power(escaped[max(0, match.start() - 3):match.start()], label):
            return match.group()  # m², km³: a power, not a note
        if label in labels:
            return note_ref(label)
        if match.group().startswith("\\[") or match.re is _SUPERSCRIPT:  # (not `(15)` nor `⑮`: lists use them)
            problems.warn(path, line, f"{match.group().replace(chr(92), '')}: looks like a reference to note "
                                      f"[{label}], which is not defined; kept as text")
        return match.group()

    for pattern in (_SUPERSCRIPT, _CIRCLED_REF, _BRACKET_REF):
        escaped = pattern.sub(marked, escaped)
    return _GLUED.sub(glued, escaped)


def check_citations(report: Report, path: str, problems: Problems) -> None:
    cited = {label for _, text in report.texts() for label, _ in find_refs(text)}
    for note in report.notes:
        if note.label not in cited:
            problems.warn(path, note.line, f"note [{note.label}] is defined but never cited")
