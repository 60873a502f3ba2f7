"""The dashboard: header, tab bar of four views, footer; data loaded and computed in workers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import logging
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Footer, TabbedContent, TabPane, Tabs

from jctui.config import Config
from jctui.i18n import Lang, fmt_period, resolve_language, t
from jctui.presentation.text import utf8_locale
from jctui.session.views import FigureViews, counts_by_jobcenter, prepare_views
from jctui.ui.background import lower_background_priority
from jctui.ui.commands import JctuiCommands
from jctui.ui.lazy import pl
from jctui.ui.messages import (
    DataLoaded,
    FiguresReady,
    JobcenterChosen,
    LoadFailed,
    NoticePosted,
    RefreshState,
    notice_message,
)
from jctui.ui.screens.help import HelpScreen
from jctui.ui.screens.info import InfoScreen, explain
from jctui.ui.widgets.chart_view import ChartPane
from jctui.ui.widgets.compare_table import ComparePane
from jctui.ui.widgets.metric_tile import MetricTile
from jctui.ui.widgets.overview import OverviewPane
from jctui.ui.widgets.status_header import StatusHeader
from jctui.ui.widgets.warnings_view import WarningsPane

if TYPE_CHECKING:
    from jctui.engine import Engine, Figures
    from jctui.model import Dataset
    from jctui.session.refresh import Refresher

log = logging.getLogger("jctui")

TABS = ("overview", "compare", "chart", "warnings")
THEMES = {"dark": "textual-dark", "light": "textual-light", "high-contrast": "jctui-high-contrast"}
HIGH_CONTRAST = Theme(
    name="jctui-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    dark=True,
)
WATCH_RETRY = 5.0  # seconds: how often a missing or replaced folder is looked for
FULL_GC_EVERY = 600.0  # seconds between full garbage collections (see freeze_heap)


class AsciiScrollBarRender(ScrollBarRender):
    """Scrollbars without block glyphs (--ascii): the thumb is its colour alone."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


class JctuiApp(App[None]):
    """Answers "how is my Jobcenter doing, and how does it compare?" by keyboard alone."""

    FOCUS_FIGURE_AT_START = True  # the kiosk has no keyboard user to serve

    CSS_PATH = Path(__file__).parent / "app.tcss"
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
        Binding("ctrl+s", "screenshot", "Screenshot", show=False),
        Binding("c", "copy_figure", "Copy", show=False),
        Binding("q", "quit", "Quit"),
    ]

    figures: reactive[Figures | None] = reactive(None, always_update=True)
    jobcenter_id = reactive("")
    lang: reactive[Lang] = reactive("en")
    marked: reactive[frozenset[str]] = reactive(frozenset, always_update=True)
    revisions: reactive[pl.DataFrame | None] = reactive(None, always_update=True)

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
        self.config = config
        self.requested_as_of = as_of
        self.ascii_only = (
            bool(config.ascii if ascii_only is None else ascii_only) or not utf8_locale()
        )
        self.no_color = bool(os.environ.get("NO_COLOR"))
        self.fixed_today = today
        self.dataset: Dataset | None = None
        self.engine: Engine | None = None
        self.views = FigureViews()
        self._jobcenters: dict[str, dict[str, Any]] = {}
        self._revised: dict[str, dict[str, int]] = {}
        self.refresher: Refresher | None = None  # made in the worker: Polars loads there
        self._refresh_timer: Timer | None = None
        self._stop_watching = threading.Event()
        self._load_lock = threading.Lock()
        self._load_queue: tuple[bool, frozenset[str] | None, bool] | None = None
        self._loading = False
        self._compute_seq = 0
        self._focused_first_figure = False
        self._last_full_gc = -FULL_GC_EVERY
        self.register_theme(HIGH_CONTRAST)
        self.theme = THEMES[theme_name or config.theme]
        self.set_reactive(JctuiApp.lang, resolve_language(config.language))

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        with TabbedContent(id="tabs", initial="overview"):
            with TabPane(t("overview", self.lang), id="overview"):
                yield OverviewPane(id="overview-pane")
            with TabPane(t("compare", self.lang), id="compare"):
                yield ComparePane(id="compare-pane")
            with TabPane(t("chart", self.lang), id="chart"):
                yield ChartPane(id="chart-pane")
            with TabPane(t("warnings", self.lang), id="warnings"):
                yield WarningsPane(id="warnings-pane")
        yield Footer()

    def on_mount(self) -> None:
        self.screen.set_class(self.ascii_only, "-ascii")
        if self.ascii_only:
            ScrollBar.renderer = AsciiScrollBarRender
        header = self.query_one(StatusHeader)
        header.lang = self.lang
        header.source = self.config.sources[0].name if self.config.sources else ""
        header.demo = self.config.is_demo
        if self.lang == "de":
            self.translate_bindings(self.lang)
        self.load_data(from_cache=any(s.url for s in self.config.sources))
        self.watch_files()

    # -- data: load and compute in threads, report back by messages ------------------

    def today(self) -> dt.date:
        return self.fixed_today or dt.date.today()

    def loaded(self, dataset: Dataset, revisions: pl.DataFrame | None) -> DataLoaded:
        """The message for a finished load, built in the worker with all it needs.

        The engine is prepared and the lookups built here, so the UI thread runs no Polars
        query for them (it would wait for Polars' pool while a recompute keeps it busy).
        """
        from jctui.engine import Engine

        engine = Engine.for_dataset(self.config, dataset)
        engine.data_warnings()  # once per load, in the worker: the warnings screen is instant
        _ = engine.periods  # cached here: on 1M rows it is a unique + sort
        jobcenters = {r["jobcenter_id"]: r for r in dataset.registry.iter_rows(named=True)}
        revised = counts_by_jobcenter(revisions) if revisions is not None else {}
        return DataLoaded(dataset, engine, revisions, jobcenters, revised)

    def figures_of(
        self, jobcenter_id: str
    ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        """The metric and rate rows of one Jobcenter in the current figures, by key."""
        return self.views.metrics.get(jobcenter_id, {}), self.views.rates.get(jobcenter_id, {})

    def load_data(
        self, force: bool = True, only: frozenset[str] | None = None, from_cache: bool = False
    ) -> None:
        """Ask for a refresh (of the sources named in `only`, or all); on the UI thread.

        Requests that come while a refresh runs are merged and done right after it by the
        same worker: one refresh at a time on the Refresher, in order, and a burst of file
        changes never ties up a thread per change.
        """
        with self._load_lock:
            queued = self._load_queue
            if queued is None:
                self._load_queue = (force, only, from_cache)
            else:
                names = None if queued[1] is None or only is None else queued[1] | only
                self._load_queue = (queued[0] or force, names, queued[2] or from_cache)
            if self._loading:
                return
            self._loading = True
        self.run_loads()

    @work(thread=True, group="load")
    def run_loads(self) -> None:
        """Refresh cycles until no request is left; reports back only by messages."""
        while True:
            with self._load_lock:
                request = self._load_queue
                self._load_queue = None
                if request is None or self._stop_watching.is_set():
                    self._loading = False
                    return
            try:
                self.refresh_cycle(*request)
            except Exception as exc:  # never leave the queue marked as running
                self.post_message(LoadFailed(str(exc) or type(exc).__name__))

    def refresh_cycle(self, force: bool, only: frozenset[str] | None, from_cache: bool) -> None:
        if self.figures is not None:  # a refresh under a live screen; at start the data comes first
            lower_background_priority()
        from jctui.engine import detect_revisions
        from jctui.session.refresh import Refresher

        if (
            self.refresher is None or self.refresher.config is not self.config
        ):  # new or changed sources
            self.refresher = Refresher(self.config, now=time.monotonic)
        try:
            if from_cache:
                cached = self.refresher.load_cache()
                if cached is not None:
                    self.post_message(self.loaded(cached, None))
                    self.post_message(RefreshState(*self.refresher.summary()))
            dataset, notices, changed = self.refresher.refresh(force=force, only=only)
            state = RefreshState(*self.refresher.summary())
            if dataset is None:
                self.post_message(LoadFailed(state.reason or "no data"))
            elif changed or self.dataset is None:
                revisions = (
                    detect_revisions(self.dataset.values, dataset.values)
                    if self.dataset is not None
                    else None
                )
                self.post_message(self.loaded(dataset, revisions))
            for notice in notices:
                self.post_message(notice_message(notice))
            self.post_message(state)
        except Exception as exc:  # any failure keeps the last good data on screen
            self.post_message(LoadFailed(str(exc) or type(exc).__name__))

    def on_refresh_state(self, message: RefreshState) -> None:
        header = self.query_one(StatusHeader)
        if message.state == "fresh" and self.dataset is not None:
            header.reason, header.state_since, header.state = "", message.since, "fresh"
        elif message.state in ("stale", "error"):
            header.reason = message.reason
            header.retry_in = message.retry_in
            header.state_since = message.since
            header.state = "stale" if self.dataset is not None else "error"
        self.schedule_refresh()

    def schedule_refresh(self) -> None:
        """Sleep until the next source is due (HTTP interval or a retry); files wake the watcher."""
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        if self.refresher is None:
            return
        delay = self.refresher.seconds_to_next()
        if delay != float("inf"):
            self._refresh_timer = self.set_timer(
                max(1.0, delay), lambda: self.load_data(force=False)
            )

    def on_notice_posted(self, message: NoticePosted) -> None:
        self.notify(
            message.text,
            severity="error" if message.kind == "failure" else "information",
            timeout=8,
            markup=False,  # texts of errors carry URLs, paths and values from the data
        )

    @work(thread=True, exclusive=True, group="watch")
    def watch_files(self) -> None:
        """Reload a file source when it changes (inotify via watchfiles); debounced.

        Never ends the app: a folder that is missing (an unmounted share) is waited for, and a
        folder that is deleted and made again (a deploy, a remount) is watched anew; either
        way the sources are reloaded once it is back.
        """
        paths = {
            str(Path(s.path).resolve()): s.name
            for s in self.config.sources
            if s.path and not s.demo
        }
        if not paths:
            return
        folders = sorted({str(Path(p).parent) for p in paths})
        stop = self._stop_watching
        everything = frozenset(paths.values())
        while not stop.is_set():
            identity = folder_identity(folders)
            try:
                if identity:
                    self.watch_folders(identity, folders, paths)  # returns when one changed
                    if stop.is_set():
                        break
                else:
                    stop.wait(WATCH_RETRY)
                    if not folder_identity(folders):
                        continue
                self.call_from_thread(self.load_data, True, everything)
            except Exception as exc:  # watching is a convenience: the refresh timer still runs
                log.warning("watching %s failed (%s); trying again", ", ".join(folders), exc)
                stop.wait(WATCH_RETRY)

    def watch_folders(
        self, identity: dict[str, tuple[int, int]], folders: list[str], paths: dict[str, str]
    ) -> None:
        """Reload the sources whose files change, until a folder comes, goes or is replaced
        (its inode may even be reused) or the app stops."""
        import watchfiles

        for changes in watchfiles.watch(
            *identity,
            stop_event=self._stop_watching,
            debounce=800,
            raise_interrupt=False,
            recursive=False,
            yield_on_timeout=True,
            rust_timeout=int(WATCH_RETRY * 1000),
        ):
            gone = any(kind == watchfiles.Change.deleted and p in identity for kind, p in changes)
            if gone or folder_identity(folders) != identity:
                return
            resolved = {str(Path(p).resolve()) for _, p in changes}
            changed = frozenset(paths[p] for p in resolved if p in paths)
            if changed:
                self.call_from_thread(self.load_data, True, changed)

    def on_unmount(self) -> None:
        ScrollBar.renderer = ScrollBarRender  # process-wide: back to Textual's own
        gc.unfreeze()  # the heap goes back to normal for whatever runs after the app
        self._stop_watching.set()
        if self.refresher is not None:
            self.refresher.close()

    def on_data_loaded(self, message: DataLoaded) -> None:
        self.dataset, self.engine = message.dataset, message.engine
        self._jobcenters = message.jobcenters
        if message.revisions is not None and message.revisions.height:
            self.revisions = message.revisions
            self._revised = message.revised
            self.notify(
                f"{message.revisions.height} "
                + ("Werte revidiert" if self.lang == "de" else "values revised"),
                timeout=8,
            )
        header = self.query_one(StatusHeader)
        header.source = message.dataset.source_label
        header.demo = message.dataset.demo
        if not self.jobcenter_id or self.jobcenter_id not in self._jobcenters:
            self.jobcenter_id = self.default_jobcenter()
        as_of = self.requested_as_of if self.figures is None else self.figures.as_of
        if as_of is not None and message.engine.periods and as_of > message.engine.periods[-1]:
            as_of = None
        self.start_compute(as_of)

    def on_load_failed(self, message: LoadFailed) -> None:
        header = self.query_one(StatusHeader)
        header.reason = message.reason  # before the state: watchers of the state read it
        if self.dataset is None:
            header.state = "error"
        else:
            header.state_since = dt.datetime.now()
            header.state = "stale"
        self.notify(message.reason, severity="error", timeout=10, markup=False)

    def default_jobcenter(self) -> str:
        from jctui.engine import find_jobcenters

        assert self.dataset is not None
        wanted = self.config.default_jobcenter
        if wanted:
            found = find_jobcenters(self.dataset.registry, wanted)
            if found.height:
                return found.item(0, "jobcenter_id")
        return self.dataset.registry.item(0, "jobcenter_id") if self.dataset.registry.height else ""

    def start_compute(self, as_of: dt.date | None) -> None:
        """Figures for `as_of` from the current engine, in a worker; only the newest request
        is shown (a replaced thread worker runs on, and may finish after a newer one)."""
        if self.engine is None or self.dataset is None:
            return
        self._compute_seq += 1
        self.compute(self.engine, self.dataset, as_of, self._compute_seq)

    @work(thread=True, exclusive=True, group="compute")
    def compute(self, engine: Engine, dataset: Dataset, as_of: dt.date | None, seq: int) -> None:
        if self.figures is not None:
            lower_background_priority()
        try:
            figures = engine.figures(as_of)
            views = prepare_views(figures, dataset, self.config)
        except Exception as exc:
            self.post_message(LoadFailed(str(exc) or type(exc).__name__))
            return
        self.post_message(FiguresReady(figures, views, seq))

    def on_figures_ready(self, message: FiguresReady) -> None:
        if message.seq != self._compute_seq:
            return  # an older request that finished after a newer one
        self.views = message.views
        header = self.query_one(StatusHeader)  # first: no frame shows figures under an old month
        header.as_of = message.figures.as_of
        header.latest = message.figures.latest
        self.figures = message.figures
        if self.FOCUS_FIGURE_AT_START and not self._focused_first_figure:
            # first figures: a figure has the focus, so `i` and `c` work without a Tab first
            self._focused_first_figure = True
            if self.focused is None or isinstance(self.focused, Tabs):
                self.action_show_tab(self.query_one(TabbedContent).active)
        self.call_after_refresh(self.freeze_heap)

    def freeze_heap(self) -> None:
        """Keep the garbage collector's full passes off key presses.

        A full collection of this heap takes 25-45 ms and lands on whatever key comes next.
        Freezing what is alive (about 0.01 ms) takes it out of those passes; frozen objects
        are still freed by reference counting. Cyclic garbage that got frozen is collected
        by a full pass at most every FULL_GC_EVERY seconds, so nothing piles up.
        """
        now = time.monotonic()
        if now - self._last_full_gc >= FULL_GC_EVERY:
            self._last_full_gc = now
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    def registry_row(self, jobcenter_id: str) -> dict[str, Any]:
        return self._jobcenters.get(jobcenter_id, {})

    def revised_counts(self, jobcenter_id: str) -> dict[str, int]:
        return self._revised.get(jobcenter_id, {})

    # -- actions ---------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        pane = {
            "overview": OverviewPane,
            "compare": ComparePane,
            "chart": ChartPane,
            "warnings": WarningsPane,
        }[tab]
        target = self.query_one(pane)
        focusable = target.query("MetricTile, RowTable") if tab != "chart" else [target]
        if focusable:
            focusable[0].focus()

    def action_step_month(self, step: int) -> None:
        if self.engine is None or self.figures is None:
            return
        periods = self.engine.periods
        i = periods.index(self.figures.as_of) if self.figures.as_of in periods else len(periods) - 1
        j = min(max(0, i + step), len(periods) - 1)
        if j != i:
            self.start_compute(periods[j])

    def action_help(self) -> None:
        rows = []
        seen = set()
        for node in (self.focused, *(self.focused.ancestors if self.focused else ()), self):
            if node is None:
                continue
            for binding in getattr(node, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.description and binding.key not in seen:
                    seen.add(binding.key)
                    rows.append(
                        (binding.key_display or binding.key, self.describe(binding.description))
                    )
        rows.append(
            (
                "ctrl+p",
                "Jobcenter suchen, Befehle" if self.lang == "de" else "find a Jobcenter, commands",
            )
        )
        self.push_screen(HelpScreen(rows, self.lang))

    def describe(self, description: str) -> str:
        if self.lang == "de":
            return GERMAN_BINDINGS.get(description, description)
        english = {german: english for english, german in GERMAN_BINDINGS.items()}
        return english.get(description, description)

    def action_info(self) -> None:
        focused = self.focused
        key = focused.key if isinstance(focused, MetricTile) else next(iter(self.config.metrics))
        definition = self.config.metrics.get(key) or self.config.rates[key]
        self.push_screen(InfoScreen(explain(key, definition, self.lang, self.config.window)))

    def action_toggle_language(self) -> None:
        self.lang = "en" if self.lang == "de" else "de"

    def watch_lang(self, lang: Lang) -> None:
        if not self.is_mounted:
            return
        self.query_one(StatusHeader).lang = lang
        tabs = self.query_one(TabbedContent)
        for tab in TABS:
            if tab in [p.id for p in tabs.query(TabPane)]:
                tabs.get_tab(tab).label = t(tab, lang)
        self.translate_bindings(lang)

    def translate_bindings(self, lang: Lang) -> None:
        """Footer and help in the UI language: the descriptions of every binding, swapped."""
        english = {german: english for english, german in GERMAN_BINDINGS.items()}
        for node in (self, *self.query("*")):
            bindings = getattr(node, "_bindings", None)
            if bindings is None:
                continue
            for key, entries in bindings.key_to_bindings.items():
                bindings.key_to_bindings[key] = [
                    dataclasses.replace(
                        b,
                        description=(GERMAN_BINDINGS if lang == "de" else english).get(
                            b.description, b.description
                        ),
                    )
                    for b in entries
                ]
        self.refresh_bindings()

    def action_cycle_theme(self) -> None:
        order = list(THEMES.values())
        self.theme = (
            order[(order.index(self.theme) + 1) % len(order)] if self.theme in order else order[0]
        )

    def action_refresh_data(self) -> None:
        self.query_one(StatusHeader).state = "refreshing"
        self.load_data()

    def action_screenshot(self) -> None:
        folder = Path(self.config.screenshot_dir or default_screenshot_dir())
        folder.mkdir(parents=True, exist_ok=True)
        path = self.save_screenshot(path=str(folder))
        self.notify(
            ("Gespeichert: " if self.lang == "de" else "Saved: ") + path, timeout=8, markup=False
        )

    def action_copy_figure(self) -> None:
        """The focused figure as one line of text to the clipboard (OSC 52), demo-labelled."""
        focused = self.focused
        lang = self.lang
        if not isinstance(focused, MetricTile) or focused.data is None or self.figures is None:
            self.notify(
                "Erst eine Kennzahl wählen (1, dann Tab)"
                if lang == "de"
                else "Choose a figure first (1, then Tab)",
                severity="warning",
                timeout=4,
            )
            return
        name = self.registry_row(self.jobcenter_id).get("name") or self.jobcenter_id
        daily = self.figures.frequency == "daily"
        period = fmt_period(self.figures.as_of, lang, daily=daily)
        text = f"{name}, {period}: {focused.as_text_line()}"
        if self.dataset is not None and self.dataset.demo:
            text += f" ({t('demo', lang)})"
        self.copy_to_clipboard(text)
        self.notify(("Kopiert: " if lang == "de" else "Copied: ") + text, timeout=4, markup=False)

    def choose_jobcenter(self, jobcenter_id: str) -> None:
        self.jobcenter_id = jobcenter_id
        self.action_show_tab("overview")

    def on_jobcenter_chosen(self, message: JobcenterChosen) -> None:
        self.choose_jobcenter(message.jobcenter_id)


GERMAN_BINDINGS = {
    "Overview": "Übersicht",
    "Compare": "Vergleich",
    "Chart": "Diagramm",
    "Warnings": "Hinweise",
    "Month back": "Monat zurück",
    "Month fwd": "Monat vor",
    "Help": "Hilfe",
    "Explain": "Kennzahl erklären",
    "Language": "Sprache",
    "Theme": "Farbschema",
    "Refresh": "Aktualisieren",
    "Screenshot": "Bildschirmfoto",
    "Copy": "Kopieren",
    "Quit": "Beenden",
    "Mark": "Markieren",
    "Sort": "Sortieren",
    "Reverse": "Umkehren",
    "State filter": "Filter Land",
    "Carrier filter": "Filter Träger",
    "Type filter": "Filter Vergleichstyp",
    "Filter": "Textfilter",
    "Figure": "Kennzahl",
    "Span": "Zeitraum",
    "Group avg.": "Gruppenmittel",
    "Per 1,000 ELB": "je 1.000 ELB",
    "Close": "Schließen",
}


def folder_identity(folders: list[str]) -> dict[str, tuple[int, int]]:
    """(device, inode) of each folder that exists: tells a folder made anew from the old one."""
    identity = {}
    for folder in folders:
        try:
            st = os.stat(folder)
        except OSError:
            continue
        identity[folder] = (st.st_dev, st.st_ino)
    return identity


def default_screenshot_dir() -> str:
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("jctui")) / "screenshots")
