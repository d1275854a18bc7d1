"""Figures that changed between two reports: the quantities of topics.yaml both reports
state (a target against the next year's target, a result against the next result, and a
target against the result the next report gives for that year), and the numbers the
paragraph matching found replaced (26万 → 28万), each with its English, linked to both
pairs. Linear in the figures' values and the matched paragraphs."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Bilingual
from .compare import Comparison, Item
from .diff import NumberChange
from .topic_file import Quantity


@dataclass(frozen=True)
class FigureRow:
    """One quantity stated by both reports: `kinds` says what each value is (target,
    result; empty for a number the matching found), `old`/`new` the values as written."""

    name: Bilingual
    unit: Bilingual
    kinds: tuple[str, str]
    values: tuple[float, float]
    old: Bilingual
    new: Bilingual
    pairs: tuple[str, str]  # pair ids in the old and the new report
    anchor: str = ""  # the match on the compare page, when the two pairs are matched
    topic: str = ""

    @property
    def change(self) -> float:
        return self.values[1] - self.values[0]

    @property
    def share(self) -> float | None:
        """The change as a share of the old value (None when that is 0)."""
        return self.change / self.values[0] if self.values[0] else None


def figure_changes(item: Item) -> list[tuple[NumberChange, NumberChange | None]]:
    """The numbers a matched paragraph replaced: each Chinese change with the English
    change of the same two values, where the translation has one."""
    if item.zh is None:
        return []
    english = list(item.en.numbers) if item.en is not None else []
    out = []
    for change in item.zh.numbers:
        twin = next((e for e in english if e.values == change.values), None)
        if twin is not None:
            english.remove(twin)
        out.append((change, twin))
    return out


def figure_rows(comparison: Comparison, quantities: list[Quantity]) -> list[FigureRow]:
    """Topic figures first (in topics.yaml's order), then the numbers found replaced."""
    old, new = comparison.old, comparison.new
    anchors = {(i.old.id, i.new.id): i.anchor for m in comparison.sections for i in m.items
               if i.old is not None and i.new is not None}
    rows: list[FigureRow] = []
    for q in quantities:
        mine = [v for v in q.values if v.report == old.id], [v for v in q.values if v.report == new.id]
        for a in mine[0]:
            for b in mine[1]:
                if a.kind == b.kind or (a.kind, b.kind) == ("target", "result") and b.about == a.year:
                    rows.append(FigureRow(q.name, q.unit, (a.kind, b.kind), (a.value, b.value),
                                          Bilingual(_number(a.value)), Bilingual(_number(b.value)),
                                          (a.pair, b.pair), anchors.get((a.pair, b.pair), ""), q.topic))
    known = {(r.pairs, r.values) for r in rows}
    for m in comparison.sections:
        for item in m.items:
            for zh, en in figure_changes(item):
                if ((item.old.id, item.new.id), zh.values) in known:
                    continue
                rows.append(FigureRow(Bilingual(zh.label, en.label if en else ""), Bilingual(), ("", ""),
                                      zh.values, Bilingual(zh.old, en.old if en else ""),
                                      Bilingual(zh.new, en.new if en else ""), (item.old.id, item.new.id),
                                      item.anchor))
    return rows


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
