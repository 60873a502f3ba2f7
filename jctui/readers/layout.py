"""The layout of a published table: where its header is, what its columns are, its month.

Official tables are made for print: title rows above the header ("Kennzahlen nach § 48a
SGB II", "Berichtsmonat: Juli 2018"), a header of one or two rows (a group header such as
"K2 - Integrationsquote" over "Zähler", "Nenner", "in %"), a row of column numbers, and
footnotes, a legend of signs and "Quelle: ..." below the data. This module finds these parts
in a grid of text cells (every cell a string, columns c0, c1, ...): the header from the
first ~30 rows (plain Python on a few rows), the footer with Polars expressions.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import polars as pl

from jctui.readers.parse import MONTHS
from jctui.readers.raw import LINE

HEAD_ROWS = 30
FILE_LINES = 10_000_000  # rows of a folder's files are numbered file * FILE_LINES + line
_NUMBER = re.compile(r"^[+-]?\d[\d.,\s]*%?$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,3})\)?\.?$")
_FOOTNOTE_MARKS = re.compile(r"(\s*(\d{1,2}\)|\*+))+\s*$")
# The first cell of a row below the data that starts the footer (footnotes, legend, source)
FOOTER = (
    r"(?i)^\s*(\d{1,2}\)|\(\d{1,2}\)|quelle|source|©|\(c\)|zeichenerkl|erläuterung|erlaeuterung"
    r"|hinweis|anmerkung|fußnote|fussnote|legende|stand:|[*x.\-–/]\s*=|\.\.\.\s*=|_{3,})"
)
# a heading row of a table grouped by comparison type, and the type it names
HEADING_TYPE = r"(?i)^\s*(?:sgb[\s-]*ii[\s-]*)?(?:vergleichs)?typ\s+(I{1,3}\s?[a-e]?)\b"
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_IN_TEXT = re.compile(rf"(?i)\b({_MONTH_NAMES})\.?\s+((?:19|20)\d{{2}})\b")
# a year over its months (a two-row header: "2017" spanning "November", "Dezember"), as
# the layout names such a column: "2017 | November"
_YEAR_OVER_MONTH = re.compile(rf"(?i)^((?:19|20)\d{{2}})\s*\|\s*({_MONTH_NAMES})\.?$")
_REPORT_MONTH = re.compile(r"(?i)(berichts|stichtags?|report(?:ing)?\s*)monat\w*\s*:?\s*(.+)")
_MONTH_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(?!\d)")


@dataclass(frozen=True)
class Layout:
    """Where the parts of a table are (0-based grid rows) and what its columns are called."""

    header: int  # the (last) header row
    group: int | None  # a group header row above it (two-row header), else None
    numbers_row: bool  # a row of column numbers or units ("Anzahl", "%") below the header
    titles: tuple[str, ...]  # texts of the rows above the header
    groups: tuple[str, ...]  # per column: its group header (forward-filled), "" without one
    subs: tuple[str, ...]  # per column: its own header text

    @property
    def first_data(self) -> int:
        return self.header + 1 + int(self.numbers_row)

    def name(self, j: int) -> str:
        """Column j's full name: "group | sub", or the one there is."""
        group, sub = self.groups[j], self.subs[j]
        return f"{group} | {sub}" if group and sub and group != sub else (sub or group)


@functools.lru_cache(maxsize=4096)
def clean_label(text: str) -> str:
    """A label without footnote marks (" 2) 4)", "*") and with single blanks, for matching
    (cached: the same headers come in every month's file)."""
    text = " ".join(text.replace("\u00a0", " ").split())
    if not text.endswith((")", "*")):
        return text
    return _FOOTNOTE_MARKS.sub("", text).strip()


def _cells(row: tuple[str | None, ...]) -> list[str]:
    return [" ".join(c.split()) if c else "" for c in row]


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell)) and not _YEAR.match(cell)


def _is_text_row(cells: list[str]) -> bool:
    """A row of labels: no number and no sign in it (a header row, not a data row)."""
    filled = [c for c in cells if c]
    return bool(filled) and not any(_is_number(c) or c in ("*", "-", "–", "x") for c in filled)


def _is_column_numbers(cells: list[str]) -> bool:
    numbers = [_COLUMN_NUMBER.match(c) for c in cells if c]
    if len(numbers) < 2 or not all(numbers):
        return False
    values = [int(m.group(1)) for m in numbers if m]
    return values == sorted(values) and len(set(values)) == len(values) and values[0] <= 2


_UNIT = re.compile(
    r"(?i)^(anzahl|prozent|%|in %|personen|tsd\.?|1000|eur|euro|tsd\. eur|je 1000 einwohner)$"
)


def _is_unit_row(cells: list[str]) -> bool:
    """A row of units below a GENESIS table's header ("Anzahl", "Prozent"): no data."""
    filled = [c for c in cells if c]
    return bool(filled) and all(_UNIT.match(c) for c in filled)


def find_layout(head: list[list[str]], header_row: int = 0) -> Layout:
    """The layout from the first rows of a table (their cells as text); `header_row`
    (1-based, 0 = find it) is the row of the (last) header row when the config says it."""
    width = max((len(r) for r in head), default=0)
    rows = [_cells(tuple(r) + ("",) * (width - len(r))) for r in head]
    filled = [sum(1 for c in r if c) for r in rows]
    widest = max(filled, default=0)
    if header_row:
        h = header_row - 1
        group = h - 1 if h > 0 and filled[h - 1] >= 2 and _is_text_row(rows[h - 1]) else None
    else:
        need = min(3, widest)
        found = next((i for i, n in enumerate(filled) if n >= need and _is_text_row(rows[i])), None)
        h = found if found is not None else _header_over_unnamed(rows)
        group = None
        nxt = h + 1
        if (
            nxt < len(rows)
            and _is_text_row(rows[nxt])
            and not _is_column_numbers(rows[nxt])
            and (
                any(not rows[h][j] for j in range(len(rows[h])) if rows[nxt][j])
                or _repeats_over(rows[h], rows[nxt])
            )
        ):
            group, h = h, nxt  # a group header over sub-columns
    numbers = h + 1 < len(rows) and (_is_column_numbers(rows[h + 1]) or _is_unit_row(rows[h + 1]))
    top = group if group is not None else h
    titles = tuple(" ".join(c for c in r if c) for r in rows[:top] if any(r))
    subs = tuple(clean_label(c) for c in rows[h])
    if group is None:
        groups = tuple("" for _ in subs)
    else:
        spread: list[str] = []
        last = ""
        for j, cell in enumerate(rows[group]):
            # a group header spans the columns after it up to the next one; a label standing
            # alone (sub-row empty below it) is a column of its own and spans nothing
            if cell:
                last = clean_label(cell) if rows[h][j] or _spans(rows[group], rows[h], j) else ""
                spread.append(clean_label(cell))
            else:
                spread.append(last)
        groups = tuple(spread)
    return Layout(h, group, numbers, titles, groups, subs)


def _header_over_unnamed(rows: list[list[str]]) -> int:
    """The header of a table with one or two figures whose key, name and period columns
    have no header (a GENESIS table: ";;;Erwerbsfähige Leistungsberechtigte"): the last
    text row that starts with empty cells before the first data row; 0 without one."""
    first_data = next(
        (i for i, r in enumerate(rows) if sum(1 for c in r if c) >= 3 and not _is_text_row(r)),
        len(rows),
    )
    candidates = [
        i
        for i in range(first_data)
        if _is_text_row(rows[i]) and rows[i] and not rows[i][0] and not _is_unit_row(rows[i])
    ]
    return candidates[-1] if candidates else 0


def _repeats_over(group: list[str], sub: list[str]) -> bool:
    """True when a label repeats in neighbouring cells over sub-labels ("K2", "K2", "K2"
    over "Zähler", "Nenner", "in %"): a group header written into every column it spans."""
    return any(
        group[j] and group[j] == group[j + 1] and sub[j] and sub[j + 1]
        for j in range(len(group) - 1)
    )


def _spans(group: list[str], sub: list[str], j: int) -> bool:
    """True when the group cell at j heads sub-columns: the next column has no group label
    of its own but a sub label."""
    return j + 1 < len(group) and not group[j + 1] and bool(sub[j + 1])


def data_rows(grid: pl.DataFrame) -> pl.DataFrame:
    """The rows below the header (from row `_first` of their file `_file`) up to the file's
    footer; rows with fewer than two filled cells (blank lines, headings) are left out."""
    cells = [c for c in grid.columns if c.startswith("c") and c[1:].isdigit()]
    row = pl.col(LINE) % FILE_LINES
    below = grid.filter(row >= pl.col("_first"))
    if below.is_empty():  # a header and no rows: the same columns, none of them filled
        return below.with_columns(_heading=pl.lit(None, pl.String))
    first = pl.coalesce(*[pl.col(c) for c in cells])
    footer = first.str.contains(FOOTER).fill_null(False).cum_max().over("_file")
    # a heading row ("Vergleichstyp IIb: ländlich ...") gives the rows below it their type
    heading = first.str.extract(HEADING_TYPE, 1).forward_fill().over("_file")
    filled = pl.sum_horizontal(
        [
            (pl.col(c).is_not_null() & (pl.col(c).str.strip_chars() != "")).cast(pl.Int32)
            for c in cells
        ]
    )
    return below.with_columns(_heading=heading).filter(~footer & (filled >= 2))


def report_month(titles: tuple[str, ...], file_name: str, configured: str = "") -> dt.date | None:
    """The report month: the config's, else a "Berichtsmonat: Juli 2018" title (or any title
    naming a month and year), else `…-201807…` in the file name."""
    return report_month_from(titles, file_name, configured)[0]


def report_month_from(
    titles: tuple[str, ...], file_name: str, configured: str = ""
) -> tuple[dt.date | None, str]:
    """The report month and where it came from ("config", "title 'Berichtsmonat: …'",
    "file name"); (None, "") when nothing names one."""
    candidates: list[tuple[str, str]] = []
    if configured:
        candidates.append((configured, "config (month)"))
    for title in titles:
        found = _REPORT_MONTH.search(title)
        if found:
            candidates.append((found.group(2).strip(), f"title {title[:60]!r}"))
    for title in titles:
        found = _MONTH_IN_TEXT.search(title)
        if found:
            candidates.append((f"{found.group(1)} {found.group(2)}", f"title {title[:60]!r}"))
    base = re.split(r"[\\/]", file_name)[-1]
    for found in _MONTH_IN_NAME.finditer(base):
        candidates.append((f"{found.group(1)}-{found.group(2)}", f"file name {base!r}"))
    for text, where in candidates:
        month = parse_month(text.split(";")[0].strip().rstrip("."))
        if month is not None:
            return month, where
    return None, ""


_NUMERIC_MONTHS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^((?:19|20)\d{2})-?(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{1,2})[/.]((?:19|20)\d{2})$"), "my"),
    # a header cell that is an Excel date ("2017-07-01 00:00:00" as the worksheet gives it):
    # the month of the date
    (re.compile(r"^((?:19|20)\d{2})-(\d{2})-\d{2}(?:[ T]00:00(?::00(?:\.0+)?)?)?$"), "ym"),
)


def parse_month(text: str) -> dt.date | None:
    """The month of one short text ("Juli 2018", "Jul. 2018", "2018-07", "201807", "07/2018")."""
    named = _MONTH_IN_TEXT.search(text)
    if named:
        return dt.date(int(named.group(2)), MONTHS[named.group(1).lower()], 1)
    grouped = _YEAR_OVER_MONTH.match(text.strip())
    if grouped:
        return dt.date(int(grouped.group(1)), MONTHS[grouped.group(2).lower()], 1)
    for pattern, order in _NUMERIC_MONTHS:
        found = pattern.match(text.strip())
        if found:
            year, month = (
                (found.group(1), found.group(2))
                if order == "ym"
                else (found.group(2), found.group(1))
            )
            if 1 <= int(month) <= 12:
                return dt.date(int(year), int(month), 1)
    return None
