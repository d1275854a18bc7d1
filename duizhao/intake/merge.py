"""Merge excerpts of one report (same year and session) into one, in the report's order.

Excerpts are ordered by their heading numbers (Part I items before Part II sections, §2
before §8). A part heading that several excerpts repeat (`二、…`) is kept once; any other
shared id — the same section or pair twice — is an overlap and is refused."""

from __future__ import annotations

from dataclasses import replace

from ..errors import Diagnostic, DuizhaoError, Problems
from ..content.model import Heading, Report
from ..content.headings import id_key


def group_key(report: Report) -> tuple[str, int, str]:
    return (report.series, report.year, report.session.zh or report.session.en)


def merge_all(excerpts: list[Report], problems: Problems) -> list[Report]:
    """Group excerpts into reports and merge each group; sorted by report id."""
    groups: dict[tuple[str, int, str], list[Report]] = {}
    for excerpt in excerpts:
        groups.setdefault(group_key(excerpt), []).append(excerpt)
    merged = [merge(group, problems) for group in groups.values()]
    by_id: dict[str, Report] = {}
    for report in merged:
        if report.id in by_id:
            line = report.headings[0].line if report.headings else 1
            raise DuizhaoError([Diagnostic(report.path, line, f"two different reports for "
                                f"{report.id}: {by_id[report.id].session.zh!r} and "
                                f"{report.session.zh!r}; import them separately")])
        by_id[report.id] = report
    return [by_id[key] for key in sorted(by_id)]


def _order(report: Report) -> list[tuple[int, int, int]]:
    return [id_key(h.id) or (999, 0, 0) for h in report.headings]


def merge(excerpts: list[Report], problems: Problems) -> Report:
    """One report from excerpts of it; refuses overlapping or conflicting excerpts."""
    excerpts = sorted(excerpts, key=_order)
    first = excerpts[0]
    with_parts = [e for e in excerpts if any(h.level == 1 for h in e.headings)]
    for excerpt in excerpts:
        if with_parts and excerpt not in with_parts and excerpt.headings:
            problems.warn(excerpt.path, excerpt.headings[0].line, "this excerpt has no part "
                          f"heading (二、…) but {with_parts[0].path} has: its ids name no part "
                          "and it may be placed out of order; add the part heading line")
    for other in excerpts[1:]:
        for name in ("title", "date", "speaker", "role"):
            if getattr(other, name) != getattr(first, name):
                problems.warn(other.path, 0, f"header {name} differs from {first.path}: "
                                             f"{getattr(other, name)} — keeping the first")
    blocks, owner = [], {}
    notes: dict[str, tuple[str, object]] = {}
    texts: dict[str, tuple[Report, object]] = {}  # a paragraph's text → its excerpt and pair
    for excerpt in excerpts:
        _warn_headless_start(excerpt, excerpts, problems)
        for block in excerpt.blocks:
            if block.id in owner:
                _shared(block, owner[block.id], excerpt)
                continue
            _same_text(block, texts, excerpt)
            owner[block.id] = (excerpt, block)
            blocks.append(block)
        for note in excerpt.notes:
            if note.label in notes and notes[note.label][1].text != note.text:
                raise _conflict(excerpt, note.line, f"note [{note.label}] is defined "
                                f"differently in {notes[note.label][0]}")
            notes.setdefault(note.label, (excerpt.path, note))
    blocks = _in_report_order(blocks)
    _check_order(blocks, owner)
    return replace(first, blocks=blocks,
                   notes=[n for _, n in sorted(notes.values(), key=_note_key)],
                   sources=[s for e in excerpts for s in e.sources])


def _in_report_order(blocks: list) -> list:
    """Order merged blocks by the numbering their ids encode: a heading (p, s, i, 0), a pair
    after heading H as (H's numbers, n). Paragraphs directly under a part that two
    excerpts both open with land right after that part, not after the first excerpt's
    sections. Free-form ids keep the excerpts' order."""
    def key(block) -> tuple | None:
        if isinstance(block, Heading):
            numbers = id_key(block.id)
            return numbers + (0,) if numbers else None
        parent, _, n = block.id.rpartition("-")
        numbers = (0, 0, 0) if parent == "intro" else id_key(parent)
        return numbers + (int(n),) if numbers and n.isdigit() else None
    keys = [key(b) for b in blocks]
    if any(k is None for k in keys):
        return blocks
    return [b for _, b in sorted(zip(keys, blocks), key=lambda kb: kb[0])]


def _note_key(item: tuple[str, object]) -> tuple[int, str]:
    label = item[1].label
    return (int(label) if label.isdigit() else 10**9, label)


def _shared(block: object, earlier: tuple[Report, object], excerpt: Report) -> None:
    """A block id seen before is fine only for an identical parent heading."""
    other_excerpt, other = earlier
    if isinstance(block, Heading) and block == other and block.level == 1:
        return
    raise _conflict(excerpt, block.line, f"overlaps {other_excerpt.path}:{other.line}: both "
                    f"contain {block.id!r}; an excerpt may not repeat another's text")


def _warn_headless_start(excerpt: Report, excerpts: list[Report], problems: Problems) -> None:
    """Paragraphs an excerpt opens with under its part heading alone, where another
    excerpt has that part with its sections: they go to the start of the part, before
    those sections, which is wrong if they continue one (its heading line was left out)."""
    blocks = excerpt.blocks
    k = 0
    while k < len(blocks) and isinstance(blocks[k], Heading) and blocks[k].level == 1:
        k += 1
    if k == len(blocks) or isinstance(blocks[k], Heading):
        return
    parts = {b.id for b in blocks[:k]}
    if any(o is not excerpt and any(isinstance(b, Heading) and b.level > 1 for b in o.blocks)
           and (not parts or parts & {b.id for b in o.blocks}) for o in excerpts):
        problems.warn(excerpt.path, blocks[k].line, "this excerpt opens with paragraphs under no "
                      "section heading: they are placed at the start of their part, before the "
                      "other excerpts' sections; if they continue a section, add its heading line")


def _same_text(block: object, texts: dict, excerpt: Report) -> None:
    """Two excerpts holding the same paragraph overlap, whatever ids their headings gave
    it (one that starts without a heading numbers its pairs otherwise): refused, as the
    same id twice is. Within one excerpt a paragraph may repeat."""
    if isinstance(block, Heading):
        return
    text = "\n".join(p.text for p in block.zh) or "\n".join(p.text for p in block.en)
    if len(text) < 20:  # (a short line, `各位代表!`, may stand in two excerpts)
        return
    earlier = texts.setdefault(text, (excerpt, block))
    if earlier[0] is not excerpt:
        raise _conflict(excerpt, block.line, f"overlaps {earlier[0].path}:{earlier[1].line}: both "
                        f"contain the paragraph {text[:24]!r}…; an excerpt may not repeat another's text")


def _check_order(blocks: list, owner: dict) -> None:
    keys = [(id_key(b.id), b) for b in blocks if isinstance(b, Heading) and id_key(b.id)]
    for (k1, b1), (k2, b2) in zip(keys, keys[1:]):
        if k2 < k1:
            raise _conflict(owner[b2.id][0], b2.line, f"excerpts interleave: {b2.id!r} comes "
                            f"after {b1.id!r}; each excerpt must be a continuous stretch")


def _conflict(excerpt: Report, line: int, message: str) -> DuizhaoError:
    return DuizhaoError(Diagnostic(excerpt.path, line, message))
