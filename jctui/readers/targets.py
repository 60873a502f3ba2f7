"""A targets file (role = "targets"): jobcenter_id, year, metric, target -> TARGET_SCHEMA.

Targets (Zielvereinbarungen) are agreed per Jobcenter, calendar year and figure. The file is
read like a values file: any format, headers mapped by `[sources.columns]` (e.g.
`year = "Jahr"`, `target = "Zielwert"`), figures named by key or by their German or English
label (or `[sources.metrics]`), numbers in German notation ("4.400", "27,5"). A bad row is
set aside with its line, column and problem (listed by `jctui check`), the good rows are
kept; a target given twice for one Jobcenter, year and figure: the later row wins, the
earlier is set aside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from jctui.config import MetricDef, RateDef, SourceDef
from jctui.errors import SourceError
from jctui.model import TARGET_SCHEMA
from jctui.readers.normalise import _key
from jctui.readers.parse import as_text, parse_values
from jctui.readers.raw import LINE, RawTable, rejected_rows
from jctui.readers.validate import metric_lookup
from jctui.textsafe import names_shown

COLUMNS: tuple[str, ...] = ("jobcenter_id", "year", "metric", "target")
YEAR_RANGE = (1900, 2100)


def target_columns(found: list[str], source: SourceDef, origin: str) -> dict[str, str]:
    """Canonical name -> header in the file (mapped by `columns`, case and blanks ignored);
    a missing one is a one-line SourceError naming the file and what was found."""
    by_key = {_key(name): name for name in reversed(found)}
    resolved: dict[str, str] = {}
    for canonical in COLUMNS:
        wanted = source.columns.get(canonical, canonical)
        header = wanted if wanted in found else by_key.get(_key(wanted))
        if header is None:
            shown = names_shown(found)
            raise SourceError(f"{origin}: missing column {wanted!r} (found: {shown})")
        resolved[canonical] = header
    return resolved


def figure_lookup(
    source: SourceDef, metrics: Mapping[str, MetricDef], rates: Mapping[str, RateDef]
) -> dict[str, str]:
    """Lower-case key or label -> figure key: the metrics as the values reader maps them,
    the rates by key and labels (they win over a published figure's alias), then
    `[sources.metrics]`."""
    lookup = metric_lookup(SourceDef(name=source.name), metrics)
    for key, rate in rates.items():  # a target for "K2" is for the rate, not for the
        for label in (rate.label_en, rate.label_de, key):  # published figure of that name
            lookup[label.strip().lower()] = key
    for label, key in source.metrics.items():
        if key in metrics or key in rates:
            lookup[label.strip().lower()] = key
    return lookup


def read_targets(
    raw: RawTable,
    source: SourceDef,
    metrics: Mapping[str, MetricDef],
    rates: Mapping[str, RateDef],
    origin: str,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(targets in TARGET_SCHEMA, rejected rows) of one targets file."""
    frame = raw.frame
    found = [c for c in frame.columns if c != LINE]
    if found:
        frame = frame.filter(~pl.all_horizontal(pl.exclude(LINE).is_null()))
    cols = target_columns(found, source, origin)
    schema = frame.schema
    lookup = figure_lookup(source, metrics, rates)
    year_text = as_text(cols["year"], schema[cols["year"]])
    target_raw = frame.get_column(cols["target"])
    decimal = raw.decimal_of(target_raw)
    rows = frame.select(
        pl.col(LINE),
        id_text=as_text(cols["jobcenter_id"], schema[cols["jobcenter_id"]]).fill_null(""),
        year_text=year_text.fill_null(""),
        metric_text=as_text(cols["metric"], schema[cols["metric"]]).fill_null(""),
        target_text=as_text(cols["target"], schema[cols["target"]]).fill_null(""),
        year=year_text.str.replace(r"\.0+$", "").cast(pl.Int32, strict=False),
        target=parse_values(cols["target"], schema[cols["target"]], decimal),
    ).with_columns(
        metric=pl.col("metric_text")
        .str.to_lowercase()
        .replace_strict(lookup, default=None, return_dtype=pl.String),
    )
    low, high = YEAR_RANGE
    checks: list[tuple[pl.Expr, str, str, str]] = [
        (pl.col("id_text") == "", "jobcenter_id", "id_text", "missing jobcenter_id"),
        (pl.col("year_text") == "", "year", "year_text", "missing year"),
        (~pl.col("year").is_between(low, high).fill_null(False), "year", "year_text",
         f"not a year ({low}-{high})"),
        (pl.col("metric_text") == "", "metric", "metric_text", "missing metric"),
        (pl.col("metric").is_null(), "metric", "metric_text", "unknown metric or rate"),
        (pl.col("target_text") == "", "target", "target_text", "missing target"),
        (~pl.col("target").is_finite().fill_null(False), "target", "target_text",
         "not a number"),
        (pl.col("target") < 0, "target", "target_text", "negative target"),
    ]  # fmt: skip
    problem: Any = pl
    column: Any = pl
    value: Any = pl
    failed = pl.lit(False)
    for condition, canonical, text, what in checks:
        problem = problem.when(condition).then(pl.lit(what))
        column = column.when(condition).then(pl.lit(cols[canonical]))
        value = value.when(condition).then(pl.col(text))
        failed = failed | condition.fill_null(True)
    rows = rows.with_columns(_failed=failed)
    bad = rows.filter(pl.col("_failed"))
    rejected = [rejected_rows(bad, origin, column, value, problem)] if bad.height else []
    good = rows.filter(~pl.col("_failed"))
    good = good.with_columns(_later=~pl.struct("id_text", "year", "metric").is_last_distinct())
    earlier = good.filter(pl.col("_later"))
    if earlier.height:
        rejected.append(
            rejected_rows(
                earlier,
                origin,
                pl.lit(cols["target"]),
                pl.col("target_text"),
                pl.lit("target given again in a later row (the later row wins)"),
            )
        )
    targets = (
        good.filter(~pl.col("_later"))
        .select(jobcenter_id="id_text", year="year", metric="metric", target="target")
        .cast(pl.Schema(TARGET_SCHEMA))
    )
    rejected_frame = pl.concat(rejected) if rejected else raw.rejected.clear()
    return targets, pl.concat([raw.rejected, rejected_frame]).sort("line", maintain_order=True)
