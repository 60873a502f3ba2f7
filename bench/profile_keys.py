"""Where a key's CPU goes: cProfile of each key's handling in a Pilot-run dashboard.

The app on the demo data (latest month, as `jctui serve` shows it) at 120x40 (a browser
session's size), driven by Pilot; each key from pressing it until the app is idle again (no
worker running, no refresh pending). Per key kind: the UI thread's profile (cProfile sees
the thread it runs in), its call counts of the layout, style, compositor and render steps,
and the process's CPU seconds (time.process_time: every thread, the workers included; and
the UI thread's alone, time.thread_time).

`idle` is no key: the CPU of settling alone (Pilot's pauses), to subtract; `--no-profile`
for CPU seconds without cProfile's overhead.

Usage: python bench/profile_keys.py [rounds] [--top N] [--kind KIND] [--no-profile]
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

# the figure store of the demo in a cache of its own (made by the first run, read after)
os.environ.setdefault("XDG_CACHE_HOME", str(Path(tempfile.gettempdir()) / "jctui-profile-keys"))

from jctui.config import load_config
from jctui.ui.app import JctuiApp

KEYS = (("idle", ""), ("down", "down"), ("up", "up"), ("2", "2"), ("1", "1"), ("[", "left_square_bracket"),
        ("]", "right_square_bracket"), ("3", "3"), ("4", "4"), ("1", "1"))  # fmt: skip
COUNTED = ("_refresh_layout", "apply", "update_nodes", "_render_chops", "render_line",
           "render_lines", "render", "_arrange", "compose", "recompose", "_on_compose",
           "refresh", "watch_data", "_compositor_refresh", "focus")  # fmt: skip


def counts(stats: pstats.Stats) -> dict[str, int]:
    """Calls of the COUNTED functions (by name, in any class), in `stats`."""
    out: dict[str, int] = defaultdict(int)
    for (path, _, name), (_, ncalls, *_) in stats.stats.items():  # type: ignore[attr-defined]
        if name in COUNTED and ("textual" in path or "jctui" in path):
            if name == "apply" and "stylesheet" not in path:
                continue
            out[name] += ncalls
    return dict(out)


async def settle(app: JctuiApp, pilot: object) -> None:
    """Until no worker runs and no frame is pending (at least 0.3 s)."""
    start = time.monotonic()
    while True:
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        busy = any(w.is_running for w in app.workers)
        if not busy and time.monotonic() - start > 0.3:
            await pilot.wait_for_scheduled_animations()  # type: ignore[attr-defined]
            return


async def main() -> int:
    args = sys.argv[1:]
    rounds = int(args[0]) if args and args[0].isdigit() else 3
    top = int(args[args.index("--top") + 1]) if "--top" in args else 0
    only = args[args.index("--kind") + 1] if "--kind" in args else None
    profiled = "--no-profile" not in args
    callers = [args[i + 1] for i, a in enumerate(args) if a == "--callers"]
    app = JctuiApp(load_config(None))
    cpu: dict[str, list[float]] = defaultdict(list)
    ui: dict[str, list[float]] = defaultdict(list)  # the UI thread's alone (time.thread_time)
    calls: dict[str, list[dict[str, int]]] = defaultdict(list)
    profiles: dict[str, pstats.Stats] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(400):
            await pilot.pause(0.05)
            if app.figures is not None:
                break
        await settle(app, pilot)
        await pilot.pause(1.0)
        for _ in range(rounds):
            for kind, key in KEYS:
                if only is not None and kind not in (only, "idle"):
                    await pilot.press(key)
                    await settle(app, pilot)
                    continue
                profile = cProfile.Profile()
                before, ui_before = time.process_time(), time.thread_time()
                if profiled:
                    profile.enable()
                if key:
                    await pilot.press(key)
                await settle(app, pilot)
                profile.disable()
                cpu[kind].append(time.process_time() - before)
                ui[kind].append(time.thread_time() - ui_before)
                if not profiled:
                    continue
                stats = pstats.Stats(profile)
                calls[kind].append(counts(stats))
                if kind in profiles:
                    profiles[kind].add(profile)
                else:
                    profiles[kind] = stats
    print(f"120x40, demo data (latest month), {rounds} rounds; CPU: process_time incl. workers")
    for kind, used in cpu.items():
        runs = calls[kind] or [{}]
        mean = {n: sum(c.get(n, 0) for c in runs) / len(runs) for n in COUNTED}
        shown = ", ".join(f"{n} {v:g}" for n, v in mean.items() if v)
        on_ui = ui[kind]
        print(f"{kind:6} CPU mean {sum(used) / len(used) * 1000:5.0f} ms (min {min(used) * 1000:4.0f}"
              f"), UI thread {sum(on_ui) / len(on_ui) * 1000:5.0f} ms; calls per key: {shown}")  # fmt: skip
    if top:
        for kind, stats in profiles.items():
            if only is None or kind == only:
                print(f"\n==== {kind} (sum over {rounds} rounds, cumulative)")
                stats.sort_stats("cumulative").print_stats(top)
                for name in callers:
                    stats.print_callers(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
