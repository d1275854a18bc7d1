"""The package's shape, checked from its source: one folder per pipeline stage, imports
that only point down the stages (a later stage may use an earlier one, never the
reverse), no import cycle, small modules and functions. See ARCHITECTURE.md."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import ROOT

PACKAGE = ROOT / "duizhao"
# Which other parts each part may import (besides itself, errors, paths, toolcache and __init__).
ALLOWED = {
    "text": set(),
    "content": {"text"},
    "intake": {"text", "content"},
    "derive": {"text", "content"},
    "pages": {"text", "content", "derive"},
    "build": {"text", "content", "derive", "pages"},
    "serve": {"text", "content", "derive", "pages", "build"},
    "check": {"text"},
}
BASE = {"errors", "paths", "toolcache", "__init__"}
MAX_MODULE, MAX_FUNCTION = 400, 60


def modules() -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts): p for p in PACKAGE.rglob("*.py")}


def imports(name: str, path: Path) -> set[str]:
    """Every duizhao module this one imports, at the top or inside a function."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module or ""
            if not target.startswith("duizhao"):
                continue
            known = modules()
            for alias in node.names:  # `from . import x` names a module
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("duizhao")}
    return found


def part(module: str) -> str:
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def test_every_module_lives_in_a_stage_folder() -> None:
    loose = {n for n in modules() if n.count(".") == 1 and part(n) not in BASE}
    assert not loose, f"modules outside the stage folders: {sorted(loose)}"
    assert {part(n) for n in modules() if n.count(".") == 2} == set(ALLOWED)


def test_imports_point_down_the_pipeline() -> None:
    wrong = []
    for name, path in modules().items():
        here = part(name)
        for target in imports(name, path):
            there = part(target)
            if there != here and there not in BASE and there not in ALLOWED.get(here, set()):
                wrong.append(f"{name} imports {target}")
    assert not wrong, wrong


def test_no_import_cycles() -> None:
    known = modules()
    graph = {n: {t for t in imports(n, p) if t in known and t != n and not t.endswith("__init__")}
             for n, p in known.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            assert state.get(nxt) != 1, "import cycle: " + " → ".join(trail + [node, nxt])
            if nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_modules_and_functions_are_small() -> None:
    big = []
    for name, path in modules().items():
        text = path.read_text("utf-8")
        if text.count("\n") > MAX_MODULE:
            big.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION:
                    big.append(f"{name}.{node.name}: {length} lines")
    assert not big, big


def test_the_layout_check_can_fail(tmp_path: Path) -> None:
    """The import reader sees a relative import that climbs the stages."""
    probe = PACKAGE / "content" / "_probe_for_test.py"
    probe.write_text("from ..build.cache import digest\n", "utf-8")
    try:
        assert "duizhao.build.cache" in imports("duizhao.content._probe_for_test", probe)
    finally:
        probe.unlink()
