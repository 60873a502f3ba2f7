"""Background work runs at a lower CPU priority than the UI thread (Linux)."""

from __future__ import annotations

import os
import sys
import threading

import polars as pl
import pytest

from jctui.ui.background import BACKGROUND_NICE, lower_background_priority, polars_pool_threads

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice is Linux only")


def nice_of(tid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, tid)


def test_worker_and_polars_pool_are_niced_and_the_ui_thread_is_not() -> None:
    pl.DataFrame({"a": range(10_000)}).group_by("a").len()  # start Polars' pool
    main_nice = nice_of(threading.get_native_id())
    seen: dict[str, int] = {}

    def worker() -> None:
        lower_background_priority()
        seen["worker"] = nice_of(threading.get_native_id())

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["worker"] >= BACKGROUND_NICE
    pool = polars_pool_threads()
    assert pool, "Polars' pool threads were expected to be running"
    assert all(nice_of(tid) >= BACKGROUND_NICE for tid in pool)
    assert nice_of(threading.get_native_id()) == main_nice  # the UI thread keeps its priority
