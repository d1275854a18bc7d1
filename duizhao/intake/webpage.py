"""A saved web page → the lines of its article, each with its line in the HTML file.

beautifulsoup4 (with the standard library's html.parser, which keeps source lines)
reads the page. Scripts, styles, menus, headers, footers, forms, share buttons and the
like are dropped as page noise (listed with -v), but never an element holding a line
only a report has (a numbered heading, a note, the title block). The article is the
smallest element that holds most of the page's running text and every such landmark
(prose left outside it is named in a warning); inside it every paragraph (`<p>`, a `<div>`
with text of its own, a list item, a table cell) and heading (`<h1>`…`<h6>`) is a line,
and `<br>` breaks a line. The encoding is the one the page declares (`<meta charset>`,
GB2312/GBK read as their superset GB18030) or, undeclared, UTF-8 then GB18030."""

from __future__ import annotations

import codecs
import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from ..errors import Problems, fail
from ..text.chars import han_count
from ..text.files import decode
from ..content.headings import classify_zh, en_numbering
from .notes import NOTES_MARK
from .title_block import Line, is_anchor

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
              "form", "button", "select", "input", "textarea", "iframe", "svg", "canvas", "menu")
_CHROME = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|header|sidebar|"
                     r"share|sharing|social|comments?|related|recommend|toolbar|topbar|banner|"
                     r"copyright|pagination|pager|ad|ads|advert\w*)(?:$|[\s_-])", re.IGNORECASE)
_BLOCKS = {"p", "div", "li", "td", "th", "dd", "dt", "blockquote", "section", "article",
           "main", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "table", "ul", "ol", "body",
           "center", "font"}
MAX_TAGS = 200_000  # elements read from one page: a bound on the work
_TEXTLESS = ("script", "style", "noscript", "template", "svg", "canvas", "iframe", "select", "input",
             "textarea", "button", "form")  # dropped whatever they hold
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NOTE_LINE = re.compile(r"^[\[【［]\s*\d{1,3}\s*[\]】］]\s*\S.{9}")  # `[17] The seven aspects …`
_SKIPPED = (Comment, Doctype, Declaration, ProcessingInstruction, CData)


def is_web_page(path: str, data: bytes) -> bool:
    return path.lower().endswith((".html", ".htm", ".xhtml")) or \
        data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def page_lines(data: bytes, path: str, problems: Problems) -> list[Line]:
    soup = BeautifulSoup(_text(data, path, problems), "html.parser")
    if len(soup.find_all(True, limit=MAX_TAGS + 1)) > MAX_TAGS:
        raise fail(path, 0, f"more than {MAX_TAGS:,} HTML elements: is this one article?")
    _drop_chrome(soup, path, problems)
    root = _article(soup)
    _outside(soup, root, path, problems)
    lines: list[Line] = []
    _walk(root, lines, [], root.sourceline or 1)
    return [(n, t) for n, t in lines if t.strip()]


def _text(data: bytes, path: str, problems: Problems) -> str:
    found = _DECLARED.search(data[:4096])
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or not found:
        try:
            return decode(data, path)
        except Exception:
            if found:
                raise
            problems.warn(path, 0, "the page declares no encoding and is not UTF-8; read as GB18030")
            return data.decode("gb18030", errors="strict")
    declared = found.group(1).decode("ascii").lower()
    codec = _SUPERSETS.get(declared, declared)
    try:
        codecs.lookup(codec)
    except LookupError:
        raise fail(path, data[: found.start()].count(b"\n") + 1,
                   f"the page declares an unknown encoding {declared!r}") from None
    if codec not in ("utf-8", "utf8"):
        problems.warn(path, 0, f"decoded as {codec.upper()} (the page declares {declared})")
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail(path, line, f"not valid {declared} text (byte 0x{data[exc.start]:02x}); "
                               "was the page saved in another encoding?") from None


def _drop_chrome(soup: BeautifulSoup, path: str, problems: Problems) -> None:
    """Menus, headers, footers, share boxes … dropped; but never one that holds the
    report's own text (`_holding_report_text`): a heading in `<h3 class="section-header">`,
    notes in an `<aside>` or a `<footer>`, the title in a `page-header` were lost."""
    holding = _holding_report_text(soup)
    for tag in soup.find_all(_DROP_TAGS):
        if tag.name in _TEXTLESS or id(tag) not in holding:
            _dropped(tag, path, problems)
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body") or id(tag) in holding:
            continue
        names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "") + " " + (tag.get("role") or "")
        if _CHROME.search(names) and len(tag.get_text(" ", strip=True)) < 400:
            _dropped(tag, path, problems)


def _holding_report_text(soup: BeautifulSoup) -> set[int]:
    """The elements (ids) that hold a line only a report has: a numbered heading
    (Chinese, or English in <h1>–<h6>), the notes mark or a note, a title block's date
    line and the line before it (its title). One pass over the strings and their parents."""
    strings = [s for s in soup.find_all(string=True) if s.strip() and not isinstance(s, _SKIPPED)]
    marked = [k for k, string in enumerate(strings) if _is_report_line(string)]
    nodes = [strings[k] for k in marked] + [strings[k - 1] for k in marked if k and is_anchor(strings[k].strip())]
    nodes += _notes_given(soup)
    holding: set[int] = {id(node) for node in nodes}
    for node in nodes:
        holding.update(id(parent) for parent in node.parents)
    return holding


def _outside(soup: BeautifulSoup, root: Tag, path: str, problems: Problems) -> None:
    """A warning naming the prose left outside the article (a paragraph of 15 Chinese
    characters or 100 letters): a page whose report goes on in a second box (Word's
    sections) lost its closing paragraphs without a word."""
    inside = {id(s) for s in root.find_all(string=True)}
    left = [s for s in (soup.body or soup).find_all(string=True) if id(s) not in inside
            and not isinstance(s, _SKIPPED) and _prose(s.strip()) and s.find_parent(_HEADINGS) is None]
    if left:
        where = left[0].parent.sourceline if left[0].parent is not None else 0
        problems.warn(path, where or 0, f"{len(left)} paragraph(s) outside the page's article are not "
                      f"imported, the first: {left[0].strip()[:60]!r}… (if they are the report's, "
                      "copy the page's text into a .txt file and import that)")


def _prose(text: str) -> bool:
    """A sentence of a report, not a page's headline or a link: 15 Chinese characters or
    100 letters, ending as a sentence ends."""
    return (han_count(text) >= 15 and text[-1:] in "。！？；!?;…”") or \
        (len(text) >= 100 and text[-1:] in ".!?\"”’")


def _notes_given(root: Tag) -> list[Tag]:
    """Paragraphs and list items that are a note (`[17] The seven aspects …`), read whole:
    Word sets the number as an element of its own (<a><span>[17]</span></a>), in a
    footnote list apart from the text."""
    return [block for block in root.find_all(("p", "li")) if _NOTE_LINE.match(block.get_text(strip=True))]


def _is_report_line(string: NavigableString) -> bool:
    text = string.strip()
    if is_anchor(text) or NOTES_MARK.match(text) or _NOTE_LINE.match(text) or classify_zh(text) is not None:
        return True
    heading = string.find_parent(_HEADINGS)
    return heading is not None and en_numbering(heading.get_text(" ", strip=True)) is not None


def _dropped(tag: Tag, path: str, problems: Problems) -> None:
    text = tag.get_text(" ", strip=True)
    if text and tag.name not in ("script", "style", "svg"):
        problems.info(path, tag.sourceline or 0, f"dropped page chrome <{tag.name}>: {text[:80]!r}")
    tag.decompose()


def _article(soup: BeautifulSoup) -> Tag:
    """The smallest element holding 80% of the page's text (what the chrome filter left)
    and every landmark of the report the page has (`_landmarks`): a page that sets its
    title block or its notes in a box beside the text lost them with that box."""
    body = soup.body or soup
    paragraphs = [s for s in body.find_all(string=True) if s.strip()]
    total = sum(len(s.strip()) for s in paragraphs)
    if not total:
        return body
    weight: dict[int, int] = {}
    marks: dict[int, set] = {}
    found = _landmarks([s.strip() for s in paragraphs])
    for string, kinds in zip(paragraphs, found):
        for parent in string.parents:
            weight[id(parent)] = weight.get(id(parent), 0) + len(string.strip())
            if kinds:
                marks.setdefault(id(parent), set()).update(kinds)
    for k, block in enumerate(_notes_given(body)):  # the notes, wherever the page sets them
        for parent in block.parents:
            marks.setdefault(id(parent), set()).add(("note", k))
        found.append({("note", k)})
    wanted = set().union(*found)
    best = body
    for tag in body.find_all(True):
        if weight.get(id(tag), 0) >= 0.8 * total and marks.get(id(tag), set()) >= wanted:
            best = tag  # find_all is in document order: a later match is nested deeper
    return best


def _landmarks(texts: list[str]) -> list[set]:
    """Per string of the page, the landmarks it is: the line a title block hangs on (the
    —— date line, `Delivered at …`) and the line before it (the title), each by its
    place, and the notes heading (注释, Notes). (Unclosed <p>s nest each in the last: the
    title line is then outside the element that holds its date line.)"""
    out: list[set] = [set() for _ in texts]
    for k, text in enumerate(texts):
        if is_anchor(text):
            out[k].add(("anchor", k))
            if k:
                out[k - 1].add(("above", k))
        if NOTES_MARK.match(text):
            out[k].add("notes")
    return out


def _walk(node: Tag, lines: list[Line], current: list[str], line: int, seen: list[int] | None = None) -> None:
    """Text in document order; block elements and <br> end a line. A line's number is
    where its text starts: the last element met (`seen`), plus the line breaks before
    the text (lines set apart by <br> in one <div> each have their own). A note number in
    <sup> after a space is glued to its word, as the plain-text layouts write it
    (`Jingtong <sup>15</sup>` is `Jingtong15`, a reference, not the figure 15)."""
    seen = seen if seen is not None else [line]
    for child in node.children:
        if isinstance(child, NavigableString):
            if isinstance(child, (Comment, Doctype, Declaration, ProcessingInstruction, CData)):
                continue
            if not current:
                if not child.strip():
                    seen[0] += child.count("\n")
                    continue  # white space between blocks
                lines.append((seen[0] + child[:len(child) - len(child.lstrip())].count("\n"), ""))
            current.append(str(child))
            lines[-1] = (lines[-1][0], _squash("".join(current)))
            continue
        seen[0] = child.sourceline or seen[0]
        if child.name == "br" or child.name in _BLOCKS:
            current.clear()
            if child.name != "br":
                _walk(child, lines, current, line, seen)
                current.clear()
            continue
        label = child.get_text().strip().strip("[]") if child.name == "sup" else ""
        if label.isdigit() and current and current[-1].strip():
            current[-1] = current[-1].rstrip()
            current.append(label)
            lines[-1] = (lines[-1][0], _squash("".join(current)))
            continue
        _walk(child, lines, current, line, seen)


_WRAP = re.compile(r"[ \t]*[\r\n][\s]*")
_CJK_WRAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])")
_RUNS = re.compile(r"[ \t\n]+")


def _squash(text: str) -> str:
    """White space as a browser shows it: a line break in the HTML source between Chinese
    characters is nothing, elsewhere a space; spaces inside a line are kept."""
    return _RUNS.sub(" ", _CJK_WRAP.sub("", _WRAP.sub("\n", text))).strip()
