"""Preparing the look-ups of one set of figures, in the compute worker.

The UI thread then only looks things up in dicts. A Polars query on the UI thread waits
for Polars' thread pool, which a background recompute of a large source keeps busy: the
compare table's rebuild took 80-190 ms that way (7 ms when idle), and a key pressed
meanwhile waited for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import polars as pl

from jctui.presentation.policy import SmallCounts, headline_expr, headline_field_expr
from jctui.presentation.ranking import standings_by_figure
from jctui.presentation.references import state_figures
from jctui.presentation.suppression import WITHHELD
from jctui.presentation.text import SPARK_PERIODS
from jctui.session.lookups import FigureLookups, Row, Sparks

SPARK_SCHEMA = pl.Schema(
    {"jobcenter_id": pl.String(), "metric": pl.String(), "value": pl.List(pl.Float64())}
)

if TYPE_CHECKING:
    from jctui.config import Config, RateDef
    from jctui.engine import Figures
    from jctui.model import Dataset


def prepare_views(
    figures: Figures, dataset: Dataset, config: Config, shown: Sequence[str]
) -> FigureLookups:
    """Every view of the figures the screens use (runs in the worker); `shown`: the metrics
    the dashboard shows (`Session.shown_figures`), the first count of them gives the compare
    table's change and trend."""
    counts = SmallCounts.of(config)
    sparks = spark_frame(
        dataset.values, figures, list(config.metrics), counts,
        registry=dataset.registry, rates=config.rates,
    )  # fmt: skip
    return FigureLookups(
        sparks=as_sparks(sparks),
        metrics=by_jobcenter(figures.metrics, "metric"),
        rates=by_jobcenter(figures.rates, "rate"),
        warning_counts=counts_by_jobcenter(figures.warnings),
        compare_rows=compare_rows(figures, dataset, sparks, config, shown),
        warning_rows=with_names(figures.warnings, dataset.registry),
        targets=by_jobcenter(figures.targets, "metric"),
        target_rankings=target_rankings(figures.targets, dataset.registry),
        published_withheld=published_withheld(dataset, figures),
        states=state_figures(dataset, config, figures.as_of),
    )


def published_withheld(dataset: Dataset, figures: Figures) -> dict[str, frozenset[str]]:
    """Per Jobcenter, the metrics whose value at the as-of month the publisher withheld."""
    cells = dataset.withheld_at(figures.as_of)
    grouped = cells.group_by("jobcenter_id").agg(pl.col("metric").unique())
    return {jc: frozenset(metrics) for jc, metrics in grouped.iter_rows()}


def target_rankings(targets: pl.DataFrame, registry: pl.DataFrame) -> dict[str, list[Row]]:
    """Per figure, the Jobcenters with a target ranked by attainment (projection / target)
    in the figure's better direction, best first, those without a projection last; with
    their registry columns (name and the comparison groups) for the kiosk's targets page."""
    score = (
        pl.when(pl.col("better") == "lower")
        .then(-pl.col("projection_pct"))
        .otherwise(pl.col("projection_pct"))
    )
    ranked = (
        targets.filter(pl.col("target").is_not_null() & (pl.col("better") != "none"))
        .join(registry, on="jobcenter_id", how="left")
        .with_columns(_score=score)
        .sort(["metric", "_score", "name"], descending=[False, True, False], nulls_last=True)
        .drop("_score")
    )
    return {
        str(key[0]): part.to_dicts() for key, part in ranked.group_by("metric", maintain_order=True)
    }


def by_jobcenter(frame: pl.DataFrame, key: str) -> dict[str, dict[str, Row]]:
    """Rows of a figures frame as {jobcenter_id: {metric or rate: row}}."""
    out: dict[str, dict[str, Row]] = {}
    for row in frame.iter_rows(named=True):
        out.setdefault(row["jobcenter_id"], {})[row[key]] = row
    return out


def counts_by_jobcenter(rows: pl.DataFrame) -> dict[str, dict[str, int]]:
    """How many rows (warnings, revised values) each Jobcenter has per metric."""
    counts: dict[str, dict[str, int]] = {}
    if rows.height:
        for jobcenter_id, metric, count in (
            rows.group_by("jobcenter_id", "metric").len().iter_rows()
        ):
            counts.setdefault(jobcenter_id, {})[metric] = count
    return counts


def with_names(rows: pl.DataFrame, registry: pl.DataFrame) -> list[Row]:
    """Warning or revision rows as dicts, each with the name of its Jobcenter."""
    names = registry.select("jobcenter_id", "name")
    return rows.join(names, on="jobcenter_id", how="left", maintain_order="left").to_dicts()


def as_sparks(frame: pl.DataFrame) -> Sparks:
    """A spark frame as {(jobcenter_id, metric): values}, as the screens look it up."""
    return {(r["jobcenter_id"], r["metric"]): r["value"] for r in frame.iter_rows(named=True)}


def spark_frame(
    values: pl.DataFrame,
    figures: Figures,
    metric_keys: Iterable[str],
    counts: SmallCounts,
    jobcenter_ids: Iterable[str] | None = None,
    *,
    registry: pl.DataFrame | None = None,
    rates: Mapping[str, RateDef] | None = None,
) -> pl.DataFrame:
    """The last 24 periods of every (Jobcenter, metric) up to the as-of period, for the
    sparklines, as (jobcenter_id, metric, value: list); gaps and withheld small counts null.
    Rates (K2, given with the registry) are figures too: their month-by-month values, keyed
    by the rate's key."""
    periods = [p for p in figures.periods if p <= figures.as_of][-SPARK_PERIODS:]
    if not periods:
        return pl.DataFrame(schema=SPARK_SCHEMA)
    wanted = pl.col("period").is_in(periods) & pl.col("metric").is_in(list(metric_keys))
    if jobcenter_ids is not None:
        wanted &= pl.col("jobcenter_id").is_in(list(jobcenter_ids))
    rows = (
        values.lazy()
        .filter(wanted)
        .select("jobcenter_id", "metric", "period", value=counts.expr(pl.col("value")))
        .collect()
    )
    if rates and registry is not None:
        from jctui.engine import rate_series

        ids = None if jobcenter_ids is None else list(jobcenter_ids)
        rows = pl.concat(
            [rows]
            + [
                rate_series(  # from the shown counts: a withheld one leaves a gap
                    values.lazy().with_columns(counts.expr(pl.col("value"))),
                    registry,
                    rate=rate,
                    jobcenter_ids=ids,
                    as_of=figures.as_of,
                    periods=SPARK_PERIODS,
                    with_group_mean=False,
                )
                .filter(pl.col("period").is_in(periods))
                .select("jobcenter_id", metric=pl.lit(key), period="period", value="value")
                for key, rate in rates.items()
            ]
        )
    keys = rows.select("jobcenter_id", "metric").unique()
    return (
        keys.join(pl.DataFrame({"period": periods}), how="cross")
        .join(rows, on=["jobcenter_id", "metric", "period"], how="left")
        .sort("period")
        .group_by("jobcenter_id", "metric")
        .agg(pl.col("value"))
        .cast(SPARK_SCHEMA)
    )


def compare_rows(
    figures: Figures,
    dataset: Dataset,
    sparks: pl.DataFrame,
    config: Config,
    shown: Sequence[str],
) -> list[Row]:
    """One dict per Jobcenter with every compare column's value: the registry columns, the
    headline of each metric, each rate as `rate:KEY`, the first shown count's change in
    percent and its sparkline as `trend`; `withheld` names the columns withheld (shown as
    `*`: by the small-count policy, or by the publisher at the as-of month); `standing`
    each ranked figure's rank and gaps (jctui.presentation.ranking)."""
    counts = [k for k in shown if k in config.metrics and not config.metrics[k].is_level]
    first_metric = next(iter(counts or config.metrics))
    metrics = figures.metrics.with_columns(headline=headline_expr())
    headline = metrics.pivot(on="metric", index="jobcenter_id", values="headline")
    first = metrics.filter(pl.col("metric") == first_metric)
    change = first.select("jobcenter_id", change=pl.col("change_pct"))
    withheld = [
        metrics.filter(pl.col(WITHHELD).list.contains(headline_field_expr())).select(
            "jobcenter_id", column=pl.col("metric")
        ),
        first.filter(pl.col(WITHHELD).list.contains("change_pct")).select(
            "jobcenter_id", column=pl.lit("change")
        ),
        figures.rates.filter(pl.col(WITHHELD).list.contains("value")).select(
            "jobcenter_id", column=pl.format("rate:{}", pl.col("rate"))
        ),
        dataset.withheld_at(figures.as_of).select("jobcenter_id", column=pl.col("metric")),
    ]
    withheld_columns = (
        pl.concat(withheld).group_by("jobcenter_id").agg(pl.col("column").alias(WITHHELD))
    )
    table = (
        dataset.registry.join(headline, on="jobcenter_id", how="left")
        .join(change, on="jobcenter_id", how="left")
        .join(withheld_columns, on="jobcenter_id", how="left")
    )
    if figures.rates.height:
        rates = figures.rates.pivot(on="rate", index="jobcenter_id", values="value")
        table = table.join(
            rates.rename({k: f"rate:{k}" for k in rates.columns if k != "jobcenter_id"}),
            on="jobcenter_id",
            how="left",
        )
    trends = sparks.filter(pl.col("metric") == first_metric).select(
        "jobcenter_id", trend=pl.col("value")
    )
    rows = table.join(trends, on="jobcenter_id", how="left", maintain_order="left").to_dicts()
    ranked = standings_by_figure(figures, [k for k in shown if k in config.metrics], rate=False)
    rate_keys = figures.rates.get_column("rate").unique().to_list()
    by_rate = standings_by_figure(figures, rate_keys, rate=True)
    ranked.update({f"rate:{key}": by_id for key, by_id in by_rate.items()})
    for row in rows:
        jc = row["jobcenter_id"]
        row["standing"] = {key: by_id[jc] for key, by_id in ranked.items() if jc in by_id}
    return rows
