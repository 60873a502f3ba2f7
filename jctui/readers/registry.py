"""The registry (one row per Jobcenter) from a registry file or from registry columns inline.

One row per jobcenter_id, the last non-empty value of each column wins; carriers are read
as zkT or gE. A registry file also reports its bad rows (missing id or name, unknown
carrier, inhabitants not a number, an id repeated with other details).
"""

from __future__ import annotations

import polars as pl

from jctui.model import REGISTRY_COLUMNS, REGISTRY_SCHEMA, REJECTED_SCHEMA
from jctui.readers.ids import id_column
from jctui.readers.parse import as_text, parse_values
from jctui.readers.raw import LINE, RawTable, rejected_rows

REGISTRY_EXTRA: tuple[str, ...] = tuple(c for c in REGISTRY_COLUMNS if c != "jobcenter_id")
# carriers as published: short forms, long forms, "gemeinsame Einrichtung (gE)" (the part in
# brackets is dropped before looking the rest up)
CARRIER_ALIASES: dict[str, str] = {
    "zkt": "zkT",
    "zugelassener kommunaler träger": "zkT",
    "zugelassene kommunale träger": "zkT",
    "zugelassener kommunaler traeger": "zkT",
    "kommunaler träger": "zkT",
    "optionskommune": "zkT",
    "option": "zkT",
    "ge": "gE",
    "gemeinsame einrichtung": "gE",
    "gemeinsame einrichtungen": "gE",
    "arge": "gE",
}


def carrier_expr(text: pl.Expr) -> pl.Expr:
    """zkT or gE from a carrier as published (null when it names neither)."""
    lower = text.str.to_lowercase().str.strip_chars()
    bare = lower.str.replace_all(r"\s*\([^)]*\)", "").str.strip_chars()
    short = lower.str.extract(r"\((zkt|ge)\)")
    return pl.coalesce(
        *(
            t.replace_strict(CARRIER_ALIASES, default=None, return_dtype=pl.String)
            for t in (lower, bare, short)
        )
    )


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
        inhabitants = parse_values(inh_col, inh_dtype, raw.decimal_of(frame.get_column(inh_col)))
        inh_text = as_text(inh_col, inh_dtype)
    else:
        inh_col = ""
        inhabitants = pl.lit(None, dtype=pl.Float64)
        inh_text = pl.lit(None, dtype=pl.String)
    rows = frame.select(
        pl.col(LINE),
        id_column(frame, id_col).alias("jobcenter_id"),
        *text_columns,
        carrier_text=carrier_text,
        carrier=carrier_expr(carrier_text),
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
                rejected_rows(
                    rows.filter(condition), origin, pl.lit(column), pl.col(value), pl.lit(problem)
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
    problem = pl.format(
        "jobcenter_id repeated with other details (merged: line {} wins where it has a value)",
        pl.col(f"{LINE}_kept"),
    )
    return rejected_rows(compared, origin, pl.lit(id_col), pl.col("jobcenter_id"), problem)
