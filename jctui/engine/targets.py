"""Targets per Jobcenter and where the year will end (year-end projection), in Polars.

For the calendar year of the as-of month t, per Jobcenter and figure (metric or rate):

- `target`: from a targets source (per Jobcenter, year and figure), else the metric's
  `target` in the config (one number for every Jobcenter);
- `target_progress_pct`: flows: year-to-date / target; stocks and rates: the value in t
  against the target level (100 = at the target), in percent;
- `projection`, where the year will end:
  flows: YTD + the rest of last year's months x (YTD / YTD of the same months last year);
  stocks: the value in t x (last December / last year's value of the month of t);
  rates: from the projected numerator and denominator over the rate's windows ending in
  December (K2: integrations January to December over the mean ELB December to November).
  In December the projection is the year's own figure. Every month the formula needs must
  be there: otherwise no projection, and `projection_problem` says why ("missing" with the
  first missing month in `projection_missing`, "zero_base": last year's base is zero,
  "no_data": no data at all);
- `projection_pct`: the projection as a percentage of the target (the attainment a kiosk
  ranks by), and `on_track`: the projection meets the target in the figure's better
  direction (null without a direction, a target or a projection); `year_complete`: t is
  December, so on track means the target was reached.

The month path behind the projections (actual months up to t, projected ones after) is
also what the chart draws (`projected_path`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

from jctui.config import MetricDef, RateDef
from jctui.engine.figures import date_index, parse_window, period_index

TARGET_COLUMNS: dict[str, pl.DataType] = {
    "jobcenter_id": pl.String(),
    "metric": pl.String(),  # a metric or a rate key
    "kind": pl.String(),  # flow | stock | rate
    "better": pl.String(),
    "year": pl.Int32(),
    "target": pl.Float64(),
    "current": pl.Float64(),  # flows: YTD; stocks and rates: the value in t
    "target_progress_pct": pl.Float64(),
    "projection": pl.Float64(),
    "projection_pct": pl.Float64(),
    "on_track": pl.Boolean(),
    "year_complete": pl.Boolean(),  # t is December: the projection is the year's figure
    "projection_problem": pl.String(),  # missing | zero_base | no_data | null
    "projection_missing": pl.Date(),  # the first missing month (problem "missing")
}
KEYS = ["jobcenter_id", "metric"]
PROJECTION_SCHEMA: dict[str, pl.DataType] = {
    "jobcenter_id": pl.String(),
    "metric": pl.String(),
    "kind": pl.String(),
    "projection": pl.Float64(),
    "missing": pl.Int32(),  # month index of the first missing month
    "zero": pl.Boolean(),
}
PATH_SCHEMA: dict[str, pl.DataType] = {
    "jobcenter_id": pl.String(),
    "metric": pl.String(),
    "period": pl.Date(),
    "value": pl.Float64(),
    "projected": pl.Boolean(),
}


def empty_target_figures() -> pl.DataFrame:
    return pl.DataFrame(schema=TARGET_COLUMNS)


def month_index(day: dt.date) -> int:
    """The running month index of `day` (as the engine indexes monthly data)."""
    return date_index(day, "month")


def index_date(idx: pl.Expr) -> pl.Expr:
    """The first day of the month with running index `idx` (months since year 0)."""
    return pl.date(idx // 12, idx % 12 + 1, 1)


def _kinds(metrics: Mapping[str, MetricDef]) -> pl.LazyFrame:
    return pl.LazyFrame(
        {
            "metric": list(metrics),
            "kind": [m.kind for m in metrics.values()],
            "better": [m.better for m in metrics.values()],
        },
        schema={"metric": pl.String, "kind": pl.String, "better": pl.String},
    )


def _m(i: int) -> str:
    return f"m{i}"


def _first_missing(cols: Sequence[int]) -> pl.Expr:
    """The first of the months `cols` (ascending) whose value is missing, else null."""
    found: list[pl.Expr] = [
        pl.when(pl.col(_m(i)).is_null()).then(pl.lit(i, pl.Int32)) for i in cols
    ]
    return pl.coalesce(found or [pl.lit(None, pl.Int32)])


def year_paths(
    values: pl.LazyFrame, metrics: Mapping[str, MetricDef], as_of: dt.date, *, first: int
) -> pl.DataFrame:
    """One row per (Jobcenter, metric) with a column per month from `first` to December of
    t's year: `p<i>` the path (the actual value up to t, the projected one after), `x<i>`
    the first missing month that value needs, and `zero` (last year's base is zero).

    Wide on purpose: every rule is then a handful of column expressions over a few
    thousand rows, with no join or window over the months. `values` has jobcenter_id,
    metric, idx (month index) and value.
    """
    t = month_index(as_of)
    y0, dec = as_of.year * 12, as_of.year * 12 + 11
    first = min(first, y0 - 12)
    past = list(range(first, t + 1))
    wide = (
        values.filter(pl.col("idx").is_between(first, t))
        .group_by("jobcenter_id", "metric")
        .agg(pl.when(pl.col("idx") == i).then(pl.col("value")).max().alias(_m(i)) for i in past)
        .with_columns(pl.col("jobcenter_id").cast(pl.String), pl.col("metric").cast(pl.String))
        .join(_kinds(metrics), on="metric", how="inner")
        .collect()
    )
    is_flow = pl.col("kind") == "flow"
    ytd, base = range(y0, t + 1), range(y0 - 12, t - 11)
    wide = wide.with_columns(
        num=pl.when(is_flow).then(pl.sum_horizontal([_m(i) for i in ytd])).otherwise(pl.col(_m(t))),
        den=pl.when(is_flow)
        .then(pl.sum_horizontal([_m(i) for i in base]))
        .otherwise(pl.col(_m(t - 12))),
        factor_missing=pl.when(is_flow)
        .then(_first_missing(sorted([*base, *ytd])))
        .otherwise(_first_missing([t - 12, t])),
    ).with_columns(
        factor=pl.when(pl.col("factor_missing").is_null() & (pl.col("den") != 0)).then(
            pl.col("num") / pl.col("den")
        ),
        zero=pl.col("factor_missing").is_null() & (pl.col("den") == 0),
    )
    paths = [pl.col(_m(i)).alias(f"p{i}") for i in past]
    missing = [
        pl.when(pl.col(_m(i)).is_null()).then(pl.lit(i, pl.Int32)).alias(f"x{i}") for i in past
    ]
    bases = []  # the month a year earlier each projected month scales: its base
    for i in range(t + 1, dec + 1):
        paths.append((pl.col(_m(i - 12)) * pl.col("factor")).alias(f"p{i}"))
        bases.append(pl.col(_m(i - 12)).alias(f"q{i}"))
        missing.append(
            pl.min_horizontal(
                pl.when(pl.col(_m(i - 12)).is_null()).then(pl.lit(i - 12, pl.Int32)),
                pl.col("factor_missing"),
            ).alias(f"x{i}")
        )
    return wide.select(*KEYS, "kind", "zero", "factor", *paths, *missing, *bases)


def _window(first: int, last: int) -> tuple[list[str], list[str]]:
    return [f"p{i}" for i in range(first, last + 1)], [f"x{i}" for i in range(first, last + 1)]


def _window_sum(first: int, last: int, t: int) -> pl.Expr:
    """The sum of the path over months `first`..`last`: the actual months as they are, the
    projected ones as the factor times the sum of their bases, so that every sum is of
    exact counts and the result the same on every run (a sum of projected months drifts
    in the last bit with the order Polars adds them in)."""
    actual = [f"p{i}" for i in range(first, min(last, t) + 1)]
    projected = [f"q{i}" for i in range(max(first, t + 1), last + 1)]
    total = pl.sum_horizontal(actual) if actual else pl.lit(0.0)
    if projected:
        total = total + pl.col("factor") * pl.sum_horizontal(projected)
    return total


def metric_projections(paths: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Flows: the sum of the path January to December; stocks: the path in December."""
    y0, dec = as_of.year * 12, as_of.year * 12 + 11
    t = month_index(as_of)
    year_p, year_x = _window(y0, dec)
    complete = pl.all_horizontal(pl.col(year_p).is_not_null())
    is_flow = pl.col("kind") == "flow"
    return paths.select(
        *KEYS,
        "kind",
        projection=pl.when(is_flow)
        .then(pl.when(complete).then(_window_sum(y0, dec, t)))
        .otherwise(pl.col(f"p{dec}")),
        missing=pl.when(is_flow).then(pl.min_horizontal(year_x)).otherwise(pl.col(f"x{dec}")),
        zero=pl.col("zero") & (t < dec),
    )


def rate_projections(
    paths: pl.DataFrame, rates: Mapping[str, RateDef], as_of: dt.date
) -> pl.DataFrame:
    """Each rate from its projected numerator (sum) and denominator (mean) over the rate's
    windows ending in December."""
    dec = as_of.year * 12 + 11
    t = month_index(as_of)
    frames = []
    for key, rate in rates.items():
        w, lag = parse_window(rate.window, "monthly").length, rate.denominator_lag
        num_p, num_x = _window(dec - w + 1, dec)
        den_p, den_x = _window(dec - lag - w + 1, dec - lag)
        parts = []
        bounds = {"num": (dec - w + 1, dec), "den": (dec - lag - w + 1, dec - lag)}
        for part, p_cols, x_cols in (("num", num_p, num_x), ("den", den_p, den_x)):
            metric = rate.numerator if part == "num" else rate.denominator
            parts.append(
                paths.filter(pl.col("metric") == metric).select(
                    "jobcenter_id",
                    pl.when(pl.all_horizontal(pl.col(p_cols).is_not_null()))
                    .then(_window_sum(*bounds[part], t))
                    .alias(part),
                    pl.min_horizontal(x_cols).alias(f"{part}_missing"),
                    pl.col("zero").alias(f"{part}_zero"),
                )
            )
        frames.append(
            parts[0]
            .join(parts[1], on="jobcenter_id", how="full", coalesce=True)
            .select(
                "jobcenter_id",
                metric=pl.lit(key, pl.String),
                kind=pl.lit("rate", pl.String),
                projection=pl.when(pl.col("den") > 0).then(
                    pl.col("num") * (rate.scale * w) / pl.col("den")
                ),
                missing=pl.min_horizontal("num_missing", "den_missing"),
                zero=(pl.col("num_zero") | pl.col("den_zero")).fill_null(False) & (t < dec),
            )
        )
    schema = pl.Schema(PROJECTION_SCHEMA)
    return pl.concat([pl.DataFrame(schema=schema), *(f.cast(schema) for f in frames)])


def target_frame(
    targets: pl.DataFrame,
    metrics: Mapping[str, MetricDef],
    jobcenter_ids: Sequence[str],
    year: int,
) -> pl.DataFrame:
    """(jobcenter_id, metric, target) for `year`: the targets source, else the config's
    per-metric target for every Jobcenter."""
    own = targets.filter(
        (pl.col("year") == year) & pl.col("jobcenter_id").is_in(list(jobcenter_ids))
    ).select([*KEYS, "target"])
    defaults = [(k, m.target) for k, m in metrics.items() if m.target is not None]
    if not defaults:
        return own
    common = pl.DataFrame(
        {"metric": [k for k, _ in defaults], "target": [v for _, v in defaults]},
        schema={"metric": pl.String, "target": pl.Float64},
    )
    everybody = pl.DataFrame(
        {"jobcenter_id": list(jobcenter_ids)}, schema={"jobcenter_id": pl.String}
    )
    base = everybody.join(common, how="cross").select([*KEYS, "target"])
    return pl.concat([base.join(own, on=KEYS, how="anti"), own])


def target_figures(
    values: pl.LazyFrame,
    targets: pl.DataFrame,
    metrics: Mapping[str, MetricDef],
    rates: Mapping[str, RateDef],
    as_of: dt.date,
    *,
    current_metrics: pl.DataFrame,
    current_rates: pl.DataFrame,
    jobcenter_ids: Sequence[str],
) -> pl.DataFrame:
    """Every column of TARGET_COLUMNS per Jobcenter and figure for the year of `as_of`
    (monthly data; `values` with an `idx` month index)."""
    year = as_of.year
    wanted = target_frame(targets, metrics, jobcenter_ids, year)
    dec = year * 12 + 11
    first = min(
        [
            dec - r.denominator_lag - parse_window(r.window, "monthly").length + 1
            for r in rates.values()
        ],
        default=dec - 11,
    )
    paths = year_paths(values, metrics, as_of, first=first)
    projections = pl.concat(
        [
            metric_projections(paths, as_of).cast(pl.Schema(PROJECTION_SCHEMA)),
            rate_projections(paths, rates, as_of),
        ]
    )
    kinds = pl.DataFrame(
        {
            "metric": [*metrics, *rates],
            # a key figure as published (a level in %) is shown and withheld as a rate is
            "_kind": ["rate" if m.is_level else m.kind for m in metrics.values()]
            + ["rate"] * len(rates),
            "better": [m.better for m in metrics.values()] + [r.better for r in rates.values()],
        },
        schema={"metric": pl.String, "_kind": pl.String, "better": pl.String},
    )
    current = pl.concat(
        [
            current_metrics.select(
                "jobcenter_id",
                "metric",
                current=pl.when(pl.col("kind") == "flow")
                .then(pl.col("ytd"))
                .otherwise(pl.col("value")),
            ),
            current_rates.select(
                "jobcenter_id", metric=pl.col("rate"), current=pl.col("value").cast(pl.Float64)
            ),
        ]
    )
    target, projection = pl.col("target"), pl.col("projection")
    better = pl.col("better")
    met = (
        pl.when(better == "higher")
        .then(projection >= target)
        .when(better == "lower")
        .then(projection <= target)
    )
    has_target = target.is_not_null() & (target != 0)
    frame = (
        projections.join(wanted, on=KEYS, how="full", coalesce=True)
        .join(kinds, on="metric", how="inner")
        .join(current, on=KEYS, how="left")
        .with_columns(
            kind=pl.coalesce("_kind", "kind"),
            year=pl.lit(year, pl.Int32),
            target_progress_pct=pl.when(has_target).then(pl.col("current") / target * 100),
            projection_pct=pl.when(has_target).then(projection / target * 100),
            on_track=pl.when(projection.is_not_null() & target.is_not_null()).then(met),
            year_complete=pl.lit(as_of.month == 12),
            projection_problem=pl.when(projection.is_not_null())
            .then(None)
            .when(pl.col("missing").is_not_null())
            .then(pl.lit("missing"))
            .when(pl.col("zero").fill_null(False))
            .then(pl.lit("zero_base"))
            .otherwise(pl.lit("no_data")),
        )
        .with_columns(
            projection_missing=pl.when(pl.col("projection_problem") == "missing").then(
                index_date(pl.col("missing"))
            )
        )
    )
    return frame.select(list(TARGET_COLUMNS)).cast(pl.Schema(TARGET_COLUMNS)).sort(KEYS)


def projected_path(
    values: pl.LazyFrame,
    metrics: Mapping[str, MetricDef],
    metric: str,
    jobcenter_ids: Sequence[str],
    as_of: dt.date,
) -> pl.DataFrame:
    """The months of t's year from t to December, per Jobcenter: the value in t and the
    projected monthly values after it (`projected`), what the chart draws as the path."""
    if metric not in metrics:
        return pl.DataFrame(schema=PATH_SCHEMA)
    t, dec = month_index(as_of), as_of.year * 12 + 11
    lf = values.filter(
        pl.col("jobcenter_id").is_in(list(jobcenter_ids)) & (pl.col("metric") == metric)
    ).with_columns(idx=period_index(pl.col("period"), "month"))
    paths = year_paths(lf, {metric: metrics[metric]}, as_of, first=t - 12)
    return (
        paths.unpivot(index=KEYS, on=[f"p{i}" for i in range(t, dec + 1)], variable_name="col")
        .with_columns(idx=pl.col("col").str.slice(1).cast(pl.Int32))
        .filter(pl.col("value").is_not_null())
        .select(
            *KEYS,
            period=index_date(pl.col("idx")),
            value=pl.col("value"),
            projected=pl.col("idx") > t,
        )
        .cast(pl.Schema(PATH_SCHEMA))
        .sort("jobcenter_id", "period")
    )


__all__ = [
    "PATH_SCHEMA",
    "TARGET_COLUMNS",
    "empty_target_figures",
    "projected_path",
    "target_figures",
    "year_paths",
]
