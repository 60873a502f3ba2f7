"""Presentation policy: the headline of a figure, withheld small counts, and the marks.

One place for each rule; `jctui show`, `jctui export`, the tiles, the compare table, the
chart and the copy line all ask here, so they can never disagree about what is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jctui.config import Config
from jctui.i18n import Lang, fmt_number, is_missing

if TYPE_CHECKING:
    import polars as pl

# The figure a metric is judged by: a flow by its 12-month sum, a stock by its month value.
HEADLINE_FIELD: Mapping[str, str] = {"flow": "window_sum", "stock": "value"}
# The number shown beside the month value: a flow's 12-month sum, a stock's value a year earlier.
COMPANION_FIELD: Mapping[str, str] = {"flow": "window_sum", "stock": "value_prev_year"}
SMALL_COUNT_MARK = "*"


def headline_field(kind: str) -> str:
    """The field that is the headline of a metric of this kind ("flow" or "stock")."""
    return HEADLINE_FIELD.get(kind, "value")


def companion_field(kind: str) -> str:
    return COMPANION_FIELD.get(kind, "value_prev_year")


def headline_expr() -> pl.Expr:
    """`headline_field` as a Polars expression over a frame with `kind` and the fields."""
    import polars as pl

    expr: pl.Expr = pl.lit(None, pl.Float64)
    for kind, field in HEADLINE_FIELD.items():
        expr = pl.when(pl.col("kind") == kind).then(pl.col(field)).otherwise(expr)
    return expr


def headline_field_expr() -> pl.Expr:
    """The name of the headline field of each row (by its `kind`), as a Polars expression."""
    import polars as pl

    expr: pl.Expr = pl.lit("value")
    for kind, field in HEADLINE_FIELD.items():
        expr = pl.when(pl.col("kind") == kind).then(pl.lit(field)).otherwise(expr)
    return expr


@dataclass(frozen=True)
class SmallCounts:
    """The primary rule of small-count suppression: a delivered count below `threshold`
    (official statistics use 3; 0 = off) is withheld; zero only when `include_zero`.

    What follows from it (every figure that would reveal a withheld count, secondary
    suppression) is decided in `jctui.presentation.suppression`, from this rule alone;
    the front ends only show what that left, with `fmt`."""

    threshold: float = 0.0
    include_zero: bool = False

    @classmethod
    def of(cls, config: Config) -> SmallCounts:
        """The rule as configured (`small_count_threshold`, `small_counts_include_zero`)."""
        return cls(config.small_count_threshold, config.small_counts_include_zero)

    @property
    def active(self) -> bool:
        return self.threshold > 0

    def hides(self, value: float | None) -> bool:
        """True for a count the rule withholds (never for a missing value)."""
        if not self.active or is_missing(value):
            return False
        v = float(value or 0)
        return (v >= 0 if self.include_zero else v > 0) and v < self.threshold

    def small(self, value: pl.Expr) -> pl.Expr:
        """`hides` as a boolean Polars expression (false where nothing is withheld)."""
        import polars as pl

        if not self.active:
            return pl.lit(False)
        low = (value >= 0) if self.include_zero else (value > 0)
        return (low & (value < self.threshold)).fill_null(False)

    def fmt(
        self, value: float | None, lang: Lang, decimals: int = 0, *, withheld: bool = False
    ) -> str:
        """A figure as shown: '4.236', '–' when missing, '*' when withheld."""
        return SMALL_COUNT_MARK if withheld else fmt_number(value, lang, decimals)

    def fmt_count(self, value: float | None, lang: Lang, decimals: int = 0) -> str:
        """A delivered count as shown, withheld by the rule itself (revised values)."""
        return self.fmt(value, lang, decimals, withheld=self.hides(value))

    def expr(self, value: pl.Expr) -> pl.Expr:
        """Delivered counts with the withheld ones null (sparklines, charts)."""
        if not self.active:
            return value
        import polars as pl

        return pl.when(self.small(value)).then(None).otherwise(value).name.keep()


def warning_mark(count: int, *, ascii_only: bool) -> str:
    """The mark of a figure with data warnings: '⚠2' ('!2' in ASCII)."""
    return f"{'!' if ascii_only else '⚠'}{count}" if count else ""


def revised_mark(count: int) -> str:
    """The mark of a figure with revised values: 'rev.3'."""
    return f"rev.{count}" if count else ""


def chosen_mark(*, ascii_only: bool) -> str:
    """The mark of a Jobcenter chosen for the chart in the compare table."""
    return "x" if ascii_only else "✓"


def sort_arrow(descending: bool, *, ascii_only: bool) -> str:
    if ascii_only:
        return "v" if descending else "^"
    return "▼" if descending else "▲"


def months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def is_overdue(latest: dt.date, today: dt.date, overdue_months: int) -> bool:
    """Data whose newest month is older than the publication calendar allows."""
    return months_between(latest, today) > overdue_months


def next_report_due(latest: dt.date, overdue_months: int) -> dt.date:
    """The month by which the report month after `latest` is due by the publication calendar
    (from this month on, `latest` counts as overdue)."""
    months = latest.year * 12 + latest.month - 1 + overdue_months + 1
    return dt.date(months // 12, months % 12 + 1, 1)
