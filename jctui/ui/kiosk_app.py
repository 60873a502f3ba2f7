"""Kiosk mode: the dashboard as an unattended office screen.

Full screen, no key hints, cursor hidden, high-contrast theme, large figures (Digits), a
playlist rotating forever (the screen, jctui.ui.screens.kiosk). Any key pauses the
rotation; q and Escape do nothing; only ctrl+q (shown nowhere) or a signal quits. An error
in a view is logged and that view skipped; the app never exits on its own because of data,
network or render errors. Stale or failing data shows a banner with the age of the data.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any, cast

from textual import events
from textual.binding import Binding
from textual.notifications import SeverityLevel

from jctui.config import Config
from jctui.ui.app import JctuiApp
from jctui.ui.screens.kiosk import KioskScreen

log = logging.getLogger("jctui.kiosk")


class KioskApp(JctuiApp):
    """Rotates through the configured pages; hard to end by accident, impossible to crash by data."""

    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, config: Config, **kwargs: Any) -> None:
        if kwargs.get("theme_name") is None:  # no --theme: the config's [kiosk] theme
            kwargs["theme_name"] = config.kiosk.theme
        super().__init__(config, **kwargs)
        self.clock: Callable[[], float] = (
            time.monotonic
        )  # read at each tick: a test may set its own
        self.wall: Callable[[], dt.datetime] = dt.datetime.now

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """No toast over the figures (nobody is there to dismiss it): the banners say the
        data state and what needs attention; the message goes to the log."""
        log.info("%s: %s", severity, message)

    def my_jobcenter(self) -> str:
        return ""  # the kiosk shows what its playlist says

    def make_screen(self) -> KioskScreen:
        return KioskScreen(
            self.session,
            lang=self.lang,
            ascii_only=self.ascii_only,
            no_color=self.no_color,
            clock=lambda: self.clock(),
            wall=lambda: self.wall(),
        )

    @property
    def kiosk(self) -> KioskScreen:
        """The kiosk screen: its rotation, the pages it has shown."""
        return cast(KioskScreen, self.dashboard)

    # -- keys: any key pauses; q and Escape never quit --------------------------------

    async def on_key(self, event: events.Key) -> None:
        self.kiosk.pause()
        if event.key in ("q", "escape"):
            event.prevent_default()
            event.stop()

    async def action_quit(self) -> None:
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        """Never exit on an error: log it and move on to the next view."""
        log.error("kiosk: unexpected error %s: %s; skipping the view", type(error).__name__, error)
        self.kiosk.skip()


__all__ = ["KioskApp"]
