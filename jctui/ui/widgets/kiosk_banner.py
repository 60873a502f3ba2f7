"""The kiosk's banner when data is stale or failing: impossible to miss, with the data's age."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from jctui.i18n import Lang, fmt_moment, t
from jctui.presentation.text import safe_text


class KioskBanner(Static):
    DEFAULT_CSS = """
    KioskBanner { height: 1; display: none; background: $error; color: $text; text-style: bold; padding: 0 1; }
    KioskBanner.-visible { display: block; }
    """

    lang: reactive[Lang] = reactive("en")

    def show(self, state: str, reason: str, since: dt.datetime | None, *, has_data: bool) -> None:
        """The data state as the header shows it: visible while stale or failing."""
        visible = state in ("stale", "error")
        self.set_class(visible, "-visible")
        if not visible:
            return
        if state == "error" and not has_data:
            line = f"{t('no_data_banner', self.lang)}: {safe_text(reason)}"
            self.update(Text(line, no_wrap=True, overflow="ellipsis"))
            return
        since = since or dt.datetime.now()
        minutes = int((dt.datetime.now() - since).total_seconds() // 60)
        lang = self.lang
        text = f"{t('stale_banner', lang)} {fmt_moment(since, lang)} ({minutes} {t('min', lang)})"
        # one line, never wrapped over the page: the reason only where it fits
        self.update(Text(f"{text}: {safe_text(reason)}", no_wrap=True, overflow="ellipsis"))
