"""An .xlsx workbook checked before calamine (fastexcel) reads it: bounded work.

calamine reads a worksheet into a dense grid from A1 to its last cell, and reserves the
grid its `<dimension ref=...>` declares: a 5 KB file with one cell at XFD1048576 asks for
512 GB and aborts the whole process. So the worksheets' XML is streamed first (never more
than the unpack limit, a chunk at a time): the extent of the cells (their `r` references)
must stay within the cell limit, else one line names the sheet, the cell and the limit; a
declared dimension larger than the cells is dropped from the copy handed on (it then costs
nothing); the shared-string table is counted against its own limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from jctui.errors import SourceError
from jctui.readers.limits import Limits, open_zip, read_member, stream_member

_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_DECLARED_SHEET = re.compile(rb"<(?:\w+:)?sheet\s")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"[^>]*>")
_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,4})([0-9]{1,9})\"")
# a row or cell element and its attributes; one without an `r` reference is placed after
# the one before it (calamine counts on), so such rows and cells widen the grid too
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)((?:\s[^>]*)?)>")
_HAS_REF = re.compile(rb"\sr=\"")
_ROW = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"([0-9]{1,9})\"")
_SHARED = re.compile(rb"<(?:\w+:)?si[\s/>]")
_SHARED_END = re.compile(rb"</(?:\w+:)?sst>")
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>")
# Excel holds at most 32,767 characters in a cell (at most 4 bytes each in UTF-8): a cell
# or shared string of more bytes than this is no spreadsheet's, and one of 90 MB took
# 1.6 GB in calamine and Polars (it became a column name).
CELL_BYTES = 1 << 17
_REF = re.compile(r"([A-Z]{1,4})([0-9]{1,9})")


def column_number(letters: str | bytes) -> int:
    """A column's number from its letters: A = 1, XFD = 16384."""
    text = letters.decode() if isinstance(letters, bytes) else letters
    number = 0
    for ch in text:
        number = number * 26 + ord(ch) - 64
    return number


class Spacing:
    """The widest distance between the starts of consecutive elements (cells, shared
    strings) of an XML member read in chunks: the size of its largest element."""

    def __init__(self) -> None:
        self.previous = -1
        self.widest = 0

    def at(self, positions: Iterator[int]) -> int:
        """Take the start positions of elements; return how many there were."""
        count = 0
        for position in positions:
            if self.previous >= 0:
                self.widest = max(self.widest, position - self.previous)
            self.previous = position
            count += 1
        return count


def within_cell_size(widest: int, where: str) -> None:
    """Refuse a member whose largest element (a cell, a shared string) is over CELL_BYTES."""
    if widest > CELL_BYTES:
        raise SourceError(
            f"{where}: a cell of more than {CELL_BYTES:,} bytes (a cell of Excel holds at "
            "most 32,767 characters)"
        )


@dataclass(frozen=True)
class SheetExtent:
    """What a worksheet's XML says about its size."""

    declared: int  # cells of its <dimension>, 0 when it has none
    rows: int  # the last row of a cell or row reference
    columns: int  # the last column of a cell reference
    cells: int  # <c> elements
    last: str  # the reference of the farthest cell
    widest: int = 0  # bytes of its largest cell

    @property
    def grid(self) -> int:
        """Cells of the dense grid calamine builds: A1 to the last row and column."""
        return max(self.rows, 1) * max(self.columns, self.cells and 1)


def declared_cells(ref: str) -> int:
    """Cells of a dimension such as "A1:XFD1048576" (0 when it is not one)."""
    found = _REF.findall(ref.upper())
    if not found:
        return 0
    rows = [int(r) for _, r in found]
    cols = [column_number(c) for c, _ in found]
    return (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)


def xml_chunks(archive: zipfile.ZipFile, name: str, origin: str, limit: int) -> Iterator[bytes]:
    """A member's XML a chunk at a time, each cut before its last tag (which starts the
    next chunk), so that no element is split between two."""
    carry = b""
    for chunk in stream_member(archive, name, origin, limit):
        text = carry + chunk
        cut = text.rfind(b"<")
        cut = cut if cut > 0 and len(text) - cut < 4096 else len(text)
        yield text[:cut]
        carry = text[cut:]
    yield carry


def sheet_extent(archive: zipfile.ZipFile, name: str, origin: str, limits: Limits) -> SheetExtent:
    """The extent of one worksheet, from its XML streamed a chunk at a time."""
    declared = rows = columns = cells = offset = 0
    rowless = in_row = widest_row = 0  # rows without `r`; cells without `r` in a row
    last = ""
    spacing = Spacing()
    for body in xml_chunks(archive, name, origin, limits.unpacked_bytes):
        if not declared and (dimension := _DIMENSION.search(body)):
            declared = declared_cells(dimension.group(1).decode("ascii", "replace"))
        starts: list[int] = []
        for m in _ROW_OR_CELL.finditer(body):
            referenced = _HAS_REF.search(m.group(2)) is not None
            if m.group(1) == b"row":
                rowless += not referenced
                in_row = 0
            else:
                starts.append(offset + m.start())
                if not referenced:
                    in_row += 1
                    widest_row = max(widest_row, in_row)
        cells += spacing.at(iter(starts))
        spacing.at(offset + m.start() for m in _SHEET_DATA_END.finditer(body))
        offset += len(body)
        refs = _CELL.findall(body)
        if refs:
            far_col = max({c for c, _ in refs}, key=lambda c: (len(c), c))
            far_row = max(int(r) for r in {r for _, r in refs})
            if column_number(far_col) > columns or far_row > rows:
                last = f"{far_col.decode()}{far_row}"
            columns = max(columns, column_number(far_col))
            rows = max(rows, far_row)
        row_refs = _ROW.findall(body)
        if row_refs:
            rows = max(rows, max(int(r) for r in set(row_refs)))
        if cells > limits.sheet_cells or spacing.widest > CELL_BYTES:
            break
    return SheetExtent(declared, rows + rowless, columns + widest_row, cells, last, spacing.widest)


def bounded_workbook(data: bytes, origin: str, limits: Limits) -> bytes:
    """The workbook's bytes when calamine may read them (a copy without the dimension of a
    sheet that declares more cells than it has), else a SourceError naming the limit."""
    try:
        archive = open_zip(data, origin, limits)
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{origin}: cannot read Excel workbook: not a ZIP ({exc})") from None
    sheets = sum(1 for name in archive.namelist() if _SHEET.fullmatch(name))
    if "xl/workbook.xml" in archive.namelist():  # the sheets it declares, wherever they are
        sheets = max(
            sheets,
            sum(
                len(_DECLARED_SHEET.findall(chunk))
                for chunk in xml_chunks(archive, "xl/workbook.xml", origin, limits.unpacked_bytes)
            ),
        )
    if sheets > limits.sheets:
        raise SourceError(
            f"{origin}: {sheets:,} worksheets, over the limit of {limits.sheets:,} sheets"
            f" ({limits.key('sheets')})"
        )
    lying: list[str] = []
    for name in archive.namelist():
        if name.lower().endswith(".xml") and name.lower() != "xl/sharedstrings.xml":
            # every XML part, not only xl/worksheets/: the workbook's relations may point
            # a sheet at any part, and calamine reads whatever they name
            extent = sheet_extent(archive, name, origin, limits)
            where = f"{origin}: sheet {name.rsplit('/', 1)[-1]}"
            within_cell_size(extent.widest, where)
            if extent.cells > limits.sheet_cells:
                raise SourceError(
                    f"{where}: over {limits.sheet_cells:,} cells, the limit of cells per sheet"
                    f" ({limits.key('sheet_cells')})"
                )
            if extent.grid > limits.sheet_cells:
                raise SourceError(
                    f"{where}: cell {extent.last or '?'} spans {extent.rows:,} rows x "
                    f"{extent.columns:,} columns, over the limit of {limits.sheet_cells:,} cells"
                    f" ({limits.key('sheet_cells')})"
                )
            if extent.declared > max(extent.grid, 1) * 2:
                lying.append(name)
        elif name.lower() == "xl/sharedstrings.xml":
            count = offset = 0
            spacing = Spacing()
            for chunk in xml_chunks(archive, name, origin, limits.unpacked_bytes):
                count += spacing.at(offset + m.start() for m in _SHARED.finditer(chunk))
                spacing.at(offset + m.start() for m in _SHARED_END.finditer(chunk))
                offset += len(chunk)
                if spacing.widest > CELL_BYTES:
                    break
            within_cell_size(spacing.widest, f"{origin}: shared strings")
            if count > limits.shared_strings:
                raise SourceError(
                    f"{origin}: {count:,} shared strings, over the limit of "
                    f"{limits.shared_strings:,} shared strings ({limits.key('shared_strings')})"
                )
    return without_dimension(archive, lying, origin, limits) if lying else data


def without_dimension(
    archive: zipfile.ZipFile, sheets: list[str], origin: str, limits: Limits
) -> bytes:
    """A copy of the workbook whose `sheets` have no <dimension> element."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            content = read_member(archive, info.filename, origin, limits.unpacked_bytes)
            if info.filename in sheets:
                content = _DIMENSION.sub(b"", content, count=1)
            copy.writestr(info.filename, content)
    return out.getvalue()


# A number shown as a percentage (format "0.0%") is stored as its fraction: 19.8 % is 0.198
# in the cell. calamine gives the stored number; the cells' formats say which are shown so.
_PERCENT_BUILTIN = {9, 10}  # "0%", "0.00%"
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b[^>]*?numFmtId=\"(\d+)\"[^>]*?formatCode=\"([^\"]*)\"")
_WHOLE_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb"\b(r|s|t)=\"([^\"]*)\"")
_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_ANY_ATTR = re.compile(rb"([\w:]+)=\"([^\"]*)\"")


def _percent_code(code: str) -> bool:
    """True when a number format shows its number as a percentage ('%' outside quotes)."""
    import html

    text = re.sub(r'"[^"]*"|\\.', "", html.unescape(code))
    return "%" in text


def _sheet_member(archive: zipfile.ZipFile, sheet: str, origin: str, limits: Limits) -> str:
    """The member name of the worksheet called `sheet` ("" for the first), "" when unknown."""
    import html

    book = read_member(archive, "xl/workbook.xml", origin, limits.unpacked_bytes)
    entries = [dict(_ANY_ATTR.findall(m.group(1))) for m in _SHEET_ENTRY.finditer(book)]
    wanted = next(
        (e for e in entries if not sheet or html.unescape(e.get(b"name", b"").decode()) == sheet),
        None,
    )
    if wanted is None:
        return ""
    rid = next((v for k, v in wanted.items() if k.endswith(b":id")), b"")
    rels = read_member(archive, "xl/_rels/workbook.xml.rels", origin, limits.unpacked_bytes)
    for m in _REL.finditer(rels):
        attrs = dict(_ANY_ATTR.findall(m.group(1)))
        if attrs.get(b"Id") == rid:
            target = attrs.get(b"Target", b"").decode()
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return ""


def percent_cells(data: bytes, sheet: str, origin: str, limits: Limits) -> dict[int, list[int]]:
    """The numeric cells of a worksheet shown as a percentage: {column: [rows]}, both
    0-based within the range calamine reads (from the first row and column with a value).
    Empty when the workbook has none (or its parts cannot be told)."""
    try:
        archive = open_zip(data, origin, limits)
        styles = read_member(archive, "xl/styles.xml", origin, limits.unpacked_bytes)
        codes = {int(i): _percent_code(c.decode()) for i, c in _NUM_FMT.findall(styles)}
        xfs = _CELL_XFS.search(styles)
        percent_styles = set()
        for index, xf in enumerate(_XF.finditer(xfs.group(0) if xfs else b"")):
            fmt = dict(_ANY_ATTR.findall(xf.group(1))).get(b"numFmtId", b"0")
            number = int(fmt) if fmt.isdigit() else 0
            if number in _PERCENT_BUILTIN or codes.get(number, False):
                percent_styles.add(index)
        if not percent_styles:
            return {}
        member = _sheet_member(archive, sheet, origin, limits)
        if not member:
            return {}
        xml = read_member(archive, member, origin, limits.unpacked_bytes)
    except (KeyError, SourceError, zipfile.BadZipFile, ValueError):
        return {}
    first_row = first_col = 1 << 30
    found: list[tuple[int, int]] = []
    for m in _WHOLE_CELL.finditer(xml):
        attrs = dict(_ATTR.findall(m.group(1)))
        ref = _REF.match(attrs.get(b"r", b"").decode())
        body = m.group(2) or b""
        if ref is None or (b"<v" not in body and b"<is" not in body):
            continue
        row, col = int(ref.group(2)), column_number(ref.group(1))
        first_row, first_col = min(first_row, row), min(first_col, col)
        style = attrs.get(b"s", b"0")
        numeric = attrs.get(b"t", b"n") == b"n"
        if numeric and style.isdigit() and int(style) in percent_styles:
            found.append((row, col))
    cells: dict[int, list[int]] = {}
    for row, col in found:
        cells.setdefault(col - first_col, []).append(row - first_row)
    return cells
