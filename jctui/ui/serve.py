"""`jctui serve`: the same app in a web browser, via textual-serve (the `serve` extra).

Each browser connection starts its own `python -m jctui ...` process with the same config,
source and options. Bound to 127.0.0.1 unless told otherwise; any other address gets a
warning, because the dashboard has no login of its own.

The page loads nothing from third parties: textual-serve's page template links a web font
from fonts.googleapis.com, which would tell Google about every browser that opens a kiosk
page (not allowed for a public authority, GDPR). `page_template` drops every link to another
host and declares the same font from the copy textual-serve ships in its static folder.
"""

from __future__ import annotations

import argparse
import re
import shlex
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

        class QuietServer(Server):
            """textual-serve's server, announcing where it serves but not the command line (a
            --source URL in it may carry credentials)."""

            async def on_startup(self, app: web.Application) -> None:
                self.console.print(
                    f"jctui: serving on {self.public_url} (Ctrl+C to quit)", markup=False
                )

        server = QuietServer(
            app_command(args), host=host, port=args.port, title="jctui", templates_path=templates
        )
        server.serve()
    return EXIT_OK
