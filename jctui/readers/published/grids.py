"""A published file as a grid of text cells c0, c1, ... (title rows and footers too): a
worksheet's, a CSV file's, and the first rows of a CSV file for recognising its layout.
"""

from __future__ import annotations

import csv
import io
import re

import polars as pl

from jctui.config import SourceDef
from jctui.errors import SourceError
from jctui.readers.csv import SEPARATORS, decode_to_utf8
from jctui.readers.excel import check_workbook
from jctui.readers.layout import HEAD_ROWS
from jctui.readers.limits import limits_for
from jctui.readers.raw import LINE, one_line
from jctui.readers.workbook import percent_cells


def excel_grid(
    data: bytes, source: SourceDef, origin: str
) -> tuple[pl.DataFrame, str, tuple[str, ...]]:
    """Every row of a worksheet as text cells c0, c1, ... (numbers as their text, so an id
    stored as a number keeps its digits), the sheet's name and every sheet's; LINE is the
    sheet row."""
    data = check_workbook(data, origin, limits_for(source))
    import fastexcel

    try:
        book = fastexcel.read_excel(data)
        names = book.sheet_names
        if source.sheet:
            if source.sheet not in names:
                raise SourceError(
                    f"{origin}: no sheet named {source.sheet!r} (sheets: {', '.join(names)})"
                )
            sheet = source.sheet
        else:
            # an Eckwerte workbook keeps its figures on "1.1 Eckwerte" behind cover sheets
            sheet = next((n for n in names if n.strip().startswith("1.1")), names[0])
        frame = book.load_sheet(sheet, header_row=None, dtypes="string").to_polars()
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(f"{origin}: cannot read Excel workbook: {one_line(exc)}") from None
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    frame = frame.with_columns([pl.col(c).cast(pl.String) for c in frame.columns]).with_columns(
        pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(LINE)
    )
    shown = percent_cells(data, sheet, origin, limits_for(source))
    return as_shown(frame, {f"c{j}": rows for j, rows in shown.items()}), sheet, tuple(names)


def as_shown(frame: pl.DataFrame, percent: dict[str, list[int]]) -> pl.DataFrame:
    """The numbers of the cells shown as a percentage (`percent`: column -> 0-based rows)
    as they are shown: 0.198 in a cell formatted "0.0%" is 19.8, never 0.198."""
    row = pl.int_range(0, pl.len(), dtype=pl.Int64)
    return frame.with_columns(
        pl.when(row.is_in(rows))
        .then((pl.col(name).cast(pl.Float64, strict=False) * 100).round(10).cast(pl.String))
        .otherwise(pl.col(name))
        .alias(name)
        for name, rows in percent.items()
        if name in frame.columns
    )


def csv_head(data: bytes, source: SourceDef, origin: str) -> tuple[list[list[str]], str]:
    """The first rows of a CSV file as cells (for the plain-table check and the layout), and
    its separator; only the head is decoded, so a plain file costs almost nothing here."""
    end = -1
    for _ in range(HEAD_ROWS):
        end = data.find(b"\n", end + 1)
        if end < 0:
            break
    head, _ = decode_to_utf8(data if end < 0 else data[:end], source.encoding, origin)
    text = head.decode("utf-8", errors="replace").replace("\r", "")
    if source.separator not in ("", "auto"):
        separator = "\t" if source.separator in ("\\t", "tab") else source.separator
    else:
        separator = max(SEPARATORS, key=lambda sep: _unquoted(text).count(sep))
    rows = [next(csv.reader([line], delimiter=separator), []) for line in text.split("\n")]
    return [[c.strip() for c in row] for row in rows], separator


def _unquoted(text: str) -> str:
    return re.sub(r'"[^"]*"', "", text)


def csv_grid(
    data: bytes, source: SourceDef, separator: str, origin: str
) -> tuple[pl.DataFrame, str]:
    """Every row of a CSV file as text cells c0, c1, ... (title rows and footers too) and its
    encoding; LINE is the physical line. The width is the widest of the first and last rows
    (published tables are padded to their width)."""
    text, encoding = decode_to_utf8(data, source.encoding, origin)
    lines = text.split(b"\n", HEAD_ROWS * 2)[: HEAD_ROWS * 2] + text[-8192:].split(b"\n")
    width = max(line.count(separator.encode()) for line in lines) + 1
    try:
        grid = pl.read_csv(
            io.BytesIO(text),
            separator=separator,
            has_header=False,
            infer_schema=False,
            schema={f"c{i}": pl.String for i in range(width)},
            missing_columns="insert",
            extra_columns="ignore",
            truncate_ragged_lines=True,
        )
    except Exception as exc:
        raise SourceError(f"{origin}: not a readable CSV file: {one_line(exc)}") from None
    return grid.with_columns(pl.int_range(1, grid.height + 1, dtype=pl.Int64).alias(LINE)), encoding


def head_rows(data: bytes, fmt: str, source: SourceDef, origin: str) -> list[list[str]]:
    """The first rows of a CSV file or worksheet as text cells (for telling how far the
    reading of a layout got)."""
    from jctui import formats

    declared = formats.get(fmt)
    if declared is not None and declared.delimited:
        return csv_head(data, source, origin)[0]
    grid = excel_grid(data, source, origin)[0]
    return [[(c or "").strip() for c in r] for r in grid.drop(LINE).head(HEAD_ROWS).rows()]
