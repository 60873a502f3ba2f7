"""The header line: app name, source, as-of month, data state, demo marker and clock."""

from __future__ import annotations

import datetime as dt
import os

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from jctui.i18n import Lang, fmt_month, t
from jctui.presentation.text import safe_text


class StatusHeader(Static):
    """One line at the top; everything a glance needs to trust the figures."""

    DEFAULT_CSS = """
    StatusHeader { height: 1; background: $primary-background; color: $text; }
    """

    source = reactive("")
    as_of: reactive[dt.date | None] = reactive(None)
    latest: reactive[dt.date | None] = reactive(None)
    state = reactive("loading")  # loading | fresh | refreshing | stale | error
    state_since: reactive[dt.datetime | None] = reactive(None)
    reason = reactive("")
    retry_in: reactive[float | None] = reactive(None)
    demo = reactive(False)
    lang: reactive[Lang] = reactive("en")
    clock = reactive("")
    site = reactive("")

    def on_mount(self) -> None:
        frozen = os.environ.get("JCTUI_FROZEN_CLOCK")
        if os.environ.get("JCTUI_NO_CLOCK"):
            self.clock = ""
        elif frozen:
            self.clock = frozen[-5:]
        else:
            self._tick()

    def _tick(self) -> None:
        """Update the clock, then sleep to the next minute: no work in between."""
        now = dt.datetime.now()
        self.clock = now.strftime("%H:%M")
        self.set_timer(60.5 - now.second - now.microsecond / 1e6, self._tick)

    def state_text(self) -> tuple[str, str]:
        lang = self.lang
        if self.state == "stale" and self.state_since is not None:
            text = f"{t('stale_since', lang)} {self.state_since:%H:%M}"
            if self.reason:
                text += f": {safe_text(self.reason)}"
            if self.retry_in is not None:
                retry_at = dt.datetime.now() + dt.timedelta(seconds=self.retry_in)
                text += f" ({t('retry', lang)} {retry_at:%H:%M})"
            return text, "warning"
        if self.state == "error":
            return f"{t('error', lang)}: {safe_text(self.reason)}", "error"
        if self.state == "loading":
            return t("loading", lang), "muted"
        return t(self.state, lang), "ok" if self.state == "fresh" else "muted"

    def render(self) -> Text:
        lang = self.lang
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(" jctui ", style="bold reverse")
        if self.demo:  # first, so it is never cut off on a narrow terminal
            out.append(f" {t('demo', lang)} ", style="bold reverse magenta")
        if self.site:
            out.append(f" {safe_text(self.site)}", style="bold")
        if not self.demo:  # the demo marker already names the source
            out.append(f" {safe_text(self.source)} ·")
        if self.as_of is not None:
            out.append(f" {fmt_month(self.as_of, lang, short=True)}", style="bold")
            if self.latest is not None and self.as_of != self.latest:
                out.append(f" ({t('not_latest', lang)})", style="bold yellow")
        text, kind = self.state_text()
        style = {"ok": "green", "warning": "bold yellow", "error": "bold red", "muted": "dim"}[kind]
        out.append(f" · {text}", style=style)
        if self.clock:
            pad = self.size.width - out.cell_len - len(self.clock) - 1
            out.append(" " * max(1, pad))  # never "fresh14:55"
            out.append(f"{self.clock} ")
        return out
