"""Where the project's own folders are: the package, and the templates and static files
beside build.py. One place, so a moved module never miscounts `.parent`s.

As strings (`…_DIR`, os.path only: the nothing-changed check of build.py reads them
before pathlib is imported) and as Paths (`PACKAGE`, `ROOT`, `TEMPLATES`, `STATIC`, made
on first use)."""

from __future__ import annotations

import os

PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))
ROOT_DIR = os.path.dirname(PACKAGE_DIR)
TEMPLATES_DIR = os.path.join(ROOT_DIR, "templates")
STATIC_DIR = os.path.join(ROOT_DIR, "static")
_PATHS = {"PACKAGE": PACKAGE_DIR, "ROOT": ROOT_DIR, "TEMPLATES": TEMPLATES_DIR, "STATIC": STATIC_DIR}


def __getattr__(name: str):
    """`PACKAGE`, `ROOT`, `TEMPLATES`, `STATIC` as Paths (PEP 562: made when first asked for)."""
    if name in _PATHS:
        from pathlib import Path
        value = Path(_PATHS[name])
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
