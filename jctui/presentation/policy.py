"""Presentation policy: the headline of a figure, withheld small counts, and the marks.

One place for each rule; `jctui show`, `jctui export`, the tiles, the compare table, the
chart and the copy line all ask here, so they can never disagree about what is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jctui.i18n import Lang, fmt_number, is_missing

if TYPE_CHECKING:
    import polars as pl

# The figure a metric is judged by: a flow by its 12-month sum, a stock by its month value.
HEADLINE_FIELD: Mapping[str, str] = {"flow": "sum_12", "stock": "value"}
# The number shown beside the month value: a flow's 12-month sum, a stock's value a year earlier.
COMPANION_FIELD: Mapping[str, str] = {"flow": "sum_12", "stock": "value_prev_year"}
SMALL_COUNT_MARK = "*"
# Counts that small-count suppression applies to, and what is derived from each.
DERIVED_FROM_COUNT: Mapping[str, tuple[str, ...]] = {
    "value": ("change", "change_pct"),
    "value_prev_year": ("change", "change_pct"),
    "sum_12": ("change", "change_pct"),
    "sum_12_prev": ("change", "change_pct"),
    "ytd": ("ytd_change_pct",),
    "ytd_prev": ("ytd_change_pct",),
}


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


@dataclass(frozen=True)
class SmallCounts:
    """Counts below `threshold` are withheld (official statistics use 3); 0 = off."""

    threshold: float = 0.0

    def hides(self, value: float | None) -> bool:
        """True for a count below the threshold (never for a missing value)."""
        return (
            self.threshold > 0 and not is_missing(value) and 0 <= float(value or 0) < self.threshold
        )

    def fmt(self, value: float | None, lang: Lang, decimals: int = 0) -> str:
        """A count as shown: '4.236', '–' when missing, '*' when withheld."""
        return SMALL_COUNT_MARK if self.hides(value) else fmt_number(value, lang, decimals)

    def change(self, change: float | None, counts: Sequence[float | None]) -> float | None:
        """A change, or None where it would reveal one of the counts it is made of."""
        return None if any(self.hides(c) for c in counts) else change

    def withhold(self, entry: dict[str, Any]) -> bool:
        """Withhold the small counts of a figure entry in place, and what derives from them;
        True when something was withheld."""
        withheld = False
        for count, derived in DERIVED_FROM_COUNT.items():
            if count in entry and self.hides(entry[count]):
                withheld = True
                entry[count] = None
                for field in derived:
                    if field in entry:
                        entry[field] = None
        return withheld

    def expr(self, value: pl.Expr) -> pl.Expr:
        """The rule as a Polars expression: withheld counts become null (sparklines, charts)."""
        if self.threshold <= 0:
            return value
        import polars as pl

        small = value.is_between(0, self.threshold, closed="left")
        return pl.when(small).then(None).otherwise(value).name.keep()


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
