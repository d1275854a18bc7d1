"""Report → bilingual Markdown (content/reports/<id>.md), the hand-editable format.

    ---
    <YAML front matter: id, year, date, titles, session, speaker, sources>
    ---

    ## (八)深入践行人民城市理念,… {#p2-s8}

    ## 8. Modernizing super-large city governance for a people-centric city

    **扎实推进城市精细化治理。**深化城市更新行动,…

    **Advance precision governance in Beijing.** We will further advance …

    [^15]: Jingtong is the city's unified public service platform …

Blocks alternate strictly: a Chinese block, then its English block. A second English
paragraph of the same pair follows a line ending in `\\`; a side the published text
lacks is `<!-- untranslated -->`. `load` reads it back and checks all of this."""

from __future__ import annotations

import hashlib
import re

import yaml

from .inline import MARK
from .model import EN, ZH, Heading, Pair, Para, Report

UNTRANSLATED = "<!-- untranslated -->"  # a side the published text does not have
__all__ = ["MARK", "UNTRANSLATED", "checksum", "dump", "front_matter", "stamped_checksum"]
STAMP_KEY = "imported"
_STAMP_LINE = re.compile(rf"^{STAMP_KEY}: sha256:[0-9a-f]{{64}}\n", re.MULTILINE)


def dump(report: Report, stamp: bool = False) -> str:
    """The Markdown file for a report; `stamp` adds the checksum that lets `import`
    notice hand edits made since."""
    front = yaml.safe_dump(front_matter(report), allow_unicode=True, sort_keys=False,
                           width=10_000, default_flow_style=False)
    body = "\n\n".join(_body(report)) + "\n"
    text = f"---\n{front}---\n\n{body}"
    if stamp:
        text = f"---\n{front}{STAMP_KEY}: sha256:{checksum(text)}\n---\n\n{body}"
    return text


def checksum(text: str) -> str:
    """Hash of a file's text without its stamp line."""
    return hashlib.sha256(_STAMP_LINE.sub("", text, count=1).encode("utf-8")).hexdigest()


def stamped_checksum(text: str) -> str | None:
    """The checksum recorded in the file, or None when it has none."""
    match = _STAMP_LINE.search(text)
    return match.group()[len(STAMP_KEY) + 9:].strip() if match else None


def front_matter(report: Report) -> dict:
    def both(value) -> dict:
        return {"zh": value.zh, "en": value.en}

    sources = []
    for source in report.sources:
        entry = {k: v for k, v in source.__dict__.items() if v and k != "covers"}
        entry["covers"] = list(source.covers)
        sources.append(entry)
    series = {"series": report.series} if report.series else {}
    return {"id": report.id, **series, "year": report.year, "date": report.date,
            "title": both(report.title), "session": both(report.session),
            "delivered": both(report.delivered), "speaker": both(report.speaker),
            "role": both(report.role), "sources": sources}


def _body(report: Report) -> list[str]:
    out: list[str] = []
    for block in report.blocks:
        if isinstance(block, Heading):
            marks = "#" * block.level
            out.append(f"{marks} {block.zh if block.zh is not None else UNTRANSLATED} {{#{block.id}}}")
            out.append(f"{marks} {block.en if block.en is not None else UNTRANSLATED}")
        else:
            out.append(_side(block, ZH))
            out.append(_side(block, EN))
    out += [f"[^{note.label}]: {note.text}" for note in report.notes]
    return out


def _side(pair: Pair, lang: str) -> str:
    paras = pair.side(lang)
    if not paras:
        return UNTRANSLATED
    return "\\\n".join(_para(p, lang) for p in paras)


def _para(para: Para, lang: str) -> str:
    if not para.lead:
        return para.text
    gap = " " if lang == EN and para.text else ""
    return f"**{para.lead}**{gap}{para.text}"
