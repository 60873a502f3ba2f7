"""How many flagged periods each declared figure field is made of (jctui.fields).

The engine knows no rule about which periods to flag; a suppression policy flags the
periods it withholds and learns from here which fields are made of them: a span field
from its own span, a rate's fields from its numerator's and denominator's windows, a
projection from the months its formula takes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from jctui.config import MetricDef, RateDef
from jctui.engine.figures import (
    Window,
    _catalogue_frame,
    _sum_if,
    anchors,
    metric_figures,
    parse_window,
    period_index,
    span_bounds,
)
from jctui.fields import Span, fields_of, span_fields


def _counted(
    spans: Sequence[Span], series: Mapping[str, str], at: Mapping[str, int], length: int, lag: int
) -> pl.Expr:
    """The flagged periods of a rate's series (by name: numerator, denominator) in `spans`."""
    hits = [
        (pl.col("metric") == series[s.series])
        & pl.col("idx").is_between(*span_bounds(s, at, length, lag))
        for s in spans
    ]
    return _sum_if(pl.any_horizontal(hits)) if hits else pl.lit(0.0)


@dataclass(frozen=True)
class Flagged:
    """Flagged periods per declared field (Engine.flagged): `metrics` (jobcenter_id, metric,
    kind, a column per span field), `rates` (jobcenter_id, rate, a column per base field),
    `targets` (jobcenter_id, metric: a metric or rate key, projection)."""

    metrics: pl.DataFrame
    rates: pl.DataFrame
    targets: pl.DataFrame


def flagged_counts(
    as_of: dt.date,
    flags: pl.LazyFrame,
    *,
    metrics: Mapping[str, MetricDef],
    rates: Mapping[str, RateDef],
    window: Window,
    frequency: str,
) -> Flagged:
    """How many flagged periods each declared field of each figure at `as_of` is made
    of (jctui.fields: a span field's own span, a rate's numerator and
    denominator windows, a projection's months). `flags` has jobcenter_id, metric,
    period and a boolean `flag` per delivered value.

    The engine knows no rule about which periods to flag; a suppression policy uses
    this to withhold every figure made from a withheld period."""
    unit = window.unit
    lf = flags.with_columns(
        pl.col("jobcenter_id").cast(pl.String),
        pl.col("metric").cast(pl.String),
        idx=period_index(pl.col("period"), unit),
        value=pl.col("flag").cast(pl.Float64),
    )
    catalogue = _catalogue_frame(metrics)
    metric_counts = metric_figures(lf, catalogue, as_of, window, counts_only=True).select(
        "jobcenter_id", "metric", "kind", *(f.key for f in span_fields("metric"))
    )
    at = anchors(as_of, unit)
    rate_frames, target_frames = [], []
    rate_base = [f for f in fields_of("rate") if f.base]
    projection = next(f for f in fields_of("target") if f.key == "projection")
    for key, rate in rates.items():
        length = parse_window(rate.window, frequency).length
        series = {"numerator": rate.numerator, "denominator": rate.denominator}

        bounds = {"length": length, "lag": rate.denominator_lag}
        rate_frames.append(
            lf.filter(pl.col("metric").is_in(list(series.values())))
            .group_by("jobcenter_id")
            .agg(
                *(
                    _counted(f.spans_of("rate"), series, at, **bounds).alias(f.key)
                    for f in rate_base
                )
            )
            .with_columns(rate=pl.lit(key))
        )
        target_frames.append(
            lf.filter(pl.col("metric").is_in(list(series.values())))
            .group_by("jobcenter_id")
            .agg(_counted(projection.spans_of("rate"), series, at, **bounds).alias("projection"))
            .with_columns(metric=pl.lit(key))
        )
    idx = pl.col("idx")
    per_kind = {
        kind: _sum_if(
            pl.any_horizontal(
                [
                    idx.is_between(*span_bounds(s, at, window.length))
                    for s in projection.spans_of(kind)
                ]
            )
        ).alias(kind)
        for kind in ("flow", "stock")
    }
    target_frames.insert(
        0,
        lf.join(catalogue.lazy().select("metric", "kind"), on="metric")
        .group_by("jobcenter_id", "metric", "kind")
        .agg(*per_kind.values())
        .with_columns(
            projection=pl.when(pl.col("kind") == "flow")
            .then(pl.col("flow"))
            .otherwise(pl.col("stock"))
        ),
    )
    rate_schema = pl.Schema(
        {"jobcenter_id": pl.String(), "rate": pl.String()}
        | {f.key: pl.Float64() for f in rate_base}
    )
    rate_counts = pl.concat(
        [
            pl.LazyFrame(schema=rate_schema),
            *(f.select(list(rate_schema)).cast(rate_schema) for f in rate_frames),
        ]
    )
    target_schema = pl.Schema(
        {"jobcenter_id": pl.String(), "metric": pl.String(), "projection": pl.Float64()}
    )
    targets = pl.concat([f.select(list(target_schema)).cast(target_schema) for f in target_frames])
    metrics_df, rates_df, targets_df = pl.collect_all([metric_counts, rate_counts, targets])
    return Flagged(metrics_df, rates_df, targets_df)
