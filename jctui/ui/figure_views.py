"""What the screens need from one set of figures, prepared in the compute worker.

The UI thread then only looks things up in dicts. A Polars query on the UI thread waits
for Polars' thread pool, which a background recompute of a large source keeps busy: the
compare table's rebuild took 80-190 ms that way (7 ms when idle), and a key pressed
meanwhile waited for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jctui.ui.lazy import pl
from jctui.views.text import SPARK_PERIODS

if TYPE_CHECKING:
    from jctui.config import Config
    from jctui.engine import Figures
    from jctui.model import Dataset

Sparks = dict[tuple[str, str], list[float | None]]


@dataclass(frozen=True)
class FigureViews:
    """Plain-Python views of a `Figures`, keyed the way the widgets look them up."""

    sparks: Sparks = field(default_factory=dict)
    metrics: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    rates: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    warning_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    compare_rows: list[dict[str, Any]] = field(default_factory=list)
    warning_rows: list[dict[str, Any]] = field(default_factory=list)


def prepare_views(figures: Figures, dataset: Dataset, config: Config) -> FigureViews:
    """Every view of the figures the screens use (runs in the worker)."""
    sparks = spark_table(dataset.values, figures, config)
    metrics: dict[str, dict[str, dict[str, Any]]] = {}
    for row in figures.metrics.iter_rows(named=True):
        metrics.setdefault(row["jobcenter_id"], {})[row["metric"]] = row
    rates: dict[str, dict[str, dict[str, Any]]] = {}
    for row in figures.rates.iter_rows(named=True):
        rates.setdefault(row["jobcenter_id"], {})[row["rate"]] = row
    return FigureViews(
        sparks=sparks,
        metrics=metrics,
        rates=rates,
        warning_counts=counts_by_jobcenter(figures.warnings),
        compare_rows=compare_rows(figures, dataset, sparks, config),
        warning_rows=figures.warnings.to_dicts(),
    )


def counts_by_jobcenter(rows: pl.DataFrame) -> dict[str, dict[str, int]]:
    """How many rows (warnings, revised values) each Jobcenter has per metric."""
    counts: dict[str, dict[str, int]] = {}
    if rows.height:
        for jobcenter_id, metric, count in (
            rows.group_by("jobcenter_id", "metric").len().iter_rows()
        ):
            counts.setdefault(jobcenter_id, {})[metric] = count
    return counts


def spark_table(values: pl.DataFrame, figures: Figures, config: Config) -> Sparks:
    """The last 24 values of every (Jobcenter, metric) up to the as-of period; gaps and
    small counts as None."""
    periods = [p for p in figures.periods if p <= figures.as_of][-SPARK_PERIODS:]
    if not periods:
        return {}
    from jctui.engine.series import hide_small_counts

    grid = pl.DataFrame({"period": periods})
    rows = (
        values.lazy()
        .filter(pl.col("period").is_in(periods) & pl.col("metric").is_in(list(config.metrics)))
        .select(
            "jobcenter_id",
            "metric",
            "period",
            value=hide_small_counts(pl.col("value"), config.small_count_threshold),
        )
        .collect()
    )
    keys = rows.select("jobcenter_id", "metric").unique()
    full = (
        keys.join(grid, how="cross")
        .join(rows, on=["jobcenter_id", "metric", "period"], how="left")
        .sort("period")
        .group_by("jobcenter_id", "metric")
        .agg(pl.col("value"))
    )
    return {(r["jobcenter_id"], r["metric"]): r["value"] for r in full.iter_rows(named=True)}


def compare_rows(
    figures: Figures, dataset: Dataset, sparks: Sparks, config: Config
) -> list[dict[str, Any]]:
    """One dict per Jobcenter with every compare column's value: the registry columns, the
    headline of each metric (12-month sum of a flow, value of a stock), each rate as
    `rate:KEY`, the first metric's change in percent and its sparkline as `trend`."""
    first_metric = next(iter(config.metrics))
    headline = figures.metrics.with_columns(
        headline=pl.when(pl.col("kind") == "flow").then(pl.col("sum_12")).otherwise(pl.col("value"))
    ).pivot(on="metric", index="jobcenter_id", values="headline")
    change = figures.metrics.filter(pl.col("metric") == first_metric).select(
        "jobcenter_id", change=pl.col("change_pct")
    )
    table = dataset.registry.join(headline, on="jobcenter_id", how="left").join(
        change, on="jobcenter_id", how="left"
    )
    if figures.rates.height:
        rates = figures.rates.pivot(on="rate", index="jobcenter_id", values="value")
        table = table.join(
            rates.rename({k: f"rate:{k}" for k in rates.columns if k != "jobcenter_id"}),
            on="jobcenter_id",
            how="left",
        )
    rows = table.to_dicts()
    for row in rows:
        row["trend"] = sparks.get((row["jobcenter_id"], first_metric), [])
    return rows
