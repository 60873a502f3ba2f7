"""Map a RawTable (any format, any layout) onto the canonical model.

Steps, all vectorised: resolve column names (config mapping, else canonical names; case and
surrounding blanks ignored) -> wide to long -> parse ids, periods, metrics and values -> bad
rows to `rejected` (first problem of each row) -> monthly or daily periods -> duplicates to
`conflicts` (the last row of a key wins) -> registry (registry-only file, or the registry
columns inline in a values file: one row per jobcenter_id, the last non-empty value wins).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from jctui.config import MetricDef, SourceDef
from jctui.errors import SourceError
from jctui.model import (
    CONFLICT_SCHEMA,
    REGISTRY_COLUMNS,
    REGISTRY_SCHEMA,
    REJECTED_SCHEMA,
    VALUE_SCHEMA,
    empty_conflicts,
    empty_registry,
)
from jctui.readers.parse import as_text, detect_decimal, parse_values, period_table
from jctui.readers.raw import LINE, RawTable

KEY: list[str] = ["jobcenter_id", "period", "metric"]
REGISTRY_EXTRA: tuple[str, ...] = tuple(c for c in REGISTRY_COLUMNS if c != "jobcenter_id")
CARRIER_ALIASES: dict[str, str] = {
    "zkt": "zkT",
    "zugelassener kommunaler träger": "zkT",
    "optionskommune": "zkT",
    "ge": "gE",
    "gemeinsame einrichtung": "gE",
}


def _key(name: str) -> str:
    return name.strip().lstrip("\ufeff").casefold()


def resolve_columns(found: list[str], source: SourceDef, origin: str) -> dict[str, str]:
    """Canonical name -> header present in the file (only for the ones that are present)."""
    by_key: dict[str, str] = {}
    for name in found:
        by_key.setdefault(_key(name), name)
    resolved: dict[str, str] = {}
    for canonical in ("jobcenter_id", "period", "metric", "value", *REGISTRY_EXTRA):
        wanted = source.columns.get(canonical, canonical)
        if wanted in found:
            resolved[canonical] = wanted
        elif _key(wanted) in by_key:
            resolved[canonical] = by_key[_key(wanted)]
        elif canonical in source.columns:
            # a configured mapping must match: a typo should not silently drop a column
            if canonical in ("jobcenter_id", "period", "metric", "value", "name"):
                continue  # reported as a missing column where it is required
            raise SourceError(
                f"{origin}: missing column {wanted!r} (columns.{canonical}; found: {_list(found)})"
            )
    return resolved


def _list(found: list[str]) -> str:
    shown = [c for c in found if c != LINE]
    text = ", ".join(shown[:20]) + (", …" if len(shown) > 20 else "")
    return text or "no columns"


def _require(
    resolved: dict[str, str],
    names: tuple[str, ...],
    source: SourceDef,
    found: list[str],
    origin: str,
) -> None:
    for canonical in names:
        if canonical not in resolved:
            wanted = source.columns.get(canonical, canonical)
            raise SourceError(f"{origin}: missing column {wanted!r} (found: {_list(found)})")


def _text_unstripped(name: str, dtype: pl.DataType) -> pl.Expr:
    """Text of a column without the copy of strip_chars (done later on distinct values)."""
    return pl.col(name) if dtype == pl.String else as_text(name, dtype)


def metric_lookup(source: SourceDef, catalogue: Mapping[str, MetricDef]) -> dict[str, str]:
    """Lower-case label -> metric key: catalogue keys and labels, overridden by source.metrics."""
    lookup: dict[str, str] = {}
    for key, metric in catalogue.items():
        for label in (metric.label_en, metric.label_de, key):
            lookup[label.strip().lower()] = key
    for label, key in source.metrics.items():
        lookup[label.strip().lower()] = key
    return lookup


def normalise(
    raw: RawTable, source: SourceDef, catalogue: Mapping[str, MetricDef], origin: str
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(values, registry, rejected, conflicts) in the canonical schemas."""
    frame = raw.frame
    found = [c for c in frame.columns if c != LINE]
    resolved = resolve_columns(found, source, origin)
    # rows with no field at all (blank lines) are no records
    frame = frame.filter(~pl.all_horizontal(pl.exclude(LINE).is_null())) if found else frame
    if source.role == "registry":
        _require(resolved, ("jobcenter_id", "name"), source, found, origin)
        registry, rejected = registry_from(frame, resolved, raw, origin, report=True)
        values = pl.DataFrame(schema=VALUE_SCHEMA)
        return values, registry, _finish_rejected(rejected, raw), empty_conflicts()
    if (
        source.layout == "long"
        and (fast := canonical_fast_path(frame, resolved, catalogue)) is not None
    ):
        return fast
    if source.layout == "wide":
        _require(resolved, ("jobcenter_id", "period"), source, found, origin)
        long = wide_to_long(frame, resolved, source, catalogue, origin)
    else:
        _require(resolved, ("jobcenter_id", "period", "metric", "value"), source, found, origin)
        long = frame.select(
            pl.col(LINE),
            id_raw=as_text(resolved["jobcenter_id"], frame.schema[resolved["jobcenter_id"]]),
            period_raw=pl.col(resolved["period"]),
            metric_text=_text_unstripped(resolved["metric"], frame.schema[resolved["metric"]]),
            value_raw=pl.col(resolved["value"]),
            value_column=pl.lit(resolved["value"]),
        )
    values, rejected = validate(long, resolved, source, catalogue, raw, origin)
    values, conflicts = deduplicate(values, origin)
    registry = empty_registry()
    if any(c in resolved for c in REGISTRY_EXTRA):
        registry, _ = registry_from(frame, resolved, raw, origin, report=False)
    return values, registry, _finish_rejected(rejected, raw), conflicts


def canonical_fast_path(
    frame: pl.DataFrame, resolved: dict[str, str], catalogue: Mapping[str, MetricDef]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame] | None:
    """A long frame already in the canonical names and types (Parquet written by a tool, the
    demo data, our own caches) needs no parsing: check it in one pass and take it as it is.
    None when anything needs the full path (a bad row, monthly dates not on the 1st, a
    duplicate key, a registry that is not one row per Jobcenter)."""
    names = {c: resolved.get(c) for c in (*VALUE_SCHEMA, *REGISTRY_EXTRA)}
    if any(names[c] != c for c in VALUE_SCHEMA):
        return None
    if any(frame.schema[c] != t for c, t in VALUE_SCHEMA.items()):
        return None
    inline = [c for c in REGISTRY_EXTRA if names[c] == c]
    if any(frame.schema[c] != REGISTRY_SCHEMA[c] for c in inline):
        return None
    checks = frame.select(
        ok=(
            pl.all_horizontal(pl.col(list(VALUE_SCHEMA)).is_not_null())
            & pl.col("metric").is_in(list(catalogue))
            & pl.col("value").is_finite()
        ).all(),
        first_of_month=(pl.col("period").dt.day() == 1).all(),
        ids=pl.col("jobcenter_id").n_unique(),
    )
    ok, first_of_month, ids = checks.row(0)
    if not (ok and first_of_month):
        return None
    values = frame.select(list(VALUE_SCHEMA))
    if values.height > 1 and _has_duplicates(values):
        return None
    registry = empty_registry()
    if inline:
        registry = frame.select("jobcenter_id", *inline).unique(maintain_order=True)
        if registry.height != ids:
            return None
        registry = registry.select(
            [
                pl.col(c) if c in registry.columns else pl.lit(None, t).alias(c)
                for c, t in REGISTRY_SCHEMA.items()
            ]
        )
        if registry.filter(
            pl.col("carrier").is_not_null() & ~pl.col("carrier").is_in(["zkT", "gE"])
        ).height:
            return None
    return values, registry, pl.DataFrame(schema=REJECTED_SCHEMA), empty_conflicts()


def wide_to_long(
    frame: pl.DataFrame,
    resolved: dict[str, str],
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
    origin: str,
) -> pl.DataFrame:
    """One row per (row, metric column); empty cells are gaps, not errors."""
    taken = set(resolved.values())
    mapped = {_key(header): key for header, key in source.metrics.items()}
    metric_columns: dict[str, str] = {}
    for name in frame.columns:
        if name == LINE or name in taken:
            continue
        if _key(name) in mapped:
            metric_columns[name] = mapped[_key(name)]
        elif name in catalogue:
            metric_columns[name] = name
    if not metric_columns:
        found = [c for c in frame.columns if c != LINE]
        raise SourceError(
            f"{origin}: no metric columns in wide layout (found: {_list(found)}; "
            f"known metrics: {', '.join(catalogue)})"
        )
    id_col, period_col = resolved["jobcenter_id"], resolved["period"]
    # every metric column as text so they can share one value column
    decimal_hint = {name: frame.schema[name] for name in metric_columns}
    all_numeric = all(dtype.is_numeric() for dtype in decimal_hint.values())
    cells = [
        (pl.col(name).cast(pl.Float64) if all_numeric else as_text(name, frame.schema[name])).alias(
            f"_m{i}"
        )
        for i, name in enumerate(metric_columns)
    ]
    base = frame.select(
        pl.col(LINE),
        as_text(id_col, frame.schema[id_col]).alias("id_raw"),
        pl.col(period_col).alias("period_raw"),
        *cells,
    )
    long = base.unpivot(
        index=[LINE, "id_raw", "period_raw"], variable_name="_col", value_name="value_raw"
    )
    names = list(metric_columns)
    position = {f"_m{i}": i for i in range(len(names))}
    long = long.filter(
        pl.col("value_raw").is_not_null()
        & (pl.lit(True) if all_numeric else (pl.col("value_raw").cast(pl.String) != ""))
    ).with_columns(
        _pos=pl.col("_col").replace_strict(position, return_dtype=pl.Int32),
        value_column=pl.col("_col").replace_strict(
            {f"_m{i}": n for i, n in enumerate(names)}, return_dtype=pl.String
        ),
        metric_text=pl.col("_col").replace_strict(
            {f"_m{i}": metric_columns[n] for i, n in enumerate(names)}, return_dtype=pl.String
        ),
    )
    return long.sort([LINE, "_pos"]).drop("_col", "_pos")


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
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
    raw: RawTable,
    origin: str,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Parse ids, periods, metrics, values; rows with a problem go to rejected (first problem).

    Periods and metrics are parsed once per distinct text; problems are described only for
    the rejected rows, so the good path stays a handful of column operations.
    """
    value_dtype = long.schema["value_raw"]
    decimal = raw.decimal
    if value_dtype == pl.String and decimal not in (",", "."):
        decimal = detect_decimal(long.get_column("value_raw"), raw.separator)
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
    metric_keys = {
        label: key for label, key in metric_lookup(source, catalogue).items() if key in catalogue
    }
    metric_texts = long.get_column("metric_text")
    metric_table = pl.DataFrame({"text": metric_texts.unique()}).with_columns(
        metric=pl.col("text")
        .str.strip_chars()
        .str.to_lowercase()
        .replace_strict(metric_keys, default=None, return_dtype=pl.String)
    )
    long = long.with_columns(
        parsed,
        jobcenter_id=pl.col("id_raw"),
        metric=_map_distinct(metric_texts, metric_table, "metric"),
        value=parse_values("value_raw", value_dtype, decimal),
    )
    failed = (
        pl.col("id_raw").is_null()
        | (pl.col("id_raw") == "")
        | pl.col("period").is_null()
        | pl.col("metric").is_null()
        | ~pl.col("value").is_finite().fill_null(False)
    )
    long = long.with_columns(_failed=failed)
    rejected = describe_problems(long.filter(pl.col("_failed")), resolved, origin)
    good = long.filter(~pl.col("_failed")).select(
        LINE, "jobcenter_id", "period", "has_day", "metric", "value"
    )
    return monthly_or_daily(good), rejected


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
    return bad.select(
        source=pl.lit(origin, dtype=pl.String),
        line=pl.col(LINE).cast(pl.Int64),
        column=column.cast(pl.String),
        value=value.cast(pl.String),
        problem=problem.cast(pl.String),
    )


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
        if per_month.get_column("len").max() > 1:  # type: ignore[operator]
            counts = dated.group_by(["jobcenter_id", "metric", month.alias("_month")]).agg(
                pl.col("period").n_unique().alias("n")
            )
            daily = bool(counts.get_column("n").max() > 1)  # type: ignore[operator]
    if not daily:
        good = good.with_columns(period=month)
    return good.drop("has_day")


def deduplicate(good: pl.DataFrame, origin: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Keep the last row of each key; every duplicated key goes to conflicts.

    Rows arrive in file order. Duplicates are found on one packed integer key per row
    (sorting it is much cheaper than hashing three columns) before anything else is done.
    """
    if good.height < 2 or not _has_duplicates(good):
        return good.select(list(VALUE_SCHEMA)), empty_conflicts()
    duplicated = good.select(KEY).is_duplicated()
    dups = good.filter(duplicated)
    conflicts = dups.group_by(KEY, maintain_order=True).agg(
        values=pl.col("value"), lines=pl.col(LINE).cast(pl.Int64)
    )
    conflicts = conflicts.select(
        pl.lit(origin, dtype=pl.String).alias("source"), *KEY, "values", "lines"
    ).cast(CONFLICT_SCHEMA)  # type: ignore[arg-type]
    kept = good.unique(subset=KEY, keep="last", maintain_order=True)
    return kept.select(list(VALUE_SCHEMA)), conflicts


def _has_duplicates(good: pl.DataFrame) -> bool:
    codes = good.select(
        jc=pl.col("jobcenter_id").cast(pl.Categorical).to_physical().cast(pl.UInt64),
        day=(pl.col("period").cast(pl.Int64) - pl.col("period").cast(pl.Int64).min()).cast(
            pl.UInt64
        ),
        metric=pl.col("metric").cast(pl.Categorical).to_physical().cast(pl.UInt64),
    )
    span_day = int(codes.get_column("day").max() or 0) + 1  # type: ignore[arg-type]
    span_metric = int(codes.get_column("metric").max() or 0) + 1  # type: ignore[arg-type]
    span_jc = int(codes.get_column("jc").max() or 0) + 1  # type: ignore[arg-type]
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


def registry_from(
    frame: pl.DataFrame, resolved: dict[str, str], raw: RawTable, origin: str, *, report: bool
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per jobcenter_id from the registry columns present (others null)."""
    schema = frame.schema
    id_col = resolved["jobcenter_id"]
    text_columns = [
        as_text(resolved[c], schema[resolved[c]]).alias(c)
        if c in resolved
        else pl.lit(None, dtype=pl.String).alias(c)
        for c in ("name", "state", "comparison_type")
    ]
    carrier_text = (
        as_text(resolved["carrier"], schema[resolved["carrier"]])
        if "carrier" in resolved
        else pl.lit(None, dtype=pl.String)
    )
    if "inhabitants" in resolved:
        inh_col = resolved["inhabitants"]
        inh_dtype = schema[inh_col]
        decimal = raw.decimal
        if inh_dtype == pl.String and decimal not in (",", "."):
            decimal = detect_decimal(frame.get_column(inh_col), raw.separator)
        inhabitants = parse_values(inh_col, inh_dtype, decimal)
        inh_text = as_text(inh_col, inh_dtype)
    else:
        inh_col = ""
        inhabitants = pl.lit(None, dtype=pl.Float64)
        inh_text = pl.lit(None, dtype=pl.String)
    rows = frame.select(
        pl.col(LINE),
        as_text(id_col, schema[id_col]).alias("jobcenter_id"),
        *text_columns,
        carrier_text=carrier_text,
        carrier=carrier_text.str.to_lowercase().replace_strict(
            CARRIER_ALIASES, default=None, return_dtype=pl.String
        ),
        inhabitants=inhabitants,
        inh_text=inh_text,
    ).with_columns(
        [
            pl.when(pl.col(c) != "").then(pl.col(c)).alias(c)
            for c in (
                "jobcenter_id",
                "name",
                "state",
                "comparison_type",
                "carrier_text",
                "inh_text",
            )
        ]
    )
    problems: list[pl.DataFrame] = []
    if report:
        checks = [
            (pl.col("jobcenter_id").is_null(), id_col, "jobcenter_id", "missing jobcenter_id"),
            (pl.col("name").is_null(), resolved.get("name", "name"), "name", "missing name"),
            (
                pl.col("carrier").is_null() & pl.col("carrier_text").is_not_null(),
                resolved.get("carrier", "carrier"),
                "carrier_text",
                "unknown carrier (expected zkT or gE)",
            ),
            (
                pl.col("inhabitants").is_null() & pl.col("inh_text").is_not_null(),
                inh_col,
                "inh_text",
                "not a number",
            ),
        ]
        for condition, column, value, problem in checks:
            problems.append(
                rows.filter(condition).select(
                    source=pl.lit(origin, dtype=pl.String),
                    line=pl.col(LINE).cast(pl.Int64),
                    column=pl.lit(column, dtype=pl.String),
                    value=pl.col(value).cast(pl.String),
                    problem=pl.lit(problem, dtype=pl.String),
                )
            )
    usable = rows.filter(pl.col("jobcenter_id").is_not_null())
    if report:
        usable = usable.filter(pl.col("name").is_not_null())
        problems.append(registry_duplicates(usable, id_col, origin))
    registry = (
        usable.group_by("jobcenter_id", maintain_order=True)
        .agg(pl.col(c).drop_nulls().last() for c in REGISTRY_EXTRA)
        .with_columns(name=pl.coalesce("name", "jobcenter_id"))
        .select([pl.col(c).cast(t) for c, t in REGISTRY_SCHEMA.items()])
    )
    rejected = pl.concat(problems) if problems else pl.DataFrame(schema=REJECTED_SCHEMA)
    return registry, rejected


def registry_duplicates(rows: pl.DataFrame, id_col: str, origin: str) -> pl.DataFrame:
    """Rows of a registry file that repeat a jobcenter_id with other details: the last row of
    an id is used, the differing earlier ones are reported (identical repeats are harmless)."""
    fields = ["name", "state", "carrier", "comparison_type", "inhabitants"]
    repeated = rows.filter(pl.col("jobcenter_id").is_duplicated())
    if repeated.is_empty():
        return pl.DataFrame(schema=REJECTED_SCHEMA)
    kept = repeated.group_by("jobcenter_id").agg(pl.all().sort_by(LINE).last())
    compared = repeated.join(kept, on="jobcenter_id", suffix="_kept").filter(
        (pl.col(LINE) != pl.col(f"{LINE}_kept"))
        & pl.any_horizontal(pl.col(f).ne_missing(pl.col(f"{f}_kept")) for f in fields)
    )
    return compared.select(
        source=pl.lit(origin, dtype=pl.String),
        line=pl.col(LINE).cast(pl.Int64),
        column=pl.lit(id_col, dtype=pl.String),
        value=pl.col("jobcenter_id"),
        problem=pl.format(
            "jobcenter_id repeated with other details (merged: line {} wins where it has a value)",
            pl.col(f"{LINE}_kept"),
        ),
    )


def _finish_rejected(rejected: pl.DataFrame, raw: RawTable) -> pl.DataFrame:
    """Rejected rows of the format reader and the normaliser, in line order."""
    both = pl.concat([raw.rejected.cast(REJECTED_SCHEMA), rejected.cast(REJECTED_SCHEMA)])  # type: ignore[arg-type]
    return both.with_columns(pl.col("column", "value").fill_null("")).sort(
        "line", maintain_order=True
    )
