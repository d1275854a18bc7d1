"""The build cache and incremental output: an edit re-renders exactly the pages it
touches, and whatever the cache holds, the site is the one a clean build makes."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, line_citing, run_build
from duizhao.build import plan
from duizhao.build import parallel
from duizhao.build.cache import Cache
from duizhao.errors import Problems
from duizhao.build.pipeline import build

EDIT = ("create no fewer than 260,000 urban jobs", "create at least 260,000 urban jobs")  # 2024 p2-s10-2


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Content with topics, and the site's own templates and static files to edit."""
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("raw"))
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "static", tmp_path / "static")
    return tmp_path


@pytest.fixture
def own_templates(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(plan, "TEMPLATES", project / "templates")
    monkeypatch.setattr(plan, "STATIC", project / "static")
    return project


def snapshot(site: Path) -> dict[str, tuple[str, int]]:
    """Each file: (content hash, inode). A kept file is a hard link to the last build's,
    so an unchanged inode proves it was not rendered again."""
    return {p.relative_to(site).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_ino)
            for p in sorted(site.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def cli_build(project: Path, out: str = "site") -> None:
    result = run_build("--content", str(project / "content"), "--out", str(project / out))
    assert result.returncode == 0, result.stderr


def topics_of_pair(site: Path, report: str, pair: str) -> set[str]:
    """The topic ids a pair's chips name on its report page."""
    html = BeautifulSoup((site / report / "index.html").read_text("utf-8"), "html.parser")
    return {a["href"].split("/")[-2] for a in html.find(id=pair).select(".topic-chip")}  # …/topics/<id>/index.html


def test_editing_a_paragraph_renders_only_its_report_and_its_topics_pages(prebuilt) -> None:
    project = prebuilt()  # built by build.py with search
    site = project / "site"
    topics = topics_of_pair(site, "beijing/2024", "p2-s10-2")
    assert "employment" in topics
    before = snapshot(site)
    edit(project / "content/reports/beijing/2024.md", *EDIT)
    cli_build(project)
    after = snapshot(site)
    searching = {p for p in set(after) | set(before) if p.startswith("_pagefind/")}
    assert {p for p in searching if p not in before}  # the search index holds the new text
    after = {p: v for p, v in after.items() if p not in searching}
    before = {p: v for p, v in before.items() if p not in searching}
    assert set(after) == set(before)
    changed = {path for path in after if after[path][0] != before[path][0]}
    rendered = {path for path in after if after[path][1] != before[path][1]}
    expected = {"beijing/2024/index.html", "beijing/2024/beijing-2024.tmx", "beijing/2024/beijing-2024.csv",
                "beijing/2024/beijing-2024.json"}
    expected.add("beijing/2024/topics/index.html")  # its topics' passages: one page, a section per topic
    # and the topic pages whose figures quote the edited sentence (shown in both languages)
    expected |= {p for p in after if p.startswith("topics/") and p.count("/") == 2 and
                 EDIT[1] in (site / p).read_text("utf-8")}
    expected |= {"compare/beijing/2023-2024/index.html", "compare/beijing/2024-2025/index.html"}  # not 2023-2025
    assert changed == expected  # every page showing the paragraph, and nothing else
    assert rendered == expected  # and nothing else was even rendered again


def test_a_build_with_nothing_changed_writes_nothing(prebuilt) -> None:
    project = prebuilt()
    before = snapshot(project / "site")
    result = run_build("--content", str(project / "content"), "--out", str(project / "site"))
    assert "(0 rendered" in result.stdout
    assert snapshot(project / "site") == before
    (project / "site/index.html").write_text("tampered", "utf-8")  # someone edited the output
    cli_build(project)
    assert snapshot(project / "site")["index.html"][0] == before["index.html"][0]


def test_editing_a_template_rerenders_every_page_using_it(own_templates: Path) -> None:
    project = own_templates
    site, cache = project / "site", Cache(project / "cache")
    build(project / "content", site, Problems(), cache=cache)
    before = snapshot(site)
    edit(project / "templates/year_topics.html", '<article class="topic-page">', '<article class="topic-page year-page">')
    build(project / "content", site, Problems(), cache=cache)
    after = snapshot(site)
    year_pages = {f"beijing/{y}/topics/index.html" for y in (2023, 2024, 2025)}  # one per report
    assert {p for p in after if after[p] != before[p]} == year_pages
    edit(project / "templates/base.html", "</head>", "<meta name=\"x\" content=\"y\">\n</head>")
    build(project / "content", site, Problems(), cache=cache)
    html = {p for p in after if p.endswith(".html")}
    assert {p for p in snapshot(site) if snapshot(site)[p][0] != after[p][0]} == html


def test_incremental_builds_equal_a_clean_build(own_templates: Path) -> None:
    """Edits to a report, topics.yaml, a template and a stylesheet, built on a warm cache,
    in place (the preview) and by swapping: each gives the clean build's bytes."""
    project = own_templates
    content, cache = project / "content", Cache(project / "cache")
    for out, in_place in (("swapped", False), ("in-place", True)):
        build(content, project / out, Problems(), cache=cache, in_place=in_place)
    edit(content / "reports/beijing/2024.md", *EDIT)
    edit(content / "topics.yaml", "en: [employment", "en: [jobs, employment")
    edit(project / "templates/report.html", "Permalink to this paragraph", "Link to this paragraph")
    edit(project / "static/style.css", "--accent", "--accent-colour")
    for out, in_place in (("swapped", False), ("in-place", True)):
        result = build(content, project / out, Problems(), cache=cache, in_place=in_place)
    build(content, project / "clean", Problems(), cache=Cache(None))
    clean = {p: h for p, (h, _) in snapshot(project / "clean").items()}
    assert result.pending_pages is not None  # the preview's compare pages come after its reload
    compares = sorted(p for p in clean if p.startswith("compare/") and p.endswith(".html"))
    assert len(compares) >= 2 and sorted(result.pending_pages.paths) == compares  # topics.yaml changed: all
    assert sorted(result.pending_pages.run(threading.Event())) == compares
    for out in ("swapped", "in-place"):
        assert {p: h for p, (h, _) in snapshot(project / out).items()} == clean


def test_pages_left_for_after_the_reload_are_rendered_by_the_next_build_if_stopped(project: Path) -> None:
    """The preview stops the pages left for after its reload when the next save comes
    first: those pages keep their old fingerprints, so that build renders them, and
    "nothing changed" is never claimed while they are stale."""
    content, cache, site = project / "content", Cache(project / "cache"), project / "in-place"
    build(content, site, Problems(), cache=cache, in_place=True)
    edit(content / "reports/beijing/2024.md", *EDIT)
    first = build(content, site, Problems(), cache=cache, in_place=True)
    stop = threading.Event()
    stop.set()
    assert first.pending_pages.run(stop) == []  # stopped before the first page
    again = build(content, site, Problems(), cache=cache, in_place=True)  # nothing else changed
    assert again.pending_pages is not None and again.written == 0
    again.pending_pages.run(threading.Event())
    assert build(content, site, Problems(), cache=cache, in_place=True).written == 0
    build(content, project / "clean", Problems(), cache=Cache(None))
    clean = {p: h for p, (h, _) in snapshot(project / "clean").items()}
    assert {p: h for p, (h, _) in snapshot(site).items()} == clean


def test_deleting_the_cache_changes_nothing_but_time(prebuilt) -> None:
    project = prebuilt()
    first = {p: h for p, (h, _) in snapshot(project / "site").items()}
    cache = project / ".cache"
    assert cache.is_dir() and any(cache.rglob("*.pickle"))
    shutil.rmtree(cache)
    shutil.rmtree(project / "site")
    cli_build(project)
    assert {p: h for p, (h, _) in snapshot(project / "site").items()} == first


def test_a_corrupt_cache_entry_is_a_miss(prebuilt) -> None:
    project = prebuilt()
    first = {p: h for p, (h, _) in snapshot(project / "site").items()}
    for entry in (project / ".cache").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    shutil.rmtree(project / "site")
    cli_build(project)
    assert {p: h for p, (h, _) in snapshot(project / "site").items()} == first


def test_parallel_and_serial_builds_are_identical(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)  # the seeds are too few to start a pool
    monkeypatch.setattr(parallel, "BATCH", 7)  # and to need more than one pool a stage
    outs = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("DUIZHAO_JOBS", jobs)
        build(project / "content", project / f"jobs{jobs}", Problems(), cache=Cache(None))
        outs[jobs] = {p: h for p, (h, _) in snapshot(project / f"jobs{jobs}").items()}
    assert outs["1"] == outs["2"] and len(outs["1"]) > 100


def test_results_come_back_in_order_across_pools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "BATCH", 10)
    pids = parallel.run(lambda i: (i, os.getpid()), range(45), jobs=2, min_items=1)
    assert [i for i, _ in pids] == list(range(45))
    assert len({pid for _, pid in pids}) > 2 and os.getpid() not in {pid for _, pid in pids}  # fresh pools


def test_each_result_is_seen_in_this_process_as_it_arrives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "BATCH", 10)
    for jobs in (1, 2):
        seen: list[tuple[int, int, int]] = []
        out = parallel.run(lambda i: i * i, range(25), jobs=jobs, min_items=1,
                           each=lambda k, result: seen.append((k, result, os.getpid())))
        assert out == [i * i for i in range(25)]
        assert seen == [(i, i * i, os.getpid()) for i in range(25)]


def test_a_forked_pool_gets_its_items_pickled_and_keeps_order() -> None:
    """Forked before the items exist: each arrives as the worker's own copy."""
    parent = os.getpid()
    task = lambda item: (item.pop(), len(item), os.getpid())  # noqa: E731 (inherited by the fork)
    with parallel.Forked(task, parallel.MIN_ITEMS, jobs=2) as workers:
        assert workers.pool is not None
        items = [[k, k] for k in range(40)]
        seen: list[int] = []
        out = workers.run(items, each=lambda k, result: seen.append(k))
    assert [value for value, _, _ in out] == list(range(40)) and seen == list(range(40))
    assert items == [[k, k] for k in range(40)]  # the parent's lists untouched
    assert parent not in {pid for _, _, pid in out}
    with parallel.Forked(task, parallel.MIN_ITEMS - 1, jobs=2) as few:  # not worth a pool
        assert few.pool is None and few.run([[1, 2]]) == [(2, 1, parent)]


def test_a_pool_keeps_what_its_caller_froze() -> None:
    """The preview freezes what survives its builds (no GC walks over it); a pool it
    starts must not thaw it, and one started unfrozen leaves nothing frozen."""
    import gc
    gc.unfreeze()  # (a preview run earlier in this process may have frozen things)
    assert parallel.run(lambda i: i, range(30), jobs=2, min_items=1) == list(range(30))
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        parallel.run(lambda i: i, range(30), jobs=2, min_items=1)
        with parallel.Forked(lambda i: i, parallel.MIN_ITEMS, jobs=2) as workers:
            assert workers.run(list(range(30))) == list(range(30))
        assert gc.get_freeze_count() >= frozen > 0
    finally:
        gc.unfreeze()


def _signals(_: object) -> tuple:
    """In a worker: the stop signals it was forked with blocked, those blocked now, and
    whether SIGTERM has its default meaning."""
    import signal
    stops = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    now = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    return (sorted(int(s) for s in parallel.FORKED_MASK if s in stops), sorted(int(s) for s in now if s in stops),
            signal.getsignal(signal.SIGTERM) == signal.SIG_DFL)


def test_workers_are_forked_with_the_stop_signals_blocked_until_they_have_their_own() -> None:
    """A worker inherits the parent's handlers until its initializer resets them (the
    preview's turn SIGTERM into a stop of its event loop); a pool ends its workers with
    SIGTERM, and one taken by the inherited handler could leave a worker running and the
    pool's end waiting. Forked with the signals blocked, a worker unblocks them only once
    they have their default meaning; the parent's mask is as it was."""
    import signal
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # a handler that swallows it
    try:
        pool = parallel._pool(2)
        try:
            stops = sorted(int(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT))
            assert [pool.apply(_signals, (0,)) for _ in range(2)] == [(stops, [], True)] * 2
        finally:
            pool.terminate()
            pool.join()  # (would wait for ever on a worker that took SIGTERM with the handler above)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before


def test_a_worker_keeps_no_memo_of_alignments(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo serves a long-lived process's next build; in a worker it only holds memory."""
    from duizhao.build.cache import ALIGNMENTS
    held = parallel.run(lambda i: (ALIGNMENTS.get_or(i, lambda: str(i)), len(ALIGNMENTS)), range(30),
                        jobs=2, min_items=1)
    assert [text for text, _ in held] == [str(i) for i in range(30)] and max(n for _, n in held) == 1
    assert ALIGNMENTS.size > 1  # this process's own memo is as it was


def test_an_error_in_a_worker_is_reported_like_any_other(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setenv("DUIZHAO_JOBS", "2")
    edit(project / "content/reports/beijing/2024.md", "[^17]: The seven", "[^71]: The seven")
    from duizhao.errors import DuizhaoError
    with pytest.raises(DuizhaoError) as caught:
        build(project / "content", project / "site", Problems(), cache=Cache(None))
    line = line_citing(project / "content/reports/beijing/2024.md", "[^17]")
    assert f"2024.md:{line}: reference [^17] to a note that is not defined" in str(caught.value)
    assert not (project / "site").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]
