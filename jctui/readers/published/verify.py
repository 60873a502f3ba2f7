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
    if texts.str.contains(r"^\d{4}-\d{2}$").all():  # the months of the columns: no parsing
        periods = texts.to_frame("period").with_columns(
            _p=pl.col("period").str.strptime(pl.Date, "%Y-%m", strict=False)
        )
    else:
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
            _change="_change",
        )
        .filter(pl.col("value").is_not_null() & pl.col("period").is_not_null())
        # a key repeated in one file is a conflict, reported as such: not checked here
        .filter(pl.len().over("jobcenter_id", "period", "metric", "_change") == 1)
    )
    members = subtotal_members(rows.with_columns(jobcenter_id=file_id))
    columns = ["jobcenter_id", "period", "metric", "value"]
    levels = cells.filter(pl.col("_change").is_null())
    checked = cross_check(
        levels.filter(~pl.col("aggregate")).select(columns),
        levels.filter(pl.col("aggregate")).select(columns),
        pl.DataFrame(schema={"jobcenter_id": pl.String, "inhabitants": pl.Float64}),
        catalogue,
        members,
    )
    changed, change_result = (
        change_failures(cells)
        if cells.get_column("_change").is_not_null().any()
        else (checked.failures.clear(), CheckResult("", 0, 0))
    )
    results = checked.results + ((change_result,) if change_result.checked else ())
    failures = pl.concat([checked.failures, changed.select(checked.failures.columns)])
    dropped = pl.concat([checked.dropped, changed.select(checked.dropped.columns)]).unique()
    # a change is checked against its levels, never a figure of its own
    long = long.filter(pl.col("_change").is_null()).drop("_change")
    if dropped.is_empty():
        return long, empty_rejected(), results
    key = ["jobcenter_id", "period", "metric"]
    drop = levels.join(dropped, on=key, how="semi").get_column("_cell")
    kept = long.with_row_index("_cell").filter(~pl.col("_cell").is_in(drop.implode())).drop("_cell")
    failed = (
        levels.join(failures, on=key)
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
    return kept, failed, results


def change_failures(cells: pl.DataFrame) -> tuple[pl.DataFrame, CheckResult]:
    """Published changes ("Veränderung ... zum Vorjahresmonat absolut / in %") against the
    two levels of their row: (failures by the later level's key, the check)."""
    key = ["jobcenter_id", "period", "metric"]
    levels = cells.filter(pl.col("_change").is_null()).select(*key, "value")
    before = levels.select(
        "jobcenter_id", pl.col("period").dt.offset_by("12mo"), "metric", pl.col("value").alias("b")
    )
    joined = (
        cells.filter(pl.col("_change").is_not_null())
        .select(*key, "value", "_change")
        .join(levels.rename({"value": "n"}), on=key)
        .join(before, on=key)
    )
    pct = pl.col("_change") == "pct"
    computed = (
        pl.when(pct)
        .then((pl.col("n") / pl.col("b") - 1) * 100)
        .otherwise(pl.col("n") - pl.col("b"))
    )
    slack = (pl.col("n") / pl.col("b") * 100).abs() * (
        0.5 / pl.col("n").abs() + 0.5 / pl.col("b").abs()
    )
    tolerance = pl.when(pct).then(0.05 + slack.fill_nan(0)).otherwise(0.5) + 1e-6
    failed = (
        joined.filter(pl.col("b") != 0)
        .with_columns(_c=computed)
        .filter((pl.col("_c") - pl.col("value")).abs() > tolerance)
    )
    name = "published change = level - level a year earlier (absolute / in %)"
    problems = failed.select(
        *key,
        problem=pl.format(
            "cross-check {} failed: {} and {} a year earlier give {}, published {}",
            pl.lit(name),
            pl.col("n").round(4).cast(pl.String),
            pl.col("b").round(4).cast(pl.String),
            pl.col("_c").round(1).cast(pl.String),
            pl.col("value").round(4).cast(pl.String),
        ),
    )
    # the later level and the change are left out (the earlier level is another month's)
    example = str(problems.get_column("problem").first()) if problems.height else ""
    return problems, CheckResult(name, joined.height, problems.height, example)


def check_values(
    values: pl.DataFrame,
    aggregates: pl.DataFrame,
    catalogue: Mapping[str, MetricDef],
    lines: pl.DataFrame,
    origin: str,
) -> tuple[pl.DataFrame, pl.DataFrame, tuple[CheckResult, ...]]:
    """(values without the figures a failed cross-check touches, rejected rows naming the
    check, the checks) of a file read straight into the canonical model (a GENESIS flat
    file): the same cross-checks as a published table's. `lines` gives each figure's line
    (jobcenter_id, period text, metric, LINE)."""
    registry = pl.DataFrame(schema={"jobcenter_id": pl.String, "inhabitants": pl.Float64})
    checked = cross_check(values, aggregates.drop("name"), registry, catalogue)
    if checked.dropped.is_empty():
        return values, empty_rejected(), checked.results
    key = ["jobcenter_id", "period", "metric"]
    texts = lines.get_column("period").drop_nulls().unique()
    where = (
        lines.join(period_table(texts).rename({"text": "period", "period": "_p"}), on="period")
        .select(
            "jobcenter_id",
            period=pl.col("_p").dt.truncate("1mo"),
            metric="metric",
            line=pl.col(LINE).cast(pl.Int64),
        )
        .unique(key, keep="first")
    )
    rejected = (
        checked.failures.join(where, on=key, how="left")
        .select(
            source=pl.lit(origin),
            line="line",
            column="metric",
            value=pl.lit(""),
            problem=pl.format(
                "{} {}: {}", "jobcenter_id", pl.col("period").dt.strftime("%Y-%m"), "problem"
            ),
        )
        .cast(pl.Schema(REJECTED_SCHEMA))
    )
    return values.join(checked.dropped, on=key, how="anti"), rejected, checked.results
