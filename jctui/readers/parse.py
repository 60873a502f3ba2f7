"""Vectorised parsing of numbers, decimal marks and periods from any column type.

Everything here is a Polars expression or works on unique values only (periods repeat
thousands of times in a file, so they are parsed once per distinct text and joined back).
"""

from __future__ import annotations

import polars as pl

# "4.236" = 4236 and "7,9" = 7.9 with a decimal comma; "4,236" = 4236 with a decimal point.
_COMMA_NUMBER = r"^\s*[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*)(?:,\d+)?\s*$"
_POINT_NUMBER = r"^\s*[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$"
# Evidence for a decimal mark: a mark not followed by exactly three digits, or the last of two.
_COMMA_EVIDENCE = r"^[+-]?\d*,(?:\d{0,2}|\d{4,})$|\.\d{3},\d*$"
_POINT_EVIDENCE = r"^[+-]?\d*\.(?:\d{0,2}|\d{4,})$|,\d{3}\.\d*$|\d[eE][+-]?\d+$"

DETECT_SAMPLE = 100_000
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan januar january jän jänner jaen jaenner",
        "feb februar february feber",
        "mär märz mar march maerz mrz",
        "apr april",
        "mai may",
        "jun juni june",
        "jul juli july",
        "aug august",
        "sep sept september",
        "okt oktober oct october",
        "nov november",
        "dez dezember dec december",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

# (regex, roles of the capture groups): y = year, m = month, d = day, n = month name
_PERIOD_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$",
        "ymd",
    ),
    (r"^(\d{4})/(\d{1,2})(?:/(\d{1,2}))?$", "ymd"),
    (r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$", "dmy"),
    (r"^(\d{1,2})[/.](\d{4})$", "my"),
    (r"^(\d{4})(\d{2})$", "ym"),
    (r"^(\p{L}+)\.?[\s-]*(\d{4})$", "ny"),
    (r"^(\d{4})[\s-]*(\p{L}+)\.?$", "yn"),
)


def as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    """Column `name` as stripped text, whatever its type (integral floats without '.0')."""
    col = pl.col(name)
    if dtype == pl.String:
        return col.str.strip_chars()
    if dtype.is_float():
        as_int = col.cast(pl.Int64, strict=False)
        return (
            pl.when(col.is_finite() & (col == col.round()) & as_int.is_not_null())
            .then(as_int.cast(pl.String))
            .otherwise(col.cast(pl.String))
        )
    if dtype.is_nested() or dtype == pl.Object:
        encoded = pl.struct(col.alias("x")).struct.json_encode()
        return encoded.str.slice(5, encoded.str.len_chars() - 6)
    if dtype == pl.Null:
        return col.cast(pl.String)
    return col.cast(pl.String, strict=False)


def detect_decimal(texts: pl.Series, separator: str) -> str:
    """The decimal mark of a file's numbers in text: the mark with more unambiguous evidence.

    Ties (only integers, or only "4.236"-like values) follow the separator: `;` -> ",".
    """
    if texts.len() > DETECT_SAMPLE:  # an even sample keeps this cheap on large files
        texts = texts.gather_every(texts.len() // DETECT_SAMPLE)
    marked = texts.drop_nulls().str.strip_chars()
    # a sign (".", "...") is no number: it is no evidence of a decimal point
    marked = marked.filter(marked.str.contains(r"[.,]") & marked.str.contains(r"\d"))
    comma = int(marked.str.contains(_COMMA_EVIDENCE).sum() or 0)
    point = int(marked.str.contains(_POINT_EVIDENCE).sum() or 0)
    if comma != point:
        return "," if comma > point else "."
    return "," if separator == ";" else "."


def typographic(text: pl.Expr) -> pl.Expr:
    """A number as typeset ("−4,7" with the minus sign U+2212 or a dash before its digits,
    "16 039" grouped with a no-break space) in the plain characters the parsers take; a
    lone dash (the sign "nothing") stays as it is."""
    grouped = r"(\d)[\u00a0\u202f](\d{3})"  # twice: "1 234 567" has overlapping groups
    text = text.str.replace(r"^\s*[\u2212\u2013]\s*(\d)", "-$1")
    return text.str.replace_all(grouped, "$1$2").str.replace_all(grouped, "$1$2")


def parse_number(text: pl.Expr, decimal: str) -> pl.Expr:
    """Float64 from text with the given decimal mark; null when it is not a number."""
    text = typographic(text)
    if decimal == ",":
        ok = text.str.contains(_COMMA_NUMBER)
        cleaned = (
            text.str.strip_chars()
            .str.replace_all(".", "", literal=True)
            .str.replace(",", ".", literal=True)
        )
    else:
        ok = text.str.contains(_POINT_NUMBER)
        cleaned = text.str.strip_chars().str.replace_all(",", "", literal=True)
    return pl.when(ok).then(cleaned.cast(pl.Float64, strict=False))


def parse_values(name: str, dtype: pl.DataType, decimal: str) -> pl.Expr:
    """Float64 of a value column of any dtype (text parsed with `decimal`)."""
    if dtype == pl.String:
        return parse_number(pl.col(name), decimal)
    if dtype.is_numeric():
        return pl.col(name).cast(pl.Float64)
    if dtype == pl.Boolean or dtype.is_temporal() or dtype.is_nested():
        return pl.lit(None, dtype=pl.Float64)
    return parse_number(as_text(name, dtype), decimal)


def period_table(texts: pl.Series) -> pl.DataFrame:
    """Parse each distinct period text once: columns text, period (Date), has_day (Boolean).

    Accepted: 2018-07, 2018-07-31 (also with a time), 2018/07, 07/2018, 07.2018, 201807,
    31.07.2018, Jul 2018, Juli 2018, Mär 2018, März 2018, 2018 Okt (German and English names).
    """
    frame = pl.DataFrame({"text": texts.unique()}).with_columns(
        clean=pl.col("text").str.strip_chars()
    )
    years, months, days = [], [], []
    for i, (pattern, roles) in enumerate(_PERIOD_PATTERNS):
        groups = pl.col("clean").str.extract_groups(pattern)
        for j, role in enumerate(roles):
            part = groups.struct.field(str(j + 1))
            if role == "y":
                years.append(part.alias(f"y{i}"))
            elif role == "m":
                months.append(part.cast(pl.Int32, strict=False))
            elif role == "d":
                days.append(part.cast(pl.Int32, strict=False))
            else:  # month name
                months.append(
                    part.str.to_lowercase().replace_strict(
                        MONTHS, default=None, return_dtype=pl.Int32
                    )
                )
        # keep each pattern's groups aligned: patterns without a day contribute null days
        if "d" not in roles:
            days.append(pl.lit(None, dtype=pl.Int32))
    # a row matches at most one pattern; take the first matching pattern's parts together
    matched = [pl.col("clean").str.contains(pattern) for pattern, _roles in _PERIOD_PATTERNS]
    year = pl.coalesce(
        *[
            pl.when(m).then(y.cast(pl.Int32, strict=False))
            for m, y in zip(matched, years, strict=True)
        ]
    )
    month = pl.coalesce(*[pl.when(m).then(mo) for m, mo in zip(matched, months, strict=True)])
    day = pl.coalesce(*[pl.when(m).then(d) for m, d in zip(matched, days, strict=True)])
    iso = pl.format(
        "{}-{}-{}",
        year.cast(pl.String),
        month.cast(pl.String).str.zfill(2),
        day.fill_null(1).cast(pl.String).str.zfill(2),
    )
    plausible = year.is_between(1900, 2200)
    return frame.select(
        "text",
        period=pl.when(plausible).then(iso.str.strptime(pl.Date, "%Y-%m-%d", strict=False)),
        has_day=day.is_not_null(),
    )
