"""Every layout in which bilingual reports are published, made here from the seeds: each
must import to exactly the report its interleaved original gives (golden), with warnings
only where a line has no translation.

The seeds are cut into their parts here, independently of the importer: the lines above
and in the title block, the body (each Chinese line with the English lines after it),
and the notes after 注释."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import RAW, ROOT, SEEDS_2023, SEEDS_2024, SEEDS_2025
from test_variants import BASELINE, import_texts, shape
from duizhao.errors import Problems
from duizhao.intake.merge import merge_all
from duizhao.intake.plaintext import excerpt_of_lines, excerpt_of_text, parse_excerpt, parse_separate
from duizhao.intake.webpage import page_lines
from duizhao.content.headings import classify_zh
from duizhao.text.chars import is_mostly_chinese

SEEDS = SEEDS_2023 + SEEDS_2024 + SEEDS_2025


@dataclass
class Seed:
    chrome: list[str]  # above the title block
    zh_head: list[str]
    en_head: list[str]
    body: list[tuple[str, list[str]]]  # (Chinese line, its English lines)
    notes: list[str]  # the 注释 line and the definitions


def cut(text: str) -> Seed:
    lines = [l for l in text.split("\n") if l.strip()]
    dash = next(i for i, l in enumerate(lines) if l.startswith("——"))
    speaker = next(i for i, l in enumerate(lines) if l.startswith("Yin Yong"))
    notes = next((i for i, l in enumerate(lines) if l.startswith("注释")), len(lines))
    head = lines[dash - 1:speaker + 1]
    body: list[tuple[str, list[str]]] = []
    for line in lines[speaker + 1:notes]:
        if is_mostly_chinese(line):
            body.append((line, []))
        else:
            body[-1][1].append(line)
    return Seed(lines[:dash - 1], [l for l in head if is_mostly_chinese(l)],
                [l for l in head if not is_mostly_chinese(l)], body, lines[notes:])


def raw(name: str) -> str:
    return (RAW / name).read_text("utf-8")


def join(*parts: list[str]) -> str:
    return "\n".join(line for part in parts for line in part) + "\n"


def interleaved(seed: Seed) -> list[str]:
    return [line for zh, en in seed.body for line in [zh, *en]]


def in_blocks(size: int):
    """Chinese paragraphs in runs of `size`, each run followed by its English."""
    def transform(seed: Seed) -> str:
        out: list[str] = []
        for start in range(0, len(seed.body), size):
            run = seed.body[start:start + size]
            out += [zh for zh, _ in run] + [e for _, en in run for e in en]
        return join(seed.chrome, seed.zh_head, seed.en_head, out, seed.notes)
    return transform


def split_headings(seed: Seed) -> str:
    """English headings broken after their number: `II` / `Overall …`, `8.` / `…`."""
    def split(line: str) -> list[str]:
        found = re.match(r"^((?:[IVX]+)|\d{1,2}\.)\s+(\S.*)$", line)
        return [found.group(1), found.group(2)] if found and len(line) < 200 else [line]
    body = [line for zh, en in seed.body for line in [zh] + [p for e in en for p in split(e)]]
    return join(seed.chrome, seed.zh_head, seed.en_head, body, seed.notes)


def line_by_line_header(seed: Seed) -> str:
    """The title block given line by line: a Chinese line, then its English."""
    zh, en = seed.zh_head, seed.en_head
    head = [zh[0], en[0], zh[1], zh[2], en[1], en[2], zh[3], en[3]]
    return join(seed.chrome, head, interleaved(seed), seed.notes)


def english_header_first(seed: Seed) -> str:
    """The English title block before the Chinese one, below the page's chrome."""
    return join(seed.chrome, seed.en_head, seed.zh_head, interleaved(seed), seed.notes)


def line_by_line_header_english_first(seed: Seed) -> str:
    """The title block line by line, each English line before its Chinese."""
    zh, en = seed.zh_head, seed.en_head
    head = [en[0], zh[0], en[1], en[2], zh[1], zh[2], en[3], zh[3]]
    return join(seed.chrome, head, interleaved(seed), seed.notes)


def headings_and_paragraphs_apart(headings_zh_first: bool):
    """Headings one way round and paragraphs the other: every pair was one off."""
    def transform(seed: Seed) -> str:
        def heading(zh: str) -> bool:
            return classify_zh(zh) is not None and classify_zh(zh).level < 3
        body = [line for zh, en in seed.body for line in
                ([zh, *en] if heading(zh) == headings_zh_first else [*en, zh])]
        return join(seed.chrome, seed.zh_head, seed.en_head, body, seed.notes)
    return transform


LAYOUTS = {
    "headings Chinese first, paragraphs English first": headings_and_paragraphs_apart(True),
    "headings English first, paragraphs Chinese first": headings_and_paragraphs_apart(False),
    "English title block first": english_header_first,
    "title block line by line, English first": line_by_line_header_english_first,
    "Chinese blocks of two, then their English": in_blocks(2),
    "Chinese blocks of three, then their English": in_blocks(3),
    "English headings broken after the number": split_headings,
    "title block line by line": line_by_line_header,
    "blank line between every line": lambda s: join(s.chrome, s.zh_head, s.en_head,
                                                    interleaved(s), s.notes).replace("\n", "\n\n"),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_layout_gives_the_same_reports(layout: str) -> None:
    reports, warnings = import_texts({name: LAYOUTS[layout](cut(raw(name))) for name in SEEDS})
    assert shape(reports) == shape(BASELINE)
    assert warnings == []


def test_seeds_cut_back_together_are_the_seeds() -> None:
    """The cutting above loses nothing (else the layouts would test less than all)."""
    for name in SEEDS:
        seed = cut(raw(name))
        text = join(seed.chrome, seed.zh_head, seed.en_head, interleaved(seed), seed.notes)
        assert text.split() == raw(name).split()


@pytest.mark.parametrize("caption, before", [
    ("图为北京城市副中心运河商务区。", None),  # between the first paragraph pair and the next heading
    ("图为城市副中心。", "深化健康北京建设"),  # between two paragraph pairs: was merged into the next
    ("北京城市副中心夜景", "深化健康北京建设"),  # a caption without a full stop there
])
def test_untranslated_caption_and_trailing_paragraph_are_kept_and_named(caption: str, before: str | None) -> None:
    trailing = "以上为报告节选，全文见北京市人民政府网站。"
    seed = cut(raw(SEEDS_2024[0]))
    body = interleaved(seed)
    at = 3 if before is None else next(k for k, line in enumerate(body) if line.startswith(before))
    body.insert(at, caption)
    text = join(seed.chrome, seed.zh_head, seed.en_head, body + [trailing], seed.notes)
    [report], warnings = import_texts({"x.txt": text})
    pairs = [p for p in report.pairs if not p.en]
    assert [p.zh[0].text for p in pairs] == [caption, trailing]
    [baseline] = [r for r in BASELINE if r.year == 2024]
    translated = [p for p in report.pairs if p.en]
    assert [(p.zh, p.en) for p in translated] == [(p.zh, p.en) for p in baseline.pairs]
    line = text.split("\n").index(caption) + 1
    assert warnings == [f"x.txt:{line}: warning: Chinese paragraph has no English translation (a "
                        "caption, or text the translation left out?); kept, marked untranslated",
                        f"x.txt:{text.split(chr(10)).index(trailing) + 1}: warning: Chinese paragraph "
                        "has no English translation (a caption, or text the translation left out?); "
                        "kept, marked untranslated"]


def test_two_chinese_paragraphs_on_one_english_are_warned_with_both_lines() -> None:
    """A paragraph whose English is missing, just before another: the two Chinese go with
    the one English (a translation may merge two paragraphs), never silently."""
    seed = cut(raw(SEEDS_2023[0]))
    body = [line for line in interleaved(seed) if not line.startswith("Studying, advocating")]
    text = join(seed.chrome, seed.zh_head, seed.en_head, body, seed.notes)
    [report], warnings = import_texts({"x.txt": text})
    lines = text.split("\n")
    first = next(k for k, line in enumerate(lines) if line.startswith("学习宣传贯彻党的二十大精神是")) + 1
    merged = [w for w in warnings if "Chinese paragraphs" in w]
    assert merged == [f"x.txt:{first}: warning: 2 Chinese paragraphs (lines {first}, {first + 1}) paired "
                      f"with one English paragraph at line {first + 2}: merged by the translation, or is "
                      "one's English missing?"]
    [pair] = [p for p in report.pairs if len(p.zh) == 2]
    assert pair.en[0].lead == "Strengthen political commitment."


def test_a_run_in_heading_on_a_line_of_its_own_joins_its_paragraph_again() -> None:
    """`深化健康北京建设。` on one line, the rest of the paragraph on the next, the English
    unchanged: one pair, the heading run in again (it was left untranslated, or kept as
    two Chinese paragraphs)."""
    seed = cut(raw(SEEDS_2024[0]))
    body = []
    for line in interleaved(seed):
        if line.startswith("深化健康北京建设。"):
            body += ["深化健康北京建设。", line[len("深化健康北京建设。"):]]
        else:
            body.append(line)
    [report], warnings = import_texts({"x.txt": join(seed.chrome, seed.zh_head, seed.en_head, body, seed.notes)})
    [baseline] = [r for r in BASELINE if r.year == 2024]
    assert [(p.zh, p.en) for p in report.pairs] == [(p.zh, p.en) for p in baseline.pairs]
    assert warnings == []


@pytest.mark.parametrize("copies", [10, 20, 40])
def test_one_english_paragraph_repeated_far_more_often_than_the_chinese_imports(copies: int) -> None:
    """A Chinese paragraph and its English, then that English `copies` times more: the
    band of the paragraph aligner jumped past every cell that could reach the end
    (KeyError at 20). The translation is paired, each copy kept as untranslated."""
    seed = cut(raw(SEEDS_2025[1]))
    first = next(k for k, (line, _) in enumerate(seed.body) if "。" in line)  # after its headings
    heads = [line for zh_line, en_lines in seed.body[:first] for line in [zh_line, *en_lines]]
    zh, [en] = seed.body[first]
    text = join(seed.chrome, seed.zh_head, seed.en_head, heads + [zh, en] + [en] * copies)
    [report], warnings = import_texts({"x.txt": text})
    paired = [p for p in report.pairs if p.zh and p.en]  # (with which copy: they are all alike)
    assert [(p.zh[0].text, p.en[0].text) for p in paired] == [(zh, en)]
    assert sum(1 for p in report.pairs if p.en and not p.zh) == copies
    assert len(warnings) == copies and all("has no Chinese paragraph" in w for w in warnings)


def separate(seed: Seed, notes_in_english: bool = True) -> tuple[str, str]:
    """A Chinese document and its translation: the notes go with the English (they are
    written in English) under `Notes:`, or stay in the Chinese under 注释."""
    zh_body = [zh for zh, _ in seed.body]
    en_body = [e for _, en in seed.body for e in en]
    notes_en = ["Notes:"] + seed.notes[1:] if notes_in_english and seed.notes else []
    zh = join(seed.chrome, seed.zh_head, zh_body, [] if notes_in_english else seed.notes)
    return zh, join(seed.en_head, en_body, notes_en)


@pytest.mark.parametrize("notes_in_english", [True, False])
def test_separate_chinese_and_english_files_give_the_same_reports(notes_in_english: bool) -> None:
    problems = Problems()
    excerpts = []
    for name in SEEDS:
        zh, en = separate(cut(raw(name)), notes_in_english)
        excerpts.append(parse_separate(excerpt_of_text(zh, f"{name}.zh", problems),
                                       excerpt_of_text(en, f"{name}.en", problems), problems))
    assert shape(merge_all(excerpts, problems)) == shape(BASELINE)
    assert problems.warnings == []


@pytest.mark.parametrize("width,newline", [(70, "\n"), (70, "\r\n"), (40, "\n"), (None, "\n")])
def test_a_translation_wrapped_with_blank_lines_between_paragraphs_gives_the_same_reports(
        width: int | None, newline: str) -> None:
    """The English given apart, each paragraph hard-wrapped (or not) and the paragraphs
    set apart by blank lines: one paragraph per blank-line block, wrapped lines rejoined
    (a line ending a sentence too; `super-` + `large` keeps its hyphen) — it once became
    one paragraph of the whole translation, the Chinese all left untranslated."""
    import textwrap
    problems = Problems()
    excerpts = []
    for name in SEEDS:
        seed = cut(raw(name))
        zh, _ = separate(seed)
        body = [textwrap.fill(e, width) if width else e for _, en_lines in seed.body for e in en_lines]
        notes = ["Notes:"] + seed.notes[1:] if seed.notes else []  # (title block and notes: not wrapped)
        en = newline.join("\n\n".join(seed.en_head + body + notes).split("\n")) + newline
        excerpts.append(parse_separate(excerpt_of_text(zh, f"{name}.zh", problems),
                                       excerpt_of_text(en, f"{name}.en", problems), problems))
    assert shape(merge_all(excerpts, problems)) == shape(BASELINE)
    assert problems.warnings == []


def test_import_pairs_two_monolingual_files_by_name_and_says_how_otherwise(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in SEEDS:
        zh, en = separate(cut(raw(name)))
        (folder / f"{name[:3]}.zh.txt").write_text(zh, "utf-8")
        (folder / f"{name[:3]}.en.txt").write_text(en, "utf-8")
    content = tmp_path / "content"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", "--content", str(content),
                             *sorted(str(p) for p in folder.iterdir())], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for year in ("2023", "2024", "2025"):
        assert (content / "reports/beijing" / f"{year}.md").read_text("utf-8").split("---")[2] == \
            (ROOT / "content/reports/beijing" / f"{year}.md").read_text("utf-8").split("---")[2]
    lonely = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", "--content", str(content),
                             str(folder / "000.zh.txt"), str(folder / "002.en.txt"), str(folder / "001.zh.txt")],
                            capture_output=True, text=True)
    assert lonely.returncode == 2 and "Traceback" not in lonely.stderr
    assert "warning" not in lonely.stderr and "no report header" not in lonely.stderr  # the one error says it
    assert "001.zh.txt: holds only Chinese: import it with its English translation, e.g. " \
           "`import --zh ZH_FILE --en EN_FILE`" in lonely.stderr


def page(seed_text: str, charset: str = "utf-8", br: bool = False, font: bool = False) -> bytes:
    """A saved web page around a seed: head, menu, breadcrumb, share buttons, related
    articles and footer, the text in <p>s (or one <div> with <br>s); with `font`, the
    middle third of every line coloured by an inline <font> (as old government pages do)."""
    lines = [l for l in seed_text.split("\n") if l.strip()]
    plain = lambda s: s.replace("&", "&amp;").replace("<", "&lt;")  # noqa: E731
    third = lambda s: len(s) // 3  # noqa: E731
    escape = (lambda s: plain(s[:third(s)]) + '<font color="#ff0000">' + plain(s[third(s):2 * third(s)])
              + "</font>" + plain(s[2 * third(s):])) if font else plain
    article = ("<div class=\"TRS_Editor\">" + "<br>\n".join(escape(l) for l in lines) + "</div>") if br else \
        "\n".join(f"<p style=\"text-indent:2em\">{escape(l)}</p>" for l in lines)
    html = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>北京市政府工作报告</title>
<link rel="stylesheet" href="/css/site.css"><script>var _hmt = _hmt || [];</script>
<style>.x{{color:red}}</style></head>
<body><div class="top-nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/en">English</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政府工作报告</div>
<div class="main"><div class="article">
<h1 class="article-title">权威发布 | 北京市政府工作报告全文【中英文对照】</h1>
{article}
<div class="share-bar">分享到：微信 微博 QQ空间</div></div>
<div class="related"><h3>相关新闻</h3><ul><li><a href="/1">北京市召开新闻发布会介绍政府工作报告起草情况</a></li>
<li><a href="/2">图解：2025年北京市政府工作报告</a></li></ul></div></div>
<div class="footer">主办：北京市人民政府办公厅 版权所有 京ICP备05060933号</div>
<script src="/js/stat.js"></script></body></html>"""
    return html.encode("gb18030" if charset.startswith("gb") else charset)  # pages declaring
    # gb2312 are in practice GBK or wider (— is not in GB2312)


@pytest.mark.parametrize("charset,br,font", [("utf-8", False, False), ("gb2312", False, False),
                                              ("utf-8", True, False), ("utf-8", False, True)])
def test_saved_web_pages_give_the_same_reports(charset: str, br: bool, font: bool) -> None:
    problems = Problems()
    excerpts = [parse_excerpt(excerpt_of_lines(page_lines(page(raw(name), charset, br, font), f"{name}.html",
                                                          problems), f"{name}.html", problems), problems)
                for name in SEEDS]
    assert shape(merge_all(excerpts, problems)) == shape(BASELINE)
    expected = [f"decoded as GB18030 (the page declares {charset})"] * len(SEEDS) if charset != "utf-8" else []
    assert [d.message for d in problems.warnings] == expected
    dropped = " ".join(d.message for d in problems.items if d.severity == "info")
    assert "相关新闻" in dropped and "分享到" in dropped and "版权所有" in dropped


@pytest.mark.parametrize("labelled", [False, True])
def test_notes_in_an_ordered_list_are_numbered_as_the_page_shows_them(labelled: bool) -> None:
    """Word and CMS pages give the notes as <ol start="15"><li>…</li></ol> after a 注释
    heading: the numbers are the browser's, not the text's (they were refused as text
    after the notes); an item that numbers itself (`<li>[15]…`, a list styled without
    numbers) keeps its own."""
    problems = Problems()
    excerpts = []
    for name in SEEDS:
        seed = cut(raw(name))
        body = [l for l in raw(name).split("\n") if l.strip() and l not in seed.notes]
        label = re.compile(r"^\[(\d+)\]")
        notes = [l for l in seed.notes if label.match(l)]
        items = "".join("<li>" + (l if labelled else label.sub("", l)) + "</li>" for l in notes)
        tail = [l for l in seed.notes if l not in notes and l != "注释:"]
        listed = f'<h4>注释：</h4><ol start="{label.match(notes[0]).group(1)}">{items}</ol>' if notes else ""
        html = ("<html><body><div class=\"article\">" + "".join(f"<p>{l}</p>" for l in body) + listed
                + "".join(f"<p>{l}</p>" for l in tail) + "</div></body></html>").encode("utf-8")
        excerpts.append(parse_excerpt(excerpt_of_lines(page_lines(html, f"{name}.html", problems),
                                                       f"{name}.html", problems), problems))
    assert shape(merge_all(excerpts, problems)) == shape(BASELINE)


def test_a_pages_info_bar_outside_the_text_gives_its_date_and_source() -> None:
    """`日期：… 来源：…` above the article's text box: read as a .txt copy's header lines
    are (the date and source were lost with the page around the article)."""
    problems = Problems()
    name = SEEDS_2024[0]
    lines = "".join(f"<p>{line}</p>" for line in raw(name).split("\n") if line.strip())
    html = ("<html><body><div class=\"left\"><ul><li>时间：2019-03-01 <a href=\"/\">往年报告</a></li>"
            "<li>来源：人民网</li></ul></div><div class=\"article\"><h2>北京市政府工作报告全文</h2>"
            "<div class=\"article-info\"><span>日期：2024-01-28</span> <span>来源：首都之窗</span> "
            "<span>阅读次数：3821</span></div><div class=\"col\"><div class=\"item\"><div><a href=\"/a\">统计公报"
            "</a></div><div>2024-03-20</div><div>来源：北京市统计局</div></div><div class=\"item\"><div><a href="
            f"\"/b\">预算报告</a></div><div>2024-01-25</div><div>来源：新华社</div></div></div><div id=\"zoom\">{lines}</div>"
            "<div class=\"xgwz\"><span>来源：新华网</span></div></div></body></html>")  # sidebars, related boxes
    excerpt = excerpt_of_lines(page_lines(html.encode("utf-8"), "p.html", problems), "p.html", problems)
    [report] = merge_all([parse_excerpt(excerpt, problems)], problems)
    assert (report.sources[0].published, report.sources[0].source) == ("2024-01-28", "首都之窗")
    [baseline] = [r for r in BASELINE if r.year == 2024]
    assert [(p.zh, p.en) for p in report.pairs] == [(p.zh, p.en) for p in baseline.pairs]


def test_an_info_bar_in_the_row_above_the_article_beats_a_side_column() -> None:
    """A table layout: the info bar in the row above the article's cell, a column of
    related articles in the outer table: the closer block decides; equally close blocks
    that disagree decide nothing."""
    body = "".join(f"<p>{line}</p>" for line in raw(SEEDS_2024[0]).split("\n") if line.strip())
    html = ("<html><body><table><tr><td class=side><div>发布日期：2024-05-01</div><div>来源：新华社</div></td>"
            "<td><table><tr><td>日期：2025-02-28 来源：市外办</td></tr>"
            f"<tr><td><div id=art>{body}</div></td></tr></table></td></tr></table></body></html>")
    lines = page_lines(html.encode("utf-8"), "p.html", Problems())
    assert [t for _, t in lines if t.startswith(("日期", "来源"))] == ["日期:2025-02-28", "来源:市外办"]


@pytest.mark.parametrize("header", [
    '<div class="article-header"><h2>北京市政府工作报告全文</h2><div class="info"><span>日期：2024-01-28</span> '
    '<span>来源：首都之窗</span></div></div>',
    '<header><h2>报告全文</h2><p>发布时间：2024-01-28 来源：首都之窗</p></header>'])
def test_an_info_bar_inside_a_page_header_gives_its_date_and_source(header: str) -> None:
    """A header-classed box (or <header>) is page chrome and dropped; the info bar inside
    it went with it, and the report lost its date and source. A site's own header (its
    menu, today's date unlabelled) still gives nothing."""
    body = "".join(f"<p>{line}</p>" for line in raw(SEEDS_2024[0]).split("\n") if line.strip())
    html = (f'<html><body><div class="topnav header">网站首页 | 政务公开 | 2024年3月5日 星期二</div>'
            f'<div class="main">{header}<div id="zoom">{body}</div></div></body></html>')
    lines = page_lines(html.encode("utf-8"), "p.html", Problems())
    assert [t for _, t in lines if t.startswith(("日期", "来源"))] == ["日期:2024-01-28", "来源:首都之窗"]
    assert not [t for _, t in lines if "首页" in t or "星期" in t or "报告全文" in t]


def test_a_related_box_inside_the_article_gives_no_date_or_source() -> None:
    """Only a page header's info bar is kept when chrome is dropped: a related-articles
    box's dates and sources are other articles'."""
    body = "".join(f"<p>{line}</p>" for line in raw(SEEDS_2024[0]).split("\n") if line.strip())
    html = (f'<html><body><div class="main"><div class="info">日期：2024-01-28 来源：首都之窗</div>'
            f'<div id="zoom">{body}<div class="related"><div>日期：2023-01-05 来源：新华社</div>'
            '<div>日期：2022-06-01 来源：人民网</div></div></div></div></body></html>')
    lines = page_lines(html.encode("utf-8"), "p.html", Problems())
    assert [t for _, t in lines if "来源" in t] == ["来源:首都之窗"]


def printed(text: str, zh_width: int = 36, en_width: int = 72) -> str:
    """A seed as a copy from print or PDF: Chinese lines cut every `zh_width` characters
    (a full stop may land alone on the next line; headings are left whole), English (notes
    too, at a hyphen where it falls there) wrapped,
    a blank line after each paragraph, and every 40 lines a page break: its number and a
    running head."""
    import textwrap
    out: list[str] = []
    lines, page = text.split("\n"), 1

    def emit(line: str) -> None:
        nonlocal page
        out.append(line)
        if len(out) % 40 == 0:
            page += 1
            out.extend(["", f"— {page} —", "", "北京市政府工作报告", ""])

    notes = next((k for k, line in enumerate(lines) if line.startswith("注释")), len(lines))
    for k, line in enumerate(lines):
        if k < 8:  # (the title block as it is)
            emit(line)
        elif not is_mostly_chinese(line) and (len(line) > 100 or k > notes and len(line) > en_width):
            for piece in textwrap.wrap(line, en_width):
                emit(piece)
            emit("")
        elif is_mostly_chinese(line) and len(line) > zh_width and classify_zh(line) is None:  # (not a heading)
            for start in range(0, len(line), zh_width):
                emit(line[start:start + zh_width])
            emit("")
        else:
            emit(line)
    return "\n".join(out) + "\n"


def test_a_copy_from_print_or_pdf_gives_the_same_reports() -> None:
    """Page numbers, a running head on every page, Chinese cut at a fixed width and
    English wrapped: each wrapped Chinese line was a paragraph of its own, a page number
    was glued into an English sentence and the running head paired as Chinese."""
    problems = Problems()
    texts = [printed(raw(name)) for name in SEEDS]
    assert re.search(r"^\S.*[a-z]-\n[a-z]", "\n".join(text.split("注释")[-1] for text in texts), re.M)  # a note broken at a hyphen
    excerpts = [parse_excerpt(excerpt_of_text(text, f"{name}.txt", problems), problems)
                for name, text in zip(SEEDS, texts)]
    assert shape(merge_all(excerpts, problems)) == shape(BASELINE)
    assert problems.warnings == []


def boxed_page(name: str, kind: str) -> bytes:
    """A seed's saved page with its parts in boxes of their own: the title block beside
    the text, the notes beside it, a table of Chinese and English cells, or every <p> left
    unclosed (valid HTML; Python's parser nests each in the last)."""
    seed = cut(raw(name))
    escape = lambda s: s.replace("&", "&amp;").replace("<", "&lt;")  # noqa: E731
    ps = lambda lines: "\n".join(f"<p>{escape(l)}</p>" for l in lines)  # noqa: E731
    head, body = seed.chrome + seed.zh_head + seed.en_head, interleaved(seed)
    if kind == "title box":
        article = f'<div class="head">{ps(head)}</div>\n<div class="text">{ps(body + seed.notes)}</div>'
    elif kind == "notes box":
        article = f'<div class="text">{ps(head + body)}</div>\n<div class="notes">{ps(seed.notes)}</div>'
    elif kind == "headings in section-header":  # a class naming chrome (Bootstrap and the like)
        heads = lambda lines: "\n".join(  # noqa: E731
            f'<h3 class="section-header">{escape(l)}</h3>' if len(l) < 90 and (classify_zh(l) or re.match(
                r"^(?:[IVX]+ |\d+\. |[A-Z][a-z]+th,)", l)) else f"<p>{escape(l)}</p>" for l in lines)
        article = f'<div class="page-header"><h1>{escape(head[len(seed.chrome)])}</h1></div>' + \
            ps(head[len(seed.chrome) + 1:]) + heads(body) + ps(seed.notes)
    elif kind in ("notes in aside", "notes in footer"):
        box = "aside class=\"footnotes\"" if kind == "notes in aside" else "footer"
        article = f'<article>{ps(head + body)}<{box}>{ps(seed.notes)}</{box.split()[0]}></article>'
    elif kind == "word footnotes":  # Word's "Save as Web Page": numbers in elements of their own
        refs = lambda line: re.sub(r"(?<=[a-z”’])(1[0-9]|[1-9])(?=[\s.,;:]|$)",  # noqa: E731
                                   r'<a href="#_ftn\1"><span class=MsoFootnoteReference>[\1]</span></a>', line)
        notes = "".join(f'<div style="mso-element:footnote" id=ftn{m.group(1)}><p class=MsoFootnoteText>'
                        f'<a href="#_ftnref{m.group(1)}"><span class=MsoFootnoteReference>[{m.group(1)}]</span></a> '
                        f'{escape(m.group(2))}</p></div>' for m in (re.match(r"^\[(\d+)\](.*)$", n) for n in seed.notes) if m)
        article = '<div class=WordSection1>' + "\n".join(f"<p class=MsoNormal>{refs(escape(l)) if not is_mostly_chinese(l) else escape(l)}</p>"
                                                         for l in head + body) + \
            f'</div><div style="mso-element:footnote-list">{notes}</div>'
    elif kind == "table":
        article = ps(head) + "<table>" + "".join(f"<tr><td>{escape(zh)}</td><td>{ps(en)}</td></tr>\n"
                                                   for zh, en in seed.body) + "</table>" + ps(seed.notes)
    else:
        article = "\n".join(f"<p>{escape(l)}" for l in head + body + seed.notes)
    return page("PLACEHOLDER").decode().replace('<p style="text-indent:2em">PLACEHOLDER</p>', article).encode()


@pytest.mark.parametrize("kind", ["title box", "notes box", "table", "unclosed p", "headings in section-header",
                                  "notes in aside", "notes in footer", "word footnotes"])
def test_a_page_with_its_parts_in_boxes_of_their_own_gives_the_same_reports(kind: str) -> None:
    """The text was taken from the smallest element holding 80% of it: a title block or
    notes in a box beside it were lost (no header found; notes dropped unsaid)."""
    problems = Problems()
    excerpts = [parse_excerpt(excerpt_of_lines(page_lines(boxed_page(name, kind), f"{name}.html", problems),
                                               f"{name}.html", problems), problems) for name in SEEDS]
    assert shape(merge_all(excerpts, problems)) == shape(BASELINE)
    assert problems.warnings == []


def test_note_numbers_in_sup_after_a_space_are_references() -> None:
    """`Jingtong <sup>15</sup>`: the space made it the figure 15 (the notes were then never
    cited, and the pair said its figures differ). Glued like `Jingtong15`, it is a reference."""
    problems = Problems()
    excerpts = []
    for name in SEEDS:
        html = page(raw(name)).decode("utf-8")
        html = re.sub(r"(?<=[A-Za-z,.])(\d{1,2})(?=[\s,.;]|</p>)", r" <sup>\1</sup>", html)  # every glued number
        excerpts.append(parse_excerpt(excerpt_of_lines(page_lines(html.encode(), f"{name}.html", problems),
                                                       f"{name}.html", problems), problems))
    assert "<sup>15</sup>" in html
    assert shape(merge_all(excerpts, problems)) == shape(BASELINE)
    assert problems.warnings == []


def test_lines_set_apart_by_br_are_named_by_their_own_line() -> None:
    """In one <div> of lines ending in <br>, a warning named the <div>'s line for all."""
    seed = cut(raw(SEEDS_2024[0]))
    caption = "图为北京城市副中心运河商务区。"
    body = interleaved(seed)
    body.insert(3, caption)
    html = page(join(seed.chrome, seed.zh_head, seed.en_head, body, seed.notes), br=True)
    problems = Problems()
    parse_excerpt(excerpt_of_lines(page_lines(html, "x.html", problems), "x.html", problems), problems)
    line = html.decode("utf-8").split("\n").index(caption + "<br>") + 1
    assert [(d.line, d.message.split(";")[0]) for d in problems.warnings] == [
        (line, "Chinese paragraph has no English translation (a caption, or text the translation left out?)")]


def test_import_command_reads_a_saved_page(tmp_path: Path) -> None:
    saved = tmp_path / "report.htm"
    saved.write_bytes(page(raw(SEEDS_2024[0]), "gb2312"))
    content = tmp_path / "content"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", "--content", str(content),
                             str(saved)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "decoded as GB18030 (the page declares gb2312)" in result.stderr
    assert (content / "reports/beijing/2024.md").read_text("utf-8").split("---")[2] == \
        (ROOT / "content/reports/beijing/2024.md").read_text("utf-8").split("---")[2]


def test_a_five_thousand_paragraph_document_pair_pairs_every_paragraph() -> None:
    """Separate files, no headings to anchor on: the banded DP pairs every paragraph."""
    seed = cut(raw(SEEDS_2025[2]))
    paras = [(zh, en) for zh, en in seed.body if len(en) == 1 and len(zh) > 40]
    zh_body, en_body = [], []
    for k in range(5000):
        zh, [en] = paras[k % len(paras)]
        zh_body.append(f"{zh}第{k + 1}段。")
        en_body.append(f"{en} (Paragraph {k + 1}.)")
    problems = Problems()
    report = parse_separate(excerpt_of_text(join(seed.zh_head, zh_body), "zh.txt", problems),
                            excerpt_of_text(join(seed.en_head, en_body), "en.txt", problems), problems)
    assert len(report.pairs) == 5000
    assert all(p.en[0].text.endswith(f"(Paragraph {k}.)") for k, p in enumerate(report.pairs, 1))


def test_prose_above_the_title_block_is_named_not_dropped_quietly() -> None:
    seed = cut(raw(SEEDS_2024[0]))
    preface = ["编者按：以下是北京市市长殷勇在北京市第十六届人民代表大会第二次会议上所作政府工作报告的节选。",
               "Editor's note: the following is an excerpt of the report delivered by Mayor Yin Yong."]
    text = join(["首页 > 政务公开"] + preface, seed.zh_head, seed.en_head, interleaved(seed), seed.notes)
    problems = Problems()
    excerpt_report = parse_excerpt(excerpt_of_text(text, "p.txt", problems), problems)
    assert excerpt_report.year == 2024
    warned = {d.line: d.message for d in problems.warnings}
    assert set(warned) == {2, 3} and all("text above the title block is not imported" in m
                                         for m in warned.values())
    assert [d.line for d in problems.items if d.severity == "info" and "chrome" in d.message] == [1]


def test_heading_numbers_going_backwards_are_warned() -> None:
    body = ["(二)甲部分的标题", "2. Part A", "(一)乙部分的标题", "1. Part B"]
    seed = cut(raw(SEEDS_2024[0]))
    problems = Problems()
    assert len(seed.zh_head + seed.en_head) == 8  # so the body starts on line 9
    report = parse_excerpt(excerpt_of_text(join(seed.zh_head, seed.en_head, body), "b.txt", problems),
                           problems)
    assert [h.id for h in report.headings] == ["s2", "s1"]  # kept in the order given
    assert [str(w) for w in problems.warnings] == [
        "b.txt:11: warning: heading 's1' comes after 's2' (line 9): the numbering goes backwards "
        "here; kept in the order given"]


def test_national_title_block_line_by_line_with_roman_part_numbers() -> None:
    text = ("政府工作报告\nREPORT ON THE WORK OF THE GOVERNMENT\n"
            "——2024年3月5日在第十四届全国人民代表大会第二次会议上\n"
            "Delivered at the Second Session of the 14th National People's Congress of the "
            "People's Republic of China on March 5, 2024\n"
            "国务院总理 李强\nLi Qiang, Premier of the State Council\n"
            "一、2023年工作回顾\nI. A Review of Our Work in 2023\n"
            "过去一年，我国经济回升向好，高质量发展扎实推进。\n"
            "Over the past year, China's economy rebounded and high-quality development was steadily advanced.\n")
    [report], warnings = import_texts({"n.txt": text})
    assert (report.speaker.zh, report.role.zh, report.speaker.en) == ("李强", "国务院总理", "Li Qiang")
    assert report.title.en == "REPORT ON THE WORK OF THE GOVERNMENT" and report.date == "2024-03-05"
    assert [(h.id, h.en) for h in report.headings] == [("p1", "I. A Review of Our Work in 2023")]
    assert len(report.pairs) == 1 and warnings == []


def split_chinese_headings(seed: Seed) -> str:
    """Chinese headings broken after their number: `(八)` / `深入践行…`, `二、` / `…`."""
    def split(line: str) -> list[str]:
        found = re.match(r"^((?:[一二三四五六七八九十]+、)|(?:[（(][一二三四五六七八九十]+[)）]))(\S.*)$", line)
        return [found.group(1), found.group(2)] if found and len(line) < 90 else [line]
    body = [part for zh, en in seed.body for part in split(zh) + en]
    return join(seed.chrome, seed.zh_head, seed.en_head, body, seed.notes)


def mixed_blocks(seed: Seed) -> str:
    """Alternation in one stretch, blocks of two and three in others, as copies come."""
    out: list[str] = []
    k, sizes = 0, [1, 2, 1, 3]
    while k < len(seed.body):
        run = seed.body[k:k + sizes[k % len(sizes)]]
        out += [zh for zh, _ in run] + [e for _, en in run for e in en]
        k += len(run)
    return join(seed.chrome, seed.zh_head, seed.en_head, out, seed.notes)


@pytest.mark.parametrize("layout", ["chinese headings split", "mixed blocks"])
def test_more_layouts_give_the_same_reports(layout: str) -> None:
    transform = split_chinese_headings if layout == "chinese headings split" else mixed_blocks
    reports, warnings = import_texts({name: transform(cut(raw(name))) for name in SEEDS})
    assert shape(reports) == shape(BASELINE)
    assert warnings == []


def test_english_before_chinese_gives_the_same_reports() -> None:
    """Some reposts put each English paragraph before its Chinese one."""
    def english_first(seed: Seed) -> str:
        body = [line for zh, en in seed.body for line in [*en, zh]]
        return join(seed.chrome, seed.zh_head, seed.en_head, body, seed.notes)
    reports, warnings = import_texts({name: english_first(cut(raw(name))) for name in SEEDS})
    assert shape(reports) == shape(BASELINE)
    assert warnings == []


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
NUMBERINGS = {  # how a note is numbered where it is defined, and where it is cited
    "circled": (lambda n: CIRCLED[n - 1], lambda n: CIRCLED[n - 1]),
    "in parentheses": (lambda n: f"({n}) ", lambda n: f"({n})"),
    "full-width parentheses": (lambda n: f"（{n}）", lambda n: f"({n})"),
    "parenthesised digits": (lambda n: chr(0x2473 + n), lambda n: f"[{n}]"),
    "a number and a full stop": (lambda n: f"{n}. ", lambda n: str(n)),
}


def numbered_notes(seed_text: str, define, cite) -> str:
    """The seed with its notes `[15]…` numbered otherwise, and its references to match."""
    labels = [int(n) for n in re.findall(r"^\[(\d+)\]", seed_text, re.M)]
    out = []
    for line in seed_text.split("\n"):
        found = re.match(r"^\[(\d+)\]", line)
        if found:
            line = define(int(found.group(1))) + line[found.end():]
        elif not is_mostly_chinese(line):
            for n in labels:
                line = re.sub(rf"(?<=[A-Za-z”’]){n}(?=[\s.,;:]|$)", lambda m: cite(n), line)
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("numbering", sorted(NUMBERINGS))
def test_notes_numbered_otherwise_give_the_same_reports(numbering: str) -> None:
    """`①`, `(1)`, `（1）`, `⑴` or `1.` after 注释: were refused ("text after the notes that
    is not a note definition"); `Jingtong①` and `Jingtong(15)` stayed text."""
    define, cite = NUMBERINGS[numbering]
    texts = {name: numbered_notes(raw(name), define, cite) for name in SEEDS}
    assert any(define(15) in text for text in texts.values())
    reports, warnings = import_texts(texts)
    assert shape(reports) == shape(BASELINE)
    assert warnings == []


def test_circled_or_parenthesised_numbers_in_the_body_stay_text() -> None:
    """Only after 注释: is `①` or `(1)` a note; in the body they number a list."""
    name = next(name for name in SEEDS if "Advance precision governance in Beijing." in raw(name))
    text = raw(name).replace("Advance precision governance in Beijing.",
                             "Advance precision governance in Beijing. ① (1) 1. We will,")
    reports, _ = import_texts({name: text})
    english = " ".join(p.lead + p.text for r in reports for b in r.blocks if not hasattr(b, "level") for p in b.en)
    assert "Beijing. ① (1) 1." in english


def test_a_wrapped_chinese_note_runs_on_and_a_stray_line_is_still_named() -> None:
    from duizhao.intake.notes import split_notes
    problems = Problems()
    lines = [(1, "注释:"), (2, "[1]京通是北京市统一的政务服务平台,整合线上线下"), (3, "服务渠道。"),
             (4, "[2]Jingban is an inter-"), (5, "agency office platform."), (6, "A stray paragraph.")]
    body, notes = split_notes(lines, "n.txt", problems)
    assert body == [] and [n.text for n in notes] == [
        "京通是北京市统一的政务服务平台,整合线上线下服务渠道。",
        "Jingban is an inter-agency office platform. A stray paragraph."]
    assert [str(w) for w in problems.warnings] == [
        "n.txt:6: warning: line after the notes is not a note definition; kept as a continuation of note [2]"]


def test_a_translations_notes_set_before_its_last_section_give_the_same_reports() -> None:
    """A translation that sets its notes at the end of a section: the English after them
    (sections 11–12 of 2023) was folded into the last note, the Chinese left untranslated."""
    problems = Problems()
    excerpts, moved = [], 0
    for name in SEEDS:
        seed = cut(raw(name))
        zh, en = separate(seed)
        lines = en.split("\n")
        if "Notes:" in lines:
            notes = lines[lines.index("Notes:"):]
            body = lines[:lines.index("Notes:")]
            last = max(k for k, line in enumerate(body) if re.match(r"^(?:[IVX]+ |\d+\. |[A-Z][a-z]+th,|Eleventh|Twelfth)", line))
            if last > len(seed.en_head):
                lines, moved = body[:last] + notes + body[last:], moved + 1
        excerpts.append(parse_separate(excerpt_of_text(zh, f"{name}.zh", problems),
                                       excerpt_of_text("\n".join(lines), f"{name}.en", problems), problems))
    assert moved >= 2
    assert shape(merge_all(excerpts, problems)) == shape(BASELINE)
    assert problems.warnings == []


def test_prose_outside_the_pages_article_is_named_not_dropped_quietly() -> None:
    """A Word page whose report goes on in a second section (after a section break): its
    closing paragraphs were left out without a word, even with -v."""
    name = SEEDS_2023[0]
    seed = cut(raw(name))
    lines = seed.chrome + seed.zh_head + seed.en_head + interleaved(seed)
    escape = lambda s: s.replace("&", "&amp;").replace("<", "&lt;")  # noqa: E731
    html = ("<html><body><div class=WordSection1>" + "".join(f"<p>{escape(l)}</p>" for l in lines[:-3]) +
            "</div><div class=WordSection2>" + "".join(f"<p>{escape(l)}</p>" for l in lines[-3:]) + "</div></body></html>")
    problems = Problems()
    page_lines(html.encode(), "w.html", problems)
    said = [d.message for d in problems.warnings]
    assert len(said) == 1 and said[0].startswith("2 paragraph(s) outside the page's article are not imported, "
                                                 f"the first: {lines[-3][:60]!r}")


def _zh_numerals(line: str) -> str:
    digits = "〇一二三四五六七八九"
    def small(n: int) -> str:
        return ("" if n < 20 else digits[n // 10]) + ("十" if n >= 10 else "") + (digits[n % 10] if n % 10 else "") \
            if n >= 10 else digits[n]
    return re.sub(r"(\d{4})年(\d{1,2})月(\d{1,2})日", lambda m: "".join(digits[int(c)] for c in m.group(1)) + "年"
                  + small(int(m.group(2))) + "月" + small(int(m.group(3))) + "日", line)


HEADER_FORMS = {  # the occasion written as publishers also write it
    "Chinese numerals": lambda zh, en: ([zh[0], _zh_numerals(zh[1]), *zh[2:]], en),
    "in parentheses": lambda zh, en: ([zh[0], "（" + zh[1].lstrip("—") + zh[2] + "）", *zh[3:]], en),
    "Delivered on a date at": lambda zh, en: (zh, [en[0], re.sub(
        r"^Delivered at (.*) on ([A-Z][a-z]+ \d{1,2}(?:st|nd|rd|th)?, \d{4})$", r"Delivered on \2 at \1",
        en[1] + " " + en[2]), *en[3:]]),
}


@pytest.mark.parametrize("form", sorted(HEADER_FORMS))
def test_the_occasion_in_other_forms_gives_the_same_date_and_session(form: str) -> None:
    """`——二〇二四年一月二十一日在…` ("the header gives no date"), `（2024年1月21日在…会议上）`
    ("no report header found") and `Delivered on January 21, 2024 at the …` (the whole
    line taken for the session)."""
    texts = {}
    for name in SEEDS:
        seed = cut(raw(name))
        zh, en = HEADER_FORMS[form](seed.zh_head, seed.en_head)
        assert (zh, en) != (seed.zh_head, seed.en_head)
        texts[name] = join(seed.chrome, zh, en, interleaved(seed), seed.notes)
    reports, warnings = import_texts(texts)
    assert [(r.id, r.date, r.session, r.speaker, r.title) for r in reports] == \
        [(r.id, r.date, r.session, r.speaker, r.title) for r in BASELINE]
    assert [s[7:] for s in shape(reports)] == [s[7:] for s in shape(BASELINE)]  # the text and notes
    assert warnings == []


def test_files_named_alike_in_year_folders_pair_within_their_folder(tmp_path: Path) -> None:
    """2023/report.zh.txt, 2023/report.en.txt, 2024/report.… : every Chinese file was
    paired with every English one (by name alone), then 'overlaps itself'."""
    names = {"2023": SEEDS_2023[0], "2024": SEEDS_2024[0]}
    given = []
    for year, name in names.items():
        (tmp_path / year).mkdir()
        zh, en = separate(cut(raw(name)))
        for lang, text in (("zh", zh), ("en", en)):
            (tmp_path / year / f"report.{lang}.txt").write_text(text, "utf-8")
            given.append(str(tmp_path / year / f"report.{lang}.txt"))
    content = tmp_path / "content"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", "--content", str(content), *given],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    for year in names:
        assert (content / "reports/beijing" / f"{year}.md").read_text("utf-8").split("---")[2] == \
            (ROOT / "content/reports/beijing" / f"{year}.md").read_text("utf-8").split("---")[2]


def test_zh_and_en_given_wrongly_are_said_plainly(tmp_path: Path) -> None:
    zh, en = separate(cut(raw(SEEDS_2024[0])))
    (tmp_path / "r.zh.txt").write_text(zh, "utf-8")
    (tmp_path / "r.en.txt").write_text(en, "utf-8")
    bilingual = str(RAW / SEEDS_2024[0])

    def run(*args: str) -> str:
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", "--content",
                                 str(tmp_path / "content"), *args], capture_output=True, text=True)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        return result.stderr
    assert "given as both --zh and --en" in run("--zh", bilingual, "--en", bilingual)
    assert f"r.en.txt: is English and {tmp_path / 'r.zh.txt'} Chinese: swap --zh and --en" in \
        run("--zh", str(tmp_path / "r.en.txt"), "--en", str(tmp_path / "r.zh.txt"))
    assert "holds Chinese and English alike (--zh names a document in one language)" in \
        run("--zh", bilingual, "--en", str(tmp_path / "r.en.txt"))


def test_parts_numbered_di_x_bufen_are_parts() -> None:
    """`第二部分 2024年重点任务` / `Part II …` became two paragraphs, and every id below
    lost its part (`s10`, not `p2-s10`)."""
    def parts(seed: Seed) -> str:
        body = [(re.sub(r"^([一二三四五六七八九十]+)、", r"第\1部分 ", zh), [re.sub(r"^([IVX]+) ", r"Part \1 ", e) for e in en])
                for zh, en in seed.body]
        return join(seed.chrome, seed.zh_head, seed.en_head, [x for zh, en in body for x in [zh, *en]], seed.notes)
    texts = {name: parts(cut(raw(name))) for name in SEEDS}
    assert all("部分" in text for text in texts.values())
    reports, warnings = import_texts(texts)
    ids = lambda rs: [(r.id, [(getattr(b, "level", 0), b.id) for b in r.blocks]) for r in rs]  # noqa: E731
    assert ids(reports) == ids(BASELINE)
    assert warnings == []


def test_a_wrapped_note_line_starting_like_a_heading_stays_in_the_note_and_gaps_are_notes() -> None:
    from duizhao.intake.notes import split_notes
    problems = Problems()
    lines = [(1, "Notes:"), (2, "15. The seven aspects, set out by the"),
             (3, "Second Session of the Congress, are childcare and housing."),
             (4, "18. In this context, a better life means one that is convenient."),  # 16, 17 not in this excerpt
             (5, "Eleventh, we will ensure both development and security.")]
    body, notes = split_notes(lines, "n.txt", problems)
    assert [(n.label, n.text) for n in notes] == [
        ("15", "The seven aspects, set out by the Second Session of the Congress, are childcare and housing."),
        ("18", "In this context, a better life means one that is convenient.")]
    assert body == [(5, "Eleventh, we will ensure both development and security.")]
    assert problems.warnings == []


def test_english_first_with_unnumbered_english_headings_pairs_every_paragraph() -> None:
    """An English heading without a number stands alone between Chinese headings: read
    as a stretch of its own (Chinese first), every paragraph after it was one off."""
    def unnumbered_english_first(seed: Seed) -> str:
        body = []
        for zh, en in seed.body:
            if classify_zh(zh) is not None and classify_zh(zh).level < 3:
                en = [re.sub(r"^(?:[IVX]+\s+|\d+\.\s+|[A-Z][a-z]+th,\s*)", "", e) for e in en]
            body += [*en, zh]
        return join(seed.chrome, seed.zh_head, seed.en_head, body, seed.notes)
    texts = {name: unnumbered_english_first(cut(raw(name))) for name in SEEDS_2024}
    reports, _ = import_texts(texts)
    def paragraphs(rs):
        return [([p.text for p in b.zh], [p.text for p in b.en]) for r in rs for b in r.blocks if not hasattr(b, "level")]
    assert paragraphs(reports) == paragraphs([r for r in BASELINE if r.year == 2024])


def test_thousands_of_unclosed_paragraphs_are_read_every_one() -> None:
    """Unclosed <p>s nest each in the last: a thousand deep was a RecursionError (a
    traceback), and the chrome filter and the article's choice walked every element's
    ancestors (quadratic)."""
    html = "<html><body><div class=content>" + "".join(
        f"<p>第{k}段,推进城市更新行动,完善政策。<p>Paragraph {k}: we will advance urban renewal."
        for k in range(2500)) + "</div></body></html>"
    lines = page_lines(html.encode(), "deep.html", Problems())
    assert len(lines) == 5000 and lines[-1][1] == "Paragraph 2499: we will advance urban renewal."


def test_a_dated_line_in_parentheses_above_the_title_is_chrome() -> None:
    """`（2025年2月28日更新）` above the title was taken for the occasion line."""
    texts = {name: join(cut(raw(name)).chrome + ["北京市人民政府门户网站", "（2025年2月28日更新）"],
                        cut(raw(name)).zh_head, cut(raw(name)).en_head, interleaved(cut(raw(name))),
                        cut(raw(name)).notes) for name in SEEDS}
    reports, _ = import_texts(texts)
    assert shape(reports) == shape(BASELINE)


def test_an_english_title_over_two_lines_is_one_title() -> None:
    """`REPORT ON THE WORK` / `OF THE GOVERNMENT` / `Delivered at …`: the title was the
    last line alone (English block first) or the second line ran into the occasion."""
    def two_line_title(seed: Seed, first: bool) -> str:
        en = ["REPORT ON THE WORK", "OF THE GOVERNMENT", *seed.en_head[1:]]
        head = en + seed.zh_head if first else seed.zh_head + en
        return join(seed.chrome, head, interleaved(seed), seed.notes)
    for first in (True, False):
        reports, _ = import_texts({name: two_line_title(cut(raw(name)), first) for name in SEEDS})
        assert [(r.title, r.delivered, r.speaker, r.role) for r in reports] == \
            [(r.title, r.delivered, r.speaker, r.role) for r in BASELINE], first


def test_a_related_list_numbered_like_notes_is_still_chrome() -> None:
    html = page(raw(SEEDS_2024[0])).decode().replace(
        '<li><a href="/1">北京市召开新闻发布会介绍政府工作报告起草情况</a></li>',
        '<li><a href="/1">[1] 北京市召开新闻发布会介绍政府工作报告起草情况</a></li>')
    problems = Problems()
    lines = page_lines(html.encode(), "p.html", problems)
    assert not any("新闻发布会" in text for _, text in lines)
    assert any(text.startswith("[17]") for _, text in lines)  # the report's own note stays
