"""The aggregate rows of a published table (Deutschland, West, Ost, the states): told apart
from Jobcenters by their ids and names, kept as reference values, never as Jobcenters.
"""

from __future__ import annotations

import polars as pl

from jctui.model import (
    AGGREGATE_SCHEMA,
    NATIONAL_IDS,
    NATIONAL_NAMES,
    STATE_NAMES,
    aggregate_name_key,
    empty_aggregates,
)

AGGREGATE_NAMES: frozenset[str] = frozenset(
    {*NATIONAL_NAMES, "westdeutschland", "ostdeutschland", "west", "ost",
     "westdeutschland (ohne berlin)", "ostdeutschland (mit berlin)", "westdeutschland ohne berlin",
     "ostdeutschland mit berlin", "summe", *STATE_NAMES}
)  # fmt: skip
# a subtotal row of a table grouped by comparison type, and the type it sums up
SUBTOTAL = r"(?i)^\s*(summe|insgesamt|zusammen|gesamt|total)\b"
SUBTOTAL_TYPE = r"(?i)typ\s+(I{1,3}\s?[a-e]?)\b"
ALL = "*"  # the subtotal of every Jobcenter of the table ("Insgesamt")
AGGREGATE_IDS: frozenset[str] = frozenset({*NATIONAL_IDS, "w", "o", "wd", "od"})


def split_aggregates(
    values: pl.DataFrame, registry: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(values, registry, aggregates) of a plain table that carries aggregate rows (a
    key-figure table cleaned by hand): a row named Deutschland, West, Ost or a state, without
    a Jobcenter number, is an aggregate, never a Jobcenter."""
    if registry.is_empty():
        return values, registry, empty_aggregates()
    ident = pl.col("jobcenter_id").str.strip_chars().str.to_lowercase()
    name = aggregate_name_key()
    found = registry.filter(
        ~ident.str.contains(r"^t?\d{3,5}$").fill_null(False)
        & name.is_in(list(AGGREGATE_NAMES)).fill_null(False)
    ).select("jobcenter_id", "name")
    if found.is_empty():
        return values, registry, empty_aggregates()
    ids = found.get_column("jobcenter_id").implode()
    aggregates = (
        values.filter(pl.col("jobcenter_id").is_in(ids))
        .join(found, on="jobcenter_id", how="left")
        .select(list(AGGREGATE_SCHEMA))
        .cast(pl.Schema(AGGREGATE_SCHEMA))
    )
    return (
        values.filter(~pl.col("jobcenter_id").is_in(ids)),
        registry.filter(~pl.col("jobcenter_id").is_in(ids)),
        aggregates,
    )


def is_aggregate() -> pl.Expr:
    """Rows of Germany, West/East and the states: an id D/W/O or a state code of one or two
    digits, or (without a Jobcenter number) an aggregate's name."""
    ident = pl.col("jobcenter_id").str.strip_chars().str.to_lowercase()
    name = aggregate_name_key()
    jobcenter_number = ident.str.contains(r"^t?\d{3,5}$").fill_null(False)
    return (
        ident.is_in(list(AGGREGATE_IDS)).fill_null(False)
        | ident.str.contains(r"^\d{1,2}$").fill_null(False)
        | (~jobcenter_number & name.is_in(list(AGGREGATE_NAMES)).fill_null(False))
    )


def subtotal_members(rows: pl.DataFrame) -> pl.DataFrame:
    """Each subtotal row's members (jobcenter_id, member): the Jobcenters of the
    comparison type a "Summe Vergleichstyp IIb" row names, every Jobcenter of the table for
    "Insgesamt"; empty without such rows."""
    if "_subtotal" not in rows.columns:
        return pl.DataFrame(schema={"jobcenter_id": pl.String, "member": pl.String})
    subtotals = rows.filter(pl.col("_subtotal").is_not_null()).select("jobcenter_id", "_subtotal")
    jobcenters = rows.filter(~pl.col("aggregate")).select(
        pl.col("jobcenter_id").alias("member"), pl.col("comparison_type").alias("_subtotal")
    )
    typed = subtotals.filter(pl.col("_subtotal") != ALL).join(jobcenters, on="_subtotal")
    everyone = subtotals.filter(pl.col("_subtotal") == ALL).join(
        jobcenters.select("member"), how="cross"
    )
    pairs = [typed.select("jobcenter_id", "member"), everyone.select("jobcenter_id", "member")]
    return pl.concat(pairs).unique()
