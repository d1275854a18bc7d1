"""The published site as GitHub Pages serves it under a project path (/duizhao/): a crawl
finds no broken link, asset or fragment; 404.html works at any depth; axe-core finds no
accessibility violation on any page kind, light or dark, desktop or phone."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from playwright.sync_api import expect

from browsing import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "base":
            self.base = attrs.get("href")
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and "canonical" in (attrs.get("rel") or "")):
                self.urls.append(attrs[name])


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get_content_type()


def test_crawl_under_the_project_path_finds_nothing_broken(site_url: str) -> None:
    prefix = urlsplit(site_url).path
    pages: dict[str, _Links] = {}
    queue, seen, broken, fragments = [site_url], {site_url}, [], []
    while queue:
        url = queue.pop()
        status, body, kind = fetch(url)
        if status != 200:
            broken.append((url, status))
            continue
        if kind != "text/html":
            continue
        parsed = _Links()
        parsed.feed(body.decode("utf-8"))
        pages[url] = parsed
        base = urljoin(url, parsed.base) if parsed.base else url
        for link in parsed.urls:
            target = urljoin(base, link)
            parts = urlsplit(target)
            if parts.scheme in ("http", "https") and parts.netloc != urlsplit(site_url).netloc:
                continue  # links out are allowed; assets from elsewhere are caught by check
            assert parts.path.startswith(prefix), f"{url} leaves the project path: {link}"
            page = target.split("#")[0]
            if parts.fragment:
                fragments.append((url, page, parts.fragment))
            if page not in seen:
                seen.add(page)
                queue.append(page)
    assert broken == []
    missing = [(src, page, frag) for src, page, frag in fragments
               if page in pages and frag not in pages[page].ids]
    assert missing == []
    assert len(pages) >= 5 and len(fragments) > 100  # the library, 3 reports, 404 page


def test_missing_page_at_any_depth_gets_a_working_404(open_context, site_url: str) -> None:
    status, body, _ = fetch(site_url + "no/such/deep/page.html")
    assert status == 404 and b"Page not found" in body
    watched = open_context()
    page = watched.page()
    page.goto(site_url + "no/such/deep/page.html")
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).position") == "sticky"
    page.get_by_role("link", name="2024").click()
    page.wait_for_url(site_url + "beijing/2024/index.html")
    assert page.locator("[data-pair]").count() == 6
    watched.errors = [e for e in watched.errors if "404" not in e]  # the missing page itself


@pytest.mark.parametrize("old", ["topics/elderly-care/beijing/2024/", "topics/elderly-care/beijing/2024/index.html",
                                 "topics/elderly-care/beijing/2024", "topics/elderly-care/2024/"])
def test_an_old_topic_year_address_lands_on_its_section(open_context, site_url: str, old: str) -> None:
    """A topic's passages in a year once had a page (`topics/<id>/<series>/<year>/`, and
    before series `topics/<id>/<year>/`); no file is kept per old address: the 404 page's
    script sends it to that year's topics page, at the topic's section."""
    status, _, _ = fetch(site_url + old)
    assert status == 404  # no file for it
    watched = open_context()
    page = watched.page()
    page.goto(site_url + old)
    page.wait_for_url(site_url + "beijing/2024/topics/#elderly-care")
    section = page.locator("section#elderly-care")
    expect(section.locator("h2")).to_contain_text("Elderly care")
    expect(section).to_be_in_viewport()
    watched.errors = [e for e in watched.errors if "404" not in e]  # the old address itself


def test_other_missing_topic_addresses_stay_on_the_404_page(open_context, site_url: str) -> None:
    watched = open_context()
    page = watched.page()
    for path in ("topics/elderly-care/beijing/", "topics/elderly-care/beijing/2024/extra/", "beijing/2024/topics/x/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        assert page.url == site_url + path and page.get_by_text("Page not found").is_visible()
    watched.errors = [e for e in watched.errors if "404" not in e]


AXE_PAGES = ("index.html", "beijing/2025/index.html", "topics/index.html", "topics/elderly-care/index.html",
             "beijing/2024/topics/index.html", "no/such/page", "compare/beijing/2024-2025/index.html",
             "about/index.html")
ALL_RULES = "{resultTypes: ['violations']}"
COLOUR_RULES = "{resultTypes: ['violations'], runOnly: {type: 'rule', values: ['color-contrast', 'link-in-text-block']}}"


@pytest.mark.parametrize("width, scheme, pages, rules", [
    (1280, "light", AXE_PAGES + ("beijing/2023/index.html", "compare/beijing/2023-2024/index.html"), ALL_RULES),
    (390, "light", AXE_PAGES, ALL_RULES),  # one page of each kind, laid out for a phone
    (1280, "dark", AXE_PAGES, COLOUR_RULES),  # the dark theme changes colours only
], ids=["1280-light", "390-light", "1280-dark-colours"])
def test_axe_finds_no_violations(open_context, site_url: str, width: int, scheme: str, pages: tuple,
                                 rules: str) -> None:
    """Every page kind, by axe-core: all its rules in the light theme at both widths, its
    colour rules (contrast) in the dark theme. Each kind's template is the same for every
    report, so one page of a kind stands for the rest (both reports once, at 1280)."""
    if not AXE.exists():
        message = "axe-core missing: run npm ci (make setup does)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    watched = open_context(width=width, color_scheme=scheme)
    watched.context.add_init_script(path=str(AXE))  # not subject to the page's CSP
    page = watched.page()
    for path in pages:
        page.goto(site_url + path)
        violations = page.evaluate(f"async () => (await axe.run(document, {rules}))"
                                   ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' | '))")
        assert violations == [], (path, violations)
    watched.errors = [e for e in watched.errors if "404" not in e]


@pytest.mark.parametrize("javascript", [True, False])
def test_an_address_from_before_series_lands_on_the_same_pair(open_context, site_url: str,
                                                              javascript: bool) -> None:
    """`<year>/index.html#pair`, published before reports had series, still works: with
    JavaScript the module script keeps the #fragment; without, the meta refresh (and the
    visible link) reach the report."""
    watched = open_context(java_script_enabled=javascript)
    page = watched.page()
    page.goto(site_url + "2025/index.html#p2-s8-3")
    expected = site_url + "beijing/2025/index.html" + ("#p2-s8-3" if javascript else "")
    page.wait_for_url(expected)
    assert page.locator("[data-pair]").count() > 20
    if javascript:
        assert page.evaluate("location.hash") == "#p2-s8-3"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_404_page_is_laid_out_like_the_others(open_context, site_url: str, width: int) -> None:
    """The page a missing address gets has the margins of the library page: its text
    neither touches the window's edge nor runs past it."""
    watched = open_context(width=width)
    page = watched.page()
    page.goto(site_url + "no/such/page")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Page not found")
    box = heading.bounding_box()
    assert box["x"] >= 16 and box["x"] + box["width"] <= width - 16, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    watched.errors = [e for e in watched.errors if "404" not in e]
