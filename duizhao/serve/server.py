"""`build.py serve`: a local preview that rebuilds and reloads the browser on every save.

Builds into a temporary folder (never site/), watches content/, templates/ and static/
only (never the output: no reload loops), and keeps serving the last good build while a
save breaks the content — every page then shows the `file:line` errors until the next
good build. The watcher polls every 0.8 s and collects every file changed since the last
poll (glob watching), so a burst of saves makes one rebuild and one reload; the rebuild
runs before livereload tells the browser to reload.

Pages load /livereload.js through their own <script src> (see base.html): livereload's
habit of injecting an *inline* script is switched off, so the preview obeys the same
strict Content-Security-Policy as the published site."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
from dataclasses import replace
import shutil
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable

from livereload import Server
from livereload import server as livereload_server
from livereload.handlers import LiveReloadHandler
from tornado import web

from ..errors import Diagnostic, DuizhaoError, Problems, fail
from ..content.settings import SiteInfo
from ..pages.render import error_page, make_env
from ..build.cache import Cache
from ..build.pipeline import build, default_cache
from ..paths import STATIC, TEMPLATES
from ..content.settings import load_site
from ..text.files import write_atomic


class Preview:
    """The state of the preview: where it builds, and the errors of the last build."""

    def __init__(self, content: Path, port: int, base_url: str | None,
                 log: Callable[[str], None]) -> None:
        self.content, self.port, self.base_url, self.log = content, port, base_url, log
        self.folder = Path(tempfile.mkdtemp(prefix="duizhao-serve-"))
        self.out = self.folder / "site"
        self.out.mkdir()
        self.errors: list[Diagnostic] = []
        self.cache = Cache(default_cache(content))  # in memory across rebuilds, and on disk
        self.indexer = SearchIndexer(self.out, log)

    def rebuild(self) -> None:
        problems = Problems()
        try:
            started = time.perf_counter()
            result = build(self.content, self.out, problems, self.base_url, live_reload=self.port,
                           cache=self.cache, in_place=True, searching="later")
        except DuizhaoError as exc:
            self.errors = exc.diagnostics
            for item in self.errors:
                self.log(str(item))
            self.log(f"build failed: {len(self.errors)} error(s); still serving the last good build")
        except Exception as exc:  # a bug must not kill the preview
            self.errors = [Diagnostic("", 0, f"internal error (a bug): {exc!r}")]
            self.log(traceback.format_exc())
        else:
            self.errors = []
            self.log(f"rebuilt {result.reports} report(s): {result.written} of {result.files} "
                     f"files rendered in {(time.perf_counter() - started) * 1000:.0f} ms")
            if result.pending_search is not None:
                self.indexer.start(result.pending_search)
        for item in problems.warnings:
            self.log(str(item))
        # What survives a build is long-lived (the cache); stop the cyclic collector from
        # walking it on every save: at a thousand reports that is a second of GC pauses.
        gc.collect()
        gc.freeze()

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
        return error_page(make_env(TEMPLATES), [str(e) for e in self.errors], info)

    def close(self) -> None:
        self.indexer.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class SearchIndexer:
    """Re-indexes search after a rebuild, in a forked process at the lowest priority: the
    page reloads at once (at a thousand reports indexing takes twenty seconds), the next
    save's rebuild is not slowed (no shared interpreter lock), and the search catches
    up. It starts once saves have paused for QUIET seconds, and saves during a run are
    coalesced: the newest state is indexed next."""

    QUIET = 1.5

    def __init__(self, out: Path, log: Callable[[str], None]) -> None:
        self.out, self.log = out, log
        self.lock = threading.Lock()
        self.next: Callable[[list], dict[str, bytes]] | None = None
        self.thread: threading.Thread | None = None
        self.child: multiprocessing.Process | None = None
        self.stopped = False
        self.asked = 0.0  # when the newest state was handed over

    def start(self, make: Callable[[list], dict[str, bytes]]) -> None:
        with self.lock:
            self.next, self.asked = make, time.monotonic()
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, daemon=True)
                self.thread.start()

    def wait(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)

    def stop(self) -> None:
        """No more indexing: the preview is closing (and its folder about to go)."""
        with self.lock:
            self.stopped, self.next = True, None
            if self.child is not None and self.child.is_alive():
                self.child.kill()
        self.wait(5)

    def _run(self) -> None:
        while True:
            while not self.stopped and time.monotonic() - self.asked < self.QUIET:
                time.sleep(0.1)  # a burst of saves: index once, after the last
            with self.lock:
                make, self.next = self.next, None
                if make is None or self.stopped:
                    return
                started = time.perf_counter()
                self.child = multiprocessing.get_context("fork").Process(
                    target=_index_into, args=(make, self.out), daemon=True)
                self.child.start()
            self.child.join()
            if self.stopped:
                return
            if self.child.exitcode == 0:
                self.log(f"search indexed in {(time.perf_counter() - started) * 1000:.0f} ms")
            else:
                self.log(f"search index failed (exit {self.child.exitcode}); see above")


def _index_into(make: Callable[[list], dict[str, bytes]], out: Path) -> None:
    """In the forked indexer: make the bundles and write them into the preview's folder,
    the entry files last (they name the others, which must be there first)."""
    os.nice(19)
    try:
        files = make([])
    except DuizhaoError as exc:
        print("\n".join(str(d) for d in exc.diagnostics), flush=True)
        os._exit(2)
    for rel in sorted(files, key=lambda r: (r.endswith(("pagefind-entry.json", "pagefind.js")), r)):
        write_atomic(out / rel, files[rel], durable=False)


class PreviewHandler(web.StaticFileHandler):
    """Static files of the last good build; while a build is broken, HTML requests get
    the error page instead (status 500), so the browser shows what to fix."""

    def initialize(self, path: str, default_filename: str, preview: Preview) -> None:
        super().initialize(path=path, default_filename=default_filename)
        self.preview = preview

    async def get(self, path: str, include_body: bool = True) -> None:
        if self.preview.errors and (not path or path.endswith(("/", ".html"))):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(self.preview.error_html())
            return
        await super().get(path, include_body)

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")


class _NoInlineScript(livereload_server.LiveScriptInjector):
    def transform_first_chunk(self, status_code, headers, chunk, finishing):  # type: ignore[override]
        return status_code, headers, chunk


class PreviewServer(Server):
    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview

    def get_web_handlers(self, script: bytes) -> list:
        return [(r"/(.*)", PreviewHandler, {"path": str(self.preview.out),
                                            "default_filename": "index.html",
                                            "preview": self.preview})]

    def application(self, *args, **kwargs):  # type: ignore[override]
        injector = livereload_server.LiveScriptInjector
        livereload_server.LiveScriptInjector = _NoInlineScript  # pages load the script themselves
        try:
            return super().application(*args, **kwargs)
        finally:
            livereload_server.LiveScriptInjector = injector


def serve(content: Path, port: int, base_url: str | None, log: Callable[[str], None]) -> None:
    preview = Preview(content, port, base_url, log)
    preview.rebuild()
    server = PreviewServer(preview)
    for folder in (content, TEMPLATES, STATIC):
        server.watch(str(folder / "**" / "*"), preview.changed)
    # livereload's first poll "sees" every file and would reload a page that connected
    # before it although nothing changed; let it see them all now, before anyone connects.
    server.watcher.examine()
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # never skip the reload after a quick second save
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    log(f"Serving {content} on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
    try:
        server.serve(port=port, host="127.0.0.1", restart_delay="forever")  # no reload at start
    except OSError as exc:
        raise fail(f"--port {port}", 0, f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc} "
                                   "(is another preview running? try --port N)") from None
    finally:
        preview.close()
