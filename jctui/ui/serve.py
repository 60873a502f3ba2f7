"""`jctui serve`: the same app in a web browser, via textual-serve (the `serve` extra).

Each browser connection gets its own dashboard process with the same config, source and
options, forked from a warm parent that has Textual, Polars and jctui imported
(jctui/ui/zygote.py): textual-serve runs a 15 ms stdlib-only client per connection that hands
its streams to that parent, which gives it a dashboard started ahead (`--warm-sessions`) or
forks one. Bound to 127.0.0.1 unless told otherwise; any other address gets
a warning, because the dashboard has no login of its own.

For one user (tests/functional/test_serve_guard.py):
- a secret made at each start is part of the address it prints (`/?token=...`); the page
  without it is 403, and the websocket's path carries it (`/ws/TOKEN/BROWSER`): another
  local user who can reach the port gets no dashboard; every other path (the page's files
  under `/static/`, `/download/KEY`, any other) needs the key too, in the query or in the
  cookie the page sets (HttpOnly, SameSite=Strict, for this start only);
- `Host` must name the bound address (DNS rebinding) and an `Origin`, where a browser sends
  one, must be that host (cross-site websocket hijacking): else 403;
- `/static/` lists no folder;
- "my Jobcenter" is kept per browser: the page gives each browser an id in a cookie, which
  goes into its websocket's path; its dashboard keeps the choice in a state file of that id
  (JCTUI_STATE_FILE), never in the shared state.json;
- at most `--max-sessions` dashboards at once (default 8): past that, the page says so (503);
- a session's dashboard ends with its websocket and with `serve` (the warm parent ends them,
  and each dies with the warm parent: PR_SET_PDEATHSIG).

The page loads nothing from third parties: textual-serve's page template links a web font
from fonts.googleapis.com, which would tell Google about every browser that opens a kiosk
page (not allowed for a public authority, GDPR). `page_template` drops every link to another
host and declares the same font from the copy textual-serve ships in its static folder.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import re
import secrets
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from jctui.config import Config
from jctui.errors import EXIT_OK, ConfigError, MissingExtraError
from jctui.ui.serve_guard import (
    BROWSER_COOKIE,
    BROWSER_ID_RE,
    FORBIDDEN_PAGE,
    LOOPBACK,
    Guard,
    WithoutKey,
    bound_hosts,
    limit_page,
    serve_state_dir,
    session_environment,
)

MAX_SESSIONS = 8  # dashboards at once, by default (each is a process of ~75 MB)
WARM_SESSIONS = 4  # dashboards started ahead, by default (jctui.ui.warm_driver)
PAGE = "app_index.html"
# <link ... href="https://other.host/..."> (also protocol-relative //other.host/...)
EXTERNAL_LINK_RE = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"'](?:https?:)?//[^>]*>\s*", re.I)
OWN_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
        font-style: normal;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
        font-style: italic;
      }
    </style>
  </head>"""


def app_arguments(args: argparse.Namespace) -> list[str]:
    """The dashboard's arguments for each browser session (no secrets: they stay in the
    environment; and they go to the warm parent by pipe, so `ps` does not show them)."""
    parts: list[str] = []
    for option in ("config", "source", "lang"):
        value = getattr(args, option, None)
        if value:
            parts += [f"--{option}", str(value)]
    if getattr(args, "kiosk", False):
        parts.append("--kiosk")
    return parts


def session_command(socket_path: Path) -> str:
    """What textual-serve runs per connection: the stdlib-only client of the warm parent."""
    client = Path(__file__).with_name("zygote_client.py")
    return "exec " + shlex.join([sys.executable, "-I", "-S", str(client), str(socket_path)])


def session_env() -> dict[str, str]:
    """The environment textual-serve gives each session's process (but for the size and the
    session's state file, jctui.ui.zygote.SESSION_OWN): the warm dashboards start in it, and
    a session whose environment differs gets a dashboard of its own."""
    from textual_serve.app_service import AppService

    service = AppService.__new__(AppService)  # its builder reads only `debug`
    service.debug = False
    return AppService._build_environment(service)


class WarmParent:
    """The zygote process (jctui/ui/zygote.py): started with the app's arguments, restarted
    if it ever dies (a kiosk served for weeks must not lose its sessions' starter), ended by
    closing its stdin."""

    def __init__(
        self, socket_path: Path, app_argv: list[str], warm: int = 0, size_file: Path | None = None
    ) -> None:
        self.socket_path = socket_path
        self.app_argv = app_argv
        self.warm = warm  # dashboards it keeps started ahead (jctui.ui.warm_driver)
        self.size_file = size_file  # their size: the last session's, kept across starts
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jctui.ui.zygote", str(self.socket_path)],
            stdin=subprocess.PIPE,
            env=dict(os.environ),  # with jctui.POLARS_ALLOCATOR (set on import)
        )
        assert self.process.stdin is not None
        spec = {
            "argv": self.app_argv,
            "warm": self.warm,
            "env": session_env(),
            "size_file": str(self.size_file or ""),
        }
        self.process.stdin.write(json.dumps(spec).encode() + b"\n")
        self.process.stdin.flush()

    def keep_alive(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.start()

    def stop(self) -> None:
        if self.process is None:
            return
        assert self.process.stdin is not None
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def page_template(original: str) -> str:
    """textual-serve's page without links to other hosts, and with its font served by us."""
    return EXTERNAL_LINK_RE.sub("", original).replace("</head>", OWN_FONT, 1)


def run_serve(config: Config, args: argparse.Namespace) -> int:
    try:
        import textual_serve
        from aiohttp import web  # noqa: F401 - the extra's other half
        from textual_serve.server import Server  # noqa: F401
    except ImportError:
        raise MissingExtraError(
            "jctui serve needs the 'serve' extra: pip install 'jctui[serve]'"
        ) from None
    host = args.host
    if host not in LOOPBACK:
        print(
            f"jctui: warning: serving on {host}: there is no login, only the key in the "
            "printed address: whoever can reach this address and learns it sees the dashboard "
            "(over plain http); use 127.0.0.1 behind a reverse proxy with authentication",
            file=sys.stderr,
        )
    limit = getattr(args, "max_sessions", None) or MAX_SESSIONS
    if limit < 1:
        raise ConfigError(f"--max-sessions: must be 1 or more, got {limit}")
    warm = getattr(args, "warm_sessions", None)
    warm = min(WARM_SESSIONS, limit) if warm is None else warm
    if warm < 0 or warm > limit:
        raise ConfigError(f"--warm-sessions: must be 0 to --max-sessions ({limit}), got {warm}")
    original = Path(textual_serve.__file__).parent / "templates" / PAGE
    with tempfile.TemporaryDirectory(prefix="jctui-serve-") as templates:
        page = page_template(original.read_text(encoding="utf-8"))
        (Path(templates) / PAGE).write_text(page, encoding="utf-8")
        scratch = Path(templates) / "sessions"
        scratch.mkdir(mode=0o700)
        guard = Guard(
            token=secrets.token_urlsafe(24),
            hosts=bound_hosts(host, args.port),
            max_sessions=int(limit),
            state_dir=serve_state_dir(),
        )
        size_file = guard.state_dir.parent / "serve-warm-size.json"  # not a browser's
        parent = WarmParent(Path(templates) / "sessions.sock", app_arguments(args), warm, size_file)
        parent.start()
        try:
            server = guarded_server(guard, parent, scratch)(
                session_command(parent.socket_path),
                host=host,
                port=args.port,
                title="jctui",
                templates_path=templates,
            )
            server.serve()
        finally:
            parent.stop()
    return EXIT_OK


def guarded_server(guard: Guard, parent: WarmParent, scratch: Path) -> Any:
    """textual-serve's Server, for one user (see the module's docstring)."""
    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    class SessionService(AppService):
        """textual-serve's app service with this session's own environment."""

        def __init__(self, *args: Any, extra_env: dict[str, str], **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.extra_env = extra_env

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            env: dict[str, str] = super()._build_environment(width=width, height=height)
            return {**env, **self.extra_env}

    @web.middleware
    async def check_request(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Host and Origin first, then the key, for every path (static files and downloads
        too): nothing is served to a request without this start's key."""
        if not guard.host_ok(request.host) or not guard.origin_ok(
            request.headers.get("Origin"), request.host
        ):
            return web.Response(status=403, text="jctui serve: not for this host or origin\n")
        if not guard.request_ok(
            request.path, request.query.get("token", ""), request.cookies.get(guard.cookie, "")
        ):
            return web.Response(status=403, text=FORBIDDEN_PAGE, content_type="text/html")
        return await handler(request)

    class GuardedServer(Server):
        """Announces where it serves (with the key, not the command line: a --source URL in
        it may carry credentials), keeps the warm parent alive, and lets in only its user."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.sessions = 0  # dashboards running now (the limit's count)
            self.sockets: set[web.WebSocketResponse] = set()  # closed when serve ends

        async def _make_app(self) -> web.Application:
            import jinja2

            app = web.Application(middlewares=[check_request])
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes(
                [
                    web.get("/", self.handle_index, name="index"),
                    web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                    web.get("/ws/{token}/{browser}", self.handle_websocket, name="browser_ws"),
                    web.get("/download/{key}", self.handle_download, name="download"),
                    web.static("/static", self.statics_path, show_index=False, name="static"),
                ]
            )
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        async def on_startup(self, app: web.Application) -> None:
            self.console.print(
                f"jctui: serving on {self.public_url}/?token={guard.token} (Ctrl+C to quit)",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
            logging.getLogger("aiohttp.access").addFilter(WithoutKey(guard.token))
            app["jctui_watchdog"] = asyncio.create_task(watch(parent))

        async def on_shutdown(self, app: web.Application) -> None:
            """`serve` ends (Ctrl+C, SIGTERM): no restart of the warm parent, which ends every
            dashboard; the browsers' websockets are closed, so no handler keeps it waiting."""
            app["jctui_watchdog"].cancel()
            await asyncio.to_thread(parent.stop)
            for websocket in list(self.sockets):
                with contextlib.suppress(Exception):
                    await websocket.close(code=1001, message=b"jctui serve ended")

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            if not guard.token_ok(request.query.get("token", "")):
                return web.Response(status=403, text=FORBIDDEN_PAGE, content_type="text/html")
            if self.sessions >= guard.max_sessions:
                page = limit_page(guard.max_sessions)
                return web.Response(status=503, text=page, content_type="text/html")
            browser = request.cookies.get(BROWSER_COOKIE, "")
            if not BROWSER_ID_RE.match(browser):
                browser = secrets.token_urlsafe(24)
            scheme = "wss" if self.public_url.startswith("https") else "ws"
            context = {
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": f"{scheme}://{request.host}/ws/{guard.token}/{browser}",
                "config": {"static": {"url": "/static/"}},
                "application": {"name": self.title},
            }
            response = aiohttp_jinja2.render_template(PAGE, request, context)
            response.set_cookie(
                BROWSER_COOKIE, browser, max_age=400 * 86400, httponly=True, samesite="Strict"
            )
            # the key for the page's files and downloads, for this start only (no max_age)
            response.set_cookie(guard.cookie, guard.token, httponly=True, samesite="Strict")
            response.headers["Cache-Control"] = "no-store"  # the page carries the key
            response.headers["Referrer-Policy"] = "no-referrer"
            return response

        async def handle_websocket(  # type: ignore[override]
            self, request: web.Request
        ) -> web.StreamResponse:
            if not guard.token_ok(request.match_info.get("token", "")):
                return web.Response(status=403, text="jctui serve: no access\n")
            if self.sessions >= guard.max_sessions:
                return web.Response(
                    status=503,
                    text=f"jctui serve: all {guard.max_sessions} sessions are in use\n",
                )
            browser = request.match_info.get("browser", "")
            self.sessions += 1
            try:
                return await self.run_session(request, browser)
            finally:
                self.sessions -= 1

        async def run_session(self, request: web.Request, browser: str) -> web.StreamResponse:
            """textual-serve's handle_websocket, with the session's own environment."""
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            service: Any = None
            try:
                await websocket.prepare(request)
                self.sockets.add(websocket)
                service = SessionService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                    extra_env=session_environment(guard, browser, scratch),
                )
                await service.start(width, height)
                try:
                    await self._process_messages(websocket, service)
                finally:
                    await service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # as textual-serve: the session ends, the server stays
                print(f"jctui: session ended: {type(error).__name__}", file=sys.stderr)
            finally:
                self.sockets.discard(websocket)
                if service is not None:
                    await service.stop()
            return websocket

    return GuardedServer


async def watch(parent: WarmParent) -> None:
    """Start the warm parent again if it died; a failed start is tried again a second later
    (never the end of the watch: a kiosk served for weeks)."""
    while True:
        await asyncio.sleep(1.0)
        try:
            parent.keep_alive()
        except OSError as exc:
            print(f"jctui: warning: cannot start the session starter: {exc}", file=sys.stderr)
