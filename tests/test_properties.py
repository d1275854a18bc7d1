"""Property-based tests (hypothesis) of the importer and the content reader: any mutation
of a seed — lines deleted, repeated, swapped, joined, split, or text inserted, markup and
control characters included — either loads with every input line's text present, in
order, or fails with `file:line` (exit 2 on the command line). Never a traceback, never
a hang. Examples are bounded (the whole file runs in well under a minute).

The properties, precisely:
- parse_plaintext (the importer's parser): a DuizhaoError whose every diagnostic names the
  file and a line ≥ 1; or a report in which the letters of every body line occur in
  order in the report's text (front matter, headings, paragraphs, then notes), unless a
  diagnostic names that line (a warning or a noise note says what happened to it).
- `build.py import` then `build.py`: exit 0 or 2; on 2, every message is `FILE:LINE:` of
  the imported file; on 0, the build succeeds and the written report satisfies the
  same property.
- parse_markdown (the content reader): a DuizhaoError whose every diagnostic names the
  file and a line ≥ 1; or a report in which every body line's text occurs in order in
  its blocks (note lines in its notes).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import RAW, ROOT
from duizhao.text.chars import is_mostly_chinese
from duizhao.content.inline import plain
from duizhao.content.model import Heading, Report
from duizhao.content.read import parse_markdown
from duizhao.errors import DuizhaoError, Problems
from duizhao.intake.plaintext import parse_plaintext
from duizhao.text.files import split_lines

_SPEC = importlib.util.spec_from_file_location("duizhao_command_line", ROOT / "build.py")
command_line = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(command_line)  # type: ignore[union-attr]

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
SEED = (RAW / "002_a7281c5fc6d28daa.txt").read_text("utf-8").split("\n")
HEADER_LINES = 8  # the seed's title block: mutations go below it
MARKDOWN = (ROOT / "content/reports/beijing/2024.md").read_text("utf-8").split("\n")
BODY = MARKDOWN.index("---", 1) + 1

# Text an attacker would type: Han, Latin, digits, Markdown and our own marks, escapes,
# note-like brackets, HTML, and characters that are not text.
PIECES = ["||", "|", "{#x}", "\\{#y}", "\\", "**", "*", "_", "`", "[^1]", "[17]", "[99]", "¹⁷",
          "<script>", "&amp;", "&#12;", "#", "## ", "- ", "1. ", ">", "<!-- untranslated -->",
          "注释:", "——", "一、", "(二)", "三是", "II ", "8. ", "Eighth, ", "\t", "\u3000",
          "\u200b", "\x0c", "\x85", "\ufffe", "\x00", "\r", "。", ".", "打印", "来源:"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES),
                          st.text(st.characters(min_codepoint=0x4e00, max_codepoint=0x4e80), max_size=8),
                          st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)),
                max_size=6).map("".join)


@st.composite
def mutated(draw, lines: list[str], first: int) -> list[str]:
    """`lines` with a few mutations applied below line `first` (0-based)."""
    lines = list(lines)
    for _ in range(draw(st.integers(1, 4))):
        if len(lines) <= first + 1:
            break
        at = draw(st.integers(first, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "repeat", "swap", "insert", "edit", "replace",
                                     "join", "split", "blank"]))
        if kind == "delete":
            del lines[at]
        elif kind == "repeat":
            lines.insert(at, lines[at])
        elif kind == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif kind == "insert":
            lines.insert(at, draw(TEXT))
        elif kind == "edit":
            cut = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:cut] + draw(TEXT) + lines[at][cut:]
        elif kind == "replace":
            lines[at] = draw(TEXT)
        elif kind == "join" and at + 1 < len(lines):
            lines[at:at + 2] = [lines[at] + lines[at + 1]]
        elif kind == "split":
            cut = draw(st.integers(0, len(lines[at])))
            lines[at:at + 1] = [lines[at][:cut], lines[at][cut:]]
        elif kind == "blank":
            lines.insert(at, "")
    return lines


def letters(text: str) -> str:
    """What must survive: the letters (Han and Latin) of a text, nothing else."""
    return "".join(ch for ch in text if ch.isalpha())


def report_texts(report: Report) -> tuple[str, str]:
    """(front matter and blocks, notes) of a report, as plain text, in order."""
    parts = [report.title.zh, report.delivered.zh, report.role.zh, report.speaker.zh,
             report.title.en, report.delivered.en, report.speaker.en, report.role.en]
    for block in report.blocks:
        if isinstance(block, Heading):
            parts += [block.zh or "", block.en or ""]
        else:
            parts += [t for side in (block.zh, block.en) for p in side for t in (p.lead, p.text)]
    return (letters("".join(plain(p) for p in parts)),
            letters("".join(plain(n.text) for n in report.notes)))


def language_streams(report: Report) -> dict[bool, str]:
    """The letters of the report's Chinese and of its English, each in reading order
    (the importer pairs lines across the languages, so a Chinese line may move past an
    English one, never past another line of its own language)."""
    zh = [report.title.zh, report.delivered.zh, report.role.zh, report.speaker.zh]
    en = [report.title.en, report.delivered.en, report.speaker.en, report.role.en]
    for block in report.blocks:
        if isinstance(block, Heading):
            zh.append(block.zh or "")
            en.append(block.en or "")
        else:
            zh += [t for p in block.zh for t in (p.lead, p.text)]
            en += [t for p in block.en for t in (p.lead, p.text)]
    return {True: letters("".join(plain(p) for p in zh)), False: letters("".join(plain(p) for p in en))}


def check_located(error: DuizhaoError, path: str) -> None:
    for diagnostic in error.diagnostics:
        assert diagnostic.file == path and diagnostic.line >= 1, str(diagnostic)


NOTE_LINE = re.compile(r"^\s*[\[【［]\s*\d{1,3}\s*[\]】］]")


def check_published_lines_kept(lines: list[str], report: Report, named: set[int]) -> None:
    """Every body line's letters in order in the report (note lines among its notes),
    unless a diagnostic named the line (or a line with the very same text: a note
    given twice identically is kept once, and the message names one of the two)."""
    blocks, notes = report_texts(report)
    streams = language_streams(report)
    numbered = list(enumerate(split_lines("\n".join(lines)), 1))  # as the parser numbers them
    said = {line.strip() for number, line in numbered if number in named}
    at = {True: 0, False: 0}
    for number, line in numbered:
        want = letters(line)
        if number <= HEADER_LINES or not want or number in named or line.strip() in said \
                or want in ("注释", "注解", "注", "Notes", "Note", "Annotations"):
            continue
        if NOTE_LINE.match(line.replace("\u3000", " ")):
            assert want in notes or want in blocks, f"line {number} lost: {line!r}"
            continue
        chinese = is_mostly_chinese(line)
        found = streams[chinese].find(want, at[chinese])
        if found < 0:  # a line of mixed script may sit on the other side
            chinese = not chinese
            found = streams[chinese].find(want, at[chinese])
        assert found >= 0, f"line {number} lost or out of order: {line!r}"
        at[chinese] = found + len(want)


@SETTINGS
@given(mutated(SEED, HEADER_LINES))
def test_the_importers_parser_keeps_every_line_or_says_where(lines: list[str]) -> None:
    problems = Problems()
    try:
        report = parse_plaintext("\n".join(lines), "seed.txt", problems)
    except DuizhaoError as error:
        check_located(error, "seed.txt")
        return
    check_published_lines_kept(lines, report, {d.line for d in problems.items})


@settings(SETTINGS, max_examples=25)
@given(mutated(SEED, HEADER_LINES))
def test_import_then_build_keeps_every_line_or_exits_2_with_file_and_line(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "seed.txt")
        source.write_bytes("\n".join(lines).encode("utf-8"))
        content = Path(folder, "content")
        status, errors = run(["import", "-q", "--content", str(content), str(source)])
        if status == 2:
            assert errors and all(re.match(rf"{re.escape(str(source))}:[1-9]\d*: ", line)
                                  for line in errors.splitlines()), errors
            return
        assert status == 0, errors
        status, errors = run(["-q", "--no-search", "--content", str(content), "--out", str(Path(folder, "site"))])
        assert status == 0, errors
        (written,) = (content / "reports").glob("*/*.md")  # reports/<series>/<year>.md
        report = parse_markdown(written.read_text("utf-8"), str(written), Problems())
        parse_plaintext("\n".join(lines), str(source), imported := Problems())
        check_published_lines_kept(lines, report, {d.line for d in imported.items})


def run(argv: list[str]) -> tuple[int, str]:
    """build.py in this process (a traceback fails the test), its exit status and stderr."""
    errors, output = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(output):
        status = command_line.main(argv)
    return status, errors.getvalue()


HEADING_LINE = re.compile(r"^#{1,6}\s+")
NOTE_START = re.compile(r"^\[\^[^\]\s]+\]:")


def markdown_lines_kept(lines: list[str], report: Report) -> None:
    """Each body line's text in order among the blocks (note lines among the notes).
    A line's text is its letters as rendered on its own, or as written (a link or
    emphasis may span lines, so one of the two must match)."""
    blocks, notes = report_texts(report)
    at, in_note = {False: 0, True: 0}, False
    for number, line in enumerate(split_lines("\n".join(lines)), 1):  # as the reader numbers them
        line = line.rstrip()
        heading = HEADING_LINE.match(line)
        if not line.strip() or heading:
            in_note = False
        if NOTE_START.match(line):
            in_note = True
        if number <= BODY or line.strip() == "<!-- untranslated -->":
            continue
        text = line[heading.end():] if heading else line
        if heading:
            text = re.sub(r"(?<!\\)\{#[^}\s]*\}$", "", text.rstrip())
        text = NOTE_START.sub("", text)
        stream = notes if in_note else blocks
        wanted = [w for w in (letters(plain(text)), letters(text)) if w]
        if not wanted:
            continue
        found = [(stream.find(w, at[in_note]), w) for w in wanted]
        found = [(place, w) for place, w in found if place >= 0]
        assert found, f"line {number} lost or out of order: {line!r}"
        at[in_note] = min(found)[0] + len(min(found)[1])


@settings(SETTINGS, max_examples=300)
@given(mutated(MARKDOWN, BODY))
def test_the_content_reader_keeps_every_line_or_says_where(lines: list[str]) -> None:
    try:
        report = parse_markdown("\n".join(lines), "r.md", Problems())
    except DuizhaoError as error:
        check_located(error, "r.md")
        return
    markdown_lines_kept(lines, report)


def test_the_property_checks_can_fail() -> None:
    """A line lost or moved is caught by the checks the properties rely on."""
    problems = Problems()
    report = parse_plaintext("\n".join(SEED), "seed.txt", problems)
    check_published_lines_kept(SEED, report, set())  # the seed itself holds
    lost = report.blocks.pop(3)
    with pytest.raises(AssertionError, match="line 15 lost"):  # a lost paragraph pair
        check_published_lines_kept(SEED, report, set())
    report.blocks.insert(1, lost)  # back, but out of order
    with pytest.raises(AssertionError, match="out of order"):
        check_published_lines_kept(SEED, report, set())
    markdown = parse_markdown("\n".join(MARKDOWN), "r.md", Problems())
    markdown_lines_kept(MARKDOWN, markdown)
    markdown.notes[0].text = "Something else entirely."
    with pytest.raises(AssertionError, match=re.escape("[^17]: The seven")):  # a changed note
        markdown_lines_kept(MARKDOWN, markdown)
