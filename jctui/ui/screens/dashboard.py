"""The dashboard screen: header, tab bar of four panes, footer.

It composes itself, computes the figures of a month in its workers and hands each pane
what it shows; it reads the chosen Jobcenter and the figures from the session, the one
place they are kept. Its own state: the language shown, the Jobcenters marked for the chart.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.reactive import Reactive, reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane, Tabs
from textual.widgets._tabs import Underline

from jctui.i18n import Lang, t
from jctui.presentation.policy import SmallCounts
from jctui.presentation.wording import explain_marks
from jctui.session.chart import ChartData
from jctui.ui.background import lower_background_priority
from jctui.ui.messages import (
    ChartReady,
    ChartWanted,
    FigureChosen,
    FiguresReady,
    FiguresShown,
    JobcenterChosen,
    LoadFailed,
    MarksChanged,
    MonthsPrefetched,
)
from jctui.ui.screens.info import InfoScreen, explain
from jctui.ui.widgets.chart_view import ChartPane
from jctui.ui.widgets.compare_table import ComparePane
from jctui.ui.widgets.footer import LocalFooter
from jctui.ui.widgets.metric_tile import MetricTile
from jctui.ui.widgets.overview import OverviewPane
from jctui.ui.widgets.row_table import RowTable
from jctui.ui.widgets.sized import Pane
from jctui.ui.widgets.status_header import StatusHeader
from jctui.ui.widgets.warnings_view import WarningsPane

if TYPE_CHECKING:
    from jctui.config import Config, MetricDef, RateDef
    from jctui.session.session import Session, SourcesState

log = logging.getLogger("jctui.ui")

# seconds from a start with stored figures to the neighbours' prefetch: not while the other
# sessions of a `jctui serve` burst still make their first frames (a step before it reads
# its month from the store itself)
PREFETCH_AT_START = 3.0
CHROME_ROWS = 4  # header, tab bar with its underline, footer: the rows not the overview's
TABS = ("overview", "compare", "chart", "warnings")
PANES: dict[str, type[Widget]] = {
    "overview": OverviewPane,
    "compare": ComparePane,
    "chart": ChartPane,
    "warnings": WarningsPane,
}


class DashboardScreen(Screen[None]):
    """Answers "how is my Jobcenter doing, and how does it compare?" by keyboard alone."""

    KIOSK = False  # the kiosk (KioskScreen) composes the same panes with a headline
    FOCUS_FIGURE_AT_START = True  # the kiosk has no keyboard user to serve

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "show_tab('overview')", "Overview", key_display="1"),
        Binding("2", "show_tab('compare')", "Compare", key_display="2"),
        Binding("3", "show_tab('chart')", "Chart", key_display="3"),
        Binding("4", "show_tab('warnings')", "Warnings", key_display="4"),
        Binding("left_square_bracket", "step_month(-1)", "Month back", key_display="["),
        Binding("right_square_bracket", "step_month(1)", "Month fwd", key_display="]"),
    ]

    # Textual's Screen repaints itself whole when the focus moves: every line of every pane
    # composed and sent again for a cursor step between two tiles; the two tiles restyle
    # (:focus) and repaint themselves, the footer its keys
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    # handed on to the widgets (which repaint what they show), not drawn by the screen:
    # a mark or a language does not repaint the whole screen
    lang: reactive[Lang] = reactive("en", repaint=False)
    marked: reactive[frozenset[str]] = reactive(frozenset, always_update=True, repaint=False)

    def __init__(
        self, session: Session, *, lang: Lang, ascii_only: bool = False, no_color: bool = False
    ) -> None:
        super().__init__()
        self.session = session
        self.ascii_only, self.no_color = ascii_only, no_color
        self.set_reactive(DashboardScreen.lang, lang)
        self.ready = False  # set once mounted: panes exist to be given data
        # tabs whose pane shows older figures or another language: given theirs when shown
        # (a language or a month changes what the tab in view shows, not the hidden ones)
        self.stale: set[str] = set()
        self.focused_first_figure = False
        self.prepared_compare = False  # see prepare_compare

    @property
    def config(self) -> Config:
        return self.session.config

    def shown_defs(self) -> tuple[dict[str, MetricDef], dict[str, RateDef]]:
        """The definitions of the figures shown (`Session.shown_figures`)."""
        metric_keys, rate_keys = self.session.shown_figures()
        config = self.config
        return {k: config.metrics[k] for k in metric_keys}, {k: config.rates[k] for k in rate_keys}

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header").data_bind(DashboardScreen.lang)
        yield from self.compose_banner()
        # before any data: dashboard_figures' figures (not the optional); then the data's
        shown, rates = self.shown_defs()
        ascii_only, lang, kiosk = self.ascii_only, self.lang, self.KIOSK
        with TabbedContent(id="tabs", initial="overview"):
            with Pane(t("overview", lang), id="overview"):
                yield from self.compose_headline()
                yield in_language(
                    OverviewPane(
                        [*shown, *rates], ascii_only=ascii_only, large=kiosk, id="overview-pane"
                    ),
                    lang,
                )
            with Pane(t("compare", lang), id="compare"):
                yield in_language(
                    ComparePane(
                        shown, rates, ascii_only=ascii_only, show_keys=not kiosk, id="compare-pane"
                    ),
                    lang,
                ).data_bind(DashboardScreen.marked)
            with Pane(t("chart", lang), id="chart"):
                yield in_language(
                    ChartPane(
                        {**shown, **rates},
                        ascii_only=ascii_only,
                        no_color=self.no_color,
                        show_keys=not kiosk,
                        id="chart-pane",
                    ),
                    lang,
                )
            yield from self.compose_last_tab()
        yield from self.compose_footer()

    def compose_banner(self) -> ComposeResult:
        """Under the header: nothing here (the kiosk: its stale-data banner)."""
        yield from ()

    def compose_headline(self) -> ComposeResult:
        """Above the tiles: nothing here (the kiosk: its large figures)."""
        yield from ()

    def compose_last_tab(self) -> ComposeResult:
        """The warnings (the kiosk: the targets)."""
        with Pane(t("warnings", self.lang), id="warnings"):
            yield in_language(
                WarningsPane(
                    self.config.metrics,
                    counts=SmallCounts.of(self.config),
                    ascii_only=self.ascii_only,
                    id="warnings-pane",
                ),
                self.lang,
            )

    def compose_footer(self) -> ComposeResult:
        """The keys (the kiosk has none to show)."""
        yield LocalFooter().data_bind(DashboardScreen.lang)

    def on_mount(self) -> None:
        self.set_class(self.ascii_only, "-ascii")
        sources = self.config.sources
        self.show_source(sources[0].name if sources else "", demo=self.config.is_demo)
        self.ready = True
        if (opened := self.session.opened) is not None:  # read before the screen was made: as
            loaded = opened.loaded  # DataLoaded and RefreshState show a load, in the first frame
            self.show_source(loaded.dataset.source_label, demo=loaded.dataset.demo)
            self.show_sources_state(opened.state)
            if self.session.figures is None:  # its month is not stored: computed
                self.start_compute(opened.as_of)
        if (room := self.overview_room()) is not None:
            self.query_one(OverviewPane).fit_before_layout(room.width, room.height)
        if self.session.figures is not None:  # read from the figure store before the screen
            self.show_new_figures(at_start=True)  # was made: in the first frame

    def overview_room(self) -> Size | None:
        """The overview pane's size as the first layout will make it: the screen's, less a
        row for the header, two for the tab bar and its underline, one for the footer (the
        kiosk: None, its banners and headline vary)."""
        width, height = self.app.size
        return Size(width, height - CHROME_ROWS)

    # -- the data state, as the app hands it on ----------------------------------------

    def show_source(self, label: str, *, demo: bool) -> None:
        header = self.query_one(StatusHeader)
        header.source, header.demo = label, demo

    def show_retry(self, retry_in: float | None) -> None:
        self.query_one(StatusHeader).retry_in = retry_in

    def show_refreshing(self) -> None:
        self.query_one(StatusHeader).state = "refreshing"

    def show_sources_state(self, state: SourcesState) -> None:
        """The data state after a refresh cycle (`Session.shown_state`) in the header."""
        self.show_retry(state.retry_in)
        if (shown := self.session.shown_state(state)) is not None:
            self.show_state(*shown)

    def show_state(self, state: str, reason: str, since: dt.datetime | None) -> None:
        """The data state in the header."""
        header = self.query_one(StatusHeader)
        header.reason, header.state_since = reason, since  # before the state: it is watched
        header.state = state

    # -- figures: computed in workers, shown here -------------------------------------

    def start_compute(self, as_of: dt.date | None) -> None:
        """Figures for `as_of`: shown now when prepared (a month step to a prefetched
        month: no worker, no message round trip before its frame), else computed in a
        worker; only the newest request is shown."""
        session = self.session
        if session.data is None:
            return
        if (prepared := session.prepared(as_of)) is not None:
            if session.accept_figures(prepared):
                self.show_new_figures()
            return
        self.compute(as_of, session.next_compute(as_of))

    @work(thread=True, exclusive=True, group="compute")
    def compute(self, as_of: dt.date | None, seq: int) -> None:
        if self.session.figures is not None:
            lower_background_priority()
        try:
            computed = self.session.compute(as_of, seq)
        except Exception as exc:
            self.post_message(LoadFailed(str(exc) or type(exc).__name__))  # to the app
            return
        self.post_message(FiguresReady(computed))

    def on_figures_ready(self, message: FiguresReady) -> None:
        message.stop()
        if not self.session.accept_figures(message.computed):
            return  # an older request that finished after a newer one
        self.show_new_figures()

    def show_new_figures(self, at_start: bool = False) -> None:
        """The session's new figures: their month in the header, the panes, the focus on a
        figure at the first ones; then the neighbouring months prefetched (`at_start`: some
        seconds later, PREFETCH_AT_START)."""
        figures = self.session.figures
        assert figures is not None
        header = self.query_one(StatusHeader)  # first: no frame shows figures under an old month
        header.as_of, header.latest = figures.as_of, figures.latest
        self.show_figures()
        if self.FOCUS_FIGURE_AT_START and not self.focused_first_figure:
            # first figures: a figure has the focus, so `i` and `c` work without a Tab first
            self.focused_first_figure = True
            if self.focused is None or isinstance(self.focused, Tabs):
                self.action_show_tab(self.query_one(TabbedContent).active)
        self.post_message(FiguresShown())
        # and the month before (what the attention line compares with): at a stored start
        # later (its attention look-ups were read with the figures), else once these
        # figures are drawn: its decoding (the compare rows) would hold the GIL the frame needs
        if at_start:
            self.set_timer(PREFETCH_AT_START, self.prefetch_months)
        else:
            self.call_after_refresh(self.prefetch_months)

    @work(thread=True, exclusive=True, group="prefetch")
    def prefetch_months(self) -> None:
        """The neighbouring months' figures, ready before [ or ] is pressed."""
        lower_background_priority()
        try:
            # the compare rows too (a stored month's: 24 ms of decoding, 1.2 MB), here
            # rather than on the UI thread when the compare screen is first shown
            self.session.prefetch(compare_rows=True)
        except Exception:  # only a head start: the step computes the month itself
            return
        self.post_message(MonthsPrefetched())  # the attention line: against the month before

    def on_months_prefetched(self, _: MonthsPrefetched) -> None:
        self.show_attention()
        self.prepare_compare()

    def prepare_compare(self) -> None:
        """Once, after the first prefetch (its compare rows decoded, the start long drawn):
        the hidden compare tab given its figures and the cells of its first screen made,
        so that its first show (2) only lays it out and draws it. Not on the kiosk (whose
        rotation shows it at once)."""
        if self.KIOSK or self.prepared_compare or "compare" not in self.stale:
            return
        self.prepared_compare = True
        if self.shown_tab() != "compare":
            self.freshen("compare")
            self.query_one(ComparePane).query_one(RowTable).prepare(self.app.size.height)

    def show_attention(self) -> None:
        """The attention line (Session.attention) on the overview."""
        if self.ready and self.session.figures is not None:
            self.query_one(OverviewPane).attention = self.session.attention(self.lang)

    def show_figures(self) -> None:
        """The figures, Jobcenter and language to every pane: at once to the tab in view,
        to the others when they are shown (`freshen`); the compare rows are taken when they
        are other rows than shown."""
        if not self.ready or self.session.figures is None:
            return
        self.show_outside_tabs()
        self.stale.update(pane.id for pane in self.query(TabPane) if pane.id)
        self.freshen(self.shown_tab())

    def show_outside_tabs(self) -> None:
        """What is shown whatever the tab, of the figures and language: the refused figures
        in the header, the attention line (the kiosk: its large figures, its targets page)."""
        self.query_one(StatusHeader).refused = self.session.refused_banner(self.lang)
        self.show_attention()

    def freshen(self, tab: str) -> None:
        """The pane of `tab` given the figures and language shown, if it has older ones."""
        if tab not in self.stale or not self.ready or self.session.figures is None:
            return
        self.stale.discard(tab)
        give = {
            "overview": self.give_overview,
            "compare": self.give_compare,
            "chart": self.give_chart,
            "warnings": self.give_warnings,
        }.get(tab)
        if give is not None:
            give()

    def give_overview(self) -> None:
        pane = self.query_one(OverviewPane)
        pane.lang = self.lang
        pane.data = self.session.overview(self.lang)

    def give_compare(self) -> None:
        session, lang = self.session, self.lang
        metrics, rates = self.shown_defs()
        pane = self.query_one(ComparePane)
        pane.show_figures(metrics, rates)
        pane.jobcenter_id = session.jobcenter_id
        rows = session.lookups.compare_rows
        new_rows = pane.rows is not rows
        refill = pane.own_id != session.jobcenter_id and not new_rows and bool(pane.rows)
        pane.own_id = session.jobcenter_id
        if new_rows:  # the language with them: the cells are made once
            pane.set_reactive(ComparePane.lang, lang)
            pane.rows = rows
        elif pane.lang != lang:
            pane.lang = lang
        elif refill:
            pane.refill()

    def give_chart(self) -> None:
        metrics, rates = self.shown_defs()
        chart = self.query_one(ChartPane)
        chart.lang = self.lang
        chart.show_figures({**metrics, **rates})
        self.show_chart()

    def give_warnings(self) -> None:
        session = self.session
        assert session.figures is not None
        for warnings in self.query(WarningsPane):
            warnings.set_reactive(WarningsPane.lang, self.lang)  # shown in it once
            warnings.show(session.warning_rows(), daily=session.figures.frequency == "daily")

    def show_jobcenter(self) -> None:
        """Another Jobcenter chosen (the session has it): the same rows, another own row."""
        self.show_figures()

    def show_chart(self) -> None:
        if not self.ready or self.session.figures is None:
            return
        chart = self.query_one(ChartPane)
        jobcenter_id = self.session.jobcenter_id
        chart.jobcenter_ids = tuple(sorted(self.marked)) or (
            (jobcenter_id,) if jobcenter_id else ()
        )
        chart.source = self.session.chart_source()

    def on_chart_wanted(self, message: ChartWanted) -> None:
        message.stop()
        self.chart_lines(message)

    @work(thread=True, exclusive=True, group="chart")
    def chart_lines(self, wanted: ChartWanted) -> None:
        """The chart's lines (a Polars query over the data), off the UI thread; plotext
        imported here too, so its first plot does not import it on the UI thread."""
        import plotext  # noqa: F401  (imported on first use: a chart never drawn holds none)

        try:
            data = wanted.source.data(wanted.query, wanted.lang)
        except Exception:  # the chart shows "–"; the other screens are not affected
            log.exception("chart lines of %s failed", wanted.query.metric)
            data = ChartData()
        self.post_message(ChartReady(wanted, data))

    def on_chart_ready(self, message: ChartReady) -> None:
        message.stop()
        self.query_one(ChartPane).show_lines(message.wanted, message.data)

    def watch_marked(self) -> None:
        self.show_chart()

    def watch_lang(self, lang: Lang) -> None:
        if not self.ready:
            return
        tabs = self.query_one(TabbedContent)
        for pane in tabs.query(TabPane):
            if pane.id in TABS:
                tabs.get_tab(pane.id).label = t(pane.id, lang)
        if self.session.figures is not None:
            self.show_outside_tabs()
        self.stale.update(pane.id for pane in tabs.query(TabPane) if pane.id)
        self.freshen(self.shown_tab())

    # -- actions ---------------------------------------------------------------------

    def shown_tab(self) -> str:
        return str(self.query_one(TabbedContent).active)

    def action_show_tab(self, tab: str) -> None:
        self.freshen(tab)  # before it is shown: no frame of older figures
        self.query_one(TabbedContent).active = tab
        self.underline_active_tab()
        target = self.query_one(PANES[tab])
        focusable: list[Widget] = [target]  # the chart
        if isinstance(target, OverviewPane):
            focusable = list(target.tiles())
        elif tab != "chart":
            focusable = list(target.query("RowTable"))
        if focusable:  # now, not after the key (Widget.focus): the footer's keys follow
            self.set_focus(focusable[0])  # the focus, and all is drawn in one frame

    def underline_active_tab(self) -> None:
        """The tab bar's underline under the active tab now, in the frame of the switch
        (Textual's Tabs move it after that frame is drawn: a second frame for every key)."""
        tabs = self.query_one(TabbedContent).query_one(Tabs)
        try:
            tab = tabs.query_one("#tabs-list > Tab.-active")
        except NoMatches:
            return
        underline = tabs.query_one(Underline)
        underline.show_highlight = True
        start, end = tab.virtual_region.shrink(tab.styles.gutter).column_span
        underline.highlight_start, underline.highlight_end = start, end

    def action_step_month(self, step: int) -> None:
        as_of = self.session.stepped(step)  # from the month asked for last, shown or not
        if as_of is not None:
            self.start_compute(as_of)

    def action_info(self) -> None:
        """Explain the figure in view: the focused tile's, or the one the chart shows."""
        focused, config = self.focused, self.config
        if self.shown_tab() == "chart":
            key = self.query_one(ChartPane).metric
        elif isinstance(focused, MetricTile):
            key = focused.key
        else:
            key = next(iter(config.metrics))
        definition = config.metrics.get(key) or config.rates[key]
        marks = None
        if isinstance(focused, MetricTile) and focused.data is not None:
            marks = explain_marks(
                focused.data,
                self.lang,
                ascii_only=self.ascii_only,
                overdue_months=config.refresh.overdue_months,
            )
        self.app.push_screen(
            InfoScreen(explain(definition, self.lang, config.window, marks)), self.after_info
        )

    def after_info(self, tab: str | None) -> None:
        """The explanation closed by a screen's key (1-4): that screen."""
        if tab in PANES:
            self.action_show_tab(tab)

    def action_copy_figure(self) -> None:
        """The focused figure as one line of text to the clipboard (OSC 52), demo-labelled."""
        focused, lang = self.focused, self.lang
        text = None
        if self.shown_tab() == "chart":  # the chart's figure, of each Jobcenter it shows
            chart = self.query_one(ChartPane)
            text = "\n".join(self.session.figure_lines(chart.metric, chart.jobcenter_ids, lang))
        elif isinstance(focused, MetricTile) and focused.data is not None:
            text = self.session.copy_line(focused.data, lang)
        if not text:
            self.notify(t("choose_figure_first", lang), severity="warning", timeout=4)
            return
        self.app.copy_to_clipboard(text)
        # OSC 52 has no answer: whether the terminal took it, we cannot know
        self.notify(f"{t('sent_to_clipboard', lang)}: {text}", timeout=4, markup=False)

    def choose_jobcenter(self, jobcenter_id: str) -> None:
        self.session.choose(jobcenter_id)
        self.show_jobcenter()
        self.action_show_tab("overview")

    def on_figure_chosen(self, message: FigureChosen) -> None:
        """Enter on a tile: the chart of that figure (the marked Jobcenters, else yours)."""
        self.freshen("chart")  # the figures it has are those shown now
        chart = self.query_one(ChartPane)
        if message.key in chart.metrics:
            chart.show_metric(message.key)
            self.action_show_tab("chart")

    def on_jobcenter_chosen(self, message: JobcenterChosen) -> None:
        self.choose_jobcenter(message.jobcenter_id)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A tab shown some other way (a click, the kiosk's rotation): its figures."""
        if event.pane.id:
            self.freshen(event.pane.id)

    def on_marks_changed(self, message: MarksChanged) -> None:
        self.marked = message.marked


LangWidget = TypeVar("LangWidget", OverviewPane, ComparePane, ChartPane, WarningsPane)


def in_language(widget: LangWidget, lang: Lang) -> LangWidget:
    """A pane made in `lang` (then given its language with its figures, when shown)."""
    widget.set_reactive(type(widget).lang, lang)
    return widget
