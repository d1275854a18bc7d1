"""Search: Pagefind indexes of every paragraph pair, one bundle per language.

Pagefind segments Chinese only in an index whose language is Chinese, and a browser
instance searches one language's index with that language's analyser. So each report
becomes two records: its Chinese text in `_pagefind/zh/` (force_language zh: the
extended build's segmenter splits 养老服务中心 so that 养老 finds it) and its English
text in `_pagefind/en/` (stemmed: "jobs" finds "job"). In a record every pair is a
section under a heading with the pair's id, so a hit comes back as `report#pair`, with
the section's name and the other language's text as metadata and the year as a filter.
A pair aligned sentence by sentence is one section per bead instead (`pair.k`), so the
text shown under a hit is the matched sentence's own translation, not the start of the
other language's paragraph.
The reader's script (static/search.js) runs one Pagefind instance per bundle and merges
the results. The bundles are made from the model, not the rendered pages, and cached
with the reports' content."""

from __future__ import annotations

import gzip
import hashlib
import json
import importlib.util
import os
import selectors
import subprocess
import tempfile
from importlib import metadata
from dataclasses import dataclass
from typing import Callable, Iterable
from pathlib import Path

import cbor2
import jinja2

from ..errors import DuizhaoError, fail
from ..text.files import remove_stale_folders
from ..content.inline import plain
from ..content.model import Heading, Pair, Report
from .render import headline
from ..derive.align import Alignment
from ..derive.topic_index import pair_texts

SEARCH_PREFIX = "duizhao-search-"  # Pagefind's input folder: duizhao-search-<pid>-<random>

BUNDLES = {"zh": "_pagefind/zh", "en": "_pagefind/en"}
# Pagefind's ready-made interfaces and highlighter: the site has its own (static/search.js)
UNUSED = {"pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"}


def _version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return ""


VERSION = _version()


def available() -> bool:
    """Pagefind with its extended binary (the one that segments Chinese) is installed."""
    return bool(VERSION) and importlib.util.find_spec("pagefind_bin_extended") is not None


BEAD = "."  # between a pair's id and its bead number in a section's id (ids never hold a
# dot: content/read.py allows letters, digits, "_" and "-")


@dataclass(frozen=True)
class Passage:
    id: str  # the pair's anchor on its report page, or `<pair>.<bead>` for one bead of it
    text: str  # this language's text, searched
    shown: str  # section, SEPARATOR, the other language's text: shown with a result


@dataclass(frozen=True)
class Record:
    """One report in one language: a page for Pagefind whose sections are its pairs
    (each under a heading with the pair's id, so a hit comes back as `report#pair`)."""
    report: str
    lang: str
    title: str
    year: str
    passages: tuple[Passage, ...]


SEPARATOR = "\u241f"  # between a section's name and the other language's text
SHOWN = {"zh": 140, "en": 320}  # characters of the other language a result shows


def _cut(text: str, length: int) -> str:
    """As much as a result shows: the index stays small (it is all held in memory)."""
    return text if len(text) <= length else text[:length].rstrip() + "…"


def records(reports: list[Report], names: dict[str, str] | None = None,
            alignments: dict[str, dict[str, Alignment]] | None = None) -> list[Record]:
    """Two records per report (Chinese, English), each holding every pair with text;
    `names`: series id → the name a result shows (so Beijing's 2024 and the national
    2024 tell themselves apart); `alignments`: report id → pair id → its sentence
    alignment, whose beads become the sections of a pair drawn sentence by sentence."""
    out = []
    for report in reports:
        sides: dict[str, list[Passage]] = {"zh": [], "en": []}
        section: Heading | None = None
        aligned = (alignments or {}).get(report.id, {})
        for block in report.blocks:
            if isinstance(block, Heading):
                section = block
                continue
            name = _cut(plain(section.en or section.zh or ""), 80) if section else ""
            for lang, passage in _passages(block, aligned.get(block.id), name):
                sides[lang].append(passage)
        series = (names or {}).get(report.series, "")
        title = f"{report.year} · {series or headline(plain(report.title.en)) or report.title.zh}"
        out += [Record(report.id, lang, title, str(report.year), tuple(found))
                for lang, found in sides.items() if found]
    return out


def _passages(pair: Pair, alignment: Alignment | None, name: str) -> list[tuple[str, Passage]]:
    """A pair's sections in each language: one per bead when the page draws its beads
    (and there are several), else the whole pair. The text shown with each is the other
    language's side of the same section, cut (the index is all held in memory)."""
    if alignment and alignment.confident and alignment.renderable and len(alignment.beads) > 1:
        pieces = [(f"{pair.id}{BEAD}{k}", zh, en) for k, (zh, en) in enumerate(alignment.sentence_pairs())]
    else:
        pieces = [(pair.id, *pair_texts(pair))]
    whole = dict(zip(("zh", "en"), pair_texts(pair))) if len(pieces) > 1 else {}
    out = []
    for anchor, zh, en in pieces:
        texts = {"zh": zh, "en": en}
        for lang, other in (("zh", "en"), ("en", "zh")):
            if texts[lang].strip():  # a sentence the other side does not translate: its paragraph
                shown = f"{name}{SEPARATOR}{_cut(texts[other].strip() or whole.get(other, ''), SHOWN[other])}"
                out.append((lang, Passage(anchor, texts[lang], shown)))
    return out


PART = 128  # reports a Pagefind run indexes at most: its memory grows with the text
# (about 1.8 MB a report in Chinese), so a 1,000-report site is indexed in parts, one
# after another, and the browser merges them (pagefind.mergeIndex)
PARTS = "_pagefind/parts.json"  # each language's bundle folders, the first the primary
Memo = Callable[[str, Callable[[], dict[str, bytes]]], dict[str, bytes]]


def parts(found: list[Record]) -> list[list[Record]]:
    """The records in parts of at most PART reports: whole series together while they
    fit (a series' reports stay in one part when it has PART or fewer), in their order.
    An edit re-indexes only its part."""
    return _parted(found, lambda record: record.report)


def _parted(items: list, report_of: Callable[[object], str]) -> list[list]:
    """`items` (records, or reports) in the parts of their reports, each part in the
    items' own order."""
    series: dict[str, list[str]] = {}
    for report in dict.fromkeys(report_of(item) for item in items):
        series.setdefault(report.split("/")[0], []).append(report)
    groups: list[list[str]] = [[]]
    for members in series.values():
        for start in range(0, len(members), PART):
            piece = members[start:start + PART]
            if len(groups[-1]) + len(piece) > PART:
                groups.append([])
            groups[-1] += piece
    where = {report: k for k, group in enumerate(groups) for report in group}
    out: list[list] = [[] for _ in groups]
    for item in items:
        out[where[report_of(item)]].append(item)
    return [part for part in out if part]


def bundles_of(reports: list[Report], names: dict[str, str], alignments: dict, env: jinja2.Environment,
               running: list[subprocess.Popen] | None = None, memo: Memo | None = None) -> dict[str, bytes]:
    """`bundles` of these reports' `records`, made part by part: only one part's records
    are held at a time (at 1,000 reports all of them were a few hundred MB more)."""
    made = (records(part, names, alignments) for part in _parted(reports, lambda report: report.id))
    return _bundles((part for part in made if part), env, running, memo)


def bundles(found: list[Record], env: jinja2.Environment, running: list[subprocess.Popen] | None = None,
            memo: Memo | None = None) -> dict[str, bytes]:
    """The Pagefind bundles' files (path under the site → bytes): per language, one
    bundle per part (`_pagefind/<lang>/`, then `_pagefind/<lang>-2/` …, listed in
    PARTS). `memo(key, make)`, if given, keeps a part's files under a digest of what
    they are made from; `running`, if given, holds the Pagefind process while it runs
    (so the preview can stop it)."""
    return _bundles(parts(found), env, running, memo)


def _bundles(made: Iterable[list[Record]], env: jinja2.Environment, running: list[subprocess.Popen] | None,
             memo: Memo | None) -> dict[str, bytes]:
    template = env.get_template("search_record.html")
    source = env.loader.get_source(env, "search_record.html")[0] if env.loader else ""
    files: dict[str, bytes] = {}
    listed: dict[str, list[str]] = {lang: [] for lang in BUNDLES}
    for part in made:
        key = _part_key(part, source)
        made = memo(key, lambda part=part: _index(part, template, running)) if memo else \
            _index(part, template, running)
        for lang, folder in BUNDLES.items():
            inside = [(path, data) for path, data in made.items() if path.startswith(f"{lang}/")]
            if not inside:  # no text in this language in this part
                continue
            primary = not listed[lang]  # the first part with this language: it has the scripts
            here = folder if primary else f"{folder}-{len(listed[lang]) + 1}"
            listed[lang].append(f"{here}/")
            for path, data in inside:
                name = path.split("/", 1)[1]
                if primary or not name.endswith(PRIMARY_ONLY):  # a merged bundle needs no scripts
                    files[f"{here}/{name}"] = data
    files[PARTS] = json.dumps(listed, separators=(",", ":")).encode()
    return files


PRIMARY_ONLY = ("pagefind.js", "pagefind-worker.js", ".pagefind")  # scripts and WebAssembly


def _part_key(part: list[Record], template: str) -> str:
    """A digest of all a part's bundle is made from (the Pagefind version, the record
    template, every record's text): equal keys, equal bundles."""
    sha = hashlib.sha256(f"{VERSION}\0{template}".encode())
    for record in part:
        sha.update(f"\0{record.report}\0{record.lang}\0{record.title}\0{record.year}".encode())
        for passage in record.passages:
            sha.update(f"\1{passage.id}\1{passage.text}\1{passage.shown}".encode())
    return sha.hexdigest()


def _index(found: list[Record], template: jinja2.Template,
           running: list[subprocess.Popen] | None) -> dict[str, bytes]:
    """One part indexed: each record becomes a small page (templates/search_record.html)
    that the Pagefind CLI indexes (its Python API answers one record per 0.1 s, the CLI
    indexes thousands a second). The two languages' indexers run at once: the English
    records are written while the Chinese are indexed, and one indexer keeps about 1.3 of
    2 cores busy. Files as `<lang>/<path in the bundle>`."""
    files: dict[str, bytes] = {}
    remove_stale_folders(SEARCH_PREFIX)  # of builds that were killed
    with tempfile.TemporaryDirectory(prefix=f"{SEARCH_PREFIX}{os.getpid()}-") as tmp:
        started = []
        try:
            for lang in BUNDLES:
                source, out = Path(tmp) / "source" / lang, Path(tmp) / "out" / lang
                for record in (r for r in found if r.lang == lang):
                    page = source / f"{record.report}.html"
                    page.parent.mkdir(parents=True, exist_ok=True)
                    page.write_text(template.render(record=record), "utf-8")
                if source.exists():
                    started.append((lang, out, _pagefind(source, out, lang, running)))
            _finish([process for _, _, process in started])
            for lang, out, process in started:
                _stable_filters(out, lang)
                for path in sorted(out.rglob("*")):
                    if path.is_file() and path.name not in UNUSED:
                        files[f"{lang}/{path.relative_to(out).as_posix()}"] = path.read_bytes()
        finally:
            for _, _, process in started:  # an error (or a stop) leaves none running
                if process.poll() is None:
                    process.kill()
                    process.wait()
                process.stderr.close()
    return files


def _finish(processes: list[subprocess.Popen]) -> None:
    """Wait for the indexers, in the order they end: the first that fails raises at once
    (the caller stops the others). Their error output is read as it comes (a full pipe
    would stall them)."""
    if os.name == "nt":  # no waiting on pipes there: one after the other
        for process in processes:
            _, errors = process.communicate()
            if process.returncode != 0:
                raise _failed(errors)
        return
    said: dict[int, list[bytes]] = {p.stderr.fileno(): [] for p in processes}
    by_pipe = {p.stderr.fileno(): p for p in processes}
    with selectors.DefaultSelector() as waiting:
        for process in processes:
            waiting.register(process.stderr, selectors.EVENT_READ)
        while waiting.get_map():
            for key, _ in waiting.select():
                chunk = os.read(key.fd, 65536)
                if chunk:
                    said[key.fd].append(chunk)
                    continue
                waiting.unregister(key.fileobj)  # its end of output: it has exited (or is exiting)
                process = by_pipe[key.fd]
                if process.wait() != 0:
                    raise _failed(b"".join(said[key.fd]))


def _failed(errors: bytes) -> DuizhaoError:
    return fail("pagefind", 0, f"indexing for search failed: {errors.decode('utf-8', 'replace').strip()[-500:]}")


def _pagefind(source: Path, out: Path, lang: str, running: list[subprocess.Popen] | None) -> subprocess.Popen:
    from pagefind_bin_extended import get_executable
    process = subprocess.Popen([str(get_executable()), "--site", str(source), "--output-path",
                                str(out), "--force-language", lang, "--silent"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               # the preview's indexing yields the CPU to its rebuilds
                               preexec_fn=(lambda: os.nice(19)) if running is not None else None)
    if running is not None:
        running.append(process)
    return process


SIGNATURE = b"pagefind_dcd"


def _stable_filters(out: Path, lang: str) -> None:
    """Make the filter index byte-stable. Pagefind 1.5 writes a filter's values in hash-map
    order, which changes from run to run (upstream issue #638: "other files will still
    change, such as the filter/metadata indexes"), so two builds of the same text would
    differ. Sort the values, rename the file after its content, and rewrite the metadata
    and entry files that name it. The formats: gzip of `pagefind_dcd` + CBOR."""
    entry_path = out / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    meta_path = out / f"pagefind.{entry['languages'][lang]['hash']}.pf_meta"
    meta = _read(meta_path)
    for item in meta[3]:  # [filter name, file hash]
        path = out / "filter" / f"{item[1]}.pf_filter"
        name, values = _read(path)
        data = _write_bytes([name, sorted(values, key=lambda v: v[0])])
        path.unlink()
        item[1] = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
        (out / "filter" / f"{item[1]}.pf_filter").write_bytes(data)
    data = _write_bytes(meta)
    meta_path.unlink()
    entry["languages"][lang]["hash"] = f"{lang}_{hashlib.sha256(data).hexdigest()[:10]}"
    (out / f"pagefind.{entry['languages'][lang]['hash']}.pf_meta").write_bytes(data)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _read(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise fail(str(path), 0, "not a Pagefind index file (has Pagefind changed its format?)")
    return cbor2.loads(raw[len(SIGNATURE):])


def _write_bytes(value) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), mtime=0)
