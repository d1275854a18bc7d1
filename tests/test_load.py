"""The bilingual Markdown reader/writer: round trips and every hand-edit mistake."""

from __future__ import annotations

import pytest

from helpers import ROOT
from duizhao.errors import DuizhaoError, Problems
from duizhao.content.read import parse_markdown
from duizhao.content.write import UNTRANSLATED, dump

FRONT = "---\nid: '2024'\nyear: 2024\ntitle:\n  zh: 政府工作报告\n  en: Report\n---\n\n"
H = "## (十)更加注重保障和改善民生 {#p2-s10}\n\n## Tenth, we will improve wellbeing.\n\n"
ZH = "**促进高质量充分就业。**落实积极就业政策,全力稳定和扩大就业。"
EN = "**Promote full employment.** We will implement proactive employment policies[^1]."
NOTE = "\n\n[^1]: A note."


def load(text: str) -> tuple:
    problems = Problems()
    report = parse_markdown(text, "r.md", problems)
    return report, [str(w) for w in problems.warnings]


def error_of(text: str) -> str:
    with pytest.raises(DuizhaoError) as caught:
        parse_markdown(text, "r.md", Problems())
    return str(caught.value)


@pytest.mark.parametrize("year", ["2023", "2024", "2025"])
def test_committed_reports_round_trip(year: str) -> None:
    """load → write → load gives the same model (editors may have changed the files,
    so the text itself is not pinned here; test_cli pins a fresh import)."""
    text = (ROOT / "content" / "reports" / "beijing" / f"{year}.md").read_text("utf-8")
    report, _ = load(text)
    again, _ = load(dump(report))
    assert again == report
    assert dump(again) == dump(report)


def test_reads_headings_pairs_leads_and_notes() -> None:
    report, warnings = load(FRONT + H + ZH + "\n\n" + EN + NOTE)
    assert warnings == []
    [heading] = report.headings
    assert (heading.level, heading.id, heading.line) == (2, "p2-s10", 9)
    [pair] = report.pairs
    assert pair.id == "p2-s10-1"
    assert (pair.zh[0].lead, pair.zh[0].text) == ("促进高质量充分就业。", "落实积极就业政策,全力稳定和扩大就业。")
    assert pair.en[0].lead == "Promote full employment."
    assert report.notes[0].text == "A note."


def test_wrapped_lines_and_second_english_paragraph() -> None:
    text = FRONT + "各位代表!\n万里征程再启航。\n\nFellow Deputies,\\\nAs we embark\non a journey."
    report, _ = load(text)
    pair = report.pairs[0]
    assert pair.zh[0].text == "各位代表!万里征程再启航。"
    assert [p.text for p in pair.en] == ["Fellow Deputies,", "As we embark on a journey."]
    assert load(dump(report))[0] == report


def test_ids_made_from_numbering_when_not_given() -> None:
    text = FRONT + "# 二、重点任务\n\n# II Tasks\n\n## (十)民生\n\n## Tenth, wellbeing\n\n### 三是就业。\n\n### 3. Jobs\n"
    report, _ = load(text)
    assert [h.id for h in report.headings] == ["p2", "p2-s10", "p2-s10-i3"]


def test_untranslated_marker_builds_with_a_warning() -> None:
    report, warnings = load(FRONT + ZH + "\n\n" + UNTRANSLATED)
    assert report.pairs[0].en == ()
    assert warnings == ["r.md:11: warning: marked untranslated: only one language is shown"]


def test_bare_untranslated_mark_pairs_with_a_heading() -> None:
    report, warnings = load(FRONT + "## (十)民生 {#p2-s10}\n\n" + UNTRANSLATED + "\n\n" + ZH + "\n\n" + EN + NOTE)
    assert report.headings[0].en is None and len(report.pairs) == 1
    assert warnings == ["r.md:11: warning: marked untranslated: only one language is shown"]


def test_heading_advice_names_the_heading_form() -> None:
    message = error_of(FRONT + "## (十)民生\n\n" + ZH + "\n\n" + EN + NOTE)
    assert message.endswith(f"add the translation or a line ## {UNTRANSLATED}")


def test_year_that_disagrees_with_date_is_warned() -> None:
    _, warnings = load(FRONT.replace("year: 2024", "year: 2030\ndate: '2024-01-21'") + ZH + "\n\nEnglish.")
    assert warnings == ["r.md:2: warning: id 2024 names the year 2024 but year is 2030: is one of them a typo?",
                        "r.md:3: warning: year 2030 but date 2024-01-21: is one of them a typo?"]


def test_an_id_naming_another_year_is_warned() -> None:
    """`id: beijing/2024` with `year: 2025` built silently: the page at beijing/2024/
    titled 2025, its topics under 2025. A name that is not a year is the editor's own."""
    front = FRONT.replace("id: '2024'", "id: beijing/2024\nseries: beijing").replace("year: 2024", "year: 2025")
    _, warnings = load(front + ZH + "\n\nEnglish.")
    assert warnings == ["r.md:2: warning: id beijing/2024 names the year 2024 but year is 2025: "
                        "is one of them a typo?"]
    _, warnings = load(front.replace("id: beijing/2024", "id: beijing/2025-budget") + ZH + "\n\nEnglish.")
    assert warnings == []


def test_unclosed_quote_names_where_it_started() -> None:
    text = "---\nid: '2024'\nyear: 2024\ntitle: 'unclosed\ndate: x\nsources: []\n---\n\n" + ZH + "\n\nEnglish."
    assert error_of(text) == ("r.md:4: bad YAML: found unexpected end of stream "
                              "(while scanning a quoted scalar; the parser stopped at line 6)")


@pytest.mark.parametrize("broken, stopped", [
    ("title 2024 report", "could not find expected ':'"),  # a key without its colon
    ("title: [unclosed", "did not find expected ',' or ']'"),  # an unclosed bracket
])
def test_bad_yaml_names_the_line_to_fix_not_where_the_parser_stopped(broken: str, stopped: str) -> None:
    text = "---\nid: '2024'\nyear: 2024\n" + broken + "\ndate: x\nsources: []\n---\n\n" + ZH + "\n\n" + EN
    message = error_of(text)
    assert message.startswith(f"r.md:4: bad YAML: {stopped}") and "the parser stopped at line" in message


def test_chinese_followed_by_chinese_is_an_error() -> None:
    assert error_of(FRONT + ZH + "\n\n" + "另一段中文内容,没有英文。" + "\n\n" + EN + NOTE) == (
        "r.md:11: expected the English translation of line 9, found Chinese; "
        f"add it or a {UNTRANSLATED} block")


def test_english_without_chinese_is_an_error() -> None:
    message = error_of(FRONT + H + EN + NOTE)
    assert message.startswith("r.md:13: English paragraph without a Chinese paragraph before it")


def test_heading_without_english_heading_is_an_error() -> None:
    message = error_of(FRONT + "## (十)民生\n\n" + ZH + "\n\n" + EN + NOTE)
    assert message.startswith("r.md:9: Chinese heading has no English heading after it")


def test_undefined_note_reference_is_an_error() -> None:
    assert error_of(FRONT + H + ZH + "\n\n" + EN) == (
        "r.md:15: reference [^1] to a note that is not defined (add a line [^1]: …)")


def test_note_never_cited_is_a_warning() -> None:
    _, warnings = load(FRONT + H + ZH + "\n\n" + EN + NOTE + "\n\n[^2]: Unused.")
    assert warnings == ["r.md:19: warning: note [^2] is defined but never cited"]


def test_duplicate_ids_are_an_error() -> None:
    message = error_of(FRONT + H + ZH + "\n\n" + EN + "\n\n" + H.replace("(十)", "(十一)") + NOTE)
    assert "r.md:17: duplicate id 'p2-s10' (first at line 9)" in message


def test_bad_id_and_deep_heading_are_errors() -> None:
    message = error_of(FRONT + "#### (十)民生 {#9bad}\n\n#### Tenth\n")
    assert "r.md:9: headings go down to ###" in message
    assert "r.md:9: bad id {#9bad}" in message


def test_bad_yaml_names_its_line() -> None:
    text = "---\nid: '2024'\nyear: 2024\ntitle: [unclosed\n---\n\n" + ZH + "\n\n" + EN
    assert error_of(text).startswith("r.md:4: bad YAML: ")


def test_duplicate_yaml_key_is_an_error() -> None:
    text = FRONT.replace("year: 2024\n", "year: 2024\nyear: 2025\n") + ZH + "\n\nEnglish."
    assert error_of(text) == "r.md:4: duplicate key 'year' (first at line 3)"


def test_missing_front_matter_and_bad_fields() -> None:
    assert error_of(ZH) == "r.md:1: a report starts with YAML front matter between --- lines"
    assert error_of(FRONT.replace("year: 2024", "year: soon")) == "r.md:3: year must be a number, not 'soon'"
    assert error_of(FRONT.replace("id: '2024'", "id: a/b")) == (
        "r.md:2: id 'a/b' names series 'a': add `series: a` to the front matter")
    assert error_of(FRONT.replace("id: '2024'", "id: a/b/c")) == (
        "r.md:2: id 'a/b/c' must be <series>/<name> (like beijing/2025), each part 1–64 letters, "
        "digits, - or _ (it becomes the URL)")
    assert error_of(FRONT.replace("id: '2024'", "id: x/2024\nseries: beijing")) == (
        "r.md:2: id 'x/2024' must start with its series: beijing/2024")


@pytest.mark.parametrize("edit, message", [
    (("year: 2024", "year: 2024\nspeeker: {zh: 殷勇, en: Yin Yong}"), "r.md:4: unknown front matter key 'speeker'"),
    (("year: 2024", "year: true"), "r.md:3: year must be a number, not True"),
    (("year: 2024", "year: 2024\ndate: 2024-13-45"), "r.md:2: bad YAML value: month must be in 1..12"),
])
def test_front_matter_mistakes_are_located(edit, message: str) -> None:
    assert error_of(FRONT.replace(*edit) + ZH + "\n\nEnglish.").startswith(message)


def test_reserved_and_clashing_ids_are_refused() -> None:
    assert "id {#notes-title} is used by the page itself" in error_of(FRONT + H.replace("{#p2-s10}", "{#notes-title}") + ZH + "\n\n" + EN + NOTE)
    clash = FRONT + H + ZH + "\n\n" + EN + "\n\n## (十一)又一节 {#p2-s10-1}\n\n## 11. Another" + NOTE
    assert "heading id 'p2-s10-1' is also a paragraph's id" in error_of(clash)


def test_alignment_marks_must_pair_up() -> None:
    text = FRONT + "第一句。||第二句。\n\nFirst. || Second. || Third." + "\n"
    assert error_of(text) == ("r.md:9: alignment marks ||: 1 in the Chinese, 2 in the English; "
                              "they pair up one by one")


def test_note_labels_are_plain() -> None:
    assert "note label [^a\"b]: use letters, digits, - or _" in error_of(FRONT + ZH + "\n\nEnglish[^a\"b].\n\n[^a\"b]: x")


def test_derived_data_shares_the_reports_strings() -> None:
    """What a worker (or the disk cache) sends back holds its own copy of the text; once
    loaded it points at the report's strings, and is then left alone (one look)."""
    import pickle
    from duizhao.build import collect
    from duizhao.build.cache import Cache
    loaded = collect.load_all(ROOT / "content", Problems(), Cache(None))
    report = loaded.reports[0]
    derived = pickle.loads(pickle.dumps(loaded.derived[report.id]))  # as from a worker
    assert not collect._shared(report, derived)
    collect._share(report, derived)
    assert collect._shared(report, derived)
    units = [(u, pair) for pair in report.pairs for u in derived.alignments[pair.id].zh if not u.lead]
    assert units and all(u.source is pair.zh[u.para].text for u, pair in units)
    whole = [p for p in report.pairs if len(p.zh) == 1 and not p.zh[0].lead and "*" not in p.zh[0].text
             and "[^" not in p.zh[0].text]
    assert whole and all(derived.matched[1][p.id][0] is p.zh[0].text for p in whole)


@pytest.mark.parametrize("date", ["2024-02-30", "soon", "2024-1-5", "24-01-21"])
def test_a_date_that_is_no_day_is_an_error_at_its_line(date: str) -> None:
    """It became <time datetime="2024-02-30">, invalid HTML, and only a misleading warning."""
    front = FRONT.replace("year: 2024", f"year: 2024\ndate: '{date}'")
    assert error_of(front + ZH + "\n\nEnglish.") == (f"r.md:4: date {date!r} is not a day like 2025-01-14 "
                                                    "(or leave it out)")


@pytest.mark.parametrize("side, name", [("zh", "Chinese"), ("en", "English")])
def test_a_title_emptied_on_one_side_is_warned(side: str, name: str) -> None:
    """A hand-deleted English title built an empty <span lang=en> in every heading that
    shows it, and said nothing."""
    emptied = FRONT.replace("  zh: 政府工作报告", "  zh: ''") if side == "zh" else FRONT.replace("  en: Report", "  en: ''")
    _, warnings = load(emptied + ZH + "\n\nEnglish.")
    assert warnings == [f"r.md:4: warning: the title has no {name} (title: {side}: is empty): "
                        "pages show the other language's title alone"]


def test_a_list_written_one_item_a_line_names_the_faulty_item_not_its_bracket() -> None:
    from duizhao.content.frontmatter import parse
    text = "topics:\n  - id: edu\n    terms: [\n      教育,\n      学校,\n      \"义务教育\" \"双减\",\n      高校]\n"
    with pytest.raises(DuizhaoError) as caught:
        parse(text, "t.yaml", 1)
    assert str(caught.value).startswith("t.yaml:6: bad YAML: did not find expected ',' or ']'")
