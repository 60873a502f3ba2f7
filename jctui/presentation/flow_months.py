"""Flows month by month: a flow's own month beside the same month a year earlier (not only
the 12-month sums), for the tile's detail line and `show`'s table of the month."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jctui.i18n import MONTHS_SHORT, Lang, fmt_pct, t
from jctui.presentation.policy import SMALL_COUNT_MARK, SmallCounts


def change_pct(now: float | None, before: float | None) -> float | None:
    """The change from `before` to `now` in percent; None without both or from 0."""
    if now is None or before is None or before == 0:
        return None
    return (now - before) / abs(before) * 100


def flow_month_text(
    row: Mapping[str, Any], lang: Lang, counts: SmallCounts, published_withheld: bool = False
) -> str:
    """'Oct 353 · prev. yr 366 (-3.6%)': a flow's own month beside the same month a year
    earlier (not only the 12-month sums), as `show` lists it; '' for a stock."""
    latest = row.get("latest_period")
    if row.get("kind") != "flow" or latest is None:
        return ""
    withheld = set(row.get("withheld") or ()) | ({"value"} if published_withheld else set())
    value = counts.fmt(row.get("value"), lang, withheld="value" in withheld)
    before = counts.fmt(row.get("value_prev_year"), lang, withheld="value_prev_year" in withheld)
    change = (
        SMALL_COUNT_MARK
        if withheld & {"value", "value_prev_year"}
        else fmt_pct(change_pct(row.get("value"), row.get("value_prev_year")), lang)
    )
    month = MONTHS_SHORT[lang][latest.month - 1]
    return f"{month} {value} · {t('prev_year_short', lang)} {before} ({change})"
