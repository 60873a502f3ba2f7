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
from jctui.presentation.targets import target_fields, target_lines
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
    change: float | None  # percent (rates: points)
    counts: SmallCounts = field(default_factory=SmallCounts)
    # what is withheld (shown as "*"): value, figure, change, ytd, rank (see tile_withheld)
    withheld: frozenset[str] = frozenset()
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
    # 'Target 4,400 · 98% · ends 4,350' and more compact forms of it (() without a target)
    target_texts: tuple[str, ...] = ()
    on_track: bool | None = None

    def shown(self, part: str, lang: Lang) -> str:
        """A count of the tile as shown: 'value' or 'figure'; '*' when withheld."""
        value = self.value if part == "value" else self.figure
        return self.counts.fmt(value, lang, withheld=part in self.withheld)

    def shown_change(self, lang: Lang) -> str:
        """The change as shown: '+2.0%' (rates: '+1.7 pts'), '*' when withheld."""
        if "change" in self.withheld:
            return SMALL_COUNT_MARK
        if self.kind == "rate":
            return f"{fmt_pct(self.change, lang).rstrip('%').rstrip()} {t('points', lang)}"
        return fmt_pct(self.change, lang)

    def shown_rank(self) -> str:
        """'#99/407 · 9/29', '#*' when the ranked figure is withheld, '' without a rank."""
        if "rank" in self.withheld:
            return f"#{SMALL_COUNT_MARK}"
        if self.rank is None:
            return ""
        text = f"#{self.rank}/{self.rank_of}"
        if self.group_rank is not None:
            text += f" · {self.group_rank}/{self.group_rank_of}"
        return text


# The fields of a figure row behind each withheld part of a tile.
TILE_PARTS: Mapping[str, tuple[str, ...]] = {
    "value": ("value",),
    "change": ("change_pct",),
    "ytd": ("ytd",),
    "rank": ("rank",),
}


def tile_withheld(row: Mapping[str, Any], figure_field: str) -> frozenset[str]:
    """The parts of a tile withheld, from the row's `withheld` fields."""
    fields = set(row.get("withheld") or ())
    parts = {part for part, names in TILE_PARTS.items() if fields.intersection(names)}
    if figure_field in fields:
        parts.add("figure")
    return frozenset(parts)


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
    target_row: Mapping[str, Any] | None = None,
) -> TileData:
    companion = companion_field(metric.kind)
    value, figure = row.get("value"), row.get(companion)
    latest = row.get("latest_period")
    targets = target_fields(target_row, counts, lang)
    return TileData(
        key=key,
        label=metric.label(lang),
        kind=metric.kind,
        better=metric.better,
        value=value,
        figure=figure,
        change=row.get("change_pct"),
        counts=counts,
        withheld=tile_withheld(row, companion),
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
        target_texts=target_lines(targets, metric.kind, lang, counts),
        on_track=targets["on_track"],
    )


def rate_tile(
    key: str,
    rate: RateDef,
    row: Mapping[str, Any],
    *,
    lang: Lang,
    counts: SmallCounts,
    spark: Sequence[float | None],
    target_row: Mapping[str, Any] | None = None,
) -> TileData:
    value, figure = row.get("value"), row.get("value_prev_year")
    withheld = tile_withheld(row, "value_prev_year")
    if withheld & {"value", "figure"}:
        withheld |= {"change"}
    targets = target_fields(target_row, counts, lang)
    return TileData(
        key=key,
        label=rate.label(lang),
        kind="rate",
        better=rate.better,
        value=value,
        figure=figure,
        change=None if value is None or figure is None else value - figure,
        counts=counts,
        withheld=withheld,
        rank=row.get("rank"),
        rank_of=row.get("rank_of"),
        group_rank=row.get("group_rank"),
        group_rank_of=row.get("group_rank_of"),
        spark=tuple(spark),
        target_texts=target_lines(targets, "rate", lang, SmallCounts()),
        on_track=targets["on_track"],
    )


def tile_text_line(d: TileData, lang: Lang) -> str:
    """The figure as one line of plain text (for the clipboard), as the tile shows it."""
    prev_year = t("prev_year_short", lang)
    if d.kind == "rate":
        value, figure = (rate_text(d, part, lang) for part in ("value", "figure"))
        return f"{d.label} {value} ({prev_year} {figure})"
    change = d.shown_change(lang)
    value, figure = d.shown("value", lang), d.shown("figure", lang)
    if d.kind == "flow":
        return f"{d.label} {value}; {t('sum_12', lang)} {figure} ({change})"
    return f"{d.label} {value} ({prev_year} {figure}, {change})"


def rate_text(d: TileData, part: str, lang: Lang) -> str:
    """A rate of a tile ('value' or 'figure') as shown: '28.4 %', '*' when withheld."""
    if part in d.withheld:
        return SMALL_COUNT_MARK
    return fmt_pct(d.value if part == "value" else d.figure, lang, signed=False)


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
    out = []
    for key in HEADLINE_KEYS:
        if key in config.metrics:
            m = config.metrics[key]
            label = m.label(lang)
            if m.kind == "flow":
                label += f" ({t('sum_12', lang)})"
            row, field = metrics.get(key, {}), headline_field(m.kind)
            withheld = field in (row.get("withheld") or ())
            out.append((key, label, SmallCounts().fmt(row.get(field), lang, withheld=withheld)))
        elif key in config.rates:
            row = rates.get(key, {})
            text = fmt_pct(row.get("value"), lang, signed=False).replace(" %", "%")
            if "value" in (row.get("withheld") or ()):
                text = SMALL_COUNT_MARK
            out.append((key, config.rates[key].label(lang), text))
    return tuple(out)
