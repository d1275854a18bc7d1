"""content/reports/*.md → `Report`, validated with `file:line` errors.

The Markdown tree of a general-purpose parser loses source lines, so blocks are read
here line by line (headings, paragraphs, notes) and only their inline text is left to
markdown-it at render time. Every rule an editor can break is checked: pairing, heading
levels, ids, note references, front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import frontmatter
from ..errors import Problems
from .inline import MARK, count_marks, find_refs
from .write import UNTRANSLATED
from .model import EN, ZH, Footnote, Heading, Pair, Para, Report, number_pairs
from ..text.chars import is_mostly_chinese
from .headings import HeadingIds, classify_zh, en_number, id_key
from ..text.files import read_text, split_lines

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")  # linear: no lazy part before a \s*$ (see _id_suffix)
_VALID_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_RESERVED_ID = re.compile(r"^(?:note-.*|ref-.*|y\d+|q-.*|notes-title|report|main|announce|note-popup|"
                          r"figures-title|az-en|az-zh|search|search-.*|years-title)$")  # ids the templates and script use
_NOTE = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$")
_LABEL = re.compile(r"^[A-Za-z0-9_-]+$")
_LEAD = re.compile(r"^\*\*((?:\\.|[^*\\])+?)\*\*\s*")
_CJK_EDGE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]")


@dataclass
class Block:
    line: int
    kind: str  # "heading" | "para" | "note"
    text: str
    level: int = 0
    explicit_id: str = ""
    label: str = ""

    @cached_property
    def lang(self) -> str | None:  # asked several times per block while pairing
        if self.text == UNTRANSLATED:
            return None
        return ZH if is_mostly_chinese(self.text) else EN


def load_report(path: str | Path, problems: Problems) -> Report:
    return parse_markdown(read_text(path), str(path), problems)


def parse_markdown(text: str, path: str, problems: Problems) -> Report:
    lines = split_lines(text)
    yaml_text, body_start = frontmatter.split(lines, path)
    data, key_lines = frontmatter.parse(yaml_text, path)
    meta = frontmatter.fields(data, key_lines, path)
    blocks = _blocks(lines, body_start, path, problems)
    problems.raise_errors()
    content, notes = _pair(blocks, path, problems)
    problems.raise_errors()
    report = Report(**meta, blocks=content, notes=notes, path=path)
    name = report.id.rsplit("/", 1)[-1]
    if name.isdigit() and int(name) != report.year:  # its page is <id>/, its topics go under the year
        problems.warn(path, key_lines.get("id", 2), f"id {report.id} names the year {name} but "
                      f"year is {report.year}: is one of them a typo?")
    if report.date and not report.date.startswith(str(report.year)):
        problems.warn(path, key_lines.get("year", 2), f"year {report.year} but date "
                      f"{report.date}: is one of them a typo?")
    for lang, name in (("zh", "Chinese"), ("en", "English")):
        if not getattr(report.title, lang).strip():  # a page's h1 and the library show it
            problems.warn(path, key_lines.get("title", 2), f"the title has no {name} "
                          f"(title: {lang}: is empty): pages show the other language's title alone")
    _check_notes(report, path, problems)
    _check_stray_marks(report, path, problems)
    problems.raise_errors()
    return report


def _blocks(lines: list[str], start: int, path: str, problems: Problems) -> list[Block]:
    """Split the body into blocks: headings are one line, others end at a blank line."""
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []

    def flush() -> None:
        if current:
            blocks.append(_make_block(current, path, problems))
            current.clear()

    for number, raw in enumerate(lines[start:], start + 1):
        line = raw.rstrip()
        if not line.strip():
            flush()
        elif _HEADING.match(line) or _NOTE.match(line):
            flush()
            current.append((number, line))
            if _HEADING.match(line):
                flush()
        else:
            current.append((number, line))
    flush()
    return blocks


def _make_block(lines: list[tuple[int, str]], path: str, problems: Problems) -> Block:
    first, text = lines[0]
    heading = _HEADING.match(text)
    if heading:
        level, content = len(heading.group(1)), heading.group(2).rstrip()
        if level > 3:
            problems.error(path, first, "headings go down to ### (part #, section ##, item ###)")
        suffix = _id_suffix(content)
        explicit = suffix[0] if suffix else ""
        if suffix and not _VALID_ID.match(explicit):
            problems.error(path, first, f"bad id {{#{explicit}}}: use a letter, then "
                                        "letters, digits, - or _")
        elif suffix and _RESERVED_ID.match(explicit):
            problems.error(path, first, f"id {{#{explicit}}} is used by the page itself; "
                                        "choose another")
        content = content[: suffix[1]] if suffix else content
        return Block(first, "heading", content.strip(), level, explicit)
    note = _NOTE.match(text)
    if note:
        if not _LABEL.match(note.group(1)):
            problems.error(path, first, f"note label [^{note.group(1)}]: use letters, digits, - or _")
        rest = [note.group(2)] + [t.strip() for _, t in lines[1:]]
        return Block(first, "note", _join(rest), label=note.group(1))
    return Block(first, "para", "\n".join(t.strip() for _, t in lines))


def _id_suffix(content: str) -> tuple[str, int] | None:
    """The `{#id}` ending a heading line, and where it starts; an escaped `\\{#x}` is the
    heading's text (the importer escapes published text so), never an id."""
    start = content.rfind("{#") if content.endswith("}") else -1
    if start < 0 or any(ch == "}" or ch.isspace() for ch in content[start + 2:-1]):
        return None
    before = content[:start]
    if (len(before) - len(before.rstrip("\\"))) % 2:
        return None  # `\{` : an escaped brace
    return content[start + 2:-1], start


def _join(parts: list[str]) -> str:
    """Join soft-wrapped lines: no space where either side is Chinese (Han or
    full-width punctuation), one space between Latin words."""
    out = ""
    for part in parts:
        if out and not (_CJK_EDGE.match(out[-1]) or _CJK_EDGE.match(part[:1])):
            out += " "
        out += part
    return out


def _ends_in_break(line: str) -> bool:
    """An odd number of trailing backslashes (`\\\\` is an escaped backslash)."""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _paras(text: str) -> tuple[Para, ...]:
    """A block's paragraphs: a line ending in `\\` closes a paragraph of the same pair."""
    paras: list[list[str]] = [[]]
    for line in text.split("\n"):
        if _ends_in_break(line):
            paras[-1].append(line[:-1].rstrip())
            paras.append([])
        else:
            paras[-1].append(line)
    out = []
    for lines in paras:
        joined = _join([l for l in lines if l])
        lead = _LEAD.match(joined)
        out.append(Para(joined[lead.end():], lead.group(1)) if lead else Para(joined))
    return tuple(p for p in out if p.text or p.lead)


def _pair(blocks: list[Block], path: str, problems: Problems) -> tuple[list, list[Footnote]]:
    content: list[Heading | Pair] = []
    notes: list[Footnote] = []
    ids = _Ids(path, problems)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == "note":
            notes.append(Footnote(block.label, block.text, block.line))
            i += 1
            continue
        partner = blocks[i + 1] if i + 1 < len(blocks) else None
        if not _check_pair(block, partner, path, problems):
            i += 1
            continue
        if block.kind == "heading":
            heading = Heading(block.level, "", _side(block), _side(partner), block.line,
                              partner.line)
            heading.id = ids.assign(heading, block.explicit_id or partner.explicit_id)
            content.append(heading)
        else:
            content.append(Pair("", _paras(block.text) if block.lang else (),
                                _paras(partner.text) if partner.lang else (), block.line,
                                partner.line))
        for b in (block, partner):
            if b.lang is None:
                problems.warn(path, b.line, "marked untranslated: only one language is shown")
        i += 2
    number_pairs(content)
    headings = {b.id: b.line for b in content if isinstance(b, Heading)}
    for block in content:
        if isinstance(block, Pair) and block.id in headings:
            problems.error(path, headings[block.id], f"heading id {block.id!r} is also a paragraph's "
                                                     "id; choose another")
        if isinstance(block, Pair):
            _check_marks(block, path, problems)
    return content, notes


def _check_marks(pair: Pair, path: str, problems: Problems) -> None:
    """An editor's `||` alignment marks must come in the same number on both sides."""
    counts = [sum(count_marks(p.text) for p in side) for side in (pair.zh, pair.en)]
    if counts[0] != counts[1]:
        problems.error(path, pair.line, f"alignment marks {MARK}: {counts[0]} in the Chinese, "
                                        f"{counts[1]} in the English; they pair up one by one")


def _check_stray_marks(report: Report, path: str, problems: Problems) -> None:
    """`||` marks a bead boundary in paragraph text only; in a heading, run-in heading or
    note the page would drop it silently."""
    texts = [(n.line, n.text) for n in report.notes]
    for block in report.blocks:
        if isinstance(block, Heading):
            texts += [(block.line, block.zh or ""), (block.en_line, block.en or "")]
        else:
            texts += [(block.line, p.lead) for p in block.zh] + [(block.en_line, p.lead) for p in block.en]
    for line, text in texts:
        if count_marks(text):
            problems.error(path, line, f"alignment mark {MARK} outside a paragraph's text; "
                                       "write \\|\\| for two bars as text")


def _side(block: Block) -> str | None:
    return block.text if block.lang else None


def _check_pair(block: Block, partner: Block | None, path: str, problems: Problems) -> bool:
    """A Chinese block (or the untranslated mark) then an English one of the same kind."""
    what = "heading" if block.kind == "heading" else "paragraph"
    if block.lang == EN:
        problems.error(path, block.line, f"English {what} without a Chinese {what} before "
                       f"it (a pair is a Chinese block, then its English block)")
        return False
    if partner is not None and partner.lang is None and partner.kind == "para":
        partner.kind, partner.level = block.kind, block.level  # the mark stands for either
    if block.lang is None and block.kind == "para" and partner is not None:
        block.kind, block.level = partner.kind, partner.level
    if partner is None or partner.kind != block.kind or partner.level != block.level:
        marks = "#" * block.level + " " if block.kind == "heading" else ""
        problems.error(path, block.line, f"Chinese {what} has no English {what} after it; "
                       f"add the translation or a line {marks}{UNTRANSLATED}")
        return False
    if partner.lang == ZH:
        problems.error(path, partner.line, f"expected the English translation of line "
                       f"{block.line}, found Chinese; add it or a {UNTRANSLATED} block")
        return False
    if block.lang is None and partner.lang is None:
        problems.error(path, block.line, "both sides of a pair are marked untranslated")
        return False
    return True


class _Ids:
    """Heading ids: explicit `{#id}` or made from the numbering; never twice."""

    def __init__(self, path: str, problems: Problems) -> None:
        self.path, self.problems = path, problems
        self.numbering = HeadingIds()
        self.seen: dict[str, int] = {}

    def assign(self, heading: Heading, explicit: str) -> str:
        heading_id = explicit or self._from_numbers(heading)
        key = id_key(heading_id)
        if key:
            self.numbering.part = key[0] or self.numbering.part
            self.numbering.section = key[1] or None
        if heading_id in self.seen:
            self.problems.error(self.path, heading.line, f"duplicate id {heading_id!r} (first "
                                f"at line {self.seen[heading_id]})")
        self.seen[heading_id] = heading.line
        return heading_id

    def _from_numbers(self, heading: Heading) -> str:
        zh = classify_zh(heading.zh) if heading.zh else None
        number = zh.number if zh else en_number(heading.en or "")
        if number is None:
            self.problems.error(self.path, heading.line, "heading has no number to make its "
                                "id from; add one like {#my-id} at the end of the line")
            return f"line-{heading.line}"
        return self.numbering.next_id(heading.level, number)


def _check_notes(report: Report, path: str, problems: Problems) -> None:
    """Every reference resolves; every note is defined once and cited."""
    defined: dict[str, int] = {}
    for note in report.notes:
        if note.label in defined:
            problems.error(path, note.line, f"note [^{note.label}] defined again (first at "
                                            f"line {defined[note.label]})")
        defined[note.label] = note.line
    cited: set[str] = set()
    for line, text in report.texts():
        for label, _ in find_refs(text):
            cited.add(label)
            if label not in defined:
                problems.error(path, line, f"reference [^{label}] to a note that is not "
                                           f"defined (add a line [^{label}]: …)")
    for note in report.notes:
        if note.label not in cited:
            problems.warn(path, note.line, f"note [^{note.label}] is defined but never cited")
