"""The importer on copies it has never seen: each test rewrites the real seeds the way
re-posts differ (punctuation widths, line endings, furniture, wrapping, note styles)
and requires the same report as the clean seeds give."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from typing import Callable

import pytest

from helpers import RAW, SEEDS_2023, SEEDS_2024, SEEDS_2025
from duizhao.errors import Problems
from duizhao.intake.merge import merge_all
from duizhao.content.model import Heading
from duizhao.text.chars import is_mostly_chinese
from duizhao.intake.plaintext import parse_plaintext

SEEDS = SEEDS_2023 + SEEDS_2024 + SEEDS_2025
FULL = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "!": "！", "?": "？"})


def import_texts(texts: dict[str, str]) -> tuple[list, list[str]]:
    problems = Problems()
    excerpts = [parse_plaintext(text, name, problems) for name, text in texts.items()]
    return merge_all(excerpts, problems), [str(w) for w in problems.warnings]


def shape(reports: list) -> list:
    """What must not change: ids, levels, pair count, notes, the whole header, and the text with
    widths and spaces folded (NFKC) so that only punctuation width may differ."""
    def norm(text: str | None) -> str:
        text = re.sub(r"\\(.)", r"\1", text or "")
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))

    out = []
    for r in reports:
        blocks = [(b.id, b.level, norm(b.zh), norm(b.en)) if isinstance(b, Heading) else
                  (b.id, tuple(norm(p.lead + p.text) for p in b.zh + b.en)) for b in r.blocks]
        out.append((r.id, r.date, r.title, r.delivered, r.speaker, r.role, r.session, blocks,
                    [(n.label, norm(n.text)) for n in r.notes]))
    return out


def seeds(transform: Callable[[str, str], str]) -> dict[str, str]:
    return {name: transform(name, (RAW / name).read_text("utf-8")) for name in SEEDS}


BASELINE, BASE_WARNINGS = import_texts(seeds(lambda name, text: text))


def chinese_lines(fn: Callable[[str], str]) -> Callable[[str, str], str]:
    return lambda name, text: "\n".join(fn(l) if is_mostly_chinese(l) else l for l in text.split("\n"))


def hard_wrap(name: str, text: str) -> str:
    return "\n".join("\n".join(textwrap.wrap(l, 78)) if len(l) > 100 and not is_mostly_chinese(l)
                     and not l.startswith("[") else l for l in text.split("\n"))


def marked_refs(name: str, text: str) -> str:
    sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    text = re.sub(r"(Jingtong|Jingban|program|children)(\d+)", r"\1[\2]", text)
    return re.sub(r"(aspects|areas|old)(\d+)", lambda m: m.group(1) + m.group(2).translate(sup), text)


def furniture(name: str, text: str) -> str:
    top = "首页 > 政务公开\n分享到：\n发布时间：2025年02月28日 来源：首都之窗\n【字号：大 中 小】\n"
    end = "\n【打印】【关闭】\n[责任编辑：张三]\nPrint | Close\n扫一扫在手机打开当前页\n"
    return top + text.replace("注释:", "注释：") + end


def two_line_speakers(name: str, text: str) -> str:
    text = re.sub(r"(北京市(?:代)?市长)\s+殷\s+勇", r"\1\n殷勇", text)
    return re.sub(r"Yin Yong, ((?:Acting )?Mayor of Beijing)", r"Yin Yong\n\1", text)


VARIANTS = {
    "full-width punctuation in Chinese": chinese_lines(lambda l: l.translate(FULL)),
    "CRLF, BOM, indentation, U+3000 blank lines": lambda n, t: "\ufeff" + "\r\n\u3000\r\n".join(
        "\u3000\u3000" + l + "  " for l in t.split("\n")),
    "CR line endings, no blank lines": lambda n, t: "\r".join(l for l in t.split("\n") if l.strip()),
    "web furniture above, inside and after": furniture,
    "speaker over two lines in both languages": two_line_speakers,
    "hard-wrapped English": hard_wrap,
    "note references as [n] and superscripts": marked_refs,
    "notes marker spaced and bracketed": lambda n, t: t.replace("注释:", "【注 释】"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variant_gives_the_same_report(variant: str) -> None:
    reports, warnings = import_texts(seeds(VARIANTS[variant]))
    assert shape(reports) == shape(BASELINE)
    assert warnings == BASE_WARNINGS == []


def test_national_report_style_sections_ending_in_a_full_stop() -> None:
    text = ("政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理\n李强\n"
            "REPORT ON THE WORK OF THE GOVERNMENT\nDelivered at the Second Session of the 14th "
            "National People's Congress of the People's Republic of China\non March 5, 2024\n"
            "Li Qiang\nPremier of the State Council\n"
            "二、2024年政府工作任务\nII. Government Work Tasks for 2024\n"
            "（一）大力推进现代化产业体系建设，加快发展新质生产力。\n"
            "1. Striving to modernize the industrial system and developing new quality productive forces at a faster pace\n"
            "充分发挥创新主导作用，以科技创新推动产业创新，加快推进新型工业化，提高全要素生产率。\n"
            "We should give full play to the leading role of innovation, promote industrial "
            "innovation through sci-tech innovation, and move faster to pursue new industrialization.\n"
            "（二）深入推进科教兴国战略，强化高质量发展的基础支撑。\n"
            "2. Invigorating China through science and education and consolidating the foundations for high-quality development\n")
    [report], warnings = import_texts({"national.txt": text})
    assert [h.id for h in report.headings] == ["p2", "p2-s1", "p2-s2"]
    assert (report.speaker.zh, report.role.zh) == ("李强", "国务院总理")
    assert (report.speaker.en, report.role.en) == ("Li Qiang", "Premier of the State Council")
    assert report.session.en == ("Second Session of the 14th National People's Congress of "
                                 "the People's Republic of China")
    assert len(report.pairs) == 1 and warnings == []


def test_numbered_sentence_without_a_matching_english_number_is_prose() -> None:
    text = ((RAW / SEEDS_2024[0]).read_text("utf-8").split("紧扣")[0]
            + "（三）加强监督，确保各项任务落到实处，切实把工作做好做实。\n"
            "We will strengthen oversight to ensure that every task is carried out and done well.\n")
    [report], _ = import_texts({"x.txt": text})
    assert report.pairs[-1].zh[0].text.startswith("（三）加强监督")
