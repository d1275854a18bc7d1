"""Shared test helpers: paths, running build.py as a user would, small sample inputs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "content" / "raw"
SEEDS_2023 = ["001_cfa7fe55d91506c5.txt"]
SEEDS_2024 = ["002_a7281c5fc6d28daa.txt"]
# The 2025 report's own order: Part I items 3–6, Part II section 2, sections 8–9.
SEEDS_2025 = ["003_732ef27625de17ae.txt", "004_ca66ab87c1d89dd0.txt", "000_ce7514109e845333.txt"]

HEADER = """政 府 工 作 报 告
——2024年1月21日在北京市第十六届
人民代表大会第二次会议上
北京市市长 殷 勇
REPORT ON THE WORK OF THE GOVERNMENT
Delivered at the Second Session of the Sixteenth Beijing Municipal
People's Congress on January 21, 2024
Yin Yong, Mayor of Beijing
"""


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` and capture what a user would see."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def line_citing(path: Path, reference: str) -> int:
    """The first line of a content file that cites `reference` (e.g. [^17]): tests name the
    line an error should point at without pinning a number an editor may shift."""
    lines = path.read_text("utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if reference in line and not line.startswith(reference))


def giant_report(repeats: int) -> str:
    """A report whose one pair is a seed pair (2025 p1-i6-1: 4 Chinese sentences, 11
    English) repeated `repeats` times in one paragraph a side: 1,750 repeats make a pair of
    2.7 MB, 7,000 Chinese and 19,250 English sentences."""
    text = (ROOT / "content" / "reports" / "beijing" / "2025.md").read_text("utf-8")
    start = text.index("\n---\n", 4) + 5
    front = text[:start]
    blocks = text[start:].split("\n\n")
    zh = next(b for b in blocks if b.startswith("促进高质量充分就业"))
    en = blocks[blocks.index(zh) + 1]
    labels = set(re.findall(r"\[\^(\w+)\]", zh + en))
    notes = [b for b in blocks if re.match(r"\[\^(\w+)\]:", b) and b[2:b.index("]")] in labels]
    return (front + "\n## 一、测试 {#p1}\n\n## I. Test\n\n" + zh * repeats + "\n\n"
            + " ".join([en] * repeats) + "\n\n" + "\n\n".join(notes) + "\n")
