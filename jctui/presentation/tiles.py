"""What a tile, the kiosk headline and the copy line show of one Jobcenter's figures.

Built from the prepared rows of the figures (plain dicts), so the UI thread does no data
work; the widgets only lay these out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from jctui.config import DEFAULT_WINDOW, MetricDef, RateDef
from jctui.fields import METRIC_FIELDS
from jctui.i18n import MONTHS_SHORT, Lang, column_label, fmt_pct, t, window_label
from jctui.presentation.flow_months import flow_month_text
from jctui.presentation.policy import (
    SMALL_COUNT_MARK,
    SmallCounts,
    companion_field,
    is_overdue,
    next_report_due,
)
from jctui.presentation.references import fmt_compared
from jctui.presentation.targets import target_fields, target_lines
from jctui.presentation.text import safe_text


@dataclass(frozen=True)
class TileData:
    """Everything one tile shows."""

    key: str
    label: str
    kind: str  # flow | stock | rate
    better: str
    value: float | None
    figure: float | None  # flows: the window's sum; stocks: value a year earlier; rates: prev. year
    change: float | None  # percent (rates: points)
    short_label: str = ""  # for narrow tiles ("ELB"); "" = the label
    group: str = ""  # the Jobcenter's comparison type, the group of `group_rank` ("IIb")
    counts: SmallCounts = field(default_factory=SmallCounts)
    # what is withheld (shown as "*"): value, figure, change, ytd, rank (see tile_withheld)
    withheld: frozenset[str] = frozenset()
    ytd: float | None = None
    rank: int | None = None
    rank_of: int | None = None
    group_rank: int | None = None
    group_rank_of: int | None = None
    spark: tuple[float | None, ...] = ()
    latest_period: dt.date | None = None  # the report month: the newest month in the data
    next_due: dt.date | None = None  # when the next report month is due by the calendar
    overdue: bool = False  # the next report month is past due
    warnings: int = 0
    revised: int = 0
    # 'Target 4,400 · 98% · ends 4,350' and more compact forms of it (() without a target)
    target_texts: tuple[str, ...] = ()
    on_track: bool | None = None
    # 'Ø IIb 21.3% · Hessen 20.1%' and shorter forms (() without the state's figure)
    beside_texts: tuple[str, ...] = ()
    # the declared detail fields of the figure (jctui.fields): '24-month mean 38.2', '*'
    details: tuple[str, ...] = ()
    window: str = DEFAULT_WINDOW  # the configured window of `figure` (flows), "12", "30d"
    refused: str = ""  # the failed cross-check that left the month's figure out ("–")

    def shown(self, part: str, lang: Lang) -> str:
        """A count of the tile as shown: 'value' or 'figure'; '*' when withheld."""
        value = self.value if part == "value" else self.figure
        return self.counts.fmt(value, lang, withheld=part in self.withheld)

    def shown_change(self, lang: Lang) -> str:
        """The change as shown: '+2.0%' (rates: '+1.7 pts'), '*' when withheld."""
        if "change" in self.withheld:
            return SMALL_COUNT_MARK
        if self.kind == "rate" and self.change is not None:  # no change: "–", not "– pts"
            return f"{fmt_pct(self.change, lang).rstrip('%').rstrip()} {t('points', lang)}"
        return fmt_pct(self.change, lang)


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
    today: dt.date,
    overdue_months: int,
    target_row: Mapping[str, Any] | None = None,
    published_withheld: bool = False,
    reference: Mapping[str, Any] | None = None,
    window: str,
    refused: str = "",
    newest: dt.date | None = None,
) -> TileData:
    companion = companion_field(metric.kind)
    value, figure = row.get("value"), row.get(companion)
    if refused:  # its own file contradicts it: no figure ("–"), the reason under `i`
        row, value, figure = {}, None, None
    latest = row.get("latest_period")
    targets = target_fields(target_row, lang)
    # withheld by the policy, or by the publisher (`*` in the file: the month's value)
    withheld = tile_withheld(row, companion) | ({"value"} if published_withheld else set())
    level = metric.is_level  # a key figure as published: shown as a rate
    if level and withheld & {"value", "figure"}:
        withheld |= {"change"}
    return TileData(
        key=key,
        label=metric.label(lang),
        kind="rate" if level else metric.kind,
        better=metric.better,
        value=value,
        figure=figure,
        change=row.get("change" if level else "change_pct"),  # a level's change in points
        short_label=metric.short_label(lang),
        group=safe_text(row.get("group") or ""),
        counts=counts,
        withheld=withheld,
        ytd=row.get("ytd"),
        rank=row.get("rank"),
        rank_of=row.get("rank_of"),
        group_rank=row.get("group_rank"),
        group_rank_of=row.get("group_rank_of"),
        spark=tuple(spark),
        **report_timing(latest, newest, today, overdue_months),
        warnings=warnings,
        revised=revised,
        target_texts=target_lines(targets, "rate" if level else metric.kind, lang, counts),
        on_track=targets["on_track"],
        beside_texts=beside_variants(row, reference, lang),
        details=(
            *filter(None, [flow_month_text(row, lang, counts, published_withheld)]),
            *detail_texts(row, lang, counts, window),
        ),
        window=window,
        refused=refused,
    )


def report_timing(
    latest: dt.date | None, newest: dt.date | None, today: dt.date, overdue_months: int
) -> dict[str, Any]:
    """A tile's report month against the publication calendar (`latest_period`, `next_due`,
    `overdue`): a past month (`--at`, `[`; older than the data's `newest`) is neither due
    nor overdue, a newer one is published."""
    past = latest is not None and newest is not None and latest < newest
    return {
        "latest_period": latest,
        "next_due": None if latest is None or past else next_report_due(latest, overdue_months),
        "overdue": latest is not None and not past and is_overdue(latest, today, overdue_months),
    }


def detail_texts(
    row: Mapping[str, Any], lang: Lang, counts: SmallCounts, window: str
) -> tuple[str, ...]:
    """'24-month mean 38.2' per declared detail field of a metric row ('*' when withheld)."""
    withheld = set(row.get("withheld") or ())
    return tuple(
        f"{column_label(f.key, lang, window)} "
        f"{counts.fmt(row.get(f.key), lang, 1, withheld=f.key in withheld)}"
        for f in METRIC_FIELDS
        if f.detail and f.key in row
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
    reference: Mapping[str, Any] | None = None,
    latest: dt.date | None = None,
    newest: dt.date | None = None,
    today: dt.date | None = None,
    overdue_months: int = 0,
) -> TileData:
    """A rate's tile; `latest`: the report month of its counts (K2: of the integrations)."""
    value, figure = row.get("value"), row.get("value_prev_year")
    withheld = tile_withheld(row, "value_prev_year")
    if withheld & {"value", "figure"}:
        withheld |= {"change"}
    targets = target_fields(target_row, lang)
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
        short_label=rate.short_label(lang),
        group=safe_text(row.get("group") or ""),
        rank=row.get("rank"),
        rank_of=row.get("rank_of"),
        group_rank=row.get("group_rank"),
        group_rank_of=row.get("group_rank_of"),
        spark=tuple(spark),
        **report_timing(latest, newest, today or dt.date.today(), overdue_months),
        target_texts=target_lines(targets, "rate", lang, SmallCounts()),
        on_track=targets["on_track"],
        beside_texts=beside_variants(row, reference, lang),
    )


def beside_variants(
    row: Mapping[str, Any], reference: Mapping[str, Any] | None, lang: Lang
) -> tuple[str, ...]:
    """The comparison group's mean and the state's published figure (of what the rank
    compares: a level, or a count's change), clearest first: 'Ø IIb 21.3% · Hessen 20.1%',
    ..., 'HE 20.1%'; () without the state's figure (jctui.presentation.references)."""
    if reference is None:
        return ()
    basis = reference["rank_by"]
    state = (
        SMALL_COUNT_MARK if reference["withheld"] else fmt_compared(reference["value"], basis, lang)
    )
    name, code = safe_text(reference["name"]), safe_text(reference["state"])
    own = (f"{name} {state}", f"{code} {state}")
    if row.get("group_mean") is None:
        return own
    mean = fmt_compared(row["group_mean"], basis, lang)
    group = safe_text(row.get("group") or "")
    bare = (mean.rstrip(" %"), state.rstrip(" %"))  # the tile's change line says it is in %
    return (
        *([f"Ø {group} {mean} · {own[0]}"] if group else []),
        f"Ø {mean} · {own[0]}",
        f"Ø {mean} · {own[1]}",
        f"Ø {bare[0]} · {code} {bare[1]}",
        *own,
    )


def told_apart(tiles: Sequence[TileData], published: Collection[str], lang: Lang) -> list[TileData]:
    """The tiles, those of `published` figures (K2 as published) labelled so where another
    tile has their short label (K2 computed from the monthly counts): never two "K2"."""
    shorts = Counter(d.short_label for d in tiles)
    return [
        replace(
            d,
            label=f"{d.label} · {t('published', lang)}",
            short_label=f"{d.short_label} {t('published_short', lang)}",
        )
        if d.key in published and shorts[d.short_label] > 1
        else d
        for d in tiles
    ]


def first_fitting(variants: Sequence[str], width: int) -> str:
    """The first (longest, clearest) of `variants` that fits `width`; else the last one."""
    return next((v for v in variants if len(v) <= width), variants[-1] if variants else "")


def rank_variants(d: TileData, lang: Lang) -> tuple[str, ...]:
    """The ranks of a tile, clearest first: the rank within the comparison type (the fair
    comparison) before the rank among all Jobcenters, so a narrow tile keeps the former.
    A rank of a withheld figure is withheld too ('#*')."""
    if "rank" in d.withheld:
        return (f"#{SMALL_COUNT_MARK}",)
    if d.rank is None:
        return ()
    overall = f"{d.rank}/{d.rank_of}"
    if d.group_rank is None:
        return (f"{t('rank', lang)} {overall}", f"#{overall}")
    group = f"{d.group_rank}/{d.group_rank_of}"
    name = f" {d.group}" if d.group else ""
    return (
        f"{t('rank', lang)} {group} {t('rank_in', lang)}{name} · {overall} {t('rank_overall', lang)}",
        f"{group}{name} · #{overall}",
        f"{group}{name}",
        group,
    )


def report_variants(d: TileData, lang: Lang) -> tuple[str, ...]:
    """The report month of the data against the publication calendar, clearest first:
    'Report month Oct 2018 · next due Feb', ..., 'Oct 18 overdue'. (Not the fetch state of
    the source: that is the header's 'updated 14:55' / 'fetch failed'.)"""
    if d.latest_period is None:
        return ()
    names = MONTHS_SHORT[lang]
    month = names[d.latest_period.month - 1]
    long_month, short_month = (
        f"{month} {d.latest_period.year}",
        f"{month} {d.latest_period.year % 100:02d}",
    )
    if d.overdue:
        overdue = t("overdue", lang)
        return (
            f"{t('report_month', lang)} {long_month} · {overdue}",
            f"{long_month} · {overdue}",
            f"{short_month} {overdue}",
            f"{short_month} !",
        )
    if d.next_due is None:
        return (f"{t('report_month', lang)} {long_month}", long_month, short_month)
    due = names[d.next_due.month - 1]
    return (
        f"{t('report_month', lang)} {long_month} · {t('next_due', lang)} {due}",
        f"{long_month} · {t('next_due', lang)} {due}",
        f"{short_month} · {t('due', lang)} {due}",
        short_month,
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
        return (
            f"{d.label} {value}; {window_label('window_sum', lang, d.window)} {figure} ({change})"
        )
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
