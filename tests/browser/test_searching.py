"""Search in headless Chromium, on the built site served under /duizhao/: Chinese terms,
English phrases and numbers find passages of several years; results are keyboard
reachable and land on the pair's anchor; nothing leaves the origin, no console error
(which includes any Content-Security-Policy violation)."""

from __future__ import annotations

import json
import os
import re
import time
import urllib.request

import pytest

from browsing import PREFIX, ROOT, Watched

RESULT = "#search-results .search-hit"


@pytest.fixture(scope="session")
def site_url(search_url: str) -> str:
    """Here the site is the one built with its search bundles (conftest.py)."""
    return search_url


def search(page, query: str, year: str = "") -> list[dict]:
    """Type a query into the open search box; the results as {href, where, zh, en, marks}
    once the list answers this query and year (its data-query and data-year say which):
    typing asks for every prefix, and the list of the previous query is still there."""
    page.fill("#search-input", "")
    page.eval_on_selector("#search-results", "list => { delete list.dataset.query; }")
    if year:
        page.select_option("#search-year", year)  # waits for the year to be offered
    page.type("#search-input", query)
    page.wait_for_function("([query, year]) => { const list = document.getElementById('search-results'); "
                           "return list.dataset.query === query && list.dataset.year === year; }",
                           arg=[query, year])
    assert page.inner_text("#search-status")  # said to screen readers too
    return page.eval_on_selector_all(RESULT, """links => links.map(a => ({
        href: a.getAttribute('href'), where: a.querySelector('.search-where').textContent,
        zh: a.querySelector('.search-zh').textContent, en: a.querySelector('.search-en').textContent,
        marks: [...a.querySelectorAll('mark')].map(m => m.textContent)}))""")


def opened(open_context, site_url: str, path: str = "index.html", width: int = 1280):
    watched = open_context(width=width)
    page = watched.page()
    page.goto(site_url + path)
    page.keyboard.press("/")
    page.wait_for_selector("#search[open]")
    assert page.evaluate("() => document.activeElement.id") == "search-input"
    return watched, page


def years(results: list[dict]) -> set[str]:
    return {re.match(r"(\d{4}) ·", r["where"]).group(1) for r in results}


def test_a_chinese_term_finds_it_inside_longer_words_in_several_years(open_context, site_url) -> None:
    watched, page = opened(open_context, site_url)
    results = search(page, "养老")
    assert len(years(results)) >= 2, results
    assert all("养老" in r["zh"] for r in results)
    assert any(m == "养老" for r in results for m in r["marks"])
    assert any("养老服务中心" in r["zh"] for r in results)  # 养老 inside a longer word
    assert all(r["href"].split("#")[1] for r in results)  # every result is a pair's anchor


def test_an_english_phrase_and_a_number_find_passages_of_several_years(open_context, site_url) -> None:
    watched, page = opened(open_context, site_url, "beijing/2024/index.html")
    results = search(page, "elderly care")
    assert len(years(results)) >= 2
    # every result marks what matched, stemmed as English is: elderly ~ elders, care ~ cares
    assert all(any(re.match(r"(elder|care)", m, re.I) for m in r["marks"]) for r in results), results
    for query in ("260,000", "26万"):  # either way of writing it finds both
        found = search(page, query)
        assert {"2023", "2024", "2025"} <= years(found), query
        assert all("26万" in r["zh"] or "260,000" in r["en"] for r in found), (query, found)
        assert all(set("".join(r["marks"])) <= set("260,万") and r["marks"] for r in found), found


def test_the_year_filter_keeps_one_year(open_context, site_url) -> None:
    watched, page = opened(open_context, site_url)
    results = search(page, "养老", year="2024")
    assert results and years(results) == {"2024"}


def test_keyboard_only_reaches_a_result_which_lands_on_the_pair(open_context, site_url) -> None:
    watched, page = opened(open_context, site_url)
    results = search(page, "26万")
    assert "result" in page.inner_text("#search-status")  # what a screen reader hears
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == results[0]["href"]
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.id") == "search-input"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    pair = results[0]["href"].split("#")[1]
    page.wait_for_url(re.compile(rf"#{pair}$"))  # the report's page, loaded
    assert "/duizhao/" in page.url
    # the browser marks the target once the page is parsed, not with the URL: wait for that
    page.wait_for_function(f"() => document.getElementById('{pair}')?.matches(':target')")
    assert page.evaluate("() => document.getElementById('{}').hasAttribute('data-pair')".format(pair))
    box = page.locator(f"#{pair}").bounding_box()
    assert 0 <= box["y"] < 900


def test_escape_closes_and_a_click_on_a_result_in_the_same_report(open_context, site_url) -> None:
    watched, page = opened(open_context, site_url, "beijing/2025/index.html", width=390)
    page.keyboard.press("Escape")
    assert not page.evaluate("() => document.getElementById('search').open")
    page.click("[data-search-open]")
    page.wait_for_selector("#search[open]")
    page.fill("#search-input", "养老")
    page.keyboard.press("Escape")  # with a query typed too: the field's Esc would only empty it
    assert not page.evaluate("() => document.getElementById('search').open")
    page.click("[data-search-open]")
    page.wait_for_selector("#search[open]")
    results = search(page, "26万", year="2025")
    page.click(RESULT)
    pair = results[0]["href"].split("#")[1]
    page.wait_for_function(f"() => location.hash === '#{pair}'")
    assert not page.evaluate("() => document.getElementById('search').open")


def test_first_query_downloads_and_time_to_first_result(open_context, site_url, capsys) -> None:
    """Measured, not held to a threshold: printed for the README (pytest -s shows it).
    From the "/" key on a fresh page to the first result on screen, all of Pagefind and
    its index chunks downloaded on the way."""
    watched = open_context()
    page = watched.page()
    loaded: list[int] = []
    page.on("requestfinished", lambda r: "_pagefind" in r.url and loaded.append(r.sizes()["responseBodySize"]))
    page.goto(site_url + "index.html")
    page.wait_for_load_state("networkidle")
    started = time.perf_counter()
    page.keyboard.press("/")
    page.wait_for_selector("#search[open]")
    page.fill("#search-input", "养老")
    page.wait_for_selector(RESULT)
    elapsed = time.perf_counter() - started
    assert loaded and page.locator(RESULT).count() > 0
    with capsys.disabled():
        print(f"\nsearch: first query downloaded {sum(loaded) / 1024:.0f} KB in {len(loaded)} "
              f"files; first result on screen {elapsed * 1000:.0f} ms after the / key")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_in_the_open_search(open_context, site_url, scheme) -> None:
    from test_published import AXE
    if not AXE.exists():
        pytest.fail("axe-core missing: run npm ci") if os.environ.get("CI") else pytest.skip("axe-core missing")
    watched = open_context(width=390, color_scheme=scheme)
    watched.context.add_init_script(path=str(AXE))
    page = watched.page()
    page.goto(site_url + "beijing/2024/index.html")
    page.keyboard.press("/")
    page.wait_for_selector("#search[open]")
    assert search(page, "养老")
    violations = page.evaluate("async () => (await axe.run(document.getElementById('search'), "
                               "{resultTypes: ['violations']})).violations.map(v => v.id + ': ' + "
                               "v.nodes.map(n => n.target).join(' | '))")
    assert violations == []
    page.screenshot(path=f"/tmp/search-{scheme}.png")


@pytest.mark.parametrize("coinage", ["老老人", "京通"])
def test_a_chinese_coinage_ranks_exact_hits_first(open_context, site_url, coinage: str) -> None:
    """老老人 shares 老 with 老旧小区 and 京通 shares 京 with 北京: passages that say the
    coinage itself come first, before any that only share a character."""
    watched, page = opened(open_context, site_url, "index.html")
    found = search(page, coinage)
    assert found, coinage
    has = [coinage in hit["zh"] for hit in found]
    assert has[0] and has == sorted(has, reverse=True), (coinage, has)  # every exact hit before the rest
    assert watched.errors == []


def test_more_results_on_request(open_context, site_url) -> None:
    watched, page = opened(open_context, site_url, "index.html")
    found = search(page, "we")
    assert len(found) == 20
    page.get_by_role("button", name="Show more · 更多结果").click()
    page.wait_for_function(f"() => document.querySelectorAll('{RESULT}').length > 20")
    assert page.evaluate("document.activeElement.classList.contains('search-hit')")
    assert watched.errors == []


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("query", ["老老人", "京通", "养老"])
def test_under_a_chinese_hit_the_aligned_english_sentence(open_context, site_url, query: str) -> None:
    """Under a Chinese hit the English shown is the translation of the sentence that
    matched (the English spans of the report page sharing its data-bead), not the start
    of the English paragraph. Checked on the report pages themselves, for every hit."""
    watched, page = opened(open_context, site_url, "index.html")
    found = search(page, query)
    assert found, query
    reader = watched.page()
    later = 0
    for hit in found[:8]:
        reader.goto(hit["href"])  # the link's address is absolute (made from the site root)
        pair = reader.locator(f"#{hit['href'].split('#')[1]}")
        beads = pair.evaluate("""(pair, query) => {
            const zh = [...pair.querySelectorAll('.zh [data-bead]')].find(s => s.textContent.includes(query));
            if (!zh) { return null; }
            const k = zh.dataset.bead;
            return {k: Number(k), en: [...pair.querySelectorAll('.en [data-bead="' + k + '"]')]
                                         .map(s => s.textContent).join(' ')};
        }""", query)
        if beads is None:  # drawn as one paragraph, or the term spans two sentences
            continue
        shown = _squeeze(hit["en"]).rstrip("…").strip()
        assert shown[:40] and shown[:40] in _squeeze(beads["en"]), (hit, beads)
        later += beads["k"] > 0
    assert later, f"no hit for {query} in a pair's later sentence: the test proves nothing"
    assert watched.errors == []


def test_an_index_made_in_parts_is_searched_as_one(browser, parted_search_url) -> None:
    """A large site's index comes in parts (here one report each): the browser merges
    them, so a query finds passages of every report and the year menu offers every year."""
    reports = len(list((ROOT / "content" / "reports").rglob("*.md")))
    with urllib.request.urlopen(parted_search_url + "_pagefind/parts.json") as answer:
        parts = json.loads(answer.read())
    assert len(parts["zh"]) == len(parts["en"]) == reports > 1
    origin = parted_search_url.split(PREFIX)[0]  # another server than the other tests'
    watched, page = opened(lambda **size: Watched(browser, origin, viewport={"width": 1280, "height": 900}),
                           parted_search_url)
    try:
        assert len(years(search(page, "养老"))) == reports  # a hit from every part
        assert len(years(search(page, "eldercare"))) == reports
        offered = page.eval_on_selector_all("#search-year option", "os => os.map(o => o.value).filter(Boolean)")
        assert len(offered) == reports
    finally:
        watched.close()  # no console error, no request off the site
