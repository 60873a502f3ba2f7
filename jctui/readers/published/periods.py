"""Period columns of a published table: a column of months ("Juli 2018", "2018-07",
"201807"), or the year and the month in two columns ("Jahr", "Monat" 1..12), as open-data
portals write them; `year_column` / `month_column` name them where the headers do not.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from jctui.config import SourceDef
from jctui.errors import SourceError
from jctui.readers.layout import Layout, clean_label
from jctui.readers.published.column import Column

_PERIOD_CELL = (
    r"^\s*((19|20)\d{2}[-/.]?\d{1,2}([-/.]\d{1,2})?|\d{1,2}[./]\d{1,2}[./](19|20)\d{2}"
    r"|\d{1,2}[./](19|20)\d{2}|\p{L}{3,}\.?[\s-]*(19|20)\d{2}|(19|20)\d{2}\s+\p{L}{3,})"
)


# a GENESIS table's period column, without a header: a year or a reference date
YEAR_CELL = r"^((19|20)\d{2}|\d{2}\.\d{2}\.(19|20)\d{2})$"
_BARE_YEAR = r"^\s*(19|20)\d{2}\s*$"


def year_end(period: pl.Expr) -> pl.Expr:
    """A period text with a bare year ("2017", a GENESIS table, the Regionalatlas' `jahr`)
    as the month of its reference date, 31 December ("2017-12"); other texts unchanged."""
    text = period.str.strip_chars()
    return pl.when(text.str.contains(_BARE_YEAR)).then(text + "-12").otherwise(text)


def holds_periods(body: pl.DataFrame, j: int) -> bool:
    """True when most filled cells of column j look like months or dates (or there are no
    rows to tell by)."""
    name = f"c{j}"
    if body.is_empty() or name not in body.columns:
        return True
    cells = body.get_column(name).drop_nulls().str.strip_chars()
    cells = cells.filter(cells != "")
    if cells.is_empty():
        return True
    share = cells.str.contains(_PERIOD_CELL).cast(pl.Float64).mean()
    return isinstance(share, float) and share > 0.5


_YEAR_WORDS = {"jahr", "year", "berichtsjahr", "jahr (berichtsjahr)"}
_MONTH_WORDS = {"monat", "month", "berichtsmonat", "monat (berichtsmonat)"}
_MONTH_CELL = (
    r"(?i)^\s*(0?[1-9]|1[0-2]|jan\w*|feb\w*|m(ä|ae)r\w*|mar\w*|apr\w*|ma[iy]|jun\w*|jul\w*"
    r"|aug\w*|sep\w*|o[ck]t\w*|nov\w*|de[cz]\w*)\.?\s*$"
)


def _share(body: pl.DataFrame, j: int, pattern: str) -> float:
    cells = body.get_column(f"c{j}").drop_nulls().str.strip_chars()
    cells = cells.filter(cells != "")
    share = cells.str.contains(pattern).cast(pl.Float64).mean() if cells.len() else None
    return share if isinstance(share, float) else 0.0


def year_and_month(
    columns: list[Column], layout: Layout, body: pl.DataFrame, source: SourceDef, taken: set[str]
) -> list[Column]:
    """The columns with a year column and a month column (1..12 or a month's name) as
    roles "year" and "period" (their cells joined to the month), where no column of months
    was found; `year_column` / `month_column` of the source name them."""
    if "period" in taken or body.is_empty():
        return columns
    names = [clean_label(layout.name(j)).casefold() for j in range(len(layout.subs))]

    def find(option: str, words: set[str], pattern: str, what: str) -> int | None:
        if option:
            if option.casefold() not in names:
                raise SourceError(f"no column {option!r} ({what}; found: {', '.join(names)})")
            return names.index(option.casefold())
        return next(
            (
                j
                for j, n in enumerate(names)
                if n in words and not columns[j].metric and _share(body, j, pattern) > 0.8
            ),
            None,
        )

    year = find(source.year_column, _YEAR_WORDS, r"^\s*(19|20)\d{2}\s*$", "year_column")
    month = find(source.month_column, _MONTH_WORDS, _MONTH_CELL, "month_column")
    if year is None or month is None:
        return columns
    taken.add("period")
    out = list(columns)
    out[year] = Column(year, role="year")
    out[month] = Column(month, role="period")
    return out


def row_period(roles: Mapping[str, int]) -> pl.Expr:
    """The row's period: its month column, joined with its year column where there is one
    ("2018" and "7" -> "2018-07"; "2018" and "Juli" -> "Juli 2018")."""
    month = pl.col(f"c{roles['period']}").str.strip_chars()
    if "year" not in roles:
        return year_end(month).alias("_period")
    year = pl.col(f"c{roles['year']}").str.strip_chars()
    digits = month.str.contains(r"^\d{1,2}$")
    return (
        pl.when(digits)
        .then(pl.format("{}-{}", year, month.str.zfill(2)))
        .otherwise(pl.format("{} {}", month, year))
        .alias("_period")
    )
