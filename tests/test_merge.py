"""Merging excerpts of one report: order, shared part headings, overlaps, conflicts."""

from __future__ import annotations

import pytest

from helpers import RAW, SEEDS_2025
from duizhao.errors import DuizhaoError, Problems
from duizhao.intake.merge import merge_all
from duizhao.intake.plaintext import parse_file_bytes


def excerpt(name: str, data: bytes | None = None):
    return parse_file_bytes(data if data is not None else (RAW / name).read_bytes(), name, Problems())


def test_excerpts_merge_in_the_reports_order_whatever_the_input_order() -> None:
    for order in (SEEDS_2025, SEEDS_2025[::-1], [SEEDS_2025[2], SEEDS_2025[0], SEEDS_2025[1]]):
        [report] = merge_all([excerpt(n) for n in order], Problems())
        assert [s.file for s in report.sources] == SEEDS_2025
        assert [h.id for h in report.headings if h.level < 3] == ["p1", "p2", "p2-s2", "p2-s8", "p2-s9"]


def test_shared_part_heading_kept_once_and_notes_united() -> None:
    [report] = merge_all([excerpt(n) for n in SEEDS_2025], Problems())
    assert [h.id for h in report.headings].count("p2") == 1
    assert [n.label for n in report.notes] == ["9", "10", "11", "12", "15", "16", "17", "18"]


def test_reports_of_different_years_stay_apart() -> None:
    reports = merge_all([excerpt("002_a7281c5fc6d28daa.txt"), excerpt("001_cfa7fe55d91506c5.txt")], Problems())
    assert [r.id for r in reports] == ["beijing/2023", "beijing/2024"]


def test_overlapping_excerpts_are_refused() -> None:
    name = SEEDS_2025[1]
    copy = (RAW / name).read_bytes().replace(b"\n", b"\r\n")
    with pytest.raises(DuizhaoError) as caught:
        merge_all([excerpt(name), excerpt("copy.txt", copy)], Problems())
    message = str(caught.value)
    assert message.startswith("copy.txt:11: overlaps ")
    assert "both contain 'p2-s2'" in message


def test_conflicting_note_is_refused() -> None:
    data = (RAW / SEEDS_2025[2]).read_bytes().replace(b"[15]Jingtong is", b"[9]Jingtong is")
    with pytest.raises(DuizhaoError, match=r"note \[9\] is defined differently"):
        merge_all([excerpt(SEEDS_2025[0]), excerpt("other.txt", data)], Problems())


def test_paragraphs_under_a_shared_part_heading_stay_under_it() -> None:
    header = ("政府工作报告\n——2024年1月21日在北京市第十六届人民代表大会第二次会议上\n北京市市长 殷勇\n"
              "REPORT ON THE WORK OF THE GOVERNMENT\nDelivered at the Second Session on January 21, 2024\n"
              "Yin Yong, Mayor of Beijing\n二、重点任务\nII Major Tasks\n")
    a = header + ("(八)治理城市\n8. Governance\n加强城市精细化管理,深入推进生活垃圾分类,提升居民准确分类投放水平。\n"
                  "We will advance precision governance and move forward waste sorting.\n")
    b = header + ("做好今年工作,要坚持稳中求进,统筹发展和安全,推动经济实现质的有效提升。\n"
                  "To do our work well this year, we will pursue progress while ensuring stability.\n"
                  "(九)绿色发展\n9. Green development\n有序推进碳达峰碳中和,进一步优化能源结构,提高可再生能源比例。\n"
                  "We will make steady progress toward carbon peaking and improve the energy mix.\n")
    [report] = merge_all([excerpt("a.txt", a.encode()), excerpt("b.txt", b.encode())], Problems())
    assert [blk.id for blk in report.blocks] == ["p2", "p2-1", "p2-s8", "p2-s8-1", "p2-s9", "p2-s9-1"]


def _cut(first: int, last: int) -> bytes:
    """Seed 003's title block and part heading (its first 10 lines), then its lines
    first…last (1-based)."""
    lines = (RAW / SEEDS_2025[0]).read_text("utf-8").split("\n")
    return "\n".join(lines[:10] + lines[first - 1:last] + [""]).encode()


def test_an_excerpt_repeating_paragraphs_without_their_heading_is_refused() -> None:
    """Its pairs were numbered under the part (no item heading), so no id was shared and
    the three paragraphs stood twice, unsaid."""
    whole, tail = excerpt("a.txt", _cut(11, 20)), excerpt("b.txt", _cut(15, 20))  # item 3; its last pairs
    with pytest.raises(DuizhaoError) as caught:
        merge_all([whole, tail], Problems())
    message = str(caught.value)
    assert "an excerpt may not repeat another's text" in message and "both contain the paragraph" in message


def test_an_excerpt_continuing_a_section_without_its_heading_is_warned() -> None:
    """Item 4's paragraphs without item 4's heading were placed at the start of Part I,
    before item 3, silently."""
    problems = Problems()
    [report] = merge_all([excerpt("a.txt", _cut(11, 20)), excerpt("b.txt", _cut(23, 30))], problems)
    [warning] = problems.warnings
    assert warning.file == "b.txt" and warning.line == 11
    assert "opens with paragraphs under no section heading" in warning.message
    assert len(report.pairs) == 8  # kept, every one
