"""Background work yields the CPU to the UI thread.

On 2 cores a recompute of a large source keeps Polars' pool busy on both; a key press then
waits for a time slice. Linux schedules threads individually, so the workers and Polars'
pool threads run at a lower priority (nice 10) and the UI thread gets the core it needs.
Worker threads are reused by later workers and keep the lower priority; that is intended:
no background work should compete with the UI thread, and on an idle machine nice costs
nothing.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from pathlib import Path

BACKGROUND_NICE = 10


def polars_pool_threads() -> set[int]:
    """Native ids of Polars' pool threads (Linux); threads ending meanwhile are skipped."""
    tids: set[int] = set()
    try:
        tasks = list(Path("/proc/self/task").iterdir())
    except OSError:
        return tids
    for task in tasks:
        try:
            if (task / "comm").read_text().startswith("polars-"):
                tids.add(int(task.name))
        except OSError:  # the thread ended between listing and reading
            continue
    return tids


def lower_background_priority() -> None:
    """Nice this thread and Polars' pool threads; a no-op off Linux or where not allowed."""
    if sys.platform != "linux":
        return
    for tid in {threading.get_native_id(), *polars_pool_threads()}:
        try:
            os.setpriority(os.PRIO_PROCESS, tid, BACKGROUND_NICE)
        except OSError:  # the thread ended meanwhile
            continue


# set by the warm parent of `jctui serve` (jctui.ui.zygote) when it froze its heap before
# forking: a dashboard forked from it need not ask gc.get_freeze_count, which walks every
# frozen object (~110,000: 14 ms of each session's start)
PARENT_FROZE = False
FULL_GC_EVERY = 600.0  # seconds between full garbage collections (see HeapFreezer)


class HeapFreezer:
    """Keeps the garbage collector's full passes off key presses.

    A full collection of the dashboard's heap takes 25-45 ms and lands on whatever key
    comes next. Freezing what is alive (about 0.01 ms) after each set of figures takes it out
    of those passes; frozen objects are still freed by reference counting. Cyclic garbage
    that got frozen is collected by a full pass at most every FULL_GC_EVERY seconds.
    """

    def __init__(self) -> None:
        # a heap frozen already (the warm parent of `jctui serve` froze it before it forked
        # this dashboard): no full pass at the first figures, which would walk (and copy)
        # all that the parent imported and decoded, ~0.1 s of each session's start
        frozen = PARENT_FROZE or gc.get_freeze_count() > 0
        self.last_full = time.monotonic() if frozen else -FULL_GC_EVERY

    def freeze(self) -> None:
        now = time.monotonic()
        if now - self.last_full >= FULL_GC_EVERY:
            self.last_full = now
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    @staticmethod
    def thaw() -> None:
        """The heap back to normal for whatever runs after the app."""
        gc.unfreeze()
