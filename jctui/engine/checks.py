"""Plausibility warnings: gaps, duplicates and conflicts, negative flows, outliers, stated
figures that do not follow from the data, and windows with missing periods.

Each warning is one structured row (WARNING_SCHEMA); the engine words nothing, the text is
made by `jctui.presentation.wording.warning_message` in the UI language. Columns:

- jobcenter_id, period, metric, kind: what the warning is about. kind is one of gap,
  duplicate, conflict, negative, outlier, incomplete_window, stated.
- value, expected: the numbers. gap: value = missing periods; negative: value; outlier:
  value and the usual level for that calendar month; conflict/duplicate: value = the one
  used (the last); incomplete_window: periods present of the window length; stated: what
  follows from the data and the stated figure.
- unit: gap only, "month" or "day" (the missing periods; period is the first of them).
- values, lines: conflict/duplicate only, the delivered values and their file lines.
- statistic, label, first, count: stated only: "mean" or "sum", the check's label (or
  null), the first month of the checked span (period is its last) and its number of months.

Columns a kind does not use are null.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

from jctui.config import MetricDef, StatedCheck
from jctui.config.catalogue import KENNZAHLEN, kennzahl_key, kennzahl_part
from jctui.engine.figures import month_shifted

WARNING_SCHEMA: dict[str, pl.DataType] = {
    "jobcenter_id": pl.String(),
    "period": pl.Date(),
    "metric": pl.String(),
    "kind": pl.String(),
    "value": pl.Float64(),
    "expected": pl.Float64(),
    "unit": pl.String(),
    "values": pl.List(pl.Float64()),
    "lines": pl.List(pl.Int64()),
    "statistic": pl.String(),
    "label": pl.String(),
    "first": pl.Date(),
    "count": pl.Int64(),
}
# An outlier is further from the series' own median than this many robust standard
# deviations (1.4826 * MAD) and than this share of the median: seasonal swings are not outliers.
OUTLIER_SIGMAS = 6.0
OUTLIER_MIN_SHARE = 0.75


def empty_warnings() -> pl.DataFrame:
    """No warnings, with the warning columns."""
    return pl.DataFrame(schema=WARNING_SCHEMA)


def _finish(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The warning columns in schema order; the ones a kind does not set are null."""
    return frame.select(
        [
            pl.col(c).cast(t) if c in frame.collect_schema() else pl.lit(None, t).alias(c)
            for c, t in WARNING_SCHEMA.items()
        ]
    )


def gap_warnings(
    indexed: pl.LazyFrame, unit: str, last_known: pl.LazyFrame | None = None
) -> pl.LazyFrame:
    """One warning per run of missing periods inside a Jobcenter+metric series.

    With `last_known` (jobcenter_id, metric, last_idx), `indexed` holds only newly arrived
    rows and the gap is measured from the last period already known.
    """
    if last_known is None:
        previous = pl.col("idx").shift(1).over("jobcenter_id", "metric", order_by="idx")
        frame = indexed.with_columns(prev_idx=previous)
    else:
        frame = indexed.join(last_known, on=["jobcenter_id", "metric"], how="inner").with_columns(
            prev_idx=pl.col("last_idx")
        )
    missing = (pl.col("idx") - pl.col("prev_idx") - 1).alias("missing")
    if unit == "month":
        first_missing_idx = pl.col("idx") - pl.col("missing")
        first_missing = pl.date(first_missing_idx // 12, first_missing_idx % 12 + 1, 1)
    else:
        first_missing = pl.col("period") - pl.duration(days=pl.col("missing"))
    return _finish(
        frame.select("jobcenter_id", "metric", "idx", "period", missing)
        .filter(pl.col("missing") > 0)
        .with_columns(
            kind=pl.lit("gap"),
            period=first_missing,
            value=pl.col("missing").cast(pl.Float64),
            unit=pl.lit("month" if unit == "month" else "day"),
        )
    )


def negative_flow_warnings(indexed: pl.LazyFrame, flows: Sequence[str]) -> pl.LazyFrame:
    """A flow (a count of events) below zero."""
    return _finish(
        indexed.filter(pl.col("metric").is_in(list(flows)) & (pl.col("value") < 0)).with_columns(
            kind=pl.lit("negative")
        )
    )


def outlier_baselines(indexed: pl.LazyFrame) -> pl.LazyFrame:
    """Per series and calendar month: the usual level (median) and the series' spread (MAD).

    Seasonal and robust: the baseline is the median of the same calendar month over the
    years (so the apprenticeship peak every September is not an outlier), the spread the
    median absolute deviation of the series around that baseline.
    """
    keys = ["jobcenter_id", "metric"]
    slim = indexed.select(*keys, "value", month=pl.col("period").dt.month())
    medians = slim.group_by(*keys, "month").agg(expected=pl.col("value").median())
    spread = (
        slim.join(medians, on=[*keys, "month"])
        .group_by(keys)
        .agg(mad=(pl.col("value") - pl.col("expected")).abs().median(), n=pl.len())
    )
    return medians.join(spread, on=keys)


def outlier_warnings(rows: pl.LazyFrame, baselines: pl.LazyFrame) -> pl.LazyFrame:
    """Rows far from their series' usual level for that month (see outlier_baselines)."""
    residual = (pl.col("value") - pl.col("expected")).abs()
    return _finish(
        rows.with_columns(month=pl.col("period").dt.month())
        .join(baselines, on=["jobcenter_id", "metric", "month"], how="inner")
        .filter(
            (residual > OUTLIER_SIGMAS * 1.4826 * pl.col("mad"))
            & (residual > OUTLIER_MIN_SHARE * pl.col("expected").abs())
            & (pl.col("n") >= 24)
        )
        .with_columns(kind=pl.lit("outlier"))
    )


def conflict_warnings(conflicts: pl.DataFrame | None) -> pl.LazyFrame:
    """The reader's duplicated keys: identical values are duplicates, different ones conflicts."""
    if conflicts is None or conflicts.is_empty():
        return empty_warnings().lazy()
    distinct = pl.col("values").list.n_unique()
    return _finish(
        conflicts.lazy().with_columns(
            kind=pl.when(distinct > 1).then(pl.lit("conflict")).otherwise(pl.lit("duplicate")),
            value=pl.col("values").list.last(),
        )
    )


def incomplete_window_warnings(
    figures: pl.LazyFrame, window_length: int, as_of: dt.date
) -> pl.LazyFrame:
    """A window with missing periods gives no figure: say so instead of a silently short sum."""
    return _finish(
        figures.filter(
            (pl.col("window_count") > 0) & (pl.col("window_count") < window_length)
        ).with_columns(
            kind=pl.lit("incomplete_window"),
            period=pl.lit(as_of),
            value=pl.col("window_count").cast(pl.Float64),
            expected=pl.lit(float(window_length)),
        )
    )


def _month(text: str) -> dt.date:
    """ "2018-06" -> 2018-06-01."""
    year, month = text.split("-")
    return dt.date(int(year), int(month), 1)


def stated_warnings(
    values: pl.LazyFrame,
    registry: pl.DataFrame,
    checks: Sequence[StatedCheck],
) -> pl.LazyFrame:
    """A figure stated in a report that does not follow from the data."""
    rows: list[dict[str, object]] = []
    for check in checks:
        match = registry.filter(
            (pl.col("jobcenter_id") == check.jobcenter) | (pl.col("name") == check.jobcenter)
        )
        if match.is_empty():
            continue
        jc = match.item(0, "jobcenter_id")
        start, end = _month(check.start), _month(check.end)
        picked = values.filter(
            (pl.col("jobcenter_id") == jc)
            & (pl.col("metric") == check.metric)
            & pl.col("period").is_between(start, end)
        ).select(
            total=pl.col("value").sum(),
            n=pl.len(),
            months=pl.col("period").dt.truncate("1mo").n_unique(),
        )
        total, n, months = picked.collect().row(0)
        span = (end.year - start.year) * 12 + end.month - start.month + 1
        if n == 0 or months < span:
            continue
        computed = total / span if check.statistic == "mean" else total
        if abs(computed - check.stated) <= check.tolerance:
            continue
        rows.append(
            {
                "jobcenter_id": jc,
                "period": end,
                "metric": check.metric,
                "kind": "stated",
                "value": float(computed),
                "expected": float(check.stated),
                "statistic": check.statistic,
                "label": check.label or None,
                "first": start,
                "count": span,
            }
        )
    return pl.DataFrame(rows, schema=WARNING_SCHEMA).lazy()


def published_figure_warnings(
    values: pl.LazyFrame, metrics: Mapping[str, MetricDef], as_of: dt.date
) -> pl.LazyFrame:
    """A key figure as published (K2 = 19.8 %) that its own published numerator and
    denominator do not give (to its one decimal): kind "stated", statistic "published";
    value = what the counts give, expected = the published figure, values = [numerator,
    denominator]."""
    frames: list[pl.LazyFrame] = []
    at = values.filter(pl.col("period") == as_of)
    for code, *_labels, change in KENNZAHLEN:
        figure = kennzahl_key(code)
        (num_key, num_back), (den_key, den_back) = (
            kennzahl_part(code, "numerator"),
            kennzahl_part(code, "denominator"),
        )
        if not {figure, num_key, den_key} <= set(metrics):
            continue

        def part(key: str, back: int, name: str) -> pl.LazyFrame:
            when = month_shifted(as_of, -back)
            return values.filter((pl.col("metric") == key) & (pl.col("period") == when)).select(
                "jobcenter_id", pl.col("value").alias(name)
            )

        stated = at.filter(pl.col("metric") == figure).select(
            "jobcenter_id", pl.col("value").alias("stated")
        )
        joined = stated.join(part(num_key, num_back, "num"), on="jobcenter_id").join(
            part(den_key, den_back, "den"), on="jobcenter_id"
        )
        ratio = pl.col("num") / pl.col("den")
        computed = ((ratio - 1) if change else ratio) * 100
        frames.append(
            joined.filter(pl.col("den") != 0)
            .with_columns(computed=computed)
            .filter((pl.col("computed") - pl.col("stated")).abs() > PUBLISHED_TOLERANCE)
            .select(
                "jobcenter_id",
                period=pl.lit(as_of),
                metric=pl.lit(figure),
                kind=pl.lit("stated"),
                value=pl.col("computed"),
                expected=pl.col("stated"),
                values=pl.concat_list("num", "den"),
                statistic=pl.lit("published"),
                label=pl.lit(code),
                first=pl.lit(as_of),
                count=pl.lit(1, pl.Int64),
            )
        )
    if not frames:
        return empty_warnings().lazy()
    return _finish(pl.concat(frames, how="vertical"))


# a published figure is rounded to one decimal: half a unit of it, and float noise
PUBLISHED_TOLERANCE = 0.05 + 1e-9
