"""Helpers of the tests that run a real `jctui serve` on 127.0.0.1 and speak textual-serve's
websocket protocol to it (JSON ["stdin", keys] in, screen bytes out), as its page does."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def jctui_serve(
    home: Path, *options: str, stored: bool = False
) -> Iterator[tuple[int, subprocess.Popen[bytes], str]]:
    """`jctui serve` on a free loopback port with `home` for cache, config and state:
    (port, process, the start's key from the address it printed). One dashboard is kept
    warm unless `options` say otherwise: the first session is adopted, later ones forked.
    `stored`: the demo's figure store in `home`'s cache, as `jctui refresh` leaves it (the
    dashboards read their month instead of computing it; tests/functional/figure_stores.py)."""
    if not any(o.startswith("--warm-sessions") for o in options):
        options = (*options, "--warm-sessions", "1")
    if stored:
        demo_store(home)
    port = free_port()
    env = dict(os.environ, XDG_CACHE_HOME=str(home), XDG_CONFIG_HOME=str(home))
    env.update(XDG_DATA_HOME=str(home), XDG_STATE_HOME=str(home), JCTUI_NO_CLOCK="1")
    env.update(LANG="C.UTF-8")
    env.pop("JCTUI_STATE_FILE", None)
    said = home / f"serve-{port}.out"
    with said.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jctui", "serve", "--port", str(port), "--lang", "en",
             *options],
            env=env,
            stdout=out,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
    try:
        token = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not token:
            found = TOKEN_RE.search(said.read_text(encoding="utf-8", errors="replace"))
            token = found.group(1) if found else ""
            time.sleep(0.1)
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield port, proc, token
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def demo_store(home: Path) -> None:
    """The demo's figure store (tests/functional/figure_stores.py) in the cache of a `jctui`
    whose XDG_CACHE_HOME is `home`, as `jctui refresh` leaves it."""
    import shutil

    from tests.functional.figure_stores import DEMO_AS_OF, figure_store

    shutil.copytree(figure_store(DEMO_AS_OF), home / "jctui" / "sources" / "figures")


TOKEN_RE = re.compile(r"serving on http://\S+/\?token=([A-Za-z0-9_-]+)")


def ws_url(port: int, token: str, browser: str = "", width: int = 100, height: int = 30) -> str:
    """The websocket address the page of this start uses (with a browser's id, if given)."""
    tail = f"/{browser}" if browser else ""
    return f"http://127.0.0.1:{port}/ws/{token}{tail}?width={width}&height={height}"


async def screen_until(ws: Any, seen: bytearray, needle: bytes, timeout: float) -> None:
    """Read the session's screen bytes into `seen` until `needle` shows."""
    import aiohttp

    deadline = time.monotonic() + timeout
    while needle not in seen:
        msg = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
        if msg.type == aiohttp.WSMsgType.BINARY:
            seen += msg.data
        elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            raise AssertionError("the session closed")


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    out = [pid]
    with contextlib.suppress(OSError):
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            out += process_tree(int(child))
    return out


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
