"""The search index made in a background process while the pages render
(parallel.Background, pipeline): same site, its errors said, stopped with a failed build,
its cache entries kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run_build
from duizhao.build import parallel
from duizhao.build import plan
from duizhao.build.cache import Cache
from duizhao.build.pipeline import build
from duizhao.errors import DuizhaoError, Problems, fail
from duizhao.pages import search


def _alive(pid: int) -> bool:
    """Running (a zombie nobody reaped counts as ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_the_task_runs_in_another_process_and_its_result_comes_back(monkeypatch) -> None:
    monkeypatch.setenv("DUIZHAO_JOBS", "2")
    here = os.getpid()
    done = parallel.Background(lambda: (os.getpid(), {"a": b"x" * 300_000}))  # more than a pipe holds
    pid, files = done.result()
    assert pid != here and files == {"a": b"x" * 300_000}


def test_serially_the_task_runs_here_when_asked(monkeypatch) -> None:
    monkeypatch.setenv("DUIZHAO_JOBS", "1")
    ran: list[int] = []
    done = parallel.Background(lambda: ran.append(os.getpid()) or "made")
    assert ran == []  # not before its result is asked for
    assert done.result() == "made" and ran == [os.getpid()]


def test_its_error_is_raised_here_with_its_location(monkeypatch) -> None:
    monkeypatch.setenv("DUIZHAO_JOBS", "2")

    def broken():
        raise fail("pagefind", 0, "indexing for search failed: no such thing")
    with pytest.raises(DuizhaoError) as caught:
        parallel.Background(broken).result()
    assert str(caught.value) == "pagefind: indexing for search failed: no such thing"


def test_closed_early_it_stops_and_so_does_what_it_started(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DUIZHAO_JOBS", "2")
    said = tmp_path / "pid"

    def task():
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        said.write_text(str(sleeper.pid))
        sleeper.wait()
    running = parallel.Background(task)
    parallel_wait(lambda: said.exists() and said.read_text())
    grandchild = int(said.read_text())
    running.close()
    running.close()  # twice: nothing more
    assert not running.child.is_alive()
    parallel_wait(lambda: not _alive(grandchild))


def parallel_wait(condition, limit: float = 30.0) -> None:
    """Until `condition()` holds (polled; fails after `limit` seconds, which it never needs)."""
    import time
    end = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < end, "condition never held"
        time.sleep(0.02)


def test_a_failed_indexer_fails_the_build_and_writes_no_site(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("DUIZHAO_JOBS", "2")

    def fake(source: Path, out: Path, lang: str, running) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", "import sys; print('no such thing', file=sys.stderr); "
                                 "sys.exit(3)"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    monkeypatch.setattr(search, "_pagefind", fake)  # inherited by the forked indexer
    with pytest.raises(DuizhaoError) as caught:
        build(project / "content", project / "site", Problems(), cache=Cache(None))
    assert "pagefind: indexing for search failed: no such thing" in str(caught.value)
    assert not (project / "site").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]


def test_a_failed_page_stops_the_indexer(project: Path, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DUIZHAO_JOBS", "2")
    said = tmp_path / "indexer"

    def slow(source: Path, out: Path, lang: str, running) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        with said.open("a") as pids:
            pids.write(f"{process.pid}\n")
        return process
    monkeypatch.setattr(search, "_pagefind", slow)

    def broken(*args, **kwargs):
        parallel_wait(lambda: said.exists())  # the indexer is at work when the page fails
        raise fail("templates/report.html", 3, "a broken page")
    monkeypatch.setattr(plan, "report_page", broken)
    with pytest.raises(DuizhaoError, match="a broken page"):
        build(project / "content", project / "site", Problems(), cache=Cache(None))
    pids = [int(line) for line in said.read_text().split()]
    assert pids
    parallel_wait(lambda: not any(_alive(pid) for pid in pids))
    assert not (project / "site").exists()


def test_what_the_indexer_cached_is_kept_and_used_again(project: Path) -> None:
    """Its cache entries are the build's: not deleted as unused, not made again."""
    first = run_build("--content", str(project / "content"), "--out", str(project / "site"))
    assert first.returncode == 0, first.stderr
    entries = {p.name: p.stat().st_mtime_ns for p in (project / ".cache").rglob("search/*.pickle")}
    assert entries  # the index's parts
    (project / "site" / "index.html").unlink()  # something to do, the index unchanged
    second = run_build("--content", str(project / "content"), "--out", str(project / "site"))
    assert second.returncode == 0, second.stderr
    assert {p.name: p.stat().st_mtime_ns for p in (project / ".cache").rglob("search/*.pickle")} == entries
    assert (project / "site" / "_pagefind" / "zh" / "pagefind.js").is_file()


def test_the_files_said_are_the_files_written(project: Path) -> None:
    """The count the build prints includes the index made in the background."""
    import re
    done = run_build("--content", str(project / "content"), "--out", str(project / "site"))
    assert done.returncode == 0, done.stderr
    said = re.search(r"built 3 report\(s\), (\d+) files", done.stdout + done.stderr)
    on_disk = [p for p in (project / "site").rglob("*") if p.is_file()]
    assert said and int(said.group(1)) == len(on_disk)
    assert any(p.parts[-3:-1] == ("_pagefind", "zh") for p in on_disk)
