"""The dashboard app: one `Session` (jctui.session), its screen, and what is app-wide.

The app loads and refreshes the data in workers that report back only by messages, and
hands the results to its screen (jctui.ui.screens.dashboard), which composes and updates
itself. App-wide: the theme, the language, notifications, screenshots, "my Jobcenter".
Widgets read no application state.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.timer import Timer

from jctui.config import Config
from jctui.i18n import Lang, key_name, resolve_language, t
from jctui.locations import screenshot_dir
from jctui.presentation.text import ascii_wanted, safe_text
from jctui.session.lookups import PaletteEntry
from jctui.session.session import RefreshRequest, Session
from jctui.session.watch import FileWatcher
from jctui.ui.background import HeapFreezer, lower_background_priority
from jctui.ui.commands import JctuiCommands
from jctui.ui.messages import (
    DataLoaded,
    FiguresShown,
    LoadFailed,
    MakeMine,
    NoticePosted,
    RefreshState,
    message_for,
)
from jctui.ui.screens.dashboard import DashboardScreen
from jctui.ui.screens.help import HelpScreen, help_rows
from jctui.ui.themes import (
    ANSI_DARK,
    ANSI_LIGHT,
    HIGH_CONTRAST,
    LIGHT,
    THEMES,
    AsciiScrollBarRender,
)

if TYPE_CHECKING:
    from jctui.engine import Figures


class JctuiApp(App[None]):
    """Answers "how is my Jobcenter doing, and how does it compare?" by keyboard alone."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    NOTIFICATION_TIMEOUT = 8  # seconds: long enough to read a reason with a URL in it
    TITLE = "jctui"
    COMMANDS = {JctuiCommands}
    # the screen's keys (tabs, months) come first in the footer and the help; these after
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("i", "screen.info", "Explain", show=False),
        Binding("l", "toggle_language", "Language", show=False),
        Binding("t", "cycle_theme", "Theme", show=False),
        Binding("r", "refresh_data", "Refresh", show=False),
        Binding("ctrl+s", "save_svg", "Screenshot", show=False),
        Binding("c", "screen.copy_figure", "Copy", show=False),
        Binding("h", "make_mine", "Set as my Jobcenter", show=False),
        Binding("q", "quit", "Quit"),
    ]

    lang: reactive[Lang] = reactive("en")

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
        self.session = Session(config, as_of=as_of, today=today, my_jobcenter=self.my_jobcenter())
        self.ascii_only = ascii_wanted(bool(config.ascii if ascii_only is None else ascii_only))
        self.no_color = bool(os.environ.get("NO_COLOR"))
        self.refresh_timer: Timer | None = None
        if "TEXTUAL_ANIMATIONS" not in os.environ:  # Textual's own setting, where given
            # no animations: the tab bar's underline slid for 0.3 s after every screen
            # switch and language change, a frame every few ms (over SSH, under load: the
            # key's answer took that long to end); a scroll jumps at once too
            self.animation_level = "none"
        self.heap = HeapFreezer()
        self.register_theme(HIGH_CONTRAST)
        self.register_theme(LIGHT)
        self.set_reactive(JctuiApp.ansi_theme_light, ANSI_LIGHT)  # before the theme: it
        self.set_reactive(JctuiApp.ansi_theme_dark, ANSI_DARK)  # builds the colour filter
        self.theme = THEMES[theme_name or config.theme]
        self.set_reactive(JctuiApp.lang, resolve_language(config.language))
        self.asked_refresh = False  # `r` was pressed and not answered yet

    def my_jobcenter(self) -> str:
        """The Jobcenter the user made theirs (`h`), shown first at every start."""
        from jctui.session.state import load_my_jobcenter

        return load_my_jobcenter()

    @property
    def config(self) -> Config:
        """The session's configuration (a refresh after a change reads the new sources)."""
        return self.session.config

    @property
    def figures(self) -> Figures | None:
        """The figures shown (the session's)."""
        return self.session.figures

    @property
    def jobcenter_id(self) -> str:
        """The Jobcenter shown (the session's)."""
        return self.session.jobcenter_id

    @cached_property
    def dashboard(self) -> DashboardScreen:
        """The dashboard screen, made once (under the help, info or palette when open)."""
        return self.make_screen()

    def get_default_screen(self) -> DashboardScreen:
        return self.dashboard

    def make_screen(self) -> DashboardScreen:
        return DashboardScreen(
            self.session, lang=self.lang, ascii_only=self.ascii_only, no_color=self.no_color
        )

    def on_load(self) -> None:
        # before the screen is made: a first load and month kept in the figure store (a
        # deployment's `jctui refresh` wrote it) are read here, ~0.1 s, so the screen is
        # made with its figures: one styling, layout and render to the first frame with
        # figures, not a second round for figures arriving after it (jctui serve: 20
        # sessions starting together on 2 cores). Else the workers load and compute.
        self.session.open_stored()

    def on_mount(self) -> None:
        self.set_class(self.ascii_only, "-ascii")  # and on every screen: help, palette, toasts
        if self.ascii_only:
            ScrollBar.renderer = AsciiScrollBarRender
        if self.session.opened is not None:  # the screen shows it at its mount, figures too
            self.schedule_refresh()
        # after the first frame: the screen shows at once, even where many sessions start
        # together (jctui serve) and the loads' Polars threads would share the CPU with it
        self.call_after_refresh(self.start_loading)

    def start_loading(self) -> None:
        self.watch_files()  # first: a file changed while the load reads it is reloaded
        if self.session.opened is None:  # else loaded from the store already (`on_load`)
            self.load_data(from_cache=any(s.is_remote for s in self.config.sources))

    def on_unmount(self) -> None:
        ScrollBar.renderer = ScrollBarRender  # process-wide: back to Textual's own
        self.heap.thaw()
        self.session.close()

    # -- data: loaded in threads, reported back by messages -----------------------------

    def load_data(
        self, force: bool = True, only: frozenset[str] | None = None, from_cache: bool = False
    ) -> None:
        """Ask for a refresh (of the sources named in `only`, or all); on the UI thread."""
        if self.session.loop.queue.put(RefreshRequest(force, only, from_cache)):
            self.run_loads()

    @work(thread=True, group="load")
    def run_loads(self) -> None:
        """Refresh cycles until no request is left; reports back only by messages."""
        session, loop = self.session, self.session.loop
        while (request := loop.queue.take(loop.stopped.is_set())) is not None:
            if session.figures is not None:  # a refresh under a live screen yields the CPU
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

        if session.opened_files_changed():  # after the store's load, before watching
            self.call_from_thread(self.load_data, True)
        FileWatcher(session.watched_sources(), changed, session.loop.stopped).run()

    def on_data_loaded(self, message: DataLoaded) -> None:
        loaded, session, screen = message.loaded, self.session, self.dashboard
        if self.asked_refresh:
            self.asked_refresh = False
            self.notify(t("refreshed_new_data", self.lang), timeout=3)
        if loaded.revision_rows:
            self.notify(f"{len(loaded.revision_rows)} {t('values_revised', self.lang)}")
        shown = session.jobcenter_id
        as_of = session.accept_data(loaded)
        screen.show_source(loaded.dataset.source_label, demo=loaded.dataset.demo)
        if session.jobcenter_id != shown:
            screen.show_jobcenter()
        screen.start_compute(as_of)

    def on_refresh_state(self, message: RefreshState) -> None:
        if self.asked_refresh:  # the cycle ended without new data: say so, or why not
            self.asked_refresh = False
            if message.state.state == "fresh":
                moment = dt.datetime.now().strftime("%H:%M")
                self.notify(f"{t('refreshed_no_change', self.lang)} ({moment})", timeout=3)
            else:
                reason = safe_text(message.state.reason) or t(message.state.state, self.lang)
                self.notify(reason, severity="warning", timeout=6, markup=False)
        self.dashboard.show_sources_state(message.state)
        self.schedule_refresh()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.asked_refresh = False  # the failure is the answer
        self.dashboard.show_state(*self.session.failure_state(message.reason))
        self.notify(safe_text(message.reason), severity="error", timeout=10, markup=False)

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

    def on_figures_shown(self, message: FiguresShown) -> None:
        self.call_after_refresh(self.figures_drawn)

    def figures_drawn(self) -> None:
        """The first figures are on screen: the heap so far is frozen, and a warm
        dashboard of `jctui serve` (jctui.ui.warm_driver) may now be adopted."""
        self.heap.freeze()
        figures_shown = getattr(self._driver, "figures_shown", None)
        if figures_shown is not None:
            figures_shown()

    def action_command_palette(self) -> None:
        """The palette, its placeholder saying what it mostly finds: Jobcenters."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            placeholder = t("palette_placeholder", self.lang)
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def palette_entries(self) -> list[PaletteEntry]:
        return self.session.palette_entries()

    def choose_jobcenter(self, jobcenter_id: str) -> None:
        """The palette's choice: that Jobcenter's overview."""
        self.dashboard.choose_jobcenter(jobcenter_id)

    def take_session_state(self) -> None:
        """A warm dashboard of `jctui serve` adopted (jctui.ui.warm_driver): it learns
        its session's "my Jobcenter" only now, and shows it as a fresh start would."""
        if mine := self.session.mine_to_show(self.my_jobcenter()):
            self.choose_jobcenter(mine)

    # -- actions ---------------------------------------------------------------------

    def watch_lang(self, lang: Lang) -> None:
        self.dashboard.lang = lang

    def action_help(self) -> None:
        chain = [self.focused, *(self.focused.ancestors if self.focused else ())]
        if self not in chain:
            chain.append(self)
        rows = help_rows(chain, self.lang, ascii_only=self.ascii_only)
        rows.append((key_name("ctrl+p", self.lang), t("palette_help", self.lang)))
        self.push_screen(HelpScreen(rows, t("keys", self.lang)))

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
        self.dashboard.show_refreshing()
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

    def action_make_mine(self, jobcenter_id: str | None = None) -> None:
        """Make the shown (or the given) Jobcenter the user's: shown first at every start."""
        from jctui.session.state import save_my_jobcenter

        session = self.session
        jobcenter_id = jobcenter_id or session.jobcenter_id
        if not jobcenter_id:
            return
        name = session.name_of(jobcenter_id)
        shown = session.jobcenter_id
        session.make_mine(jobcenter_id)
        if jobcenter_id != shown:
            self.dashboard.show_jobcenter()
        try:
            save_my_jobcenter(jobcenter_id, name)
        except OSError as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.notify(f"{t('my_jobcenter_set', self.lang)}: {safe_text(name)}", markup=False)

    def on_make_mine(self, message: MakeMine) -> None:
        self.action_make_mine(message.jobcenter_id)
