"""Decoding as the published copies arrive, and refusing what is not UTF-8 text."""

from __future__ import annotations

import codecs

import pytest

from duizhao.errors import DuizhaoError
from duizhao.text.chars import clean
from duizhao.text.files import decode, split_lines


def test_utf8_with_and_without_bom() -> None:
    assert decode("政府".encode("utf-8"), "f") == "政府"
    assert decode(codecs.BOM_UTF8 + "政府".encode("utf-8"), "f") == "政府"


def test_utf16_with_bom() -> None:
    assert decode("政府\nReport".encode("utf-16"), "f") == "政府\nReport"


def test_gbk_is_refused_with_advice() -> None:
    data = "第一行\n政府工作报告".encode("gbk")
    with pytest.raises(DuizhaoError) as caught:
        decode(data, "report.txt")
    message = str(caught.value)
    assert message.startswith("report.txt:1: not UTF-8")
    assert "GBK/GB18030" in message and "iconv" in message


def test_binary_is_refused() -> None:
    with pytest.raises(DuizhaoError, match=r"^img.png:1: not a UTF-8 text file"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "img.png")
    with pytest.raises(DuizhaoError, match=r"^z.bin:2: binary data"):
        decode(b"text\n\x00\x01\x02", "z.bin")


def test_line_endings_and_spaces() -> None:
    assert split_lines("a\r\nb\rc\nd\u2028e") == ["a", "b", "c", "d\u2028e"]
    assert clean("\u3000\u3000扎实推进\u00a0治理\u200b ") == "扎实推进 治理"
    assert clean("\u3000 \t") == ""


def test_broken_utf16_is_refused() -> None:
    with pytest.raises(DuizhaoError, match=r"^f.txt: broken UTF-16 text"):
        decode(codecs.BOM_UTF16_LE + "政府".encode("utf-16-le") + b"\x00", "f.txt")


def test_windows_1252_is_refused_with_advice() -> None:
    """An English translation saved by a Western editor (curly quotes, dashes): it was
    called binary input. Bilingual GBK, much of it ASCII, is still called GBK."""
    text = "We will \u2019strive\u2019 \u2014 and succeed. " * 40
    with pytest.raises(DuizhaoError) as caught:
        decode(text.encode("cp1252"), "en.txt")
    assert "looks like Windows-1252" in str(caught.value) and "iconv -f WINDOWS-1252 -t UTF-8" in str(caught.value)
    with pytest.raises(DuizhaoError) as caught:
        decode(("北京 Beijing 2025 report " * 40).encode("gbk"), "zh.txt")
    assert "looks like GBK/GB18030" in str(caught.value)


@pytest.mark.parametrize("text, chinese", [
    ("推进5G-A、IPv6+、AI+、RCEP、DEPA、CPTPP等规则对接。", True),  # acronyms, but Chinese punctuation
    ("实施CPTPP", False),  # too few Han characters without it: a Latin name with a Han gloss
    ("We will align with rules such as RCEP, DEPA and CPTPP (全面与进步跨太平洋伙伴关系协定).", False),
    ("We will upgrade 京通, the city's service platform.", False),  # an English comma
    ("Jingtong (京通)，Jingban (京办) and Jingzhi (京智) were upgraded.", False),  # a stray full-width one
    ("the “Two Sessions” (两会)。", False),
    ("Hukou (户口)、 residence permits", False),
    ("Jingtong (京通，北京市统一公共服务平台) and Jingban (京办，政务办公平台) will cover all districts.", False),
    ("(图为城市副中心运河商务区)", True),  # all in parentheses: what they hold decides
    ("扎实推进“百千工程”(以下简称百千工程),建设美丽乡村。", True),
    ("PPI（工业生产者出厂价格指数）", True), ("[1] PMI（采购经理指数）", True),  # an acronym and its expansion
    ("加入CPTPP（全面与进步跨太平洋伙伴关系协定）和DEPA（数字经济伙伴关系协定）", True),
    ('build on the successes of the "一网通办、一网统管、一网慧治" integrated networks.', False),
    ("the “三城一区”、“两区” strategy of Beijing-Tianjin-Hebei (京津冀) coordination.", False),
    ("发展AIGC、AGI、LLM、RISC-V、EDA、GPU、HBM、CXL。", True),
    ("对接CPTPP、DEPA、FTA规则;", True),
    ("We will advance the three networks (一网通办，一网统管，一网慧治).", False),
    ("Jingtong (京通，一网通办) and Jingban (京办，一网统管) will cover all districts.", False),
    ("深化健康北京建设。", True),
])
def test_chinese_punctuation_makes_an_acronym_heavy_line_chinese(text: str, chinese: bool) -> None:
    from duizhao.text.chars import is_mostly_chinese
    assert is_mostly_chinese(text) is chinese
