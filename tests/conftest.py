"""Fixtures shared by the tests; helpers live in helpers.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch content folder holding site.yaml and the three committed reports."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(ROOT / "content" / "site.yaml", content / "site.yaml")
    shutil.copytree(ROOT / "content" / "reports", content / "reports")
    return tmp_path
