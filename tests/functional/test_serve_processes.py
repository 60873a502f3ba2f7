"""`jctui serve` forks each browser session's dashboard from one warm parent
(jctui/ui/zygote.py): a session draws at once, carries none of the app's arguments on its
command line, ends when its browser goes, and a parent that dies is started again.

A real `jctui serve` on 127.0.0.1 with websocket clients speaking textual-serve's protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.serving import command_line, jctui_serve, process_tree, screen_until, ws_url

pytestmark = pytest.mark.timeout(120)
if TYPE_CHECKING:
    import aiohttp
else:
    aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

DEMO = Path(__file__).parents[2] / "jctui" / "demo" / "demo_values.parquet"


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def warm_parents(server_pid: int) -> list[int]:
    return [pid for pid in children(server_pid) if "jctui.ui.zygote" in command_line(pid)]


def dashboards(server_pid: int) -> list[int]:
    """The sessions' dashboards: the warm parent's children."""
    return [pid for parent in warm_parents(server_pid) for pid in children(parent)]


def clients(server_pid: int) -> list[int]:
    """What textual-serve started per session: the small client of the warm parent."""
    return [pid for pid in process_tree(server_pid) if "zygote_client" in command_line(pid)]


def wait_for(condition: Callable[[], object], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("not within the time")


async def open_dashboard(
    client: aiohttp.ClientSession, port: int, token: str
) -> tuple[aiohttp.ClientWebSocketResponse, bytearray]:
    ws = await client.ws_connect(ws_url(port, token))
    seen = bytearray()
    await screen_until(ws, seen, b"12 mo", 60)  # figures on screen
    return ws, seen


def test_a_session_runs_forked_and_shows_nothing_of_its_source_in_ps(tmp_path: Path) -> None:
    source = tmp_path / "figures-Geheim-4711.parquet"
    shutil.copy(DEMO, source)
    # no warm dashboard: each session's is then forked for it (tests/functional/test_serve_pool.py)
    with jctui_serve(tmp_path, "--source", str(source), "--warm-sessions", "0") as (
        port,
        server,
        token,
    ):

        async def sessions() -> None:
            async with aiohttp.ClientSession() as client:
                ws, seen = await open_dashboard(client, port, token)
                assert b"Oct 2018" in seen  # the copied demo data, read by the session
                assert len(dashboards(server.pid)) == 1
                lines = [command_line(pid) for pid in process_tree(server.pid)[1:]]
                assert lines
                assert not [line for line in lines if "Geheim-4711" in line]
                await ws.close()
                wait_for(lambda: not dashboards(server.pid))  # the browser went: so did it

                await open_dashboard(client, port, token)
                (killed,) = clients(server.pid)
                (orphan,) = dashboards(server.pid)
                os.kill(killed, signal.SIGKILL)  # its client gone, the dashboard must not stay
                wait_for(lambda: not Path(f"/proc/{orphan}").exists())

        asyncio.run(sessions())


def test_a_dead_warm_parent_is_started_again_and_serve_ends_everything(tmp_path: Path) -> None:
    # no warm dashboard: the one session's dashboard is then the parent's only child
    with jctui_serve(tmp_path, "--warm-sessions", "0", stored=True) as (port, server, token):
        wait_for(lambda: len(warm_parents(server.pid)) == 1)
        (first,) = warm_parents(server.pid)
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: warm_parents(server.pid) not in ([], [first]))

        async def session() -> list[int]:
            async with aiohttp.ClientSession() as client:
                await open_dashboard(client, port, token)
                running = dashboards(server.pid)
                assert len(running) == 1
                return running

        running = asyncio.run(session())
        tree = process_tree(server.pid)
        server.send_signal(signal.SIGTERM)
        server.wait(20)
    wait_for(lambda: not [pid for pid in tree if Path(f"/proc/{pid}").exists()
                          and "jctui" in command_line(pid)])  # fmt: skip
    assert not Path(f"/proc/{running[0]}").exists()


def test_bad_requests_to_the_warm_parent_cost_it_nothing(tmp_path: Path) -> None:
    """Requests that are no request (no descriptors, bad JSON, cut short, a client gone at
    once) leave the parent running, with no descriptor more than before, and serving."""
    import json
    import socket
    import struct

    # no warm dashboard: its channel and pidfd would be two descriptors more in the table
    with jctui_serve(tmp_path, "--warm-sessions", "0") as (port, server, token):
        wait_for(lambda: len(warm_parents(server.pid)) == 1)
        (parent,) = warm_parents(server.pid)
        path = command_line(parent).split()[-1]
        wait_for(lambda: Path(path).exists())

        def open_fds() -> dict[str, str]:
            """The parent's descriptor table: number -> what it is."""
            table = {}
            for fd in Path(f"/proc/{parent}/fd").iterdir():
                with contextlib.suppress(FileNotFoundError):
                    table[fd.name] = os.readlink(fd)
            return table

        def send(header: bytes, body: bytes, fds: list[int]) -> None:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.connect(path)
                if fds:
                    socket.send_fds(sock, [header], fds)
                else:
                    sock.sendall(header)
                sock.settimeout(5)
                # refused: closed without an answer (reset where bytes were left unread; a
                # parent that refused the header may have closed before the body was sent)
                with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                    sock.sendall(body)
                    assert sock.recv(1) == b""

        def selecting() -> bool:  # the parent has imported and waits in its select loop
            for fd in Path(f"/proc/{parent}/fd").iterdir():
                with contextlib.suppress(FileNotFoundError):  # closed since it was listed
                    if "eventpoll" in os.readlink(fd):
                        return True
            return False

        wait_for(selecting, 60)
        # In its select loop the parent holds exactly stdin (the pipe from serve), stdout,
        # stderr, its listening socket and the epoll: a descriptor opens only while it
        # imports (before the loop: a .pyc a moment) or handles a request (the connection
        # and the three descriptors passed with it, every one closed before the connection,
        # so before a client sees its end). Measured: an idle parent under strace opens
        # nothing after epoll_create1 in 100 s; 300 rounds of these requests, the same table.
        before = open_fds()
        assert sorted(before, key=int) == ["0", "1", "2", "3", "4"], before
        assert before["0"].startswith("pipe:"), before
        assert before["3"].startswith("socket:"), before
        assert before["4"] == "anon_inode:[eventpoll]", before
        devnull = os.open(os.devnull, os.O_RDWR)
        try:
            send(struct.pack("!I", 2), b"{}", [])  # no descriptors
            send(struct.pack("!I", 5), b"nojsn", [devnull] * 3)  # not JSON
            send(struct.pack("!I", 2), b"[]", [devnull] * 3)  # not a request
            send(struct.pack("!I", 99), json.dumps({"env": {}}).encode(), [devnull] * 3)  # short
        finally:
            os.close(devnull)
        assert Path(f"/proc/{parent}").exists()
        assert open_fds() == before  # not one descriptor kept, at once

        async def session() -> None:
            async with aiohttp.ClientSession() as client:
                await open_dashboard(client, port, token)
                assert len(dashboards(server.pid)) == 1

        asyncio.run(session())
