"""Kiosk mode: the dashboard as an unattended office screen.

Full screen, no key hints, cursor hidden, high-contrast theme, large figures (Digits), a
playlist rotating forever (jctui.session.kiosk.Rotation decides what and when). Any key pauses the
rotation; q and Escape do nothing; only ctrl+q (shown nowhere) or a signal quits. An error
in a view is logged and that view skipped; the app never exits on its own because of data,
network or render errors. Stale or failing data shows a banner with the age of the data.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from textual import events
from textual.binding import Binding
from textual.widgets import TabbedContent

from jctui.config import Config, PlaylistItem
from jctui.session.kiosk import Rotation, default_playlist
from jctui.ui.app import JctuiApp
from jctui.ui.widgets.chart_view import ChartPane
from jctui.ui.widgets.compare_table import ComparePane
from jctui.ui.widgets.status_header import StatusHeader
from jctui.ui.widgets.targets_view import TargetsPane

log = logging.getLogger("jctui.kiosk")


class KioskApp(JctuiApp):
    """Rotates through the configured views; hard to end by accident, impossible to crash by data."""

    KIOSK = True
    FOCUS_FIGURE_AT_START = False

    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, config: Config, **kwargs: Any) -> None:
        kwargs.setdefault("theme_name", config.kiosk.theme)
        super().__init__(config, **kwargs)
        jobcenter = config.default_jobcenter
        self.rotation = Rotation(
            config.kiosk.playlist or default_playlist(jobcenter), config.kiosk.idle_resume
        )
        self.clock = time.monotonic
        self.wall = dt.datetime.now
        self.shown: list[str] = []  # the views shown, in order (for the tests and the log)
        self.targets_item: PlaylistItem | None = None  # the targets page shown last

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(StatusHeader).site = self.config.kiosk.site_label
        self.query_one(TabbedContent).can_focus = False
        self.set_interval(1.0, self.tick)

    # -- rotation --------------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: switch view when due. Cheap when nothing is due (no repaint)."""
        if self.figures is None:
            return
        item = self.rotation.tick(self.clock(), self.wall())
        if item is not None:
            self.show_item(item)

    def show_item(self, item: PlaylistItem) -> None:
        for _ in range(len(self.rotation.items)):
            try:
                self.apply(item)
                self.rotation.record_success()
                self.shown.append(item.view)
                return
            except Exception:  # a broken view must not end the kiosk: log it, skip it
                log.exception("kiosk view %s failed; skipped", item.view)
                nxt = self.rotation.record_failure(self.clock(), self.wall())
                if nxt is None:
                    return
                item = nxt

    def apply(self, item: PlaylistItem) -> None:
        tabs = self.query_one(TabbedContent)
        if item.view == "overview":
            self.jobcenter_id = self.session.first_match(item.jobcenter)
            tabs.active = "overview"
        elif item.view == "chart":
            ids = [self.session.first_match(q) for q in item.jobcenters] or [self.jobcenter_id]
            self.marked = frozenset(ids)
            if item.metric:
                self.query_one(ChartPane).show_metric(item.metric)
            tabs.active = "chart"
        elif item.view == "targets":
            self.targets_item = item
            self.show_targets()
            tabs.active = "targets"
        else:  # compare a group, or rank a group by a figure: both are the compare table
            pane = self.query_one(ComparePane)
            pane.filters = {item.group_by: item.group} if item.group else {}
            if item.view == "ranking" and item.metric:
                key = item.metric if item.metric in self.config.metrics else f"rate:{item.metric}"
                keys = [k for k, _ in pane.columns()]
                pane.sort_index = keys.index(key)
                figure = self.config.metrics.get(item.metric) or self.config.rates[item.metric]
                pane.sort_reverse = figure.better != "lower"  # the best first
            pane.own_id = self.own_jobcenter()
            pane.refill()
            tabs.active = "compare"
            # on screen only now: the sort column and your row can be scrolled to after a frame
            self.call_after_refresh(pane.show_own_row)

    def own_jobcenter(self) -> str:
        """Your Jobcenter (the configured one, else the one shown last), highlighted in rankings."""
        try:
            return self.session.first_match(self.config.default_jobcenter)
        except LookupError:
            return self.jobcenter_id

    def show_targets(self) -> None:
        """The targets page of the current item, at the shown month and language."""
        item = self.targets_item
        if item is None:
            return
        metric = item.metric or next(iter(self.config.metrics))
        page = self.session.targets_page(
            metric, self.lang, group_by=item.group_by, group=item.group
        )
        self.query_one(TargetsPane).page = page

    def update_screens(self, *, compare: bool = True) -> None:
        super().update_screens(compare=compare)
        if self.screens_ready and self.session.figures is not None:
            self.show_targets()  # new figures or another language

    # -- keys: any key pauses; q and Escape never quit --------------------------------

    async def on_key(self, event: events.Key) -> None:
        self.rotation.pause(self.clock())
        if event.key in ("q", "escape"):
            event.prevent_default()
            event.stop()

    async def action_quit(self) -> None:
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        """Never exit on an error: log it and move on to the next view."""
        log.error("kiosk: unexpected error %s: %s; skipping the view", type(error).__name__, error)
        self.rotation.record_failure(self.clock(), self.wall())


__all__ = ["KioskApp"]
