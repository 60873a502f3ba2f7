"""Series for sparklines and charts: the last N periods of a figure, plus the group average."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from jctui.config import RateDef
from jctui.engine.figures import date_index, detect_frequency, parse_window, period_index
from jctui.engine.ranks import fixed_mean

SERIES_SCHEMA: dict[str, pl.DataType] = {
    "series": pl.String(),
    "jobcenter_id": pl.String(),
    "period": pl.Date(),
    "value": pl.Float64(),
}
ROLLING_WINDOW = 12


def series(
    values: pl.DataFrame | pl.LazyFrame,
    registry: pl.DataFrame,
    *,
    metric: str,
    jobcenter_ids: Sequence[str],
    as_of: dt.date,
    periods: int | None = 24,
    figure: str = "value",
    group_by: str = "comparison_type",
    with_group_mean: bool = True,
) -> pl.DataFrame:
    """Long frame (series, jobcenter_id, period, value); "group:<g>" rows are the group average."""
    lf = values.lazy().filter((pl.col("metric") == metric) & (pl.col("period") <= as_of))
    frequency = detect_frequency(lf.select("period").unique().collect().get_column("period"))
    unit = parse_window(str(ROLLING_WINDOW), frequency).unit
    t = date_index(as_of, unit)
    extra = ROLLING_WINDOW - 1 if figure == "window_sum" else 0
    lowest = None if periods is None else t - periods + 1
    lf = lf.with_columns(idx=period_index(pl.col("period"), unit))
    if lowest is not None:
        lf = lf.filter(pl.col("idx") >= lowest - extra)
    wanted = list(jobcenter_ids)
    members = _group_members(registry, wanted, group_by) if with_group_mean else None
    lf_members = None if members is None else lf.join(members.lazy(), on="jobcenter_id")
    if figure == "window_sum":
        lf = _rolling_sum(lf, ROLLING_WINDOW)
        if lf_members is not None:
            lf_members = _rolling_sum(lf_members, ROLLING_WINDOW, keep=("group",))
    elif figure != "value":
        raise ValueError(f"unknown series figure {figure!r} (expected 'value' or 'window_sum')")
    own = lf.filter(pl.col("jobcenter_id").is_in(wanted)).select(
        series=pl.col("jobcenter_id"),
        jobcenter_id=pl.col("jobcenter_id"),
        period=pl.col("period"),
        value=pl.col("value"),
        idx=pl.col("idx"),
    )
    parts = [own]
    if lf_members is not None:
        parts.append(
            lf_members.group_by("group", "period", "idx")
            # a member's unknown (withheld) value makes the period's average unknown too
            .agg(
                value=pl.when(pl.col("value").is_null().any())
                .then(None)
                .otherwise(fixed_mean(pl.col("value")))
            )
            .select(*GROUP_SERIES)
        )
    return collect_series(parts, lowest)


# A group's average as a series of its own ("group:IIb"), in the columns of SERIES_SCHEMA.
GROUP_SERIES = (
    pl.format("group:{}", pl.col("group")).alias("series"),
    pl.lit(None, pl.String).alias("jobcenter_id"),
    pl.col("period"),
    pl.col("value"),
    pl.col("idx"),
)


def collect_series(parts: list[pl.LazyFrame], lowest: int | None) -> pl.DataFrame:
    """The series parts as one frame from period index `lowest` on, sorted, typed."""
    out = pl.concat(parts)
    if lowest is not None:
        out = out.filter(pl.col("idx") >= lowest)
    return out.drop("idx").sort("series", "period").collect().cast(pl.Schema(SERIES_SCHEMA))


def _rolling_sum(lf: pl.LazyFrame, window: int, keep: Sequence[str] = ()) -> pl.LazyFrame:
    """Sum over the last `window` periods; null unless every one of them is present."""
    by = ["jobcenter_id"]
    return (
        lf.sort("idx")
        .with_columns(
            value=pl.col("value").rolling_sum(window).over(by),
            span=(pl.col("idx") - pl.col("idx").shift(window - 1)).over(by),
        )
        .with_columns(value=pl.when(pl.col("span") == window - 1).then(pl.col("value")))
        .select("jobcenter_id", "period", "idx", "value", *keep)
    )


def rate_series(
    values: pl.DataFrame | pl.LazyFrame,
    registry: pl.DataFrame,
    *,
    rate: RateDef,
    jobcenter_ids: Sequence[str] | None,
    as_of: dt.date,
    periods: int | None = 24,
    group_by: str = "comparison_type",
    with_group_mean: bool = True,
) -> pl.DataFrame:
    """A rate (K2) month by month, as `series` gives a metric: at each period t the sum of
    the numerator over t-w+1..t over the mean denominator over t-lag-w+1..t-lag, times the
    scale; null unless both windows are complete and the denominator is above 0. The group
    average is the mean of the members' rates. `jobcenter_ids` None: every Jobcenter."""
    lf = values.lazy().filter(
        pl.col("metric").is_in([rate.numerator, rate.denominator]) & (pl.col("period") <= as_of)
    )
    frequency = detect_frequency(lf.select("period").unique().collect().get_column("period"))
    window = parse_window(rate.window, frequency)
    w, lag, unit = window.length, rate.denominator_lag, window.unit
    t = date_index(as_of, unit)
    lowest = None if periods is None else t - periods + 1
    lf = lf.with_columns(idx=period_index(pl.col("period"), unit))
    if lowest is not None:
        lf = lf.filter(pl.col("idx") >= lowest - lag - w + 1)
    wanted = (
        registry.get_column("jobcenter_id").to_list()
        if jobcenter_ids is None
        else list(jobcenter_ids)
    )
    members = _group_members(registry, wanted, group_by) if with_group_mean else None
    needed = wanted if members is None else [*wanted, *members.get_column("jobcenter_id")]
    lf = lf.filter(pl.col("jobcenter_id").is_in(needed))
    numerator = _rolling_sum(lf.filter(pl.col("metric") == rate.numerator), w)
    denominator = _rolling_sum(lf.filter(pl.col("metric") == rate.denominator), w).select(
        "jobcenter_id", idx=pl.col("idx") + lag, den=pl.col("value") / w
    )
    rates = numerator.join(denominator, on=["jobcenter_id", "idx"], how="left").select(
        "jobcenter_id",
        "period",
        "idx",
        value=pl.when(pl.col("den") > 0).then(pl.col("value") / pl.col("den") * rate.scale),
    )
    own = rates.filter(pl.col("jobcenter_id").is_in(wanted)).select(
        series=pl.col("jobcenter_id"), jobcenter_id="jobcenter_id", period="period",
        value="value", idx="idx",
    )  # fmt: skip
    parts = [own]
    if members is not None:
        parts.append(
            rates.join(members.lazy(), on="jobcenter_id", how="inner")
            .group_by("group", "period", "idx")
            .agg(value=fixed_mean(pl.col("value")))
            .select(*GROUP_SERIES)
        )
    return collect_series(parts, lowest)


def _group_members(
    registry: pl.DataFrame, wanted: Sequence[str], group_by: str
) -> pl.DataFrame | None:
    """(jobcenter_id, group) of every member of the wanted Jobcenters' groups."""
    if group_by not in registry.columns:
        return None
    groups = (
        registry.filter(pl.col("jobcenter_id").is_in(list(wanted)))
        .get_column(group_by)
        .drop_nulls()
        .unique(maintain_order=True)
        .to_list()
    )
    return registry.filter(pl.col(group_by).is_in(groups)).select(
        "jobcenter_id", group=pl.col(group_by)
    )
