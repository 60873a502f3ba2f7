"""Revisions: values of earlier periods that changed between two loads of the data."""

from __future__ import annotations

import polars as pl

KEYS = ["jobcenter_id", "period", "metric"]
REVISION_SCHEMA: dict[str, pl.DataType] = {
    "jobcenter_id": pl.String(),
    "period": pl.Date(),
    "metric": pl.String(),
    "old": pl.Float64(),
    "new": pl.Float64(),
}


def detect_revisions(old_values: pl.DataFrame, new_values: pl.DataFrame) -> pl.DataFrame:
    """Keys present in both loads whose value changed (old, new)."""
    return (
        old_values.lazy()
        .select(*KEYS, old=pl.col("value"))
        .join(new_values.lazy().select(*KEYS, new=pl.col("value")), on=KEYS, how="inner")
        .filter(
            pl.col("old").ne_missing(pl.col("new"))
            & ~((pl.col("old") - pl.col("new")).abs() < 1e-9)
        )
        .sort(KEYS)
        .collect()
        .cast(pl.Schema(REVISION_SCHEMA))
    )
