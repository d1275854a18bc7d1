"""The plain-text importer, one convention at a time, on small inputs made here."""

from __future__ import annotations

import pytest

from helpers import HEADER
from duizhao.errors import DuizhaoError, Problems
from duizhao.content.model import Heading
from duizhao.content.headings import classify_zh, en_number
from duizhao.text.numerals import zh_numeral
from duizhao.intake.plaintext import parse_plaintext

ZH1 = "促进高质量充分就业。落实积极就业政策,全力稳定和扩大就业,实现城镇新增就业不少于26万人,让更多劳动者技有所施、才有所用、劳有所得。"
EN1 = ("Promote high-quality and full employment. We will implement proactive employment "
       "policies, stabilize and expand employment, and create no fewer than 260,000 urban "
       "jobs, so that more people make use of their skills and abilities, and receive "
       "fair compensation for their work.")
ZH2 = "健全养老服务体系,发展银发经济,推广布局街道乡镇区域养老服务中心,优化调整社区养老服务驿站功能,建立健全全面覆盖的居家养老服务网络。"
EN2 = ("We will improve the eldercare service system, expand the silver economy, establish "
       "more eldercare service centers in sub-districts and townships, and put in place a "
       "comprehensive home-based eldercare service network.")


def parse(body: str, header: str = HEADER) -> tuple:
    problems = Problems()
    report = parse_plaintext(header + body, "in.txt", problems)
    return report, [str(w) for w in problems.warnings]


def texts(report) -> list[str]:
    out = []
    for block in report.blocks:
        if isinstance(block, Heading):
            out += [block.zh, block.en]
        else:
            out += [p.lead + "|" + p.text for p in block.zh + block.en]
    return out


def test_header_in_both_languages() -> None:
    report, warnings = parse(f"{ZH1}\n{EN1}\n")
    assert (report.id, report.series, report.year, report.date) == ("beijing/2024", "beijing", 2024, "2024-01-21")
    assert report.title.zh == "政府工作报告"
    assert report.title.en == "REPORT ON THE WORK OF THE GOVERNMENT"
    assert report.session.zh == "北京市第十六届人民代表大会第二次会议"
    assert report.session.en == "Second Session of the Sixteenth Beijing Municipal People's Congress"
    assert (report.speaker.zh, report.role.zh) == ("殷勇", "北京市市长")
    assert (report.speaker.en, report.role.en) == ("Yin Yong", "Mayor of Beijing")
    assert warnings == []


def test_national_report_header() -> None:
    header = ("政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理 李强\n"
              "REPORT ON THE WORK OF THE GOVERNMENT\nDelivered at the Second Session of the "
              "14th National People's Congress of the People's Republic of China on March 5, 2024\n"
              "Li Qiang, Premier of the State Council\n")
    report, _ = parse(f"{ZH1}\n{EN1}\n", header)
    assert report.date == "2024-03-05"
    assert report.session.zh == "第十四届全国人民代表大会第二次会议"
    assert report.session.en.startswith("Second Session of the 14th National People's Congress")
    assert (report.speaker.zh, report.role.en) == ("李强", "Premier of the State Council")


def test_no_header_is_an_error() -> None:
    with pytest.raises(DuizhaoError, match=r"^in.txt:1: no report header found"):
        parse_plaintext(f"{ZH1}\n{EN1}\n", "in.txt", Problems())


def test_noise_dropped_and_kept_as_metadata() -> None:
    chrome = "我在听,请说话(10s)\n权威发布 | 北京市政府工作报告全文\n日期:2024-02-01\n来源:英文:市外办\n字号:\n"
    report, warnings = parse(f"{ZH1}\n打印\n{EN1}\n来源:北京外事港澳\n", chrome + HEADER)
    assert texts(report) == ["促进高质量充分就业。|" + ZH1[10:], "Promote high-quality and full employment.|" + EN1[42:]]
    source = report.sources[0]
    assert (source.published, source.source, source.translation) == ("2024-02-01", "北京外事港澳", "市外办")
    assert warnings == []


def test_pairs_with_or_without_blank_lines_crlf_and_fullwidth_spaces() -> None:
    compact, _ = parse(f"{ZH1}\n{EN1}\n{ZH2}\n{EN2}\n")
    spaced, _ = parse(f"\n\n{ZH1}\n\n\n{EN1}\n\n{ZH2}\n\n{EN2}\n\n")
    crlf, _ = parse(f"\u3000\u3000{ZH1}\r\n{EN1}  \r\n\u3000\u3000{ZH2}\r\n{EN2}\r\n".replace("\n", "\n"),
                    HEADER.replace("\n", "\r\n"))
    assert len(compact.pairs) == 2
    assert compact.blocks == spaced.blocks == crlf.blocks


def test_headings_three_levels_and_ids() -> None:
    body = ("二、2024年重点任务\nII Major Tasks for 2024\n"
            "(十)更加注重保障和改善民生\nTenth, we will prioritize wellbeing.\n"
            "三是坚持以科技创新引领新质生产力发展。\n3. We leveraged technological innovation.\n"
            f"{ZH1}\n{EN1}\n"
            "(十一)更好统筹发展和安全\n11. Ensuring both development and security\n"
            f"{ZH2}\n{EN2}\n")
    report, warnings = parse(body)
    assert [(h.level, h.id) for h in report.headings] == [
        (1, "p2"), (2, "p2-s10"), (3, "p2-s10-i3"), (2, "p2-s11")]
    assert [p.id for p in report.pairs] == ["p2-s10-i3-1", "p2-s11-1"]
    assert warnings == []


def test_item_marker_in_prose_is_not_a_heading() -> None:
    zh = "一是稳定经济增长,二是扩大内需,三是防范风险,确保各项任务落到实处。"
    report, _ = parse(f"{zh}\nFirst, we stabilized growth; second, we expanded demand; third, we forestalled risks.\n")
    assert report.headings == [] and len(report.pairs) == 1


def test_one_chinese_paragraph_two_english() -> None:
    zh = "各位代表!万里征程再启航,千钧重任又出发。让我们更加紧密地团结在一起,为建设中国式现代化而努力奋斗!"
    en2 = "As we embark on our great new journey, let us unite closely and strive for modernization."
    report, warnings = parse(f"{zh}\nFellow Deputies,\n{en2}\n")
    pair = report.pairs[0]
    assert [p.text for p in pair.en] == ["Fellow Deputies,", en2]
    assert warnings == []


def test_glued_footnote_numbers() -> None:
    en = ("We will upgrade Jingtong15 and Line 17 of the subway, cut PM2.5 and CO2 by "
          "1,000 tons, and advance the 100+1,000 village program9 and the “details”12.")
    zh = "升级京通,推进地铁17号线建设,降低细颗粒物和二氧化碳排放1000吨,推进百千工程和“两个关键小细节”等各项工作。"
    notes = "注释:\n[15]Jingtong is a platform.\n[9]A program.\n[12]Two details.\n"
    report, warnings = parse(f"{zh}\n{en}\n{notes}")
    text = report.pairs[0].en[0].text
    assert "Jingtong[^15]" in text and "Line 17 " in text and "PM2.5" in text and "CO2" in text
    assert "program[^9]" in text and "“details”[^12]" in text and "1,000 tons" in text
    assert [n.label for n in report.notes] == ["9", "12", "15"]
    assert warnings == []


@pytest.mark.parametrize("mark", ["注释:", "註釋:", "注釋：", "【註 解】", "Notes:"])
def test_the_notes_heading_in_either_script(mark: str) -> None:
    """A Traditional report's 註釋 starts its notes like 注释 (it was kept as a paragraph
    and its notes, written (1) …, read as body text)."""
    zh = "升级京通。"
    en = "We will upgrade Jingtong1."
    report, warnings = parse(f"{zh}\n{en}\n{mark}\n(1) Jingtong is a platform.\n")
    assert [n.label for n in report.notes] == ["1"] and len(report.pairs) == 1
    assert "Jingtong[^1]" in report.pairs[0].en[0].text and warnings == []


def test_a_marked_reference_to_a_missing_note_is_warned_and_kept() -> None:
    """`brain[20]` or `brain²⁰` with no note [20]: kept as text, like a glued `Platform19`,
    and said (it was kept silently); `(20)` and `⑳` are left alone (lists number so)."""
    zh = "升级京通,建设城市大脑。"
    en = "We will upgrade Jingtong[15], the city brain[20] and the hub²¹ (20) ⑳ on 2 km² (3 m³)."
    report, warnings = parse(f"{zh}\n{en}\n注释:\n[15]Jingtong is a platform.\n")
    text = report.pairs[0].en[0].text
    assert "Jingtong[^15]" in text and "brain\\[20\\]" in text and "hub²¹" in text and "km² (3 m³)" in text
    assert [w.split(": warning: ")[1] for w in warnings] == [
        "²¹: looks like a reference to note [21], which is not defined; kept as text",
        "[20]: looks like a reference to note [20], which is not defined; kept as text"]


def test_a_unit_squared_is_no_note_reference() -> None:
    """`m2`, `km2` (a copy that lost the superscript) and `m²` stay text even when a note
    [2] exists; a word glued to 2 is still a reference."""
    zh = "新增绿地20万平方米,覆盖16410平方公里,升级平台。"
    en = "We added 200,000 m2 of green space across 16,410 km2 (3 m² each, 3,000m2, 500km2), and the platform2."
    report, warnings = parse(f"{zh}\n{en}\n注释:\n[2]A platform.\n")
    text = report.pairs[0].en[0].text
    assert "200,000 m2 of" in text and "16,410 km2 (3 m² each, 3,000m2, 500km2)" in text and "platform[^2]" in text
    assert warnings == []


def test_reference_inside_a_heading() -> None:
    body = ("(十)紧扣“七有”要求和“五性”需求\nTenth, we will improve wellbeing in seven aspects16 "
            "and five areas17.\n注释:\n[16]Seven aspects.\n[17]Five areas.\n")
    report, warnings = parse(body)
    assert report.headings[0].en == "Tenth, we will improve wellbeing in seven aspects[^16] and five areas[^17]."
    assert warnings == []


def test_undefined_glued_number_is_left_and_warned() -> None:
    report, warnings = parse(f"{ZH1}\n{EN1[:-1]} in five areas17.\n")
    assert "areas17." in report.pairs[0].en[0].text
    assert warnings == ["in.txt:10: warning: areas17: looks like a reference to note [17], "
                        "which is not defined; kept as text"]


def test_run_in_headings_need_both_languages() -> None:
    report, _ = parse(f"{ZH1}\n{EN1}\n{ZH2}\n{EN2}\n"
                      "强化作风建设。认真落实中央八项规定精神,持之以恒纠治“四风”,坚决整治形式主义、官僚主义。\n"
                      "Improve our work conduct.We will implement the eight-point decision, and "
                      "fight pointless formalities and bureaucratism.\n")
    first, second, third = report.pairs
    assert (first.zh[0].lead, first.en[0].lead) == ("促进高质量充分就业。", "Promote high-quality and full employment.")
    assert (second.zh[0].lead, second.en[0].lead) == ("", "")
    assert third.en[0].lead == "Improve our work conduct." and third.en[0].text.startswith("We will")


def test_warnings_for_what_can_still_be_built() -> None:
    body = ("(八)用绣花功夫治理城市\n"  # heading without translation
            f"{ZH1}\n{EN1}\n"
            f"{EN2}\n"  # an English paragraph that translates nothing here
            f"{ZH2}\n"  # unpaired trailing paragraph
            "注释:\n[3]Never cited.\n")
    report, warnings = parse(body)
    assert warnings == [
        "in.txt:9: warning: section heading has no English translation",
        "in.txt:12: warning: English paragraph has no Chinese paragraph; kept on its own, "
        "marked untranslated",
        "in.txt:13: warning: Chinese paragraph has no English translation (a caption, or text "
        "the translation left out?); kept, marked untranslated",
        "in.txt:15: warning: note [3] is defined but never cited",
    ]
    assert report.headings[0].en is None
    assert [(len(p.zh), len(p.en)) for p in report.pairs] == [(1, 1), (0, 1), (1, 0)]
    assert report.pairs[1].en[0].text == EN2 and report.pairs[2].zh[0].text == ZH2  # nothing dropped


def test_english_without_chinese_is_kept_and_warned() -> None:
    report, warnings = parse(f"{EN2}\n{ZH1}\n{EN1}\n")
    assert report.pairs[0].zh == () and report.pairs[0].en[0].text == EN2
    assert warnings == ["in.txt:9: warning: English paragraph has no Chinese paragraph; kept on "
                        "its own, marked untranslated"]


def test_a_numbered_heading_pairs_only_with_the_same_number() -> None:
    report, warnings = parse("(八)用绣花功夫治理城市\n9. Modernizing governance\n" f"{ZH1}\n{EN1}\n")
    assert report.headings[0].id == "s8" and report.headings[0].en is None
    assert report.pairs[0].en[0].text == "9\\. Modernizing governance"
    assert sorted(warnings) == [
        "in.txt:10: warning: English heading numbered 9 matches no Chinese heading of that "
        "number; kept on its own, marked untranslated",
        "in.txt:9: warning: section heading has no English translation"]


def test_repeated_numbering_is_an_error() -> None:
    body = "(八)甲\n8. A\n" f"{ZH1}\n{EN1}\n" "(八)乙\n8. B\n" f"{ZH2}\n{EN2}\n"
    with pytest.raises(DuizhaoError, match=r"in.txt:13: heading id 's8' again \(first at line 9\)"):
        parse(body)


def test_note_defined_twice_differently_is_an_error() -> None:
    with pytest.raises(DuizhaoError, match=r"in.txt:13: note \[1\] is defined twice, differently \(first at line 12\)"):
        parse(f"{ZH1}\n{EN1}\n注释:\n[1]One.\n[1]Another.\n")


def test_text_after_notes_is_an_error() -> None:
    with pytest.raises(DuizhaoError, match=r"in.txt:13: text after the notes"):
        parse(f"{ZH1}\n{EN1}\n注释:\n[1]One.\n{ZH2}\n")


@pytest.mark.parametrize("zh_title, en_title", [("附件：名词解释", "Appendix: Glossary"),
                                               ("附录一", "Annex 1"), ("附表", "Attachment"),
                                               ("附：名词解释", "Annexes")])
def test_an_appendix_after_the_notes_is_body_text_paired_like_the_rest(zh_title: str, en_title: str) -> None:
    """附件：名词解释 after 注释: was "text after the notes" (a hard error): a glossary
    appended to a report is common, and its text must be kept, in order, and paired."""
    report, _ = parse(f"{ZH1}\n{EN1}[1]\n注释:\n[1]One.\n{zh_title}\n{en_title}\n{ZH2}\n{EN2}\n")
    texts = [(p.zh[0].text, p.en[0].text) for p in report.pairs]
    assert texts[1:] == [(zh_title, en_title), (ZH2, EN2)]
    assert [n.label for n in report.notes] == ["1"]


def test_a_notes_sentence_that_begins_like_an_appendix_stays_the_notes() -> None:
    """Only a heading-like line (short, no full stop) is an appendix: a note's second
    paragraph that begins "Attachment to …" is the note's, as before."""
    more = "Attachment to one's neighborhood is also part of it."
    report, warnings = parse(f"{ZH1}\n{EN1}[1]\n注释:\n[1]One.\n{more}\n")
    assert len(report.pairs) == 1 and report.notes[0].text == f"One. {more}"
    assert any("kept as a continuation of note [1]" in w for w in warnings)


def test_markdown_characters_are_escaped() -> None:
    zh = "在文本中写<script>alert(1)</script>和&amp;以及*星号*和[1]以测试转义是否正确处理了这些字符。"
    en = "We write <script>alert(1)</script>, &amp; and *stars* and [1] to test escaping here."
    report, _ = parse(f"{zh}\n{en}\n")
    assert report.pairs[0].en[0].text == ("We write \\<script>alert(1)\\</script>, \\&amp; and "
                                          "\\*stars\\* and \\[1\\] to test escaping here.")


def test_huge_paragraph_is_bounded() -> None:
    zh = "推进城市更新行动," * 80_000 + "让城市更美好。"  # ≈ 2 MB of UTF-8
    en = "We will advance urban renewal, " * 70_000 + "making the city better."
    report, _ = parse(f"{zh}\n{en}\n")
    assert len(report.pairs) == 1 and len(report.pairs[0].en[0].text) == len(en)


def test_numerals() -> None:
    assert [zh_numeral(t) for t in ("一", "十", "十二", "二十", "九十九", "甲")] == [1, 10, 12, 20, 99, None]
    assert [en_number(t) for t in ("II Major", "8. Modernizing", "Twelfth, we", "(3) x", "We")] == [2, 8, 12, 3, None]
    assert classify_zh("二、2024年重点任务").level == 1
    assert classify_zh("二、推进工作。落实政策。") is None
    assert classify_zh("第二部分 2024年重点任务") == classify_zh("二、2024年重点任务")  # a part either way
    assert classify_zh("3.健全养老服务体系。") is None  # digits number lists in the text as often as items
