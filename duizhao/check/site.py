"""`build.py check`: verify a built site against the HTML contract (ARCHITECTURE.md).

Every internal link and fragment resolves; no asset comes from another origin; every
note reference points into the endnotes and every endnote links back; every pair holds a
Chinese and an English cell, and so does every topic passage, in its topic's section;
ids are unique; no inline script or style."""

from __future__ import annotations

import json
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from ..errors import Diagnostic, DuizhaoError
from ..text.files import decode, read_bytes

_LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                 "apple-touch-icon"}
_ASSET_ATTRS = (("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"),
                ("iframe", "src"), ("audio", "src"), ("video", "src"), ("embed", "src"))


def check_site(out: Path) -> list[Diagnostic]:
    if not (out / "index.html").is_file():  # before reading every page below `out`
        return [Diagnostic(str(out), 0, "no index.html: is this a built site?")]
    pages, problems = _read_pages(out)
    if "index.html" not in pages:
        return problems
    ids = {rel: _ids(rel, soup, out) for rel, soup in pages.items()}
    for rel, soup in pages.items():
        where = str(out / rel)
        problems += ids[rel][1]
        problems += _check_links(rel, soup, where, out, {k: v[0] for k, v in ids.items()})
        problems += _check_notes(soup, where)
        problems += _check_pairs(soup, where)
        problems += _check_passages(soup, where)
        problems += _check_inline_code(soup, where)
        if not soup.html or not soup.html.get("lang"):
            problems.append(Diagnostic(where, 1, "<html> has no lang attribute"))
        if not soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"}):
            problems.append(Diagnostic(where, 1, "no Content-Security-Policy <meta>"))
    if any(soup.find(id="search") for soup in pages.values()):
        problems += _check_search(out, pages)
    return problems


def _read_pages(out: Path) -> tuple[dict[str, BeautifulSoup], list[Diagnostic]]:
    """Every *.html file under `out`, parsed; a page that is not UTF-8, not a regular file
    (a folder named *.html) or not readable is a problem of its own, never a traceback.
    Links to folders are not followed (a loop would never end)."""
    pages, problems = {}, []
    for root, dirs, names in os.walk(out):
        dirs.sort()
        for name in sorted(n for n in names + dirs if n.endswith(".html")):
            path = Path(root, name)
            rel = path.relative_to(out).as_posix()
            try:
                pages[rel] = BeautifulSoup(decode(read_bytes(path), str(path)), "html.parser")
            except DuizhaoError as exc:
                problems += exc.diagnostics
            except RecursionError:  # nested past what the parser can hold
                problems.append(Diagnostic(str(path), 0, "elements nested too deeply to check"))
    return pages, problems


def _has_text(cell) -> bool:
    """A pair's cell shows text of its own (not only topic chips)."""
    return cell is not None and any(p.get_text(strip=True) for p in cell.find_all("p", recursive=False)
                                    if "pair-topics" not in p.get("class", [])
                                    and "missing" not in p.get("class", []) and not p.find(class_="missing"))


def _check_search(out: Path, pages: dict[str, BeautifulSoup]) -> list[Diagnostic]:
    """The pages offer search: `_pagefind/parts.json` lists each language's bundles (a
    large site's index comes in parts), every one is there, and together they hold one
    record per report page that has text in that language (its pairs are sections)."""
    listing = out / "_pagefind" / "parts.json"
    try:
        parts = json.loads(listing.read_text("utf-8"))
        folders = {lang: [str(f) for f in parts[lang]] for lang in ("zh", "en")}
    except (OSError, ValueError, KeyError, TypeError):
        return [Diagnostic(str(listing), 0, "search index missing or unreadable (pages offer search)")]
    problems = []
    for lang in ("zh", "en"):
        cells = sum(1 for soup in pages.values()
                    if any(_has_text(pair.find(class_=lang, recursive=False))
                           for pair in soup.select("[data-pair]")))
        indexed = 0
        first = out / folders[lang][0] if folders[lang] else None
        if first is not None and first.is_dir() and not (first / "pagefind.js").is_file():
            problems.append(Diagnostic(str(first), 0, "the first search part of "
                                       f"{lang} has no pagefind.js (the browser loads it from there)"))
        for folder in folders[lang]:
            entry = out / folder / "pagefind-entry.json"
            try:
                languages = json.loads(entry.read_text("utf-8"))["languages"]
                indexed += sum(language["page_count"] for language in languages.values())
            except (OSError, ValueError, KeyError, TypeError):
                problems.append(Diagnostic(str(entry), 0, "search index missing or unreadable "
                                                          "(pages offer search)"))
        if not problems and indexed != cells:
            problems.append(Diagnostic(str(listing), 0, f"search index holds {indexed} {lang} "
                                                        f"reports; {cells} report pages have {lang} text"))
    return problems


def _ids(rel: str, soup: BeautifulSoup, out: Path) -> tuple[set[str], list[Diagnostic]]:
    seen: dict[str, int] = {}
    problems = []
    for tag in soup.find_all(id=True):
        if tag["id"] in seen:
            problems.append(Diagnostic(str(out / rel), tag.sourceline or 0,
                                       f"duplicate id {tag['id']!r} (first at line {seen[tag['id']]})"))
        seen.setdefault(tag["id"], tag.sourceline or 0)
    return set(seen), problems


def _check_links(rel: str, soup: BeautifulSoup, where: str, out: Path,
                 ids: dict[str, set[str]]) -> list[Diagnostic]:
    problems = []
    refs = [(tag, tag.get("href"), True) for tag in soup.find_all("a", href=True)]
    refs += [(tag, tag.get(attr), not _fetched(tag)) for name, attr in _ASSET_ATTRS
             for tag in soup.find_all(name) if tag.get(attr)]
    refs += [(tag, _refresh_target(tag), True) for tag in soup.find_all("meta", attrs={"http-equiv": "refresh"})]
    base = _base_dir(soup, rel)
    for tag, url, is_link in refs:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if not is_link and parts.scheme != "data":
                problems.append(Diagnostic(where, tag.sourceline or 0, f"request to another origin: {url}"))
            continue
        if parts.path.startswith("/"):
            problems.append(Diagnostic(where, tag.sourceline or 0, f"root-relative link breaks "
                                       f"under a project path: {url}"))
            continue
        target = rel if not parts.path else posixpath.normpath(
            posixpath.join(base, unquote(parts.path)))
        if parts.path.endswith("/") or (out / target).is_dir():
            target = posixpath.join(target, "index.html")
        if target.startswith("../") or not (out / target).is_file():
            problems.append(Diagnostic(where, tag.sourceline or 0, f"broken link: {url}"))
        elif parts.fragment and target in ids and unquote(parts.fragment) not in ids[target]:
            problems.append(Diagnostic(where, tag.sourceline or 0, f"no such anchor: {url}"))
    return problems


def _refresh_target(tag) -> str:
    """Where a redirect page (`<meta http-equiv=refresh content="0; url=…">`) sends one."""
    found = re.search(r"url\s*=\s*['\"]?([^'\"]+)", tag.get("content") or "", re.IGNORECASE)
    return found.group(1).strip() if found else "#"


def _base_dir(soup: BeautifulSoup, rel: str) -> str:
    """The folder relative links start from: the page's own, or the site root when a
    <base href> names the site's path (404.html is served at any depth)."""
    return "" if soup.find("base", href=True) else posixpath.dirname(rel)


def _fetched(tag) -> bool:
    """Does the browser load this? (`<link rel=canonical>` names a URL, loads nothing.)"""
    if tag.name != "link":
        return True
    return bool(set(tag.get("rel") or []) & _LOADING_RELS)


def _check_notes(soup: BeautifulSoup, where: str) -> list[Diagnostic]:
    """Each reference reaches an endnote that links back to it; each link back returns to
    a reference citing that note. (A note nobody cites is legal: import warned.)"""
    problems = []
    notes = {li.get("id"): li for box in soup.select('[role="doc-endnotes"]')
             for li in box.find_all("li") if li.get("id")}
    refs = {ref.get("id"): ref for ref in soup.select('a[role="doc-noteref"]')}
    for ref_id, ref in refs.items():
        note = notes.get(ref.get("href", "").lstrip("#"))
        if note is None:
            problems.append(Diagnostic(where, ref.sourceline or 0,
                                       f"note reference {ref.get('href')!r} has no endnote"))
        elif not ref_id or not note.select(f'a[role="doc-backlink"][href="#{ref_id}"]'):
            problems.append(Diagnostic(where, note.sourceline or 0, f"endnote {note.get('id')!r} "
                                       f"has no link back to its reference {ref_id!r}"))
    for note_id, note in notes.items():
        for back in note.select('a[role="doc-backlink"]'):
            ref = refs.get(back.get("href", "").lstrip("#"))
            if ref is None or ref.get("href") != f"#{note_id}":
                problems.append(Diagnostic(where, back.sourceline or 0, f"link back from "
                                           f"{note_id!r} to {back.get('href')!r}, which does not cite it"))
    return problems


def _check_pairs(soup: BeautifulSoup, where: str) -> list[Diagnostic]:
    problems = []
    for pair in soup.select("[data-pair]"):
        cells = {c.get("lang"): c for c in pair.find_all(recursive=False)}
        for lang in ("zh-Hans", "en"):
            cell = cells.get(lang)
            if cell is None or not cell.get_text(strip=True):
                problems.append(Diagnostic(where, pair.sourceline or 0,
                                           f"pair {pair.get('id')!r} has no {lang} cell"))
        if not pair.get("id"):
            problems.append(Diagnostic(where, pair.sourceline or 0, "pair without an id"))
    return problems


def _check_passages(soup: BeautifulSoup, where: str) -> list[Diagnostic]:
    """Topic passages (`<series>/<year>/topics/`): each stands in its topic's section,
    `<section id="<topic>">`, whose year nav leads to the same section (`#<topic>`) in
    the series' other years; each shows both languages and links to its pair."""
    problems = []
    for passage in soup.select(".passage"):
        line = passage.sourceline or 0
        section = passage.find_parent("section", id=True)
        nav = section.find("nav", class_="year-nav") if section else None
        if nav is None:
            problems.append(Diagnostic(where, line, "passage outside a topic section with a year nav"))
        else:
            for link in nav.find_all("a", href=True):
                if not link["href"].endswith(f"/topics/index.html#{section['id']}"):
                    problems.append(Diagnostic(where, link.sourceline or 0, f"year nav of {section['id']!r} "
                                               f"leads elsewhere: {link['href']}"))
        cells = {c.get("lang") for c in passage.find_all("p", class_="cell") if c.get_text(strip=True)}
        if cells != {"zh-Hans", "en"}:
            problems.append(Diagnostic(where, line, "passage without a Chinese and an English cell"))
        if not any(urlsplit(a["href"]).fragment for a in passage.select(".source a[href]")):
            problems.append(Diagnostic(where, line, "passage without a link to its pair"))
    return problems


def _check_inline_code(soup: BeautifulSoup, where: str) -> list[Diagnostic]:
    problems = []
    for tag in soup.find_all("script"):
        if not tag.get("src"):
            problems.append(Diagnostic(where, tag.sourceline or 0, "inline <script>"))
    for tag in soup.find_all(style=True):
        problems.append(Diagnostic(where, tag.sourceline or 0, "inline style= attribute"))
    for tag in soup.find_all("style"):
        problems.append(Diagnostic(where, tag.sourceline or 0, "inline <style> element"))
    return problems
