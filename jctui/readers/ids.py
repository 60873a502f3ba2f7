"""Jobcenter ids as the publications write them: always text, leading zeros kept.

BA Jobcenter numbers and Kreis keys (AGS) have five digits with a leading zero ("03002",
"06438"); Excel and JSON store them as numbers (3002) unless told otherwise, and file names
write Jobcenters as "t" + the number ("t03002"). All of these are the one id "03002".
Open-data portals write a Kreis as its municipality key (AGS with eight digits, "06438000"):
a column whose keys all end in "000" holds Kreise, and is read as their five digits.
"""

from __future__ import annotations

import polars as pl

from jctui.readers.parse import as_text

ID_WIDTH = 5  # digits of a BA Jobcenter number and of a Kreis key (AGS)
AGS_WIDTH = 8  # a Kreis written as a municipality key: its five digits and "000"
_T_PREFIXED = r"^[tT](\d{5})$"
_DIGITS = r"^\d+$"


def id_width(texts: pl.Series, numeric: bool) -> int:
    """The width digit-only ids are padded to: 5 when the column holds five-digit ids (or
    numbers of four digits, a five-digit key that lost its zero), else 0 (leave them)."""
    digits = texts.drop_nulls().unique().str.strip_chars().str.replace(_T_PREFIXED, "$1")
    lengths = digits.filter(digits.str.contains(_DIGITS)).str.len_chars()
    longest = int(lengths.max() or 0)  # type: ignore[arg-type]
    if longest == ID_WIDTH or (numeric and longest == ID_WIDTH - 1):
        return ID_WIDTH
    if longest == AGS_WIDTH or (numeric and longest == AGS_WIDTH - 1):
        keys = digits.filter(digits.str.contains(_DIGITS))
        shortest = int(keys.str.len_chars().min() or 0)  # type: ignore[arg-type]
        if shortest >= AGS_WIDTH - 1 and keys.str.ends_with("000").all():
            return AGS_WIDTH
    return 0


def canonical_id(text: pl.Expr, width: int) -> pl.Expr:
    """An id text without the "t" prefix and with its leading zeros restored to `width`."""
    bare = text.str.strip_chars().str.replace(_T_PREFIXED, "$1")
    if not width:
        return bare
    if width == AGS_WIDTH:  # a Kreise column of municipality keys: the Kreis's five digits
        kreis = bare.str.contains(r"^\d{7,8}$")
        return pl.when(kreis).then(bare.str.zfill(AGS_WIDTH).str.slice(0, ID_WIDTH)).otherwise(bare)
    # a key that lost its zeros has three or four digits (the smallest is 01001); one or
    # two digits are a state code (06 Hessen), never padded
    lost = bare.str.contains(rf"^\d{{{width - 2},{width - 1}}}$")
    return pl.when(lost).then(bare.str.zfill(width)).otherwise(bare)


def id_column(frame: pl.DataFrame, name: str) -> pl.Expr:
    """Column `name` of `frame` as canonical id text, whatever the cell type (the rule is
    decided on the distinct ids; a column that needs no change costs only as_text)."""
    dtype = frame.schema[name]
    text = as_text(name, dtype)
    distinct = frame.select(pl.col(name).unique()).select(text).to_series()
    width = id_width(distinct, numeric=dtype.is_numeric())
    if canonical_ids_differ(distinct, width):
        return canonical_id(text, width)
    return text


def canonical_ids_differ(texts: pl.Series, width: int) -> bool:
    """True when some of these id texts are not canonical yet (a "t" prefix, a lost zero)."""
    texts = texts.drop_nulls()
    return bool(
        (texts.to_frame("t").select(canonical_id(pl.col("t"), width)).to_series() != texts).any()
    )
