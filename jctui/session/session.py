"""The dashboard's state without Textual: data, figures, as-of month, chosen Jobcenter.

The Textual app owns one `Session`, the one place this state is kept. Its workers call
`refresh_cycle` and `compute` (slow, Polars) and post what they yield back to the UI
thread, where `accept_data` and `accept_figures` take it in; screens then read prepared,
plain-Python look-ups from here (jctui.session.screen_data). The jobs are split: the refresh
loop (jctui.session.loop), the month cache and prefetch (jctui.session.months), the screen
data. Everything here can be driven by a test without a terminal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from jctui.config import Config, SourceDef
from jctui.config.catalogue import config_with_labels
from jctui.session.as_of import step_as_of, usable_as_of
from jctui.session.lookups import FigureLookups
from jctui.session.loop import (
    Event,
    Loaded,
    RefreshFailed,
    RefreshLoop,
    RefreshQueue,
    RefreshRequest,
    SourcesState,
    same_data,
)
from jctui.session.months import Computed, MonthCache
from jctui.session.screen_data import ScreenData

if TYPE_CHECKING:
    from jctui.engine import Figures
    from jctui.session.refresh import Notice

__all__ = [
    "Computed",
    "Event",
    "Loaded",
    "Opened",
    "RefreshFailed",
    "RefreshQueue",
    "RefreshRequest",
    "Session",
    "SourcesState",
    "same_data",
]


@dataclass(frozen=True)
class Opened:
    """A first load taken from the figure store before the screen was made (`open_stored`):
    the load, the month asked for (its figures taken too when stored), the data state."""

    loaded: Loaded
    as_of: dt.date | None
    state: SourcesState
    started_ns: int  # when its files were found to be the stored revision


class Session(ScreenData):
    """Everything the dashboard knows, and the rules to change it."""

    def __init__(
        self,
        config: Config,
        *,
        as_of: dt.date | None = None,
        today: dt.date | None = None,
        my_jobcenter: str = "",
    ) -> None:
        self.config = config
        self.requested_as_of = as_of
        self.fixed_today = today
        self.data: Loaded | None = None
        self.figures: Figures | None = None
        self.lookups = FigureLookups()
        self.jobcenter_id = ""  # the Jobcenter shown (`choose`)
        self.my_jobcenter = my_jobcenter  # the user's own (session.state); beats the config
        self.loop = RefreshLoop()
        self.months = MonthCache()
        self.opened: Opened | None = None  # the first load, if read before the screen was made

    def today(self) -> dt.date:
        return self.fixed_today or dt.date.today()

    # -- the refresh loop (worker thread) --------------------------------------------

    def refresh_cycle(self, request: RefreshRequest) -> Iterator[Event | Notice]:
        """One refresh of the due sources (all when forced): what happened, in order."""
        return self.loop.cycle(self.config, request, lambda: self.data)

    def use_config(self, config: Config) -> None:
        """Read these sources from the next refresh on (a changed configuration)."""
        self.config = config

    def shown_state(self, state: SourcesState) -> tuple[str, str, dt.datetime | None] | None:
        """(state, reason, since) the header shows after a refresh cycle; None: unchanged.
        Failing sources with data on screen are "stale", without any an "error"."""
        if state.state == "fresh":
            return ("fresh", "", state.since) if self.data is not None else None
        if state.state in ("stale", "error"):
            return ("stale" if self.data is not None else "error", state.reason, state.since)
        return None

    def failure_state(self, reason: str) -> tuple[str, str, dt.datetime | None]:
        """(state, reason, since) the header shows after a failed load or computation."""
        if self.data is None:
            return "error", reason, None
        return "stale", reason, dt.datetime.now()

    def watched_sources(self) -> tuple[SourceDef, ...]:
        """The files the file watcher watches (see jctui.session.shared)."""
        from jctui.session.shared import watched_sources

        return watched_sources(self.config)

    def seconds_to_next_refresh(self) -> float:
        return self.loop.seconds_to_next()

    def close(self) -> None:
        self.loop.close()

    # -- taking results in (UI thread) -----------------------------------------------

    def accept_data(self, loaded: Loaded) -> dt.date | None:
        """Take a load in; the as-of month to compute next (None: the latest)."""
        from jctui.session.lookup import default_jobcenter

        if self.data is not None and not loaded.revision_rows:  # keep earlier revisions
            old = self.data
            loaded = replace(loaded, revised=old.revised, revision_rows=old.revision_rows)
        self.data = loaded
        dataset = loaded.dataset  # figures the catalogue lacks, under their labels
        present = loaded.present or dataset.shown_metrics  # the worker's: no query here
        self.config = config_with_labels(self.config, present, dataset.label_of)
        self.months.reset(loaded)
        if not self.jobcenter_id or self.jobcenter_id not in loaded.jobcenters:
            query = self.config.default_jobcenter
            if self.my_jobcenter in loaded.jobcenters:
                self.jobcenter_id = self.my_jobcenter
            elif loaded.matches.get(query):  # the worker searched for it (configured_matches)
                self.jobcenter_id = str(loaded.matches[query])
            else:
                self.jobcenter_id = default_jobcenter(loaded.dataset.registry, query)
        wanted = self.requested_as_of if self.figures is None else self.figures.as_of
        return usable_as_of(loaded.periods, wanted)

    def open_stored(self) -> Opened | None:
        """At start, before the screen is made (UI thread): the first load and the figures of
        its month read from the figure store when it keeps them (~0.1 s of reading, nothing
        computed), so the screen is made with its figures and its first frame shows them;
        None when the sources' files are no stored revision (the workers load them)."""
        started = time.time_ns()  # a file changed after this is not what was shown
        try:
            stored = self.loop.stored(self.config)
        except Exception:  # the store is a shortcut: the workers load (and say what failed)
            return None
        if stored is None:
            return None
        loaded, state = stored
        as_of = self.accept_data(loaded)
        shown = self.shown_figures()[0]
        try:
            month = self.months.stored(self.config, loaded, as_of, shown)
        except Exception:  # computed in a worker then, as a month not stored
            month = None
        if month is not None:
            self.accept_figures(Computed(*month, self.next_compute(as_of)))
            # the month before too, as far as the attention line reads it: the first frame
            # has that line (else the prefetch brings it)
            before = step_as_of(loaded.periods, month[0].as_of, -1)
            if before is not None:
                with contextlib.suppress(Exception):  # else the prefetch reads it
                    self.months.stored_attention(loaded, before, shown)
        self.opened = Opened(loaded, as_of, state, started)
        return self.opened

    def opened_files_changed(self) -> bool:
        """True when a source file changed since the load read before the screen (`opened`)
        was found stored (the file watcher, which starts after the first frame, missed it)."""
        from jctui.session.store_link import files_changed_since

        opened = self.opened
        return opened is not None and files_changed_since(self.config, opened.started_ns)

    def mine_to_show(self, mine: str) -> str:
        """The user's own Jobcenter learned after the data came (a warm dashboard of `jctui
        serve` adopted by its session): kept, and returned when the data has it and another
        is shown (the caller shows it, as `accept_data` would have at a fresh start)."""
        self.my_jobcenter = mine
        data = self.data
        if mine and data is not None and mine in data.jobcenters and mine != self.jobcenter_id:
            return mine
        return ""

    def choose(self, jobcenter_id: str) -> None:
        """Show this Jobcenter (the palette, Enter on a row, the kiosk's page)."""
        self.jobcenter_id = jobcenter_id

    def make_mine(self, jobcenter_id: str) -> None:
        """The user's own Jobcenter from now on (shown first at every start), and shown."""
        self.my_jobcenter = self.jobcenter_id = jobcenter_id

    # -- the month cache (worker thread, but for `next_compute` and `accept_figures`) ---

    def next_compute(self, as_of: dt.date | None = None) -> int:
        """A new compute request for `as_of`: only the newest is shown."""
        return self.months.next_request(as_of)

    def compute(self, as_of: dt.date | None, seq: int) -> Computed:
        """Figures and their look-ups for `as_of` (worker thread)."""
        data = self.data
        assert data is not None
        shown = self.shown_figures(data)[0]
        figures, lookups = self.months.month(self.config, data, as_of, shown)
        return Computed(figures, lookups, seq)

    def prepared(self, as_of: dt.date | None) -> Computed | None:
        """A new request for `as_of` answered at once when its month is prepared (by the
        prefetch, or shown before): a step then needs no worker (UI thread); None when the
        month is to be computed (`next_compute`, then `compute` in a worker)."""
        data = self.data
        month = self.months.ready(data, as_of) if data is not None else None
        if month is None:
            return None
        return Computed(*month, self.next_compute(as_of))

    def prefetch(self, compare_rows: bool = False) -> None:
        """The months before and after the one shown (and the month before each, which a
        step there compares with), prepared ahead (worker thread, low priority): a month
        step then only draws (~130 ms of figures on the demo data saved). `compare_rows`:
        first the compare rows of the month shown (a stored month's are decoded when first
        used: 24 ms of the compare screen's key otherwise), for a screen that shows them."""
        data, figures = self.data, self.figures
        if data is None or figures is None:
            return
        if compare_rows:
            len(self.lookups.compare_rows)
        periods = data.periods
        neighbours = self.months.neighbours(data, figures)
        stepped_to = {figures.as_of, *neighbours}  # the others only for an attention line
        for neighbour in neighbours:
            # a step there also shows its attention line, against the month before it
            for month in dict.fromkeys([neighbour, step_as_of(periods, neighbour, -1)]):
                if self.data is not data or self.figures is not figures:
                    return  # another month or new data is shown: its own prefetch follows
                if month is not None:
                    shown = self.shown_figures(data)[0]
                    if month in stepped_to:
                        self.months.month(self.config, data, month, shown)
                    else:  # read from the store without its figures when kept there
                        self.months.attention(self.config, data, month, shown)

    def accept_figures(self, computed: Computed) -> bool:
        """Take new figures in; False for an older request that finished after a newer one."""
        if not self.months.is_newest(computed):
            return False
        self.figures, self.lookups = computed.figures, computed.lookups
        return True

    def stepped(self, step: int) -> dt.date | None:
        """The as-of month `step` months from the one asked for last (shown or still being
        computed), so that six quick presses move six months (None: nothing to do)."""
        if self.data is None or self.figures is None:
            return None
        start = self.months.pending_as_of or self.figures.as_of  # quick presses add up
        return step_as_of(self.data.periods, start, step)
