"""Fixtures shared by the tests; helpers live in helpers.py.

The suite runs on every core with pytest-xdist (`make test`: `-n auto --dist loadgroup`).
Tests are handed to the workers one by one, except those of an `xdist_group`: a module
whose tests share a module-scoped build marks itself (`pytestmark`), and every browser
test is in the group "browser", so one worker builds the browser sites and starts
Chromium once. Nothing a test writes is shared: each worker has its own temporary folder,
and servers take free ports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import ROOT


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in item.path.relative_to(ROOT / "tests").parts[:-1]:
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch content folder holding site.yaml and the three committed reports."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(ROOT / "content" / "site.yaml", content / "site.yaml")
    shutil.copytree(ROOT / "content" / "reports", content / "reports")
    return tmp_path

