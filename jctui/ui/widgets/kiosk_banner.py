"""The kiosk's banner when data is stale or failing: impossible to miss, with the data's age."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from jctui.presentation.text import safe_text

if TYPE_CHECKING:
    from jctui.ui.app import JctuiApp


class KioskBanner(Static):
    DEFAULT_CSS = """
    KioskBanner { height: auto; display: none; background: $error; color: $text; text-style: bold; padding: 0 1; }
    KioskBanner.-visible { display: block; }
    """

    app: JctuiApp  # type: ignore[assignment]

    def on_mount(self) -> None:
        from jctui.ui.widgets.status_header import StatusHeader

        header = self.app.query_one(StatusHeader)
        self.watch(header, "state", self.update_banner)

    def update_banner(self, *_: object) -> None:
        from jctui.ui.widgets.status_header import StatusHeader

        header = self.app.query_one(StatusHeader)
        visible = header.state in ("stale", "error")
        self.set_class(visible, "-visible")
        if not visible:
            return
        de = self.app.lang == "de"
        since = header.state_since or dt.datetime.now()
        age = dt.datetime.now() - since
        minutes = int(age.total_seconds() // 60)
        if header.state == "error" and self.app.dataset is None:
            text = ("KEINE DATEN: " if de else "NO DATA: ") + safe_text(header.reason)
        else:
            text = (
                f"DATEN VERALTET seit {since:%d.%m. %H:%M} ({minutes} Min.): {safe_text(header.reason)}"
                if de
                else f"DATA STALE since {since:%Y-%m-%d %H:%M} ({minutes} min): {safe_text(header.reason)}"
            )
        self.update(Text(text))
