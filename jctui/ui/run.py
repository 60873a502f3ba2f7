"""Entry point of the dashboard from the CLI: builds the app from config and arguments."""

from __future__ import annotations

import argparse

from jctui.config import Config
from jctui.errors import EXIT_OK


def run_app(config: Config, args: argparse.Namespace) -> int:
    from jctui.views.show import parse_month

    as_of = parse_month(getattr(args, "at", None))
    kiosk = bool(getattr(args, "kiosk", False) or config.kiosk.enabled)
    if kiosk:
        from jctui.ui.kiosk_app import KioskApp

        KioskApp(
            config, theme_name=getattr(args, "theme", None), ascii_only=getattr(args, "ascii", None)
        ).run()
        return EXIT_OK
    from jctui.ui.app import JctuiApp

    JctuiApp(
        config,
        as_of=as_of,
        theme_name=getattr(args, "theme", None),
        ascii_only=getattr(args, "ascii", None),
    ).run()
    return EXIT_OK
