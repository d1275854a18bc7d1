"""Golden tests over the five published seeds: import them, build, and compare the pages
with the seeds' own text. Expected numbers were counted by hand from the seed files
(line numbers in the comments), not taken from the program's output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import RAW, SEEDS_2023, SEEDS_2024, SEEDS_2025, run_build

pytestmark = pytest.mark.xdist_group("golden")  # its module-scoped fixtures are made once, on one worker

# Counted by hand in the seeds (headings are pairs of lines; a pair is one Chinese line
# with the English line(s) after it):
# 2023 (001): part 10/11; sections at 12, 24, 34, 46, 56; pairs 14–23 (5), 26–33 (4),
#   36–45 (5), 48–55 (4), 58–67 (5), 68–70 (1, two English lines) = 24; notes [16] [17].
# 2024 (002): part 9/10; section 11/12; pairs 13–24 = 6; note [17].
# 2025: 003 part I 9/10, items at 11, 21, 31, 41, pairs 4+4+4+5 = 17, notes [9]–[12];
#   004 part II 9/10, section 11/12, pairs 13–20 = 4; 000 part II again (kept once),
#   sections 29/31 and 53/55, pairs 5 + 6 = 11, notes [15]–[18].
EXPECTED = {
    "2023": dict(seeds=SEEDS_2023, parts=1, sections=5, items=0, pairs=24,
                 notes=["16", "17"], refs=2, runins=18),
    "2024": dict(seeds=SEEDS_2024, parts=1, sections=1, items=0, pairs=6,
                 notes=["17"], refs=1, runins=5),
    "2025": dict(seeds=SEEDS_2025, parts=2, sections=3, items=4, pairs=32,
                 notes=["9", "10", "11", "12", "15", "16", "17", "18"], refs=8, runins=10),
}
NOISE = {"英文:北京外办", "来源:北京外事港澳", "英文:市外办"}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_lines(name: str) -> list[str]:
    return [line.strip() for line in (RAW / name).read_text("utf-8-sig").split("\n")
            if line.strip()]


def seed_body(name: str) -> list[str]:
    """Heading and paragraph lines between the English speaker line and 注释:."""
    lines = seed_lines(name)
    start = next(i for i, l in enumerate(lines) if l.endswith("Mayor of Beijing")) + 1
    end = lines.index("注释:") if "注释:" in lines else len(lines)
    return [l for l in lines[start:end] if l not in NOISE]


def seed_notes(name: str) -> dict[str, str]:
    lines = seed_lines(name)
    found = [re.match(r"^\[(\d+)\](.*)$", l) for l in lines]
    return {m.group(1): m.group(2) for m in found if m}


def expected_text(year: str) -> list[str]:
    """The seeds' lines in the report's order; a later excerpt's opening part heading
    that repeats an earlier one (二、… / II …) appears once."""
    seeds = EXPECTED[year]["seeds"]
    text = [squash(t) for t in seed_body(seeds[0])]
    for name in seeds[1:]:
        body = [squash(t) for t in seed_body(name)]
        repeated = any(text[i:i + 2] == body[:2] for i in range(len(text) - 1))
        text += body[2:] if repeated else body
    return text


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("golden")
    content = tmp / "content"
    (content / "reports").mkdir(parents=True)
    (content / "site.yaml").write_text("title: Test\n", encoding="utf-8")
    result = run_build("import", "--content", str(content), *[str(p) for p in sorted(RAW.glob("*.txt"))])
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr
    result = run_build("--content", str(content), "--out", str(tmp / "site"))
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def page(site: Path, year: str) -> BeautifulSoup:
    soup = BeautifulSoup((site / "beijing" / year / "index.html").read_text("utf-8"), "html.parser")
    for link in soup.select(".permalink"):
        link.decompose()
    return soup


def page_text(soup: BeautifulSoup) -> list[str]:
    """Every heading side and paragraph of the report body, in document order."""
    out = []
    for block in soup.select("[data-heading], [data-pair]"):
        if block.has_attr("data-heading"):
            out += [squash(cell.get_text()) for cell in block.select(".cell")]
        else:
            out += [squash(p.get_text()) for cell in block.select(".cell")
                    for p in cell.find_all("p", recursive=False)  # not the ≠ note or topic chips
                    if "pair-topics" not in p.get("class", [])]
    return out


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_every_seed_paragraph_appears_once_in_order(built: Path, year: str) -> None:
    assert page_text(page(built, year)) == expected_text(year)


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_counts(built: Path, year: str) -> None:
    want = EXPECTED[year]
    soup = page(built, year)
    levels = [int(h.parent["class"][1].split("-")[1]) for h in soup.select("[data-heading]")]
    assert levels.count(1) == want["parts"]
    assert levels.count(2) == want["sections"]
    assert levels.count(3) == want["items"]
    assert len(soup.select("[data-pair]")) == want["pairs"]
    assert [li["value"] for li in soup.select('[role="doc-endnotes"] li')] == want["notes"]
    assert len(soup.select('a[role="doc-noteref"]')) == want["refs"]
    assert len(soup.select(".zh .runin")) == len(soup.select(".en .runin")) == want["runins"]


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_notes_text_and_links(built: Path, year: str) -> None:
    soup = page(built, year)
    want = {}
    for name in EXPECTED[year]["seeds"]:
        want.update(seed_notes(name))
    for item in soup.select('[role="doc-endnotes"] li'):
        for back in item.select('a[role="doc-backlink"]'):
            assert back["href"].startswith("#ref-")
            back.decompose()
        assert squash(item.get_text()) == squash(want[item["value"]])
    for ref in soup.select('a[role="doc-noteref"]'):
        target = soup.find(id=ref["href"][1:])
        assert target is not None and target.find_parent(attrs={"role": "doc-endnotes"})


def test_notes_in_a_heading_2023(built: Path) -> None:
    heading = page(built, "2023").find(id="p2-s10")
    assert [a.get_text() for a in heading.select('a[role="doc-noteref"]')] == ["16", "17"]


def test_one_chinese_paragraph_two_english(built: Path) -> None:
    last = page(built, "2023").select("[data-pair]")[-1]
    assert last.select_one(".zh").get_text().strip().startswith("各位代表!")
    english = [p.get_text() for p in last.select(".en p")]
    assert english[0] == "Fellow Deputies," and english[1].startswith("As we embark")


def test_ids_follow_numbering(built: Path) -> None:
    soup = page(built, "2025")
    ids = [h["id"] for h in soup.select("[data-heading]")]
    assert ids == ["p1", "p1-i3", "p1-i4", "p1-i5", "p1-i6", "p2", "p2-s2", "p2-s8", "p2-s9"]
    assert soup.select("[data-pair]")[0]["id"] == "p1-i3-1"


def test_page_noise_never_reaches_pages(built: Path) -> None:
    for year in EXPECTED:
        text = page(built, year).get_text()
        for noise in ("我在听", "没听清", "权威发布", "字号", "日期:", "来源:", "英文:", "16:08"):
            assert noise not in text


def test_metadata_kept_in_front_matter(built: Path) -> None:
    report = (built.parent / "content" / "reports" / "beijing" / "2025.md").read_text("utf-8")
    front = report.split("\n---\n", 1)[0]
    assert "published: '2025-02-28'" in front  # 日期:2025-02-28 in 000
    assert "source: 北京外事港澳" in front  # 来源: in 003
    assert "translation: 市外办" in front
    assert "zh: 殷勇" in front and "en: Yin Yong" in front
    assert "date: '2025-01-14'" in front


def test_a_figure_only_the_english_has_is_quoted_as_written(built: Path) -> None:
    """The 2025 seed converts 13.5万亩 into “(9,000 hectares)”: the ≠ note names the figure
    as the reader sees it in the text beside it, not as the number 9000."""
    notes = [squash(n.get_text()) for n in page(built, "2025").select(".numbers-differ p")]
    assert any("theEnglishhas9,000,notintheChinese" in n for n in notes), notes
    assert not any(re.search(r"\d{4,}", n.replace("1949", "").replace("2024", "")) for n in notes), notes


def test_built_site_passes_check(built: Path) -> None:
    result = run_build("check", "--out", str(built))
    assert result.returncode == 0, result.stderr
