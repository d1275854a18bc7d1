"""Per-report downloads of the aligned sentences: TMX 1.4 (for translation-memory tools),
CSV and JSON. The TMX comes from a template; CSV and JSON from the standard library."""

from __future__ import annotations

import csv
import io
import json
import re

import jinja2

from ..derive.align import LOW, Alignment
from ..content.inline import plain
from ..content.model import Heading, Report
from ..text.chars import CONTROL


def units(report: Report, alignments: dict[str, Alignment]) -> list[dict]:
    """One entry per heading and per bead: report, id, bead number, both texts, and how
    sure: `confidence` is the bead's (0–1), `confident` whether it reaches LOW (the page
    marks the others), `pair_confidence` the pair's least sure bead. Headings and
    editor-marked beads are 1."""
    rows = []
    for block in report.blocks:
        if isinstance(block, Heading):
            rows.append({"report": report.id, "pair": block.id, "bead": 0,
                         "zh": plain(block.zh or ""), "en": plain(block.en or ""),
                         "confident": True, "confidence": 1.0, "pair_confidence": 1.0})
            continue
        pair = block
        alignment = alignments[pair.id]
        for k, ((zh, en), sure) in enumerate(zip(alignment.sentence_pairs(), alignment.bead_confidence)):
            rows.append({"report": report.id, "pair": pair.id, "bead": k, "zh": zh, "en": en,
                         "confident": sure >= LOW, "confidence": sure,
                         "pair_confidence": alignment.confidence})
    return rows


# Characters XML 1.0 forbids (C0 controls but tab and line ends, surrogates, U+FFFE/FFFF)
# and the C1 controls and noncharacters it discourages. Input files holding them are
# refused (text.files); an entity such as &#12; in hand-written Markdown still decodes to
# one, so a TMX download replaces them: it is always well-formed XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|" + CONTROL.pattern)


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def tmx(env: jinja2.Environment, report: Report, rows: list[dict], version: str) -> str:
    rows = [{**row, "zh": xml_text(row["zh"]), "en": xml_text(row["en"])} for row in rows]
    return env.get_template("report.tmx").render(report=report, rows=rows, version=version)


# A spreadsheet runs a cell that starts like a formula (CSV injection); the README offers
# the CSV for Excel. Such a text cell gets a leading apostrophe, which Excel shows as text.
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so that Excel reads the Chinese as UTF-8
    fields = ["report", "pair", "bead", "zh", "en", "confident", "confidence", "pair_confidence"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


def json_text(report: Report, rows: list[dict]) -> str:
    return json.dumps({"report": report.id, "year": report.year, "title": report.title.__dict__,
                       "units": rows}, ensure_ascii=False, indent=1) + "\n"
