"""Search: a Pagefind index of every paragraph pair, one bundle per language.

Pagefind segments Chinese only in an index whose language is Chinese, and a browser
instance searches one language's index with that language's analyser. So each pair
becomes two records: its Chinese text in `_pagefind/zh/` (force_language zh: the
extended build's segmenter splits 养老服务中心 so that 养老 finds it) and its English
text in `_pagefind/en/` (stemmed: "elderly care" finds "eldercare"? no — but "jobs"
finds "job"). The reader's script runs one Pagefind instance per bundle and merges the
results. Each record carries what a result shows: the report, its year, the section,
and both texts; the year is a filter. The bundles are made once per state of the
reports (cached), never from the rendered HTML, so they do not depend on templates."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import fail
from .inline import plain
from .model import Heading, Report
from .topics import pair_texts

BUNDLES = {"zh": "_pagefind/zh", "en": "_pagefind/en"}


@dataclass(frozen=True)
class Record:
    url: str  # relative to the site root: <report>/index.html#<pair>
    lang: str
    content: str
    meta: dict[str, str]
    year: str


def records(reports: list[Report]) -> list[Record]:
    """Two records per pair (Chinese, English), in report and pair order."""
    out = []
    for report in reports:
        section: Heading | None = None
        for block in report.blocks:
            if isinstance(block, Heading):
                section = block
                continue
            zh, en = pair_texts(block)
            meta = {"title": f"{report.year} · {plain(report.title.en)}", "report": report.id,
                    "year": str(report.year), "pair": block.id,
                    "section_zh": plain(section.zh or "") if section else "",
                    "section_en": plain(section.en or "") if section else "",
                    "zh": zh, "en": en}
            url = f"{report.id}/index.html#{block.id}"
            out += [Record(url, lang, text, meta, str(report.year))
                    for lang, text in (("zh", zh), ("en", en)) if text.strip()]
    return out


def bundles(found: list[Record]) -> dict[str, bytes]:
    """The Pagefind bundles' files (path under the site → bytes)."""
    try:
        from pagefind.index import PagefindIndex
    except ImportError:  # pragma: no cover - requirements.txt installs it
        raise fail("requirements.txt", 0, "pagefind is not installed: pip install -r requirements.txt") from None
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="duizhao-search-") as tmp:
        for lang, folder in BUNDLES.items():
            out = Path(tmp) / lang
            asyncio.run(_index(PagefindIndex, [r for r in found if r.lang == lang], lang, out))
            for path in sorted(out.rglob("*")):
                if path.is_file():
                    files[f"{folder}/{path.relative_to(out).as_posix()}"] = path.read_bytes()
    return files


async def _index(index_class, found: list[Record], lang: str, out: Path) -> None:
    async with index_class(config={"force_language": lang}) as index:
        for record in found:
            await index.add_custom_record(url=record.url, content=record.content, language=lang,
                                          meta=record.meta, filters={"year": [record.year]})
        await index.write_files(output_path=str(out))
