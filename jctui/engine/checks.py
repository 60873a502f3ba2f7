"""Plausibility warnings: gaps, duplicates and conflicts, negative flows, outliers, stated
figures that do not follow from the data, and windows with missing periods.

Each warning is one row: jobcenter_id, period, metric, kind, message_de, message_en, value,
expected. Messages are plain one-line text in both languages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

from jctui.config import MetricDef, StatedCheck

WARNING_SCHEMA: dict[str, pl.DataType] = {
    "jobcenter_id": pl.String(),
    "period": pl.Date(),
    "metric": pl.String(),
    "kind": pl.String(),
    "message_de": pl.String(),
    "message_en": pl.String(),
    "value": pl.Float64(),
    "expected": pl.Float64(),
}
# An outlier is further from the series' own median than this many robust standard
# deviations (1.4826 * MAD) and than this share of the median: seasonal swings are not outliers.
OUTLIER_SIGMAS = 6.0
OUTLIER_MIN_SHARE = 0.75


def empty_warnings() -> pl.DataFrame:
    return pl.DataFrame(schema=WARNING_SCHEMA)


def _fmt(expr: pl.Expr, decimals: int = 1) -> pl.Expr:
    return expr.round(decimals).cast(pl.String)


def _fmt_de(expr: pl.Expr) -> pl.Expr:
    """6.0 -> "6", 361.5 -> "361,5": German decimals, as `_de` does for one number."""
    text = _fmt(expr).str.replace(r"\.0$", "").str.replace(".", ",", literal=True)
    return text.str.replace(r"^-0$", "0")  # -0.04 rounds to "-0": no sign on a zero


def _finish(frame: pl.LazyFrame) -> pl.LazyFrame:
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
    noun_de = "Monate" if unit == "month" else "Tage"
    noun_en = "months" if unit == "month" else "days"
    return _finish(
        frame.select("jobcenter_id", "metric", "idx", "period", missing)
        .filter(pl.col("missing") > 0)
        .with_columns(first=first_missing)
        .with_columns(
            kind=pl.lit("gap"),
            period=pl.col("first"),
            value=pl.col("missing").cast(pl.Float64),
            message_de=pl.format(
                "Lücke: {} fehlende {} ab {}",
                pl.col("missing"),
                pl.lit(noun_de),
                pl.col("first").dt.strftime("%Y-%m"),
            ),
            message_en=pl.format(
                "gap: {} missing {} from {}",
                pl.col("missing"),
                pl.lit(noun_en),
                pl.col("first").dt.strftime("%Y-%m"),
            ),
        )
    )


def negative_flow_warnings(indexed: pl.LazyFrame, flows: Sequence[str]) -> pl.LazyFrame:
    return _finish(
        indexed.filter(pl.col("metric").is_in(list(flows)) & (pl.col("value") < 0)).with_columns(
            kind=pl.lit("negative"),
            message_de=pl.format(
                "negativer Wert {} bei einer Bewegungsgröße", _fmt_de(pl.col("value"))
            ),
            message_en=pl.format("negative value {} for a flow", _fmt(pl.col("value"))),
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
        .with_columns(
            kind=pl.lit("outlier"),
            message_de=pl.format(
                "Ausreißer: {} (üblich in diesem Monat: {})",
                _fmt_de(pl.col("value")),
                _fmt_de(pl.col("expected")),
            ),
            message_en=pl.format(
                "outlier: {} (usual for this month: {})",
                _fmt(pl.col("value")),
                _fmt(pl.col("expected")),
            ),
        )
    )


def conflict_warnings(conflicts: pl.DataFrame | None) -> pl.LazyFrame:
    """The reader's duplicated keys: identical values are duplicates, different ones conflicts."""
    if conflicts is None or conflicts.is_empty():
        return empty_warnings().lazy()
    distinct = pl.col("values").list.n_unique()
    values_text = pl.col("values").cast(pl.List(pl.String)).list.join(", ")
    lines_text = pl.col("lines").cast(pl.List(pl.String)).list.join(", ")
    return _finish(
        conflicts.lazy().with_columns(
            kind=pl.when(distinct > 1).then(pl.lit("conflict")).otherwise(pl.lit("duplicate")),
            value=pl.col("values").list.last(),
            message_de=pl.when(distinct > 1)
            .then(
                pl.format(
                    "Widerspruch: Werte {} in Zeilen {}; verwendet: letzter",
                    values_text,
                    lines_text,
                )
            )
            .otherwise(pl.format("doppelt geliefert in Zeilen {}", lines_text)),
            message_en=pl.when(distinct > 1)
            .then(
                pl.format(
                    "conflict: values {} on lines {}; used: the last", values_text, lines_text
                )
            )
            .otherwise(pl.format("delivered twice, lines {}", lines_text)),
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
            message_de=pl.format(
                "Zeitraum unvollständig: {} von {} Perioden vorhanden, kein Wert berechnet",
                pl.col("window_count"),
                pl.lit(window_length),
            ),
            message_en=pl.format(
                "incomplete window: {} of {} periods present, no figure computed",
                pl.col("window_count"),
                pl.lit(window_length),
            ),
        )
    )


def _de(number: float) -> str:
    """361.5 -> "361,5" for the German message (no thousands mark: figures stay readable)."""
    return f"{number:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _month(text: str) -> dt.date:
    year, month = text.split("-")
    return dt.date(int(year), int(month), 1)


def stated_warnings(
    values: pl.LazyFrame,
    registry: pl.DataFrame,
    checks: Sequence[StatedCheck],
    metrics: Mapping[str, MetricDef],
) -> pl.LazyFrame:
    """A figure stated in a report that does not follow from the data."""
    rows = []
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
        label = f" ({check.label})" if check.label else ""
        what = {"mean": ("Mittelwert je Monat", "mean per month"), "sum": ("Summe", "sum")}[
            check.statistic
        ]
        name_de = metrics[check.metric].label_de if check.metric in metrics else check.metric
        name_en = metrics[check.metric].label_en if check.metric in metrics else check.metric
        rows.append(
            {
                "jobcenter_id": jc,
                "period": end,
                "metric": check.metric,
                "kind": "stated",
                "message_de": (
                    f"angegeben {_de(check.stated)}{label}, aus den Daten folgt {_de(computed)} "
                    f"({what[0]} {name_de} {check.start} bis {check.end}: {_de(total)} / {span})"
                ),
                "message_en": (
                    f"stated {check.stated:g}{label}, the data give {computed:.1f} "
                    f"({what[1]} of {name_en} {check.start} to {check.end}: {total:g} / {span})"
                ),
                "value": float(computed),
                "expected": float(check.stated),
            }
        )
    return pl.DataFrame(rows, schema=WARNING_SCHEMA).lazy()
