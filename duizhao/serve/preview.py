"""The preview's state: the private folder it builds into, the in-memory cache, and the
errors of the last build (shown on every page until a good save)."""

from __future__ import annotations

import gc
import os
from dataclasses import replace
import shutil
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Callable


from ..errors import Diagnostic, DuizhaoError, Problems
from ..content.settings import SiteInfo
from ..pages.render import error_page, make_env
from ..build.cache import Cache
from ..text.files import remove_stale_folders
from ..build.pipeline import Built, build, default_cache
from ..build.write import Later
from ..paths import TEMPLATES
from ..content.settings import load_site
from .indexer import SearchIndexer
from .first import edited_page
from .later import AllBut, LaterPages


AFTER = " in the pages rendered after the reload"  # where a later page's errors were found
PREFIX = "duizhao-serve-"  # the preview's folder: duizhao-serve-<pid>-<random>


class Preview:
    """The state of the preview: where it builds, and the errors of the last build."""

    def __init__(self, content: Path, port: int, base_url: str | None,
                 log: Callable[[str], None]) -> None:
        self.content, self.port, self.base_url, self.log = content, port, base_url, log
        remove_stale_folders(PREFIX)  # of previews that were killed
        self.folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
        self.out = self.folder / "site"
        self.out.mkdir()
        self.errors: list[Diagnostic] = []
        self.cache = Cache(default_cache(content))  # in memory across rebuilds, and on disk
        self.indexer = SearchIndexer(self.out, log)
        self.later = LaterPages(log, self._failed_later)
        self.generation = 0  # rebuilds so far: what a served page is from (server.BUILD_COOKIE)
        self.building = False  # a stop signal cuts a build short (server.on_stop_signal)
        self.good = False  # a build has succeeded: its pages are served while a later one fails
        # what the last good build made its pages from; a failed build leaves it (while
        # errors stand nothing is written first, and a build that finds its inputs those
        # of the last good one, an undo, has nothing to do: that context is right again)
        self.built: Built | None = None
        self.reload_again: Callable[[], None] = lambda: None  # the server's: reload the browsers

    def rebuild(self) -> None:
        self.later.stop()  # never a build beside it; what it did not reach, this build renders
        if not self._edited_first():
            self._build()

    def _edited_first(self) -> bool:
        """A save of one report's text: its page written and shown at once, the full
        build after the reload (serve/first.py). False when the save is anything else."""
        if self.built is None or self.errors:
            return False
        started, self.building = time.perf_counter(), True
        try:
            shown = edited_page(self.content, self.out, self.cache, self.built)
        except (DuizhaoError, OSError):  # the full build reports it where it is
            shown = None
        except Exception:  # a bug: said, and the full build is the fallback
            self.log(traceback.format_exc())
            shown = None
        finally:
            self.building = False
        if shown is None:
            return False
        self.generation += 1
        self.log(f"rebuilt {shown[0]} in {(time.perf_counter() - started) * 1000:.0f} ms; "
                 "the rest of the site follows")
        self.later.start(Later([], lambda stop: self._build(stop, shown) or []), AllBut(shown[0]))
        return True

    def _build(self, stop: threading.Event | None = None, shown: tuple[str, bytes] | None = None) -> None:
        """The full build: in the preview's loop, or (`stop` given) in its later thread
        behind the page `shown` first, which is reloaded again if the build wrote it otherwise."""
        problems = Problems()
        try:
            started, self.building = time.perf_counter(), stop is None  # (a signal stops the loop's)
            try:
                result = build(self.content, self.out, problems, self.base_url, live_reload=self.port,
                               cache=self.cache, in_place=True, searching="later", keep=self._keep)
            finally:
                self.building = False
        except DuizhaoError as exc:
            self._failed(exc.diagnostics, "; " + ("still serving the last good build" if self.good and stop is None
                                                  else "every page shows them until a save fixes them"))
        except Exception as exc:  # a bug must not kill the preview
            self.errors = [Diagnostic("", 0, f"internal error (a bug): {exc!r}")]
            self.log(traceback.format_exc())
        else:
            self.errors, self.good = [], True
            self.log(f"rebuilt {result.reports} report(s): {result.written} of {result.files} "
                     f"files rendered in {(time.perf_counter() - started) * 1000:.0f} ms")
            if result.pending_pages is not None:
                if stop is None:
                    self.later.start(result.pending_pages)
                else:  # after the reload already: here, in this thread
                    self._pending(result.pending_pages, stop)
            if result.pending_search is not None:
                self.indexer.start(result.pending_search)
        if stop is None or self.errors or (shown and _differs(self.out / shown[0], shown[1])):
            self.generation += 1  # built or failed: every page may show something else now
            if stop is not None:
                self.reload_again()
        for item in problems.warnings:
            self.log(str(item))
        # What survives a build is long-lived (the cache); stop the cyclic collector from
        # walking it on every save: at a thousand reports that is a second of GC pauses.
        gc.collect()
        gc.freeze()

    def _pending(self, later: Later, stop: threading.Event) -> None:
        """The compare pages of the build behind an edited page; an error in one is shown
        as the build's (the browser reloads to it)."""
        try:
            self.log(f"rendered {len(later.run(stop))} more page(s) after the reload")
        except DuizhaoError as exc:
            self._failed(exc.diagnostics, AFTER)

    def _keep(self, built: Built) -> None:
        self.built = built

    def _failed_later(self, errors: list[Diagnostic]) -> None:
        self._failed(errors, AFTER)
        self.generation += 1
        self.reload_again()  # a page open since the reload shows the errors

    def _failed(self, errors: list[Diagnostic], where: str) -> None:
        """A build's errors: kept for the error page, and said, each, then how many."""
        self.errors = errors
        for item in errors:
            self.log(str(item))
        self.log(f"build failed: {len(errors)} error(s){where}")

    def changed(self, paths: list[str] | None = None) -> None:
        """Called by the watcher with the files changed since its last poll."""
        self.log(f"changed: {', '.join(sorted(paths or [])) or '(a file was removed)'}")
        self.rebuild()

    def error_html(self) -> str:
        try:
            site = load_site(self.content)
        except DuizhaoError:  # site.yaml itself may be what is broken
            site = SiteInfo("duizhao", "对照", "")
        info = replace(site, base_url="", live_reload=self.port)
        return error_page(make_env(TEMPLATES), [(str(e), quoted(e)) for e in self.errors[:50]], info)

    def close(self) -> None:
        self.later.stop()
        self.indexer.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def _differs(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() != data
    except OSError:
        return True


def quoted(problem) -> str:
    """The line a problem names, as the file has it now (the error page quotes it), or
    "" where there is none to read: at most one line, at most 300 characters of it."""
    if not problem.line or not problem.file:
        return ""
    try:
        with open(problem.file, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if number == problem.line:
                    return line.rstrip("\n")[:300]
                if number > problem.line:
                    break
    except OSError:
        return ""
    return ""
