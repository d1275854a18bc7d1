"""The preview's search index, rebuilt in a forked, niced process once saving pauses, so
a save reloads the page at once and search catches up in the background."""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable


from ..build.parallel import die_with_parent
from ..errors import DuizhaoError
from ..text.files import write_atomic


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
                try:  # the indexer and its Pagefind process: their own process group
                    os.killpg(self.child.pid, signal.SIGKILL)
                except OSError:
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
    the entry files last (they name the others, which must be there first). It leads its
    own process group (so stopping the preview stops Pagefind too) and keeps its scratch
    files in the preview's folder (removed with it)."""
    die_with_parent()
    os.setpgid(0, 0)
    tempfile.tempdir = str(out.parent)
    os.nice(19)
    try:
        files = make([])
    except DuizhaoError as exc:
        print("\n".join(str(d) for d in exc.diagnostics), flush=True)
        os._exit(2)
    for rel in sorted(files, key=lambda r: (r.endswith(("pagefind-entry.json", "pagefind.js")), r)):
        write_atomic(out / rel, files[rel], durable=False)
