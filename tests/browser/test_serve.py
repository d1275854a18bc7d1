"""`build.py serve` as an editor uses it: the open page reloads after a save, keeps its
scroll position, shows a build error with file:line, and recovers.

Every wait is on a condition — a line of the preview's output, a reload, the page's
content — under a generous ceiling, never a fixed time: a slow or busy machine makes a
test slower, not red. The save-to-reload time is printed (pytest -s), not held to a
budget."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from browsing import ROOT, Watched

RELOAD = 60_000  # ms: a ceiling for a rebuild and reload on a busy machine, not a budget
STARTUP = 120  # s: the preview's first build, cold


class Output:
    """The preview's output, read as it is printed: a test waits for a line (woken by the
    reader thread, no polling), and the whole of it is shown when the test ends."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self.ended = False
        self.grew = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self.grew:
                self.lines.append(line.rstrip("\n"))
                self.grew.notify_all()
        with self.grew:
            self.ended = True
            self.grew.notify_all()

    def _find(self, texts: tuple[str, ...], start: int) -> int | None:
        return next((i for i in range(start, len(self.lines)) if any(t in self.lines[i] for t in texts)), None)

    def wait_for(self, *texts: str, start: int = 0, timeout: float = STARTUP) -> int:
        """The index of the first line from `start` on that contains one of `texts`."""
        with self.grew:
            self.grew.wait_for(lambda: self._find(texts, start) is not None or self.ended, timeout)
            found = self._find(texts, start)
        assert found is not None, f"no line with {texts} in the preview's output:\n" + "\n".join(self.lines)
        return found


def listening(port: int, timeout: float = 10) -> None:
    """Wait for the port to accept connections. The preview prints "Serving" just before
    it listens: this covers those few milliseconds, polling under a deadline."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)  # a poll interval, under the deadline above


@pytest.fixture
def preview(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("raw"))
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", "0",  # any free port
                                "--content", str(content)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    output = Output(process.stdout)
    try:
        banner = output.lines[output.wait_for("Serving the preview on ")]
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", banner).group(1))
        listening(port)
        yield f"http://127.0.0.1:{port}/", content, process, output
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)  # the preview exits within 20 s of SIGTERM, or dumps its threads
        except subprocess.TimeoutExpired:  # it did not even start stopping: ask where it is
            process.send_signal(signal.SIGUSR1)
            output.thread.join(timeout=10)
            process.kill()
            process.wait()
        output.thread.join(timeout=30)
        text = "\n".join(output.lines)
        print(text)
    assert "Traceback" not in text and "most recent call first" not in text, text
    assert process.returncode == 0, text


def open_page(browser, url: str, path: str, **options):
    """A watched page of the preview (console errors and foreign requests fail the test)."""
    watched = Watched(browser, url.rstrip("/"), **options)
    page = watched.page()
    page.goto(url + path)
    return watched, page


def write(path: Path, text: str) -> None:
    """Save as an editor does, in one step: the watcher never sees half a file (the
    temporary name starts with a dot, which its glob does not match)."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    write(path, text.replace(old, new, 1))


def test_save_reloads_the_page_keeping_its_place(browser, preview, capsys) -> None:
    url, content, process, output = preview
    watched, page = open_page(browser, url, "beijing/2024/index.html", viewport={"width": 1280, "height": 900})
    page.evaluate("document.getElementById('p2-s10-4').scrollIntoView({block: 'start'})")  # instant
    before = page.evaluate("window.scrollY")
    assert before > 500
    page.evaluate("window.notReloaded = true")
    saved = time.perf_counter()
    edit(content / "reports" / "beijing" / "2024.md", "Improve the eldercare service system.",
         "Improve the elderly care service system.")
    page.wait_for_function("() => document.body?.innerText.includes('Improve the elderly care service system.')",
                           timeout=RELOAD)
    reloaded = time.perf_counter() - saved
    assert page.evaluate("window.notReloaded === undefined")  # a real reload
    page.wait_for_function(f"() => Math.abs(window.scrollY - {before}) < 40", timeout=RELOAD)
    assert process.poll() is None
    watched.close()
    with capsys.disabled():
        print(f"\nserve: the page showed the save {reloaded * 1000:.0f} ms after it")


def test_a_broken_save_shows_the_error_then_clears(browser, preview) -> None:
    url, content, process, output = preview
    watched, page = open_page(browser, url, "beijing/2023/index.html")
    page.evaluate("document.querySelectorAll('[data-pair]')[12].scrollIntoView({block: 'start'})")
    before = page.evaluate("window.scrollY")
    assert before > 500
    report = content / "reports" / "beijing" / "2023.md"
    good = report.read_text("utf-8")
    edit(report, "[^17]: In this context", "[^71]: In this context")
    page.wait_for_function("() => document.body?.innerText.includes('The site does not build')", timeout=RELOAD)
    text = page.locator(".build-error").inner_text()
    line = good.split("\n").index(next(l for l in good.split("\n") if "areas[^17]" in l)) + 1
    assert f"2023.md:{line}: reference [^17] to a note that is not defined" in text
    offending = good.split("\n")[line - 1]
    assert page.locator(".quoted-line").first.inner_text().strip() == offending[:300].strip()  # quoted
    assert page.evaluate("getComputedStyle(document.querySelector('.build-error')).borderTopStyle") == "solid"
    assert process.poll() is None  # the server lives on
    write(report, good)
    page.wait_for_function("() => document.querySelector('[data-pair]') !== null", timeout=RELOAD)
    assert "The site does not build" not in page.locator("body").inner_text()
    # back where the reader was before the broken save (the error page kept no place)
    page.wait_for_function(f"() => Math.abs(window.scrollY - {before}) < 40", timeout=RELOAD)
    watched.errors = [e for e in watched.errors if "500" not in e]  # the error page's own status
    watched.close()


def test_a_term_added_to_topics_yaml_shows_on_the_next_reload(browser, preview) -> None:
    url, content, process, output = preview
    topics = content / "topics.yaml"
    watched, page = open_page(browser, url, "index.html")
    with page.expect_event("load", timeout=RELOAD):  # rebuilt with this topics.yaml, and reloaded
        write(topics, "topics:\n  - id: parks\n    zh: 公园\n    en: Parks\n    terms:\n"
                      "      zh: [口袋公园]\n      en: [pocket park]\n")
    page.goto(url + "topics/parks/index.html")  # counts per year
    total = "() => [...document.querySelectorAll('.year-list .count')].reduce((n, e) => n + (parseInt(e.textContent) || 0), 0)"
    before = page.evaluate(total)
    edit(topics, "[口袋公园]", "[口袋公园, 森林城市]")
    page.wait_for_function(f"() => ({total})() > {before}", timeout=RELOAD)
    marks = 0
    for href in page.eval_on_selector_all(".year-list a", "links => links.map(a => a.href)"):
        page.goto(href)
        marks += page.locator("section#parks .passage mark", has_text="森林城市").count()  # its section
    assert marks >= 1
    watched.close()


def test_no_reload_without_a_change_and_site_yaml_is_watched(browser, preview) -> None:
    """One save, one rebuild, one reload: the watcher's first look (before the page
    connected) and the build's own writes into the output reload nothing. Checked once
    the search index of that build is written — the indexer starts only after 1.5 s
    without a save, by when the watcher (every 0.8 s) has seen the output at least twice."""
    url, content, process, output = preview
    watched, page = open_page(browser, url, "index.html")
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    start = len(output.lines)
    with page.expect_event("load", timeout=RELOAD):
        edit(content / "site.yaml", "title: Government Work Reports", "title: Work Reports")
    assert page.title().startswith("Work Reports")
    page.evaluate("window.notReloaded = true")
    changed = output.wait_for("changed:", start=start, timeout=RELOAD / 1000)
    output.wait_for("search indexed", "search index failed", start=changed, timeout=STARTUP)
    assert page.evaluate("window.notReloaded === true")  # (a Playwright call: load events arrive)
    rebuilds = [line for line in output.lines[start:] if line.startswith("changed:")]
    assert len(rebuilds) == 1 and rebuilds[0].endswith("site.yaml"), rebuilds
    assert loads == [url + "index.html"]  # reloaded once, for the save
    watched.close()


def test_the_preview_answers_a_missing_page_with_the_sites_404(browser, preview) -> None:
    """As GitHub Pages does: a missing address gets the site's own 404 page, status 404."""
    url, content, process, output = preview
    watched, page = open_page(browser, url, "index.html")
    response = page.goto(url + "no/such/page.html")
    assert response.status == 404
    assert "Page not found" in page.locator("body").inner_text()
    output.wait_for("Serving the preview on http://127.0.0.1:")  # the banner names the address (fails if not)
    watched.errors = [e for e in watched.errors if "404" not in e]
    watched.close()


def test_a_compare_page_open_in_the_preview_follows_a_save(browser, preview) -> None:
    """Compare pages are the slowest to render, and rarely the page being edited: the
    preview writes them just after the reload, then reloads a browser showing one."""
    url, content, process, output = preview
    watched, page = open_page(browser, url, "compare/beijing/2024-2025/index.html")
    assert "Quokka" not in page.evaluate("document.body.innerText")
    page.evaluate("window.notReloaded = true")
    start = len(output.lines)
    edit(content / "reports" / "beijing" / "2025.md", "We will improve the elderly care service system",
         "We will improve the Quokka elderly care service system")
    output.wait_for("more page(s) after the reload", start=start, timeout=RELOAD / 1000)
    page.wait_for_function("() => window.notReloaded === undefined && document.body?.innerText.includes('Quokka')",
                           timeout=RELOAD)
    assert process.poll() is None
    watched.close()
