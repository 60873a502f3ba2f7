"""`jctui serve --warm-sessions N` keeps N dashboards started before any browser comes
(jctui/ui/warm_driver.py): a session takes one that already drew its figures, sees them at
its own size and with its browser's "my Jobcenter", and another is made for the next one.

A real `jctui serve` on 127.0.0.1 with websocket clients speaking textual-serve's protocol;
and the warm parent alone, asked by its own stdlib client, for what serve never sends.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.functional.test_serve_processes import children, dashboards, wait_for
from tests.serving import demo_store, jctui_serve, screen_until, ws_url

pytestmark = pytest.mark.timeout(180)
if TYPE_CHECKING:
    import aiohttp
else:
    aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

BROWSER = "browser-B-0123456789abcdef"
CLIENT = Path(__file__).parents[2] / "jctui" / "ui" / "zygote_client.py"


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1
    return int(fields[11]) + int(fields[12])


def idle(pid: int) -> bool:
    """The process used no CPU for half a second (a warm dashboard waiting for a session)."""
    before = cpu_ticks(pid)
    time.sleep(0.5)
    return before >= 0 and cpu_ticks(pid) == before


def test_a_session_takes_the_warm_dashboard_with_its_own_jobcenter_and_size(
    tmp_path: Path,
) -> None:
    from jctui.ui.serve_guard import Guard

    with jctui_serve(tmp_path, "--warm-sessions", "1", stored=True) as (port, server, token):
        wait_for(lambda: len(dashboards(server.pid)) == 1, 60)
        (warm,) = dashboards(server.pid)
        wait_for(lambda: idle(warm), 60)  # its figures drawn, for nobody yet
        states = tmp_path / "jctui" / "serve"
        states.mkdir(parents=True, exist_ok=True)
        Guard("t", None, 8, states).state_file(BROWSER).write_text(
            json.dumps({"my_jobcenter": "06888", "name": "Stadt Offenbach am Main"}),
            encoding="utf-8",
        )  # this browser made Stadt Offenbach its Jobcenter in an earlier session

        async def session() -> None:
            async with aiohttp.ClientSession() as client:
                ws = await client.ws_connect(ws_url(port, token, BROWSER, 120, 40))
                seen = bytearray()
                await screen_until(ws, seen, b"Stadt Offenbach am Main", 30)
                await screen_until(ws, seen, b"12 mo", 30)
                assert warm in dashboards(server.pid), "the session got a new dashboard"
                # the next session's is made once this one is quiet
                wait_for(lambda: len(dashboards(server.pid)) == 2, 60)
                await ws.send_str(json.dumps(["stdin", "?"]))  # the keys reach it
                await screen_until(ws, seen, b"Keys", 30)
                await ws.close()

        asyncio.run(session())
        kept = json.loads((tmp_path / "jctui" / "serve-warm-size.json").read_text())
        assert kept == {"columns": 120, "rows": 40}  # the next start's warm dashboards' size
        assert b"Stadt Offenbach" not in (tmp_path / f"serve-{port}.out").read_bytes()


def zygote(tmp_path: Path, argv: list[str], warm: int) -> tuple[subprocess.Popen[bytes], str]:
    """The warm parent alone, as `jctui serve` starts it (its spec on stdin)."""
    sock = str(tmp_path / "z.sock")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    env.update(XDG_DATA_HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path), JCTUI_NO_CLOCK="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jctui.ui.zygote", sock], stdin=subprocess.PIPE, env=env
    )
    assert proc.stdin is not None
    session_env = dict(env, TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver")
    spec = {"argv": argv, "warm": warm, "env": session_env}
    proc.stdin.write(json.dumps(spec).encode() + b"\n")
    proc.stdin.flush()
    return proc, sock


def stop(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(20)


def test_a_warm_dashboard_that_dies_is_made_again_only_after_a_growing_pause(
    tmp_path: Path,
) -> None:
    """A dashboard that cannot start (here: its config is missing) is not forked again and
    again: the pause doubles after each (1, 2, 4 s ...)."""
    proc, _ = zygote(tmp_path, ["--config", str(tmp_path / "missing.toml")], warm=2)
    seen: set[int] = set()
    try:
        end = time.monotonic() + 6
        while time.monotonic() < end:
            seen.update(children(proc.pid))
            time.sleep(0.01)
        assert proc.poll() is None, "the warm parent ended"
    finally:
        stop(proc)
    # started at 0, then after pauses of 1, 2 and (from 3 s on) 4 s: at most 3 in 6 s
    assert 1 <= len(seen) <= 3, f"{len(seen)} dashboards started in 6 s"


def test_a_session_with_another_environment_gets_a_dashboard_of_its_own(
    tmp_path: Path,
) -> None:
    """The warm dashboard was made with the sessions' environment; a session with another
    one (here NO_COLOR set) must not get it: its dashboard would not be what it asked for."""
    demo_store(tmp_path)  # its figures read, not computed (not what this test is about)
    proc, sock = zygote(tmp_path, [], warm=1)  # the demo data
    try:
        wait_for(lambda: len(children(proc.pid)) == 1, 60)
        (warm,) = children(proc.pid)
        wait_for(lambda: idle(warm), 60)
        env = dict(os.environ, NO_COLOR="1", COLUMNS="100", ROWS="30")
        client = subprocess.Popen(
            [sys.executable, "-I", "-S", str(CLIENT), sock],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        wait_for(lambda: len(children(proc.pid)) == 2, 30)
        assert warm in children(proc.pid), "the warm dashboard was given to another session"
        assert client.stdin is not None
        client.stdin.close()  # its session ends: its dashboard's input is gone
        client.kill()
        client.wait(10)
    finally:
        stop(proc)


def test_more_warm_dashboards_than_sessions_is_refused_in_one_line(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-m", "jctui", "serve", "--max-sessions", "2", "--warm-sessions", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr  # an unusable setting (README: exit codes)
    assert proc.stderr.strip().splitlines() == [
        "jctui: error: --warm-sessions: must be 0 to --max-sessions (2), got 3"
    ], proc.stderr
