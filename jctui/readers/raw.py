"""What a format reader hands to the normaliser: the file's own columns plus line numbers.

Format readers (csv, json, parquet, excel) only split bytes into columns; mapping onto the
canonical model (names, numbers, dates, metrics, duplicates) happens once, in normalise.py
(with validate.py and registry.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from jctui.model import empty_rejected
from jctui.readers.parse import detect_decimal

# Name of the column that carries each row's line number in the file (header = line 1).
LINE = "__jctui_line__"


GENESIS_DETAILS = "GENESIS flat file"  # ReadResult.details of a GENESIS flat file


@dataclass(frozen=True)
class RawTable:
    """The file's columns as read (any dtype) plus LINE; numbers in text use `decimal`."""

    frame: pl.DataFrame
    format: str
    decimal: str = "auto"  # "," | "." | "auto": decimal mark of numbers stored as text
    separator: str = ""  # CSV separator; tie-breaker when the decimal mark is ambiguous
    encoding: str = ""
    # rows the format reader itself could not use (ragged CSV rows, bad NDJSON lines)
    rejected: pl.DataFrame = field(default_factory=empty_rejected)
    # figures the catalogue lacks, read under their label: key -> label as given
    labels: dict[str, str] = field(default_factory=dict)

    def decimal_of(self, column: pl.Series) -> str:
        """Decimal mark for parsing `column`: the configured one, else told by its texts."""
        if column.dtype == pl.String and self.decimal not in (",", "."):
            return detect_decimal(column, self.separator)
        return self.decimal


def rejected_frame(
    origin: str, lines: pl.Series, column: str, values: pl.Series, problem: str
) -> pl.DataFrame:
    """Rejected rows in REJECTED_SCHEMA from parallel line/value series."""
    return pl.DataFrame(
        {
            "source": pl.Series([origin] * len(lines), dtype=pl.String),
            "line": lines.cast(pl.Int64),
            "column": pl.Series([column] * len(lines), dtype=pl.String),
            "value": values.cast(pl.String),
            "problem": pl.Series([problem] * len(lines), dtype=pl.String),
        }
    )


def rejected_rows(
    rows: pl.DataFrame, origin: str, column: pl.Expr, value: pl.Expr, problem: pl.Expr
) -> pl.DataFrame:
    """Each of `rows` as a rejected row (REJECTED_SCHEMA) at its LINE; column, value and
    problem are evaluated on `rows`."""
    return rows.select(
        source=pl.lit(origin, dtype=pl.String),
        line=pl.col(LINE).cast(pl.Int64),
        column=column.cast(pl.String),
        value=value.cast(pl.String),
        problem=problem.cast(pl.String),
    )


def one_line(exc: BaseException, limit: int = 160) -> str:
    """First line of an exception message, shortened: safe to show in a one-line error."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
