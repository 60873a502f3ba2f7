"""The refresh loop: one refresh of the sources at a time, and what it yields.

The app's load worker takes requests from `RefreshLoop.queue` and runs `cycle` for each
(slow: reading, Polars); the events it yields go back to the UI thread as messages.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jctui.config import Config

if TYPE_CHECKING:
    import polars as pl

    from jctui.engine import Engine
    from jctui.model import Dataset
    from jctui.session.refresh import Notice, Refresher
    from jctui.session.store_link import StoreLink

Row = dict[str, Any]


class Deferred:
    """The sources' data and engine of a load shown from the figure store, read only when
    something needs them (a month not stored): a session on a stored revision reads no
    source (worker thread; read once, by the first that asks)."""

    def __init__(self, config: Config, link: StoreLink) -> None:
        self.config = config
        self.link = link
        self.lock = threading.Lock()
        self.done: tuple[Dataset, Engine] | None = None
        self.matches = True  # the sources read are the data of the store
        self.shown_lock = threading.Lock()
        self.shown_done: Dataset | None = None

    def get(self) -> tuple[Dataset, Engine]:
        """The sources' dataset and its engine, read now if not read before."""
        with self.lock:
            if self.done is None:
                self.done = self.read()
            return self.done

    def shown(self) -> Dataset:
        """The stored data with every value as it may be shown, read when first asked."""
        with self.shown_lock:
            if self.shown_done is None:
                self.shown_done = self.link.data.shown_dataset()
            return self.shown_done

    def read(self) -> tuple[Dataset, Engine]:
        from jctui.engine import Engine
        from jctui.session.load import load_dataset
        from jctui.session.store_link import fingerprint

        dataset = load_dataset(self.config)
        engine = Engine.for_dataset(self.config, dataset)
        # the files changed since the store was found (the watcher's reload follows): the
        # months computed from them are not stored under the store's revision
        self.matches = fingerprint(dataset, self.config) == self.link.data.fingerprint
        return dataset, engine


@dataclass(frozen=True)
class Loaded:
    """A finished load, with the lookups the UI needs built in the worker. Shown from the
    figure store (`deferred`), `dataset` holds the values as they may be shown and the
    sources are read only when a month is not stored (`engine`, `source_dataset`)."""

    dataset: Dataset
    computing: Engine | Deferred
    jobcenters: dict[str, Row]  # registry rows by id
    revised: dict[str, dict[str, int]]  # revised values by Jobcenter and metric
    revision_rows: list[Row]  # revised values as rows for the warnings screen
    # the metrics the data has (Dataset.shown_metrics), computed once in the worker
    present: frozenset[str] = frozenset()
    # the Jobcenter each configured query names (default_jobcenter, the kiosk's pages)
    matches: dict[str, str | None] = field(default_factory=dict)
    # the stored revision of these data: months read from it, not computed (store_link)
    store: StoreLink | None = None
    # figures a failed cross-check left out: (jobcenter_id, YYYY-MM, metric) -> its message
    refused: dict[tuple[str, str, str], str] = field(default_factory=dict)

    @property
    def periods(self) -> tuple[dt.date, ...]:
        """Every period of the data, sorted (the engine's; the store's when shown from it)."""
        computing = self.computing
        return computing.link.data.periods if isinstance(computing, Deferred) else computing.periods

    @property
    def engine(self) -> Engine:
        """The engine of the sources' data (read first when shown from the store)."""
        computing = self.computing
        return computing.get()[1] if isinstance(computing, Deferred) else computing

    @property
    def source_dataset(self) -> Dataset:
        """The sources' data as read (read first when shown from the store)."""
        computing = self.computing
        return computing.get()[0] if isinstance(computing, Deferred) else self.dataset

    def shown_data(self) -> Dataset:
        """The data as they may be shown, with every value: shown from the figure store,
        `dataset` holds only a row of every metric and the values are read when first asked
        (a chart, the look-ups of a month not kept; worker thread)."""
        computing = self.computing
        return computing.shown() if isinstance(computing, Deferred) else self.dataset

    @property
    def from_store(self) -> bool:
        """True when shown from the figure store without reading the sources (yet)."""
        return isinstance(self.computing, Deferred)

    @property
    def writable_store(self) -> StoreLink | None:
        """The store a month computed from this load's sources is kept in (None: none, or
        the sources read no longer the store's data)."""
        computing = self.computing
        return None if isinstance(computing, Deferred) and not computing.matches else self.store

    def resolve_as_of(self, as_of: dt.date | None) -> dt.date:
        """The period shown for `as_of` (None: the latest), as the engine resolves it."""
        computing = self.computing
        if not isinstance(computing, Deferred):
            return computing.resolve_as_of(as_of)
        from jctui.config.calendar import resolve_month

        return resolve_month(self.periods[-1], computing.link.data.frequency, as_of)


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


class RefreshLoop:
    """The sources' refresher, the queue of requests and the stop signal of one session."""

    def __init__(self) -> None:
        self.refresher: Refresher | None = None  # made in the worker: Polars loads there
        self.queue = RefreshQueue()
        self.stopped = threading.Event()

    def cycle(
        self, config: Config, request: RefreshRequest, current: Callable[[], Loaded | None]
    ) -> Iterator[Event | Notice]:
        """One refresh of the due sources (all when forced): what happened, in order.
        `current` gives the load on screen when asked (the cache's may be taken in meanwhile)."""
        refresher = self.refresher_of(config)
        try:
            started = time.time_ns()  # a file changed after this is not what was read
            on_screen = current()
            if on_screen is None and not request.from_cache:
                stored = self.stored(config)
                if stored is not None:  # its files are the stored revision: none is read
                    yield from stored
                    return
            if on_screen is not None and on_screen.from_store and not refresher.read_all():
                request = RefreshRequest(True, None, request.from_cache)  # read every source
            if request.from_cache:
                cached = refresher.load_cache()
                if cached is not None:
                    yield loaded(config, cached, None, started)
                    yield SourcesState(*refresher.summary())
            dataset, notices, changed = refresher.refresh(force=request.force, only=request.only)
            state = SourcesState(*refresher.summary())
            on_screen = current()
            shown = on_screen.dataset if on_screen is not None else None
            if on_screen is not None and on_screen.from_store and dataset is not None:
                changed = shown_changed(config, on_screen, dataset)
            elif changed and shown is not None and dataset is not None:
                changed = not same_data(shown, dataset)  # a file read again, unchanged
            if dataset is None:
                yield RefreshFailed(state.reason or "no data")
            elif changed or shown is None:
                revisions = revised_values(config, on_screen, dataset)
                yield loaded(config, dataset, revisions, started)
            yield from notices
            yield state
        except Exception as exc:  # any failure keeps the last good data on screen
            yield RefreshFailed(str(exc) or type(exc).__name__)

    def refresher_of(self, config: Config) -> Refresher:
        """The sources' refresher (made anew for another configuration)."""
        from jctui.session.refresh import Refresher

        if self.refresher is None or self.refresher.config is not config:
            self.refresher = Refresher(config, now=time.monotonic)
        return self.refresher

    def stored(self, config: Config) -> tuple[Loaded, SourcesState] | None:
        """The first load shown from the figure store, when the sources' files are a stored
        revision (none is read; jctui.session.store_link.stored_load), and the data state
        after it; None when not stored or a source was read already."""
        from jctui.session.store_link import stored_load

        refresher = self.refresher_of(config)
        if refresher.read_any():
            return None
        link = stored_load(config)
        if link is None:
            return None
        load = loaded_from_store(config, link)
        refresher.mark_fresh()
        return load, SourcesState(*refresher.summary())

    def seconds_to_next(self) -> float:
        """Until the next source is due (an HTTP interval or a retry); inf: none is."""
        return self.refresher.seconds_to_next() if self.refresher is not None else float("inf")

    def close(self) -> None:
        self.stopped.set()
        if self.refresher is not None:
            self.refresher.close()


def loaded(
    config: Config,
    dataset: Dataset,
    revisions: pl.DataFrame | None,
    started_ns: int | None = None,
) -> Loaded:
    """A finished load with the engine prepared, the lookups built (in the worker, so the
    UI thread runs no Polars query: it would wait for Polars' busy pool) and its figure
    store linked (`started_ns`: when the load began; see `link_load`)."""
    import polars as pl

    from jctui.engine import Engine
    from jctui.model import refused_figures
    from jctui.session.prepare import counts_by_jobcenter, with_names
    from jctui.session.store_link import link_load

    engine = Engine.for_dataset(config, dataset)
    link = link_load(config, dataset, engine, started_ns)
    if link is None:  # once per load, in the worker: the warnings screen is instant
        engine.data_warnings()
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
        configured_matches(config, dataset),
        link,
        refused_figures(dataset.rejected),
    )


def loaded_from_store(config: Config, link: StoreLink) -> Loaded:
    """A load shown from the figure store (jctui.session.store_link.stored_load): the stored
    data, a row of every metric as their values (the values as they may be shown are read
    when needed: `Loaded.shown_data`); the sources are read when a month is not stored
    (`Deferred`)."""
    dataset = link.data.first_rows_dataset()
    jobcenters = {r["jobcenter_id"]: r for r in dataset.registry.iter_rows(named=True)}
    return Loaded(
        dataset,
        Deferred(config, link),
        jobcenters,
        {},
        [],
        dataset.shown_metrics,
        configured_matches(config, dataset),
        link,
        dict(link.data.refused),
    )


def configured_matches(config: Config, dataset: Dataset) -> dict[str, str | None]:
    """The Jobcenter each query of the config names (in the worker: a kiosk rotating
    its pages then runs no Polars search on the UI thread)."""
    from jctui.session.lookup import first_match

    kiosk = config.kiosk.playlist
    queries = {config.default_jobcenter, *(p.jobcenter for p in kiosk)}
    queries.update(q for p in kiosk for q in p.jobcenters)
    return {q: first_match(dataset.registry, q) for q in queries if q}


def revised_values(
    config: Config, on_screen: Loaded | None, dataset: Dataset
) -> pl.DataFrame | None:
    """Values of earlier periods that changed from the load on screen to `dataset`. From a
    stored revision both sides as they may be shown (the store keeps no withheld value)."""
    from jctui.engine import detect_revisions

    if on_screen is None:
        return None
    if not on_screen.from_store:
        return detect_revisions(on_screen.dataset.values, dataset.values)
    import polars as pl

    from jctui.presentation.policy import SmallCounts

    assert on_screen.store is not None
    shown = dataset.values.with_columns(SmallCounts.of(config).expr(pl.col("value")))
    return detect_revisions(on_screen.store.data.shown_dataset().values, shown)


def shown_changed(config: Config, on_screen: Loaded, dataset: Dataset) -> bool:
    """True when `dataset` is not the data of the stored revision shown (its fingerprint)."""
    from jctui.session.store_link import fingerprint

    assert on_screen.store is not None
    return fingerprint(dataset, config) != on_screen.store.data.fingerprint


def same_data(old: Dataset, new: Dataset) -> bool:
    """The same values, registry, targets, publisher's signs and aggregates (a source read
    again without a change): nothing to recompute, and `r` can say "no new data"."""
    return all(
        getattr(old, part).equals(getattr(new, part))
        for part in ("values", "registry", "targets", "missing", "aggregates")
    )
