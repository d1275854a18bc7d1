"""Page furniture: what is noise, what metadata it carries, and what is never noise."""

from __future__ import annotations

import pytest

from helpers import HEADER
from duizhao.errors import Problems
from duizhao.intake.noise import Noise, classify
from duizhao.intake.plaintext import parse_plaintext


@pytest.mark.parametrize("line, expected", [
    ("日期:2025-02-28", [Noise("published", "2025-02-28")]),
    ("日期：2025年2月28日", [Noise("published", "2025-02-28")]),
    ("来源:英文:市外办", [Noise("source", ""), Noise("translation", "市外办")]),
    ("来源：北京外事港澳", [Noise("source", "北京外事港澳")]),
    ("发布时间:2025-01-20 10:00 来源:首都之窗", [Noise("published", "2025-01-20"), Noise("source", "首都之窗")]),
    ("[责任编辑:李四]", [Noise("", "李四")]),
    ("Updated: 2025-02-28", [Noise("published", "2025-02-28")]),
    ("2023-01-29 16:08", [Noise("published", "2023-01-29")]),
    ("字号:", [Noise("", "")]),
    ("【打印】【关闭】", []),
    ("Print | Close", []),
    ("扫一扫在手机打开当前页", []),
])
def test_noise(line: str, expected: list[Noise]) -> None:
    assert classify(line) == expected


@pytest.mark.parametrize("line", [
    "中华人民共和国", "大", "时间就是生命,效率就是金钱,我们要抓住时间推进各项工作落实到位,务求实效。",
    "Source of growth: we will expand domestic demand and boost consumption across the city.",
    "二、2024年重点任务",
])
def test_not_noise(line: str) -> None:
    assert classify(line) is None


def test_spaced_header_date_and_single_dash() -> None:
    header = HEADER.replace("——2024年1月21日", "— 2024 年 1 月 21 日")
    report = parse_plaintext(header + "一段中文内容,用于测试。\nSome English text for the test.\n", "h.txt", Problems())
    assert report.date == "2024-01-21"


@pytest.mark.parametrize("line", ["版权所有:北京市人民政府 京ICP备05060933号", "京ICP备05060933号-1",
                                  "京公网安备11010502035591号", "Copyright © Beijing Municipal Government. All rights reserved.",
                                  "© 2025 The People's Government of Beijing Municipality", "阅读次数:1234",
                                  "主办:北京市人民政府办公厅", "All Rights Reserved", "Copyright 2025 Beijing",
                                  "(c) 2025 首都之窗", "版权所有©北京市人民政府", "京ICP证 030184号",
                                  "版权所有 北京市人民政府办公厅", "版权所有，翻印必究", "Copyright: The State Council",
                                  "(c) Beijing 2025"])
def test_a_sites_footer_is_noise(line: str) -> None:
    """Copyright and registration lines leaked in as pairs (with a false 'figures differ')
    or were appended to the last note."""
    assert classify(line) is not None


@pytest.mark.parametrize("line", ["We will protect copyright and intellectual property rights.",
                                  "加强知识产权保护,维护著作权人的版权。", "ICP licences were granted to 12 firms.",
                                  "简化网站ICP备案和公网安备办理流程。", "加强知识产权保护,完善版权登记和ICP备案管理。",
                                  "Copyright protection will be strengthened, along with ICP filing.",
                                  "(c) Improve swift response to complaints.", "版权所有权的保护进一步加强。"])
def test_text_about_copyright_is_not_noise(line: str) -> None:
    assert classify(line) is None



@pytest.mark.parametrize("line", ["— 4 —", "- 12 -", "第4页", "第 4 页 共 20 页", "Page 4 of 20", "4/20"])
def test_a_printed_pages_number_is_noise(line: str) -> None:
    """A copy made from print or PDF: `— 4 —` was glued into an English sentence."""
    assert classify(line) == []


@pytest.mark.parametrize("line", ["8", "II", "2025", "——2025年1月14日在北京市第十六届"])
def test_a_bare_number_or_the_title_blocks_dash_line_is_not(line: str) -> None:
    assert classify(line) is None  # (a heading's number on a line of its own; the title block)


def test_running_heads_are_repeated_short_lines_without_punctuation() -> None:
    from duizhao.intake.noise import running_heads
    page = ["— 2 —", "", "北京市政府工作报告", ""]
    text = ["政 府 工 作 报 告", "Fellow Deputies,", "各位代表！", "x"] * 3 + page + ["y"] + page + ["总结"] * 2
    assert running_heads(text) == {"政 府 工 作 报 告", "x", "北京市政府工作报告"}
    # twice is enough beside a page number only (总结 twice elsewhere is text)


@pytest.mark.parametrize("line", [
    "上一页 1 2 3 下一页", "首页 上一页 下一页 尾页", "【我要纠错】", "扫一扫在手机上查看当前页面",
    "用微信扫描二维码分享", "扫码分享", "微信 微博 QQ", "网站地图 | 联系我们", "（完）", "【相关链接】",
    "相关阅读：", "附件：北京市政府工作报告.pdf", "下载：PDF版 Word版", "文字：张三 图片：李四",
    "当前位置：首页 > 政务公开 > 政府工作报告", "点击：1234", "本页面由北京市人民政府外事办公室维护",
    "(End)",
])
def test_more_page_furniture_is_noise(line: str) -> None:
    """Furniture found by a new user in re-posted copies: pagers, share and QR prompts,
    attachments, credits, breadcrumbs, the closing (完); each became an untranslated
    paragraph, or was merged into a real one."""
    assert classify(line) is not None


@pytest.mark.parametrize("line", [
    "完", "中", "扫黑除恶专项斗争取得成效。", "扫码支付全面普及", "微信公众号和微博账号累计发布信息1万条",
    "本市由政府主办的学校增加20所。", "图为城市副中心。", "下一步,我们将继续推进改革。",
    "附件：名词解释", "附件：2025年市政府重要民生实事项目", "图：2024年全市地区生产总值", "扫码一次，手机即可办理",
    "End",
])
def test_text_that_names_furniture_words_is_not_noise(line: str) -> None:
    assert classify(line) is None
