"""Traditional Chinese: a report written in it is labelled zh-Hant wherever its text is
shown (it was labelled zh-Hans, so browsers drew it in a mainland font's forms and screen
readers read it with a mainland voice), and everything else stays zh-Hans."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, run_build
from duizhao.text import cedict
from duizhao.text.script import HANS, HANT, chinese_lang

pytestmark = pytest.mark.xdist_group("script")


@functools.lru_cache(maxsize=1)
def _traditional_forms() -> dict[int, str]:
    forms: dict[str, set[str]] = {}
    for trad, simp in re.findall(r"^(\S) (\S) \[", cedict.read(), re.M):
        forms.setdefault(simp, set()).add(trad)
    return {ord(simp): next(iter(trads)) for simp, trads in forms.items() if len(trads) == 1}


def to_traditional(text: str) -> str:
    """Simplified → Traditional a character at a time, where CC-CEDICT gives a character
    one Traditional form only (enough for a test: the tool never converts)."""
    return text.translate(_traditional_forms())


def test_the_script_of_a_text() -> None:
    assert chinese_lang(set("深化城市更新行动,完善土地混合开发利用和产业用地到期续期政策")) == HANS
    assert chinese_lang(set("深化城市更新行動，完善土地混合開發利用和產業用地到期續期政策")) == HANT
    assert chinese_lang(set("政府工作")) == HANS  # no character of either script alone: the default
    assert chinese_lang(set()) == HANS


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("script")
    shutil.copytree(ROOT / "content", tmp / "content", ignore=shutil.ignore_patterns("raw"))
    report = tmp / "content" / "reports" / "beijing" / "2024.md"
    report.write_text("\n".join(to_traditional(line) if not line.startswith(("id:", "series:")) else line
                                for line in report.read_text("utf-8").split("\n")), "utf-8")
    assert "報告" in report.read_text("utf-8")
    topics = tmp / "content" / "topics.yaml"  # its 2024 figures quote the report as it now reads
    lines = topics.read_text("utf-8").split("\n")
    for k, line in enumerate(lines):
        if line.strip().startswith("quote:") and lines[k - 3].strip() == "- year: 2024":
            lines[k] = to_traditional(line)
    topics.write_text("\n".join(lines), "utf-8")
    result = run_build("--content", str(tmp / "content"), "--out", str(tmp / "site"), "--no-search")
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def chinese_langs(page: Path, selector: str) -> set[str]:
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    return {cell["lang"] for cell in soup.select(selector)}


def test_a_traditional_report_is_labelled_zh_hant_and_the_others_zh_hans(site: Path) -> None:
    page = site / "beijing" / "2024" / "index.html"
    assert chinese_langs(page, "[data-pair] > .cell.zh, h1 .cell.zh, [data-heading] .cell.zh, "
                               "#toc .cell.zh, .occasion .cell.zh") == {HANT}
    assert chinese_langs(site / "beijing" / "2025" / "index.html", "[data-pair] > .cell.zh, h1 .cell.zh") == {HANS}
    assert chinese_langs(page, ".kicker [lang|=zh], #notes-title [lang|=zh]") == {HANS}  # the site's own words
    library = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser")
    titles = {a["href"]: a.select_one(".cell.zh")["lang"] for a in library.select("h2 a, h3 a")
              if a.select_one(".cell.zh") and re.search(r"beijing/20\d\d/", a["href"])}
    assert titles == {"beijing/2025/index.html": HANS, "beijing/2024/index.html": HANT, "beijing/2023/index.html": HANS}
    card = next(li for li in library.select("li.report-card") if li.select_one('a[href="beijing/2024/index.html"]'))
    assert {c["lang"] for c in card.select(".byline .cell.zh, .session .cell.zh")} == {HANT}


def test_a_traditional_reports_passages_compares_and_downloads_say_so(site: Path) -> None:
    topics = site / "beijing" / "2024" / "topics" / "index.html"
    assert chinese_langs(topics, ".passage .cell.zh") == {HANT}
    compare = site / "compare" / "beijing" / "2024-2025" / "index.html"
    soup = BeautifulSoup(compare.read_text("utf-8"), "html.parser")
    cells = {(cell.find_parent(class_="diff-row") is not None, cell["class"][1], cell["lang"])
             for cell in soup.select(".diff-row.zh .diff-cell")}
    assert {lang for _, side, lang in cells if side == "old"} == {HANT}
    assert {lang for _, side, lang in cells if side == "new"} == {HANS}
    later = BeautifulSoup((site / "compare" / "beijing" / "2023-2024" / "index.html").read_text("utf-8"), "html.parser")
    contents = {a.select_one("span")["lang"] for a in later.select('a[href^="#s-"]') if a.select_one("span")}
    assert contents == {HANT}  # the newer report's headings (2024, Traditional)
    tmx = next(site.glob("beijing/2024/*.tmx")).read_text("utf-8")
    assert 'srclang="zh-TW"' in tmx and '<tuv xml:lang="zh-TW">' in tmx


def test_check_accepts_traditional_cells(site: Path) -> None:
    result = run_build("check", "--out", str(site), "--content", str(site.parent / "content"))
    assert result.returncode == 0 and "0 problem(s)" in result.stdout + result.stderr, result.stdout + result.stderr


def test_a_traditional_report_is_aligned_and_matched_as_its_simplified_text() -> None:
    """The dictionary and the topic terms are Simplified: a Traditional report lost its
    lexical evidence (a bead went astray in 2024's p2-s10-4) and every topic match."""
    from duizhao.content.model import Pair, Para
    from duizhao.content.read import load_report
    from duizhao.derive.align import align
    from duizhao.derive.topic_file import load_topics
    from duizhao.derive.topic_index import match_report
    from duizhao.derive.topic_terms import Matcher
    from duizhao.errors import Problems

    report = load_report(ROOT / "content" / "reports" / "beijing" / "2024.md", Problems())
    traditional = [Pair(p.id, tuple(Para(to_traditional(x.text), to_traditional(x.lead)) for x in p.zh), p.en)
                   for p in report.pairs]
    assert sum(a.zh != b.zh for a, b in zip(report.pairs, traditional)) == len(report.pairs)
    for simple, trad in zip(report.pairs, traditional):
        assert align(trad).beads == align(simple).beads, simple.id
    matcher = Matcher(load_topics(ROOT / "content" / "topics.yaml")[0])
    as_is = match_report(report, matcher)[0]
    report.blocks = [next((t for t in traditional if t.id == b.id), b) for b in report.blocks]
    found = match_report(report, matcher)[0]
    assert {k: [m.topic for m in v] for k, v in found.items()} == {k: [m.topic for m in v] for k, v in as_is.items()}
    assert sum(len(v) for v in found.values()) >= 5


def test_check_wants_a_script_in_a_chinese_cells_lang() -> None:
    from bs4 import BeautifulSoup as Soup
    from duizhao.check.site import _check_pairs
    def cells(lang: str) -> list[str]:
        soup = Soup(f'<div data-pair id="p1-1"><div class="cell zh" lang="{lang}">中文。</div>'
                    f'<div class="cell en" lang="en">English.</div></div>', "html.parser")
        return [d.message for d in _check_pairs(soup, "p.html")]
    assert cells(HANS) == [] and cells(HANT) == []
    assert cells("zh") == cells("Chinese") == ["pair 'p1-1' has no zh-Hans (or zh-Hant) cell"]


def test_a_report_turned_traditional_relabels_the_library_on_the_next_build(tmp_path: Path) -> None:
    """The library's fingerprint of a report left out its paragraphs, so a report whose
    paragraphs (not its title or headings) were replaced by a Traditional copy kept
    zh-Hans on its card."""
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("raw"))
    args = ("--content", str(tmp_path / "content"), "--out", str(tmp_path / "site"), "--no-search")
    assert run_build(*args).returncode == 0
    report = tmp_path / "content" / "reports" / "beijing" / "2024.md"
    front, body = report.read_text("utf-8").split("\n---\n", 1)
    body = "\n".join(line if line.startswith("#") else to_traditional(line) for line in body.split("\n"))
    report.write_text(front + "\n---\n" + body, "utf-8")  # its paragraphs, not its headings
    result = run_build(*args)  # (topics.yaml's Simplified quotes are found in the Traditional text)
    assert result.returncode == 0, result.stderr
    library = BeautifulSoup((tmp_path / "site" / "index.html").read_text("utf-8"), "html.parser")
    card = next(li for li in library.select("li.report-card") if li.select_one('a[href="beijing/2024/index.html"]'))
    assert card.select_one("h2 .cell.zh, h3 .cell.zh")["lang"] == HANT
