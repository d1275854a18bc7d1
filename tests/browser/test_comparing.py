"""Compare pages ("What changed") in headless Chromium: reached from a report page, their
marks announced by a screen reader and visible in print, the reading modes, a phone,
without JavaScript (axe-core checks them with every page kind in test_published.py)."""

from __future__ import annotations

PAGE = "compare/beijing/2024-2025/index.html"
PHONE = dict(width=390, height=844, is_mobile=True, has_touch=True, device_scale_factor=2)


def test_a_report_page_links_to_its_compare_page(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + "beijing/2025/index.html")
    page.locator(".compare-links").get_by_role("link", name="2024 → 2025").click()
    page.wait_for_url(site_url + PAGE)
    assert page.locator(".item-changed").count() > 0
    page.get_by_role("link", name="2024 ¶ p2-s10-2").first.click()  # back into a report, at the pair
    page.wait_for_url(site_url + "beijing/2024/index.html#p2-s10-2")


def test_marks_are_announced_by_a_screen_reader(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + PAGE)
    tree = page.locator(".item-changed .diff").first.aria_snapshot()
    assert "deletion: \"[deleted: " in tree and "insertion: \"[inserted: " in tree
    label = page.locator(".item-changed del .visually-hidden").first
    box = label.bounding_box()
    assert box is None or box["width"] <= 1 and box["height"] <= 1  # said, not shown


def style(locator, prop: str, pseudo: str = "") -> str:
    return locator.evaluate(f"(e) => getComputedStyle(e{', ' + repr(pseudo) if pseudo else ''})"
                            f".getPropertyValue({prop!r})")


def test_marks_are_visible_in_print_in_both_languages(open_context, site_url) -> None:
    page = open_context(color_scheme="dark").page()
    page.goto(site_url + PAGE)
    page.get_by_role("button", name="中文").click()  # a reading mode does not cut the print
    deleted, inserted = page.locator(".item-changed del").first, page.locator(".item-changed ins").first
    assert style(deleted, "content", "::before") == "none"
    page.emulate_media(media="print")
    assert "line-through" in style(deleted, "text-decoration-line")
    assert "underline" in style(inserted, "text-decoration-line")
    assert style(deleted, "content", "::before") == '"[−"' and style(inserted, "content", "::before") == '"[+"'
    assert style(deleted, "color") == "rgb(0, 0, 0)"
    assert page.locator(".item-changed .diff-row.en").first.is_visible()
    old = page.locator(".item-changed .diff-row.zh .diff-cell.old").first.bounding_box()
    new = page.locator(".item-changed .diff-row.zh .diff-cell.new").first.bounding_box()
    assert new["x"] > old["x"] + old["width"] - 1  # old and new side by side on paper


def test_reading_modes_show_one_language(open_context, site_url) -> None:
    page = open_context().page()
    page.goto(site_url + PAGE)
    zh, en = page.locator(".item-changed .diff-row.zh").first, page.locator(".item-changed .diff-row.en").first
    assert zh.is_visible() and en.is_visible()
    page.get_by_role("button", name="中文").click()
    assert zh.is_visible() and en.is_hidden()
    page.get_by_role("button", name="English").click()
    assert zh.is_hidden() and en.is_visible()


def test_a_phone_stacks_old_over_new_without_sideways_scrolling(open_context, site_url) -> None:
    page = open_context(**PHONE).page()
    page.goto(site_url + PAGE)
    old = page.locator(".item-changed .diff-row.zh .diff-cell.old").first.bounding_box()
    new = page.locator(".item-changed .diff-row.zh .diff-cell.new").first.bounding_box()
    assert new["y"] >= old["y"] + old["height"] - 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_without_javascript_everything_is_there(open_context, site_url) -> None:
    page = open_context(java_script_enabled=False).page()
    page.goto(site_url + PAGE)
    assert page.locator(".item-changed .diff-row.en").first.is_visible()
    assert page.locator(".item-figures").first.is_visible() and page.locator(".figures-table").is_visible()
