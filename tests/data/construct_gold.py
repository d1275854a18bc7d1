#!/usr/bin/env python3
"""Pairs for the gold set made from the hand-aligned real pairs, by fixed rules (never by
looking at what the aligner does), so that the gold set covers layouts and defects the
three reports do not have:

- merged: two consecutive pairs of one section as one paragraph (a layout that joins
  paragraphs); its beads are the two pairs' beads.
- two paragraphs: the same, kept as two paragraphs on each side (`\\` in the Markdown).
- untranslated: a pair with one Chinese sentence's English removed; that sentence is then
  a bead of its own with no English.
- added: a pair with one Chinese sentence removed; its English sentence is then a bead
  of its own with no Chinese.
- cut: a pair of four beads or more cut in two at its middle bead boundary (a layout
  that breaks a paragraph), each half a pair.

Only pairs of the same split are combined, so nothing of the held-out half leaks into dev.

    python tests/data/construct_gold.py     # rewrites the constructed items of the gold file
"""

from __future__ import annotations

import json
import re
from pathlib import Path

GOLD = Path(__file__).with_name("gold_alignment.json")
ONE_ZH = re.compile(r"^[^。！？；;!?]*[。！？；;!?][”’\"')）]*$")  # one Chinese sentence or clause
ONE_EN = re.compile(r"^(?:(?![.!?][”’\"')\]]*\s+[A-Z“\"]).)*$")  # one English sentence


def section(pair_id: str) -> str:
    return pair_id.rsplit("-", 1)[0]


def whole(pair: dict) -> bool:
    """Every bead ends a sentence: a bead cut by a paragraph break (Fellow Deputies,) would
    run into the next sentence once paragraphs are joined."""
    return all(re.search(r"[.!?][”’\"')\]]*$", b["en"].strip()) for b in pair["beads"] if b["en"])


def item(kind: str, source: list[dict], paras: list[list[dict]], beads: list[dict]) -> dict:
    return {"report": source[0]["report"], "pair": f"{kind}:" + "+".join(s["pair"] for s in source),
            "split": source[0]["split"], "layout": kind,
            "zh": ["".join(b["zh"] for b in para) for para in paras],
            "en": [" ".join(b["en"] for b in para if b["en"]) for para in paras], "beads": beads}


def constructed(real: list[dict]) -> list[dict]:
    out = []
    neighbours = [(a, b) for a, b in zip(real, real[1:]) if a["report"] == b["report"]
                  and section(a["pair"]) == section(b["pair"]) and a["split"] == b["split"]
                  and whole(a) and whole(b)]
    for n, (a, b) in enumerate(neighbours):
        kind = "merged" if n % 2 == 0 else "two-paragraphs"
        paras = [a["beads"] + b["beads"]] if kind == "merged" else [a["beads"], b["beads"]]
        out.append(item(kind, [a, b], paras, a["beads"] + b["beads"]))
    long = [p for p in real if len(p["beads"]) >= 3 and whole(p)]
    for n, pair in enumerate(long):
        middle = pair["beads"][1]
        if n % 4 == 0 and ONE_ZH.match(middle["zh"]):
            beads = [dict(b) for b in pair["beads"]]
            beads[1]["en"] = ""
            out.append(item("untranslated", [pair], [beads], beads))
        elif n % 4 == 2 and ONE_EN.match(middle["en"]):
            beads = [dict(b) for b in pair["beads"]]
            beads[1]["zh"] = ""
            out.append(item("added", [pair], [beads], beads))
    for n, pair in enumerate(p for p in real if len(p["beads"]) >= 4 and whole(p)):
        if n % 2 == 0:
            half = len(pair["beads"]) // 2
            for k, beads in enumerate((pair["beads"][:half], pair["beads"][half:])):
                out.append(item(f"cut{k + 1}", [pair], [beads], beads))
    return out


def main() -> None:
    data = json.loads(GOLD.read_text("utf-8"))
    real = [p for p in data["pairs"] if "layout" not in p]
    data["pairs"] = real + constructed(real)
    GOLD.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    kinds: dict[str, int] = {}
    for p in data["pairs"]:
        kinds[p.get("layout", "real")] = kinds.get(p.get("layout", "real"), 0) + 1
    print(len(data["pairs"]), kinds)


if __name__ == "__main__":
    main()
