"""Lazy scans of files already in the canonical long layout: read only what a lookup needs.

A one-off lookup (`jctui show`) needs the period list, the registry and ~25 periods of all
Jobcenters; reading and checking a whole 1M-row file for that costs seconds and hundreds of
MB. For a file whose columns are the canonical names (and types, for Parquet), this gives a
Polars LazyFrame in the canonical schema, so the period and column selection is pushed into
the read (Parquet row groups and columns are skipped; CSV and NDJSON are parsed by Polars
without a Python step and without materialising what is filtered away).

Anything else (a column mapping, a wide layout, German numbers or months, another encoding,
JSON under a records_path) returns None, and the caller takes the full reader
(`read_bytes`), which also reports bad rows with their line. The rows a lookup reads are
checked by the caller (`usable`); a file with problems elsewhere is checked by `jctui check`.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from jctui import formats
from jctui.config import MetricDef, SourceDef
from jctui.model import REGISTRY_SCHEMA, VALUE_SCHEMA
from jctui.readers.formats import scan_of
from jctui.readers.registry import REGISTRY_EXTRA

CACHE_FORMAT = "ipc"  # the offline cache's Arrow IPC files: scanned, never configured
_HEAD_BYTES = 65_536
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def scan_canonical(path: Path, fmt: str, source: SourceDef) -> pl.LazyFrame | None:
    """The file as a LazyFrame with VALUE_SCHEMA (+ the inline registry columns it has, in
    REGISTRY_SCHEMA types), or None when it needs the full reader. The scan of a format is
    the one it declares (jctui.formats); the cache's IPC files have their own."""
    declared = formats.get(fmt)
    scan = scan_ipc if fmt == CACHE_FORMAT else scan_of(declared) if declared else None
    if (
        scan is None
        or source.layout != "long"
        or source.role != "values"
        or any(source.columns.get(c, c) != c for c in (*VALUE_SCHEMA, *REGISTRY_EXTRA))
        or source.metrics
    ):
        return None
    try:
        return scan(path, source)
    except (OSError, pl.exceptions.PolarsError):
        return None


def scannable() -> frozenset[str]:
    """The formats a lookup may scan lazily: those declaring a scan, and the cache's."""
    return frozenset({CACHE_FORMAT, *(f.name for f in formats.formats() if f.scan)})


def scan_parquet(path: Path, source: SourceDef) -> pl.LazyFrame | None:
    """A Parquet file whose canonical columns have the canonical types."""
    return _typed_file(pl.scan_parquet(path))


def scan_ipc(path: Path, source: SourceDef) -> pl.LazyFrame | None:
    """An Arrow IPC file (the offline cache) whose canonical columns have the canonical types."""
    return _typed_file(pl.scan_ipc(path))


def _columns(names: list[str]) -> list[str] | None:
    """The canonical columns among `names`: None unless all four value columns are there."""
    if not all(c in names for c in VALUE_SCHEMA):
        return None
    return [*VALUE_SCHEMA, *(c for c in REGISTRY_EXTRA if c in names)]


def _typed_file(lf: pl.LazyFrame) -> pl.LazyFrame | None:
    """A Parquet or IPC scan whose canonical columns have the canonical types."""
    schema = lf.collect_schema()
    columns = _columns(list(schema))
    if columns is None:
        return None
    wanted = {**REGISTRY_SCHEMA, **VALUE_SCHEMA}
    if any(schema[c] != wanted[c] for c in columns):
        return None
    return lf.select(columns)


def _head(path: Path) -> tuple[str, str] | None:
    """The first two lines of a UTF-8 text file (BOM removed), None for anything else."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        return None
    head = head.removeprefix(codecs.BOM_UTF8)
    line, newline, rest = head.partition(b"\n")
    if not newline:
        return None
    try:
        return line.decode("utf-8").rstrip("\r"), rest.partition(b"\n")[0].decode("utf-8").rstrip(
            "\r"
        )
    except UnicodeDecodeError:
        return None


def _schema(names: list[str], first_row: str, separator: str) -> dict[str, pl.DataType]:
    """The read types of a text file's columns: repeated texts as categories (4 bytes a row),
    ISO dates as dates when the first row has them, numbers as Float64; other columns text."""
    fields = dict(zip(names, first_row.split(separator), strict=False)) if separator else {}
    schema: dict[str, pl.DataType] = {}
    for name in names:
        if name == "period":
            iso = _ISO_DATE.match(fields.get(name, "").strip().strip('"')) is not None
            schema[name] = pl.Date() if iso or not separator else pl.String()
        elif name in ("value", "inhabitants"):
            schema[name] = pl.Float64()
        elif name in (*VALUE_SCHEMA, *REGISTRY_EXTRA):
            schema[name] = pl.Categorical()
        else:
            schema[name] = pl.String()
    return schema


def _months(lf: pl.LazyFrame, schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    """Periods written as months (2018-07) as the first day of the month."""
    if schema.get("period") == pl.Date():
        return lf
    text = pl.col("period").str.strip_chars()
    return lf.with_columns(
        period=pl.when(text.str.len_bytes() == 7)
        .then(text + "-01")
        .otherwise(text)
        .str.to_date("%Y-%m-%d", strict=False)
    )


def scan_csv(path: Path, source: SourceDef) -> pl.LazyFrame | None:
    """A UTF-8 CSV file with "," between the canonical names, "." decimals."""
    if (
        source.encoding.lower() not in ("auto", "utf-8", "utf8", "utf-8-sig")
        or source.decimal == ","
    ):
        return None
    head = _head(path)
    if head is None or '"' in head[0]:
        return None
    first, row = head
    separator = source.separator if source.separator not in ("", "auto") else ","
    names = [n.strip() for n in first.split(separator)]
    if separator != "," or len(names) != len(set(names)) or names != first.split(separator):
        return None
    columns = _columns(names)
    if columns is None:
        return None
    schema = _schema(names, row, separator)
    lf = pl.scan_csv(path, separator=separator, schema=schema, encoding="utf8")
    return _months(lf.select(columns), schema)


def scan_ndjson(path: Path, source: SourceDef) -> pl.LazyFrame | None:
    """NDJSON whose first object has the canonical names (no records_path)."""
    if source.records_path:
        return None
    head = _head(path)
    if head is None or not head[0].lstrip().startswith("{"):
        return None
    try:
        first = json.loads(head[0])
    except ValueError:
        return None
    if not isinstance(first, dict):
        return None
    columns = _columns(list(first))
    if columns is None:
        return None
    schema = _schema(columns, "", "")
    schema["period"] = pl.String()
    return _months(pl.scan_ndjson(path, schema=schema), schema)


def usable(frame: pl.DataFrame, catalogue: Mapping[str, MetricDef]) -> bool:
    """True when the rows a lookup read need nothing of the full reader: no missing or
    unparseable field, known metrics, monthly periods on the 1st, no key twice."""
    if frame.is_empty():
        return False
    ok = frame.select(
        (
            pl.all_horizontal(pl.col(list(VALUE_SCHEMA)).is_not_null())
            & pl.col("metric").is_in(list(catalogue))
            & pl.col("value").is_finite()
            & (pl.col("period").dt.day() == 1)
        ).all()
    ).item()
    if not ok:
        return False
    keys = frame.select(pl.struct("jobcenter_id", "period", "metric").is_duplicated().any()).item()
    return not keys
