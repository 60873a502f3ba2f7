"""The month cache: figures and look-ups of the shown month and its neighbours, prepared in
workers so that [ and ] only draw; and the order of compute requests (the newest wins)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jctui.session.as_of import step_as_of
from jctui.session.lookups import ATTENTION_FIELDS, FigureLookups

if TYPE_CHECKING:
    from jctui.config import Config
    from jctui.engine import Figures
    from jctui.session.loop import Loaded

PREPARED_MONTHS = 6  # months of figures kept ready (the shown one and its neighbours)


@dataclass(frozen=True)
class Computed:
    """Figures for one as-of month and their prepared look-ups; `seq` names the request."""

    figures: Figures
    lookups: FigureLookups
    seq: int


class MonthCache:
    """The last PREPARED_MONTHS months of one load, and the compute requests in order."""

    def __init__(self) -> None:
        self.seq = 0  # the newest compute request
        self.pending_as_of: dt.date | None = None  # asked for, not shown yet
        # figures, look-ups, whole (False: only what an attention line reads, `for_attention`);
        # its figures None when its look-ups were read from the store alone (`attention`)
        self.prepared: dict[dt.date, tuple[Figures | None, FigureLookups, bool]] = {}
        self.lock = threading.Lock()
        self.owner: Loaded | None = None  # the load the prepared months are of

    def next_request(self, as_of: dt.date | None) -> int:
        """A new compute request: only the newest is shown (a replaced thread worker runs
        on, and may finish after a newer one). `as_of` is pending until it is shown."""
        self.seq += 1
        self.pending_as_of = as_of
        return self.seq

    def is_newest(self, computed: Computed) -> bool:
        """True (and nothing pending) for the newest request; False for an older one."""
        if computed.seq != self.seq:
            return False
        self.pending_as_of = None
        return True

    def reset(self, data: Loaded) -> None:
        """Forget every month: `data` replaces the load they were of."""
        with self.lock:
            self.prepared.clear()
            self.owner = data

    def month(
        self,
        config: Config,
        data: Loaded,
        as_of: dt.date | None,
        shown: list[str],
        *,
        whole: bool = True,
    ) -> tuple[Figures, FigureLookups]:
        """Figures (small counts withheld) and look-ups of one month of `data`, prepared or
        read from the figure store or computed now (worker thread; a computed month and its
        look-ups are stored); `shown`: the metric keys the dashboard shows. Not `whole`: a
        month prepared for the attention line of the month after, kept with only what that
        reads."""
        from jctui.presentation.policy import SmallCounts
        from jctui.presentation.suppression import withhold
        from jctui.session.prepare import prepare_views

        month = data.resolve_as_of(as_of)
        with self.lock:
            done = self.prepared.get(month)
        if done is not None and done[0] is not None and (done[2] or not whole):
            return done[0], done[1]
        link = data.store
        stored = link.month(month) if link is not None else None
        if stored is not None and done is not None and done[0] is None and done[2]:
            # its look-ups read whole from the store already (for an attention line): the
            # figures alone are read, the views file not opened again
            self.keep(data, month, stored, done[1], True)
            return stored, done[1]
        if stored is None:  # computed (shown from the store: the sources are read first)
            engine = data.engine
            figures = withhold(engine.figures(month), engine, SmallCounts.of(config))
            link = data.writable_store
            if link is not None:
                link.save(figures)  # the next session (or step) reads it
        else:
            figures = stored
        only = None if whole else ATTENTION_FIELDS
        views = link.views(month, shown, only) if link is not None and stored is not None else None
        if views is None:  # a stored month's from the data as they may be shown (the same)
            dataset = data.shown_data() if stored is not None else data.source_dataset
            views = prepare_views(figures, dataset, config, shown)
            link = data.writable_store
            if link is not None:
                link.save_views(month, shown, views)
        result = (figures, views if whole else views.for_attention())
        self.keep(data, month, figures, result[1], whole)
        return result

    def stored(
        self, config: Config, data: Loaded, as_of: dt.date | None, shown: list[str]
    ) -> tuple[Figures, FigureLookups] | None:
        """Figures and look-ups of one month as the figure store keeps them, nothing computed
        or prepared (read before the first frame, on the UI thread); None when either is not
        kept (`month` then computes it in a worker)."""
        link = data.store
        if link is None:
            return None
        month = data.resolve_as_of(as_of)
        figures = link.month(month)
        views = link.views(month, shown) if figures is not None else None
        if figures is None or views is None:
            return None
        self.keep(data, month, figures, views, True)
        return figures, views

    def stored_attention(
        self, data: Loaded, as_of: dt.date, shown: list[str]
    ) -> FigureLookups | None:
        """What the attention line of the month after reads of `as_of`, as the figure store
        keeps it (read before the first frame, nothing computed); None when not kept. Its
        look-ups are read whole (the fields by Jobcenter stay in the file: no more work
        than a few), so that a step there reads only its figures (`month`)."""
        link = data.store
        month = data.resolve_as_of(as_of)
        views = link.views(month, shown) if link is not None else None
        if views is not None:
            self.keep(data, month, None, views, True)
        return views

    def attention(
        self, config: Config, data: Loaded, as_of: dt.date, shown: list[str]
    ) -> FigureLookups:
        """What the attention line of the month after reads of `as_of` (worker thread): from
        the figure store's kept look-ups alone when there (the month's figures not read;
        the look-ups whole, as `stored_attention` reads them), else as `month` prepares it."""
        month = data.resolve_as_of(as_of)
        with self.lock:
            done = self.prepared.get(month)
        if done is not None:
            return done[1]
        views = self.stored_attention(data, month, shown)
        if views is None:
            return self.month(config, data, month, shown, whole=False)[1]
        return views

    def keep(
        self,
        data: Loaded,
        month: dt.date,
        figures: Figures | None,
        lookups: FigureLookups,
        whole: bool,
    ) -> None:
        """Keep a prepared month of `data` (unless a newer load replaced it meanwhile)."""
        with self.lock:
            if self.owner is not data:
                return
            self.prepared[month] = (figures, lookups, whole)
            while len(self.prepared) > PREPARED_MONTHS:
                del self.prepared[next(iter(self.prepared))]

    def ready(self, data: Loaded, as_of: dt.date | None) -> tuple[Figures, FigureLookups] | None:
        """Figures and look-ups of `as_of` of `data` when prepared whole (a prefetch, a step
        before), nothing read or computed (the UI thread: a dict look-up); else None."""
        month = data.resolve_as_of(as_of)
        with self.lock:
            done = self.prepared.get(month) if self.owner is data else None
        if done is None or done[0] is None or not done[2]:
            return None
        return done[0], done[1]

    def prepared_lookups(self, data: Loaded, month: dt.date) -> FigureLookups | None:
        """The look-ups of `month` of `data` if prepared (by a step or a prefetch), else None."""
        with self.lock:
            done = self.prepared.get(month) if self.owner is data else None
        return None if done is None else done[1]

    def neighbours(self, data: Loaded, figures: Figures) -> list[dt.date]:
        """The months before and after the one shown: those a prefetch prepares."""
        periods = data.periods
        steps = (step_as_of(periods, figures.as_of, step) for step in (-1, 1))
        return [month for month in steps if month is not None]
