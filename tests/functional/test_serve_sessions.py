"""Several browsers on one `jctui serve` at once: each websocket gets its own dashboard,
with figures, and keys in one session change that session only.

Marked `serve_sessions` (run by `make test-serve`): it starts three app processes at once,
which takes several seconds on two cores. No browser needed: the websocket clients speak
textual-serve's protocol (JSON ["stdin", keys] in, screen bytes out), as the page does.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.serve_sessions, pytest.mark.timeout(300)]
aiohttp = pytest.importorskip("aiohttp")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    env.update(JCTUI_NO_CLOCK="1", LANG="C.UTF-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jctui", "serve", "--port", str(port), "--lang", "en"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


async def screen_until(ws: Any, seen: bytearray, needle: bytes, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while needle not in seen:
        msg = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
        if msg.type == aiohttp.WSMsgType.BINARY:
            seen += msg.data
        elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            raise AssertionError("the session closed")


async def three_sessions(port: int) -> None:
    url = f"http://127.0.0.1:{port}/ws?width=120&height=40"
    async with aiohttp.ClientSession() as client:
        sockets = [await client.ws_connect(url) for _ in range(3)]
        screens = [bytearray() for _ in sockets]
        await asyncio.gather(
            *(
                screen_until(ws, seen, b"12 mo", 240)
                for ws, seen in zip(sockets, screens, strict=True)
            )
        )
        assert all(b"Oct 2018" in seen for seen in screens)
        await asyncio.gather(*(ws.receive(timeout=1) for ws in sockets), return_exceptions=True)
        for seen in screens:
            seen.clear()
        await sockets[0].send_str(json.dumps(["stdin", "["]))  # a month back, first one only
        await screen_until(sockets[0], screens[0], b"Sep 2018", 60)
        for ws, seen in zip(sockets[1:], screens[1:], strict=True):
            with pytest.raises(TimeoutError):
                await screen_until(ws, seen, b"Sep 2018", 2)
        for ws in sockets:
            await ws.close()


def test_three_browser_sessions_at_once_each_its_own_dashboard(served: int) -> None:
    asyncio.run(three_sessions(served))
