"""`jctui serve`: the same app in a web browser, via textual-serve (the `serve` extra).

Each browser connection starts its own `python -m jctui ...` process with the same config,
source and options. Bound to 127.0.0.1 unless told otherwise; any other address gets a
warning, because the dashboard has no login of its own.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from jctui.config import Config
from jctui.errors import EXIT_OK, MissingExtraError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def app_command(args: argparse.Namespace) -> str:
    """The command line each browser session runs (no secrets: they stay in the environment)."""
    parts = [sys.executable, "-m", "jctui"]
    for option in ("config", "source", "lang"):
        value = getattr(args, option, None)
        if value:
            parts += [f"--{option}", str(value)]
    if getattr(args, "kiosk", False):
        parts.append("--kiosk")
    return shlex.join(parts)


def run_serve(config: Config, args: argparse.Namespace) -> int:
    try:
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
    server = Server(app_command(args), host=host, port=args.port, title="jctui")
    server.serve()
    return EXIT_OK
