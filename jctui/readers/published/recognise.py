"""Recognising one published file: its layout, the role of each column, its report month
and kind; None for a plain table (the plain readers take it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from jctui import formats
from jctui.config import MetricDef, SourceDef
from jctui.errors import SourceError
from jctui.readers.layout import HEAD_ROWS, Layout, find_layout, report_month
from jctui.readers.normalise import resolve_columns
from jctui.readers.published.breakdowns import filters, long_shape
from jctui.readers.published.columns import (
    Column,
    check_mapping,
    check_unambiguous,
    column_roles,
    label_key,
    metric_names,
    other_shapes,
)
from jctui.readers.published.grids import csv_grid, csv_head, excel_grid
from jctui.readers.published.own import own_figures
from jctui.readers.raw import LINE


def _plain(rows: list[list[str]], source: SourceDef, origin: str) -> bool:
    """True when the first row is a header in the canonical names (or the configured ones):
    the plain readers take such a file as before."""
    try:
        resolved = resolve_columns([c for c in rows[0] if c], source, origin)
    except SourceError:
        # a configured column missing from the first row: a published table when a later
        # row of the head has it ("SGB II-Vergleichstyp" below the title rows), else the
        # plain reader names what is missing
        below = {" ".join(c.split()).casefold() for r in rows[1:] for c in r if c}
        return not any(" ".join(h.split()).casefold() in below for h in source.columns.values())
    return sum(1 for c in ("jobcenter_id", "period", "metric", "value") if c in resolved) >= 2


# a metadata line of a BA statistics table about one region: "Kreis:;Offenbach"
_REGION = re.compile(
    r"(?i)^\s*(kreis|landkreis|kreisfreie stadt|stadt|jobcenter|agentur für arbeit"
    r"|arbeitsmarktregion|region|gemeinde|land|bundesland)\s*:\s*(\S.*)$"
)
_IDENT_IN_NAME = re.compile(r"(?<![A-Za-z0-9])[tT](\d{5})(?!\d)")
# a region named with its key: "Jobcenter: 06438 Kreis Offenbach", "Kreis: Offenbach (06438)"
_KEY_IN_REGION = re.compile(r"^(\d{5})\s+(\S.*)$|^(\S.*?)\s*\((\d{5})\)$")


@dataclass(frozen=True)
class Recognised:
    """One published file, recognised: its grid of text cells and what each column holds."""

    grid: pl.DataFrame  # c0, c1, ... and LINE
    layout: Layout
    columns: tuple[Column, ...]
    origin: str
    fmt: str
    decimal: str
    separator: str
    encoding: str
    kind: str  # "key-figure table (sheet '1.1')", "published table"
    month: dt.date | None  # the report month (None when the rows have their own periods)
    ident: str = ""  # the Jobcenter of a file about one (the option, t73906 in its name)
    region: str = ""  # the region a file about one names above its table ("Kreis: Offenbach")
    labels: Mapping[str, str] = dataclasses.field(default_factory=dict)  # label -> metric
    breakdowns: tuple[tuple[int, str], ...] = ()  # (column, value to use; "" = the total)
    sheet: str = ""  # the worksheet read (a workbook)
    sheets: tuple[str, ...] = ()  # every worksheet of the workbook

    @property
    def roles(self) -> dict[str, int]:
        return {c.role: c.index for c in self.columns if c.role}

    @property
    def metrics(self) -> list[Column]:
        return [c for c in self.columns if c.metric]

    @property
    def header(self) -> str:
        two = " (two rows)" if self.layout.group is not None else ""
        return f"header row {self.layout.header + 1}{two}"

    @property
    def unused(self) -> tuple[str, ...]:
        name = self.layout.name
        return tuple(
            name(c.index) for c in self.columns if not c.role and not c.metric and name(c.index)
        )


def recognise(
    data: bytes,
    fmt: str,
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
    origin: str,
) -> Recognised | None:
    """Find the layout of a published CSV or xlsx file; None when it is a plain table.
    Delimited text (jctui.formats) is read as CSV cells, the rest as a worksheet."""
    sheet, separator, encoding = "", "", ""
    sheets: tuple[str, ...] = ()
    declared = formats.get(fmt)
    if declared is not None and declared.delimited:
        rows, separator = csv_head(data, source, origin)
        grid = None
        decimal = source.decimal
    else:
        grid, sheet, sheets = excel_grid(data, source, origin)
        rows = [[(c or "").strip() for c in r] for r in grid.drop(LINE).head(HEAD_ROWS).rows()]
        decimal = source.decimal if source.decimal != "auto" else "."
    if not rows or not any(any(r) for r in rows):
        return None
    if not source.header_row and not source.month and _plain(rows, source, origin):
        return None
    layout = find_layout(rows, source.header_row)
    sample = _sample(rows, layout)
    columns = column_roles(layout, sample, source, catalogue, origin)
    check_mapping(layout, source, origin)
    check_unambiguous(layout, columns, origin)
    if not any(c.metric for c in columns):
        columns = other_shapes(layout, sample, columns, source, catalogue)
    breakdowns: tuple[tuple[int, str], ...] = ()
    if not any(c.metric for c in columns):
        found_long = long_shape(layout, sample, columns, metric_names(catalogue, source), label_key)
        if found_long is not None:
            columns, breakdowns = found_long
    if not breakdowns:  # numbers under a header the catalogue lacks: figures of their own
        columns = own_figures(columns, layout, sample, catalogue)
    if breakdowns or source.filter:
        breakdowns = filters(layout, breakdowns, source, origin)
    roles = {c.role: c.index for c in columns if c.role}
    metrics = [c for c in columns if c.metric]
    ident_found = _IDENT_IN_NAME.search(re.split(r"[\\/]", origin)[-1])
    region = next((m.group(2).strip() for t in layout.titles if (m := _REGION.match(t))), "")
    keyed = _KEY_IN_REGION.match(region)
    if keyed:  # the key is the region's id, the rest its name
        ident_found = ident_found or keyed
        region = keyed.group(2) or keyed.group(3)
    # the region's name is its id until the option names the Jobcenter
    ident = source.jobcenter or (ident_found and (ident_found.group(1) or ident_found.group(4)))
    ident = ident or region
    if not metrics and layout.header == 0 and not source.header_row:
        return None  # nothing published about it: the plain reader names what is missing
    if not metrics:
        shown = ", ".join(layout.name(j) for j in range(len(layout.subs)) if layout.name(j))
        raise SourceError(
            f"{origin}: row {layout.header + 1}: no column matches a metric of the catalogue "
            f"(columns: {shown or 'none'}; map them with [sources.metrics])"
        )
    month = report_month(layout.titles, origin, source.month)
    if "period" not in roles and month is None and not all(c.period for c in metrics):
        raise SourceError(
            f'{origin}: no report month found (no "Berichtsmonat: …" row, no YYYYMM in the '
            f'file name); set month = "YYYY-MM" for this source'
        )
    if "jobcenter_id" not in roles and "name" not in roles and not ident:
        raise SourceError(
            f"{origin}: row {layout.header + 1}: no column of Jobcenter ids or names, and no "
            f'region named above the table; set jobcenter = "<id>" for this source'
        )
    if grid is None:
        grid, encoding = csv_grid(data, source, separator, origin)
    kind = "key-figure table" if any(_is_kennzahl(c.metric) for c in metrics) else "published table"
    if "label" in roles:
        kind = "table of labelled rows" + (f" for Jobcenter {ident}" if ident else "")
    if "breakdown" in roles:
        kind = "long table, a row per figure and breakdown"
    if any(c.period for c in metrics):
        kind += ", months as columns"
    return Recognised(
        grid=grid,
        layout=layout,
        columns=tuple(columns),
        origin=origin,
        fmt=fmt,
        decimal=decimal,
        separator=separator,
        encoding=encoding,
        kind=kind + (f" (sheet {sheet!r})" if sheet else ""),
        month=month if "period" not in roles else None,
        ident=ident,
        region=region,
        breakdowns=breakdowns,
        labels=metric_names(catalogue, source) if "label" in roles else {},
        sheet=sheet,
        sheets=sheets,
    )


def _sample(rows: list[list[str]], layout: Layout) -> pl.DataFrame:
    """The data rows among the first rows, as a frame c0, c1, ... (for roles by content)."""
    width = len(layout.subs)
    body = [
        r + [""] * (width - len(r))
        for r in rows[layout.first_data :]
        if sum(1 for c in r if c) >= 2
    ]
    return pl.DataFrame(
        [r[:width] for r in body], schema={f"c{i}": pl.String for i in range(width)}, orient="row"
    )


def _is_kennzahl(key: str) -> bool:
    return key.endswith(("_published", "_numerator", "_denominator")) or key in (
        "integrations_12m",
        "elb_mean_12m",
    )
