"""The header line: app name, source, as-of month, fetch state, demo marker and clock.

The fetch state is the state of the source ("updated 14:55", "fetch failed since 14:55:
reason (retry 15:00)"), not the age of the figures (the tiles give the report month against
the publication calendar). When the line is too narrow, parts are shortened or left out in
a fixed order (`DROP_ORDER`); the as-of month and the fetch state stay.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from jctui.i18n import Lang, fmt_month, t
from jctui.presentation.text import safe_text

STATE_STYLE = {"ok": "green", "warning": "bold yellow", "error": "bold red", "muted": "dim"}
# The parts of the header, in the order they are shortened or left out when it is too narrow
# (each step to its next variant); the as-of month and the fetch state itself are never left out.
# (`refused` is shortened first, to its short form only: it is never left out)
DROP_ORDER = (
    "refused", "brand", "source", "clock", "site", "not_latest", "demo", "reason", "retry", "since",
)  # fmt: skip
MIN_REASON = 12  # a reason cut shorter than this says nothing: it is left out


@dataclass
class Part:
    """One part of the header: its variants, longest first (the last may be empty)."""

    name: str
    variants: list[str]
    style: str = ""
    at: int = 0  # the variant shown

    @property
    def text(self) -> str:
        return self.variants[self.at]


def frozen_now() -> dt.datetime | None:
    """The time of JCTUI_FROZEN_CLOCK ("2026-11-25 12:00"; for screenshots and tests)."""
    frozen = os.environ.get("JCTUI_FROZEN_CLOCK")
    if not frozen:
        return None
    try:
        return dt.datetime.fromisoformat(frozen)
    except ValueError:
        return None


def fit_parts(parts: list[Part], width: int) -> list[Part]:
    """Step parts to shorter variants in DROP_ORDER until the line fits `width`; the reason
    is then cut to the room left."""

    def length() -> int:
        return sum(len(p.text) for p in parts)

    by_name = {p.name: p for p in parts}
    for name in DROP_ORDER:
        part = by_name.get(name)
        if part is None:
            continue
        if name == "reason" and length() > width:
            room = len(part.text) - (length() - width)
            if room >= MIN_REASON:  # the end says what is wrong; the start is a location
                part.variants.insert(part.at + 1, ": …" + part.text[len(part.text) - room + 3 :])
        while length() > width and part.at < len(part.variants) - 1:
            part.at += 1
        if length() <= width:
            break
    return parts


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
    # figures a failed cross-check left out: the words, longest first (() when none)
    refused: reactive[tuple[str, ...]] = reactive(())

    def on_mount(self) -> None:
        frozen = frozen_now()  # the one reading of JCTUI_FROZEN_CLOCK
        if os.environ.get("JCTUI_NO_CLOCK"):
            self.clock = ""
        elif frozen is not None:
            self.clock = f"{frozen:%H:%M}"
        else:
            self._tick()

    def _tick(self) -> None:
        """Update the clock, then sleep to the next minute: no work in between."""
        now = dt.datetime.now()
        self.clock = now.strftime("%H:%M")
        self.set_timer(60.5 - now.second - now.microsecond / 1e6, self._tick)

    @staticmethod
    def shown_time(moment: dt.datetime) -> str:
        frozen = frozen_now()
        return f"{frozen or moment:%H:%M}"

    def state_parts(self) -> list[Part]:
        """The fetch state: what it is and since when, the reason, and the next retry."""
        lang = self.lang
        since = self.state_since
        if self.state == "stale":
            # "fetch failed since 14:55", at its shortest "fetch failed": never left out
            failed = [f" · {t('fetch_failed', lang)}"]
            if since is not None:
                failed.insert(0, f" · {t('fetch_failed_since', lang)} {self.shown_time(since)}")
            parts = [Part("since", failed, STATE_STYLE["warning"])]
            reason = self.reason_text()
            if reason:
                parts.append(Part("reason", [f": {reason}", ""], STATE_STYLE["warning"]))
            if self.retry_in is not None:
                base = frozen_now() or dt.datetime.now()
                retry_at = base + dt.timedelta(seconds=self.retry_in)
                retry = [
                    f" ({t(word, lang)} {retry_at:%H:%M})" for word in ("retry", "retry_short")
                ]
                parts.append(Part("retry", retry, STATE_STYLE["warning"]))
            return parts
        if self.state == "error":
            reason = self.reason_text()
            parts = [Part("state", [f" · {t('error', lang)}"], STATE_STYLE["error"])]
            if reason:
                parts.append(Part("reason", [f": {reason}", ""], STATE_STYLE["error"]))
            return parts
        if self.state == "fresh":
            text = t("updated", lang)
            if since is not None:
                text += f" {self.shown_time(since)}"
            return [Part("state", [f" · {text}"], STATE_STYLE["ok"])]
        if self.state == "loading":
            return [Part("state", [f" · {t('loading', lang)}"], STATE_STYLE["muted"])]
        return [Part("state", [f" · {t(self.state, lang)}"], STATE_STYLE["muted"])]

    def reason_text(self) -> str:
        """The reason of a failure, without the source's location when the header shows it
        already (a URL is never shown twice)."""
        reason = safe_text(self.reason)
        source = safe_text(self.source)
        if source and not self.demo and reason.startswith(source):
            reason = reason[len(source) :].lstrip(": ")
        return reason

    def parts(self) -> list[Part]:
        """Every part of the line, in screen order, at its longest."""
        lang = self.lang
        parts = [Part("brand", [" jctui ", ""], "bold reverse")]
        if self.demo:  # the demo marker already names the source
            parts.append(
                Part(
                    "demo",
                    [f" {t('demo', lang)} ", f" {t('demo_short', lang)} "],
                    "bold reverse magenta",
                )
            )
        if self.site:
            parts.append(Part("site", [f" {safe_text(self.site)}", ""], "bold"))
        if not self.demo and self.source:
            parts.append(Part("source", [f" {safe_text(self.source)} ·", ""]))
        if self.as_of is not None:
            parts.append(Part("as_of", [f" {fmt_month(self.as_of, lang, short=True)}"], "bold"))
            if self.latest is not None and self.as_of != self.latest:
                parts.append(
                    Part(
                        "not_latest",
                        [f" ({t('not_latest', lang)})", f" ({t('not_latest_short', lang)})"],
                        "bold yellow",
                    )
                )
        parts += self.state_parts()
        if self.refused:  # shortened, never left out: a figure its file contradicts is gone
            words = [f" · {safe_text(text)}" for text in self.refused]
            parts.append(Part("refused", words, STATE_STYLE["warning"]))
        if self.clock:
            parts.append(Part("clock", [f"  {self.clock} ", ""]))
        return parts

    def render(self) -> Text:
        width = self.size.width or 80
        parts = fit_parts(self.parts(), width)
        out = Text(no_wrap=True, overflow="ellipsis")
        for part in parts:
            if part.name == "clock" and part.text:
                pad = width - out.cell_len - len(part.text)
                out.append(" " * max(0, pad))
            out.append(part.text, style=part.style)
        return out
