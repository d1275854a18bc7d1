"""Helpers for the browser tests: where Chromium is, and a context that records console
errors and requests leaving the site. Pages carry a strict CSP, so predicates given to
wait_for_function must be functions ("() => …"): string expressions would need eval."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

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
