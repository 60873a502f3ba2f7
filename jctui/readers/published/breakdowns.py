"""The long layout of a bulk download: a row per Jobcenter, month, figure and breakdown
("Kennzahl;Geschlecht;Wert" with "insgesamt / Männer / Frauen"). The figure is named in a
column of its own, the value in another; the totals are the figures, the breakdowns are kept
apart (`filter = { Geschlecht = "insgesamt" }` names the rows to use where no total is).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from jctui.config import SourceDef
from jctui.errors import SourceError
from jctui.readers.layout import Layout, clean_label
from jctui.readers.published.column import Column
from jctui.readers.published.columns import kennzahl_part_of

ROW_METRIC = "@row"
TOTALS = ("insgesamt", "gesamt", "zusammen", "alle", "total", "summe", "alle personen")
_VALUE_WORDS = {"wert", "value", "werte", "anzahl", "kennzahlwert", "zahl", "betrag", "quote"}


def _share(cells: pl.Series, pattern: str) -> float:
    share = cells.str.contains(pattern).cast(pl.Float64).mean() if cells.len() else None
    return share if isinstance(share, float) else 0.0


def _texts(sample: pl.DataFrame, j: int) -> pl.Series:
    cells = sample.get_column(f"c{j}").drop_nulls().str.strip_chars()
    return cells.filter(cells != "")


def long_shape(
    layout: Layout,
    sample: pl.DataFrame,
    columns: list[Column],
    names: Mapping[str, str],
    label_key: object,
) -> tuple[list[Column], tuple[tuple[int, str], ...]] | None:
    """(columns, breakdowns) of a long table: the column naming the figure becomes the label,
    the value column the figure, text columns with few values the breakdowns (column,
    wanted value: "" for the total); None when the table is not long."""
    assert callable(label_key)
    free = [c.index for c in columns if not c.role and not c.metric]
    if sample.is_empty() or not free:
        return None
    parts = _parts_column(
        sample, [c.index for c in columns if not c.metric and c.role != "jobcenter_id"]
    )
    if parts is not None:  # "Wertart": Zähler / Nenner / Kennzahl, never a name
        columns = [Column(c.index) if c.index == parts[0] else c for c in columns]
        free = sorted({*free, parts[0]})

    def names_figures(j: int) -> bool:  # on the distinct texts of the sample only
        distinct = _texts(sample, j).unique().to_list()
        return bool(distinct) and sum(label_key(t) in names for t in distinct) > 0.8 * len(distinct)

    named = [j for j in free if names_figures(j)]
    if not named:
        return None
    label = named[0]
    numeric = [
        j
        for j in free
        if j != label and _share(_texts(sample, j), r"^[+-]?[\d.,]+%?$|^[*x.\-–/]$") > 0.8
    ]
    by_word = [j for j in numeric if clean_label(layout.name(j)).casefold() in _VALUE_WORDS]
    values = by_word or numeric
    if len(values) != 1:
        return None
    breakdowns = tuple(
        (j, parts[1] if parts is not None and j == parts[0] else "")
        for j in free
        if j not in (label, values[0])
        and _texts(sample, j).n_unique() <= 12
        and _share(_texts(sample, j), r"\p{L}") > 0.8
    )
    out = {c.index: c for c in columns}
    out[label] = Column(label, role="label")
    out[values[0]] = Column(values[0], metric=ROW_METRIC)
    for j, _ in breakdowns:
        out[j] = Column(j, role="breakdown")
    return [out[i] for i in sorted(out)], breakdowns


def _parts_column(sample: pl.DataFrame, candidates: list[int]) -> tuple[int, str] | None:
    """(column, the value of the figure's rows) of a column telling a key figure's parts
    apart ("Wertart": "Zähler", "Nenner", "Kennzahl"): the figure's rows are the figures, the
    numerator's and denominator's kept apart like a breakdown. None without such a column or
    where no one value names the figure."""
    for j in candidates:
        distinct = _texts(sample, j).unique().to_list()
        found = {t: kennzahl_part_of(t) for t in distinct}
        if len(distinct) < 2 or None in found.values() or "" in distinct:
            continue
        figure = [t for t, part in found.items() if part == "figure"]
        if len(figure) == 1 and {"numerator", "denominator"} & set(found.values()):
            return j, figure[0]
    return None


def filters(
    layout: Layout, breakdowns: tuple[tuple[int, str], ...], source: SourceDef, origin: str
) -> tuple[tuple[int, str], ...]:
    """The breakdowns with the values the config's `filter` asks for (else the totals); a
    filter naming no column is an error naming it."""
    names = {clean_label(layout.name(j)).casefold(): j for j in range(len(layout.subs))}
    wanted = dict(breakdowns)
    for column, value in source.filter.items():
        j = names.get(clean_label(column).casefold())
        if j is None:
            raise SourceError(
                f"{origin}: filter.{column}: no such column (columns: "
                f"{', '.join(layout.name(k) for k in range(len(layout.subs)) if layout.name(k))})"
            )
        wanted[j] = value
    return tuple(sorted(wanted.items()))


def keep_rows(body: pl.DataFrame, breakdowns: tuple[tuple[int, str], ...]) -> pl.Expr:
    """True for the rows to use: each breakdown's total (or the filtered value)."""
    keep = pl.lit(True)
    for j, value in breakdowns:
        cell = pl.col(f"c{j}").str.strip_chars().str.to_lowercase()
        want = cell == value.casefold() if value else cell.is_in(list(TOTALS))
        keep = keep & want.fill_null(not value)
    return keep
