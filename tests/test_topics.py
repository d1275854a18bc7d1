"""The topic index: matching in both languages, counts, figures and their quotes, errors
with topics.yaml line numbers, chips, and the pages built from it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, run_build
from duizhao.errors import DuizhaoError, Problems
from duizhao.content.model import Bilingual
from duizhao.build.collect import load_index, load_reports
from duizhao.derive.topic_file import load_topics
from duizhao.derive.topic_index import pair_texts
from duizhao.derive.topic_terms import Topic

SAMPLE = """\
topics:
  - id: employment
    zh: 就业
    en: Employment
    about: {zh: 就业。, en: Jobs.}
    terms:
      zh: [就业]
      en: [employment, job]
    not_zh: [就业困难]
  - id: elderly-care
    zh: 养老服务
    en: Elderly care
    terms:
      zh: [养老]
      en: [senior citizen, eldercare]
figures:
  - id: new-urban-jobs
    topic: employment
    zh: 城镇新增就业
    en: New urban jobs
    unit: {zh: 人, en: people}
    values:
      - {year: 2024, value: 260000, kind: target, quote: 实现城镇新增就业不少于26万人}
      - {year: 2025, value: 299000, kind: result, quote: "a total of 299,000 urban jobs were added"}
"""


def topic(zh=(), en=(), not_zh=()) -> Topic:
    return Topic("t", Bilingual("主题", "Topic"), Bilingual(), tuple(zh), tuple(en), tuple(not_zh))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder, ignore=shutil.ignore_patterns("raw", "topics.yaml"))
    (folder / "topics.yaml").write_text(SAMPLE, "utf-8")
    return folder


def test_chinese_terms_match_inside_longer_words_except_where_excluded() -> None:
    t = topic(zh=["养老", "就业"], not_zh=["就业困难"])
    assert t.spans("新建养老服务中心", "zh") == [(2, 4)]
    assert t.spans("帮助就业困难人员就业", "zh") == [(8, 10)]  # the first 就业 is inside 就业困难


def test_english_terms_are_whole_words_case_and_plural_insensitive() -> None:
    t = topic(en=["senior citizen", "policy", "bus", "job"])
    text = "Senior Citizens and bus routes; two policies, more buses; joblessness and jobs."
    found = [text[a:b] for a, b in t.spans(text, "en")]
    assert sorted(found) == sorted(["Senior Citizens", "bus", "policies", "buses", "jobs"])


def test_counts_equal_the_passages_listed_and_every_passage_matches(content: Path) -> None:
    reports = load_reports(content, Problems())
    index = load_index(content, reports)
    assert list(index.years) == ["beijing"]
    for t in index.topics:
        for year in index.years["beijing"]:
            passages = index.passages[t.id].get(("beijing", year), [])
            assert index.count(t.id, "beijing", year) == len(passages)
            for p in passages:
                assert any(hit for _, hit in p.zh + p.en)
                zh, en = pair_texts(p.pair)
                assert "".join(s for s, _ in p.zh) == zh and "".join(s for s, _ in p.en) == en
    assert index.count("employment", "beijing", 2024) == 2  # 促进高质量充分就业 and 织密扎牢社会保障网 (灵活就业)
    assert sum(len(v) for v in index.passages["elderly-care"].values()) >= 3


def test_figures_link_to_the_pair_holding_the_quote(content: Path) -> None:
    reports = load_reports(content, Problems())
    index = load_index(content, reports)
    [quantity] = index.quantities
    assert [(v.year, v.kind, v.report, v.pair) for v in quantity.values] == [
        (2024, "target", "beijing/2024", "p2-s10-2"), (2025, "result", "beijing/2025", "p1-i6-1")]


def test_a_value_must_be_the_number_in_its_quote(content: Path, tmp_path: Path) -> None:
    (content / "topics.yaml").write_text(SAMPLE.replace("value: 260000", "value: 270000"), "utf-8")
    line = SAMPLE.split("\n").index(next(l for l in SAMPLE.split("\n") if "value: 260000" in l)) + 1
    result = run_build("--content", str(content), "--out", str(tmp_path / "site"))
    assert result.returncode == 2
    assert (f"topics.yaml:{line}: new-urban-jobs: value 270000 is not the number written in its quote "
            "'实现城镇新增就业不少于26万人'") in result.stderr


def test_a_result_is_about_the_year_before_its_report(content: Path) -> None:
    index = load_index(content, load_reports(content, Problems()))
    assert [(v.kind, v.year, v.about) for v in index.quantities[0].values] == [
        ("target", 2024, 2024), ("result", 2025, 2024)]


def test_a_wrong_quote_fails_the_build_with_its_line(content: Path, tmp_path: Path) -> None:
    path = content / "topics.yaml"
    path.write_text(SAMPLE.replace("不少于26万人", "不少于27万人"), "utf-8")
    line = SAMPLE.split("\n").index(next(l for l in SAMPLE.split("\n") if "不少于26万人" in l)) + 1
    result = run_build("--content", str(content), "--out", str(tmp_path / "site"))
    assert result.returncode == 2
    assert f"topics.yaml:{line}: new-urban-jobs: quote not found in the 2024 report: '实现城镇新增就业不少于27万人'" in result.stderr


@pytest.mark.parametrize("change, message", [
    (("topic: employment", "topic: jobs"), "figure 'new-urban-jobs' names topic 'jobs', which is not defined"),
    (("  - id: elderly-care", "  - id: employment"), "id 'employment' again (first at line 2)"),
    (("kind: target", "kind: plan"), "a value needs year:, value:, kind: target|result and quote:"),
    (("  - id: elderly-care", "  - id: Elderly Care"), "topic id 'Elderly Care': use lowercase letters, digits and -"),
])
def test_mistakes_in_topics_yaml_name_their_line(tmp_path: Path, change, message: str) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(SAMPLE.replace(*change, 1), "utf-8")
    with pytest.raises(DuizhaoError) as caught:
        load_topics(path)
    text = str(caught.value)
    line = int(text.split(":")[1])
    assert text.endswith(message) and change[1].strip() in SAMPLE.replace(*change, 1).split("\n")[line - 1]


def test_pages_chips_and_coverage(content: Path, tmp_path: Path) -> None:
    result = run_build("--content", str(content), "--out", str(tmp_path / "site"), "--no-search")
    assert result.returncode == 0, result.stderr
    assert "paragraph pairs" in result.stdout and "fall under at least one of 2 topics" in result.stdout
    site = tmp_path / "site"
    assert run_build("check", "--out", str(site)).returncode == 0  # every chip and topic link resolves
    matrix = BeautifulSoup((site / "topics/index.html").read_text("utf-8"), "html.parser")
    row = matrix.find("a", href="../topics/employment/index.html").find_parent("tr")
    counts = [td.get_text(strip=True) for td in row.find_all("td")]
    overview = BeautifulSoup((site / "topics/employment/index.html").read_text("utf-8"), "html.parser")
    years = [overview.find(id=f"y{y}") for y in (2023, 2024, 2025)]
    assert [y.a["href"] for y in years] == [f"../../topics/employment/beijing/{y}/index.html" for y in (2023, 2024, 2025)]
    pages = [BeautifulSoup((site / f"topics/employment/beijing/{y}/index.html").read_text("utf-8"), "html.parser")
             for y in (2023, 2024, 2025)]
    listed = [len(page.select(".passage")) for page in pages]
    assert counts == [str(n) for n in listed] + [str(sum(listed))]
    page = pages[2]
    report = BeautifulSoup((site / "beijing/2024/index.html").read_text("utf-8"), "html.parser")
    chips = report.find(id="p2-s10-2").select(".year-chip")
    assert [c.get_text() for c in chips] == ["2023", "2025"]
    assert re.match(r"^\.\./\.\./beijing/2023/index\.html\?topic=[\w-]+#p2-s", chips[0]["href"])
    marks = [m.get_text() for m in page.select(".passage mark")]
    assert "就业" in marks and any(m.lower() == "employment" for m in marks)


def test_the_curated_index_loads_verifies_and_covers_the_reports() -> None:
    path = ROOT / "content" / "topics.yaml"
    if not path.exists():
        pytest.skip("content/topics.yaml not written yet")
    reports = load_reports(ROOT / "content", Problems())
    index = load_index(ROOT / "content", reports)
    assert len(index.topics) >= 27 and len(index.quantities) >= 10
    assert all(len(q.values) >= 1 for q in index.quantities)
    assert len(index.uncovered) / index.total_pairs <= 0.05, index.uncovered


def test_english_ies_plurals_match() -> None:
    assert [("more nurseries")[a:b] for a, b in topic(en=["nursery"]).spans("more nurseries", "en")] == ["nurseries"]


@pytest.mark.parametrize("change, message", [
    (("    terms:\n      zh: [养老]\n      en: [senior citizen, eldercare]", "    terms: [养老]"),
     "terms: must have zh: and en: entries"),
    (("    about: {zh: 就业。, en: Jobs.}", "    about: Jobs."), "about: must have zh: and en: entries"),
    (("    unit: {zh: 人, en: people}", "    unit: people"), "unit: must have zh: and en: entries"),
    (("    not_zh: [就业困难]", "    not-zh: [就业困难]"), "unknown key 'not-zh'"),
])
def test_wrong_shapes_in_topics_yaml_are_located_errors(tmp_path: Path, change, message: str) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(SAMPLE.replace(*change, 1), "utf-8")
    with pytest.raises(DuizhaoError, match=re.escape(message)):
        load_topics(path)
