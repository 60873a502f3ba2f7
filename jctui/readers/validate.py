"""Parse and check the long rows of a values file, then settle periods and duplicates.

Ids, periods, metrics and values are parsed (periods and metrics once per distinct text);
a row with a problem goes to `rejected` with its first problem; full dates become months
unless the file really holds daily data; a key delivered twice goes to `conflicts` (the
last row of a key wins).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from jctui.config import MetricDef, SourceDef
from jctui.model import CONFLICT_SCHEMA, MISSING_SCHEMA, VALUE_SCHEMA, empty_conflicts
from jctui.readers.parse import as_text, parse_values, period_table
from jctui.readers.raw import LINE, rejected_rows
from jctui.readers.signs import is_missing_sign, is_zero_sign, sign_of

KEY: list[str] = ["jobcenter_id", "period", "metric"]


def metric_lookup(source: SourceDef, catalogue: Mapping[str, MetricDef]) -> dict[str, str]:
    """Lower-case label -> metric key: catalogue keys and labels, overridden by source.metrics
    (a mapping onto a key the catalogue does not know is dropped)."""
    lookup: dict[str, str] = {}
    for key, metric in catalogue.items():
        for label in (metric.label_en, metric.label_de, key):
            lookup[label.strip().lower()] = key
    for label, key in source.metrics.items():
        lookup[label.strip().lower()] = key
    return {label: key for label, key in lookup.items() if key in catalogue}


def _map_distinct(
    column: pl.Series, mapped: pl.DataFrame, out: str, key: str = "text"
) -> pl.Series:
    """Map a column through a table of its distinct values (column `key`) to column `out`."""
    mapped = mapped.filter(pl.col(key).is_not_null())
    return column.replace_strict(
        mapped.get_column(key),
        mapped.get_column(out),
        default=None,
        return_dtype=mapped.schema[out],
    )


def validate(
    long: pl.DataFrame,
    resolved: dict[str, str],
    metrics: Mapping[str, str],
    decimal: str,
    origin: str,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Parse ids, periods, metrics (lower-case label -> key), values (numbers in text with
    the `decimal` mark); rows with a problem go to rejected (first problem), cells holding a
    sign (`*`, `x`, ...: jctui.readers.signs) to missing, dashes are 0.

    Periods and metrics are parsed once per distinct text; problems are described only for
    the rejected rows, so the good path stays a handful of column operations.
    """
    value_dtype = long.schema["value_raw"]
    period_dtype = long.schema["period_raw"]
    if period_dtype == pl.Date or isinstance(period_dtype, pl.Datetime):
        parsed = long.select(period=pl.col("period_raw").cast(pl.Date), has_day=pl.lit(True))
    else:
        texts = long.select(
            as_text("period_raw", period_dtype)
            if period_dtype != pl.String
            else pl.col("period_raw")
        ).to_series()
        table = period_table(texts.unique()).with_row_index("_index")
        index = _map_distinct(texts, table, "_index")
        parsed = (
            table.select("period", "has_day")
            .vstack(
                pl.DataFrame(
                    {"period": [None], "has_day": [None]},
                    schema={"period": pl.Date, "has_day": pl.Boolean},
                )
            )
            .select(pl.all().gather(index.fill_null(table.height)))
        )
    metric_texts = long.get_column("metric_text")
    metric_table = pl.DataFrame({"text": metric_texts.unique()}).with_columns(
        metric=pl.col("text")
        .str.strip_chars()
        .str.to_lowercase()
        .replace_strict(metrics, default=None, return_dtype=pl.String)
    )
    long = long.with_columns(
        parsed,
        jobcenter_id=pl.col("id_raw"),
        metric=_map_distinct(metric_texts, metric_table, "metric"),
        value=parse_values("value_raw", value_dtype, decimal),
        _sign=pl.lit(None, pl.String),
    )
    unparsed = ~pl.col("value").is_finite().fill_null(False)
    if value_dtype == pl.String and long.select(unparsed.any()).item():
        # only a file with cells that are no number pays for looking at signs
        long = long.with_columns(_sign=sign_of(pl.col("value_raw"))).with_columns(
            value=pl.when(is_zero_sign(pl.col("_sign"))).then(0.0).otherwise(pl.col("value"))
        )
    keyless = (
        pl.col("id_raw").is_null()
        | (pl.col("id_raw") == "")
        | pl.col("period").is_null()
        | pl.col("metric").is_null()
    )
    signed = ~keyless & is_missing_sign(pl.col("_sign"))
    failed = keyless | (~signed & ~pl.col("value").is_finite().fill_null(False))
    long = long.with_columns(_failed=failed, _signed=signed)
    rejected = describe_problems(long.filter(pl.col("_failed")), resolved, origin)
    missing = long.filter(pl.col("_signed")).select(
        source=pl.lit(origin, pl.String),
        line=pl.col(LINE).cast(pl.Int64),
        jobcenter_id=pl.col("jobcenter_id"),
        period=pl.col("period").dt.truncate("1mo"),
        metric=pl.col("metric"),
        sign=pl.col("_sign"),
    )
    good = long.filter(~pl.col("_failed") & ~pl.col("_signed")).select(
        LINE, "jobcenter_id", "period", "has_day", "metric", "value"
    )
    return monthly_or_daily(good), rejected, missing.cast(pl.Schema(MISSING_SCHEMA))


def describe_problems(bad: pl.DataFrame, resolved: dict[str, str], origin: str) -> pl.DataFrame:
    """The first problem of each bad row: its column, offending value and what is wrong."""
    bad = bad.with_columns(
        period_text=as_text("period_raw", bad.schema["period_raw"]).fill_null(""),
        metric_text=pl.col("metric_text").cast(pl.String).str.strip_chars().fill_null(""),
        value_text=as_text("value_raw", bad.schema["value_raw"]).fill_null(""),
        id_text=pl.col("id_raw").fill_null(""),
    )
    metric_column = pl.lit(resolved["metric"]) if "metric" in resolved else pl.col("value_column")
    checks: list[tuple[pl.Expr, pl.Expr, str, str]] = [
        (
            pl.col("id_text") == "",
            pl.lit(resolved["jobcenter_id"]),
            "id_text",
            "missing jobcenter_id",
        ),
        (pl.col("period_text") == "", pl.lit(resolved["period"]), "period_text", "missing period"),
        (pl.col("period").is_null(), pl.lit(resolved["period"]), "period_text", "not a date"),
        (pl.col("metric_text") == "", metric_column, "metric_text", "missing metric"),
        (pl.col("metric").is_null(), metric_column, "metric_text", "unknown metric"),
        (pl.col("value_text") == "", pl.col("value_column"), "value_text", "missing value"),
        (pl.col("value").is_null(), pl.col("value_column"), "value_text", "not a number"),
        (pl.lit(True), pl.col("value_column"), "value_text", "not a finite number"),
    ]
    problem: Any = pl
    column: Any = pl
    value: Any = pl
    for condition, col, val, text in checks:
        problem = problem.when(condition).then(pl.lit(text))
        column = column.when(condition).then(col)
        value = value.when(condition).then(pl.col(val))
    return rejected_rows(bad, origin, column, value, problem)


def monthly_or_daily(good: pl.DataFrame) -> pl.DataFrame:
    """Full dates become the month's first day unless the file really holds daily data.

    Daily means: some (jobcenter, metric, month) has more than one distinct date. Month-end
    exports (31.07.2018, 31.08.2018, ...) therefore stay monthly.
    """
    month = pl.col("period").dt.truncate("1mo")
    if not good.get_column("has_day").any():
        return good.drop("has_day")  # periods without a day are already the month's first day
    dated = good.filter(pl.col("has_day"))
    daily = False
    if dated.height:
        per_month = (
            dated.select(pl.col("period").unique())
            .group_by(pl.col("period").dt.truncate("1mo"))
            .len()
        )
        if (per_month.get_column("len") > 1).any():
            counts = dated.group_by(["jobcenter_id", "metric", month.alias("_month")]).agg(
                pl.col("period").n_unique().alias("n")
            )
            daily = bool((counts.get_column("n") > 1).any())
    if not daily:
        good = good.with_columns(period=month)
    return good.drop("has_day")


def deduplicate(good: pl.DataFrame, origin: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Keep the last row of each key; every duplicated key goes to conflicts.

    Rows arrive in file order. Duplicates are found on one packed integer key per row
    (sorting it is much cheaper than hashing three columns) before anything else is done.
    """
    if good.height < 2 or not has_duplicates(good):
        return good.select(list(VALUE_SCHEMA)), empty_conflicts()
    duplicated = good.select(KEY).is_duplicated()
    dups = good.filter(duplicated)
    conflicts = dups.group_by(KEY, maintain_order=True).agg(
        values=pl.col("value"), lines=pl.col(LINE).cast(pl.Int64)
    )
    conflicts = conflicts.select(
        pl.lit(origin, dtype=pl.String).alias("source"), *KEY, "values", "lines"
    ).cast(pl.Schema(CONFLICT_SCHEMA))
    kept = good.unique(subset=KEY, keep="last", maintain_order=True)
    return kept.select(list(VALUE_SCHEMA)), conflicts


def has_duplicates(good: pl.DataFrame) -> bool:
    codes = good.select(
        jc=pl.col("jobcenter_id").cast(pl.Categorical).to_physical().cast(pl.UInt64),
        day=(pl.col("period").cast(pl.Int64) - pl.col("period").cast(pl.Int64).min()).cast(
            pl.UInt64
        ),
        metric=pl.col("metric").cast(pl.Categorical).to_physical().cast(pl.UInt64),
    )
    top_jc, top_day, top_metric = codes.select(pl.all().max().fill_null(0)).row(0)
    span_day, span_metric, span_jc = int(top_day) + 1, int(top_metric) + 1, int(top_jc) + 1
    if span_day * span_metric * span_jc >= 2**63:
        return bool(good.select(KEY).is_duplicated().any())
    packed = (
        codes.select(
            pl.col("jc") * (span_day * span_metric) + pl.col("day") * span_metric + pl.col("metric")
        )
        .to_series()
        .sort()
    )
    return bool((packed.diff() == 0).any())
