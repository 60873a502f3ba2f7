"""The dashboard: header, tab bar of four views, footer; data loaded and computed in workers.

The app is a thin renderer of a `Session` (jctui.session): its workers run the session's
slow steps and report back only by messages; its watchers hand each screen the data it
shows. Widgets read no application state.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane, Tabs

from jctui.config import Config
from jctui.i18n import Lang, key_name, resolve_language, t
from jctui.locations import screenshot_dir
from jctui.presentation.policy import SmallCounts
from jctui.presentation.text import safe_text, utf8_locale
from jctui.presentation.wording import explain_marks
from jctui.session.session import RefreshRequest, Session
from jctui.session.views import PaletteEntry
from jctui.session.watch import FileWatcher
from jctui.ui.background import HeapFreezer, lower_background_priority
from jctui.ui.commands import JctuiCommands
from jctui.ui.messages import (
    DataLoaded,
    FigureChosen,
    FiguresReady,
    JobcenterChosen,
    LoadFailed,
    MakeMine,
    MarksChanged,
    NoticePosted,
    RefreshState,
    message_for,
)
from jctui.ui.screens.help import HelpScreen, help_rows
from jctui.ui.screens.info import InfoScreen, explain
from jctui.ui.themes import (
    ANSI_DARK,
    ANSI_LIGHT,
    HIGH_CONTRAST,
    LIGHT,
    THEMES,
    AsciiScrollBarRender,
)
from jctui.ui.widgets.chart_view import ChartPane
from jctui.ui.widgets.compare_table import ComparePane
from jctui.ui.widgets.footer import LocalFooter
from jctui.ui.widgets.headline import Headline
from jctui.ui.widgets.kiosk_banner import KioskBanner
from jctui.ui.widgets.metric_tile import MetricTile
from jctui.ui.widgets.overview import OverviewPane
from jctui.ui.widgets.status_header import StatusHeader
from jctui.ui.widgets.targets_view import TargetsPane
from jctui.ui.widgets.warnings_view import WarningsPane

if TYPE_CHECKING:
    from jctui.engine import Figures

TABS = ("overview", "compare", "chart", "warnings")
PANES: dict[str, type[Widget]] = {
    "overview": OverviewPane,
    "compare": ComparePane,
    "chart": ChartPane,
    "warnings": WarningsPane,
}


class JctuiApp(App[None]):
    """Answers "how is my Jobcenter doing, and how does it compare?" by keyboard alone."""

    KIOSK = False  # the kiosk (jctui.ui.kiosk_app) composes the same screens with a headline
    FOCUS_FIGURE_AT_START = True  # the kiosk has no keyboard user to serve

    CSS_PATH = Path(__file__).parent / "app.tcss"
    NOTIFICATION_TIMEOUT = 8  # seconds: long enough to read a reason with a URL in it
    TITLE = "jctui"
    COMMANDS = {JctuiCommands}
    BINDINGS = [
        Binding("1", "show_tab('overview')", "Overview", key_display="1"),
        Binding("2", "show_tab('compare')", "Compare", key_display="2"),
        Binding("3", "show_tab('chart')", "Chart", key_display="3"),
        Binding("4", "show_tab('warnings')", "Warnings", key_display="4"),
        Binding("left_square_bracket", "step_month(-1)", "Month back", key_display="["),
        Binding("right_square_bracket", "step_month(1)", "Month fwd", key_display="]"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("i", "info", "Explain", show=False),
        Binding("l", "toggle_language", "Language", show=False),
        Binding("t", "cycle_theme", "Theme", show=False),
        Binding("r", "refresh_data", "Refresh", show=False),
        Binding("ctrl+s", "save_svg", "Screenshot", show=False),
        Binding("c", "copy_figure", "Copy", show=False),
        Binding("h", "make_mine", "Set as my Jobcenter", show=False),
        Binding("q", "quit", "Quit"),
    ]

    figures: reactive[Figures | None] = reactive(None, always_update=True)
    jobcenter_id = reactive("")
    lang: reactive[Lang] = reactive("en")
    marked: reactive[frozenset[str]] = reactive(frozenset, always_update=True)

    def __init__(
        self,
        config: Config,
        *,
        as_of: dt.date | None = None,
        theme_name: str | None = None,
        ascii_only: bool | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__()
        self.session = Session(config, as_of=as_of, today=today)
        self.ascii_only = (
            bool(config.ascii if ascii_only is None else ascii_only) or not utf8_locale()
        )
        self.no_color = bool(os.environ.get("NO_COLOR"))
        self.refresh_timer: Timer | None = None
        self.focused_first_figure = False
        self.heap = HeapFreezer()
        self.register_theme(HIGH_CONTRAST)
        self.register_theme(LIGHT)
        self.set_reactive(JctuiApp.ansi_theme_light, ANSI_LIGHT)  # before the theme: it
        self.set_reactive(JctuiApp.ansi_theme_dark, ANSI_DARK)  # builds the colour filter
        self.theme = THEMES[theme_name or config.theme]
        self.set_reactive(JctuiApp.lang, resolve_language(config.language))
        self.screens_ready = False  # set once mounted: screens exist to be given data
        self.asked_refresh = False  # `r` was pressed and not answered yet
        if not self.KIOSK:  # the kiosk shows what its playlist says
            from jctui.session.state import load_my_jobcenter

            self.session.my_jobcenter = load_my_jobcenter()

    @property
    def config(self) -> Config:
        """The session's configuration (a refresh after a change reads the new sources)."""
        return self.session.config

    # -- layout (shared by the dashboard and the kiosk) --------------------------------

    def compose(self) -> ComposeResult:
        config, ascii_only = self.config, self.ascii_only
        # before any data (dashboard_figures: those not optional); the data's then (update_screens)
        metric_keys, rate_keys = self.session.shown_figures()
        shown = {k: config.metrics[k] for k in metric_keys}
        rates = {k: config.rates[k] for k in rate_keys}
        yield StatusHeader(id="header").data_bind(JctuiApp.lang)
        if self.KIOSK:
            yield KioskBanner(id="kiosk-banner").data_bind(JctuiApp.lang)
        with TabbedContent(id="tabs", initial="overview"):
            with TabPane(t("overview", self.lang), id="overview"):
                if self.KIOSK:
                    yield Headline(id="headline")
                yield OverviewPane(
                    [*shown, *rates], ascii_only=ascii_only, id="overview-pane"
                ).data_bind(JctuiApp.lang)
            with TabPane(t("compare", self.lang), id="compare"):
                yield ComparePane(
                    shown,
                    rates,
                    ascii_only=ascii_only,
                    show_keys=not self.KIOSK,
                    id="compare-pane",
                ).data_bind(JctuiApp.lang, JctuiApp.marked, JctuiApp.jobcenter_id)
            with TabPane(t("chart", self.lang), id="chart"):
                yield ChartPane(
                    {**shown, **rates},
                    ascii_only=ascii_only,
                    no_color=self.no_color,
                    show_keys=not self.KIOSK,
                    id="chart-pane",
                ).data_bind(JctuiApp.lang)
            if self.KIOSK:
                with TabPane(t("targets", self.lang), id="targets"):
                    yield TargetsPane(id="targets-pane")
            if not self.KIOSK:
                with TabPane(t("warnings", self.lang), id="warnings"):
                    yield WarningsPane(
                        config.metrics,
                        counts=SmallCounts.of(config),
                        ascii_only=ascii_only,
                        id="warnings-pane",
                    ).data_bind(JctuiApp.lang)
        if not self.KIOSK:
            yield LocalFooter().data_bind(JctuiApp.lang)

    def on_mount(self) -> None:
        self.screen.set_class(self.ascii_only, "-ascii")
        self.set_class(self.ascii_only, "-ascii")  # and on every screen: help, palette, toasts
        if self.ascii_only:
            ScrollBar.renderer = AsciiScrollBarRender
        header = self.query_one(StatusHeader)
        header.source = self.config.sources[0].name if self.config.sources else ""
        header.demo = self.config.is_demo
        self.screens_ready = True
        # after the first frame: the screen shows at once, even where many sessions start
        # together (jctui serve) and the loads' Polars threads would share the CPU with it
        self.call_after_refresh(self.start_loading)

    def start_loading(self) -> None:
        self.load_data(from_cache=any(s.is_remote for s in self.config.sources))
        self.watch_files()

    def on_unmount(self) -> None:
        ScrollBar.renderer = ScrollBarRender  # process-wide: back to Textual's own
        self.heap.thaw()
        self.session.close()

    # -- data: load and compute in threads, report back by messages ------------------

    def load_data(
        self, force: bool = True, only: frozenset[str] | None = None, from_cache: bool = False
    ) -> None:
        """Ask for a refresh (of the sources named in `only`, or all); on the UI thread."""
        if self.session.queue.put(RefreshRequest(force, only, from_cache)):
            self.run_loads()

    @work(thread=True, group="load")
    def run_loads(self) -> None:
        """Refresh cycles until no request is left; reports back only by messages."""
        session = self.session
        while (request := session.queue.take(session.stopped.is_set())) is not None:
            if self.figures is not None:  # a refresh under a live screen yields the CPU
                lower_background_priority()
            for event in session.refresh_cycle(request):
                self.post_message(message_for(event))

    @work(thread=True, exclusive=True, group="watch")
    def watch_files(self) -> None:
        """Reload a file source when it changes (with follow_cache: when the shared cache
        does); see jctui.session.watch."""
        session = self.session

        def changed(names: frozenset[str]) -> None:
            self.call_from_thread(self.load_data, True, names)

        FileWatcher(session.watched_sources(), changed, session.stopped).run()

    def on_data_loaded(self, message: DataLoaded) -> None:
        loaded = message.loaded
        if self.asked_refresh:
            self.asked_refresh = False
            self.notify(t("refreshed_new_data", self.lang), timeout=3)
        if loaded.revision_rows:
            self.notify(f"{len(loaded.revision_rows)} {t('values_revised', self.lang)}")
        as_of = self.session.accept_data(loaded)
        header = self.query_one(StatusHeader)
        header.source = loaded.dataset.source_label
        header.demo = loaded.dataset.demo
        self.jobcenter_id = self.session.jobcenter_id
        self.start_compute(as_of)

    def on_refresh_state(self, message: RefreshState) -> None:
        if self.asked_refresh:  # the cycle ended without new data: say so, or why not
            self.asked_refresh = False
            if message.state.state == "fresh":
                moment = dt.datetime.now().strftime("%H:%M")
                self.notify(f"{t('refreshed_no_change', self.lang)} ({moment})", timeout=3)
            else:
                reason = safe_text(message.state.reason) or t(message.state.state, self.lang)
                self.notify(reason, severity="warning", timeout=6, markup=False)
        self.query_one(StatusHeader).retry_in = message.state.retry_in
        if (shown := self.session.shown_state(message.state)) is not None:
            self.show_state(*shown)
        self.schedule_refresh()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.asked_refresh = False  # the failure is the answer
        self.show_state(*self.session.failure_state(message.reason))
        self.notify(safe_text(message.reason), severity="error", timeout=10, markup=False)

    def show_state(self, state: str, reason: str, since: dt.datetime | None) -> None:
        """The data state in the header (and the kiosk's banner)."""
        header = self.query_one(StatusHeader)
        header.reason, header.state_since = reason, since  # before the state: it is watched
        header.state = state
        for banner in self.query(KioskBanner):
            banner.show(state, reason, since, has_data=self.session.data is not None)

    def schedule_refresh(self) -> None:
        """Sleep until the next source is due (HTTP interval or a retry); files wake the watcher."""
        if self.refresh_timer is not None:
            self.refresh_timer.stop()
        delay = self.session.seconds_to_next_refresh()
        if delay != float("inf"):
            self.refresh_timer = self.set_timer(max(1.0, delay), lambda: self.load_data(False))

    def on_notice_posted(self, message: NoticePosted) -> None:
        # never markup: texts of errors carry URLs, paths and values from the data
        failure = message.kind == "failure"
        text = safe_text(message.text)  # reasons quote servers, files and values
        self.notify(text, severity="error" if failure else "information", markup=False)

    def start_compute(self, as_of: dt.date | None) -> None:
        """Figures for `as_of` in a worker; only the newest request is shown."""
        if self.session.data is not None:
            self.compute(as_of, self.session.next_compute(as_of))

    @work(thread=True, exclusive=True, group="compute")
    def compute(self, as_of: dt.date | None, seq: int) -> None:
        if self.figures is not None:
            lower_background_priority()
        try:
            computed = self.session.compute(as_of, seq)
        except Exception as exc:
            self.post_message(LoadFailed(str(exc) or type(exc).__name__))
            return
        self.post_message(FiguresReady(computed))

    def on_figures_ready(self, message: FiguresReady) -> None:
        if not self.session.accept_figures(message.computed):
            return  # an older request that finished after a newer one
        figures = message.computed.figures
        header = self.query_one(StatusHeader)  # first: no frame shows figures under an old month
        header.as_of, header.latest = figures.as_of, figures.latest
        self.figures = figures
        if self.FOCUS_FIGURE_AT_START and not self.focused_first_figure:
            # first figures: a figure has the focus, so `i` and `c` work without a Tab first
            self.focused_first_figure = True
            if self.focused is None or isinstance(self.focused, Tabs):
                self.action_show_tab(self.query_one(TabbedContent).active)
        self.call_after_refresh(self.heap.freeze)
        if not self.KIOSK:  # nobody steps through months on a kiosk
            self.prefetch_months()

    @work(thread=True, exclusive=True, group="prefetch")
    def prefetch_months(self) -> None:
        """The neighbouring months' figures, ready before [ or ] is pressed."""
        lower_background_priority()
        try:
            self.session.prefetch()
        except Exception:  # only a head start: the step computes the month itself
            return

    # -- handing the screens their data ------------------------------------------------

    def watch_figures(self) -> None:
        self.update_screens()

    def watch_jobcenter_id(self, jobcenter_id: str) -> None:
        self.session.jobcenter_id = jobcenter_id
        self.update_screens(compare=False)

    def watch_marked(self) -> None:
        self.update_chart()

    def watch_lang(self, lang: Lang) -> None:
        if not self.screens_ready:
            return
        tabs = self.query_one(TabbedContent)
        for pane in tabs.query(TabPane):
            if pane.id in TABS:
                tabs.get_tab(pane.id).label = t(pane.id, lang)
        self.update_screens()

    def update_screens(self, *, compare: bool = True) -> None:
        """Give every screen what it shows of the current figures, Jobcenter and language."""
        session, lang = self.session, self.lang
        if not self.screens_ready or session.figures is None:
            return
        self.query_one(OverviewPane).data = session.overview(lang)
        for headline in self.query(Headline):
            headline.figures = session.headline(lang)
        metric_keys, rate_keys = session.shown_figures()
        metrics = {k: self.config.metrics[k] for k in metric_keys}
        rates = {k: self.config.rates[k] for k in rate_keys}
        self.query_one(ChartPane).show_figures({**metrics, **rates})
        pane = self.query_one(ComparePane)
        pane.show_figures(metrics, rates)
        if pane.own_id != self.jobcenter_id:
            pane.own_id = self.jobcenter_id
            if not compare and pane.rows:
                pane.refill()
        if compare:
            pane.rows = session.views.compare_rows
        for warnings in self.query(WarningsPane):
            warnings.show(session.warning_rows(), daily=session.figures.frequency == "daily")
        self.update_chart()

    def update_chart(self) -> None:
        if not self.screens_ready or self.session.figures is None:
            return
        chart = self.query_one(ChartPane)
        chart.jobcenter_ids = tuple(sorted(self.marked)) or (
            (self.jobcenter_id,) if self.jobcenter_id else ()
        )
        chart.source = self.session.chart_source()

    def palette_entries(self) -> list[PaletteEntry]:
        return self.session.palette_entries()

    # -- actions ---------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        target = self.query_one(PANES[tab])
        focusable: list[Widget] = [target]  # the chart
        if isinstance(target, OverviewPane):
            focusable = list(target.tiles())
        elif tab != "chart":
            focusable = list(target.query("RowTable"))
        if focusable:
            focusable[0].focus()

    def action_step_month(self, step: int) -> None:
        as_of = self.session.stepped(step)  # from the month asked for last, shown or not
        if as_of is not None:
            self.start_compute(as_of)

    def action_help(self) -> None:
        chain = [self.focused, *(self.focused.ancestors if self.focused else ())]
        if self not in chain:
            chain.append(self)
        rows = help_rows(chain, self.lang, ascii_only=self.ascii_only)
        rows.append((key_name("ctrl+p", self.lang), t("palette_help", self.lang)))
        self.push_screen(HelpScreen(rows, t("keys", self.lang)))

    def shown_tab(self) -> str:
        return str(self.query_one(TabbedContent).active)

    def action_info(self) -> None:
        """Explain the figure in view: the focused tile's, or the one the chart shows."""
        focused = self.focused
        if self.shown_tab() == "chart":
            key = self.query_one(ChartPane).metric
        elif isinstance(focused, MetricTile):
            key = focused.key
        else:
            key = next(iter(self.config.metrics))
        definition = self.config.metrics.get(key) or self.config.rates[key]
        marks = None
        if isinstance(focused, MetricTile) and focused.data is not None:
            marks = explain_marks(
                focused.data,
                self.lang,
                ascii_only=self.ascii_only,
                overdue_months=self.config.refresh.overdue_months,
            )
        self.push_screen(InfoScreen(explain(definition, self.lang, self.config.window, marks)))

    def action_toggle_language(self) -> None:
        self.lang = "en" if self.lang == "de" else "de"

    def action_cycle_theme(self) -> None:
        order = list(THEMES.values())
        self.theme = (
            order[(order.index(self.theme) + 1) % len(order)] if self.theme in order else order[0]
        )
        name = next(key for key, value in THEMES.items() if value == self.theme)
        self.notify(f"{t('theme', self.lang)}: {t(f'theme_{name}', self.lang)}", timeout=3)

    def action_refresh_data(self) -> None:
        self.query_one(StatusHeader).state = "refreshing"
        self.asked_refresh = True  # answered when the cycle ends: new data, none, or a failure
        self.load_data()

    def action_save_svg(self) -> None:
        """An SVG screenshot of the screen to the screenshot folder; says where."""
        folder = Path(self.config.screenshot_dir or screenshot_dir())
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = self.save_screenshot(path=str(folder))
        except OSError as exc:  # a file in the folder's place, no space, no permission
            reason = f"{exc.filename or folder}: {exc.strerror or exc}"
            self.notify(
                safe_text(f"{t('screenshot_failed', self.lang)}: {reason}"),
                severity="error",
                markup=False,
            )
            return
        self.notify(safe_text(f"{t('saved', self.lang)}: {path}"), markup=False)

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
        self.copy_to_clipboard(text)
        # OSC 52 has no answer: whether the terminal took it, we cannot know
        self.notify(f"{t('sent_to_clipboard', lang)}: {text}", timeout=4, markup=False)

    def choose_jobcenter(self, jobcenter_id: str) -> None:
        self.jobcenter_id = jobcenter_id
        self.action_show_tab("overview")

    def on_figure_chosen(self, message: FigureChosen) -> None:
        """Enter on a tile: the chart of that figure (the marked Jobcenters, else yours)."""
        chart = self.query_one(ChartPane)
        if message.key in chart.metrics:
            chart.show_metric(message.key)
            self.action_show_tab("chart")

    def on_jobcenter_chosen(self, message: JobcenterChosen) -> None:
        self.choose_jobcenter(message.jobcenter_id)

    def action_make_mine(self, jobcenter_id: str | None = None) -> None:
        """Make the shown (or the given) Jobcenter the user's: shown first at every start."""
        from jctui.session.state import save_my_jobcenter

        jobcenter_id = jobcenter_id or self.jobcenter_id
        if not jobcenter_id:
            return
        name = self.session.name_of(jobcenter_id)
        self.session.my_jobcenter = jobcenter_id
        self.jobcenter_id = jobcenter_id
        try:
            save_my_jobcenter(jobcenter_id, name)
        except OSError as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.notify(f"{t('my_jobcenter_set', self.lang)}: {safe_text(name)}", markup=False)

    def on_make_mine(self, message: MakeMine) -> None:
        self.action_make_mine(message.jobcenter_id)

    def on_marks_changed(self, message: MarksChanged) -> None:
        self.marked = message.marked
