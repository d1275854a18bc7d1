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
from itertools import islice

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from ..errors import Problems, fail
from ..text.chars import fold, han_count
from ..text.files import decode
from ..content.headings import classify_zh, en_numbering
from .noise import LABELS, MAX_NOISE, classify
from .notes import NOTES_MARK, is_power
from .title_block import Line, is_anchor

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
              "form", "button", "select", "input", "textarea", "iframe", "svg", "canvas", "menu")
_HEADER = re.compile(r"(?:^|[\s_-])(?:header|banner|topbar|toolbar)(?:$|[\s_-])", re.IGNORECASE)  # an info bar's home
_CHROME = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|header|sidebar|"
                     r"share|sharing|social|comments?|related|recommend|toolbar|topbar|banner|"
                     r"copyright|pagination|pager|ad|ads|advert\w*)(?:$|[\s_-])", re.IGNORECASE)
# <font> is inline: old government pages colour a phrase inside a paragraph with it (a
# block there cut the paragraph in three); the <p>, <div> or <br> it may wrap still break.
_BLOCKS = {"p", "div", "li", "td", "th", "dd", "dt", "blockquote", "section", "article",
           "main", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "table", "ul", "ol", "body",
           "center"}
MAX_TAGS = 200_000  # elements read from one page: a bound on the work
MAX_BEFORE = 200  # strings before the article looked at for its date and source
_TEXTLESS = ("script", "style", "noscript", "template", "svg", "canvas", "iframe", "select", "input",
             "textarea", "button", "form")  # dropped whatever they hold
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CONTAINERS = {"div", "article", "main", "section", "td", "table", "tbody", "tr", "blockquote", "center",
               "body", "dd", "ul", "ol", "font"}  # what can be the article (a <form> is dropped)
_NOTE_LINE = re.compile(r"^[\[【［]\s*\d{1,3}\s*[\]】］]\s*\S.{9}")  # `[17] The seven aspects …`
_SKIPPED = (Comment, Doctype, Declaration, ProcessingInstruction, CData)


def is_web_page(path: str, data: bytes) -> bool:
    return path.lower().endswith((".html", ".htm", ".xhtml")) or \
        data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def page_lines(data: bytes, path: str, problems: Problems) -> list[Line]:
    soup = BeautifulSoup(_text(data, path, problems), "html.parser")
    if len(soup.find_all(True, limit=MAX_TAGS + 1)) > MAX_TAGS:
        raise fail(path, 0, f"more than {MAX_TAGS:,} HTML elements: is this one article?")
    notes = _notes_given(soup)
    _drop_chrome(soup, notes, path, problems)
    root = _article(soup, notes)
    _outside(soup, root, path, problems)
    lines = [(n, t) for n, t in _walk(root, root.sourceline or 1) if t.strip()]
    return lines + _metadata_outside(soup, root)


def _metadata_outside(soup: BeautifulSoup, root: Tag) -> list[Line]:
    """The page's date, source and translator from just before the article (an info bar
    above its text box: `日期：2025-02-28 来源：…`), as lines for the noise filter to read
    after the article's own (which win), as a .txt copy's would be: they were lost with
    the page around the article. Never from a list or a link. Per field, the blocks
    closest to the article in the tree decide (their common ancestor with it deepest,
    then the fewest levels below that ancestor), and only if they agree: a column of
    related articles has a date and source each. The nearest MAX_BEFORE strings only."""
    if root is (soup.body or soup):
        return []
    chain = {id(tag): k for k, tag in enumerate(root.parents)}  # root's ancestors, nearest 0
    best: dict[str, tuple[tuple[int, int], dict[str, int]]] = {}  # field → (rank, value → line)
    seen: set[int] = set()
    for string in islice(root.find_all_previous(string=True), MAX_BEFORE):
        if isinstance(string, _SKIPPED) or not string.strip() or string.find_parent(("li", "a")) is not None:
            continue
        block = string.find_parent(list(_BLOCKS)) or string.parent
        if id(block) in seen:
            continue
        seen.add(id(block))
        text = _squash(block.get_text(" ")) if len(block.get_text()) <= 4 * MAX_NOISE else ""
        fields = [piece for piece in classify(text) or () if piece.field]
        rank = _closeness(block, chain) if fields else (0, 0)
        for piece in fields:
            held = best.get(piece.field)
            if held is None or rank < held[0]:
                best[piece.field] = (rank, {piece.value: block.sourceline or 1})
            elif rank == held[0]:
                held[1].setdefault(piece.value, block.sourceline or 1)
    return [(next(iter(values.values())), f"{LABELS[field]}:{next(iter(values))}")
            for field, (_, values) in best.items() if len(values) == 1]


def _closeness(block: Tag, chain: dict[int, int]) -> tuple[int, int]:
    """(how far up from the article their common ancestor is, how far down from it the
    block is): smaller is closer."""
    below = 0
    for tag in block.parents:
        below += 1
        if id(tag) in chain:
            return chain[id(tag)], below
    return len(chain), below


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


def _drop_chrome(soup: BeautifulSoup, notes: list[Tag], path: str, problems: Problems) -> None:
    """Menus, headers, footers, share boxes … dropped; but never one that holds the
    report's own text (`_holding_report_text`): a heading in `<h3 class="section-header">`,
    notes in an `<aside>` or a `<footer>`, the title in a `page-header` were lost."""
    holding, gone = _holding_report_text(soup, notes), set()
    for tag in soup.find_all(_DROP_TAGS):
        if id(tag) not in gone and (tag.name in _TEXTLESS or id(tag) not in holding):
            _dropped(tag, gone, path, problems)
    for tag in soup.find_all(True):
        if id(tag) in gone or tag.name in ("html", "body") or id(tag) in holding:
            continue
        if _CHROME.search(_names(tag)) and len(_opening(tag, 400)) < 400:
            _dropped(tag, gone, path, problems)


def _names(tag: Tag) -> str:
    return " ".join(tag.get("class") or []) + " " + (tag.get("id") or "") + " " + (tag.get("role") or "")


def _holding_report_text(soup: BeautifulSoup, notes: list[Tag]) -> set[int]:
    """The elements (ids) that hold a line only a report has: a numbered heading
    (Chinese, or English in <h1>–<h6>), the notes mark or a note
    (`notes`), a title block's date line and the line before it (its title). Link text
    never counts (a related-reading list numbers its links). Linear: each string tested
    once, each element's parents walked until one already counted."""
    headed = {id(s) for h in soup.find_all(_HEADINGS) if en_numbering(h.get_text(" ", strip=True))
              for s in h.find_all(string=True)}
    strings = [s for s in soup.find_all(string=True) if s.strip() and not isinstance(s, _SKIPPED)]
    marked = [k for k, string in enumerate(strings) if (id(string) in headed or _is_report_line(string.strip()))
              and string.find_parent("a") is None]
    nodes = [strings[k] for k in marked] + [strings[k - 1] for k in marked if k and is_anchor(strings[k].strip())]
    holding: set[int] = set()
    for node in nodes + notes:
        for element in (node, *node.parents):
            if id(element) in holding:
                break
            holding.add(id(element))
    return holding


def _is_report_line(text: str) -> bool:
    if is_anchor(text) or NOTES_MARK.match(text) or _NOTE_LINE.match(text):
        return True
    return classify_zh(text) is not None


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
    """Paragraphs and list items that are a note (`[17] The seven aspects …`), read by
    their opening (bounded: unclosed <p>s nest each in the last): Word sets the number
    as an element of its own (<a><span>[17]</span></a>), in a footnote list apart."""
    return [block for block in root.find_all(("p", "li")) if _NOTE_LINE.match(_opening(block))
            and not _a_link(block)]


def _a_link(block: Tag) -> bool:
    """Is an element's opening text mostly a link's (a related-reading list: `[1] 某新闻`)?
    Word links only the note's number (`<a><span>[17]</span></a> The seven …`)."""
    linked = total = 0
    for string in block.strings:
        size = len(string.strip())
        total += size
        linked += size if "a" in (string.parent.name, getattr(string.parent.parent, "name", "")) else 0
        if total >= 40:
            break
    return linked > total / 2


def _opening(block: Tag, size: int = 40) -> str:
    """The first `size` or so characters of an element's text (spaces dropped)."""
    found: list[str] = []
    for string in block.strings:
        found.append(string.strip())
        if sum(map(len, found)) >= size:
            break
    return "".join(found)


def _dropped(tag: Tag, gone: set[int], path: str, problems: Problems) -> None:
    """Drop an element, said with -v; `gone` keeps it and all it held (bs4's
    `decomposed` searches the element's subtree for a child of that name: quadratic).
    An info bar inside it (`日期：… 来源：…` in a page-header) is kept, where it was."""
    if tag.name == "header" or _HEADER.search(_names(tag)):
        for bar in _info_bars(tag):
            tag.insert_before(bar.extract())
    text = tag.get_text(" ", strip=True)[:80] if tag.name not in _TEXTLESS else ""
    if text:
        problems.info(path, tag.sourceline or 0, f"dropped page chrome <{tag.name}>: {text!r}")
    gone.add(id(tag))
    gone.update(id(inner) for inner in tag.find_all(True))
    tag.decompose()


def _info_bars(tag: Tag) -> list[Tag]:
    """The outermost blocks of a short page header (400 characters, its first 200 blocks)
    whose text is labelled metadata (noise.classify), never in a list or a link."""
    if len(_opening(tag, 400)) >= 400:
        return []
    found: list[Tag] = []
    inside: set[int] = set()  # the elements of the bars found (bars hold no other bar)
    for block in islice(tag.find_all(("div", "p", "td", "span", "h5", "h6")), 200):
        if id(block) not in inside and block.find_parent(("li", "a")) is None and \
                any(piece.field for piece in classify(_squash(block.get_text(" "))) or ()):
            found.append(block)
            inside.update(id(inner) for inner in block.find_all(True))
    return found


def _article(soup: BeautifulSoup, notes: list[Tag]) -> Tag:
    """The smallest element holding 80% of the page's text (what the chrome filter left)
    and every landmark of the report the page has (`_landmarks`): a page that sets its
    title block or its notes in a box beside the text lost them with that box."""
    body = soup.body or soup
    paragraphs = [s for s in body.find_all(string=True) if s.strip()]
    total = sum(len(s.strip()) for s in paragraphs)
    if not total:
        return body
    weight: dict[int, int] = {}  # element → the text in it, and the landmarks (`marks`)
    marks: dict[int, set] = {}
    found = _landmarks([s.strip() for s in paragraphs])
    for string, kinds in zip(paragraphs, found):
        weight[id(string.parent)] = weight.get(id(string.parent), 0) + len(string.strip())
        if kinds:
            marks.setdefault(id(string.parent), set()).update(kinds)
    for k, block in enumerate(notes):  # the notes, wherever the page sets them
        marks.setdefault(id(block), set()).add(("note", k))
        found.append({("note", k)})
    tags = body.find_all(True)
    for tag in reversed(tags):  # each element after all it holds: its sums are whole, then
        parent = id(tag.parent)  # added to its parent's (linear however deep the nesting)
        weight[parent] = weight.get(parent, 0) + weight.get(id(tag), 0)
        if id(tag) in marks:
            marks.setdefault(parent, set()).update(marks[id(tag)])
    wanted = set().union(*found)
    best = body
    for tag in tags:  # (a container: unclosed <p>s nest each in the last, and one would do)
        if tag.name in _CONTAINERS and weight.get(id(tag), 0) >= 0.8 * total and marks.get(id(tag), set()) >= wanted:
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


def _walk(root: Tag, line: int) -> list[Line]:
    """Text in document order; block elements and <br> end a line. A line's number is
    where its text starts: the last element met, plus the line breaks before the text
    (lines set apart by <br> in one <div> each have their own). A note number in <sup>
    after a space is glued to its word, as the plain-text layouts write it (`Jingtong
    <sup>15</sup>` is `Jingtong15`, a reference, not the figure 15). A loop over a stack,
    not recursion (a thousand unclosed <p>s nest a thousand deep), each line joined once."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] | None = None  # the pieces of the line being read; None between lines
    stack = [(iter(root.children), False)]  # each open element's children, and is it a block
    numbered: dict[int, int] = {}  # id(<ol>) → the number its next <li> shows
    pending, shown = "", {}  # an <ol> item's number (`15. `), and per line that begins one
    while stack:
        child = next(stack[-1][0], None)
        if child is None:
            if stack.pop()[1]:
                current, pending = None, ""
            continue
        if isinstance(child, NavigableString):
            if isinstance(child, _SKIPPED):
                continue
            if current is None:
                if not child.strip():
                    line += child.count("\n")
                    continue  # white space between blocks
                current, shown[len(out)], pending = [], pending, ""
                out.append((line + child[:len(child) - len(child.lstrip())].count("\n"), current))
            current.append(str(child))
            continue
        line = child.sourceline or line
        if child.name == "br" or child.name in _BLOCKS:
            current = None
            if child.name == "li" and child.parent is not None and child.parent.name == "ol":
                pending = _item_number(child, numbered)
            if child.name != "br":
                stack.append((iter(child.children), True))
            continue
        label = child.get_text().strip().strip("[]") if child.name == "sup" else ""
        if label.isdigit() and current and current[-1].strip():
            current[-1] = current[-1].rstrip()
            current.append("²³"[int(label) - 2] if is_power(current[-1], label) else label)  # m², or a note's
            continue
        stack.append((iter(child.children), False))
    return _numbered([(number, _squash("".join(pieces))) for number, pieces in out], shown)


_LABELLED = re.compile(r"^(?:[\[【(（［]\s*\d|\d{1,3}\s*[.、．)）]|[①-⑳⑴-⒇])")


def _numbered(lines: list[Line], shown: dict[int, str]) -> list[Line]:
    """Notes in an <ol> after the notes mark get the numbers the browser shows them with
    (`15. Jingtong is …`); an item that numbers itself (`[15]…`: lists styled without
    numbers) and any list before the notes (the body's items keep their own text) do not."""
    out, noted = [], False
    for k, (number, text) in enumerate(lines):
        if noted and shown.get(k) and not _LABELLED.match(text):
            text = shown[k] + text
        noted = noted or bool(NOTES_MARK.match(fold(text)))
        out.append((number, text))
    return out


def _item_number(item: Tag, numbered: dict[int, int]) -> str:
    """`15. `: what a browser shows before an <li> of an <ol> (its value=, else the list's
    start= or 1, counted on), as a copy from the page would have it: notes in an
    <ol start="15"> after 注释 are then read like notes numbered in the text."""
    def whole(value) -> int | None:
        return int(value) if isinstance(value, str) and value.strip().isdigit() else None
    shown = whole(item.get("value")) or numbered.get(id(item.parent)) or whole(item.parent.get("start")) or 1
    numbered[id(item.parent)] = shown + 1
    return f"{shown}. "


_WRAP = re.compile(r"[ \t]*[\r\n][\s]*")
_CJK_WRAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])")
_RUNS = re.compile(r"[ \t\n]+")


def _squash(text: str) -> str:
    """White space as a browser shows it: a line break in the HTML source between Chinese
    characters is nothing, elsewhere a space; spaces inside a line are kept."""
    return _RUNS.sub(" ", _CJK_WRAP.sub("", _WRAP.sub("\n", text))).strip()
