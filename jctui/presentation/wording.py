"""The words of warnings and figure explanations, in the UI language.

Warnings: the engine's structured warning rows as one line of text.

The engine returns warnings as data (see `jctui.engine.checks`); this module chooses the
template of each message and fills it; the templates are in one table per language
(`jctui/i18n/de.py`, `jctui/i18n/en.py`). Numbers in that language's format
(`jctui.i18n.fmt_number`): German "361,5", English "361.5", whole numbers without decimals.
Pure Python: no Polars, no Textual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from jctui.config import MetricDef, RateDef
from jctui.i18n import Lang, fill, fmt_month, fmt_number, is_missing, t, template, window_label
from jctui.presentation.policy import SMALL_COUNT_MARK, SmallCounts, revised_mark, warning_mark

if TYPE_CHECKING:  # the tiles are the dashboard's: `show` words warnings without them
    from jctui.presentation.tiles import TileData

# the warning kinds with a name of their own (template "kind.<kind>")
KINDS: tuple[str, ...] = (
    "gap",
    "duplicate",
    "conflict",
    "negative",
    "outlier",
    "incomplete_window",
    "stated",
    "revision",
)
# Exact enough for any delivered or stated figure, without float noise ("0.30000000000000004").
EXACT_DECIMALS = 6


def kind_label(kind: str, lang: Lang) -> str:
    """The short name of a warning kind ("Lücke" / "gap"); an unknown kind as it is."""
    return template(f"kind.{kind}", lang, default=kind)


def number(value: float | None, lang: Lang, decimals: int = 1) -> str:
    """Rounded to at most `decimals` places, trailing zeros dropped: 6.0 -> "6", 361.5 ->
    "361,5" (de) / "361.5" (en); -0.04 -> "0"; None or NaN -> "–"."""
    if value is None or is_missing(value):
        return fmt_number(value, lang)
    rounded = round(float(value), decimals)
    places = next(p for p in range(decimals + 1) if round(rounded, p) == rounded)
    return fmt_number(rounded, lang, places)


def _numbers(values: Iterable[float | None] | None, lang: Lang) -> str:
    """Delivered values; a withheld one (null) as '*'."""
    return ", ".join(
        SMALL_COUNT_MARK if v is None else number(v, lang, EXACT_DECIMALS) for v in values or ()
    )


def _lines(lines: Iterable[int] | None) -> str:
    return ", ".join(str(line) for line in lines or ())  # file lines: no thousands mark


def _month(period: dt.date | None) -> str:
    return period.strftime("%Y-%m") if period is not None else "?"


def warning_message(
    warning: Mapping[str, Any], lang: Lang, *, metric_label: str | None = None
) -> str:
    """The one-line message of one warning row (a dict as from `iter_rows(named=True)`).

    `metric_label` names the metric in a stated-figure message (default: the metric key).
    """
    kind = warning.get("kind") or ""
    value, expected = warning.get("value"), warning.get("expected")
    withheld = set(warning.get("withheld") or ())

    def shown(field: str, decimals: int = 1) -> str:  # a count of the warning, or "*"
        if field in withheld:
            return SMALL_COUNT_MARK
        return number(warning.get(field), lang, decimals)

    if kind == "gap":
        unit = template("unit.day" if warning.get("unit") == "day" else "unit.month", lang)
        since = _month(warning.get("period"))
        return fill("warning.gap", lang, count=number(value, lang, 0), unit=unit, since=since)
    if kind == "negative":
        return fill("warning.negative", lang, amount=shown("value"))
    if kind == "outlier":
        return fill("warning.outlier", lang, amount=shown("value"), usual=shown("expected"))
    if kind == "conflict":
        # withheld values are null in the list (jctui.presentation.suppression)
        values, lines = _numbers(warning.get("values"), lang), _lines(warning.get("lines"))
        return fill("warning.conflict", lang, values=values, lines=lines)
    if kind == "duplicate":
        return fill("warning.duplicate", lang, lines=_lines(warning.get("lines")))
    if kind == "incomplete_window":
        present, length = number(value, lang, 0), number(expected, lang, 0)
        return fill("warning.incomplete_window", lang, present=present, length=length)
    if kind == "stated":
        return _stated_message(warning, lang, metric_label, withheld="value" in withheld)
    return kind_label(kind, lang)


def _stated_message(
    warning: Mapping[str, Any], lang: Lang, metric_label: str | None, *, withheld: bool = False
) -> str:
    """ "the data give 361.5, stated 310 (mean per month of Integrations 2018-01 to 2018-06:
    2169 / 6; Kreis Offenbach, press release)": the two figures first (they are what the
    reader needs and survive a narrow column), then how, then where the stated one is from."""
    statistic = warning.get("statistic") or "sum"
    if statistic == "published":

        def shown(value: float | None) -> str:  # withheld (null): '*', as everywhere
            return SMALL_COUNT_MARK if withheld and value is None else number(value, lang)

        parts = warning.get("values") or [None, None]
        return fill(
            "warning.stated_published",
            lang,
            published=shown(warning.get("expected")),
            label=warning.get("label"),
            gives=shown(warning.get("value")),
            given=" / ".join(shown(p) for p in parts),
        )
    computed, span = warning.get("value"), warning.get("count") or 1
    total = None if computed is None else computed * span if statistic == "mean" else computed
    given, summed = (
        (SMALL_COUNT_MARK, SMALL_COUNT_MARK)
        if withheld  # a span with a withheld count: its sum would give that count away
        else (number(computed, lang), number(total, lang))
    )
    return fill(
        "warning.stated",
        lang,
        given=given,
        stated=number(warning.get("expected"), lang, EXACT_DECIMALS),
        statistic=template(f"statistic.{statistic}", lang, default=statistic),
        name=metric_label or warning.get("metric") or "",
        first=_month(warning.get("first")),
        last=_month(warning.get("period")),
        summed=summed,
        span=span,
        label=f"; {warning['label']}" if warning.get("label") else "",
    )


def revision_message(
    old: float | None,
    new: float | None,
    lang: Lang,
    *,
    counts: SmallCounts,
    ascii_only: bool,
) -> str:
    """ "revised: 12 → 14" / "revidiert: 12 → 14"; small counts withheld, "->" in ASCII mode."""
    old_text, new_text = (
        counts.fmt_count(value, lang, 0 if value is None or float(value).is_integer() else 1)
        for value in (old, new)
    )
    arrow = "->" if ascii_only else "→"
    return fill("revision", lang, old=old_text, arrow=arrow, new=new_text)


def _description(definition: MetricDef | RateDef, lang: Lang) -> str:
    """A figure's description in `lang` (the configuration has one field per language)."""
    return str(getattr(definition, f"description_{lang}", "") or "")


def explain_figure(definition: MetricDef | RateDef, lang: Lang, window: str) -> tuple[str, str]:
    """(title, text) of `i`: what a figure counts, its formula, flow or stock, direction, rank."""
    lines = []
    description = _description(definition, lang)
    if description:
        lines += [description, ""]
    if isinstance(definition, RateDef):
        first = int(definition.window) - 1
        lag = definition.denominator_lag
        lines.append(
            fill(
                "explain.formula",
                lang,
                numerator=definition.numerator,
                denominator=definition.denominator,
                first=first,
                start=first + lag,
                lag=lag,
                scale=f"{definition.scale:g}",
            )
        )
        lines.append(rank_text(definition.better, "level", lang))
        return definition.label(lang), "\n".join(lines) + "\n"
    lines.append(fill("explain.kind", lang, kind=t(definition.kind, lang)))
    if definition.kind == "flow":
        periods = window_label("window_sum", lang, window)  # "12 months", "30 days"
        lines.append(fill("explain.flow", lang, window=window.removesuffix("d"), periods=periods))
    else:
        lines.append(template("explain.stock", lang))
    better = template(f"direction.{definition.better}", lang)
    lines.append(fill("explain.direction", lang, better=better))
    rank_by = "level" if definition.is_level else "change"  # a key figure as published
    lines.append(rank_text(definition.better, rank_by, lang))
    return definition.label(lang), "\n".join(lines) + "\n"


def rank_text(better: str, rank_by: str, lang: Lang) -> str:
    """What the rank of a figure compares (`rank_by` "level" or "change"), or why it has none."""
    if better == "none":
        return template("rank.none", lang)
    return template("rank.level" if rank_by == "level" else "rank.change", lang)


def refused_banner(count: int, lang: Lang) -> tuple[str, str]:
    """The header's words when failed cross-checks left `count` figures out: long, short."""
    return fill("banner.refused", lang, count=count), fill(
        "banner.refused_short", lang, count=count
    )


def explain_marks(d: TileData, lang: Lang, *, ascii_only: bool, overdue_months: int) -> list[str]:
    """What each mark on a tile means, for `i`: the warning and revision marks, the ranks, the
    report month against the publication calendar, withheld small counts."""
    lines: list[str] = []
    if d.refused:  # the month's figure left out: why
        lines.append(fill("marks.refused", lang, problem=d.refused))
    if d.warnings:
        mark = warning_mark(d.warnings, ascii_only=ascii_only)
        lines.append(fill("marks.warnings", lang, mark=mark, count=d.warnings))
    if d.revised:
        lines.append(fill("marks.revised", lang, mark=revised_mark(d.revised), count=d.revised))
    if d.group_rank is not None:
        lines.append(
            fill(
                "marks.group_rank",
                lang,
                rank=d.group_rank,
                of=d.group_rank_of,
                group_mark=d.group,
                group=d.group or "?",
            )
        )
    if d.rank is not None:
        lines.append(fill("marks.rank", lang, rank=d.rank, of=d.rank_of))
        # what both ranks compare: a rate (K2, a key figure as published) by its level
        lines.append(rank_text(d.better, "level" if d.kind == "rate" else "change", lang))
    if d.latest_period is not None:
        calendar = fill("marks.calendar", lang, months=overdue_months)
        month, due = fmt_month(d.latest_period, lang), fmt_month(d.next_due, lang)
        key = "marks.overdue" if d.overdue else "marks.due"
        lines.append(fill(key, lang, month=month, due=due, calendar=calendar))
        lines.append(template("marks.not_the_fetch", lang))
    if d.withheld and d.counts.active:  # what the suppression policy withheld shows as *
        threshold = fmt_number(d.counts.threshold, lang)
        lines.append(fill("marks.withheld_rule", lang, mark=SMALL_COUNT_MARK, threshold=threshold))
    elif d.withheld:  # no rule of ours: the file itself says `*`
        lines.append(fill("marks.withheld_file", lang, mark=SMALL_COUNT_MARK))
    return lines
