"""A library of series: Beijing's reports and the State Council's national report side by
side, every old `<year>/` address still landing on the same pair."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import RAW, ROOT, SEEDS_2023, SEEDS_2024, SEEDS_2025
from duizhao.content.model import Bilingual

pytestmark = pytest.mark.xdist_group("series")  # its module-scoped fixtures are made once, on one worker

NATIONAL_HEAD = """政府工作报告
——2024年3月5日在第十四届全国人民代表大会第二次会议上
国务院总理 李 强
REPORT ON THE WORK OF THE GOVERNMENT
Delivered at the Second Session of the 14th National People's Congress of the People's Republic of China on March 5, 2024
Li Qiang, Premier of the State Council
"""


def national_copy(seed: str) -> str:
    """A seed with its title block rewritten to the national report's."""
    text = (RAW / seed).read_text("utf-8")
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("——")) - 1
    end = next(i for i, l in enumerate(lines) if l.startswith("Yin Yong")) + 1
    return "\n".join(lines[:start]) + "\n" + NATIONAL_HEAD + "\n".join(lines[end:])


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three Beijing reports and a national one of 2024, imported and built."""
    root = tmp_path_factory.mktemp("series")
    content = root / "content"
    content.mkdir()
    shutil.copy(ROOT / "content/site.yaml", content / "site.yaml")
    shutil.copy(ROOT / "content/topics.yaml", content / "topics.yaml")
    national = root / "national-2024.txt"
    national.write_text(national_copy(SEEDS_2024[0]), "utf-8")
    seeds = [str(RAW / s) for s in SEEDS_2023 + SEEDS_2024 + SEEDS_2025]
    result = run("import", "--content", str(content), *seeds, str(national))
    assert result.returncode == 0, result.stderr
    built = run("build", "--content", str(content), "--out", str(root / "site"), "--no-search", "-q")
    assert built.returncode == 0, built.stderr
    return root


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text("utf-8"), "html.parser")


def test_the_same_year_in_two_series_is_two_reports(library: Path) -> None:
    reports = sorted(p.relative_to(library / "content/reports").as_posix()
                     for p in (library / "content/reports").rglob("*.md"))
    assert reports == ["beijing/2023.md", "beijing/2024.md", "beijing/2025.md", "national/2024.md"]
    front = (library / "content/reports/national/2024.md").read_text("utf-8").split("---")[1]
    assert "id: national/2024\nseries: national\n" in front
    site = library / "site"
    national = soup(site, "national/2024/index.html")
    assert "李强" in national.get_text() and "Li Qiang" in national.get_text()
    assert len(soup(site, "beijing/2024/index.html").select("[data-pair]")) == \
        len(national.select("[data-pair]"))


def test_library_groups_by_series_newest_first_and_each_series_has_a_page(library: Path) -> None:
    page = soup(library / "site", "index.html")
    shelves = page.select("section.shelf")
    assert [s.h2.get_text(" ", strip=True) for s in shelves] == [
        "北京市政府工作报告 Beijing Municipal Government Work Report",
        "国务院政府工作报告 State Council Government Work Report"]
    assert [a["href"] for a in shelves[0].select("li.report-card h3 a")] == [
        f"beijing/{y}/index.html" for y in (2025, 2024, 2023)]
    series = soup(library / "site", "national/index.html")
    assert series.h1.get_text(" ", strip=True) == "国务院政府工作报告 State Council Government Work Report"
    assert [a["href"] for a in series.select("li.report-card h2 a")] == ["../national/2024/index.html"]


def test_topic_matrix_has_a_row_group_per_series(library: Path) -> None:
    page = soup(library / "site", "topics/index.html")
    groups = page.select("table.matrix tbody")
    assert len(groups) == 2
    national = groups[1]
    row = next(tr for tr in national.find_all("tr") if tr.th and "Elderly care" in tr.th.get_text())
    cells = [td.get_text(strip=True) for td in row.find_all("td")]
    assert cells[0] == "–" and cells[2] == "–"  # no national report in 2023 or 2025
    assert cells[1] not in ("0", "–")
    link = row.find_all("td")[1].a["href"]
    assert link == "../national/2024/topics/index.html#elderly-care"
    assert soup(library / "site", "national/2024/topics/index.html").find("section", id="elderly-care")


def test_each_series_page_has_its_topics_across_its_own_years(library: Path) -> None:
    page = soup(library / "site", "national/index.html")
    section = page.find("section", attrs={"aria-labelledby": "topics"})
    table = section.find("table", class_="matrix")
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == ["Topic", "2024", "All"]  # its one year
    assert not table.select("tr.series-row")  # the page is the series: no row group heading
    row = table.find("tr", id="topic-elderly-care")
    count = row.find("td").a
    assert count["href"] == "../national/2024/topics/index.html#elderly-care"
    assert int(count.get_text()) == len(soup(library / "site", "national/2024/topics/index.html")
                                        .find("section", id="elderly-care").select("div.passage"))
    beijing = soup(library / "site", "beijing/index.html").find("table", class_="matrix")
    assert [th.get_text(strip=True) for th in beijing.thead.find_all("th")] == ["Topic", "2023", "2024", "2025", "All"]


def test_a_big_library_lists_its_series_and_leaves_each_matrix_to_its_page(
        library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MATRIX_SERIES series the topic index would be megabytes (32 series × 35
    topics × 32 years was 6.7 MB): it lists the series instead, each linking to its page's
    matrix. (Built here with the bound set to 1, so the two series of `library` pass it.)"""
    from duizhao.build.pipeline import build
    from duizhao.errors import Problems
    from duizhao.pages import topics
    monkeypatch.setattr(topics, "MATRIX_SERIES", 1)
    out = tmp_path / "site"
    build(library / "content", out, Problems(), searching="off")
    index = soup(out, "topics/index.html")
    assert not index.select("table.matrix tbody tr.series-row")  # no matrix here
    rows = index.select("table.series-list tbody tr")
    assert [r.th.a["href"] for r in rows] == ["../beijing/index.html#topics", "../national/index.html#topics"]
    assert [r.find_all("td")[0].get_text() for r in rows] == ["2023–2025", "2024"]
    beijing = soup(out, "beijing/index.html")
    shown = sum(int(td.get_text()) for td in beijing.select("table.matrix tbody td:not(:last-child)")
                if td.get_text().isdigit())
    assert int(rows[0].find_all("td")[2].get_text()) == shown > 0  # the passages its matrix counts
    assert beijing.find(id="topics") and beijing.find("tr", id="topic-elderly-care")
    assert (out / "topics/index.html").stat().st_size < (library / "site/topics/index.html").stat().st_size


def test_every_old_year_address_redirects_to_the_same_report(library: Path) -> None:
    site = library / "site"
    for year in (2023, 2024, 2025):
        page = soup(site, f"{year}/index.html")
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        assert refresh == f"0; url=../beijing/{year}/index.html"
        assert page.find("a", href=f"../beijing/{year}/index.html") is not None
        assert page.find("script", src="../static/js/redirect.js", type="module") is not None
        assert not page.find("script", src=False)  # no inline script
    result = run("check", "--out", str(site))
    assert result.returncode == 0, result.stderr


def test_an_id_used_by_two_files_is_a_located_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("raw"))
    twin = content / "reports" / "beijing" / "2024-copy.md"
    twin.write_text((content / "reports/beijing/2024.md").read_text("utf-8"), "utf-8")
    result = run("build", "--content", str(content), "--out", str(tmp_path / "site"), "--no-search")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    named = re.search(r"beijing/(2024(?:-copy)?)\.md:2: id 'beijing/2024' is also used by .*beijing/(2024(?:-copy)?)\.md",
                      result.stderr)
    assert named and {named.group(1), named.group(2)} == {"2024", "2024-copy"}


def test_series_from_the_title_block_or_the_flag(tmp_path: Path) -> None:
    content = tmp_path / "content"
    text = (RAW / SEEDS_2024[0]).read_text("utf-8")
    anonymous = tmp_path / "x.txt"
    anonymous.write_text(re.sub(r"北京市第十六届\n", "第十六届\n", text).replace("北京市市长", "市长")
                         .replace(", Mayor of Beijing", ", Mayor"), "utf-8")
    refused = run("import", "--content", str(content), str(anonymous))
    assert refused.returncode == 2 and "x.txt:" in refused.stderr and "--series ID" in refused.stderr
    taken = run("import", "--content", str(content), "--series", "shanghai", str(anonymous))
    assert taken.returncode == 0, taken.stderr
    assert (content / "reports/shanghai/2024.md").is_file()


def test_migrate_moves_reports_from_before_series_and_import_agrees(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "reports").mkdir(parents=True)
    shutil.copy(ROOT / "content/site.yaml", content / "site.yaml")
    for year in (2023, 2024, 2025):  # as they were before series
        text = (ROOT / f"content/reports/beijing/{year}.md").read_text("utf-8")
        old = text.replace(f"id: beijing/{year}\nseries: beijing\n", f"id: '{year}'\n")
        (content / "reports" / f"{year}.md").write_text(old, "utf-8")
    legacy = run("build", "--content", str(content), "--out", str(tmp_path / "site"), "--no-search")
    assert legacy.returncode == 0 and "no series: taken as 'beijing'" in legacy.stderr
    assert run("migrate", "--content", str(content)).returncode == 0
    for year in (2023, 2024, 2025):
        assert (content / f"reports/beijing/{year}.md").read_bytes() == \
            (ROOT / f"content/reports/beijing/{year}.md").read_bytes()
    again = run("import", "--content", str(content), *[str(RAW / s) for s in SEEDS_2024])
    assert again.returncode == 0 and "unchanged" in again.stdout


def test_a_series_site_yaml_does_not_name_is_built_with_a_located_warning(tmp_path: Path) -> None:
    """README: such a series gets a name made from its id, with a warning (there was none)."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content/reports", content / "reports")
    shutil.copy(ROOT / "content/site.yaml", content / "site.yaml")
    moved = content / "reports/xiongan/2024.md"
    moved.parent.mkdir()
    text = (content / "reports/beijing/2024.md").read_text("utf-8")
    moved.write_text(text.replace("id: beijing/2024\nseries: beijing\n", "id: xiongan/2024\nseries: xiongan\n"),
                     "utf-8")
    (content / "reports/beijing/2024.md").unlink()
    line = moved.read_text("utf-8").split("\n").index("series: xiongan") + 1
    built = run("--content", str(content), "--out", str(tmp_path / "site"), "--no-search")
    assert built.returncode == 0, built.stderr
    expected = (f"{moved}:{line}: warning: series 'xiongan' is not in site.yaml: it is shown as "
                "'Xiongan Government Work Report' with no Chinese name")
    assert sum(expected in l for l in built.stderr.splitlines()) == 1, built.stderr
    again = run("--content", str(content), "--out", str(tmp_path / "site"), "--no-search")
    assert "(0 rendered" in again.stdout and expected in again.stderr  # nothing changed says it too


def test_a_province_site_yaml_does_not_name_has_its_chinese_name() -> None:
    """Pages read in Chinese alone showed such a series' name blank."""
    from duizhao.content.series import default_series
    assert default_series("shanghai").name == Bilingual("上海市政府工作报告", "Shanghai Government Work Report")
    assert default_series("inner-mongolia").issuer.zh == "内蒙古自治区人民政府"
    assert default_series("xiongan").name.zh == ""


def test_a_report_filed_where_its_id_does_not_say_is_warned(tmp_path: Path) -> None:
    """reports/national/2024.md holding `id: beijing/2024` built silently, its pages at
    beijing/2024/."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content/reports", content / "reports")
    shutil.copy(ROOT / "content/site.yaml", content / "site.yaml")
    moved = content / "reports/national/2024.md"
    moved.parent.mkdir()
    (content / "reports/beijing/2024.md").rename(moved)
    built = run("--content", str(content), "--out", str(tmp_path / "site"), "--no-search")
    assert built.returncode == 0, built.stderr
    assert (f"{moved}:2: warning: id beijing/2024 but the file is national/2024.md: its pages are at "
            "beijing/2024/; move it to reports/beijing/2024.md or correct the id") in built.stderr
