"""Signs that official tables write in value cells instead of a number.

Statistik der BA and the statistical offices use: `*` withheld (confidentiality: a value
exists but may not be shown), `x` not meaningful / cannot be calculated, `.` not available,
`...` not yet available, `/` not reliable enough, `-` or `–` nothing (exactly zero).
A sign is a missing value (counted and listed once by `jctui check`), never a bad row; the
dashes are the number 0.
"""

from __future__ import annotations

import polars as pl

from jctui.model import WITHHELD_SIGN as WITHHELD

MISSING_SIGNS: tuple[str, ...] = ("*", "x", "X", ".", "...", "…", "/")
ZERO_SIGNS: tuple[str, ...] = ("-", "–", "—")


def sign_of(text: pl.Expr) -> pl.Expr:
    """The sign a text cell holds (stripped), null when it holds none (a number or empty)."""
    stripped = text.str.strip_chars()
    return pl.when(stripped.is_in([*MISSING_SIGNS, *ZERO_SIGNS])).then(stripped)


def is_missing_sign(sign: pl.Expr) -> pl.Expr:
    """True for a sign that stands for a missing value (withheld or not available)."""
    return sign.is_in(list(MISSING_SIGNS)).fill_null(False)


def is_zero_sign(sign: pl.Expr) -> pl.Expr:
    """True for a dash: nothing, the number 0."""
    return sign.is_in(list(ZERO_SIGNS)).fill_null(False)


def describe_missing(missing: pl.DataFrame) -> str:
    """How many cells held which sign: "52 withheld (*), 3 not available (x, .)"."""
    if missing.is_empty():
        return ""
    withheld = int((missing.get_column("sign") == WITHHELD).sum())
    other = missing.filter(pl.col("sign") != WITHHELD)
    parts = []
    if withheld:
        parts.append(f"{withheld} withheld (*)")
    if other.height:
        signs = ", ".join(sorted(other.get_column("sign").unique().to_list()))
        parts.append(f"{other.height} not available ({signs})")
    return ", ".join(parts)
