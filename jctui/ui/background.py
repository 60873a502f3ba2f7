"""Background work yields the CPU to the UI thread.

On 2 cores a recompute of a large source keeps Polars' pool busy on both; a key press then
waits for a time slice. Linux schedules threads individually, so the workers and Polars'
pool threads run at a lower priority (nice 10) and the UI thread gets the core it needs.
Worker threads are reused by later workers and keep the lower priority; that is intended:
no background work should compete with the UI thread, and on an idle machine nice costs
nothing.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

BACKGROUND_NICE = 10


def lower_background_priority() -> None:
    """Nice this thread and Polars' pool threads; a no-op off Linux or where not allowed."""
    if sys.platform != "linux":
        return
    tids = {threading.get_native_id()}
    try:
        for task in Path("/proc/self/task").iterdir():
            if (task / "comm").read_text().startswith("polars-"):
                tids.add(int(task.name))
    except OSError:
        pass
    for tid in tids:
        try:
            os.setpriority(os.PRIO_PROCESS, tid, BACKGROUND_NICE)
        except OSError:  # the thread ended meanwhile
            continue
