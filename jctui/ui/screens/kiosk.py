"""The kiosk screen: the dashboard's panes for an unattended office screen.

Large figures (Digits), a banner when the data is stale or failing, the targets page
instead of the warnings, no key hints, and a playlist rotating forever
(jctui.session.kiosk.Rotation decides what and when; this screen shows it). An error in a
view is logged and that view skipped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.geometry import Size
from textual.widgets import TabbedContent

from jctui.config import PlaylistItem
from jctui.i18n import Lang, t
from jctui.session.kiosk import Rotation, default_playlist
from jctui.ui.screens.dashboard import DashboardScreen
from jctui.ui.widgets.attention_line import AttentionLine
from jctui.ui.widgets.chart_view import ChartPane
from jctui.ui.widgets.compare_table import ComparePane
from jctui.ui.widgets.headline import Headline
from jctui.ui.widgets.kiosk_banner import KioskBanner
from jctui.ui.widgets.sized import Pane
from jctui.ui.widgets.status_header import StatusHeader
from jctui.ui.widgets.targets_view import TargetsPane

if TYPE_CHECKING:
    from jctui.session.session import Session

log = logging.getLogger("jctui.kiosk")


class KioskScreen(DashboardScreen):
    """Rotates through the configured pages; impossible to crash by data."""

    KIOSK = True
    FOCUS_FIGURE_AT_START = False

    def __init__(
        self,
        session: Session,
        *,
        lang: Lang,
        ascii_only: bool = False,
        no_color: bool = False,
        clock: Callable[[], float],
        wall: Callable[[], dt.datetime],
    ) -> None:
        super().__init__(session, lang=lang, ascii_only=ascii_only, no_color=no_color)
        kiosk = session.config.kiosk
        playlist = kiosk.playlist or default_playlist(session.config.default_jobcenter)
        self.rotation = Rotation(playlist, kiosk.idle_resume)
        self.clock, self.wall = clock, wall  # monotonic seconds and the time of day
        self.shown: list[str] = []  # the pages shown, in order (for the tests and the log)
        self.targets_item: PlaylistItem | None = None  # the targets page shown last

    # -- layout: the dashboard's, with a banner, large figures and the targets ----------

    def compose_banner(self) -> ComposeResult:
        yield KioskBanner(id="kiosk-banner").data_bind(KioskScreen.lang)
        yield AttentionLine(banner=True, id="kiosk-attention")

    def show_attention(self) -> None:
        """The overview's attention line, and the same as a banner over every page."""
        super().show_attention()
        if self.ready and self.session.figures is not None:
            self.query_one("#kiosk-attention", AttentionLine).variants = self.session.attention(
                self.lang
            )

    def compose_headline(self) -> ComposeResult:
        yield Headline(ascii_only=self.ascii_only, id="headline")

    def compose_last_tab(self) -> ComposeResult:
        with Pane(t("targets", self.lang), id="targets"):
            yield TargetsPane(id="targets-pane")

    def compose_footer(self) -> ComposeResult:
        yield from ()

    def overview_room(self) -> Size | None:
        return None  # laid out when resized (its banners and large figures vary)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(StatusHeader).site = self.config.kiosk.site_label
        self.query_one(TabbedContent).can_focus = False
        self.query_one("#attention", AttentionLine).display = False  # the banner says it
        self.set_interval(1.0, self.tick)

    def show_state(self, state: str, reason: str, since: dt.datetime | None) -> None:
        super().show_state(state, reason, since)
        has_data = self.session.data is not None
        self.query_one(KioskBanner).show(state, reason, since, has_data=has_data)

    def show_outside_tabs(self) -> None:
        super().show_outside_tabs()
        self.query_one(Headline).figures = self.session.headline(self.lang)
        self.show_targets()  # new figures or another language

    # -- rotation --------------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: switch view when due. Cheap when nothing is due (no repaint)."""
        if self.session.figures is None:
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
        tabs, session = self.query_one(TabbedContent), self.session
        view = item.view if item.view in ("overview", "chart", "targets") else "compare"
        self.freshen(view)  # the page's pane given the figures shown before it is set up
        if item.view == "overview":
            jobcenter_id = session.first_match(item.jobcenter)
            if jobcenter_id != session.jobcenter_id:
                session.choose(jobcenter_id)
                self.show_jobcenter()
            tabs.active = "overview"
        elif item.view == "chart":
            ids = [session.first_match(q) for q in item.jobcenters] or [session.jobcenter_id]
            self.marked = frozenset(ids)
            self.freshen("chart")  # its figures before it is told which to show
            if item.metric:
                self.query_one(ChartPane).show_metric(item.metric)
            tabs.active = "chart"
        elif item.view == "targets":
            self.targets_item = item
            self.show_targets()
            tabs.active = "targets"
        else:  # compare a group, or rank a group by a figure: both are the compare table
            self.freshen("compare")  # its rows before they are ranked
            pane = self.query_one(ComparePane)
            pane.show_ranking(
                {item.group_by: item.group} if item.group else {},
                self.ranked_by(item) if item.view == "ranking" else None,
                own_id=self.own_jobcenter(),
            )
            tabs.active = "compare"
            # on screen only now: the top of the ranking (your row pinned) after a frame
            self.call_after_refresh(pane.show_top)

    def ranked_by(self, item: PlaylistItem) -> str | None:
        """The compare column of a ranking page (sorted best first); None: no figure."""
        config = self.config
        if not item.metric:
            return None
        if item.metric in config.metrics:
            return item.metric
        if item.metric not in config.rates:
            raise KeyError(item.metric)  # not a figure: the view fails and is skipped
        return f"rate:{item.metric}"

    def own_jobcenter(self) -> str:
        """Your Jobcenter (the configured one, else the one shown last), highlighted in rankings."""
        try:
            return self.session.first_match(self.config.default_jobcenter)
        except LookupError:
            return self.session.jobcenter_id

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

    def pause(self) -> None:
        """A key was pressed: hold the view shown (the app sees every key)."""
        self.rotation.pause(self.clock())

    def skip(self) -> None:
        """An error escaped a view: count it against the view and show the next."""
        self.rotation.record_failure(self.clock(), self.wall())
