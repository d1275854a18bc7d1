"""Browser-test fixtures: the built site served over HTTP under a project path, and
headless Chromium (the system's /usr/bin/chromium, driven by Python Playwright; never a
downloaded browser). Every page records console errors and requests that leave the
origin; a test fails if there are any.

Without Chromium the browser tests are skipped locally, but fail when CI is set."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browsing import CHROMIUM_ARGS, PREFIX, ROOT, Watched, chromium_path


class _Handler(SimpleHTTPRequestHandler):
    """Serves the site under /duizhao/ only, like a GitHub Pages project site, answering a
    missing URL at any depth with 404.html (status 404), as GitHub Pages does."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_project_path__")
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, *args: object) -> None:
        pass


BASE_URL = "https://reports.example.org/duizhao/"  # as published: served here under /duizhao/


def _build(tmp_path_factory: pytest.TempPathFactory, *flags: str) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "-q", "--out", str(out),
                             "--base-url", BASE_URL, *flags],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def _serve(site: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    server.shutdown()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site without search (no Pagefind run): what every test but search's needs."""
    return _build(tmp_path_factory, "--no-search")


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    yield from _serve(built_site)


@pytest.fixture(scope="session")
def search_url(tmp_path_factory: pytest.TempPathFactory):
    """The site with its search bundles, served apart (test_searching.py uses it as its
    site_url)."""
    yield from _serve(_build(tmp_path_factory))


@pytest.fixture(scope="session")
def parted_search_url(tmp_path_factory: pytest.TempPathFactory):
    """The site with its search index made in parts of one report each (a large site's
    shape: each part indexed apart, merged in the browser), built in this process so
    the part size can be set."""
    from duizhao.build.cache import Cache
    from duizhao.build.pipeline import build
    from duizhao.errors import Problems
    from duizhao.pages import search
    out = tmp_path_factory.mktemp("parted") / "site"
    before, search.PART = search.PART, 1
    try:
        build(ROOT / "content", out, Problems(), BASE_URL, cache=Cache(None))
    finally:
        search.PART = before
    yield from _serve(out)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_context(browser, site_url):
    """open_context(width=1280, **options) → Watched; checked and closed after the test."""
    made: list[Watched] = []
    origin = site_url.split(PREFIX)[0]

    def make(width: int = 1280, height: int = 900, **options) -> Watched:
        watched = Watched(browser, origin, viewport={"width": width, "height": height}, **options)
        made.append(watched)
        return watched

    yield make
    for watched in made:
        watched.close()
