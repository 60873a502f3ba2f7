"""One-off commands (`jctui show`, `jctui export`): load, check the request, compute once.

A lookup of some Jobcenters reads only the rows its figures need where the source allows
(jctui.session.partial); otherwise, and for all Jobcenters, the whole source."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import polars as pl

from jctui.config import Config
from jctui.config.calendar import resolve_month
from jctui.engine import Figures
from jctui.engine.figures import parse_window
from jctui.engine.targets import empty_target_figures
from jctui.errors import JctuiError
from jctui.i18n import Lang, resolve_language
from jctui.model import Dataset
from jctui.presentation.policy import SmallCounts
from jctui.presentation.suppression import withhold
from jctui.presentation.text import SPARK_PERIODS
from jctui.session import store
from jctui.session.answers import note_read
from jctui.session.as_of import check_as_of, parse_month
from jctui.session.load import (
    combine,
    dataset_of,
    labelled,
    locate,
    read_located,
    short_reason,
)
from jctui.session.located import Located
from jctui.session.lookup import resolve_queries
from jctui.session.store_link import store_enabled
from jctui.textsafe import safe_text

if TYPE_CHECKING:
    from jctui.engine import Engine

log = logging.getLogger("jctui.store")
T = TypeVar("T")


@dataclass(frozen=True)
class Lookup:
    """The figures of the requested Jobcenters at the requested month."""

    dataset: Dataset
    figures: Figures  # as they may be shown: small counts and what reveals them withheld
    ids: list[str]
    notes: list[str]  # queries that matched several Jobcenters
    metric_keys: list[str] | None  # None: every metric of the catalogue
    stored: store.StoredData | None = None  # the figure store's revision it was read from


def check_metrics(
    config: Config,
    keys: Sequence[str] | None,
    lang: Lang = "en",
    figures: Mapping[str, str] | None = None,
) -> list[str] | None:
    """The `--metric` keys, checked against the catalogue (metrics and rates) and the
    figures the data have that the catalogue lacks (`figures`: key -> label, as read under
    their label: "SGB II-Quote" -> sgb_ii_quote); None when none were given. An unknown one
    is an error naming the close keys (by key or label), not all of them."""
    labels = {k: m.label(lang) for k, m in config.metrics.items()}
    labels.update({k: r.label(lang) for k, r in config.rates.items()})  # K2 is a figure too
    labels.update({k: v for k, v in (figures or {}).items() if k not in labels})
    for key in keys or ():
        if key in labels:
            continue
        wanted = key.casefold()
        close = difflib.get_close_matches(wanted, list(labels), n=4, cutoff=0.5)
        by_label = [k for k, label in labels.items() if wanted and wanted in label.casefold()]
        named = list(dict.fromkeys([*by_label, *close]))[:4]
        hint = ", ".join(f"{k} ({safe_text(labels[k])})" for k in named)
        raise JctuiError(
            f"--metric: unknown metric {safe_text(key)!r}"
            + (f"; close: {hint}" if hint else f"; no close key of the {len(labels)} known"),
            key="err_metric_close" if hint else "err_metric_none",
            metric=repr(safe_text(key)), close=hint, count=str(len(labels)),
        )  # fmt: skip
    return list(keys) if keys else None


def in_catalogue(config: Config, keys: Sequence[str] | None) -> bool:
    """True when every `--metric` key is the catalogue's (checked before anything is read);
    a key it lacks may be a figure a file has under its label: checked once the data are."""
    return all(k in config.metrics or k in config.rates for k in keys or ())


def in_group(config: Config, registry: pl.DataFrame, ids: list[str], group: str) -> list[str]:
    """The ids that belong to one comparison group (`--group IIa`); an error for no such group."""
    members = set(
        registry.filter(pl.col(config.group_by) == group).get_column("jobcenter_id").to_list()
    )
    if not members:
        groups = sorted(registry.get_column(config.group_by).drop_nulls().unique().to_list())
        raise JctuiError(
            f"--group {group!r}: no such {config.group_by} (known: {', '.join(groups)})",
            key="err_group", group=repr(group), known=", ".join(groups),
        )  # fmt: skip
    return [i for i in ids if i in members]


def run_lookup(
    config: Config,
    *,
    at: str | None,
    queries: Sequence[str] = (),
    metric_keys: Sequence[str] | None = None,
    group: str | None = None,
    offline: bool = False,
    projections: bool = True,
    lang: Lang = "en",
) -> Lookup:
    """Load the data and compute the figures of the Jobcenters matching `queries` (all when
    none), checking `--at` and the catalogue's `--metric` keys before anything is loaded
    (a key the catalogue lacks once the data are: a figure a file has under its label). Without `projections`
    (a table that shows projections only beside targets) they are computed only where
    there are targets."""
    as_of = parse_month(at)
    keys = list(metric_keys) if metric_keys else None
    if in_catalogue(config, keys):
        keys = check_metrics(config, metric_keys)
    located = [locate(src, config, offline=offline) for src in config.sources]
    note_read(config, located)  # a repeat of this lookup prints its answer (session.answers)
    key = store.store_key(config, located) if store_enabled() else None
    partial = None
    if key is None or (queries and not _known(config, key)):
        # the first lookup of a revision reads only the rows it needs (the filter pushed
        # into the scan); the next one computes every Jobcenter once and keeps the store
        from jctui.session.partial import read_for_lookup  # the readers: not for the store

        partial = read_for_lookup(config, located, as_of, queries)
        if partial is not None and key is not None:
            _saved(lambda: _mark_seen(config, key))
    stored = from_store(config, located, as_of, key) if key and partial is None else None
    if stored is not None:
        data, figures = stored
        ids, notes = _ids(config, data.dataset.registry, queries, group)
        values = data.lookup_values(ids, figures.as_of, lookback(config, data.frequency))
        dataset = labelled(dataclasses.replace(data.dataset, values=values), located)
        check_metrics(config, keys, lang, dataset.label_of)
        if not (projections or has_targets(config, dataset)):
            figures = dataclasses.replace(figures, targets=empty_target_figures())
        return Lookup(dataset, figures, ids, notes, keys, data if data.folder.name else None)
    from jctui.engine import Engine  # computing: not for a lookup the store answers

    if partial is not None:
        dataset, periods = partial
        engine = Engine.for_dataset(config, dataset, periods=periods)
    else:
        dataset = dataset_of(located, [read_located(loc, config) for loc in located])
        engine = Engine.for_dataset(config, dataset)
    check_metrics(config, keys, lang, dataset.label_of)  # and the figures the data have
    as_of = check_as_of(engine.periods, as_of)
    ids, notes = _ids(config, dataset.registry, queries, group)
    with_targets = projections or has_targets(config, dataset)
    figures = withhold(
        engine.figures(as_of, warnings_for=ids, with_targets=with_targets),
        engine,
        SmallCounts.of(config),
    )
    return Lookup(dataset, figures, ids, notes, keys)


def _ids(
    config: Config, registry: pl.DataFrame, queries: Sequence[str], group: str | None
) -> tuple[list[str], list[str]]:
    """The ids of the Jobcenters matching `queries` (all when none) in `group`, and notes."""
    if queries:
        ids, notes = resolve_queries(registry, queries, resolve_language(config.language))
    else:
        ids, notes = registry.get_column("jobcenter_id").to_list(), []
    if group:
        ids = in_group(config, registry, ids, group)
    return ids, notes


def _known(config: Config, key: store.StoreKey) -> bool:
    """True when this revision is stored, or a lookup has read it before."""
    root = store.store_root(config)
    return (root / key.name).is_dir() or (root / f".seen-{key.name}").is_file()


def _mark_seen(config: Config, key: store.StoreKey) -> None:
    """Remember that a lookup read this revision (older revisions of its slot forgotten)."""
    root = store.store_root(config)
    root.mkdir(mode=store.FOLDER_MODE, parents=True, exist_ok=True)
    for old in root.glob(f".seen-{key.slot}-*"):
        old.unlink(missing_ok=True)
    (root / f".seen-{key.name}").touch(mode=store.FILE_MODE)


def from_store(
    config: Config, located: Sequence[Located], as_of: dt.date | None, key: store.StoreKey
) -> tuple[store.StoredData, Figures] | None:
    """The stored data and the figures at `as_of` of every Jobcenter from the figure store,
    computed and stored first when they are not there (or not usable); None when the data
    have no periods (then the lookup computes as before)."""
    counts = SmallCounts.of(config)
    loaded: tuple[Dataset, Engine] | None = None
    data = store.read_data(config, key)
    if data is None:
        loaded = dataset, engine = _load(config, located)
        if engine.latest is None:
            return None
        data = _saved(lambda: store.write_data(config, key, dataset, engine))
        if data is None:  # not written: the lookup goes on from what was computed
            shown = dataclasses.replace(dataset, values=store.shown_values(dataset, counts))
            data = store.StoredData(shown, engine.periods, engine.frequency, Path())
    if not data.periods:
        return None
    month = resolve_month(data.periods[-1], data.frequency, check_as_of(data.periods, as_of))
    figures = store.read_month(data, key, month) if loaded is None else None
    if figures is None:
        engine = (loaded or _load(config, located))[1]
        figures = store.month_figures(engine, month, counts)
        if data.folder.name:
            written = data  # narrowed for the closure
            _saved(lambda: store.write_month(written, key, figures))
    return data, figures


def _load(config: Config, located: Sequence[Located]) -> tuple[Dataset, Engine]:
    """The whole data of the located sources (unlabelled) and their engine."""
    from jctui.engine import Engine

    dataset = combine(
        [read_located(loc, config) for loc in located], [loc.source for loc in located]
    )
    return dataset, Engine.for_dataset(config, dataset)


def _saved(write: Callable[[], T]) -> T | None:
    """Run a store write; a failure (a full disk, a folder that cannot be written) is logged
    and the lookup goes on without the store."""
    try:
        return write()
    except (OSError, pl.exceptions.PolarsError) as exc:
        log.warning("could not write the figure store: %s", short_reason(exc))
        return None


def lookback(config: Config, frequency: str) -> int:
    """How many periods the sparklines of a lookup are made of: their own and the windows of
    the rates shown in them (each a sum over its window)."""
    windows = [parse_window(w, frequency).length for w in (config.window, *rate_windows(config))]
    return SPARK_PERIODS + 2 * max(windows) + 2


def rate_windows(config: Config) -> list[str]:
    return [r.window for r in config.rates.values()]


def has_targets(config: Config, dataset: Dataset) -> bool:
    """True when any figure has a target (a targets source, or a metric's `target`)."""
    return not dataset.targets.is_empty() or any(
        m.target is not None for m in config.metrics.values()
    )
