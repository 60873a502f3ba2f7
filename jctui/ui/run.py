"""Entry point of the dashboard from the CLI: builds the app from config and arguments."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from jctui.config import Config
from jctui.errors import EXIT_OK
from jctui.presentation.text import ascii_fallback

if TYPE_CHECKING:
    from jctui.ui.app import JctuiApp


def run_app(config: Config, args: argparse.Namespace) -> int:
    from jctui.session.as_of import parse_month

    as_of = parse_month(getattr(args, "at", None))
    app_class: type[JctuiApp]
    if getattr(args, "kiosk", False) or config.kiosk.enabled:
        from jctui.ui.kiosk_app import KioskApp

        app_class = KioskApp
    else:
        from jctui.ui.app import JctuiApp

        app_class = JctuiApp
    app = app_class(
        config,
        as_of=as_of,
        theme_name=getattr(args, "theme", None),
        ascii_only=getattr(args, "ascii", None),
    )
    if app.ascii_only:  # jctui.presentation.text.ascii_wanted: nothing else reaches it
        ascii_terminal()
    app.run()
    return EXIT_OK


def ascii_terminal() -> None:
    """A non-UTF-8 terminal (LANG=C, ISO-8859-1 ...): nothing but ASCII reaches it. Textual
    writes the screen to stderr; each other character goes out as ASCII of its width
    (presentation.text.ascii_cells): names and labels too ("Muenster" is not possible
    without changing the layout, so "Munster"), the "·" and "…" of our texts."""
    import sys

    stream = sys.__stderr__
    if stream is not None and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="ascii")
        ascii_fallback(stream)
