"""`jctui serve`: the same app in a web browser, via textual-serve (the `serve` extra).

Each browser connection gets its own dashboard process with the same config, source and
options, forked from a warm parent that has Textual, Polars and jctui imported
(jctui/ui/zygote.py): textual-serve runs a 15 ms stdlib-only client per connection that hands
its streams to that parent. Bound to 127.0.0.1 unless told otherwise; any other address gets
a warning, because the dashboard has no login of its own.

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
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from jctui.config import Config
from jctui.errors import EXIT_OK, MissingExtraError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
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


# Polars' allocator (jemalloc) returns freed memory to the system from background threads,
# which a forked dashboard does not have: without this, each dashboard kept ~40 MB it had
# freed (115 MB private against 75 MB per session, measured; bench/RESULTS.md).
POLARS_ALLOCATOR = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}


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


class WarmParent:
    """The zygote process (jctui/ui/zygote.py): started with the app's arguments, restarted
    if it ever dies (a kiosk served for weeks must not lose its sessions' starter), ended by
    closing its stdin."""

    def __init__(self, socket_path: Path, app_argv: list[str]) -> None:
        self.socket_path = socket_path
        self.app_argv = app_argv
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jctui.ui.zygote", str(self.socket_path)],
            stdin=subprocess.PIPE,
            env={**POLARS_ALLOCATOR, **os.environ},
        )
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(self.app_argv).encode() + b"\n")
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
        from aiohttp import web
        from textual_serve.server import Server
    except ImportError:
        raise MissingExtraError(
            "jctui serve needs the 'serve' extra: pip install 'jctui[serve]'"
        ) from None
    host = args.host
    if host not in LOOPBACK:
        print(
            f"jctui: warning: serving on {host}: anyone who can reach this address sees the "
            "dashboard (there is no login); use 127.0.0.1 behind a reverse proxy with authentication",
            file=sys.stderr,
        )
    original = Path(textual_serve.__file__).parent / "templates" / PAGE
    with tempfile.TemporaryDirectory(prefix="jctui-serve-") as templates:
        page = page_template(original.read_text(encoding="utf-8"))
        (Path(templates) / PAGE).write_text(page, encoding="utf-8")

        parent = WarmParent(Path(templates) / "sessions.sock", app_arguments(args))

        class QuietServer(Server):
            """textual-serve's server, announcing where it serves but not the command line (a
            --source URL in it may carry credentials), and keeping the warm parent alive."""

            async def on_startup(self, app: web.Application) -> None:
                self.console.print(
                    f"jctui: serving on {self.public_url} (Ctrl+C to quit)", markup=False
                )
                app["jctui_watchdog"] = asyncio.create_task(watch(parent))

        parent.start()
        try:
            server = QuietServer(
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


async def watch(parent: WarmParent) -> None:
    """Start the warm parent again if it died; a failed start is tried again a second later
    (never the end of the watch: a kiosk served for weeks)."""
    while True:
        await asyncio.sleep(1.0)
        try:
            parent.keep_alive()
        except OSError as exc:
            print(f"jctui: warning: cannot start the session starter: {exc}", file=sys.stderr)
