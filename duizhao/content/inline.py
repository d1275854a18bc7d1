"""Inline Markdown: escaping plain text into it, finding note references, rendering it.

Rendering uses markdown-it-py (CommonMark) with raw HTML switched off, so `<script>`
in a paragraph is shown as text, never run; images are off too (no request may leave
the site). `[^label]` becomes a note reference whose HTML comes from a template macro
through `env["noteref"]`, so Python builds no HTML of its own."""

from __future__ import annotations

import re
from typing import Any, Callable

from markdown_it import MarkdownIt
from markupsafe import Markup

REF = re.compile(r"(?<!\\)\[\^([^\]\s[]+)\]")  # a label stops at [ too: linear
# `|` too: two of them are an editor's alignment mark (MARK), so text never holds them bare.
_SPECIAL = re.compile(r"[\\`*_\[\]<|]|&(?=#?\w+;)|\{(?=#)")
MARK = "||"  # an editor's sentence-bead boundary inside a paragraph (see derive.align)
# A mark is `||` after an even number of backslashes (`\|\|` is two escaped bars, text).
_MARK = re.compile(r"(?<!\\)((?:\\\\)*)\|\|")
_BLOCK_MARK = re.compile(r"^(?:[#>+=-]|\d{1,9}(?=[.)](?:\s|$)))")


def escape_inline(text: str, block_start: bool = True) -> str:
    """Plain text → inline Markdown that renders back to exactly that text.

    With `block_start`, also escapes what would start a block (`#`, `>`, `-`, `1.` …) at
    the very start, so a paragraph never turns into a heading or list in an editor's
    Markdown preview. Heading text (after `## `) needs no such escape."""
    out = _SPECIAL.sub(lambda m: "\\" + m.group(), text)
    mark = _BLOCK_MARK.match(out) if block_start else None
    if mark:
        end = mark.end()
        out = "\\" + out if not mark.group()[0].isdigit() else out[:end] + "\\" + out[end:]
    return out


def split_marks(text: str) -> list[str]:
    """Inline Markdown cut at the editor's alignment marks (escaped bars are text)."""
    if MARK not in text:
        return [text]
    pieces, start = [], 0
    for match in _MARK.finditer(text):
        pieces.append(text[start:match.end(1)])
        start = match.end()
    return pieces + [text[start:]]


def count_marks(text: str) -> int:
    return len(split_marks(text)) - 1


def strip_marks(text: str) -> str:
    """The text without the editor's alignment marks (what pages and downloads show)."""
    return "".join(split_marks(text))


def note_ref(label: str) -> str:
    return f"[^{label}]"


def find_refs(text: str) -> list[tuple[str, int]]:
    """(label, character offset) of every note reference in inline Markdown."""
    return [(m.group(1), m.start()) for m in REF.finditer(text)]


def _noteref_rule(state: Any, silent: bool) -> bool:
    match = REF.match(state.src, state.pos)
    if not match or (state.pos and state.src[state.pos - 1] == "\\"):
        return False
    if not silent:
        token = state.push("noteref", "", 0)
        token.meta = {"label": match.group(1)}
    state.pos = match.end()
    return True


def _render_noteref(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    return str(env["noteref"](tokens[idx].meta["label"]))


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).disable("image")
    md.inline.ruler.before("link", "noteref", _noteref_rule)
    md.add_render_rule("noteref", _render_noteref)
    return md


_MD = make_markdown()


# What CommonMark's inline rules act on (html off, no typographer): a text with none of
# these is its own rendering, so most paragraphs skip the parser (a third of a cold build).
_MARKUP = re.compile(r"[\n\\`*_\[\]!<&]")
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def render(text: str, noteref: Callable[[str], str]) -> Markup:
    """Inline Markdown → safe HTML; `noteref(label)` supplies each reference's HTML."""
    if not _MARKUP.search(text):
        return Markup(text.translate(_HTML_ESCAPES))  # what markdown-it's escapeHtml gives
    return Markup(_no_form_feed(_MD.renderInline(text, {"noteref": noteref})))


def _no_form_feed(text: str) -> str:
    """markdown-it turns every control character's entity into U+FFFD but `&#12;` (form
    feed), which no page or TMX may hold either (files with a raw one are refused)."""
    return text.replace("\x0c", "\ufffd") if "\x0c" in text else text


def plain(text: str) -> str:
    """Inline Markdown → plain text (note references dropped), for citations and checks."""
    if not _MARKUP.search(text):
        return text
    tokens = _MD.parseInline(text, {"noteref": lambda label: ""})
    parts: list[str] = []
    for token in tokens[0].children or []:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return _no_form_feed("".join(parts))
