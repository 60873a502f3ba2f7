"""Map a RawTable (any format, any layout) onto the canonical model.

Steps, all vectorised: resolve column names (config mapping, else canonical names; case and
surrounding blanks ignored) -> wide to long -> parse and check the rows (validate.py: bad
rows to `rejected`, monthly or daily periods, duplicates to `conflicts`) -> registry
(registry.py: registry-only file, or the registry columns inline in a values file).
A long frame already in the canonical names and types takes a fast path that only checks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import polars as pl

from jctui.config import MetricDef, SourceDef
from jctui.errors import SourceError
from jctui.model import (
    REGISTRY_SCHEMA,
    REJECTED_SCHEMA,
    VALUE_SCHEMA,
    empty_conflicts,
    empty_missing,
    empty_registry,
)
from jctui.readers.ids import canonical_ids_differ, id_column, id_width
from jctui.readers.parse import as_text
from jctui.readers.raw import LINE, RawTable
from jctui.readers.registry import REGISTRY_EXTRA, registry_from
from jctui.readers.validate import deduplicate, has_duplicates, metric_lookup, validate
from jctui.textsafe import names_shown


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
    return names_shown([c for c in found if c != LINE])


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


class Normalised(NamedTuple):
    """A table in the canonical schemas; the names are ReadResult's (ReadResult.of)."""

    values: pl.DataFrame
    registry: pl.DataFrame
    rejected: pl.DataFrame
    conflicts: pl.DataFrame
    missing: pl.DataFrame


def normalise(
    raw: RawTable, source: SourceDef, catalogue: Mapping[str, MetricDef], origin: str
) -> Normalised:
    """(values, registry, rejected, conflicts, missing) in the canonical schemas."""
    frame = raw.frame
    found = [c for c in frame.columns if c != LINE]
    resolved = resolve_columns(found, source, origin)
    # rows with no field at all (blank lines) are no records
    frame = frame.filter(~pl.all_horizontal(pl.exclude(LINE).is_null())) if found else frame
    if source.role == "registry":
        _require(resolved, ("jobcenter_id", "name"), source, found, origin)
        registry, rejected = registry_from(frame, resolved, raw, origin, report=True)
        values = pl.DataFrame(schema=VALUE_SCHEMA)
        return Normalised(
            values, registry, _finish_rejected(rejected, raw), empty_conflicts(), empty_missing()
        )
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
            id_raw=id_column(frame, resolved["jobcenter_id"]),
            period_raw=pl.col(resolved["period"]),
            metric_text=_text_unstripped(resolved["metric"], frame.schema[resolved["metric"]]),
            value_raw=pl.col(resolved["value"]),
            value_column=pl.lit(resolved["value"]),
        )
    metrics = metric_lookup(source, catalogue)
    decimal = raw.decimal_of(long.get_column("value_raw"))
    values, rejected, missing = validate(long, resolved, metrics, decimal, origin)
    values, conflicts = deduplicate(values, origin)
    registry = empty_registry()
    if any(c in resolved for c in REGISTRY_EXTRA):  # from the good rows only: a rejected row
        good = frame.filter(~pl.col(LINE).is_in(rejected.get_column("line").implode()))
        registry, _ = registry_from(good, resolved, raw, origin, report=False)  # renames nothing
    return Normalised(values, registry, _finish_rejected(rejected, raw), conflicts, missing)


def canonical_fast_path(
    frame: pl.DataFrame, resolved: dict[str, str], catalogue: Mapping[str, MetricDef]
) -> Normalised | None:
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
    distinct = frame.get_column("jobcenter_id").unique()
    if canonical_ids_differ(distinct, id_width(distinct, numeric=False)):
        return None  # "t03002", or "3002" beside five-digit ids: the full path mends them
    values = frame.select(list(VALUE_SCHEMA))
    if values.height > 1 and has_duplicates(values):
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
    return Normalised(
        values,
        registry,
        pl.DataFrame(schema=REJECTED_SCHEMA),
        empty_conflicts(),
        empty_missing(),
    )


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
        id_column(frame, id_col).alias("id_raw"),
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


def _finish_rejected(rejected: pl.DataFrame, raw: RawTable) -> pl.DataFrame:
    """Rejected rows of the format reader and the normaliser, in line order."""
    schema = pl.Schema(REJECTED_SCHEMA)
    both = pl.concat([raw.rejected.cast(schema), rejected.cast(schema)])
    return both.with_columns(pl.col("column", "value").fill_null("")).sort(
        "line", maintain_order=True
    )
