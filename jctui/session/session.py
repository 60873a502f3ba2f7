"""The dashboard's state without Textual: data, figures, as-of month, chosen Jobcenter.

The Textual app owns one `Session`. Its workers call `refresh_cycle` and `compute` (slow,
Polars) and post what they yield back to the UI thread, where `accept_data` and
`accept_figures` take it in; screens then read prepared, plain-Python views from here.
Everything in this class can be driven by a test without a terminal.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from jctui.config import Config, SourceDef
from jctui.i18n import Lang, fmt_period
from jctui.presentation.headline import HeadlineFigure, headline_figures
from jctui.presentation.tiles import (
    OverviewData,
    TileData,
    copy_line,
    jobcenter_facts,
    metric_tile,
    rate_tile,
    told_apart,
)
from jctui.session.as_of import step_as_of, usable_as_of
from jctui.session.views import FigureViews, PaletteEntry

PREPARED_MONTHS = 6  # months of figures kept ready (the shown one and its neighbours)

if TYPE_CHECKING:
    import polars as pl

    from jctui.engine import Engine, Figures
    from jctui.model import Dataset
    from jctui.presentation.targets import TargetsPage
    from jctui.session.chart import ChartSource
    from jctui.session.refresh import Notice, Refresher

Row = dict[str, Any]


@dataclass(frozen=True)
class Loaded:
    """A finished load, with the lookups the UI needs built in the worker."""

    dataset: Dataset
    engine: Engine
    jobcenters: dict[str, Row]  # registry rows by id
    revised: dict[str, dict[str, int]]  # revised values by Jobcenter and metric
    revision_rows: list[Row]  # revised values as rows for the warnings screen
    # the metrics the data has (Dataset.shown_metrics), computed once in the worker
    present: frozenset[str] = frozenset()
    # the Jobcenter each configured query names (default_jobcenter, the kiosk's pages)
    matches: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Computed:
    """Figures for one as-of month and their prepared views; `seq` names the request."""

    figures: Figures
    views: FigureViews
    seq: int


@dataclass(frozen=True)
class SourcesState:
    """The data state over all sources after a refresh cycle (the worst wins)."""

    state: str  # loading | fresh | stale | error
    reason: str
    since: dt.datetime | None
    retry_in: float | None


@dataclass(frozen=True)
class RefreshFailed:
    """A load or refresh failed; the last good data stays on screen."""

    reason: str


Event = Loaded | SourcesState | RefreshFailed


@dataclass(frozen=True)
class RefreshRequest:
    force: bool = True
    only: frozenset[str] | None = None  # source names; None: all
    from_cache: bool = False


@dataclass
class RefreshQueue:
    """Refresh requests, merged while one runs: one refresh at a time, in order, and a burst
    of file changes never ties up a thread per change."""

    pending: RefreshRequest | None = None
    running: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, request: RefreshRequest) -> bool:
        """Queue a request; True when no worker runs and the caller must start one."""
        with self.lock:
            old = self.pending
            if old is None:
                self.pending = request
            else:
                names = (
                    None if old.only is None or request.only is None else old.only | request.only
                )
                self.pending = RefreshRequest(
                    old.force or request.force, names, old.from_cache or request.from_cache
                )
            if self.running:
                return False
            self.running = True
            return True

    def take(self, stopped: bool = False) -> RefreshRequest | None:
        """The next request for the running worker; None (and not running) when done."""
        with self.lock:
            request, self.pending = self.pending, None
            if request is None or stopped:
                self.running = False
                return None
            return request


class Session:
    """Everything the dashboard knows, and the rules to change it."""

    def __init__(
        self, config: Config, *, as_of: dt.date | None = None, today: dt.date | None = None
    ) -> None:
        self.config = config
        self.requested_as_of = as_of
        self.fixed_today = today
        self.data: Loaded | None = None
        self.figures: Figures | None = None
        self.views = FigureViews()
        self.jobcenter_id = ""
        self.my_jobcenter = ""  # the user's own choice in the app (session.state); beats the config
        self.refresher: Refresher | None = None  # made in the worker: Polars loads there
        self.queue = RefreshQueue()
        self.stopped = threading.Event()
        self.compute_seq = 0
        self.pending_as_of: dt.date | None = None  # asked for, not shown yet
        # figures of recent months of the current data, so [ and ] show at once (prefetch)
        self.prepared: dict[dt.date, tuple[Figures, FigureViews]] = {}
        self.prepared_lock = threading.Lock()

    def today(self) -> dt.date:
        return self.fixed_today or dt.date.today()

    # -- loading (worker thread) -----------------------------------------------------

    def refresh_cycle(self, request: RefreshRequest) -> Iterator[Event | Notice]:
        """One refresh of the due sources (all when forced): what happened, in order."""
        from jctui.engine import detect_revisions
        from jctui.session.refresh import Refresher

        if self.refresher is None or self.refresher.config is not self.config:
            self.refresher = Refresher(self.config, now=time.monotonic)
        refresher = self.refresher
        try:
            if request.from_cache:
                cached = refresher.load_cache()
                if cached is not None:
                    yield self.loaded(cached, None)
                    yield SourcesState(*refresher.summary())
            dataset, notices, changed = refresher.refresh(force=request.force, only=request.only)
            state = SourcesState(*refresher.summary())
            current = self.data.dataset if self.data is not None else None
            if changed and current is not None and dataset is not None:
                changed = not same_data(current, dataset)  # a file read again, unchanged
            if dataset is None:
                yield RefreshFailed(state.reason or "no data")
            elif changed or current is None:
                revisions = (
                    detect_revisions(current.values, dataset.values)
                    if current is not None
                    else None
                )
                yield self.loaded(dataset, revisions)
            yield from notices
            yield state
        except Exception as exc:  # any failure keeps the last good data on screen
            yield RefreshFailed(str(exc) or type(exc).__name__)

    def loaded(self, dataset: Dataset, revisions: pl.DataFrame | None) -> Loaded:
        """A finished load with the engine prepared and the lookups built (in the worker, so
        the UI thread runs no Polars query: it would wait for Polars' busy pool)."""
        import polars as pl

        from jctui.engine import Engine
        from jctui.session.prepare import counts_by_jobcenter, with_names

        engine = Engine.for_dataset(self.config, dataset)
        engine.data_warnings()  # once per load, in the worker: the warnings screen is instant
        _ = engine.periods  # cached here: on 1M rows it is a unique + sort
        jobcenters = {r["jobcenter_id"]: r for r in dataset.registry.iter_rows(named=True)}
        revised, rows = {}, []
        if revisions is not None and revisions.height:
            revised = counts_by_jobcenter(revisions)
            rows = with_names(revisions.with_columns(kind=pl.lit("revision")), dataset.registry)
        return Loaded(
            dataset,
            engine,
            jobcenters,
            revised,
            rows,
            dataset.shown_metrics,
            self.configured_matches(dataset),
        )

    def configured_matches(self, dataset: Dataset) -> dict[str, str | None]:
        """The Jobcenter each query of the config names (in the worker: a kiosk rotating
        its pages then runs no Polars search on the UI thread)."""
        from jctui.session.lookup import first_match

        kiosk = self.config.kiosk.playlist
        queries = {self.config.default_jobcenter, *(p.jobcenter for p in kiosk)}
        queries.update(q for p in kiosk for q in p.jobcenters)
        return {q: first_match(dataset.registry, q) for q in queries if q}

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
        return self.refresher.seconds_to_next() if self.refresher is not None else float("inf")

    def close(self) -> None:
        self.stopped.set()
        if self.refresher is not None:
            self.refresher.close()

    # -- taking results in (UI thread) -----------------------------------------------

    def accept_data(self, loaded: Loaded) -> dt.date | None:
        """Take a load in; the as-of month to compute next (None: the latest)."""
        from jctui.session.lookup import default_jobcenter

        if self.data is not None and not loaded.revision_rows:  # keep earlier revisions
            old = self.data
            loaded = replace(loaded, revised=old.revised, revision_rows=old.revision_rows)
        self.data = loaded
        with self.prepared_lock:
            self.prepared.clear()
        if not self.jobcenter_id or self.jobcenter_id not in loaded.jobcenters:
            if self.my_jobcenter in loaded.jobcenters:
                self.jobcenter_id = self.my_jobcenter
            else:
                self.jobcenter_id = default_jobcenter(
                    loaded.dataset.registry, self.config.default_jobcenter
                )
        wanted = self.requested_as_of if self.figures is None else self.figures.as_of
        return usable_as_of(loaded.engine.periods, wanted)

    def next_compute(self, as_of: dt.date | None = None) -> int:
        """A new compute request: only the newest is shown (a replaced thread worker runs
        on, and may finish after a newer one). `as_of` is pending until it is shown."""
        self.compute_seq += 1
        self.pending_as_of = as_of
        return self.compute_seq

    def compute(self, as_of: dt.date | None, seq: int) -> Computed:
        """Figures and their views for `as_of` (worker thread)."""
        figures, views = self.prepared_month(as_of)
        return Computed(figures, views, seq)

    def prefetch(self) -> None:
        """The months before and after the one shown, prepared ahead (worker thread, low
        priority): a month step then only draws (~130 ms of figures on the demo data saved)."""
        data, figures = self.data, self.figures
        if data is None or figures is None:
            return
        for step in (-1, 1):
            if self.data is not data or self.figures is not figures:
                return  # another month or new data is shown: its own prefetch follows
            month = step_as_of(data.engine.periods, figures.as_of, step)
            if month is not None:
                self.prepared_month(month)

    def prepared_month(self, as_of: dt.date | None) -> tuple[Figures, FigureViews]:
        """Figures (small counts withheld) and views of one month, from the last
        PREPARED_MONTHS of the current data or computed now."""
        from jctui.presentation.policy import SmallCounts
        from jctui.presentation.suppression import withhold
        from jctui.session.prepare import prepare_views

        data = self.data
        assert data is not None
        engine = data.engine
        month = engine.resolve_as_of(as_of)
        with self.prepared_lock:
            done = self.prepared.get(month)
        if done is not None:
            return done
        figures = withhold(engine.figures(month), engine, SmallCounts.of(self.config))
        views = prepare_views(figures, data.dataset, self.config, self.shown_figures(data)[0])
        result = (figures, views)
        with self.prepared_lock:
            if self.data is data:  # not data that a newer load has replaced meanwhile
                self.prepared[month] = result
                while len(self.prepared) > PREPARED_MONTHS:
                    del self.prepared[next(iter(self.prepared))]
        return result

    def accept_figures(self, computed: Computed) -> bool:
        """Take new figures in; False for an older request that finished after a newer one."""
        if computed.seq != self.compute_seq:
            return False
        self.figures, self.views = computed.figures, computed.views
        self.pending_as_of = None
        return True

    def stepped(self, step: int) -> dt.date | None:
        """The as-of month `step` months from the one asked for last (shown or still being
        computed), so that six quick presses move six months (None: nothing to do)."""
        if self.data is None or self.figures is None:
            return None
        start = self.pending_as_of or self.figures.as_of  # quick presses add up
        return step_as_of(self.data.engine.periods, start, step)

    # -- what the screens show --------------------------------------------------------

    def registry_row(self, jobcenter_id: str) -> Row:
        return self.data.jobcenters.get(jobcenter_id, {}) if self.data is not None else {}

    def name_of(self, jobcenter_id: str) -> str:
        return str(self.registry_row(jobcenter_id).get("name") or jobcenter_id)

    def shown_figures(self, data: Loaded | None = None) -> tuple[list[str], list[str]]:
        """(metric keys, rate keys) of the tiles, compare columns and chart figures: those
        the data (the current, or `data`) has, then the key figures as published (see
        `dashboard_figures`)."""
        from jctui.config import dashboard_figures

        data = data or self.data
        present = data.present if data is not None else frozenset()
        return dashboard_figures(self.config.metrics, self.config.rates, present)

    @property
    def demo(self) -> bool:
        return self.data.dataset.demo if self.data is not None else self.config.is_demo

    def overview(self, lang: Lang, jobcenter_id: str | None = None) -> OverviewData | None:
        """The chosen (or the given) Jobcenter's name, facts and tiles."""
        from jctui.presentation.policy import SmallCounts
        from jctui.presentation.references import reference_of

        jc, figures = jobcenter_id or self.jobcenter_id, self.figures
        if figures is None or not jc or self.data is None:
            return None
        config, views = self.config, self.views
        counts = SmallCounts.of(config)
        metrics, rates = views.metrics.get(jc, {}), views.rates.get(jc, {})
        targets = views.targets.get(jc, {})
        warnings, revised = views.warning_counts.get(jc, {}), self.data.revised.get(jc, {})
        withheld = views.published_withheld.get(jc, frozenset())
        row = self.registry_row(jc)
        state = row.get("state")
        metric_keys, rate_keys = self.shown_figures()
        tiles: list[TileData] = [
            metric_tile(
                key,
                m,
                metrics.get(key, {}),
                lang=lang,
                counts=counts,
                spark=views.sparks.get((jc, key), ()),
                warnings=warnings.get(key, 0),
                revised=revised.get(key, 0),
                today=self.today(),
                overdue_months=config.refresh.overdue_months,
                target_row=targets.get(key),
                published_withheld=key in withheld,
                reference=reference_of(views.states, state, key),
            )
            for key in metric_keys
            for m in [config.metrics[key]]
        ]
        tiles += [
            rate_tile(
                key,
                r,
                rates.get(key, {}),
                lang=lang,
                counts=counts,
                spark=views.sparks.get((jc, key), ()),
                target_row=targets.get(key),
                reference=reference_of(views.states, state, key),
            )
            for key in rate_keys
            for r in [config.rates[key]]
        ]
        published = [k for k in metric_keys if config.metrics[k].optional]
        return OverviewData(
            jc,
            self.name_of(jc),
            jobcenter_facts(row, lang),
            tuple(told_apart(tiles, published, lang)),
        )

    def copy_line(self, tile: TileData, lang: Lang, jobcenter_id: str | None = None) -> str | None:
        """The figure of a tile (of the chosen or the given Jobcenter) as one line for the
        clipboard; None before any figures."""
        if self.figures is None:
            return None
        daily = self.figures.frequency == "daily"
        period = fmt_period(self.figures.as_of, lang, daily=daily)
        name = self.name_of(jobcenter_id or self.jobcenter_id)
        return copy_line(name, period, tile, lang, demo=self.demo)

    def figure_lines(self, key: str, jobcenter_ids: Sequence[str], lang: Lang) -> list[str]:
        """The figure `key` of each of these Jobcenters as clipboard lines (the chart's)."""
        lines = []
        for jc in jobcenter_ids:
            data = self.overview(lang, jc)
            tile = next((d for d in data.tiles if d.key == key), None) if data else None
            if tile is not None and (line := self.copy_line(tile, lang, jc)) is not None:
                lines.append(line)
        return lines

    def headline(self, lang: Lang) -> tuple[HeadlineFigure, ...]:
        jc = self.jobcenter_id
        metrics, rates = self.views.metrics.get(jc, {}), self.views.rates.get(jc, {})
        present = self.data.present if self.data is not None else frozenset()
        rate_keys = self.shown_figures()[1]
        return headline_figures(self.config, metrics, rates, lang, [*present, *rate_keys])

    def targets_page(
        self, metric: str, lang: Lang, *, group_by: str = "", group: str = ""
    ) -> TargetsPage | None:
        """The kiosk's targets page: Jobcenters (of `group` by `group_by`, else all) ranked
        by how far their year will reach `metric`'s target; None before any figures."""
        from jctui.presentation.policy import SmallCounts
        from jctui.presentation.targets import targets_page

        if self.figures is None:
            return None
        config = self.config
        definition = config.metrics.get(metric) or config.rates.get(metric)
        if definition is None:
            raise LookupError(f"unknown metric {metric!r}")
        kind = config.metrics[metric].kind if metric in config.metrics else "rate"
        rows = self.views.target_rankings.get(metric, [])
        if group:
            rows = [r for r in rows if r.get(group_by or config.group_by) == group]
        counts = SmallCounts.of(config)
        label = definition.label(lang)
        return targets_page(label, kind, self.figures.as_of.year, rows, counts, lang)

    def chart_source(self) -> ChartSource | None:
        from jctui.session.chart import ChartSource

        if self.data is None or self.figures is None:
            return None
        names = {k: str(r.get("name") or k) for k, r in self.data.jobcenters.items()}
        return ChartSource(self.data.dataset, self.config, self.figures.as_of, names)

    def warning_rows(self) -> list[Row]:
        """The engine's warnings at the as-of month and the revised values of the last load."""
        revisions = self.data.revision_rows if self.data is not None else []
        return self.views.warning_rows + revisions

    def palette_entries(self) -> list[PaletteEntry]:
        """What the command palette can find: every Jobcenter, with its facts."""
        if self.data is None:
            return []
        return [
            PaletteEntry(jc, str(r["name"]), f"{jc} · {r['state'] or ''} · {r['carrier'] or ''}")
            for jc, r in self.data.jobcenters.items()
        ]

    def first_match(self, query: str) -> str:
        """The id of the first Jobcenter matching `query`; the chosen one for no query."""
        from jctui.session.lookup import first_match

        if not query or self.data is None:
            return self.jobcenter_id
        matches = self.data.matches
        found = (
            matches[query] if query in matches else first_match(self.data.dataset.registry, query)
        )
        if found is None:
            raise LookupError(f"no Jobcenter matches {query!r}")
        return found


def same_data(old: Dataset, new: Dataset) -> bool:
    """The same values, registry, targets, publisher's signs and aggregates (a source read
    again without a change): nothing to recompute, and `r` can say "no new data"."""
    return all(
        getattr(old, part).equals(getattr(new, part))
        for part in ("values", "registry", "targets", "missing", "aggregates")
    )
