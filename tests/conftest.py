"""Fixtures shared by the tests; helpers live in helpers.py.

The suite runs on every core with pytest-xdist (`make test`: `-n auto --dist loadgroup`).
Tests are handed to the workers one by one, except those of an `xdist_group`: a module
whose tests share a module-scoped build marks itself (`pytestmark`), and every browser
test is in one of two groups ("browser", "browser-2", by module), so a worker builds a
browser site and starts Chromium once per group. Nothing a test writes is shared: each worker has its own temporary folder,
and servers take free ports."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

import pytest

from helpers import ROOT, run_build


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in item.path.relative_to(ROOT / "tests").parts[:-1]:
            # two groups of about equal length, so neither worker waits on one long group
            late = item.path.stem in ("test_published", "test_searching", "test_serve")
            item.add_marker(pytest.mark.xdist_group("browser-2" if late else "browser"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch content folder holding site.yaml and the three committed reports."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(ROOT / "content" / "site.yaml", content / "site.yaml")
    shutil.copytree(ROOT / "content" / "reports", content / "reports")
    return tmp_path


def _age(folder: Path, seconds: float = 60) -> None:
    """Every file and folder modified `seconds` ago: older than the quick check's racy window."""
    old = time.time() - seconds
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (old, old))


@pytest.fixture(scope="session")
def prebuilt(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """prebuilt(*options, out="site") → a project folder holding content/ (the committed
    content with topics, not the raw texts; its files a minute old), the site that
    `build.py --content content --out <out> OPTIONS` made of it from a cold cache, and that
    build's .cache/: for tests whose subject is what comes after a successful build.

    Each kind is built once per worker; every call restores a fresh copy at the path it was
    built at (the cache and the quick stamp name absolute paths, so a copy elsewhere would
    be a cold project), every file with its bytes, size and mtime. The folder is the
    worker's own, and tests run one at a time on a worker: nothing is shared."""
    base = tmp_path_factory.getbasetemp()

    def restore(*options: str, out: str = "site") -> Path:
        name = "-".join(["prebuilt", out, *(option.strip("-") for option in options)])
        place, pristine = base / name, base / f"{name}.pristine"
        if not pristine.exists():
            shutil.rmtree(place, ignore_errors=True)
            shutil.copytree(ROOT / "content", place / "content", ignore=shutil.ignore_patterns("raw"))
            _age(place / "content")
            result = run_build("--content", str(place / "content"), "--out", str(place / out), *options)
            assert result.returncode == 0, result.stderr
            shutil.copytree(place, pristine, symlinks=True)
        else:
            shutil.rmtree(place)
            shutil.copytree(pristine, place, symlinks=True)
        return place

    return restore
