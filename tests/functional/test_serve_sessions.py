"""Several browsers on one `jctui serve` at once: each websocket gets its own dashboard,
with figures, and keys in one session change that session only.

Marked `serve_sessions` (run by `make test-serve`): it starts three app processes at once,
which takes several seconds on two cores. No browser needed: the websocket clients speak
textual-serve's protocol (JSON ["stdin", keys] in, screen bytes out), as the page does.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving import jctui_serve, screen_until, ws_url

pytestmark = [pytest.mark.serve_sessions, pytest.mark.timeout(300)]
aiohttp = pytest.importorskip("aiohttp")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, str]]:
    with jctui_serve(tmp_path) as (port, _, token):
        yield port, token


async def three_sessions(port: int, token: str) -> None:
    url = ws_url(port, token, width=120, height=40)
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


def test_three_browser_sessions_at_once_each_its_own_dashboard(served: tuple[int, str]) -> None:
    asyncio.run(three_sessions(*served))
