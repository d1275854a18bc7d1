"""`build.py serve`: a local preview that rebuilds and reloads the browser on every save.

Builds into a temporary folder (never site/), watches exactly the files a build reads
(`pipeline.input_files`: the reports, topics.yaml, site.yaml, templates, static files),
never the output (no reload loops) and never a link out of those folders (a link to a
big tree or a loop costs nothing), and keeps serving the last good build while a save
breaks the content — every page then shows the `file:line` errors until the next good
build. The watcher polls every 0.1–0.2 s (InputWatcher) and collects every file changed
since the last poll, so a burst of saves makes one rebuild and one reload; the rebuild runs before livereload
tells the browser to reload, except for a few compare pages rendered just after it
(later.py): a request for one of those waits until it is written.

It answers only requests addressed to 127.0.0.1 or localhost by name (a page elsewhere
that points its own domain at 127.0.0.1, DNS rebinding, gets 400), and a path holding a
NUL byte gets 400. SIGTERM and SIGHUP stop it like Ctrl-C: its folder is removed.

Pages load /livereload.js through their own <script src> (see base.html): livereload's
habit of injecting an *inline* script is not used, so the preview obeys the same strict
Content-Security-Policy as the published site."""

from __future__ import annotations

import asyncio
import faulthandler
import functools
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import ioloop, web
from tornado.httpserver import HTTPServer

from ..build.pipeline import input_files
from ..errors import fail
from .preview import Preview

LOCAL_NAMES = ("127.0.0.1", "localhost")
SHUTDOWN = 20  # s: the most stopping may take (it takes well under one)
OWNER = os.getpid()  # the process whose stop signals `on_stop_signal` handles
_PRINTING = threading.Lock()


def print_line(line: str) -> None:
    """Print one line whole. The preview logs from several threads (the watcher, the
    pages rendered after a reload, the search indexer), and `print` writes a line and its
    newline in two calls: two threads printing at once glued one line to the end of the
    other (a CI run read `changed: …` behind another thread's line)."""
    with _PRINTING:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def local_host(host: str | None, port: int) -> bool:
    """Is a Host header one of this machine's names (with no port or the preview's)?"""
    if host is None:  # HTTP/1.0 without a Host: nothing for a rebinding page to send
        return True
    host = host.strip().lower()
    name, colon, given = host.rpartition(":")
    if not colon:
        name, given = host, str(port)
    return name in LOCAL_NAMES and given == str(port)


class LocalOnly(web.RequestHandler):
    """Refuses (400) a request for another host name, or a path with a NUL byte."""

    def prepare(self):  # type: ignore[override]
        if not local_host(self.request.headers.get("Host"), self.application.settings["preview_port"]):
            raise web.HTTPError(400, reason="Bad Host: the preview answers 127.0.0.1 and localhost only")
        if "\x00" in unquote(self.request.path):
            raise web.HTTPError(400, reason="Bad path")
        return super().prepare()


class PreviewHandler(LocalOnly, web.StaticFileHandler):
    """Static files of the last good build; while a build is broken, HTML requests get
    the error page instead (status 500), so the browser shows what to fix."""

    def initialize(self, path: str, default_filename: str, preview: Preview) -> None:
        super().initialize(path=path, default_filename=default_filename)
        self.preview = preview

    async def get(self, path: str, include_body: bool = True) -> None:
        later, page = self.preview.later, not path or path.endswith(("/", ".html"))
        if later.holds(path + "index.html" if not path or path.endswith("/") else path):
            await asyncio.get_running_loop().run_in_executor(None, later.wait)  # its new version
        if page:  # which build this page is from (see LocalLiveReload)
            self.set_header("Set-Cookie", f"{BUILD_COOKIE}={self.preview.generation}; Path=/; SameSite=Strict")
        if self.preview.errors and page:
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(self.preview.error_html())
            return
        await super().get(path, include_body)

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code: int, **kwargs) -> None:
        """A missing page gets the site's own 404 page, as GitHub Pages serves it."""
        page = self.preview.out / "404.html"
        if status_code == 404 and page.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())
            return
        super().write_error(status_code, **kwargs)


BUILD_COOKIE = "duizhao-build"


class LocalLiveReload(LocalOnly, LiveReloadHandler):
    """The live-reload socket. A page that connects after a build newer than the page
    (a save landed while it was loading, so the reload went to nobody) is reloaded at
    once: each page the preview serves sets a cookie with its build's number."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def check_origin(self, origin: str) -> bool:  # a page of the preview itself
        return local_host(origin.split("://", 1)[-1], self.application.settings["preview_port"])

    def write_message(self, message, binary=False):  # type: ignore[override]
        """A reload sent to a page that is closing its socket (two reloads at once) fails
        later, in the future: retrieved here, or tornado prints it as a traceback."""
        future = super().write_message(message, binary)
        future.add_done_callback(lambda done: done.cancelled() or done.exception())
        return future

    def on_message(self, message):  # type: ignore[override]
        """livereload.js speaks JSON objects with a command; anything else closes the
        socket (livereload itself would log a traceback)."""
        try:
            parsed = json.loads(message)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict) or not isinstance(parsed.get("command"), str) \
                or not isinstance(parsed.get("url", ""), str):
            self.close(1003, "livereload protocol messages only")
            return None
        answer = super().on_message(message)
        shown = self.get_cookie(BUILD_COOKIE)
        if parsed["command"] == "info" and shown is not None and shown != str(self.preview.generation):
            self.send_message({"command": "reload", "path": "*", "liveCSS": True, "liveImg": True})
        return answer


class LocalForceReload(LocalOnly, ForceReloadHandler):
    pass


class LocalLiveReloadJS(LocalOnly, LiveReloadJSHandler):
    pass


class InputWatcher(Watcher):
    """Watches the files a build reads (their size and mtime), nothing else. It polls on
    its own clock (livereload's is every 0.8 s): again after POLL_SHARE times the last
    look's own cost, at least every POLL_MIN seconds. A save is seen within about
    0.1 s at a hundred reports and 0.2 s at a thousand (a look there takes 10 ms),
    and watching never takes more than a twentieth of a core."""

    POLL_MIN, POLL_SHARE = 0.1, 20

    def __init__(self, files: Callable[[], list[Path]]) -> None:
        super().__init__()
        self.files = files
        self.cost = 0.0  # seconds the last look took
        self.seen = self._snapshot()  # primed: only changes from now on count

    def start(self, callback: Callable[[], None]) -> bool:
        loop = ioloop.IOLoop.current()

        def tick() -> None:
            try:
                callback()  # livereload's poll: examine, rebuild if changed, reload
            finally:
                loop.call_later(max(self.POLL_MIN, self.POLL_SHARE * self.cost), tick)
        loop.call_later(self.POLL_MIN, tick)
        return True  # livereload starts no polling of its own

    def _snapshot(self) -> dict[str, tuple[int, int] | None]:
        started = time.perf_counter()
        try:
            return self._stats()
        finally:
            self.cost = time.perf_counter() - started

    def _stats(self) -> dict[str, tuple[int, int] | None]:
        found = {}
        for path in self.files():
            try:
                stat = path.stat()
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                found[str(path)] = None
        return found

    def is_changed(self, path, ignore=None):  # type: ignore[override]
        now = self._snapshot()
        changed = sorted(p for p in now.keys() | self.seen.keys() if now.get(p) != self.seen.get(p))
        self.seen = now
        if changed:
            self.filepath = changed[0]
        return changed


class PreviewServer(Server):
    def __init__(self, preview: Preview, log: Callable[[str], None], sock: socket.socket,
                 watcher: InputWatcher) -> None:
        super().__init__(watcher=watcher)
        self.preview, self.log, self.sock = preview, log, sock

    def application(self, port, host, liveport=None, debug=None, live_css=True):  # type: ignore[override]
        """livereload's routes, each answering local requests only, and no injected
        inline script; the banner is printed once the port is listening."""
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        handlers = [(r"/livereload", LocalLiveReload, {"preview": self.preview}), (r"/forcereload", LocalForceReload),
                    (r"/livereload.js", LocalLiveReloadJS),
                    (r"/(.*)", PreviewHandler, {"path": str(self.preview.out),
                                                "default_filename": "index.html",
                                                "preview": self.preview})]
        HTTPServer(web.Application(handlers=handlers, preview_port=port)).add_sockets([self.sock])
        self.log(f"Serving the preview on http://{host}:{port}/ — it rebuilds on every save in "
                 f"{self.preview.content} (Ctrl-C to stop)")


def listen(port: int) -> socket.socket:
    """The preview's socket on 127.0.0.1, bound before the first build: the pages name
    their port (live reload), so port 0 (any free one) must be settled first, and a
    port in use is said at once, not after a long build."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise fail(f"--port {port}", 0, f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc} "
                                        "(is another preview running? try --port N, or 0 for any)") from None
    sock.setblocking(False)
    return sock


def on_stop_signal(stopping: threading.Event, building: Callable[[], bool],
                   loop: Callable[[], asyncio.AbstractEventLoop | None], signum: int, frame) -> None:
    """SIGINT, SIGTERM, SIGHUP: stop the preview, surely. Python's own handler raises
    KeyboardInterrupt wherever the main thread is, and where that is a weakref callback
    or a `__del__` the exception is printed as ignored and lost: the preview served on,
    deaf to the signal (seen in the test suite). So while the preview's event loop
    (`loop()`) runs, it is asked to stop through its wake-up pipe, which nothing can
    swallow; a build (the first, or a rebuild inside the loop) is still cut short by
    KeyboardInterrupt, with the loop's stop behind it in case that is lost. Before the
    loop runs, KeyboardInterrupt, and `stopping` is set for the loop to see as it starts."""
    if os.getpid() != OWNER:  # a forked worker not yet given its own handlers: end as SIGTERM would
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    stopping.set()
    running = loop()
    if running is None or not running.is_running():
        raise KeyboardInterrupt
    running.call_soon_threadsafe(running.stop)
    if building():
        raise KeyboardInterrupt


def serve(content: Path, port: int, base_url: str | None, log: Callable[[str], None]) -> None:
    if not 0 <= port <= 65535:
        raise fail(f"--port {port}", 0, "a port is a number from 1 to 65535 (0: any free one)")
    sock = listen(port)
    port = sock.getsockname()[1]
    stops, stopping, serving = {}, threading.Event(), []
    preview = Preview(content, port, base_url, log)
    if threading.current_thread() is threading.main_thread():  # stop like Ctrl-C
        # SIGINT too: a process started in the background of a script inherits SIGINT
        # ignored, and Python then leaves it ignored (Ctrl-C would do nothing)
        handler = functools.partial(on_stop_signal, stopping, lambda: preview.building,
                                    lambda: serving[0] if serving else None)
        stops = {sig: signal.signal(sig, handler)
                 for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM))}
        if hasattr(signal, "SIGUSR1"):  # `kill -USR1 <pid>`: where every thread is, on stderr
            faulthandler.register(signal.SIGUSR1, all_threads=True)
    try:
        watcher = InputWatcher(lambda: input_files(preview.content))  # primed before the first
        preview.rebuild()  # build: a save during it is a change at the first look (it was lost)
        if stopping.is_set():  # a stop during the first build (its KeyboardInterrupt may be lost)
            raise KeyboardInterrupt
        server = PreviewServer(preview, log, sock, watcher)
        server.watch("build inputs", preview.changed)
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # never skip the reload after a quick second save
        logging.getLogger("tornado.access").setLevel(logging.WARNING)
        loop = ioloop.IOLoop.current().asyncio_loop  # the loop livereload runs (IOLoop.instance())
        preview.reload_again = functools.partial(reload_pages, loop)
        loop.call_soon(lambda: stopping.is_set() and loop.stop())  # a stop lost before it ran
        serving.append(loop)
        server.serve(port=port, host="127.0.0.1", restart_delay="forever")  # no reload at start
    except OSError as exc:
        raise fail(f"--port {port}", 0, f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc} "
                                        "(is another preview running? try --port N)") from None
    except KeyboardInterrupt:
        pass
    finally:
        # never a hang on the way out: stuck for SHUTDOWN seconds, say where, and exit
        faulthandler.dump_traceback_later(SHUTDOWN, exit=True)
        try:
            preview.close()
            sock.close()
            for sig, handler in stops.items():
                signal.signal(sig, handler)
            if stops and hasattr(signal, "SIGUSR1"):
                faulthandler.unregister(signal.SIGUSR1)
            log(f"stopped; its folder {preview.folder} is removed")
        finally:
            faulthandler.cancel_dump_traceback_later()  # out: no hang to guard against


def reload_pages(loop: asyncio.AbstractEventLoop) -> None:
    """Reload every open page, from another thread (the build behind an edited page); a
    loop already closed is a preview stopping: nothing to reload."""
    try:
        loop.call_soon_threadsafe(LiveReloadHandler.reload_waiters, "*")
    except RuntimeError:
        pass
