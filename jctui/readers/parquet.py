"""Parquet reader: typed columns as stored. `line` of a row is its 1-based row number + 1,
as if the column names were line 1 (the same numbering as CSV and Excel)."""

from __future__ import annotations

import io

import polars as pl

from jctui.config import SourceDef
from jctui.errors import SourceError
from jctui.readers.raw import LINE, RawTable, one_line


def read_parquet(data: bytes, source: SourceDef, origin: str) -> RawTable:
    if not data.startswith(b"PAR1"):
        raise SourceError(f"{origin}: not a Parquet file (no PAR1 header)")
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception as exc:
        raise SourceError(f"{origin}: invalid Parquet file: {one_line(exc)}") from None
    frame = frame.with_columns(pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias(LINE))
    return RawTable(frame=frame, format="parquet", decimal=source.decimal)
