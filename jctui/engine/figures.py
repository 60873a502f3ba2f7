"""Every figure for one as-of period, in one pass of Polars expressions.

Only the periods a figure can need (t-24..t for monthly data) are read: the filter comes
first, then one group_by with conditional aggregations per (jobcenter, metric). That is why
the cost depends on the number of Jobcenters and metrics, not on the length of the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from jctui.config import MetricDef, RateDef
from jctui.engine.ranks import GROUP_STATS, with_ranks
from jctui.fields import (
    METRIC_FIELDS,
    RANK_KEYS,
    RATE_FIELDS,
    WINDOW,
    At,
    FigureField,
    Span,
)

MONTHLY = "monthly"
DAILY = "daily"


@dataclass(frozen=True)
class Window:
    """A window of `length` periods; `unit` "month" or "day"; a year is 12 months or 365 days."""

    length: int
    unit: str

    @property
    def year(self) -> int:
        return 12 if self.unit == "month" else 365


def parse_window(text: str, frequency: str) -> Window:
    """ "12" -> 12 periods of the data's frequency; "30d" -> 30 days (daily data only)."""
    if text.endswith("d"):
        return Window(int(text[:-1]), "day")
    return Window(int(text), "month" if frequency == MONTHLY else "day")


def period_index(period: pl.Expr, unit: str) -> pl.Expr:
    """A running integer per period: months since year 0, or days since the epoch."""
    if unit == "month":
        return period.dt.year().cast(pl.Int32) * 12 + period.dt.month().cast(pl.Int32) - 1
    return period.cast(pl.Int32)


def month_shifted(month: dt.date, months: int) -> dt.date:
    """The first of the month `months` after `month` (before it, for a negative number)."""
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def date_index(day: dt.date, unit: str) -> int:
    if unit == "month":
        return day.year * 12 + day.month - 1
    return (day - dt.date(1970, 1, 1)).days


@dataclass(frozen=True)
class Figures:
    """All figures for one as-of period (column contract in jctui/engine/__init__.py)."""

    as_of: dt.date
    latest: dt.date
    periods: tuple[dt.date, ...]
    frequency: str
    metrics: pl.DataFrame
    rates: pl.DataFrame
    warnings: pl.DataFrame
    # targets and year-end projections per Jobcenter and figure (jctui.engine.targets)
    targets: pl.DataFrame = field(default_factory=lambda: _empty_targets())


def _empty_targets() -> pl.DataFrame:
    from jctui.engine.targets import empty_target_figures

    return empty_target_figures()


def detect_frequency(periods: pl.Series) -> str:
    """Monthly when every period is the first of a month, else daily."""
    if periods.is_empty():
        return MONTHLY
    return MONTHLY if bool((periods.dt.day() == 1).all()) else DAILY


def _catalogue_frame(metrics: Mapping[str, MetricDef]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "metric": list(metrics),
            "kind": [m.kind for m in metrics.values()],
            "better": [m.better for m in metrics.values()],
            "unit": [m.unit for m in metrics.values()],
        },
        schema={"metric": pl.String, "kind": pl.String, "better": pl.String, "unit": pl.String},
    )


def _sum_if(cond: pl.Expr) -> pl.Expr:
    # masking (when/then) is cheaper than filter() inside a group_by aggregation
    return pl.when(cond).then(pl.col("value")).sum()


def _count_if(cond: pl.Expr) -> pl.Expr:
    return cond.sum()


def _full_or_null(total: pl.Expr, count: pl.Expr, expected: int) -> pl.Expr:
    """A windowed total only when every period of the window is there: never a short sum."""
    return pl.when(count == expected).then(total).otherwise(None)


def _pct(new: pl.Expr, old: pl.Expr) -> pl.Expr:
    return pl.when(old != 0).then((new / old - 1) * 100).otherwise(None)


def year_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 1, 1)


def one_year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def anchors(as_of: dt.date, unit: str) -> dict[str, int]:
    """The period indices the declared spans are relative to (jctui.fields.At)."""
    t = date_index(as_of, unit)
    earlier = one_year_earlier(as_of)
    return {
        "t": t,
        "prev_t": date_index(earlier, unit) if unit == "day" else t - 12,
        "year": date_index(year_start(as_of), unit),
        "prev_year": date_index(year_start(earlier), unit),
    }


def span_bounds(span: Span, at: Mapping[str, int], length: int, lag: int = 0) -> tuple[int, int]:
    """(first, last) period index of a declared span, for a window `length` and a `lag`."""

    def resolve(point: At) -> int:
        return at[point.anchor] + point.periods + point.windows * length + point.lags * lag

    return resolve(span.first), resolve(span.last)


def _span_name(n: int) -> str:
    return f"__span{n}"


def _derived(f: FigureField) -> pl.Expr:
    """A field computed from others (by kind), as its op says; null for other kinds."""
    out: pl.Expr = pl.lit(None, pl.Float64)
    for kind in sorted(f.kinds):
        parts = f.parts_of(kind)
        if not parts:
            continue
        if f.op == "diff":
            expr = pl.col(parts[0]) - pl.col(parts[1])
        elif f.op == "pct":
            expr = _pct(pl.col(parts[0]), pl.col(parts[1]))
        else:  # "same"
            expr = pl.col(parts[0])
        out = pl.when(pl.col("kind") == kind).then(expr).otherwise(out)
    return out.alias(f.key)


def metric_figures(
    indexed: pl.LazyFrame,
    catalogue: pl.DataFrame,
    as_of: dt.date,
    window: Window,
    *,
    counts_only: bool = False,
) -> pl.LazyFrame:
    """Per (jobcenter, metric): every metric field of jctui.fields, not yet ranked.

    One conditional sum and count per declared span; a span field is its sum, mean or
    value only when every period of the span is there (never a short sum). With
    `counts_only` (the values are flags), each span field is the sum over its span."""
    at = anchors(as_of, window.unit)
    idx = pl.col("idx")
    fields = [f for f in METRIC_FIELDS if f.span is not None]
    spans = list(dict.fromkeys(f.span for f in fields if f.span is not None))
    bounds = {s: span_bounds(s, at, window.length) for s in spans}
    lowest = min(first for first, _ in bounds.values())
    aggregations = []
    for n, span in enumerate(spans):
        first, last = bounds[span]
        inside = idx.is_between(first, last)
        aggregations += [
            _sum_if(inside).alias(_span_name(n)),
            inside.sum().alias(_span_name(n) + "n"),
        ]
    window_n = _span_name(spans.index(WINDOW)) + "n"
    columns = []
    for f in fields:
        assert f.span is not None
        n = spans.index(f.span)
        first, last = bounds[f.span]
        length = last - first + 1
        total, count = pl.col(_span_name(n)), pl.col(_span_name(n) + "n")
        if counts_only:
            figure = total
        else:
            figure = _full_or_null(total, count, length)
            if f.statistic == "mean":
                figure = figure / length
        columns.append(pl.when(pl.col("kind").is_in(list(f.kinds))).then(figure).alias(f.key))
    frame = (
        indexed.filter(idx.is_between(lowest, at["t"]))
        .group_by("jobcenter_id", "metric")
        .agg(*aggregations, latest_period=pl.col("period").max())
        .with_columns(pl.col("jobcenter_id").cast(pl.String), pl.col("metric").cast(pl.String))
        .join(catalogue.lazy(), on="metric", how="inner")
        .with_columns(*columns, window_count=pl.col(window_n))
    )
    if counts_only:
        return frame
    # derived fields in declaration order: a field may use any declared before it
    for f in METRIC_FIELDS:
        if f.span is None and f.parts:
            frame = frame.with_columns(_derived(f))
    return frame


METRIC_COLUMNS: tuple[str, ...] = (
    "jobcenter_id", "metric", "kind", *(f.key for f in METRIC_FIELDS), "latest_period",
    "group", *RANK_KEYS, *GROUP_STATS, "better", "unit", "rank_by",
)  # fmt: skip


def ranked_metrics(figures: pl.LazyFrame, groups: pl.LazyFrame) -> pl.LazyFrame:
    """Join the group, then rank by the metric's better direction: on change_pct, a figure
    in % (a published key figure: a rate or a change already) by its level, as officially."""
    return (
        with_ranks(figures.join(groups, on="jobcenter_id", how="left"), "metric")
        .select(METRIC_COLUMNS)
        .sort("jobcenter_id", "metric")
    )


RATE_COLUMNS: tuple[str, ...] = (
    "jobcenter_id", "rate", *(f.key for f in RATE_FIELDS), "group", *RANK_KEYS,
    "group_mean", "group_median", "dev_group_mean", "better", "rank_by",
)  # fmt: skip


def _rate_parts(rate: RateDef, t: int, window: Window, shift: int) -> list[pl.Expr]:
    """Numerator sum over t-w+1..t and denominator mean over the lagged window, at t - shift."""
    w, lag = window.length, rate.denominator_lag
    end = t - shift
    idx, metric = pl.col("idx"), pl.col("metric")
    num = (metric == rate.numerator) & idx.is_between(end - w + 1, end)
    den = (metric == rate.denominator) & idx.is_between(end - lag - w + 1, end - lag)
    suffix = "_prev" if shift else ""
    return [
        _full_or_null(_sum_if(num), _count_if(num), w).alias(f"num{suffix}"),
        _full_or_null(_sum_if(den), _count_if(den), w).alias(f"den{suffix}"),
    ]


def rate_figures(
    indexed: pl.LazyFrame,
    rates: Mapping[str, RateDef],
    as_of: dt.date,
    frequency: str,
    groups: pl.LazyFrame,
) -> pl.LazyFrame:
    """K2-style rates: sum(flow, t-w+1..t) / mean(stock, t-lag-w+1..t-lag) * scale, ranked."""
    frames = []
    for key, rate in rates.items():
        window = parse_window(rate.window, frequency)
        t = date_index(as_of, window.unit)
        lowest = t - window.year - rate.denominator_lag - window.length + 1
        w = window.length
        # one division of exact sums: equal fractions give equal floats (and equal ranks)
        ratio = pl.when(pl.col("den") > 0).then(pl.col("num") * (rate.scale * w) / pl.col("den"))
        ratio_prev = pl.when(pl.col("den_prev") > 0).then(
            pl.col("num_prev") * (rate.scale * w) / pl.col("den_prev")
        )
        frames.append(
            indexed.filter(
                pl.col("idx").is_between(lowest, t)
                & pl.col("metric").is_in([rate.numerator, rate.denominator])
            )
            .group_by("jobcenter_id")
            .agg(*_rate_parts(rate, t, window, 0), *_rate_parts(rate, t, window, window.year))
            .with_columns(pl.col("jobcenter_id").cast(pl.String))
            .select(
                "jobcenter_id",
                rate=pl.lit(key),
                better=pl.lit(rate.better),
                value=ratio,
                numerator_sum=pl.col("num"),
                denominator_mean=pl.col("den") / w,
                value_prev_year=ratio_prev,
                numerator_sum_prev=pl.col("num_prev"),
                denominator_mean_prev=pl.col("den_prev") / w,
            )
        )
    if not frames:
        return pl.LazyFrame(schema=dict.fromkeys(RATE_COLUMNS, pl.String))
    return (
        with_ranks(pl.concat(frames).join(groups, on="jobcenter_id", how="left"), "rate")
        .select(RATE_COLUMNS)
        .sort("jobcenter_id", "rate")
    )
