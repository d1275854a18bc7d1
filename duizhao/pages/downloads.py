"""Per-report downloads of the aligned sentences: TMX 1.4 (for translation-memory tools),
CSV and JSON. The TMX comes from a template; CSV and JSON from the standard library."""

from __future__ import annotations

import csv
import io
import json

import jinja2

from ..derive.align import LOW, Alignment
from ..content.inline import plain
from ..content.model import Heading, Report


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


def tmx(env: jinja2.Environment, report: Report, rows: list[dict], version: str) -> str:
    return env.get_template("report.tmx").render(report=report, rows=rows, version=version)


def csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so that Excel reads the Chinese as UTF-8
    fields = ["report", "pair", "bead", "zh", "en", "confident", "confidence", "pair_confidence"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def json_text(report: Report, rows: list[dict]) -> str:
    return json.dumps({"report": report.id, "year": report.year, "title": report.title.__dict__,
                       "units": rows}, ensure_ascii=False, indent=1) + "\n"
