"""`build.py serve` as an editor uses it: the open page reloads within 2 s of a save,
keeps its scroll position, shows a build error with file:line, and recovers."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browsing import ROOT, Watched


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def preview(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("raw"))
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
                                "--content", str(content)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url, content, process
    process.terminate()
    output = process.communicate(timeout=10)[0]
    print(output)
    assert "Traceback" not in output, output


def open_page(browser, url: str, path: str, **options):
    """A watched page of the preview (console errors and foreign requests fail the test)."""
    watched = Watched(browser, url.rstrip("/"), **options)
    page = watched.page()
    page.goto(url + path)
    return watched, page


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_save_reloads_the_page_keeping_its_place(browser, preview) -> None:
    url, content, process = preview
    watched, page = open_page(browser, url, "2024/index.html", viewport={"width": 1280, "height": 900})
    page.evaluate("document.getElementById('p2-s10-4').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(200)
    before = page.evaluate("window.scrollY")
    assert before > 500
    page.evaluate("window.notReloaded = true")
    edit(content / "reports" / "2024.md", "Improve the eldercare service system.",
         "Improve the elderly care service system.")
    page.wait_for_function("() => document.body.innerText.includes('Improve the elderly care service system.')",
                           timeout=2000)
    assert page.evaluate("window.notReloaded === undefined")  # a real reload, within 2 s
    page.wait_for_function(f"() => Math.abs(window.scrollY - {before}) < 40", timeout=2000)
    assert process.poll() is None
    watched.close()


def test_a_broken_save_shows_the_error_then_clears(browser, preview) -> None:
    url, content, process = preview
    watched, page = open_page(browser, url, "2023/index.html")
    report = content / "reports" / "2023.md"
    good = report.read_text("utf-8")
    edit(report, "[^17]: In this context", "[^71]: In this context")
    page.wait_for_function("() => document.body.innerText.includes('The site does not build')", timeout=3000)
    text = page.locator(".build-error").inner_text()
    line = good.split("\n").index(next(l for l in good.split("\n") if "areas[^17]" in l)) + 1
    assert f"2023.md:{line}: reference [^17] to a note that is not defined" in text
    assert process.poll() is None  # the server lives on
    report.write_text(good, "utf-8")
    page.wait_for_function("() => document.querySelector('[data-pair]') !== null", timeout=3000)
    assert "The site does not build" not in page.locator("body").inner_text()
    watched.errors = [e for e in watched.errors if "500" not in e]  # the error page's own status
    watched.close()


def test_a_term_added_to_topics_yaml_shows_on_the_next_reload(browser, preview) -> None:
    url, content, process = preview
    topics = content / "topics.yaml"
    topics.write_text("topics:\n  - id: parks\n    zh: 公园\n    en: Parks\n    terms:\n"
                      "      zh: [口袋公园]\n      en: [pocket park]\n", "utf-8")
    for _ in range(50):  # until the preview has rebuilt with this topics.yaml
        try:
            urllib.request.urlopen(url + "topics/parks/index.html", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    watched, page = open_page(browser, url, "topics/parks/index.html")  # counts per year
    total = "() => [...document.querySelectorAll('.year-list .count')].reduce((n, e) => n + (parseInt(e.textContent) || 0), 0)"
    before = page.evaluate(total)
    topics.write_text(topics.read_text("utf-8").replace("[口袋公园]", "[口袋公园, 森林城市]"), "utf-8")
    page.wait_for_function(f"() => ({total})() > {before}", timeout=2000)
    marks = 0
    for href in page.eval_on_selector_all(".year-list a", "links => links.map(a => a.href)"):
        page.goto(href)
        marks += page.locator(".passage mark", has_text="森林城市").count()
    assert marks >= 1
    watched.close()


def test_no_reload_without_a_change_and_site_yaml_is_watched(browser, preview) -> None:
    url, content, process = preview
    watched, page = open_page(browser, url, "index.html")
    page.evaluate("window.notReloaded = true")
    time.sleep(1.5)  # nothing changed: no reload (the build output is not watched)
    assert page.evaluate("window.notReloaded === true")
    (content / "site.yaml").write_text((content / "site.yaml").read_text("utf-8")
                                       .replace("title: Beijing Government Work Reports", "title: Work Reports"), "utf-8")
    page.wait_for_function("() => document.title.startsWith('Work Reports')", timeout=2000)
    watched.close()
