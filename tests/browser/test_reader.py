"""The reader in headless Chromium: footnote popups, reading modes, theme, anchors,
citations and the contents sidebar, at a desktop (1280 px) and a phone (390 px) width.

Every wait is on a condition. Where a test shows that something does *not* happen later
(a note stays closed, or stays open), the page's clock is installed and run forward past
every timer the reader sets (the longest is 250 ms), instead of sleeping."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from browsing import ROOT

JINGTONG = "Jingtong is the city’s unified public service platform"
PHONE = dict(width=390, height=844, is_mobile=True, has_touch=True, device_scale_factor=2)


def inside_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return box is not None and box["x"] >= 0 and box["y"] >= 0 and \
        box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"]


LATER = 1000  # ms of page time: past every timer the reader sets


def note(page, site_url: str, path: str, label: str, clock: bool = False):
    """Open a report page and bring note reference [label] into view: (ref, popup).
    clock: install the page's clock first, so a test can run its timers forward."""
    if clock:
        page.clock.install()
    page.goto(site_url + path)
    ref = page.locator(f'a[role="doc-noteref"][href="#note-{label}"]')
    ref.scroll_into_view_if_needed()
    return ref, page.locator("#note-popup")


def test_hover_opens_the_right_note_inside_the_viewport(open_context, site_url) -> None:
    page = open_context().page()
    ref, popup = note(page, site_url, "beijing/2025/index.html", "15")
    ref.hover()
    popup.wait_for(state="visible")
    assert JINGTONG in popup.inner_text()
    assert inside_viewport(page, "#note-popup")
    assert ref.get_attribute("aria-describedby") == "note-popup"
    page.mouse.move(5, 400)
    popup.wait_for(state="hidden")


@pytest.mark.parametrize("width", [1280, 390])
def test_every_note_opens_inside_the_viewport(open_context, site_url, width: int) -> None:
    options = PHONE if width == 390 else {"width": width}
    page = open_context(**options).page()
    for year in ("2023", "2024", "2025"):
        page.goto(site_url + f"{year}/index.html")
        refs = page.locator('a[role="doc-noteref"]')
        assert refs.count() > 0
        for i in range(refs.count()):
            ref = refs.nth(i)
            ref.scroll_into_view_if_needed()
            ref.focus()
            note = page.locator(ref.get_attribute("href")).inner_text().replace("↩", "").strip()
            popup = page.locator("#note-popup")
            popup.wait_for(state="visible")
            assert note in popup.inner_text()
            assert inside_viewport(page, "#note-popup"), (year, i)
            page.keyboard.press("Escape")
            popup.wait_for(state="hidden")


def test_keyboard_focus_and_escape(open_context, site_url) -> None:
    page = open_context().page()
    ref, popup = note(page, site_url, "beijing/2025/index.html", "16")
    ref.focus()
    popup.wait_for(state="visible")
    assert popup.get_attribute("role") == "tooltip"
    page.keyboard.press("Escape")
    popup.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#note-16"
    page.keyboard.press("Tab")  # blur closes too
    assert popup.is_hidden()


def test_sheet_close_button_closes_and_returns_focus(open_context, site_url) -> None:
    page = open_context(**PHONE).page()
    ref, popup = note(page, site_url, "beijing/2025/index.html", "16", clock=True)
    ref.tap()
    popup.wait_for(state="visible")
    assert popup.get_attribute("role") == "dialog"
    popup.get_by_role("button", name="Close").tap()
    popup.wait_for(state="hidden")
    page.clock.run_for(LATER)  # focus back on the reference does not reopen it
    assert popup.is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#note-16"


def test_escape_closes_a_hovered_note_for_good(open_context, site_url) -> None:
    page = open_context().page()
    ref, popup = note(page, site_url, "beijing/2025/index.html", "17", clock=True)
    ref.hover()
    popup.wait_for(state="visible")
    page.keyboard.press("Escape")
    popup.wait_for(state="hidden")
    page.clock.run_for(LATER)  # the pointer still on the reference does not reopen it
    assert popup.is_hidden()


def test_a_clicked_note_stays_open_to_select_its_text(open_context, site_url) -> None:
    page = open_context().page()
    ref, popup = note(page, site_url, "beijing/2025/index.html", "15", clock=True)
    ref.click()
    popup.wait_for(state="visible")
    body = popup.locator("p[lang]")
    body.dblclick()
    page.clock.run_for(LATER)  # the pointer left the reference: a pinned note stays
    assert popup.is_visible()
    assert page.evaluate("getSelection().toString().trim()") != ""
    page.mouse.click(5, 600)
    popup.wait_for(state="hidden")


def test_backlink_to_a_hidden_reference_goes_to_its_paragraph(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2025/index.html")
    page.get_by_role("button", name="中文").click()
    page.locator('#note-15 a[role="doc-backlink"]').click()
    page.wait_for_url(re.compile(r"#ref-15$"))  # set, and scrolled, by the same click handler
    top = page.locator("#p2-s8-5").bounding_box()["y"]
    assert 0 < top < 200


def test_tap_opens_a_bottom_sheet_on_a_phone_and_outside_tap_closes(open_context, site_url) -> None:
    page = open_context(**PHONE).page()
    ref, popup = note(page, site_url, "beijing/2025/index.html", "15")
    before = page.url
    ref.tap()
    popup.wait_for(state="visible")
    assert "sheet" in popup.get_attribute("class") and JINGTONG in popup.inner_text()
    assert inside_viewport(page, "#note-popup") and page.url == before
    expect(page.locator("#announce")).to_contain_text(re.compile(r"Note 15: Jingtong"))  # set a moment later
    page.locator("h1").tap()
    popup.wait_for(state="hidden")


def test_without_javascript_a_reference_is_a_link_to_the_endnote(open_context, site_url) -> None:
    page = open_context(java_script_enabled=False).page()
    page.goto(site_url + "beijing/2025/index.html")
    page.locator('a[role="doc-noteref"][href="#note-15"]').click()
    assert page.url.endswith("#note-15")
    back = page.locator('#note-15 a[role="doc-backlink"]')
    back.click()
    assert page.url.endswith("#ref-15")
    assert page.locator(".controls").is_hidden()  # the buttons need JavaScript


def test_reading_mode_hides_a_language_and_is_remembered(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2024/index.html")
    english = page.locator("[data-pair] .cell.en > p:not(.pair-topics)").first  # the text, not the chips
    assert english.is_visible()
    page.get_by_role("button", name="中文").click()
    assert english.is_hidden() and page.locator("[data-pair] .cell.zh p").first.is_visible()
    assert page.get_by_role("button", name="中文").get_attribute("aria-pressed") == "true"
    page.reload()
    assert page.locator("[data-pair] .cell.en > p:not(.pair-topics)").first.is_hidden()
    page.goto(site_url + "beijing/2023/index.html")  # across pages
    assert page.evaluate("document.documentElement.dataset.mode") == "zh"
    page.get_by_role("button", name="English").click()
    assert page.locator("[data-pair] .cell.zh p").first.is_hidden()
    assert page.locator("[data-pair] .cell.en > p").first.is_visible()


def test_phone_stacks_pairs_chinese_first(open_context, site_url) -> None:
    page = open_context(**PHONE).page()
    page.goto(site_url + "beijing/2025/index.html")
    zh = page.locator("[data-pair] .cell.zh").first.bounding_box()
    en = page.locator("[data-pair] .cell.en").first.bounding_box()
    assert en["y"] >= zh["y"] + zh["height"] - 1 and abs(en["x"] - zh["x"]) < 2
    page.get_by_role("button", name="English").click()
    assert page.locator("[data-pair] .cell.zh p").first.is_hidden()


def test_desktop_puts_pairs_side_by_side_aligned_at_the_top(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2025/index.html")
    for i in (0, 5):
        zh = page.locator("[data-pair] .cell.zh").nth(i).bounding_box()
        en = page.locator("[data-pair] .cell.en").nth(i).bounding_box()
        assert en["x"] > zh["x"] + zh["width"] - 1 and abs(en["y"] - zh["y"]) < 2


def test_fragment_lands_below_the_sticky_header_and_is_highlighted(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2025/index.html#p2-s8-3")
    target = page.locator("#p2-s8-3")
    page.wait_for_function("() => Math.abs(document.getElementById('p2-s8-3').getBoundingClientRect().top - "
                           "document.querySelector('.topbar').getBoundingClientRect().bottom) < 40")
    box = target.bounding_box()
    bar = page.locator(".topbar").bounding_box()
    assert bar["y"] + bar["height"] <= box["y"] < 300
    assert page.evaluate("document.querySelector(':target').id") == "p2-s8-3"


def test_copy_link_and_citation(open_context, site_url) -> None:
    watched = open_context()
    watched.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = watched.page()
    page.goto(site_url + "beijing/2025/index.html")
    pair = page.locator("#p2-s8-2")
    pair.scroll_into_view_if_needed()
    pair.hover()
    canonical = "https://reports.example.org/duizhao/beijing/2025/index.html"  # conftest's --base-url
    pair.locator(".permalink").hover()
    pair.get_by_role("button", name="Copy link").click()
    page.wait_for_function("() => document.activeElement.textContent === 'Copied ✓'")  # focus stays
    assert page.evaluate("navigator.clipboard.readText()") == canonical + "#p2-s8-2"
    pair.locator(".cite-tools button").nth(1).click()
    page.wait_for_function("() => navigator.clipboard.readText().then(text => text.startsWith('“'))")
    citation = page.evaluate("navigator.clipboard.readText()")
    assert citation.startswith("“扎实推进城市精细化治理。深化城市更新行动")
    assert "“Advance precision governance in Beijing. We will further advance urban renewal" in citation
    # who said it, where, when: the issuer is Beijing's government, not the State Council
    assert "Beijing Municipal People's Government (北京市人民政府), Report on the Work of the Government (2025)" in citation
    assert "delivered by Yin Yong, Mayor of Beijing (北京市市长 殷勇)" in citation
    assert "Third Session of the Sixteenth Beijing Municipal People's Congress, 2025-01-14" in citation
    assert "II Overall Requirements and Major Tasks for Our Work in 2025 › 8. Modernizing super-large city governance" in citation
    assert "(二、2025年工作总体要求和重点任务 › (八)深入践行人民城市理念" in citation
    assert "English translation: 市外办" in citation
    assert citation.endswith("[p2-s8-2]. " + canonical + "#p2-s8-2")
    assert "¶" not in citation and "Copy" not in citation and "15" not in citation.split("Jingtong")[0]
    # a selected passage is cited alone, its inner quotes nested
    page.evaluate("""() => { const p = document.querySelector('#p2-s8-3 .cell.en p');
        const range = document.createRange(); range.selectNodeContents(p);
        getSelection().removeAllRanges(); getSelection().addRange(range); }""")
    selected = page.evaluate("getSelection().toString()").strip()
    other = page.locator("#p2-s8-3")
    other.locator(".permalink").hover()
    other.get_by_role("button", name="Copy citation").click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.includes('[p2-s8-3]'))")
    cited = page.evaluate("navigator.clipboard.readText()")
    first = cited.split("\n")[0]
    assert first.startswith("“") and first.endswith("”") and "“" not in first[1:-1] and "”" not in first[1:-1]
    assert "‘A Step Forward.’" in first or "A Step Forward" not in selected
    assert len(cited.split("\n")) == 2  # the selection, then the source: no second language
    other.get_by_role("button", name="BibTeX").click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.startsWith('@misc{'))")
    bib = page.evaluate("navigator.clipboard.readText()")
    assert "author = {{Beijing Municipal People's Government}}" in bib and "year = {2025}" in bib
    assert "url = {" + canonical + "#p2-s8-3}" in bib
    other.get_by_role("button", name="CSL-JSON").click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.startsWith('['))")
    import json
    [item] = json.loads(page.evaluate("navigator.clipboard.readText()"))
    assert item["author"] == [{"literal": "Beijing Municipal People's Government"}]
    assert item["issued"] == {"date-parts": [[2025, 1, 14]]} and item["URL"] == canonical + "#p2-s8-3"


def opacity(locator) -> str:
    return locator.evaluate("e => getComputedStyle(e).opacity")


def test_permalink_and_tools_by_keyboard_both_ways(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2024/index.html")
    link = page.locator("#p2-s10-2 .permalink")
    tools = page.locator("#p2-s10-2 .cite-tools")
    assert opacity(link) == "0" and opacity(tools) == "0"
    link.focus()
    assert opacity(link) == "1" and opacity(tools) == "1"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Copy link"
    page.locator("#p2-s10-3 .permalink").focus()  # backwards from the next paragraph (past its chips)
    for _ in range(20):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.textContent") == "Copy citation":
            break
    assert page.evaluate("document.activeElement.closest('[data-pair]').id") == "p2-s10-2"
    assert opacity(tools) == "1"


def test_heading_names_are_just_the_heading(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2024/index.html")
    heading = page.get_by_role("heading", level=3)
    assert heading.count() == 1
    assert heading.inner_text().endswith("fulfilling their aspirations for a better life.")
    text = heading.evaluate("h => h.textContent")
    assert "#" not in text and "Copy" not in text and "Permalink" not in text
    assert page.locator(".anchor").first.get_attribute("lang") == "en"  # the tools are English


def test_contents_follow_the_scroll(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2023/index.html")
    page.locator("#p2-s11").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('p2-s11').scrollIntoView({block: 'start'})")
    current = page.locator('.toc a[aria-current="location"]')
    expect(current).to_have_attribute("href", "#p2-s11")  # not the section of the scroll before
    expect(current).to_have_count(1)
    page.evaluate("document.getElementById('p2-s12-5').scrollIntoView({block: 'start'})")
    page.wait_for_function("() => document.querySelector('.toc a[aria-current]').hash === '#p2-s12-5'")


def test_theme_toggle_and_system_dark_mode(open_context, site_url) -> None:
    dark = open_context(color_scheme="dark").page()
    dark.goto(site_url + "index.html")
    background = "getComputedStyle(document.body).backgroundColor"
    assert dark.evaluate(background) == "rgb(20, 20, 22)"
    light = open_context(color_scheme="light").page()
    light.goto(site_url + "index.html")
    assert light.evaluate(background) == "rgb(252, 252, 250)"
    light.locator("[data-theme-toggle]").click()  # automatic → dark
    assert light.evaluate(background) == "rgb(20, 20, 22)"
    light.reload()
    assert light.evaluate(background) == "rgb(20, 20, 22)"


def test_print_is_black_on_white_even_in_dark_mode(open_context, site_url) -> None:
    page = open_context(color_scheme="dark").page()
    page.goto(site_url + "beijing/2024/index.html")
    page.locator("[data-theme-toggle]").click()  # automatic → dark, explicitly
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert page.locator(".topbar").is_hidden() and page.locator(".toc").is_hidden()
    zh = page.locator("[data-pair] .cell.zh").first.bounding_box()
    en = page.locator("[data-pair] .cell.en").first.bounding_box()
    assert en["x"] > zh["x"] + zh["width"] - 1  # both columns


def test_library_links_into_sections(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "index.html")
    cards = page.locator(".report-card")
    assert cards.count() == 3  # one series, newest first
    assert [cards.nth(k).locator(".year").inner_text() for k in range(3)] == ["2025", "2024", "2023"]
    assert "Part I items 3–6; Part II sections 2, 8–9" in cards.nth(0).inner_text()
    cards.nth(0).locator('a[href="beijing/2025/index.html#p2-s9"]').click()
    page.wait_for_url(re.compile(r"beijing/2025/index\.html#p2-s9$"))
    assert page.evaluate("document.querySelector(':target').id") == "p2-s9"


def test_a_topic_chip_reaches_the_other_years_passage(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2024/index.html")
    chip = page.locator("[data-pair] .year-chip").first
    if chip.count() == 0:
        pytest.skip("no topics.yaml in content/")
    href = chip.get_attribute("href")
    year = chip.inner_text()
    chip.click()
    page.wait_for_url(re.compile(rf"/{year}/index\.html\?topic=[\w-]+#"))
    target = page.evaluate("() => document.querySelector(':target').id")
    assert page.url.endswith(re.sub(r"^(\.\./)+", "", href)) and "/2024/" not in page.url  # another year
    assert page.locator(f"#{target}").get_attribute("data-pair") is not None
    # the terms that put it under the topic are marked there, and the chip said which topic
    topic = re.search(r"\?topic=([\w-]+)#", page.url).group(1)
    marks = page.locator(f"#{target} mark.term")
    expect(marks.first).to_be_visible()
    terms = page.locator(f'#{target} .topic-chip[data-topic="{topic}"]').get_attribute("data-terms").split("|")
    assert all(any(m.lower().startswith(t.lower()) or t in m for t in terms) for m in marks.all_inner_texts())
    box = page.locator(f"#{target}").bounding_box()
    assert 0 <= box["y"] < 300  # on its anchor, below the top bar


def first_line(locator) -> dict:
    """The middle of an inline element's first line box, relative to its bounding box: a
    sentence that wraps has its box's centre on another sentence."""
    return locator.evaluate("""e => { const box = e.getBoundingClientRect(), line = e.getClientRects()[0];
        return {x: line.left - box.left + line.width / 2, y: line.top - box.top + line.height / 2}; }""")


def test_hovering_a_sentence_lights_exactly_its_translation(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2025/index.html")
    pair = page.locator('[data-pair][data-align="beads"]').first
    pair.scroll_into_view_if_needed()
    zh_spans = pair.locator(".cell.zh [data-bead]")
    assert zh_spans.count() >= 2
    for i in (0, zh_spans.count() - 1):
        span = zh_spans.nth(i)
        bead = span.get_attribute("data-bead")
        span.hover(position=first_line(span))
        lit_en = pair.locator(".cell.en .bead-lit")
        assert lit_en.count() >= 1
        assert {lit_en.nth(k).get_attribute("data-bead") for k in range(lit_en.count())} == {bead}
        assert lit_en.count() == pair.locator(f'.cell.en [data-bead="{bead}"]').count()
    en_span = pair.locator(".cell.en [data-bead]").last
    en_span.hover(position=first_line(en_span))
    bead = en_span.get_attribute("data-bead")
    lit_zh = pair.locator(".cell.zh .bead-lit")
    assert lit_zh.count() == pair.locator(f'.cell.zh [data-bead="{bead}"]').count() >= 1
    page.mouse.move(2, 300)
    expect(pair.locator(".bead-lit")).to_have_count(0)
    page.emulate_media(media="print")
    en_span.hover(position=first_line(en_span))
    assert en_span.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"


def test_the_reader_runs_as_modules_found_from_the_site_root(open_context, site_url) -> None:
    """One module script, static/js/main.js, which imports the others relative to itself;
    the root of the site comes from <html data-root>, also on the 404 page (<base href>)."""
    watched = open_context()
    page = watched.page()
    scripts: list[tuple[str, int]] = []
    page.on("response", lambda r: r.request.resource_type == "script" and scripts.append((r.url, r.status)))
    page.goto(site_url + "beijing/2025/index.html")
    assert page.evaluate("document.documentElement.dataset.root") == "../../"
    assert page.eval_on_selector_all("script[src]", "s => s.map(e => [e.getAttribute('src'), e.type])") == \
        [["../../static/prelude.js", ""], ["../../static/js/main.js", "module"]]
    assert page.evaluate("document.documentElement.classList.contains('js')")  # main.js ran
    assert all(status == 200 and "/duizhao/static/" in url for url, status in scripts), scripts
    assert {url.rsplit("/", 1)[1] for url, _ in scripts} >= {"prelude.js", "main.js", "util.js", "notes.js"}
    # the popup is a copy of the page's <template>, made once
    assert page.locator("template#note-template").count() == 1 and page.locator("#note-popup").count() == 1
    page.goto(site_url + "no/such/deep/page.html")
    assert page.evaluate("document.documentElement.dataset.root") == ""
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
    page.get_by_role("button", name="English").click()  # the modules run here too
    assert page.evaluate("document.documentElement.dataset.mode") == "en"
    watched.errors = [e for e in watched.errors if "404" not in e]  # the missing page itself


def test_a_copy_opened_from_disk_reads_without_its_scripts(browser, built_site) -> None:
    """From file: Chromium runs no module script. The page still reads: both languages,
    no buttons that cannot work, and a reference is a link to its endnote."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto((built_site / "beijing" / "2025" / "index.html").as_uri())
        assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).position") == "sticky"
        assert page.evaluate("document.documentElement.dataset.mode") == "both"
        assert not page.evaluate("document.documentElement.classList.contains('js')")
        assert page.locator(".controls").is_hidden()
        assert page.locator("[data-pair] .cell.zh p").first.is_visible()
        assert page.locator("[data-pair] .cell.en p").first.is_visible()
        page.locator('a[role="doc-noteref"][href="#note-15"]').click()
        assert page.url.endswith("#note-15") and page.locator("#note-popup").count() == 0
    finally:
        context.close()


# A sure bead (the figure), then two Chinese sentences and four English ones with nothing to
# tell where the boundary goes: a coin toss, so both beads are uncertain. (A short Chinese
# sentence against a long English one served before; it is now, rightly, one sure bead.)
UNSURE_ZH = "新增就业26万人。甲乙丙丁戊己庚辛壬癸甲乙丙丁戊。子丑寅卯辰巳午未申酉戌亥子丑寅。"
UNSURE_EN = ("A total of 260,000 new urban jobs were created. " + "Xq zv wk jp rt lm ns bd fg hc yx kw. " * 3
             + "Xq zv wk jp rt lm ns bd fg hc yx kw.")


def test_an_uncertain_bead_is_said_quietly(browser, tmp_path_factory) -> None:
    """Every pair is drawn bead by bead; a bead the aligner is unsure of gets a dotted
    underline when lit, and the pair's tools say how sure the alignment is."""
    from conftest import _serve
    root = tmp_path_factory.mktemp("unsure")
    report = (ROOT / "content/reports/beijing/2024.md").read_text("utf-8")
    front = report.split("\n---\n", 1)[0] + "\n---\n"
    (root / "content/reports/beijing").mkdir(parents=True)
    (root / "content/reports/beijing/2024.md").write_text(
        front + f"\n## (一)测试 {{#s1}}\n\n## 1. Test\n\n{UNSURE_ZH}\n\n{UNSURE_EN}\n", "utf-8")
    built = subprocess.run([sys.executable, str(ROOT / "build.py"), "-q", "--no-search", "--content",
                            str(root / "content"), "--out", str(root / "site")], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    serving = _serve(root / "site")
    url = next(serving)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "beijing/2024/index.html")
        pair = page.locator("#s1-1")
        assert pair.get_attribute("data-align") == "beads"
        unsure = pair.locator("[data-uncertain]").first
        unsure.hover()
        expect(unsure).to_have_class(re.compile(r"\bbead-lit\b"))
        assert unsure.evaluate("e => getComputedStyle(e).textDecorationStyle") == "dotted"
        sure = pair.locator("[data-bead]:not([data-uncertain])").first
        sure.hover()
        expect(sure).to_have_class(re.compile(r"\bbead-lit\b"))
        assert sure.evaluate("e => getComputedStyle(e).textDecorationStyle") != "dotted" or \
            sure.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
        confidence = float(pair.get_attribute("data-confidence"))
        pair.locator(".permalink").hover()
        expect(pair.locator(".cite-tools .confidence")).to_have_text(f"Alignment {round(confidence * 100)}% sure")
        page.close()
    finally:
        next(serving, None)


def test_without_a_base_url_links_name_the_address_the_page_was_served_from(browser, tmp_path_factory) -> None:
    """content/site.yaml ships no base URL: no page names an absolute address (no
    placeholder domain), and a copied link or citation names where the reader is."""
    from conftest import _serve
    out = tmp_path_factory.mktemp("nobase") / "site"
    built = subprocess.run([sys.executable, str(ROOT / "build.py"), "--no-search", "--out", str(out)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert built.stdout.count("no base URL") == 1  # said once
    pages = [p.read_text("utf-8") for p in out.rglob("*.html")]
    assert not any("example." in text or '<link rel="canonical" href="http' in text
                   or 'property="og:url"' in text for text in pages)
    assert not (out / "sitemap.xml").exists()
    serving = _serve(out)
    url = next(serving)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(url + "beijing/2024/index.html")
        pair = page.locator("#p2-s10-2")
        pair.locator(".permalink").hover()
        pair.get_by_role("button", name="Copy citation").click()
        page.wait_for_function("() => navigator.clipboard.readText().then(t => t.includes('[p2-s10-2]'))")
        assert page.evaluate("navigator.clipboard.readText()").endswith(
            "[p2-s10-2]. " + url + "beijing/2024/index.html#p2-s10-2")
        context.close()
    finally:
        next(serving, None)


def test_topic_pages_follow_the_reading_mode_and_say_promise_or_result(open_context, site_url) -> None:
    """English mode on a report year's topics page shows no Chinese at all (never Chinese
    with its marked terms cut out); every passage says whether it is a promise or a
    result, and where."""
    page = open_context().page()
    page.goto(site_url + "beijing/2025/topics/index.html#elderly-care")
    page.get_by_role("button", name="English").click()
    passages = page.locator(".passage")
    assert passages.count() >= 2
    for k in range(passages.count()):
        passage = passages.nth(k)
        assert passage.locator("p.cell.zh").is_hidden() and passage.locator("p.cell.en").is_visible()
        kind = passage.locator(".source .kind").inner_text()
        assert kind.startswith(("Promise", "Result"))
    care = page.locator("section#elderly-care .passage")
    kinds = {care.nth(k).locator(".source .kind").inner_text().split(" ")[0] for k in range(care.count())}
    assert kinds == {"Promise", "Result"}  # 2025 reviews 2024 (results) and sets 2025's tasks
    visible_han = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.offsetParent !== null && [...e.childNodes].some(n => n.nodeType === 3 && /[\\u4e00-\\u9fff]/.test(n.nodeValue)))
        .map(e => e.tagName + '.' + e.className + ':' + e.getAttribute('lang'))""")
    assert all(":zh-Hans" in entry for entry in visible_han), visible_han  # only labelled names, no cut passages
    assert page.locator("main .cell.zh:visible").count() == 0
    assert page.locator("main section[id] h2 .cell.en:visible").count() == page.locator("main section[id]").count()
    page.get_by_role("button", name="中文").click()
    assert page.locator("main .cell.en:visible").count() == 0
    assert page.locator("main .cell.zh:visible").count() > passages.count()


def test_sentence_highlight_can_be_switched_off_and_stays_off(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2025/index.html")
    sentence = page.locator('#p2-s8-2 .cell.zh [data-bead="1"]').first
    sentence.hover()
    expect(sentence).to_have_class(re.compile(r"\bbead-lit\b"))
    toggle = page.locator("[data-beads-toggle]")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    page.reload()
    expect(page.locator("[data-beads-toggle]")).to_have_attribute("aria-pressed", "false")
    page.locator('#p2-s8-2 .cell.en [data-bead="1"]').first.hover()
    page.locator('#p2-s8-2 .cell.zh [data-bead="1"]').first.hover()
    assert page.locator(".bead-lit").count() == 0
    page.locator("[data-beads-toggle]").click()  # and back on
    page.locator('#p2-s8-2 .cell.en [data-bead="1"]').first.hover()
    expect(page.locator('#p2-s8-2 .cell.zh [data-bead="1"]').first).to_have_class(re.compile(r"\bbead-lit\b"))


def test_print_names_the_page_and_drops_the_controls(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2025/index.html")
    page.emulate_media(media="print")
    assert "reports.example.org/duizhao/beijing/2025/index.html" in page.locator(".print-source").inner_text()
    assert "Beijing Municipal People's Government" in page.locator(".print-source").inner_text()
    for hidden in (".pair-topics", ".downloads", '[role="doc-backlink"]', ".reading-tools"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.evaluate("getComputedStyle(document.querySelector('#p2-s8-2'), '::before').content") == '"p2-s8-2"'


def test_tapping_a_sentence_on_a_phone_lights_its_translation(open_context, site_url) -> None:
    """A tap focuses the article around the sentence (tabindex=-1) right after lighting it;
    that focus must not put the light out again."""
    page = open_context(**PHONE).page()
    page.goto(site_url + "beijing/2025/index.html")
    pair = page.locator('[data-pair][data-align="beads"]').first
    pair.scroll_into_view_if_needed()
    span = pair.locator(".cell.zh [data-bead]").first
    bead = span.get_attribute("data-bead")
    span.tap(position=first_line(span))
    expect(pair.locator(f'.cell.en [data-bead="{bead}"]').first).to_have_class(re.compile(r"\bbead-lit\b"))


def test_the_top_bar_is_one_row_on_any_phone_in_every_mode(open_context, site_url) -> None:
    """The bar's name, Topics, About, search, the three modes and the theme all fit in one
    row of the bar at 320–700 px, in each reading mode (English shows the long English
    name and labels), measured with a real CJK font: boxes for missing glyphs are a third
    as wide, which once let an overflowing bar pass here."""
    page = open_context(**dict(PHONE, width=320)).page()
    page.goto(site_url + "beijing/2025/index.html")
    em = page.evaluate("""(() => { const s = document.createElement('span'); s.style.fontSize = '100px';
        s.textContent = '中文'; document.body.append(s); const w = s.getBoundingClientRect().width; s.remove(); return w })()""")
    if em < 180 and os.environ.get("CI"):  # a real CJK font draws 中文 about 200 px wide here
        pytest.fail("no CJK font: apt-get install -y fonts-wqy-microhei (see .ci/run)")
    for width in (320, 360, 390, 480, 520, 640, 700):
        page.set_viewport_size({"width": width, "height": 844})
        for mode in ("both", "zh", "en"):
            page.locator(f".modes [data-set-mode={mode}]").click()
            bar = page.locator(".topbar").bounding_box()
            for name in ("主题|Topics", "关于|About"):
                link = page.locator(".site-nav a").filter(has_text=re.compile(name))
                box = link.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, mode, name)
            for control in page.locator(".topbar .brand, .topbar .site-nav a, .topbar .controls > *").all():
                box = control.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, (width, mode, box)
                assert box["y"] >= bar["y"] and box["y"] + box["height"] <= bar["y"] + bar["height"], (width, mode)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, mode)


@pytest.mark.parametrize("width", [390, 320])
def test_the_copy_tools_open_inside_a_phone_screen(open_context, site_url, width: int) -> None:
    """On a phone the ¶ sits at the right edge: its tools drop below it and wrap, every
    button on the screen (they ran off the left edge in one row)."""
    page = open_context(**dict(PHONE, width=width)).page()
    page.goto(site_url + "beijing/2025/index.html")
    pair = page.locator('[data-pair][data-confidence]').first
    pair.scroll_into_view_if_needed()
    pair.locator(".permalink").focus()
    buttons = pair.locator(".cite-tools button, .cite-tools .confidence")
    assert buttons.count() == 5
    for k in range(buttons.count()):
        expect(buttons.nth(k)).to_be_visible()
        box = buttons.nth(k).bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, (k, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the top bar too
