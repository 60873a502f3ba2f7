"""Before a published file's figures are used: its numbers in one format (decided per column,
jctui.readers.published.numbers) and its figures checked against each other
(jctui.readers.published.checks), each file against itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from jctui.config import MetricDef, SourceDef
from jctui.model import REJECTED_SCHEMA, empty_rejected
from jctui.readers.layout import FILE_LINES
from jctui.readers.parse import parse_number, period_table
from jctui.readers.published.aggregates import subtotal_members
from jctui.readers.published.checks import CheckResult, cross_check
from jctui.readers.published.numbers import COLUMN, FILE, decide_formats
from jctui.readers.published.recognise import Recognised
from jctui.readers.raw import LINE


def number_formats(
    long: pl.DataFrame, files: Sequence[Recognised], source: SourceDef
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(long with its numbers in one format, rejected rows of the columns whose cells
    disagree): the number format of each file's column from all its cells (a configured
    `decimal` for every column)."""
    if source.decimal in (",", "."):
        # configured: every column in that format, no evidence weighed
        number = parse_number(pl.col("value").str.strip_chars(), source.decimal)
        fixed = long.with_columns(
            value=pl.when(number.is_not_null()).then(number.cast(pl.String)).otherwise("value")
        )
        return fixed.drop(COLUMN), empty_rejected()
    long = long.with_columns(pl.col(LINE).floordiv(FILE_LINES).cast(pl.Int32).alias(FILE))
    separators = [f.separator for f in files]
    names = {
        (i, c.index): f.layout.name(c.index) or f"column {c.index + 1}"
        for i, f in enumerate(files)
        for c in f.metrics
    }
    long, problems = decide_formats(long, separators, names)
    rejected = pl.DataFrame(
        {
            "source": [""] * len(problems),
            "line": [p[0] for p in problems],
            "column": [p[1] for p in problems],
            "value": [p[2] for p in problems],
            "problem": [p[3] for p in problems],
        },
        schema=REJECTED_SCHEMA,
    )
    return long.drop(FILE, COLUMN), rejected


def check_cells(
    long: pl.DataFrame, rows: pl.DataFrame, catalogue: Mapping[str, MetricDef]
) -> tuple[pl.DataFrame, pl.DataFrame, tuple[CheckResult, ...]]:
    """(long without the cells a failed cross-check touches, rejected rows naming the
    check, the checks): each file is checked against itself (in a folder too)."""
    file_id = pl.format("{}|{}", pl.col(LINE).floordiv(FILE_LINES), pl.col("jobcenter_id"))
    texts = long.get_column("period").drop_nulls().unique()
    periods = period_table(texts).select(
        pl.col("text").alias("period"), pl.col("period").alias("_p")
    )
    cells = (
        long.with_row_index("_cell")
        .join(periods, on="period", how="left")
        .select(
            "_cell",
            LINE,
            "aggregate",
            jobcenter_id=file_id,
            period=pl.col("_p").dt.truncate("1mo"),
            metric="metric",
            value=pl.col("value").str.strip_chars().cast(pl.Float64, strict=False),
        )
        .filter(pl.col("value").is_not_null() & pl.col("period").is_not_null())
        # a key repeated in one file is a conflict, reported as such: not checked here
        .filter(pl.len().over("jobcenter_id", "period", "metric") == 1)
    )
    members = subtotal_members(rows.with_columns(jobcenter_id=file_id))
    columns = ["jobcenter_id", "period", "metric", "value"]
    checked = cross_check(
        cells.filter(~pl.col("aggregate")).select(columns),
        cells.filter(pl.col("aggregate")).select(columns),
        pl.DataFrame(schema={"jobcenter_id": pl.String, "inhabitants": pl.Float64}),
        catalogue,
        members,
    )
    if checked.dropped.is_empty():
        return long, empty_rejected(), checked.results
    key = ["jobcenter_id", "period", "metric"]
    drop = cells.join(checked.dropped, on=key, how="semi").get_column("_cell")
    kept = long.with_row_index("_cell").filter(~pl.col("_cell").is_in(drop.implode())).drop("_cell")
    failed = (
        cells.join(checked.failures, on=key)
        .unique(key, keep="first", maintain_order=True)
        .select(
            source=pl.lit("", pl.String),
            line=pl.col(LINE).cast(pl.Int64),
            column=pl.col("metric"),
            value=pl.lit("", pl.String),
            problem=pl.format(
                "{} {}: {}",
                pl.col("jobcenter_id").str.replace(r"^\d+\|", ""),
                pl.col("period").dt.strftime("%Y-%m"),
                "problem",
            ),
        )
    )
    return kept, failed, checked.results
