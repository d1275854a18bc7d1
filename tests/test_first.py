"""The preview's edited page first (serve/first.py): a save of one report's text writes
that report's page before the reload, exactly as the full build behind it writes it;
any other save is built whole before the reload."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest

from duizhao.build import parallel
from duizhao.serve.first import edited_page
from duizhao.serve.later import AllBut
from duizhao.serve.preview import Preview
from helpers import ROOT

FIRST = "the rest of the site follows"  # the preview's line for a page written first
PAGE = "beijing/2024/index.html"


@pytest.fixture
def started(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("raw"))
    lines: list[str] = []
    preview = Preview(content, 0, None, lines.append)
    preview.rebuild()
    preview.later.wait()
    reloads: list[int] = []
    preview.reload_again = lambda: reloads.append(preview.generation)
    try:
        yield preview, content / "reports/beijing/2024.md", lines, reloads
        assert not [line for line in lines if "Traceback" in line]  # no bug fell back silently
    finally:
        preview.close()


def _save(preview: Preview, path: Path, old: str, new: str, lines: list[str]) -> tuple[bytes, bool]:
    """Save the edit, rebuild: (the page as the reload finds it, whether it came first)."""
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    start = len(lines)
    preview.rebuild()
    return (preview.out / PAGE).read_bytes(), any(FIRST in line for line in lines[start:])


def test_a_text_edit_is_shown_first_and_the_full_build_writes_the_same_page(started) -> None:
    preview, report, lines, reloads = started
    generation = preview.generation
    shown, first = _save(preview, report, "urban jobs", "urban jobs (zanzibar)", lines)
    assert first and b"urban jobs (zanzibar)" in shown
    assert preview.generation == generation + 1  # the browser reloads once, for this page
    tmx = preview.out / "beijing/2024/beijing-2024.tmx"
    preview.later.wait()  # the full build behind it
    assert b"zanzibar" in tmx.read_bytes()  # the rest of the site followed
    assert (preview.out / PAGE).read_bytes() == shown  # written alike by the full build …
    assert preview.generation == generation + 1 and reloads == []  # … so no second reload
    assert preview.built is not None and not preview.errors


def test_a_chinese_edit_is_shown_first_too(started) -> None:
    preview, report, lines, reloads = started
    shown, first = _save(preview, report, "全力稳定和扩大就业", "全力稳定和扩大就业岗位", lines)
    assert first and "全力稳定和扩大就业岗位".encode() in shown
    preview.later.wait()
    assert (preview.out / PAGE).read_bytes() == shown and reloads == []


def test_an_edit_that_changes_a_pairs_topics_is_built_whole_before_the_reload(started) -> None:
    preview, report, lines, _ = started
    loaded = preview.built.loaded
    topics = loaded.derived["beijing/2024"].matched[0]
    pair = next(p for p in next(r for r in loaded.reports if r.id == "beijing/2024").pairs
                if p.zh and p.zh[0].text.endswith("。") and "employment" not in [m.topic for m in topics[p.id]])
    zh = pair.zh[0].text
    shown, first = _save(preview, report, zh, zh + "发展零工市场。", lines)
    assert not first and "发展零工市场".encode() in shown
    assert preview.later.thread is None or not preview.later.holds("topics/employment/index.html")


@pytest.mark.parametrize("edit", ["new report", "site.yaml", "broken"])
def test_any_other_save_is_built_whole_before_the_reload(started, edit: str) -> None:
    preview, report, lines, _ = started
    content = report.parents[2]
    start = len(lines)
    if edit == "new report":
        text = report.read_text("utf-8").replace("id: beijing/2024", "id: beijing/2026").replace("year: 2024", "year: 2026")
        (report.parent / "2026.md").write_text(text, "utf-8")
    elif edit == "site.yaml":
        site = content / "site.yaml"
        site.write_text(site.read_text("utf-8") + "\n# a comment\n", "utf-8")
    else:
        report.write_text(report.read_text("utf-8").replace("[^17]:", "[^71]:"), "utf-8")
    preview.rebuild()
    assert not any(FIRST in line for line in lines[start:]), lines[start:]
    assert bool(preview.errors) == (edit == "broken") and preview.built is not None
    if edit == "broken":  # while errors stand, a save is built whole
        start = len(lines)
        preview.rebuild()
        assert preview.errors and not any(FIRST in line for line in lines[start:])


def test_the_build_behind_holds_every_page_but_the_one_shown() -> None:
    held = AllBut(PAGE)
    assert PAGE not in held and "static/style.css" not in held
    assert "beijing/2025/index.html" in held and "topics/index.html" in held and "_pagefind/en/x" in held


def test_no_worker_is_forked_outside_the_main_thread() -> None:
    """A fork copies only the forking thread: the build behind an edited page runs serially."""
    found: list[int] = []
    thread = threading.Thread(target=lambda: found.append(parallel.jobs_default()))
    thread.start()
    thread.join()
    assert found == [1] and parallel.jobs_default() >= 1


def test_a_build_behind_that_fails_then_an_undo_brings_the_page_back(started) -> None:
    """An edit that breaks a figure's quote is built whole before the reload (topics.yaml's
    check); and if the build behind a page written first fails anyway, undoing the edit
    rewrites that page (its manifest entry no longer claims the old text)."""
    preview, report, lines, reloads = started
    other = report.parent / "2023.md"
    quote, before = "实现全市城镇新增就业", other.read_text("utf-8")  # topics.yaml quotes its figure
    figure = re.match(r"\d+", before[before.index(quote) + len(quote):]).group()
    start = len(lines)
    other.write_text(before.replace(quote + figure, quote + str(int(figure) + 1), 1), "utf-8")
    preview.rebuild()
    assert not any(FIRST in line for line in lines[start:])
    assert preview.errors and "quote not found" in str(preview.errors[0])
    other.write_text(before, "utf-8")
    preview.rebuild()
    assert not preview.errors
    text = report.read_text("utf-8")  # a page written first, the edit undone before the build behind it
    report.write_text(text.replace("urban jobs", "urban jobs (zanzibar)", 1), "utf-8")
    assert edited_page(report.parents[2], preview.out, preview.cache, preview.built) is not None
    assert b"zanzibar" in (preview.out / PAGE).read_bytes()
    report.write_text(text, "utf-8")
    preview.rebuild()  # its inputs are the last good build's: only the manifest can say the page changed
    preview.later.wait()
    assert b"zanzibar" not in (preview.out / PAGE).read_bytes() and not preview.errors


def test_an_error_found_after_the_reload_reloads_the_open_pages(started) -> None:
    """A compare page failing after the reload: the open tabs had reloaded already, to
    the page without the error; they are reloaded again, to the error page."""
    from duizhao.errors import Diagnostic
    preview, _, _, reloads = started
    generation = preview.generation
    preview._failed_later([Diagnostic("templates/compare.html", 3, "template: 'x' is undefined")])
    assert preview.errors and reloads == [generation + 1]
