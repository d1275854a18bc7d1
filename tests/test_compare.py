"""What changed between two reports (compare pages): sections matched across years by
number, title and content; paragraphs matched in order inside them; differences by
character in Chinese and by word in English; changed figures flagged first; what only
one report holds named, never reported as dropped; and the cost stays linear.

Expected values come from reading the seed reports (their headings, run-in leads and
topics.yaml), never from the comparison's own output."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, run_build
from duizhao.build.collect import load_reports
from duizhao.content.model import Heading, Pair, Para, Report, Bilingual
from duizhao.derive import compare as comparing
from duizhao.derive.changes import figure_changes, figure_rows
from duizhao.derive.compare import compare, sections
from duizhao.derive.diff import diff
from duizhao.derive.order import chain
from duizhao.derive.similar import KEEP
from duizhao.derive.topic_file import load_topics
from duizhao.derive.topic_index import build_index, pair_texts
from duizhao.derive.words import count_terms, keyness, term_changes
from duizhao.errors import Problems

pytestmark = pytest.mark.xdist_group("compare")  # its module-scoped fixtures are made once, on one worker

HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def seeds() -> dict[str, Report]:
    return {r.id: r for r in load_reports(ROOT / "content", Problems())}


def texts(report: Report) -> dict[str, tuple[str, str]]:
    return {p.id: pair_texts(p) for p in report.pairs}


def compared(old: Report, new: Report) -> comparing.Comparison:
    return compare(old, new, (texts(old), texts(new)))


def led(report: Report, lead: str) -> Pair:
    """The pair whose Chinese run-in heading is `lead` (as the Markdown writes it)."""
    return next(p for p in report.pairs if p.zh and p.zh[0].lead.startswith(lead))


def item_of(found: comparing.Comparison, old: Pair) -> comparing.Item:
    return next(i for m in found.sections for i in m.items if i.old is old)


def test_2024_section_10_is_2025_section_9_and_matches_topic_by_topic(seeds) -> None:
    old, new = seeds["beijing/2024"], seeds["beijing/2025"]
    found = compared(old, new)
    assert [(m.old.id, m.new.id) for m in found.sections] == [("p2-s10", "p2-s9")]
    pairs = {("促进高质量充分就业", "抓好就业这个民生头等大事"),  # employment
             ("构建房地产发展新模式", "更好满足城乡居民住房需求")}  # housing
    for before, after in pairs:
        item = item_of(found, led(old, before))
        assert item.new is led(new, after) and item.kind == "changed"
    assert {s.id for s in found.only_new} == {"p2-s2", "p2-s8"}  # held by 2025 alone: named
    assert [h.id for h in found.parts_new] == ["p1"]  # 2024's excerpt has no Part I


def test_a_changed_number_is_flagged_with_its_english(seeds) -> None:
    old, new = seeds["beijing/2024"], seeds["beijing/2025"]
    found = compared(old, new)
    housing = item_of(found, led(old, "构建房地产发展新模式"))
    changes = figure_changes(housing)
    assert [(zh.old, zh.new, zh.values) for zh, _ in changes] == [("7万套", "5万套", (70000.0, 50000.0))]
    assert changes[0][0].label.endswith("保障性租赁住房")
    assert (changes[0][1].old, changes[0][1].new) == ("70,000 units", "50,000 units")
    employment = item_of(found, led(old, "促进高质量充分就业"))
    assert "26万" in texts(old)[employment.old.id][0] and "26万" in texts(new)[employment.new.id][0]
    assert all(zh.values[0] != 260000 for zh, _ in figure_changes(employment))  # the same 26万: no flag


def test_an_inserted_paragraph_is_new_not_a_shifted_diff(tmp_path: Path, seeds) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("raw"))
    path = content / "reports" / "beijing" / "2024.md"
    text = path.read_text("utf-8")
    anchor = text.index("**深化健康北京建设。**")  # after the employment pair
    inserted = ("新建城市森林步道100公里,完善市民健身设施。\n\n"
                "We will build 100 kilometers of forest trails and improve public fitness facilities.\n\n")
    path.write_text(text[:anchor] + inserted + text[anchor:], "utf-8")
    edited = {r.id: r for r in load_reports(content, Problems())}["beijing/2024"]
    found = compared(seeds["beijing/2024"], edited)
    kinds = [i.kind for m in found.sections for i in m.items]
    assert kinds.count("new") == 1 and "dropped" not in kinds and "changed" not in kinds
    new = next(i for m in found.sections for i in m.items if i.kind == "new")
    assert "森林步道" in texts(edited)[new.new.id][0]
    later = [i for m in found.sections for i in m.items if i.kind == "same" and i.new.id != i.old.id]
    assert later and all(texts(edited)[i.new.id] == texts(seeds["beijing/2024"])[i.old.id] for i in later)


def test_sections_one_report_lacks_are_named_not_dropped(seeds) -> None:
    old, new = seeds["beijing/2023"], seeds["beijing/2024"]
    found = compared(old, new)
    held = {h.id for h in new.headings}  # 2024's excerpt: Part II section 10 only
    assert {s.id for s in found.only_old} == {h.id for h in old.headings if h.level == 2} - held
    dropped = [i.old.id for m in found.sections for i in m.items if i.kind == "dropped"]
    assert dropped and all(pid.startswith("p2-s10-") for pid in dropped)
    rows = {(r.values, r.pairs[0][:7]) for r in figure_rows(found, [])}
    assert ((80000.0, 70000.0), "p2-s10-") in rows  # 筹建保障性租赁住房8万套 → 7万套


def test_the_figures_both_reports_state_are_in_the_table(seeds) -> None:
    reports = list(seeds.values())
    topics, quantities = load_topics(ROOT / "content" / "topics.yaml")
    index = build_index(reports, topics, quantities, "topics.yaml")
    found = compared(seeds["beijing/2024"], seeds["beijing/2025"])
    rows = {(r.name.en, r.kinds, r.values) for r in figure_rows(found, index.quantities)}
    for q in index.quantities:
        targets = [[v.value for v in q.values if v.year == year and v.kind == "target"] for year in (2024, 2025)]
        if targets[0] and targets[1]:
            assert (q.name.en, ("target", "target"), (targets[0][0], targets[1][0])) in rows
        results = [v.value for v in q.values if v.year == 2025 and v.kind == "result"]
        if targets[0] and results:  # the 2024 target against what 2025 says was achieved
            assert (q.name.en, ("target", "result"), (targets[0][0], results[0])) in rows


def test_chinese_by_character_english_by_word() -> None:
    zh = diff("实现城镇新增就业26万人,帮助就业困难人员。", "实现城镇新增就业28万人,帮助就业困难人员。", "zh")
    assert [t for t, changed in zh.old if changed] == ["26万"] and [t for t, c in zh.new if c] == ["28万"]
    assert [(n.label, n.old, n.new) for n in zh.numbers] == [("实现城镇新增就业", "26万人", "28万人")]
    en = diff("We will create 260,000 urban jobs.", "We will create 280,000 new urban jobs.", "en")
    assert [t.strip() for t, c in en.new if c] == ["280,000 new"]
    assert [t.strip() for t, c in en.old if c] == ["260,000"]
    same = diff("实现城镇新增就业", "实现城镇新增就业", "zh")
    assert same.same and same.changed_share == 0


def test_years_lines_and_bare_numbers_are_no_figures() -> None:
    assert diff("2024年开通12号线", "2025年开通17号线", "zh").numbers == ()
    assert diff("in 2024 and Line 12", "in 2025 and Line 17", "en").numbers == ()
    assert [n.old for n in diff("覆盖率达到93%", "覆盖率达到97%", "zh").numbers] == ["93%"]


def test_a_rewritten_clause_is_marked_whole_not_as_confetti() -> None:
    found = diff("落实积极就业政策,全力稳定和扩大就业", "出台促进高质量充分就业的实施意见", "zh")
    assert [c for _, c in found.old] == [True] and [c for _, c in found.new] == [True]


def test_the_paragraph_dp_keeps_the_order_and_takes_the_heavier_chain() -> None:
    by_old = {0: {1: 0.9}, 1: {0: 0.5, 2: 0.3}, 2: {2: 0.6}}
    assert chain([0, 1, 2], [0, 1, 2], by_old, comparing.MATCH) == [(0, 1), (2, 2)]
    assert chain([0, 1, 2], [0, 1, 2], {0: {0: 0.1}}, comparing.MATCH) == []  # below MATCH


def synthetic(n: int, changed: set[int] = frozenset(), insert: int | None = None) -> Report:
    """A report of n paragraphs in one section: the seed pairs in turn, each ending with a
    sentence of its own number (so only that number is rare); `changed` paragraphs say
    another number, one is inserted after `insert`."""
    seed = load_reports(ROOT / "content", Problems())
    base = [p for r in seed for p in r.pairs if p.zh and p.en]
    blocks: list = [Heading(2, "p1-s1", "(一)测试", "1. Test")]
    for k in range(n):
        value = k + 100_000 if k in changed else k
        source = base[k % len(base)]
        blocks.append(Pair("", (Para(source.zh[0].text + f"第{value}批项目按期推进。"),),
                           (Para(source.en[0].text + f" Batch {value} will proceed."),)))
        if k == insert:
            blocks.append(Pair("", (Para("新增一段从未出现的文字,讲述冰雪运动场馆的赛后利用。"),),
                               (Para("A paragraph never seen before, on using winter sports venues."),)))
    from duizhao.content.model import number_pairs
    number_pairs(blocks)
    return Report("t/1", 1, "", Bilingual(), Bilingual(), Bilingual(), Bilingual(), Bilingual(), blocks, [])


def test_matching_scores_candidate_pairs_only_linear_in_the_text() -> None:
    n = 1200
    old, new = synthetic(n), synthetic(n, changed={10, 500, 900}, insert=700)
    found = compared(old, new)
    assert found.scored <= 2 * KEEP * (2 * n + 1) and found.scored < n * n / 50  # not n × m
    kinds = [i.kind for m in found.sections for i in m.items]
    assert kinds.count("new") == 1 and kinds.count("changed") == 3 and kinds.count("same") == n - 3
    flagged = [zh.values for m in found.sections for i in m.items for zh, _ in figure_changes(i)]
    assert sorted(flagged) == [(10.0, 100010.0), (500.0, 100500.0), (900.0, 100900.0)]


def test_rose_and_fell_are_normalised_by_length_with_english_from_the_sentences() -> None:
    old = {"a": "促进就业。加强养老。" * 3}
    new = {"b": "促进就业。加强养老。加强养老。" * 3}  # 就业 as often, in a longer text: it fell
    beads = [("促进就业。", "Promote employment."), ("加强养老。", "Strengthen eldercare.")]
    rose, fell = term_changes((count_terms(old, set()), count_terms(new, set())), (list(old), list(new)), [], beads)
    assert "养老" in [w.zh for w in rose] and "养老" not in [w.zh for w in fell]
    employment = next(w for w in fell if w.zh == "就业")
    assert employment.counts == (3, 3) and employment.rates[0] > employment.rates[1]
    assert employment.en == "employment" and employment.where == (("a",), ("b",))
    assert keyness(3, 6, 100, 200) == 0 and keyness(6, 1, 100, 100) > keyness(4, 3, 100, 100)


def test_sections_are_the_pairs_under_each_heading(seeds) -> None:
    found = sections(seeds["beijing/2025"])
    assert [s.id for s in found] == [h.id for h in seeds["beijing/2025"].headings if h.level > 1]
    assert sum(len(s.pairs) for s in found) == len(seeds["beijing/2025"].pairs)  # no part intro here


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compare") / "site"
    result = run_build("-q", "--no-search", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text("utf-8"), "html.parser")


def test_reports_and_library_link_their_compare_pages(built: Path) -> None:
    for page, prefix in (("beijing/2024/index.html", "../../"), ("index.html", "")):
        hrefs = {a["href"] for a in soup(built, page).select(".compare-links a")}
        assert {prefix + "compare/beijing/2023-2024/index.html", prefix + "compare/beijing/2024-2025/index.html"} <= hrefs
    years = sorted(int(p.stem) for p in (ROOT / "content/reports/beijing").glob("*.md"))
    consecutive = {f"compare/beijing/{a}-{b}/index.html" for a, b in zip(years, years[1:])}
    made = {p.relative_to(built).as_posix() for p in (built / "compare").rglob("index.html")}
    assert consecutive <= made and "compare/beijing/2023-2025/index.html" in made  # site.yaml asks for it


def test_marks_carry_words_for_screen_readers_and_every_run_its_language(built: Path) -> None:
    page = soup(built, "compare/beijing/2024-2025/index.html")
    marks = page.select("del, ins")
    assert len(marks) > 20
    for mark in marks:
        label = mark.find(class_="visually-hidden")
        word = "[deleted:" if mark.name == "del" else "[inserted:"
        assert label is not None and label.get_text() == word + " " and label["lang"] == "en"
    for text in page.find_all(string=HAN):
        holder = text.find_parent(lambda tag: tag.has_attr("lang"))
        if text.parent.name not in ("title", "script") and not text.find_parent("head"):
            assert holder is not None and holder["lang"] == "zh-Hans", text
    item = page.find(class_="item-figures").find_parent(class_="item")
    children = [c for c in item.find_all(recursive=False)]
    assert children.index(item.find(class_="item-figures")) < children.index(item.find(class_="diff"))


def test_site_yaml_asks_for_any_two_and_an_unknown_id_is_located(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("raw"))
    site = content / "site.yaml"
    text = re.sub(r"compare:\n(  - .*\n)+", "", site.read_text("utf-8"))
    site.write_text(text + "compare:\n  - [beijing/2025, beijing/2023]\n", "utf-8")
    assert run_build("-q", "--no-search", "--content", str(content), "--out", str(tmp_path / "a")).returncode == 0
    assert (tmp_path / "a/compare/beijing/2023-2025/index.html").exists()  # the older first
    site.write_text(text + "compare:\n  - [beijing/2023, beijing/2025]\n  - [beijing/2022, beijing/2025]\n", "utf-8")
    result = run_build("-q", "--no-search", "--content", str(content), "--out", str(tmp_path / "b"))
    line = text.count("\n") + 3
    assert result.returncode == 2 and f"site.yaml:{line}: compare: no report 'beijing/2022'" in result.stderr


def test_two_reports_of_different_series_on_request(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("raw"))
    text = (content / "reports/beijing/2024.md").read_text("utf-8")
    (content / "reports/national").mkdir()
    (content / "reports/national/2024.md").write_text(
        text.replace("id: beijing/2024\nseries: beijing", "id: national/2024\nseries: national", 1), "utf-8")
    site = content / "site.yaml"
    site.write_text(re.sub(r"compare:\n(  - .*\n)+", "compare:\n  - [national/2024, beijing/2025]\n",
                           site.read_text("utf-8")), "utf-8")
    result = run_build("-q", "--no-search", "--content", str(content), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    page = soup(tmp_path / "site", "compare/national-2024/beijing-2025/index.html")
    assert page.select("section.compared")  # the wellbeing section, as from Beijing's 2024
    links = {a.get_text() for a in soup(tmp_path / "site", "beijing/2025/index.html").select(".compare-links a")}
    assert links == {"2024 → 2025", "national/2024 → beijing/2025"}
    assert not list((tmp_path / "site/compare").glob("national/*"))  # one national report: no pair


def test_a_reports_side_made_once_serves_both_its_comparisons(seeds) -> None:
    """A report is compared with the one before and the one after it; what a comparison
    reads of it alone (its profiles, rare features, term counts) is made once, and the
    comparison is the same as one that makes everything itself."""
    a, b, c = seeds["beijing/2023"], seeds["beijing/2024"], seeds["beijing/2025"]
    middle = comparing.report_side(b, texts(b))
    for old, new, sides in ((a, b, (comparing.report_side(a, texts(a)), middle)),
                            (b, c, (middle, comparing.report_side(c, texts(c))))):
        kept, fresh = compare(old, new, (texts(old), texts(new)), sides=sides), compared(old, new)
        assert kept.scored == fresh.scored > 0
        assert [(i.kind, i.old and i.old.id, i.new and i.new.id, i.similarity) for m in kept.sections for i in m.items] \
            == [(i.kind, i.old and i.old.id, i.new and i.new.id, i.similarity) for m in fresh.sections for i in m.items]
    whole = {"a": "促进就业，加强养老。", "b": "就业优先。"}
    counted = count_terms(whole, set())
    assert counted.pairs["a"][0]["就业"] == 1 and counted.pairs["a"][1] == 8
    assert counted.pairs["b"] == ({"就业": 1, "优先": 1}, 4) and counted.total["就业"] == 2 and counted.size == 12
    other = count_terms({"c": "就业就业就业优先。"}, set())
    rose, fell = term_changes((counted, other), (["b"], ["c"]), [], [])  # "a" is outside the scope
    assert [(w.zh, w.counts, w.where) for w in rose] == [("就业", (1, 3), (("b",), ("c",)))]
