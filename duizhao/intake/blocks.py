"""Aligned drafts → the model's blocks: headings with ids from their numbers, pairs with
their run-in headings, English with its note references; and the checks that need the
whole excerpt (numbering that repeats or goes backwards)."""

from __future__ import annotations

from ..content.headings import HeadingIds, id_key
from ..content.inline import escape_inline
from ..content.model import Heading, Pair, Para, Report, number_pairs
from ..errors import Problems, fail
from .leads import split_leads
from .notes import english
from .pairing import Draft


def to_blocks(drafts: list[Draft], labels: dict[str, str], problems: Problems) -> list[Heading | Pair]:
    ids = HeadingIds()
    seen: dict[str, tuple[str, int]] = {}
    last: tuple[tuple[int, int, int], str, int] | None = None
    blocks: list[Heading | Pair] = []
    for draft in drafts:
        if not draft.heading:
            blocks.append(_pair_block(draft, labels, problems))
            continue
        hid = ids.next_id(draft.heading.level, draft.heading.number)
        if hid in seen:
            raise fail(draft.path, draft.line, f"heading id {hid!r} again (first at line "
                                               f"{seen[hid][1]}): the numbering repeats")
        seen[hid] = (draft.path, draft.line)
        key = id_key(hid)
        if key and last and key < last[0]:
            problems.warn(draft.path, draft.line, f"heading {hid!r} comes after {last[1]!r} "
                          f"(line {last[2]}): the numbering goes backwards here; kept in the "
                          "order given")
        last = (key, hid, draft.line) if key else last
        first_en = draft.en[0] if draft.en else None
        en = english(first_en.text, labels, first_en.path, first_en.line, problems,
                     block_start=False) if first_en else None
        blocks.append(Heading(draft.heading.level, hid,
                              escape_inline(draft.zh[0].text, block_start=False),
                              en, draft.line, first_en.line if first_en else 0))
    number_pairs(blocks)
    return blocks


def _pair_block(draft: Draft, labels: dict[str, str], problems: Problems) -> Pair:
    zh_texts = [u.text for u in draft.zh]
    en_texts = [u.text for u in draft.en]
    leads = ("", "")
    if zh_texts and en_texts:
        (lead_zh, zh_texts[0]), (lead_en, en_texts[0]) = split_leads(zh_texts[0], en_texts[0])
        leads = (lead_zh, lead_en)
    zh = tuple(Para(escape_inline(t), escape_inline(leads[0]) if k == 0 else "")
               for k, t in enumerate(zh_texts))
    en = tuple(Para(english(t, labels, u.path, u.line, problems),
                    english(leads[1], labels, u.path, u.line, problems) if k == 0 else "")
               for k, (t, u) in enumerate(zip(en_texts, draft.en)))
    return Pair("", zh, en, draft.zh[0].line if draft.zh else 0, draft.en[0].line if draft.en else 0)


def covers(report: Report) -> tuple[str, ...]:
    """The headings an excerpt covers, as a reader names them: every section and item,
    and a part whose text stands directly under its heading (a national report's part I
    often has no sections: it was left out when a later part had some)."""
    if not any(h.level >= 2 for h in report.headings):
        return tuple(h.id for h in report.headings)
    out: list[str] = []
    part: Heading | None = None  # a part heading with no text under it yet
    for block in report.blocks:
        if isinstance(block, Heading):
            if block.level >= 2:
                out.append(block.id)
            part = block if block.level == 1 else None
        elif part is not None:
            out.append(part.id)
            part = None
    return tuple(out)
