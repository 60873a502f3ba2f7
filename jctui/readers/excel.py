"""Excel (.xlsx/.xlsm) reader via polars.read_excel with the calamine engine (fastexcel).

fastexcel is the optional extra "excel"; without it a MissingExtraError says how to install it.
`line` is the sheet row: the header is row 1, the first data row is row 2.

calamine holds a worksheet as a dense grid of its extent (and reserves its declared
dimension): one cell at XFD1048576 asks for 512 GB and aborts the process. So the workbook
is checked first (jctui.readers.workbook): its parts, cells and shared strings within the
limits, a dimension that lies about the cells dropped before calamine sees it.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import re
import threading

import polars as pl

from jctui.config import SourceDef
from jctui.errors import MissingExtraError, SourceError
from jctui.readers.limits import LIMITS, Limits, limits_for
from jctui.readers.raw import LINE, RawTable, one_line
from jctui.readers.workbook import bounded_workbook, percent_cells

INSTALL_HINT = "pip install 'jctui[excel]'"


def require_fastexcel(origin: str) -> None:
    try:
        importlib.import_module("fastexcel")
    except ImportError:
        raise MissingExtraError(
            f"{origin}: reading Excel files needs the optional extra 'excel': {INSTALL_HINT}"
        ) from None


_CHECKED: dict[tuple[bytes, Limits], bytes] = {}  # the last workbook checked, its result
_CHECKED_LOCK = threading.Lock()


def check_workbook(data: bytes, origin: str, limits: Limits = LIMITS) -> bytes:
    """The workbook as calamine may read it: the extra is installed, the bytes are an .xlsx
    workbook (a zip) within the limits (a lying dimension dropped), else one line. The last
    result is kept by the bytes' digest: a workbook of many sheets is read sheet by sheet,
    and checking it whole for each would cost the square of its sheets."""
    require_fastexcel(origin)
    if not data.startswith(b"PK"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise SourceError(f"{origin}: legacy .xls workbook; save it as .xlsx")
        raise SourceError(f"{origin}: not an Excel .xlsx file")
    key = (hashlib.blake2b(data, digest_size=20).digest(), limits)
    with _CHECKED_LOCK:
        known = _CHECKED.get(key)
    if known is not None:
        return known or data
    checked = bounded_workbook(data, origin, limits)
    with _CHECKED_LOCK:  # b"": the bytes themselves (not kept alive here)
        _CHECKED.clear()
        _CHECKED[key] = b"" if checked is data else checked
    return checked


HEADER_CHARS = 1_000  # characters of a header cell: a longer one is no table's header


def header_within(data: bytes, source: SourceDef, origin: str) -> None:
    """Refuse a header cell over HEADER_CHARS before Polars reads the sheet: it makes every
    header a column name, and 24 MB of them took it 29 s and 1.6 GB (fastexcel reads the
    row as text cells in a moment)."""
    import fastexcel

    try:
        book = fastexcel.read_excel(data)
        sheet = book.load_sheet(source.sheet or 0, header_row=None, n_rows=1, dtypes="string")
        head = sheet.to_polars()
    except Exception:
        return  # read_excel below says what is wrong with the workbook
    for j, name in enumerate(head.row(0) if head.height else ()):
        if isinstance(name, str) and len(name) > HEADER_CHARS:
            raise SourceError(
                f"{origin}: the header of column {j + 1} has {len(name):,} characters, over "
                f"the limit of {HEADER_CHARS:,} characters of a header"
            )


def read_excel(data: bytes, source: SourceDef, origin: str) -> RawTable:
    data = check_workbook(data, origin, limits_for(source))
    header_within(data, source, origin)
    kwargs: dict[str, object] = {"sheet_name": source.sheet} if source.sheet else {"sheet_id": 1}
    # empty rows and columns are dropped after the percentage cells are found by position
    kwargs |= {"drop_empty_rows": False, "drop_empty_cols": False}
    try:
        frame = pl.read_excel(io.BytesIO(data), engine="calamine", **kwargs)  # type: ignore[call-overload]
    except Exception as first_exc:
        message = one_line(first_exc)
        if source.sheet and "sheet" in message.lower() and "not found" in message.lower():
            raise SourceError(f"{origin}: no sheet named {source.sheet!r}") from None
        try:  # mixed types in a column: read every cell as text, parse later
            frame = pl.read_excel(
                io.BytesIO(data),
                engine="calamine",
                infer_schema_length=0,
                **kwargs,  # type: ignore[call-overload]
            )
        except Exception:
            raise SourceError(f"{origin}: cannot read Excel workbook: {message}") from None
    if isinstance(frame, dict):  # pragma: no cover - only with sheet_id=0
        frame = next(iter(frame.values()))
    frame = _as_shown(frame, percent_cells(data, source.sheet, origin, limits_for(source)))
    frame = _without_empty(frame)
    frame = frame.with_columns(pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias(LINE))
    return RawTable(frame=frame, format="xlsx", decimal=source.decimal)


def _without_empty(frame: pl.DataFrame) -> pl.DataFrame:
    """The sheet without its empty rows and its empty columns without a header (what
    read_excel drops by default, here after the cells were found by their position)."""
    unnamed = re.compile(r"(_duplicated_|__UNNAMED__)\d+$")
    empty = [
        name
        for name in frame.columns
        if (name == "" or unnamed.match(name)) and frame[name].null_count() == frame.height
    ]
    frame = frame.drop(empty)
    return frame.filter(~pl.all_horizontal(pl.all().is_null())) if frame.width else frame


def _as_shown(frame: pl.DataFrame, percent: dict[int, list[int]]) -> pl.DataFrame:
    """The numbers of the cells shown as a percentage as they are shown (0.198 in a cell
    formatted "0.0%" is 19.8); `percent` counts the header as row 0."""
    row = pl.int_range(1, pl.len() + 1, dtype=pl.Int64)  # the header is the range's row 0

    def shown(name: str, rows: list[int]) -> pl.Expr:
        number = pl.col(name).cast(pl.Float64, strict=False) * 100
        as_dtype = number.round(10).cast(frame.schema[name], strict=False)
        return pl.when(row.is_in(rows)).then(as_dtype).otherwise(pl.col(name)).alias(name)

    names = frame.columns
    return frame.with_columns(
        shown(names[j], rows)
        for j, rows in percent.items()
        if j < len(names) and frame.schema[names[j]] in (pl.Float64, pl.String, pl.Int64)
    )
