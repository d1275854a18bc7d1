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

import logging
from pathlib import Path
from typing import Callable

from livereload import Server
from livereload import server as livereload_server
from livereload.handlers import LiveReloadHandler
from tornado import web

from ..errors import fail
from ..paths import STATIC, TEMPLATES
from .preview import Preview


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
