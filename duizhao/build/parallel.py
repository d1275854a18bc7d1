"""Spreading a build's heavy stages (parsing, aligning, rendering) over the cores.

Forked worker processes inherit the task and its data from the parent, so only the small
items (indices) and the results travel through pipes. Small jobs run in the parent: a
pool costs more than it saves below a few dozen items, and the preview's one-file
rebuilds never start one. A pool serves at most BATCH items, then a fresh one is forked
(memory, below). The reports are read and aligned in a `Forked` pool instead: forked
before the parent holds them, it gets each item pickled. Results come back in the items'
order, so a parallel build writes exactly what a serial one does."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from typing import Callable, Iterable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS = 24  # fewer items than this: not worth a pool
# items per pool: a worker's copy-on-write copies of the parent's pages (touched by
# reference counts, even with gc.freeze) go with it, so a fresh pool every BATCH items
# bounds them. At 1,000 reports the peak (parent and workers) fell from 979 to 600 MB
# without search, in the same time; 100 items a pool saved no more memory and cost time.
# With the reports read and aligned in a `Forked` pool, the peak of a 1,000-report build
# (its pools render) was 506 MB at 300 items a pool and 443–480 MB at 200 (three runs);
# 100 saved little more (469, 472) for twice the forks.
BATCH = 200
_TASK: Callable | None = None


def jobs_default() -> int:
    """Worker processes: DUIZHAO_JOBS if set (1 = serial), else one per core; none
    outside the main thread (the preview's build behind an edited page): a fork copies
    only the forking thread, and locks other threads hold stay locked in the child."""
    if threading.current_thread() is not threading.main_thread():
        return 1
    value = os.environ.get("DUIZHAO_JOBS", "")
    return max(1, int(value)) if value.isdigit() else (os.cpu_count() or 1)


def run(task: Callable[[T], R], items: Sequence[T], jobs: int | None = None,
        min_items: int = MIN_ITEMS, each: Callable[[int, R], None] | None = None) -> list[R]:
    """`task` of every item, in order. `each(position, result)`, if given, is called in
    this process on each result as it arrives (while the workers go on): what it frees of
    a result (a copy of text the parent already holds) is not held until the last is in."""
    jobs = jobs_default() if jobs is None else jobs
    then = each or _ignore
    if jobs <= 1 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return _gather(map(task, items), then, [])
    global _TASK
    _TASK = task
    thawed = _freeze()  # workers share the parent's objects; a collection in them would copy all
    try:
        out: list[R] = []
        for start in range(0, len(items), BATCH):
            part = items[start:start + BATCH]
            with _pool(jobs) as pool:
                _gather(pool.imap(_call, part, chunksize=max(1, len(part) // (jobs * 8))), then, out)
        return out
    finally:
        if thawed:
            gc.unfreeze()
        _TASK = None


def _freeze() -> bool:
    """gc.freeze(); whether nothing was frozen before (then the caller unfreezes after).
    The preview freezes what survives its builds on purpose: a pool must not undo that."""
    thawed = gc.get_freeze_count() == 0
    gc.freeze()
    return thawed


def _gather(results: Iterable[R], then: Callable[[int, R], None], out: list[R]) -> list[R]:
    """`results` appended to `out` in order, each shown to `then` (with its position) first."""
    for result in results:
        then(len(out), result)
        out.append(result)
    return out


def _ignore(position: int, result) -> None:
    pass


class Forked:
    """A pool forked now, for a task whose items come later, each sent pickled.

    Why: a worker forked from a parent that already holds a build's data copies every
    page of it that the worker touches or allocates into (reference counts, freed gaps
    reused), and keeps the copies until its pool ends: about 100 MB a worker at 1,000
    reports. Forked before the parent reads the reports, the workers share only what it
    held then (the dictionary, the topics), and each item is the worker's own copy, freed
    when done. `count` is how many items are expected: below MIN_ITEMS no pool is made,
    and `run` works as `run` above (in this process, or a pool forked then)."""

    def __init__(self, task: Callable[[T], R], count: int, jobs: int | None = None) -> None:
        self.task, self.jobs, self.pool = task, jobs_default() if jobs is None else jobs, None
        if self.jobs > 1 and count >= MIN_ITEMS and "fork" in multiprocessing.get_all_start_methods():
            thawed = _freeze()
            try:
                self.pool = _pool(self.jobs, task)
            finally:
                if thawed:
                    gc.unfreeze()

    def run(self, items: Sequence[T], each: Callable[[int, R], None] | None = None) -> list[R]:
        if self.pool is None:
            return run(self.task, items, self.jobs, each=each)
        chunks = max(1, len(items) // (self.jobs * 8))
        return _gather(self.pool.imap(_call, items, chunksize=chunks), each or _ignore, [])

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *failure) -> None:
        if self.pool is not None:
            self.pool.terminate()  # its work is done (or failed): nothing to wait for
            self.pool.join()
            self.pool = None


FORKED_MASK: frozenset = frozenset()  # in a worker: the signals it was forked with blocked
_STOPS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


def _pool(jobs: int, task: Callable | None = None):
    """A pool of forked workers, forked with the stop signals blocked: a worker inherits
    this process's handlers (the preview's, which stop its event loop) until `_worker`
    gives them their default meaning, and a pool ends its workers with SIGTERM; taken by
    the inherited handler, that SIGTERM could leave a worker running and the pool's end
    waiting for it. Blocked, it waits until the worker has its own handlers (then unblocks)."""
    blocked = hasattr(signal, "pthread_sigmask")
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        return multiprocessing.get_context("fork").Pool(jobs, initializer=_worker,
                                                        initargs=(task,) if task is not None else ())
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)


def _worker(task: Callable | None = None) -> None:
    """A worker's start: see die_with_parent; and no memo of alignments, which serves a
    long-lived process's next build (the preview's), never a worker's, and would hold
    every pair the worker aligns until its pool ends. A Forked pool's task comes here."""
    global _TASK
    die_with_parent()
    from .cache import ALIGNMENTS
    # Not cleared here: that would touch every inherited entry (copying its pages); a
    # worker that aligns clears it at its first new pair, one that renders never does.
    ALIGNMENTS.size = 1
    if task is not None:
        _TASK = task


def die_with_parent() -> None:
    """In a forked worker: end when the parent ends, even by kill -9 (Linux), instead of
    working on for nobody and printing a broken pipe's traceback. The signals get their
    default meaning back: a parent that turned SIGTERM into KeyboardInterrupt (the
    preview) must not have its workers print a traceback when the pool ends them, and
    Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # forked with them blocked (`_pool`): now they may come
        global FORKED_MASK
        FORKED_MASK = frozenset(signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS))  # (as forked: for tests)
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere the worker ends when it next reads from its closed pipe
    if os.getppid() == 1:  # the parent died before the request above
        os._exit(1)


def _call(item):  # in a worker: the task came with the fork
    return _TASK(item)  # type: ignore[misc]
