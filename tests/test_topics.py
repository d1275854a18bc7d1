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
from duizhao.derive.topic_file import FRAME_IDS, load_topics
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
    (("  - id: elderly-care", "  - id: search-results"), "topic id 'search-results' is an id every page uses already; choose another"),
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
    assert [td.a["href"] for td in row.find_all("td")[:3]] == [
        f"../beijing/{y}/topics/index.html#employment" for y in YEARS]
    overview = BeautifulSoup((site / "topics/employment/index.html").read_text("utf-8"), "html.parser")
    years = [overview.find(id=f"y{y}") for y in YEARS]
    assert [y.a["href"] for y in years] == [f"../../beijing/{y}/topics/index.html#employment" for y in YEARS]
    sections = [year_topics(site, y).find("section", id="employment") for y in YEARS]
    listed = [len(section.select(".passage")) for section in sections]
    assert counts == [str(n) for n in listed] + [str(sum(listed))]
    report = BeautifulSoup((site / "beijing/2024/index.html").read_text("utf-8"), "html.parser")
    chips = report.find(id="p2-s10-2").select(".year-chip")
    assert [c.get_text() for c in chips] == ["2023", "2025"]
    assert re.match(r"^\.\./\.\./beijing/2023/index\.html\?topic=[\w-]+#p2-s", chips[0]["href"])
    marks = [m.get_text() for m in sections[2].select(".passage mark")]
    assert "就业" in marks and any(m.lower() == "employment" for m in marks)


YEARS = (2023, 2024, 2025)


def year_topics(site: Path, year: int) -> BeautifulSoup:
    return BeautifulSoup((site / f"beijing/{year}/topics/index.html").read_text("utf-8"), "html.parser")


def test_a_page_per_report_year_holds_a_section_per_topic(content: Path, tmp_path: Path) -> None:
    """Files grow with reports and topics: `topics/` holds the index and a page per topic,
    and each report year one page (`<series>/<year>/topics/`) with a section per topic it
    has passages on, named in both languages, with a year nav to the same section in the
    series' other years and each passage linking to its pair."""
    site = tmp_path / "site"
    base = "https://reports.example.org/d/"
    assert run_build("--content", str(content), "--out", str(site), "--base-url", base).returncode == 0
    topic_ids = ["employment", "elderly-care"]  # SAMPLE's, in its order
    listed = set(re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text("utf-8")))
    assert {f"{base}beijing/{y}/topics/index.html" for y in YEARS} <= listed
    assert {f"{base}topics/{t}/index.html" for t in topic_ids} <= listed
    assert sorted(p.relative_to(site).as_posix() for p in (site / "topics").rglob("*") if p.is_file()) == sorted(
        ["topics/index.html"] + [f"topics/{t}/index.html" for t in topic_ids])
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("topics/index.html")
                  if p.parent.parent != site) == [f"beijing/{y}/topics/index.html" for y in YEARS]
    names = {"employment": ("就业", "Employment"), "elderly-care": ("养老服务", "Elderly care")}
    reports = {y: BeautifulSoup((site / f"beijing/{y}/index.html").read_text("utf-8"), "html.parser") for y in YEARS}
    for year in YEARS:
        page = year_topics(site, year)
        sections = page.select("main section[id]")
        assert [s["id"] for s in sections] == topic_ids  # every topic has passages in every seed year
        assert [a["href"] for a in page.select("nav.topic-toc a")] == [f"#{t}" for t in topic_ids]
        for section in sections:
            heading = section.h2
            assert [heading.find(lang=lang).get_text() for lang in ("zh-Hans", "en")] == list(names[section["id"]])
            nav = section.find("nav", class_="year-nav")
            assert [a["href"] for a in nav.find_all("a")] == [
                f"../../../beijing/{y}/topics/index.html#{section['id']}" for y in YEARS if y != year]
            assert nav.find(attrs={"aria-current": True}).get_text() == str(year)
            for passage in section.select(".passage"):
                assert [p["lang"] for p in passage.select("p.cell")] == ["zh-Hans", "en"]
                assert passage.select_one(".kind").get_text().startswith(("Promise", "Result"))
                href = passage.select_one(".source > a")["href"]
                assert href.startswith(f"../../../beijing/{year}/index.html#")
                pair = reports[year].find(id=href.split("#")[1])
                assert pair.has_attr("data-pair")
                zh_text = "".join(pair.select_one(".cell.zh").find("p").stripped_strings)
                assert passage.select_one("p.cell.zh").get_text()[:10] in zh_text.replace("\n", "")


def test_topic_ids_cannot_take_an_id_of_the_page_frame() -> None:
    """A topic's id is its section's id on a report year's topics page."""
    frame = set(re.findall(r'\bid="([^"{]+)"', (ROOT / "templates/base.html").read_text("utf-8")))
    assert frame and frame <= FRAME_IDS


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


def test_check_holds_topic_passages_to_their_sections(content: Path, tmp_path: Path) -> None:
    """`check` wants each passage in its topic's section, whose year nav leads to that
    section in other years (a page per topic and year, the old shape, has no such
    section), with both languages and a link to its pair."""
    site = tmp_path / "site"
    assert run_build("--content", str(content), "--out", str(site)).returncode == 0
    page = site / "beijing/2024/topics/index.html"
    html = page.read_text("utf-8")
    html = html.replace('2023/topics/index.html#employment"', '2023/topics/index.html#elderly-care"', 1)
    start = html.index('<nav class="year-nav" aria-label="Elderly care')
    html = html[:start] + html[html.index("</nav>", start) + len("</nav>"):]  # as on a page per topic and year
    html = html.replace('<p class="cell en" lang="en">', '<p class="cell en" lang="fr">', 1)
    page.write_text(html, "utf-8")
    result = run_build("check", "--out", str(site))
    assert result.returncode == 2
    for expected in ("year nav of 'employment' leads elsewhere: ../../../beijing/2023/topics/index.html#elderly-care",
                     "passage outside a topic section with a year nav",
                     "passage without a Chinese and an English cell"):
        assert expected in result.stderr, result.stderr


def test_an_untranslated_passage_says_so_and_passes_check(content: Path, tmp_path: Path) -> None:
    """A pair with no published English (`<!-- untranslated -->`) that falls under a topic
    shows on its year's topics page as the report page shows it — "(No English translation
    was published.)" — and `check` accepts it (it once failed every such site)."""
    report = content / "reports/beijing/2024.md"
    text = report.read_text("utf-8")
    english = next(line for line in text.split("\n") if line.startswith("**Promote high-quality and full employment.**"))
    report.write_text(text.replace(english, "<!-- untranslated -->"), "utf-8")
    site = tmp_path / "site"
    built = run_build("--content", str(content), "--out", str(site), "--no-search")
    assert built.returncode == 0, built.stderr
    section = BeautifulSoup((site / "beijing/2024/topics/index.html").read_text("utf-8"),
                            "html.parser").find("section", id="employment")
    [missing] = section.select("p.cell.en.missing")
    assert missing.get_text() == "(No English translation was published.)" and missing["lang"] == "en"
    assert "落实积极就业政策" in missing.find_parent(class_="passage").get_text()
    checked = run_build("check", "--out", str(site))
    assert checked.returncode == 0, checked.stderr


def test_chips_to_other_series_are_bounded(tmp_path: Path, monkeypatch) -> None:
    """The same year in other series: the first few in the site's order of series, then
    one chip for the rest, to the topic's page. A page's chips do not grow with the
    number of series (at 32 series, one chip per series was most of a report's bytes)."""
    from duizhao.build.cache import Cache
    from duizhao.build.collect import load_all
    from duizhao.content.settings import load_site
    from duizhao.pages import topics
    from duizhao.pages.urls import relative, report_url, topic_url
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("raw"))
    names = ["s1", "s2", "s3", "s4"]
    seed = (content / "reports/beijing/2024.md").read_text("utf-8")
    assert "id: beijing/2024\nseries: beijing\n" in seed
    for name in names:
        (content / f"reports/{name}").mkdir()
        (content / f"reports/{name}/2024.md").write_text(
            seed.replace("id: beijing/2024\nseries: beijing\n", f"id: {name}/2024\nseries: {name}\n"), "utf-8")
    with (content / "site.yaml").open("a", encoding="utf-8") as site_yaml:
        site_yaml.write("".join(f"  - {{id: {n}, zh: 系列{n}, en: Series {n}}}\n" for n in reversed(names)))
    text = (content / "site.yaml").read_text("utf-8")
    text = text.replace("compare:\n  - [beijing/2023, beijing/2025]\n", "")  # series: must stay the last key
    (content / "site.yaml").write_text(text.replace("# Compare pages", "# (compare pages)"), "utf-8")
    site = load_site(content)
    loaded = load_all(content, Problems(), Cache(None), site)
    report = next(r for r in loaded.reports if r.id == "beijing/2024")
    made = topics.chips(loaded.index, report, site)
    pair, (topic, chips) = next((p, entry) for p, entries in made.items() for entry in entries
                                if any(c.series for c in entry[1]))
    others = [c for c in chips if c.series or c.more]
    order = [s.id for s in site.series if s.id in names]  # the site's order (s4, s3, …), not the ids'
    assert order == list(reversed(names))
    assert [c.series for c in others[:-1]] == [f"Series {s}" for s in order[:topics.OTHER_SERIES]]
    assert others[-1].more and others[-1].label == f"+{len(names) - topics.OTHER_SERIES}"
    assert others[-1].href == relative(report_url(report), topic_url(topic))
    monkeypatch.setattr(topics, "OTHER_SERIES", 10)
    every = [c for p, entries in topics.chips(loaded.index, report, site).items() if p == pair
             for t, cs in entries if t == topic for c in cs if c.series or c.more]
    assert len(every) == len(names) and not any(c.more for c in every)


def test_spans_are_packed_yet_act_as_pairs() -> None:
    import pickle
    from duizhao.derive.topic_index import Spans, _merge
    spans = _merge([(10, 14), (0, 3), (2, 5), (14, 20), (70000, 70002)])
    assert list(spans) == [(0, 5), (10, 20), (70000, 70002)] and len(spans) == 3
    assert repr(spans) == repr(((0, 5), (10, 20), (70000, 70002)))  # match digests are made from it
    assert spans == Spans([(0, 5), (10, 20), (70000, 70002)]) and hash(spans) == hash(Spans(list(spans)))
    assert spans != Spans([(0, 5)]) and not _merge([]) and len(_merge([])) == 0
    copy = pickle.loads(pickle.dumps(spans))
    assert copy == spans and list(copy) == list(spans) and len(pickle.dumps(spans)) < 120


def test_pinyin_orders_by_phrase_and_lets_its_dictionaries_go() -> None:
    """重庆 is chong qing (a phrase reading, not zhong); the 57 MB of pypinyin's
    dictionaries are not kept by a process that loaded them only for this."""
    import subprocess
    import sys
    code = ("import sys; from duizhao.pages.topics import pinyin_of; "
            "print(pinyin_of(['重庆', '银行', '养老'])); print('pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == [
        "{'重庆': ['chong', 'qing'], '银行': ['yin', 'hang'], '养老': ['yang', 'lao']}", "False"]


def test_a_figures_english_is_the_sentence_stating_it_not_its_whole_bead() -> None:
    from types import SimpleNamespace

    from duizhao.derive.align import align
    from duizhao.pages.topics import quote_english, stating
    bead = ["We will build mini parks and green another 200 hectares of urban land.",
            "We will build 10 new country parks.", "Fences in parks will be removed."]
    assert stating("新增城市绿地200公顷", bead) == bead[0]
    assert stating("新建10处郊野公园", bead) == bead[1]
    assert stating("首次突破万亿元", ["Output exceeded one trillion yuan.", "Projects began."]) == (
        "Output exceeded one trillion yuan.")  # a number in words, where no digits are shared
    assert stating("持续改善生态环境", bead) == " ".join(bead)  # no figure: the whole bead
    # On the seed: the 2025 transport pair's bead holds two English sentences, the 88% in one.
    report = {r.id: r for r in load_reports(ROOT / "content", Problems())}["beijing/2025"]
    pair = next(p for p in report.pairs if "换乘比例达到88%" in pair_texts(p)[0])
    quote = "公交与轨道50米内换乘比例达到88%"
    value = SimpleNamespace(report=report.id, pair=pair.id, quote=quote)
    english = quote_english([SimpleNamespace(values=[value])], {report.id: {pair.id: align(pair)}})
    assert english[(report.id, pair.id, quote)] == "Now, 88% of transfers between buses and rail are within 50 meters."


def test_chart_text_stays_inside_the_chart_at_its_largest_font() -> None:
    """On a phone the chart is scaled to half and its text drawn larger (pages.css): the
    label column and the room right of the longest bar are sized for that font, so a
    value like 1,000,000,000,000 is never cut off at the chart's edge."""
    from duizhao.pages.topics import CHAR, CHART_WIDTH, chart
    css = (ROOT / "static" / "pages.css").read_text("utf-8")
    largest = max(int(n) for n in re.findall(r"\.chart text \{[^}]*?(\d+)px", css))
    assert CHAR >= 0.6 * largest
    quantities = load_topics(ROOT / "content" / "topics.yaml")[1]
    assert any(v.value >= 1e12 for q in quantities for v in q.values)
    for quantity in quantities:
        bars, _ = chart(quantity)
        for bar in bars:
            assert CHAR * len(bar.label) <= bar.x
            assert bar.x + bar.width + 6 + CHAR * len(bar.value) <= CHART_WIDTH, (quantity.id, bar)
