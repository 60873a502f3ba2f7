"""`jctui serve` for one user (issue 25): only the printed address (with the start's key)
gets a dashboard, Host and Origin name the bound address, no folder is listed, "my
Jobcenter" is kept per browser, the number of sessions is limited, and no dashboard
outlives its connection or `serve`.

A real `jctui serve` on 127.0.0.1 with websocket clients speaking textual-serve's protocol
(as in test_serve_processes.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.serving import command_line, jctui_serve, process_tree, screen_until, ws_url

pytestmark = pytest.mark.timeout(180)
if TYPE_CHECKING:
    import aiohttp
else:
    aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

BROWSER_A = "browser-A-0123456789abcdef"
BROWSER_B = "browser-B-0123456789abcdef"


def page(port: int, path: str = "/", **headers: str) -> httpx.Response:
    return httpx.get(f"http://127.0.0.1:{port}{path}", headers=headers, timeout=10)


async def refused(url: str, **headers: str) -> int:
    """The HTTP status a websocket handshake to `url` is refused with (0: it was accepted)."""
    async with aiohttp.ClientSession() as client:
        try:
            ws = await client.ws_connect(url, headers=headers)
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status
        await ws.close()
        return 0


async def dashboard_shows(url: str, needle: bytes, **headers: str) -> bytes:
    async with aiohttp.ClientSession() as client:
        ws = await client.ws_connect(url, headers=headers)
        seen = bytearray()
        await screen_until(ws, seen, needle, 90)
        await ws.close()
        return bytes(seen)


def wait_for(condition: Callable[[], object], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("not within the time")


def test_serve_lets_in_only_the_printed_address_its_host_and_origin(tmp_path: Path) -> None:
    with jctui_serve(tmp_path, stored=True) as (port, _, token):
        assert len(token) >= 32
        own = f"127.0.0.1:{port}"
        # the page: only with the key
        assert page(port).status_code == 403
        assert page(port, "/?token=wrong").status_code == 403
        assert "Open the address" in page(port).text
        assert page(port, f"/?token={token}").status_code == 200
        # DNS rebinding: another name for this address
        assert page(port, f"/?token={token}", Host="evil.example").status_code == 403
        assert page(port, f"/?token={token}", Host=f"evil.example:{port}").status_code == 403
        assert page(port, f"/?token={token}", Host=f"localhost:{port}").status_code == 200
        # every other path needs the key too: the page's files, downloads, any path
        for path in (
            "/static/js/textual.js",
            "/static/fonts/RobotoMono-VariableFont_wght.ttf",
            "/download/0123456789abcdef",
            "/static/",
            "/nothing/here",
            "/ws",
        ):
            assert page(port, path).status_code == 403, path
            assert page(port, path, Cookie="jctui_key_x=" + token).status_code == 403, path
        # nor by a path that starts as the websocket's and climbs out of it
        for path in ("/ws/../static/js/textual.js", "/ws/x/%2e%2e/%2e%2e/static/js/textual.js"):
            sneaked = httpx.get(
                f"http://127.0.0.1:{port}{path}", timeout=10, follow_redirects=False
            )
            assert sneaked.status_code in (403, 404), (path, sneaked.status_code)
            script = page(port, f"/static/js/textual.js?token={token}").text
            assert script[:200] not in sneaked.text
        # the browser of the page gets them through the page's cookie
        opened = page(port, f"/?token={token}")
        key_cookie = next(c for c in opened.headers.get_list("set-cookie") if "jctui_key_" in c)
        assert "HttpOnly" in key_cookie, key_cookie
        assert "SameSite=Strict" in key_cookie, key_cookie
        cookie = key_cookie.split(";", 1)[0]
        assert page(port, "/static/js/textual.js", Cookie=cookie).status_code == 200
        assert page(port, f"/static/js/textual.js?token={token}").status_code == 200
        assert page(port, "/download/0123456789abcdef", Cookie=cookie).status_code == 404
        assert (
            page(port, "/static/js/textual.js", Cookie=cookie.replace("=", "=x")).status_code == 403
        )
        # no folder listed under /static/, even with the key
        for folder in ("/static/", "/static/js/", "/static/fonts/"):
            listing = page(port, folder, Cookie=cookie)
            assert listing.status_code in (403, 404), folder
            assert "Index of" not in listing.text
            assert "textual.js" not in listing.text
        evil = {"Host": "evil.example", "Cookie": cookie}
        assert page(port, "/static/js/textual.js", **evil).status_code == 403

        async def websockets() -> None:
            # another local user without the key gets no dashboard, by no path
            assert await refused(f"http://{own}/ws?width=80&height=24") in (403, 404)
            assert await refused(ws_url(port, "x" * len(token))) == 403
            assert await refused(ws_url(port, token + "x", BROWSER_A)) == 403
            # cross-site websocket hijacking: a page of another site in the user's browser
            evil = {"Origin": "http://evil.example"}
            assert await refused(ws_url(port, token), **evil) == 403
            assert await refused(ws_url(port, token), Origin="null") == 403
            assert await refused(ws_url(port, token), Host="evil.example") == 403
            # the page's own origin (a browser sends it) gets the dashboard
            seen = await dashboard_shows(ws_url(port, token), b"12 mo", Origin=f"http://{own}")
            assert b"Oct 2018" in seen

        asyncio.run(websockets())


def test_my_jobcenter_is_kept_per_browser_not_in_the_shared_state(tmp_path: Path) -> None:
    from jctui.ui.serve_guard import BROWSER_COOKIE

    shared = tmp_path / "jctui" / "state.json"
    with jctui_serve(tmp_path, stored=True) as (port, _, token):
        # the page gives each browser an id of its own, in a cookie and its websocket address
        first = page(port, f"/?token={token}")
        browser = first.cookies.get(BROWSER_COOKIE)
        assert browser
        assert f"/ws/{token}/{browser}" in first.text
        again = httpx.get(
            f"http://127.0.0.1:{port}/?token={token}",
            cookies={BROWSER_COOKIE: browser},
            timeout=10,
        )
        assert f'/ws/{token}/{browser}"' in again.text  # the same browser keeps its id
        other = page(port, f"/?token={token}").cookies.get(BROWSER_COOKIE)
        assert other != browser

        async def sessions() -> None:
            async with aiohttp.ClientSession() as client:
                # browser A makes Kreis Offenbach (the start) its Jobcenter with `h`
                ws = await client.ws_connect(ws_url(port, token, BROWSER_A, 120, 40))
                seen = bytearray()
                await screen_until(ws, seen, b"12 mo", 90)
                await ws.send_str(json.dumps(["stdin", "h"]))
                states = tmp_path / "jctui" / "serve"
                wait_for(lambda: states.is_dir() and list(states.glob("*.json")))
                await ws.close()
            (kept,) = list((tmp_path / "jctui" / "serve").glob("*.json"))
            assert json.loads(kept.read_text(encoding="utf-8"))["my_jobcenter"] == "06438"
            assert not shared.exists()  # the shared state.json is not touched
            # browser B chose Stadt Offenbach earlier: its dashboard starts there, A's not
            from jctui.ui.serve_guard import Guard

            guard = Guard("t", None, 8, tmp_path / "jctui" / "serve")
            assert guard.state_file(BROWSER_A) == kept
            guard.state_file(BROWSER_B).write_text(
                json.dumps({"my_jobcenter": "06888", "name": "Stadt Offenbach am Main"}),
                encoding="utf-8",
            )
            seen_b = await dashboard_shows(
                ws_url(port, token, BROWSER_B, 120, 40), b"Stadt Offenbach am Main"
            )
            assert b"12 mo" in seen_b or b"Stadt Offenbach am Main" in seen_b
            seen_a = await dashboard_shows(ws_url(port, token, BROWSER_A, 120, 40), b"12 mo")
            assert b"Kreis Offenbach" in seen_a

        asyncio.run(sessions())
    assert not shared.exists()


def test_sessions_are_limited_with_a_clear_page(tmp_path: Path) -> None:
    with jctui_serve(tmp_path, "--max-sessions", "2", stored=True) as (port, _, token):

        async def sessions() -> None:
            async with aiohttp.ClientSession() as client:
                open_ = [
                    await client.ws_connect(ws_url(port, token, f"{BROWSER_A}{i}"))
                    for i in range(2)
                ]
                for ws in open_:
                    await screen_until(ws, bytearray(), b"jctui", 90)
                assert await refused(ws_url(port, token)) == 503
                busy = await asyncio.to_thread(page, port, f"/?token={token}")
                assert busy.status_code == 503
                assert "All sessions are in use" in busy.text
                assert "at most 2 dashboards" in busy.text
                await open_[0].close()
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    freed = await asyncio.to_thread(page, port, f"/?token={token}")
                    if freed.status_code == 200:
                        break
                    await asyncio.sleep(0.2)
                assert freed.status_code == 200  # a closed one makes room
                await open_[1].close()

        asyncio.run(sessions())


def dashboards_of(tree: list[int]) -> list[int]:
    """The forked dashboards among `tree` (children of the warm parent)."""
    parents = [pid for pid in tree if "jctui.ui.zygote" in command_line(pid)]
    out: list[int] = []
    for parent in parents:
        try:
            out += [
                int(p) for p in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
            ]
        except OSError:
            continue
    return out


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_no_dashboard_outlives_serve(tmp_path: Path, how: signal.Signals) -> None:
    with jctui_serve(tmp_path, stored=True) as (port, server, token):

        async def killed_while_connected() -> list[int]:
            async with aiohttp.ClientSession() as client:
                ws = await client.ws_connect(ws_url(port, token))
                await screen_until(ws, bytearray(), b"12 mo", 90)
                tree = process_tree(server.pid)
                assert dashboards_of(tree)
                os.kill(server.pid, how)  # the browser is still connected
                await asyncio.to_thread(server.wait, 20)
                return tree

        tree = asyncio.run(killed_while_connected())

        def gone() -> bool:
            return not [p for p in tree[1:] if Path(f"/proc/{p}").exists()
                        and "jctui" in command_line(p)]  # fmt: skip

        wait_for(gone, 20)


OTHER_USER_CLIENT = r"""
import socket, sys
port, path, socket_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
    s.sendall(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n".encode()
    )
    print(s.recv(200).split(b"\r\n", 1)[0].decode())
try:
    u = socket.socket(socket.AF_UNIX)
    u.connect(socket_path)
    print("zygote: connected")
except OSError as exc:
    print(f"zygote: {type(exc).__name__}")
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a client as another user")
def test_another_local_user_gets_no_dashboard(tmp_path: Path) -> None:
    import shutil
    import subprocess

    python = shutil.which("python3", path="/usr/bin:/bin")
    if python is None:
        pytest.skip("no system python3 for the other user")
    with jctui_serve(tmp_path, stored=True) as (port, server, token):
        wait_for(
            lambda: any("jctui.ui.zygote" in command_line(p) for p in process_tree(server.pid))
        )
        (zygote,) = [p for p in process_tree(server.pid) if "jctui.ui.zygote" in command_line(p)]
        socket_path = command_line(zygote).split()[-1]
        for path in ("/ws?width=80&height=24", f"/ws/{'x' * len(token)}?width=80"):
            done = subprocess.run(
                [python, "-I", "-c", OTHER_USER_CLIENT, str(port), path, socket_path],
                user="nobody",
                group="nogroup",
                capture_output=True,
                text=True,
                timeout=30,
                cwd="/",
            )
            status, zygote_said = done.stdout.splitlines()
            assert status.split()[1] in ("403", "404"), status
            assert zygote_said == "zygote: PermissionError"  # its folder is 0700
