"""Where a key's CPU goes: cProfile of each key's handling in a Pilot-run dashboard.

The app on the demo data (latest month, as `jctui serve` shows it) at 120x40 (a browser
session's size), driven by Pilot; each key from pressing it until the app is idle again (no
worker running, no refresh pending). Per key kind: the UI thread's profile (cProfile sees
the thread it runs in), its call counts of the layout, style, compositor and render steps,
and the process's CPU seconds (time.process_time: every thread, the workers included; and
the UI thread's alone, time.thread_time).

`idle` is no key: the CPU of settling alone (Pilot's pauses), to subtract; `--no-profile`
for CPU seconds without cProfile's overhead. `--frames`: per key also the frames the app
wrote (compositor updates handed to the driver, as a terminal or a browser would get them),
the layouts, and with `--frames-detail` what each frame repainted (the dirty widgets, or
"layout") and when (ms after the key). `--cpu-timer`: the profile's times in CPU seconds of
the UI thread (time.thread_time), not wall seconds (which count the waits in epoll).

Usage: python bench/profile_keys.py [rounds] [--top N] [--kind KIND] [--no-profile]
       [--callers NAME] [--frames] [--frames-detail] [--cpu-timer]
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

from textual.screen import Screen

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


class Frames:
    """Frames written and layouts done since `start` (the app's `_display` and the screen's
    `_refresh_layout` wrapped: Textual's private methods, version pinned)."""

    def __init__(self, app: JctuiApp) -> None:
        self.frames: list[tuple[float, str]] = []  # (ms after start, what was repainted)
        self.layouts = 0
        self.t0 = time.monotonic()
        self.pending: list[str] = []
        display, refresh_layout, compositor_refresh = (
            app._display,
            Screen._refresh_layout,
            Screen._compositor_refresh,
        )
        frames = self

        def counted_display(screen: Screen[object], renderable: object) -> None:
            if renderable is not None and not app._batch_count:
                frames.frames.append(
                    ((time.monotonic() - frames.t0) * 1000, " ".join(frames.pending))
                )
            frames.pending = []
            display(screen, renderable)  # type: ignore[arg-type]

        def counted_layout(screen: Screen[object], *args: object, **kwargs: object) -> None:
            frames.layouts += 1
            frames.pending.append("LAYOUT")
            refresh_layout(screen, *args, **kwargs)  # type: ignore[arg-type]

        def noted_refresh(screen: Screen[object]) -> None:
            names = sorted({type(w).__name__ + (f"#{w.id}" if w.id else "")
                            for w in screen._dirty_widgets})  # fmt: skip
            frames.pending.append(",".join(names[:8]) + ("..." if len(names) > 8 else ""))
            compositor_refresh(screen)

        app._display = counted_display  # type: ignore[method-assign]
        Screen._refresh_layout = counted_layout  # type: ignore[method-assign]
        Screen._compositor_refresh = noted_refresh  # type: ignore[method-assign]

    def start(self) -> None:
        self.frames, self.layouts, self.t0, self.pending = [], 0, time.monotonic(), []


async def main() -> int:
    args = sys.argv[1:]
    rounds = int(args[0]) if args and args[0].isdigit() else 3
    top = int(args[args.index("--top") + 1]) if "--top" in args else 0
    only = args[args.index("--kind") + 1] if "--kind" in args else None
    profiled = "--no-profile" not in args
    callers = [args[i + 1] for i, a in enumerate(args) if a == "--callers"]
    detail = "--frames-detail" in args
    cpu_timer = "--cpu-timer" in args  # the profile in the UI thread's CPU seconds, not wall
    app = JctuiApp(load_config(None))
    frames = Frames(app) if "--frames" in args or detail else None
    written: dict[str, list[tuple[int, int]]] = defaultdict(list)  # (frames, layouts) per key
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
                profile = cProfile.Profile(time.thread_time) if cpu_timer else cProfile.Profile()
                before, ui_before = time.process_time(), time.thread_time()
                if frames is not None:
                    frames.start()
                if profiled:
                    profile.enable()
                if key:
                    await pilot.press(key)
                await settle(app, pilot)
                profile.disable()
                cpu[kind].append(time.process_time() - before)
                ui[kind].append(time.thread_time() - ui_before)
                if frames is not None:
                    written[kind].append((len(frames.frames), frames.layouts))
                    if detail and kind != "idle":
                        for at, what in frames.frames:
                            print(f"  {kind:6} frame at {at:5.0f} ms: {what}")
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
        if written[kind]:
            drawn = written[kind]
            shown = (f"frames {sum(f for f, _ in drawn) / len(drawn):g} (max {max(f for f, _ in drawn)}),"
                     f" layouts {sum(n for _, n in drawn) / len(drawn):g}; {shown}")  # fmt: skip
        print(f"{kind:6} CPU mean {sum(used) / len(used) * 1000:5.0f} ms (min {min(used) * 1000:4.0f}"
              f"), UI thread {sum(on_ui) / len(on_ui) * 1000:5.0f} ms; calls per key: {shown}")  # fmt: skip
    if top:
        for kind, stats in profiles.items():
            if only is None or kind == only:
                print(f"\n==== {kind} (sum over {rounds} rounds, cumulative)")
                stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(top)
                for name in callers:
                    stats.print_callers(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
