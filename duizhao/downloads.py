"""Per-report downloads of the aligned sentences: TMX 1.4 (for translation-memory tools),
CSV and JSON. The TMX comes from a template; CSV and JSON from the standard library."""

from __future__ import annotations

import csv
import io
import json

import jinja2

from .align import Alignment
from .model import Report


def units(report: Report, alignments: dict[str, Alignment]) -> list[dict]:
    """One entry per bead: report, pair, bead number, both texts, and how sure."""
    rows = []
    for pair in report.pairs:
        alignment = alignments[pair.id]
        for k, (zh, en) in enumerate(alignment.sentence_pairs()):
            rows.append({"report": report.id, "pair": pair.id, "bead": k, "zh": zh, "en": en,
                         "confident": alignment.confident, "confidence": alignment.confidence})
    return rows


def tmx(env: jinja2.Environment, report: Report, rows: list[dict], version: str) -> str:
    return env.get_template("report.tmx").render(report=report, rows=rows, version=version)


def csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["report", "pair", "bead", "zh", "en", "confident", "confidence"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def json_text(report: Report, rows: list[dict]) -> str:
    return json.dumps({"report": report.id, "year": report.year, "title": report.title.__dict__,
                       "units": rows}, ensure_ascii=False, indent=1) + "\n"
