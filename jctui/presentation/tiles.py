"""What a tile, the kiosk headline and the copy line show of one Jobcenter's figures.

Built from the prepared rows of the figures (plain dicts), so the UI thread does no data
work; the widgets only lay these out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jctui.config import Config, MetricDef, RateDef
from jctui.i18n import Lang, fmt_pct, t
from jctui.presentation.policy import (
    SMALL_COUNT_MARK,
    SmallCounts,
    companion_field,
    headline_field,
    is_overdue,
)
from jctui.presentation.text import safe_text

HEADLINE_KEYS = ("integrations", "k2", "long_term_recipients")  # the kiosk's large figures


@dataclass(frozen=True)
class TileData:
    """Everything one tile shows."""

    key: str
    label: str
    kind: str  # flow | stock | rate
    better: str
    value: float | None
    figure: float | None  # flows: 12-month sum; stocks: value a year earlier; rates: prev. year
    change: float | None  # percent (rates: points); None where it would reveal a small count
    counts: SmallCounts = field(default_factory=SmallCounts)
    withheld: bool = False  # the publisher withheld the month's value (`*` in the file)
    ytd: float | None = None
    rank: int | None = None
    rank_of: int | None = None
    group_rank: int | None = None
    group_rank_of: int | None = None
    spark: tuple[float | None, ...] = ()
    latest_period: dt.date | None = None
    overdue: bool = False
    warnings: int = 0
    revised: int = 0
    target: float | None = None
    year_share: float = 0.0  # how far along the calendar year the as-of month is

    def value_text(self, lang: Lang) -> str:
        """The month's value as shown: "*" where it is withheld (small or by the publisher)."""
        if self.withheld and self.value is None:
            return SMALL_COUNT_MARK
        return self.counts.fmt(self.value, lang)


@dataclass(frozen=True)
class OverviewData:
    """The overview of one Jobcenter: its name, facts and a tile per figure."""

    jobcenter_id: str
    name: str
    facts: str
    tiles: tuple[TileData, ...]


def jobcenter_facts(registry_row: Mapping[str, Any], lang: Lang) -> str:
    """'HE · zkT · Comparison type IIb', from the data, made inert."""
    facts = [registry_row.get("state"), registry_row.get("carrier")]
    if registry_row.get("comparison_type"):
        facts.append(f"{t('comparison_type', lang)} {registry_row['comparison_type']}")
    return " · ".join(safe_text(f) for f in facts if f)


def metric_tile(
    key: str,
    metric: MetricDef,
    row: Mapping[str, Any],
    *,
    lang: Lang,
    counts: SmallCounts,
    spark: Sequence[float | None],
    warnings: int,
    revised: int,
    as_of: dt.date,
    today: dt.date,
    overdue_months: int,
    withheld: bool = False,
) -> TileData:
    value, figure = row.get("value"), row.get(companion_field(metric.kind))
    latest = row.get("latest_period")
    return TileData(
        key=key,
        label=metric.label(lang),
        kind=metric.kind,
        better=metric.better,
        value=value,
        figure=figure,
        change=counts.change(row.get("change_pct"), (value, figure)),
        counts=counts,
        withheld=withheld,
        ytd=row.get("ytd"),
        rank=row.get("rank"),
        rank_of=row.get("rank_of"),
        group_rank=row.get("group_rank"),
        group_rank_of=row.get("group_rank_of"),
        spark=tuple(spark),
        latest_period=latest,
        overdue=latest is not None and is_overdue(latest, today, overdue_months),
        warnings=warnings,
        revised=revised,
        target=metric.target,
        year_share=as_of.month / 12,
    )


def rate_tile(
    key: str, rate: RateDef, row: Mapping[str, Any], *, lang: Lang, spark: Sequence[float | None]
) -> TileData:
    value, figure = row.get("value"), row.get("value_prev_year")
    return TileData(
        key=key,
        label=rate.label(lang),
        kind="rate",
        better=rate.better,
        value=value,
        figure=figure,
        change=None if value is None or figure is None else value - figure,
        rank=row.get("rank"),
        rank_of=row.get("rank_of"),
        group_rank=row.get("group_rank"),
        group_rank_of=row.get("group_rank_of"),
        spark=tuple(spark),
    )


def tile_text_line(d: TileData, lang: Lang) -> str:
    """The figure as one line of plain text (for the clipboard), as the tile shows it."""
    prev_year = t("prev_year_short", lang)
    if d.kind == "rate":
        value = fmt_pct(d.value, lang, signed=False)
        return f"{d.label} {value} ({prev_year} {fmt_pct(d.figure, lang, signed=False)})"
    change = fmt_pct(d.change, lang)
    value, figure = d.value_text(lang), d.counts.fmt(d.figure, lang)
    if d.kind == "flow":
        return f"{d.label} {value}; {t('sum_12', lang)} {figure} ({change})"
    return f"{d.label} {value} ({prev_year} {figure}, {change})"


def copy_line(name: str, period: str, d: TileData, lang: Lang, *, demo: bool) -> str:
    """'Kreis Offenbach, October 2018: Integrations 353; ...' for the clipboard: the figure as
    the tile shows it, demo-labelled, and inert (names come from the data)."""
    text = f"{name}, {period}: {tile_text_line(d, lang)}"
    if demo:
        text += f" ({t('demo', lang)})"
    return safe_text(text)


def headline_figures(
    config: Config,
    metrics: Mapping[str, Mapping[str, Any]],
    rates: Mapping[str, Mapping[str, Any]],
    lang: Lang,
) -> tuple[tuple[str, str, str], ...]:
    """(key, label, text) of the kiosk's large figures: 12-month integrations, K2, LZB."""
    counts = SmallCounts(config.small_count_threshold)
    out = []
    for key in HEADLINE_KEYS:
        if key in config.metrics:
            m = config.metrics[key]
            label = m.label(lang)
            if m.kind == "flow":
                label += f" ({t('sum_12', lang)})"
            value = metrics.get(key, {}).get(headline_field(m.kind))
            out.append((key, label, counts.fmt(value, lang)))
        elif key in config.rates:
            value = rates.get(key, {}).get("value")
            text = fmt_pct(value, lang, signed=False).replace(" %", "%")
            out.append((key, config.rates[key].label(lang), text))
    return tuple(out)
