"""Spreading a build's heavy stages (parsing, aligning, rendering) over the cores.

Forked worker processes inherit the task and its data from the parent, so only the small
items (indices) and the results travel through pipes. Small jobs run in the parent: a
pool costs more than it saves below a few dozen items, and the preview's one-file
rebuilds never start one. Results come back in the items' order, so a parallel build
writes exactly what a serial one does."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS = 24  # fewer items than this: not worth a pool
_TASK: Callable | None = None


def jobs_default() -> int:
    """Worker processes: DUIZHAO_JOBS if set (1 = serial), else one per core."""
    value = os.environ.get("DUIZHAO_JOBS", "")
    return max(1, int(value)) if value.isdigit() else (os.cpu_count() or 1)


def run(task: Callable[[T], R], items: Sequence[T], jobs: int | None = None,
        min_items: int = MIN_ITEMS) -> list[R]:
    jobs = jobs_default() if jobs is None else jobs
    if jobs <= 1 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return [task(item) for item in items]
    global _TASK
    _TASK = task
    gc.freeze()  # workers share the parent's objects; a collection in them would copy all
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=die_with_parent) as pool:
            return pool.map(_call, items, chunksize=max(1, len(items) // (jobs * 8)))
    finally:
        gc.unfreeze()
        _TASK = None


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
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere the worker ends when it next reads from its closed pipe
    if os.getppid() == 1:  # the parent died before the request above
        os._exit(1)


def _call(item):  # in a worker: the task came with the fork
    return _TASK(item)  # type: ignore[misc]
