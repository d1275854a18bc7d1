"""`build.py check`: verify a built site against the HTML contract (ARCHITECTURE.md).

Every internal link and fragment resolves; no asset comes from another origin; every
note reference points into the endnotes and every endnote links back; every pair holds a
Chinese and an English cell, and so does every topic passage, in its topic's section;
ids are unique; no inline script or style."""

from __future__ import annotations

import json
import multiprocessing
import os
import posixpath
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from ..errors import Diagnostic, DuizhaoError
from ..text.files import decode, read_bytes

_ZH_CELL = ("zh-Hans", "zh-Hant")  # a Chinese cell's lang, Simplified or Traditional (text/script.py);
CHINESE = {"zh-Hans": _ZH_CELL, "zh-Hant": _ZH_CELL}  # a bare `zh` or anything else is none
_LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                 "apple-touch-icon"}
_ASSET_ATTRS = (("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"),
                ("iframe", "src"), ("audio", "src"), ("video", "src"), ("embed", "src"))


def check_site(out: Path) -> list[Diagnostic]:
    if not (out / "index.html").is_file():  # before reading every page below `out`
        return [Diagnostic(str(out), 0, "no index.html: is this a built site?")]
    facts = _all_facts(out)
    problems = [d for f in facts for d in f.unread]
    if not any(f.rel == "index.html" and f.parsed for f in facts):
        return problems
    ids = {f.rel: f.ids for f in facts if f.parsed}
    for f in facts:
        if not f.parsed:
            continue
        where = str(out / f.rel)
        problems += f.duplicates
        for line, url, target, fragment in f.links:
            if target is None:
                problems.append(Diagnostic(where, line, url))  # (said already: the message)
            elif fragment and target in ids and fragment not in ids[target]:
                problems.append(Diagnostic(where, line, f"no such anchor: {url}"))
        problems += f.local
    if any(f.search_box for f in facts):
        problems += _check_search(out, facts)
    return problems


class _Facts:
    """What checking one page found: its own problems, and what the checks across pages
    need of it (its ids, its links to other pages' anchors, its cells for the search
    index). Made in a worker process, page by page, and sent back small: parsing is most
    of a check, and the pages are independent."""

    def __init__(self, rel: str) -> None:
        self.rel, self.parsed, self.search_box = rel, False, False
        self.unread: list[Diagnostic] = []  # the page could not be read or parsed
        self.ids: set[str] = set()
        self.duplicates: list[Diagnostic] = []
        self.links: list[tuple[int, str, str | None, str]] = []  # (line, url or message, target, fragment)
        self.local: list[Diagnostic] = []  # notes, pairs, passages, inline code, lang, CSP
        self.cells = {"zh": False, "en": False}  # has a pair with text in that language


WORKERS_FROM = 16  # pages: fewer are checked in this process


def _all_facts(out: Path) -> list[_Facts]:
    """Each page's facts, in the order of `_pages`, over every core for a big site."""
    pages = _pages(out)
    jobs = [(out, rel) for rel in pages]
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < WORKERS_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_page_facts(job) for job in jobs]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_page_facts, jobs, chunksize=max(1, len(jobs) // (workers * 4))))


def _pages(out: Path) -> list[str]:
    """Every *.html file under `out`, relative; links to folders are not followed (a loop
    would never end). A folder named *.html is listed: reading it is a problem."""
    found = []
    for root, dirs, names in os.walk(out):
        dirs.sort()
        for name in sorted(n for n in names + dirs if n.endswith(".html")):
            found.append(Path(root, name).relative_to(out).as_posix())
    return found


def _page_facts(job: tuple[Path, str]) -> _Facts:
    """One page read and checked; a page that is not UTF-8, not a regular file or not
    readable is a problem of its own, never a traceback."""
    out, rel = job
    facts, path = _Facts(rel), out / rel
    try:
        soup = BeautifulSoup(decode(read_bytes(path), str(path)), "html.parser")
    except DuizhaoError as exc:
        facts.unread = exc.diagnostics
        return facts
    except RecursionError:  # nested past what the parser can hold
        facts.unread = [Diagnostic(str(path), 0, "elements nested too deeply to check")]
        return facts
    where = str(path)
    facts.parsed = True
    facts.ids, facts.duplicates = _ids(rel, soup, out)
    facts.links = _links(rel, soup, out)
    facts.local = (_check_notes(soup, where) + _check_pairs(soup, where) + _check_passages(soup, where)
                   + _check_inline_code(soup, where))
    if not soup.html or not soup.html.get("lang"):
        facts.local.append(Diagnostic(where, 1, "<html> has no lang attribute"))
    if not soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"}):
        facts.local.append(Diagnostic(where, 1, "no Content-Security-Policy <meta>"))
    facts.search_box = soup.find(id="search") is not None
    for lang in ("zh", "en"):
        facts.cells[lang] = any(_has_text(pair.find(class_=lang, recursive=False)) for pair in _pairs(soup))
    return facts


def _has_text(cell) -> bool:
    """A pair's cell shows text of its own (not only topic chips)."""
    return cell is not None and any(p.get_text(strip=True) for p in cell.find_all("p", recursive=False)
                                    if "pair-topics" not in p.get("class", [])
                                    and "missing" not in p.get("class", []) and not p.find(class_="missing"))


def _check_search(out: Path, facts: list[_Facts]) -> list[Diagnostic]:
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
        cells = sum(1 for f in facts if f.cells[lang])
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


def _links(rel: str, soup: BeautifulSoup, out: Path) -> list[tuple[int, str, str | None, str]]:
    """Every link and loaded asset of a page, in order, as (line, url, target page, its
    fragment) for those that reach a file of the site (their anchors are checked against
    the target's ids by `check_site`), or (line, the problem, None, "")."""
    found: list[tuple[int, str, str | None, str]] = []
    refs = [(tag, tag.get("href"), True) for tag in soup.find_all("a", href=True)]
    refs += [(tag, tag.get(attr), not _fetched(tag)) for name, attr in _ASSET_ATTRS
             for tag in soup.find_all(name) if tag.get(attr)]
    refs += [(tag, _refresh_target(tag), True) for tag in soup.find_all("meta", attrs={"http-equiv": "refresh"})]
    base = _base_dir(soup, rel)
    for tag, url, is_link in refs:
        line, parts = tag.sourceline or 0, urlsplit(url)
        if parts.scheme or parts.netloc:
            if not is_link and parts.scheme != "data":
                found.append((line, f"request to another origin: {url}", None, ""))
            continue
        if parts.path.startswith("/"):
            found.append((line, f"root-relative link breaks under a project path: {url}", None, ""))
            continue
        target = rel if not parts.path else posixpath.normpath(
            posixpath.join(base, unquote(parts.path)))
        if parts.path.endswith("/") or (out / target).is_dir():
            target = posixpath.join(target, "index.html")
        if target.startswith("../") or not (out / target).is_file():
            found.append((line, f"broken link: {url}", None, ""))
        else:
            found.append((line, url, target, unquote(parts.fragment)))
    return found


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
    notes = {li.get("id"): li for box in soup.find_all(attrs={"role": "doc-endnotes"})
             for li in box.find_all("li") if li.get("id")}
    refs = {ref.get("id"): ref for ref in soup.find_all("a", attrs={"role": "doc-noteref"})}
    # each note's links back, read once: a note cited a thousand times has a thousand, and
    # looking through them for each reference was quadratic (most of checking a huge report)
    backs = {note_id: note.find_all("a", attrs={"role": "doc-backlink"}) for note_id, note in notes.items()}
    returns = {note_id: {back.get("href") for back in found} for note_id, found in backs.items()}
    for ref_id, ref in refs.items():
        note_id = ref.get("href", "").lstrip("#")
        note = notes.get(note_id)
        if note is None:
            problems.append(Diagnostic(where, ref.sourceline or 0,
                                       f"note reference {ref.get('href')!r} has no endnote"))
        elif not ref_id or f"#{ref_id}" not in returns[note_id]:
            problems.append(Diagnostic(where, note.sourceline or 0, f"endnote {note.get('id')!r} "
                                       f"has no link back to its reference {ref_id!r}"))
    for note_id, note in notes.items():
        for back in backs[note_id]:
            ref = refs.get(back.get("href", "").lstrip("#"))
            if ref is None or ref.get("href") != f"#{note_id}":
                problems.append(Diagnostic(where, back.sourceline or 0, f"link back from "
                                           f"{note_id!r} to {back.get('href')!r}, which does not cite it"))
    return problems


def _pairs(soup: BeautifulSoup) -> list:
    """Every element with `data-pair` (find_all: CSS selectors through soupsieve were
    half of checking a site)."""
    return soup.find_all(attrs={"data-pair": True})


def _check_pairs(soup: BeautifulSoup, where: str) -> list[Diagnostic]:
    problems = []
    for pair in _pairs(soup):
        cells = {CHINESE.get(c.get("lang"), c.get("lang")): c for c in pair.find_all(recursive=False)}
        for lang in (_ZH_CELL, "en"):
            cell = cells.get(lang)
            if cell is None or not cell.get_text(strip=True):
                name = "zh-Hans (or zh-Hant)" if lang is _ZH_CELL else lang
                problems.append(Diagnostic(where, pair.sourceline or 0,
                                           f"pair {pair.get('id')!r} has no {name} cell"))
        if not pair.get("id"):
            problems.append(Diagnostic(where, pair.sourceline or 0, "pair without an id"))
    return problems


def _check_passages(soup: BeautifulSoup, where: str) -> list[Diagnostic]:
    """Topic passages (`<series>/<year>/topics/`): each stands in its topic's section,
    `<section id="<topic>">`, whose year nav leads to the same section (`#<topic>`) in
    the series' other years; each shows both languages and links to its pair."""
    problems = []
    for passage in soup.find_all(class_="passage"):
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
        cells = {CHINESE.get(c.get("lang"), c.get("lang")) for c in passage.find_all("p", class_="cell")
                 if c.get_text(strip=True)}
        if cells != {_ZH_CELL, "en"}:
            problems.append(Diagnostic(where, line, "passage without a Chinese and an English cell"))
        if not any(urlsplit(a["href"]).fragment for source in passage.find_all(class_="source")
                   for a in source.find_all("a", href=True)):
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
