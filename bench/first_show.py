"""The first show of a tab in a fresh session: frames written and UI-thread CPU.

`bench/profile_keys.py` shows each tab first in its first round only; `jctui serve` with
warm dashboards shows a browser a dashboard made long before, every hidden tab prepared.
Here, per run, a new app at 120x40 on the demo data (latest month), left until its figures
are in and the start's prefetch and compare preparation are done (~3 s); then the UI
thread's CPU (time.thread_time) of settling without a key (`idle`), and of a first `2` (or
`4`: `--key 4`) until the app is idle again, with the frames it wrote and what each
repainted (profile_keys' Frames).

`--top N`: the N first lines of the keys' profile (cProfile in UI-thread CPU seconds,
summed over the runs; PROFILE_SORT sorts it otherwise).

Usage: python bench/first_show.py [runs] [--key K] [--top N]
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from profile_keys import Frames, settle  # (sets the demo's figure cache first)

from jctui.config import load_config
from jctui.ui.app import JctuiApp
from jctui.ui.screens.dashboard import DashboardScreen


async def one(
    key: str, profile: cProfile.Profile | None = None
) -> tuple[float, float, list[tuple[float, str]]]:
    """(idle CPU, key CPU, frames) of a fresh app's first `key`, in UI-thread seconds."""
    app = JctuiApp(load_config(None))
    frames = Frames(app)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(400):
            await pilot.pause(0.05)
            if app.figures is not None:
                break
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        for _ in range(100):  # the start's prefetch, then the compare tab prepared
            if screen.prepared_compare:
                break
            await pilot.pause(0.1)
        await settle(app, pilot)
        await pilot.pause(0.5)
        before = time.thread_time()
        await settle(app, pilot)
        idle = time.thread_time() - before
        frames.start()
        before = time.thread_time()
        if profile is not None:
            profile.enable()
        await pilot.press(key)
        await settle(app, pilot)
        used = time.thread_time() - before
        if profile is not None:
            profile.disable()
        return idle, used, list(frames.frames)


async def main() -> int:
    args = sys.argv[1:]
    runs = int(args[0]) if args and args[0].isdigit() else 4
    key = args[args.index("--key") + 1] if "--key" in args else "2"
    top = int(args[args.index("--top") + 1]) if "--top" in args else 0
    profile = cProfile.Profile(time.thread_time) if top else None
    beyond: list[float] = []
    for run in range(runs):
        idle, used, frames = await one(key, profile)
        beyond.append(used - idle)
        print(f"run {run}: first {key}: UI CPU {used * 1000:4.0f} ms, idle {idle * 1000:4.0f} ms,"
              f" beyond idle {(used - idle) * 1000:4.0f} ms; frames {len(frames)}")  # fmt: skip
        for at, what in frames:
            print(f"    frame at {at:5.0f} ms: {what[:150]}")
    beyond.sort()
    print(
        f"first {key}, {runs} fresh apps at 120x40: UI-thread CPU beyond idle, median"
        f" {beyond[len(beyond) // 2] * 1000:.0f} ms (min {beyond[0] * 1000:.0f})"
    )
    if profile is not None:
        stats = pstats.Stats(profile)
        stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(top)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
