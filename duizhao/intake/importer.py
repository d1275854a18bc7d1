"""`build.py import`: published text → content/reports/<year>.md.

Reads plain text and saved web pages, bilingual in any layout or as a Chinese document
and its translation in two files; parses every file, merges excerpts of one report, and
writes each report unless that would lose work: a report edited by hand since the last
import (its checksum no longer matches) or one holding excerpts that are not being
imported again needs `--force`.
Importing the same files again writes byte-identical files."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, DuizhaoError, Problems, fail
from ..content.read import parse_markdown
from ..content.write import checksum, dump, stamped_checksum
from .merge import merge_all
from ..content.model import Report
from ..text.chars import is_mostly_chinese
from ..text.files import decode, read_bytes
from .plaintext import (Excerpt, chinese_share, excerpt_of_lines, excerpt_of_text, is_monolingual, parse_excerpt,
                        parse_separate)
from .webpage import is_web_page, page_lines
from ..text.files import write_atomic


@dataclass
class Outcome:
    path: Path
    report: Report
    status: str  # "written" | "unchanged"
    beads: Counter = field(default_factory=Counter)  # paragraph beads: "1–1" → how many


def import_files(files: list[str], reports_dir: Path, problems: Problems, force: bool = False,
                 pairs: list[tuple[str, str]] = (), series: str | None = None) -> list[Outcome]:
    """Import published texts (plain text or saved web pages; `pairs`: a Chinese document
    and its English translation, each a file) into `reports_dir`/<series>/<year>.md;
    `series` overrides what the title blocks say."""
    if not files and not pairs:
        raise fail("import", 0, "name at least one published text file to import")
    excerpts, errors, counts = [], [], Counter()
    loaded_names = list(files) + [f for pair in pairs for f in pair]
    loaded = _load_all(loaded_names, errors, problems)
    single = {name: e for name, e in loaded.items() if name in files}
    pairs = list(pairs) + _pair_monolingual(single, errors)
    refused = {d.file for d in errors}  # (a file of one language alone: its error says all)
    for name, excerpt in single.items():
        if name not in {f for pair in pairs for f in pair} and name not in refused:
            _attempt(errors, lambda excerpt=excerpt: excerpts.append(
                parse_excerpt(excerpt, problems, counts, series)))
    for zh, en in pairs:
        if zh in loaded and en in loaded and _a_pair(zh, en, loaded, errors):
            _attempt(errors, lambda zh=zh, en=en: excerpts.append(
                parse_separate(loaded[zh], loaded[en], problems, counts, series)))
    if errors:  # in the order the files were named
        order = {name: k for k, name in enumerate(dict.fromkeys(str(Path(f)) for f in loaded_names))}
        raise DuizhaoError(sorted(errors, key=lambda d: order.get(d.file, len(order))))
    reports = merge_all(excerpts, problems)
    planned = [(reports_dir / f"{r.id}.md", r, dump(r, stamp=True)) for r in reports]
    for path, report, text in planned:
        _refuse_losing_work(path, report, text, force)
        _verify_round_trip(report, text, str(path))
    outcomes = []
    for path, report, text in planned:
        old = path.read_text(encoding="utf-8") if path.exists() else None
        status = "unchanged" if old == text else "written"
        if status == "written":
            write_atomic(path, text)
        outcomes.append(Outcome(path, report, status, counts))
    return outcomes


def _attempt(errors: list, action) -> None:
    try:
        action()
    except DuizhaoError as exc:
        errors += exc.diagnostics


def _load_all(names: list[str], errors: list, problems: Problems) -> dict[str, Excerpt]:
    """Each file once, read and cleaned; the same bytes under two names is refused."""
    loaded: dict[str, Excerpt] = {}
    seen: dict[str, str] = {}
    for name in dict.fromkeys(str(Path(f)) for f in names):
        def load(name: str = name) -> None:
            data = _read(name)
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                raise fail(name, 0, f"same bytes as {seen[digest]}; import one of them")
            seen[digest] = name
            if is_web_page(name, data):
                loaded[name] = excerpt_of_lines(page_lines(data, name, problems), name, problems, digest)
            else:
                loaded[name] = excerpt_of_text(decode(data, name), name, problems, digest)
        _attempt(errors, load)
    return loaded


_LANGUAGE_TOKEN = re.compile(r"(?:^|[._\-\s])(?:zh|cn|chs|chinese|zh-cn|zh_cn|中文|en|eng|english|英文)"
                             r"(?=$|[._\-\s])", re.IGNORECASE)


def _pair_monolingual(single: dict[str, Excerpt], errors: list) -> list[tuple[str, str]]:
    """Chinese-only and English-only files among the plain arguments, paired when their
    names differ only by a language word (`report.zh.txt`, `report.en.txt`) or when
    there is exactly one of each; otherwise the error says how to pair them."""
    langs = {name: is_monolingual(e) for name, e in single.items()}
    zh = [n for n, lang in langs.items() if lang == "zh"]
    en = [n for n, lang in langs.items() if lang == "en"]
    if not zh and not en:
        return []
    stem = {n: _LANGUAGE_TOKEN.sub("", Path(n).name.rsplit(".", 1)[0]) for n in zh + en}
    # in one folder first (2023/report.zh.txt goes with 2023/report.en.txt, not 2024's);
    # then across folders, by a name only one file of each language has
    pairs = _matched(zh, en, lambda n: (str(Path(n).parent), stem[n]))
    done = {f for pair in pairs for f in pair}
    pairs += _matched([z for z in zh if z not in done], [e for e in en if e not in done], stem.get)
    if not pairs and len(zh) == 1 and len(en) == 1:
        pairs = [(zh[0], en[0])]
    paired = {f for pair in pairs for f in pair}
    for name in zh + en:
        if name not in paired and (langs[name] == "en" or _no_english(single[name])):
            other = "English translation" if langs[name] == "zh" else "Chinese original"
            errors.append(Diagnostic(name, 0, f"holds only {'Chinese' if langs[name] == 'zh' else 'English'}: "
                                              f"import it with its {other}, e.g. `import --zh ZH_FILE --en EN_FILE`"))
    return pairs


def _a_pair(zh: str, en: str, loaded: dict[str, Excerpt], errors: list) -> bool:
    """Are these a Chinese document and its translation? The same file twice, the two
    swapped, or a bilingual file among them gave errors about headings or headers."""
    if Path(zh).resolve() == Path(en).resolve():
        errors.append(Diagnostic(zh, 0, "given as both --zh and --en: name the Chinese document "
                                        "and its translation, or a bilingual file alone"))
        return False
    shares = [chinese_share(loaded[name]) for name in (zh, en)]
    if shares[0] < 0.3 and shares[1] > 0.7:
        errors.append(Diagnostic(zh, 0, f"is English and {en} Chinese: swap --zh and --en"))
        return False
    mixed = [(name, want) for name, share, want in ((zh, shares[0], "zh"), (en, shares[1], "en"))
             if 0.3 <= share <= 0.7]
    for name, want in mixed:  # (a document with a few lines of the other language is no such file)
        errors.append(Diagnostic(name, 0, f"holds Chinese and English alike (--{want} names a document in "
                                          "one language): import a bilingual file alone, without --zh/--en"))
    return not mixed


def _matched(zh: list[str], en: list[str], key: Callable[[str], object]) -> list[tuple[str, str]]:
    """(Chinese, English) whose keys are equal, where the key is one file's of each language."""
    by_key: dict[object, tuple[list[str], list[str]]] = {}
    for side, names in enumerate((zh, en)):
        for name in names:
            by_key.setdefault(key(name), ([], []))[side].append(name)
    return [(z[0], e[0]) for z, e in by_key.values() if len(z) == 1 and len(e) == 1]


def _no_english(excerpt: Excerpt) -> bool:
    return not any(not is_mostly_chinese(text) for _, text in excerpt.lines)


def _read(name: str) -> bytes:
    """A regular file's bytes (a pipe or device named as input is an error, never a hang)."""
    return read_bytes(name)


def _refuse_losing_work(path: Path, report: Report, text: str, force: bool) -> None:
    """Never overwrite an editor's changes or drop excerpts without --force."""
    if force or not path.exists():
        return
    old = path.read_text(encoding="utf-8", errors="replace")
    if old == text:
        return
    recorded = stamped_checksum(old)
    if recorded is None or recorded != checksum(old):
        raise fail(str(path), 1, "edited by hand since it was imported; importing again "
                                 "would overwrite those edits (use --force to do it anyway)")
    # by name, counted: two excerpts may share a name (x/r.txt, y/r.txt), and importing
    # one of them again must not drop the other unsaid
    missing = _source_files(old) - Counter(s.file for s in report.sources)
    if missing:
        named = ", ".join(f"{name} ({count} of them)" if count > 1 else name for name, count in sorted(missing.items()))
        raise fail(str(path), 1, f"also holds excerpts from {named}; import "
                                 "them together with these files (or --force to replace)")


def _source_files(text: str) -> Counter:
    problems = Problems()
    try:
        return Counter(s.file for s in parse_markdown(text, "", problems).sources)
    except DuizhaoError:
        return Counter()


def _verify_round_trip(report: Report, text: str, path: str) -> None:
    """What import writes must load back as the same report; anything else is a bug."""
    loaded = parse_markdown(text, path, Problems())
    if loaded != report:
        raise AssertionError(f"{path}: import would not load back identically (a bug)")
