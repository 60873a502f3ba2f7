"""Numbers, percentages, months and dates in the UI language.

German: "4.236", "-4,7 %", "Juli 2018". English: "4,236", "-4.7%", "July 2018".
Pure Python, no Polars or Textual, so every view (CLI table, UI, export) formats alike.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jctui.i18n.lang import Lang

MONTHS: dict[str, tuple[str, ...]] = {
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
MONTHS_SHORT: dict[str, tuple[str, ...]] = {
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

NO_VALUE = "–"
HUGE = 1e15  # from here on numbers are shown as 1.00e+15: 1e308 would be 400 characters


@dataclass(frozen=True)
class NumberStyle:
    """How one language writes numbers and dates."""

    decimal: str  # the decimal mark
    group: str  # the thousands mark
    percent: str  # a percentage, from the formatted number: "{number} %"
    day: Callable[[dt.date], str]  # a full date (daily data)
    moment: str  # a point in time (strftime)


STYLES: dict[Lang, NumberStyle] = {
    "de": NumberStyle(
        decimal=",",
        group=".",
        percent="{number} %",
        day=lambda day: day.strftime("%d.%m.%Y"),
        moment="%d.%m. %H:%M",
    ),
    "en": NumberStyle(
        decimal=".",
        group=",",
        percent="{number}%",
        day=dt.date.isoformat,
        moment="%Y-%m-%d %H:%M",
    ),
}


def style(lang: Lang) -> NumberStyle:
    """The number style of `lang` (English for a language without one)."""
    return STYLES.get(lang, STYLES["en"])


def _group_digits(text: str, sep: str) -> str:
    """'4236' -> '4.236' with sep='.'."""
    head, _, tail = text.partition(".")
    negative = head.startswith("-")
    digits = head.lstrip("-")
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    grouped = ("-" if negative else "") + sep.join(groups)
    return grouped + ("." + tail if tail else "")


def is_missing(value: float | int | None) -> bool:
    """True for no value: None or NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def finite_or_none(value: Any) -> Any:
    """A value as JSON can carry it: NaN and infinities (no figure) become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def fmt_number(
    value: float | int | None,
    lang: Lang,
    decimals: int = 0,
    *,
    signed: bool = False,
) -> str:
    """4236 -> '4.236' (de) / '4,236' (en); None -> '–'. (Withheld small counts: see
    jctui.presentation.policy.SmallCounts.fmt.)"""
    if value is None or is_missing(value):
        return NO_VALUE
    number = float(value)
    if abs(number) >= HUGE:  # no real figure is this large (hostile data): keep it short
        text = f"{number:.2e}"
    else:
        text = f"{number:.{decimals}f}"
        if text.startswith("-") and float(text) == 0:
            text = text[1:]
        text = _group_digits(text, "§")  # placeholder so the two separators can swap cleanly
    marks = style(lang)
    text = text.replace(".", marks.decimal).replace("§", marks.group)
    if signed and not text.startswith("-") and number != 0:
        text = "+" + text
    return text


def fmt_pct(value: float | None, lang: Lang, decimals: int = 1, *, signed: bool = True) -> str:
    """-4.7 -> '-4,7 %' (de) / '-4.7%' (en)."""
    if is_missing(value):
        return NO_VALUE
    number = fmt_number(value, lang, decimals, signed=signed)
    return style(lang).percent.format(number=number)


def fmt_month(period: dt.date | None, lang: Lang, *, short: bool = False) -> str:
    """2018-07-01 -> 'Juli 2018' / 'July 2018' (short: 'Jul 2018')."""
    if period is None:
        return NO_VALUE
    names = MONTHS_SHORT if short else MONTHS
    return f"{names[lang][period.month - 1]} {period.year}"


def fmt_period(
    period: dt.date | None, lang: Lang, *, daily: bool = False, short: bool = False
) -> str:
    """A period label: month for monthly data, full date for daily data."""
    if period is None:
        return NO_VALUE
    if daily:
        return style(lang).day(period)
    return fmt_month(period, lang, short=short)


def fmt_moment(moment: dt.datetime, lang: Lang) -> str:
    """A point in time for a banner: '25.11. 09:30' (de) / '2026-11-25 09:30' (en)."""
    return moment.strftime(style(lang).moment)
