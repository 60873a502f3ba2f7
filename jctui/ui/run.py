"""Entry point of the dashboard from the CLI: builds the app from config and arguments."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from jctui.config import Config
from jctui.errors import EXIT_OK

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
    app_class(
        config,
        as_of=as_of,
        theme_name=getattr(args, "theme", None),
        ascii_only=getattr(args, "ascii", None),
    ).run()
    return EXIT_OK
