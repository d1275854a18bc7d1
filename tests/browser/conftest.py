"""Browser-test fixtures: the built site served over HTTP under a project path, and
headless Chromium (the system's /usr/bin/chromium, driven by Python Playwright; never a
downloaded browser). Every page records console errors and requests that leave the
origin; a test fails if there are any.

Without Chromium the browser tests are skipped locally, but fail when CI is set."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/duizhao/"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = "Chromium not found (apt-get install -y chromium, or set CHROMIUM=/path)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class _Handler(SimpleHTTPRequestHandler):
    """Serves the site under /duizhao/ only, like a GitHub Pages project site."""

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_project_path__")
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "-q", "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A browser context whose pages report console errors and off-origin requests."""

    def __init__(self, browser, origin: str, **options) -> None:
        self.context = browser.new_context(**options)
        self.origin = origin
        self.errors: list[str] = []
        self.foreign: list[str] = []

    def page(self):
        page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)
        return page

    def _request(self, request) -> None:
        url = request.url
        if not url.startswith(self.origin) and not url.startswith(("data:", "about:")):
            self.foreign.append(url)

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.foreign == [], f"requests outside the site: {self.foreign}"


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
