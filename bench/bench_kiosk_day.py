"""A simulated day of kiosk rotation (headless): does memory grow?

The kiosk app runs under Textual's test driver with its clock replaced, so 24 hours of
playlist rotation (about 4,000 view switches, each rendered) pass in minutes. RSS is sampled
after a warm-up hour and at the end of the day.
Usage: python bench/bench_kiosk_day.py [hours]
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import header


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def simulate(hours: float) -> None:
    from jctui.config import KioskDef, load_config
    from jctui.session.kiosk import default_playlist
    from jctui.ui.kiosk_app import KioskApp

    config = load_config(None)
    config = dataclasses.replace(
        config, kiosk=KioskDef(enabled=True, playlist=default_playlist("Kreis Offenbach"))
    )
    app = KioskApp(config, today=dt.date(2026, 11, 25))
    now = [0.0]
    app.clock = lambda: now[0]
    app.wall = lambda: dt.datetime(2026, 11, 25, 8) + dt.timedelta(seconds=now[0])
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if app.figures is not None:
                break

        async def run_for(seconds: float) -> int:
            switches = 0
            end = now[0] + seconds
            while now[0] < end:
                now[0] += app.kiosk.rotation.seconds_to_next(now[0]) or 1.0
                before = len(app.kiosk.shown)
                app.kiosk.tick()
                await pilot.pause(0)
                switches += len(app.kiosk.shown) - before
            return switches

        await run_for(3600)  # warm-up hour
        gc.collect()
        rss0 = rss_mb()
        start = time.perf_counter()
        switches = await run_for(hours * 3600)
        gc.collect()
        rss1 = rss_mb()
        print(
            f"simulated {hours:g} h of rotation: {switches} view switches in {time.perf_counter() - start:.0f} s; "
            f"RSS after warm-up {rss0:.1f} MB, at the end {rss1:.1f} MB ({rss1 - rss0:+.1f} MB); "
            f"views {sorted(set(app.kiosk.shown))}"
        )


def main() -> int:
    hours = float(sys.argv[1]) if len(sys.argv) > 1 else 24
    print(header())
    asyncio.run(simulate(hours))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
