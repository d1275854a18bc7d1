"""The pages a preview rebuild leaves for after the reload (compare pages: see
build.write.update_site), rendered in a thread so the edited page reloads first; or,
after a one-report save whose page was written first (serve/first.py), the whole build.

A request for one of those pages while they are being rendered waits for them (the
server's loop keeps serving meanwhile), so a browser never gets the page as it was
before the save. The next rebuild stops the thread between two compare pages (a whole
build, once begun, is finished: half a second at a thousand reports) and waits for it,
so a build never runs beside it; pages it did not reach keep their old fingerprints in
the manifest, and that rebuild renders them."""

from __future__ import annotations

import threading
import time
import traceback
from typing import Callable, Container

from ..build.write import Later
from ..errors import Diagnostic, DuizhaoError

WAIT = 120  # s: the most a request waits for them (a ceiling; they take well under a second)


class AllBut:
    """Every file of the site but one page and the static files: what the full build
    behind an edited page shown first (serve/first.py) may still change."""

    def __init__(self, shown: str) -> None:
        self.shown = shown

    def __contains__(self, path: object) -> bool:
        return path != self.shown and not str(path).startswith("static/")


class LaterPages:
    def __init__(self, log: Callable[[str], None], failed: Callable[[list[Diagnostic]], None]) -> None:
        self.log, self.failed = log, failed
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()
        self.pending: Container[str] = frozenset()

    def start(self, later: Later, pending: Container[str] | None = None) -> None:
        """Run `later` in the thread; requests for its paths (or for `pending`) wait."""
        self.stop()
        self.stopping = threading.Event()
        self.pending = frozenset(later.paths) if pending is None else pending
        self.thread = threading.Thread(target=self._run, args=(later, self.stopping), daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop after the page being rendered, and wait for that."""
        if self.thread is not None:
            self.stopping.set()
            self.thread.join()
            self.thread = None

    def holds(self, path: str) -> bool:
        """Is `path` (a file of the site) one of the pages still being rendered?"""
        thread = self.thread
        return thread is not None and thread.is_alive() and path in self.pending

    def wait(self, timeout: float | None = WAIT) -> None:
        thread = self.thread
        if thread is not None:
            thread.join(timeout)

    def _run(self, later: Later, stopping: threading.Event) -> None:
        started = time.perf_counter()
        try:
            done = later.run(stopping)
        except DuizhaoError as exc:  # a template error in a compare page, say
            self.failed(exc.diagnostics)
            return
        except Exception:  # a bug must not go unseen, nor kill the preview
            self.log(traceback.format_exc())
            return
        if done:
            self.log(f"rendered {len(done)} more page(s) after the reload in "
                     f"{(time.perf_counter() - started) * 1000:.0f} ms")
