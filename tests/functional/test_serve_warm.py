"""The warm parent of `jctui serve` (jctui/ui/zygote.py) makes once, before it forks, what
every session would make alike: the CSS parsed. A session forked from it shows the figures
of the store `jctui refresh` wrote; on a cold store it computes them as before. The parent starts no Polars thread pool
(a forked child would wait for its missing threads for ever).

Each case runs in its own interpreter: the warm parent changes Textual's CSS parser for
its process, as the real one does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serving import demo_store

pytestmark = pytest.mark.timeout(180)

PARENT = r"""
import asyncio, gc, html, importlib, json, os, re, sys
from jctui.ui import zygote

for name in zygote.PRELOAD:
    importlib.import_module(name)
zygote.prepare_sessions(["--lang", "en"])

comm = lambda t: open(f"/proc/self/task/{t}/comm").read().strip()
pool = [comm(t) for t in os.listdir("/proc/self/task") if re.fullmatch(r"polars-\d+", comm(t))]
gc.collect()
gc.freeze()
read, write = os.pipe()
pid = os.fork()
if pid == 0:  # a session's dashboard, headless, until its figures show
    from jctui.config import load_config
    from jctui.ui.app import JctuiApp
    from jctui.ui.widgets.overview import OverviewPane

    app = JctuiApp(load_config(None))

    async def run() -> dict:
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(1200):
                if app.session.figures is not None and app.dashboard.focused_first_figure:
                    break
                await pilot.pause(0.05)
            await pilot.pause()
            return {
                "figures": app.session.figures is not None,
                "from_store": app.session.data is not None and app.session.data.from_store,
                "tiles": len(list(app.query_one(OverviewPane).tiles())),
                "screen": html.unescape(app.export_screenshot()).replace("\xa0", " "),
            }

    try:
        result = asyncio.run(run())
    except BaseException as exc:
        result = {"error": repr(exc)}
    os.write(write, json.dumps(result).encode())
    os._exit(0)
os.close(write)
chunks = []
while chunk := os.read(read, 65536):
    chunks.append(chunk)
os.waitpid(pid, 0)
child = json.loads(b"".join(chunks))
print(json.dumps({"pool": pool, **child}))
"""


def warm_parent(home: Path, *, refresh: bool) -> dict[str, object]:
    """The warm parent and a session forked from it, in `home`; `refresh`: on the demo's
    figure store (the one `jctui refresh` writes holds these months too, and 79 more:
    tests/unit/test_store_sessions.py proves a session reads it)."""
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "JCTUI_NO_CLOCK": "1",
        "LANG": "C.UTF-8",
        "TEXTUAL_ANIMATIONS": "none",
    }
    if refresh:  # the months a dashboard shows first, stored as a refresh stores them
        demo_store(home / "cache")
    done = subprocess.run(
        [sys.executable, "-c", PARENT], env=env, capture_output=True, text=True, timeout=170
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in result, result
    return result


def test_a_session_forked_from_the_warm_parent_shows_the_stored_figures(
    tmp_path: Path,
) -> None:
    result = warm_parent(tmp_path, refresh=True)
    assert result["pool"] == []  # no Polars pool started before the fork
    assert result["figures"]
    assert result["from_store"]
    assert result["tiles"]
    assert "12 mo" in str(result["screen"])


def test_a_session_forked_on_a_cold_store_computes_its_figures(tmp_path: Path) -> None:
    result = warm_parent(tmp_path, refresh=False)
    assert result["pool"] == []
    assert result["figures"]
    assert not result["from_store"]
    assert "12 mo" in str(result["screen"])
