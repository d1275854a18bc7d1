"""Where the project's own folders are: the package, and the templates and static files
beside build.py. One place, so a moved module never miscounts `.parent`s."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
