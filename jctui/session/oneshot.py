"""One-off commands (`jctui show`, `jctui export`): load, check the request, compute once.

A lookup of some Jobcenters reads only the rows its figures need where the source allows
(jctui.session.partial); otherwise, and for all Jobcenters, the whole source."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from jctui.config import Config
from jctui.engine import Engine, Figures
from jctui.errors import JctuiError
from jctui.model import Dataset
from jctui.presentation.policy import SmallCounts
from jctui.presentation.suppression import withhold
from jctui.session.as_of import check_as_of, parse_month
from jctui.session.load import dataset_of, locate, read_located
from jctui.session.lookup import resolve_queries
from jctui.session.partial import read_for_lookup


@dataclass(frozen=True)
class Lookup:
    """The figures of the requested Jobcenters at the requested month."""

    dataset: Dataset
    figures: Figures  # as they may be shown: small counts and what reveals them withheld
    ids: list[str]
    notes: list[str]  # queries that matched several Jobcenters
    metric_keys: list[str] | None  # None: every metric of the catalogue


def check_metrics(config: Config, keys: Sequence[str] | None) -> list[str] | None:
    """The `--metric` keys, checked against the catalogue (metrics and rates); None when none
    were given."""
    if not keys:
        return None
    known = [*config.metrics, *config.rates]  # rates (K2) are figures too
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise JctuiError(
            f"--metric: unknown metric {unknown[0]!r} (known: {', '.join(known)})",
            key="err_metric", metric=repr(unknown[0]), known=", ".join(known),
        )  # fmt: skip
    return list(keys)


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
) -> Lookup:
    """Load the data and compute the figures of the Jobcenters matching `queries` (all when
    none), checking `--at` and `--metric` before anything is loaded. Without `projections`
    (a table that shows projections only beside targets) they are computed only where
    there are targets."""
    as_of = parse_month(at)
    keys = check_metrics(config, metric_keys)
    located = [locate(src, config, offline=offline) for src in config.sources]
    partial = read_for_lookup(config, located, as_of, queries)
    if partial is not None:
        dataset, periods = partial
        engine = Engine.for_dataset(config, dataset, periods=periods)
    else:
        dataset = dataset_of(located, [read_located(loc, config) for loc in located])
        engine = Engine.for_dataset(config, dataset)
    as_of = check_as_of(engine.periods, as_of)
    registry = dataset.registry
    if queries:
        ids, notes = resolve_queries(registry, queries)
    else:
        ids, notes = registry.get_column("jobcenter_id").to_list(), []
    if group:
        ids = in_group(config, registry, ids, group)
    with_targets = projections or has_targets(config, dataset)
    figures = withhold(
        engine.figures(as_of, warnings_for=ids, with_targets=with_targets),
        engine,
        SmallCounts.of(config),
    )
    return Lookup(dataset, figures, ids, notes, keys)


def has_targets(config: Config, dataset: Dataset) -> bool:
    """True when any figure has a target (a targets source, or a metric's `target`)."""
    return not dataset.targets.is_empty() or any(
        m.target is not None for m in config.metrics.values()
    )
