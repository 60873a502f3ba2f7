"""Dashboard speed: first paint after start, and key press to updated screen.

1. First paint: `jctui --at 2018-10` started in a real pseudo-terminal (80x24); the time until
   the first frame with the header arrives, and until the figures are on screen. Median of runs.
2. Key latency: in-process (Textual's Pilot) on the compare table with 407 rows: moving the
   cursor, sorting and filtering; each key timed from press until the app is idle again with
   the screen refreshed; p50 and p95. Then the same while a 1-million-row source is being
   recomputed in a background thread (what a refresh of a large source does).

Usage: python bench/bench_ui.py [runs]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import header


def first_paint(runs: int) -> tuple[list[float], list[float]]:
    paints, figures = [], []
    for _ in range(runs):
        env = dict(os.environ, TERM="xterm-256color", JCTUI_NO_CLOCK="1", LANG="C.UTF-8")
        start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(
                sys.executable,
                [sys.executable, "-m", "jctui", "--at", "2018-10", "--lang", "en"],
                env,
            )
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        seen = b""
        paint = None
        try:
            while time.perf_counter() - start < 20:
                ready, _, _ = select.select([fd], [], [], 0.01)
                if not ready:
                    continue
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
                if paint is None and b"jctui" in seen:
                    paint = time.perf_counter() - start
                if b"4,303" in seen:  # Kreis Offenbach's integrations over 12 months
                    figures.append(time.perf_counter() - start)
                    break
        finally:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            os.close(fd)
        if paint is not None:
            paints.append(paint)
    return paints, figures


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def key_latency(background: bool) -> dict[str, list[float]]:
    from jctui.config import load_config
    from jctui.ui.app import JctuiApp

    app = JctuiApp(load_config(None), as_of=dt.date(2018, 10, 1), today=dt.date(2026, 11, 25))
    stop = threading.Event()
    results: dict[str, list[float]] = {"move": [], "sort": [], "filter": []}
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if app.figures is not None:
                break
        await pilot.press("2")
        await pilot.pause(0.2)
        worker = None
        if background:
            worker = threading.Thread(target=recompute_big, args=(stop,), daemon=True)
            worker.start()
            await pilot.pause(1.0)
        for key, kind, n in (
            ("down", "move", 60),
            ("s", "sort", 20),
            ("f", "filter", 20),
            ("b", "filter", 10),
        ):
            for _ in range(n):
                start = time.perf_counter()
                await pilot.press(key)
                await app.animator.wait_until_complete()
                await pilot.wait_for_scheduled_animations()
                results[kind].append(time.perf_counter() - start)
        stop.set()
        if worker:
            worker.join()
    return results


def recompute_big(stop: threading.Event) -> None:
    """Recompute the figures of a ~1 million row source again and again until stopped."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_engine import catalogue, make_data

    from jctui.engine import Engine

    metrics, rates, _ = catalogue()
    values, registry = make_data(daily=False)
    while not stop.is_set():
        Engine(values, registry, metrics, rates).figures()


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    print(header())
    paints, figures = first_paint(runs)
    print(
        f"first paint (header on screen) at 80x24: median {statistics.median(paints):.3f} s "
        f"(min {min(paints):.3f}, max {max(paints):.3f}, {len(paints)} runs)"
    )
    print(
        f"figures on screen: median {statistics.median(figures):.3f} s (min {min(figures):.3f}, max {max(figures):.3f})"
    )
    for background in (False, True):
        results = asyncio.run(key_latency(background))
        label = "while recomputing 1M rows" if background else "idle"
        for kind, times in results.items():
            print(
                f"key -> screen, compare table 407 rows, {kind:6} ({label}): "
                f"p50 {percentile(times, 0.5) * 1000:.1f} ms, p95 {percentile(times, 0.95) * 1000:.1f} ms ({len(times)} keys)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
