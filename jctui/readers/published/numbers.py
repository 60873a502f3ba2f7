"""The number format of a published table, decided per column from all its cells.

A German table writes "16.039" (sixteen thousand and thirty-nine) and "19,8"; a table saved
with a decimal point writes "16039" and "19.8". Which one a column uses is decided from every
cell of that column, with the sign cells (`*`, `x`, `.`, `...`, `/`, `-`, `–`) set aside
first: a lone `.` ("not available") is no decimal point. A column without evidence either
way ("16.039" alone) follows the rest of its file, and a file without any follows its
separator (`;`: decimal comma). A column whose cells disagree (one "19,8", one "19.8") is a
problem naming the column and the two cells, and none of its cells is used.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from jctui.readers.parse import parse_number, typographic
from jctui.readers.raw import LINE
from jctui.readers.signs import MISSING_SIGNS, ZERO_SIGNS

# a mark not followed by exactly three digits (or the last of two marks), after a digit
_COMMA = r"^[+-]?\d*,(?:\d{0,2}|\d{4,})%?$|\d\.\d{3},\d*%?$"
_POINT = r"^[+-]?\d*\.(?:\d{0,2}|\d{4,})%?$|\d,\d{3}\.\d*%?$|\d[eE][+-]?\d+$"
FILE = "_file"
COLUMN = "_grid_column"


def decide_formats(
    long: pl.DataFrame, separators: Sequence[str], names: dict[tuple[int, int], str]
) -> tuple[pl.DataFrame, list[tuple[int, str, str, str]]]:
    """(long with every number rewritten with a decimal point, problems) of the long cells
    of published files (columns FILE, COLUMN, LINE and value as text); `separators` per
    file, `names` (file, column) -> the column's name. A problem is (line, column name,
    cell, text) for a column whose cells disagree; its cells are left out."""
    text = typographic(pl.col("value").str.strip_chars().str.strip_chars_end("%").str.strip_chars())
    sign = text.is_in([*MISSING_SIGNS, *ZERO_SIGNS])
    digits = text.str.contains(r"\d")
    cells = long.with_columns(
        _comma=(~sign & digits & text.str.contains(_COMMA)).fill_null(False),
        _point=(~sign & digits & text.str.contains(_POINT)).fill_null(False),
        _text=text,
    )
    stats = cells.group_by(FILE, COLUMN).agg(
        comma=pl.col("_comma").sum(),
        point=pl.col("_point").sum(),
        comma_cell=pl.col("_text").filter(pl.col("_comma")).first(),
        comma_line=pl.col(LINE).filter(pl.col("_comma")).first(),
        point_cell=pl.col("_text").filter(pl.col("_point")).first(),
        point_line=pl.col(LINE).filter(pl.col("_point")).first(),
    )
    per_file = stats.group_by(FILE).agg(
        file_comma=pl.col("comma").sum(), file_point=pl.col("point").sum()
    )
    seps = pl.DataFrame(
        {FILE: list(range(len(separators))), "_sep": list(separators)},
        schema={FILE: pl.Int32, "_sep": pl.String},
    )
    stats = (
        stats.join(per_file, on=FILE, how="left")
        .join(seps, on=FILE, how="left")
        .with_columns(
            _decimal=pl.when(pl.col("comma") > pl.col("point"))
            .then(pl.lit(","))
            .when(pl.col("point") > pl.col("comma"))
            .then(pl.lit("."))
            .when(pl.col("file_comma") > pl.col("file_point"))
            .then(pl.lit(","))
            .when(pl.col("file_point") > pl.col("file_comma"))
            .then(pl.lit("."))
            .when(pl.col("_sep") == ";")
            .then(pl.lit(","))
            .otherwise(pl.lit(".")),
            _disagree=(pl.col("comma") > 0) & (pl.col("point") > 0),
        )
    )
    problems = [
        (
            int(row["comma_line"]),
            names.get((int(row[FILE]), int(row[COLUMN])), f"column {int(row[COLUMN]) + 1}"),
            str(row["comma_cell"]),
            f"the cells of this column disagree on the number format: "
            f"{row['comma_cell']!r} (line {int(row['comma_line'])}) has a decimal comma, "
            f"{row['point_cell']!r} (line {int(row['point_line'])}) a decimal point",
        )
        for row in stats.filter(pl.col("_disagree")).iter_rows(named=True)
    ]
    cells = cells.join(
        stats.select(FILE, COLUMN, "_decimal", "_disagree"), on=[FILE, COLUMN], how="left"
    ).filter(~pl.col("_disagree"))
    comma = parse_number(pl.col("_text"), ",")
    point = parse_number(pl.col("_text"), ".")
    number = pl.when(pl.col("_decimal") == ",").then(comma).otherwise(point)
    # a number as text with a decimal point; signs and other text as they were (the
    # normaliser counts the signs and rejects the rest, naming the cell)
    rewritten = cells.with_columns(
        value=pl.when(
            number.is_not_null() & ~(pl.col("_text").is_in([*MISSING_SIGNS, *ZERO_SIGNS]))
        )
        .then(number.cast(pl.String))
        .otherwise(pl.col("value"))
    )
    return rewritten.drop("_comma", "_point", "_text", "_decimal", "_disagree"), problems
