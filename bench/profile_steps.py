"""What a month step ([ and ]) costs: on the UI thread, in the workers, and for the key after.

A fresh dashboard per round (as a `jctui serve` session is: one step of each kind in its
life; a first one unmeasured stores the months the others read), on the demo data at 120x40 from the figure store, driven by Pilot; once its start
is done (figures shown, the neighbours' prefetch at start run) the keys of KEYS are pressed,
each until the app is idle again (a key's second press in a session: `[2`). Per key: the UI thread's CPU (time.thread_time), the
process's (time.process_time: workers and Polars' pool too), and the CPU of the workers it
started by group (`compute`, `prefetch`: each worker's own thread_time). `idle` is no key:
Pilot's settling alone, to subtract from the UI thread's.

GIL (--gil): a probe thread sleeps 1 ms in a loop; its longest wake-up delay while a key's work runs
is how long a thread waited for the GIL at most (Python switches every 5 ms, so more is C
code that held it: a JSON decode, say).

Then the key after a step: Down QUICK_GAP after `[` (its prefetch still running), and Down
alone, timed (wall) from pressing it to its frame: noisy on a shared host, so a median.

Without --ui-top, parts of the UI thread's CPU (UI_PARTS: the frame, the tiles' lines, the
new figures handed on, layout, styling) are timed too (ms per key, mean); --widgets: the
frames drawn and the widgets each drew (render_lines calls by class, mean per key).

Usage: python bench/profile_steps.py [rounds] [--top N] [--ui-top N] [--gil] [--widgets]
  --top N: the workers' cProfile (cumulative) summed over the rounds, by group
  --ui-top N: the UI thread's cProfile of the steps
"""

from __future__ import annotations

import asyncio
import cProfile
import functools
import os
import pstats
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("XDG_CACHE_HOME", str(Path(tempfile.gettempdir()) / "jctui-profile-keys"))

from jctui.config import load_config
from jctui.session.session import Session
from jctui.ui.app import JctuiApp
from jctui.ui.screens import dashboard

KEYS = (("idle", ""), ("[", "left_square_bracket"), ("down", "down"), ("]", "right_square_bracket"),
        ("up", "up"), ("[", "left_square_bracket"), ("[", "left_square_bracket"),
        ("]", "right_square_bracket"))  # fmt: skip

QUICK_GAP = 0.05  # seconds from a step to the next key (bench_serve's quiet between keys)
worker_cpu: dict[str, float] = defaultdict(float)  # group -> thread CPU seconds (this key)
# parts of the UI thread's work timed (thread CPU, outermost calls only), per key
UI_PARTS = {
    "frame": ("textual.screen", "Screen", "_compositor_refresh"),
    "tiles": ("jctui.ui.widgets.metric_tile", "MetricTile", "render_lines"),
    "tile text": ("jctui.ui.widgets.metric_tile", "MetricTile", "strips"),
    "show_new_figures": ("jctui.ui.screens.dashboard", "DashboardScreen", "show_new_figures"),
    "layout": ("textual.screen", "Screen", "_refresh_layout"),
    "styles": ("textual.css.stylesheet", "Stylesheet", "update_nodes"),
}
ui_cpu: dict[str, float] = defaultdict(float)
ui_depth: dict[str, int] = defaultdict(int)
drawn: dict[str, float] = defaultdict(float)  # widget class -> render_lines calls (this key)
frames: list[float] = []  # when each frame was drawn (perf_counter)
quick: dict[str, list[float]] = defaultdict(list)  # the key after a step: wall ms to its frame
worker_profiles: dict[str, pstats.Stats] = {}
profile_workers = False
probe_max = [0.0]


def timed(group: str, method: Callable[..., Any]) -> Callable[..., Any]:
    """`method` with its thread's CPU added to worker_cpu[group] (and profiled)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        profile = cProfile.Profile() if profile_workers else None
        start = time.thread_time()
        if profile is not None:
            profile.enable()
        try:
            return method(*args, **kwargs)
        finally:
            if profile is not None:
                profile.disable()
                if group in worker_profiles:
                    worker_profiles[group].add(profile)
                else:
                    worker_profiles[group] = pstats.Stats(profile)
            worker_cpu[group] += time.thread_time() - start

    return wrapper


def time_ui_parts() -> None:
    """Wrap the UI_PARTS methods: their thread CPU added to ui_cpu (outermost calls)."""
    import importlib

    for part, (module, owner, name) in UI_PARTS.items():
        cls = getattr(importlib.import_module(module), owner)
        method = getattr(cls, name, None)
        if method is None:  # older code (PYTHONPATH): not there
            continue

        def wrapper(*args: Any, _m: Any = method, _p: str = part, **kwargs: Any) -> Any:
            ui_depth[_p] += 1
            start = time.thread_time()
            try:
                return _m(*args, **kwargs)
            finally:
                ui_depth[_p] -= 1
                if not ui_depth[_p]:
                    ui_cpu[_p] += time.thread_time() - start

        setattr(cls, name, functools.wraps(method)(wrapper))
    from textual.widget import Widget

    render_lines = Widget.render_lines

    def counted(self: Widget, *args: Any, **kwargs: Any) -> Any:
        drawn[type(self).__name__] += 1
        return render_lines(self, *args, **kwargs)

    Widget.render_lines = counted  # type: ignore[method-assign]
    from textual.screen import Screen

    refresh = Screen._compositor_refresh

    def frame(self: Screen[Any]) -> None:
        drawn["(frames)"] += 1
        refresh(self)
        frames.append(time.perf_counter())

    Screen._compositor_refresh = frame  # type: ignore[method-assign]


def probe(stop: threading.Event) -> None:
    """The longest wait beyond a 1 ms sleep, kept in probe_max (reset per key)."""
    while not stop.is_set():
        start = time.perf_counter()
        time.sleep(0.001)
        probe_max[0] = max(probe_max[0], time.perf_counter() - start - 0.001)


async def settle(app: JctuiApp, pilot: Any) -> None:
    """Until no worker runs and no frame is pending (at least 0.3 s)."""
    start = time.monotonic()
    while True:
        await pilot.pause(0.05)
        busy = any(w.is_running for w in app.workers)
        if not busy and time.monotonic() - start > 0.3:
            await pilot.wait_for_scheduled_animations()
            return


async def one_session(
    results: dict[str, list[tuple[float, float, float, float, float]]],
    parts: dict[str, list[dict[str, float]]],
    widgets: dict[str, list[dict[str, float]]],
    ui_profiles: dict[str, pstats.Stats],
    ui_top: bool,
) -> None:
    app = JctuiApp(load_config(None))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(400):
            await pilot.pause(0.05)
            if app.figures is not None:
                break
        await pilot.pause(dashboard.PREFETCH_AT_START + 0.3)  # the prefetch at start
        await settle(app, pilot)
        seen: dict[str, int] = defaultdict(int)
        for name, key in KEYS:
            seen[name] += 1
            kind = name if seen[name] == 1 else f"{name}{seen[name]}"
            worker_cpu.clear()
            ui_cpu.clear()
            drawn.clear()
            probe_max[0] = 0.0
            profile = cProfile.Profile() if ui_top and name in "[]" else None
            cpu, ui = time.process_time(), time.thread_time()
            if profile is not None:
                profile.enable()
            if key:
                await pilot.press(key)
            await settle(app, pilot)
            if profile is not None:
                profile.disable()
                if kind in ui_profiles:
                    ui_profiles[kind].add(profile)
                else:
                    ui_profiles[kind] = pstats.Stats(profile)
            ui = time.thread_time() - ui
            cpu = time.process_time() - cpu
            row = (ui, cpu, worker_cpu["compute"], worker_cpu["prefetch"], probe_max[0])
            results[kind].append(row)
            parts[kind].append(dict(ui_cpu))
            widgets[kind].append(dict(drawn))
        # the key after a step, QUICK_GAP later (the prefetch still runs), and alone
        for label, before in (("down alone", ""), ("down after [", "left_square_bracket")):
            for _ in range(2):
                if before:
                    await pilot.press(before)
                    await pilot.pause(QUICK_GAP)
                start, count = time.perf_counter(), len(frames)
                await pilot.press("down")
                while len(frames) == count and time.perf_counter() - start < 2:
                    await asyncio.sleep(0.002)
                if len(frames) > count:
                    quick[label].append(frames[count] - start)
                await settle(app, pilot)
                await pilot.press("up")
                await settle(app, pilot)


async def main() -> int:
    global profile_workers
    args = sys.argv[1:]
    rounds = int(args[0]) if args and args[0].isdigit() else 3
    top = int(args[args.index("--top") + 1]) if "--top" in args else 0
    ui_top = int(args[args.index("--ui-top") + 1]) if "--ui-top" in args else 0
    profile_workers = bool(top)
    Session.compute = timed("compute", Session.compute)  # type: ignore[method-assign]
    Session.prefetch = timed("prefetch", Session.prefetch)  # type: ignore[method-assign]
    stop = threading.Event()
    if "--gil" in args:  # its wake-ups cost CPU too (~1 %): only when asked
        threading.Thread(target=probe, args=(stop,), daemon=True).start()
    results: dict[str, list[tuple[float, float, float, float, float]]] = defaultdict(list)
    parts: dict[str, list[dict[str, float]]] = defaultdict(list)
    widgets: dict[str, list[dict[str, float]]] = defaultdict(list)
    ui_profiles: dict[str, pstats.Stats] = {}
    if not ui_top:
        time_ui_parts()
    # a first session unmeasured: it stores what the others read (the store is of this code)
    await one_session(defaultdict(list), defaultdict(list), defaultdict(list), {}, False)
    worker_profiles.clear()
    quick.clear()
    for _ in range(rounds):
        await one_session(results, parts, widgets, ui_profiles, bool(ui_top))
    stop.set()
    print(f"120x40, demo data, {rounds} fresh sessions; keys in order: "
          f"{' '.join(k for k, _ in KEYS[1:])}; ms (mean / min)")  # fmt: skip
    for kind in results:
        rows = results[kind]
        cols = list(zip(*rows, strict=True))
        mean = [sum(c) / len(c) * 1000 for c in cols]
        low = [min(c) * 1000 for c in cols]
        print(
            f"{kind:5} UI {mean[0]:5.0f} / {low[0]:4.0f}  process {mean[1]:5.0f} / {low[1]:4.0f}"
            f"  compute {mean[2]:4.0f}  prefetch {mean[3]:5.0f} / {low[3]:4.0f}"
            f"  GIL wait max {mean[4]:4.0f} / {max(c for c in cols[4]) * 1000:4.0f}"
        )
        if not ui_top:
            runs = parts[kind]
            shown = {p: sum(r.get(p, 0.0) for r in runs) / len(runs) * 1000 for p in UI_PARTS}
            print("      UI parts: " + ", ".join(f"{p} {v:.1f}" for p, v in shown.items()))
            if "--widgets" in args:
                names = sorted({n for r in widgets[kind] for n in r})
                mean = {
                    n: sum(r.get(n, 0) for r in widgets[kind]) / len(widgets[kind]) for n in names
                }
                print("      drawn: " + ", ".join(f"{n} {v:g}" for n, v in mean.items()))
    if not ui_top:
        for label, waits in quick.items():
            print(f"{label:13} key -> frame wall ms: median {statistics.median(waits) * 1000:4.0f}"
                  f", max {max(waits) * 1000:4.0f} ({len(waits)} keys; [ {QUICK_GAP * 1000:.0f} ms before)")  # fmt: skip
    for group, stats in worker_profiles.items():
        print(f"\n==== worker {group} (sum over {rounds} sessions, cumulative)")
        stats.sort_stats("cumulative").print_stats(top)
    for kind, stats in ui_profiles.items():
        print(f"\n==== UI thread {kind} (sum over {rounds} sessions, cumulative)")
        stats.sort_stats("cumulative").print_stats(ui_top)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
