"""Soak: 10,000 refresh cycles against the local server, with and without failures.

Run by `make soak` (not in `make test`: it takes a few minutes). Checks what a kiosk left
alone for weeks needs: memory growth under 10 MB, no leaked threads or sockets, and the
data intact at the end. Prints the figures recorded in bench/RESULTS.md.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import threading
import time
from pathlib import Path

import pytest

from jctui.config import HttpDef, RefreshDef, SourceDef, load_config
from jctui.session.refresh import Refresher
from tests.httpserver import LocalServer

CYCLES = int(os.environ.get("JCTUI_SOAK_CYCLES", "10000"))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.soak
@pytest.mark.timeout(1200)
@pytest.mark.parametrize("failures", [False, True], ids=["healthy", "flaky"])
def test_ten_thousand_refresh_cycles(
    server: LocalServer, failures: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JCTUI_SOAK_TOKEN", "soak-token")
    src = SourceDef(
        name="api", url=server.url, records_path="data.items",
        http=HttpDef(auth="bearer", token_env="JCTUI_SOAK_TOKEN", timeout=2),
    )  # fmt: skip
    config = dataclasses.replace(
        load_config(None), sources=(src,), checks=(),
        refresh=RefreshDef(http_interval=0.001, backoff_initial=0.001, backoff_max=0.002),
    )  # fmt: skip
    clock = [0.0]
    ref = Refresher(config, now=lambda: clock[0], use_cache=False)
    good, _, _ = ref.refresh(force=True)
    assert good is not None
    for _ in range(200):  # warm up allocator and connection handling before measuring
        clock[0] += 1
        ref.refresh()
    gc.collect()
    rss0, fds0, threads0 = rss_mb(), open_fds(), threading.active_count()
    start = time.perf_counter()
    failed = recovered = 0
    for i in range(CYCLES):
        clock[0] += 1
        if failures:
            server.mode = ("status", "ok", "invalid_json", "ok", "truncated", "ok")[i % 6]
            server.status = 503
        _, notices, _ = ref.refresh()
        failed += sum(n.kind == "failure" for n in notices)
        recovered += sum(n.kind == "recovery" for n in notices)
        # alternate unchanged (304) and changed bodies
        if i % 2 and not failures:
            server.payload[0]["value"] = float(i)
    elapsed = time.perf_counter() - start
    server.mode = "ok"
    clock[0] += 10
    dataset, _, _ = ref.refresh()
    gc.collect()
    growth = rss_mb() - rss0
    print(
        f"\nsoak {'flaky' if failures else 'healthy'}: {CYCLES} cycles in {elapsed:.1f} s "
        f"({elapsed / CYCLES * 1000:.2f} ms/cycle); RSS {rss0:.1f} -> {rss_mb():.1f} MB ({growth:+.1f} MB); "
        f"fds {fds0} -> {open_fds()}; threads {threads0} -> {threading.active_count()}; "
        f"failure notices {failed}, recoveries {recovered}"
    )
    assert dataset is not None
    assert dataset.values.height == 24  # nothing lost
    assert growth < 10
    assert open_fds() <= fds0 + 2
    assert threading.active_count() <= threads0
    if failures:
        assert (
            failed == recovered == CYCLES // 6 + (1 if CYCLES % 6 > 0 else 0)
            or failed == recovered + 1
            or failed == recovered
        )
