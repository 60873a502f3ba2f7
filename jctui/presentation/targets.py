"""What is shown of a figure's target and year-end projection, in one place.

The engine computes targets, progress and projections as data (jctui.engine.targets);
`jctui show`, `jctui export`, the tiles, the chart and the kiosk's targets page take them
from `target_fields` and word them here, so they never disagree. Small counts: progress
and projection are withheld where a count they are made of is (they would give it back:
progress x target, or the projection over last year's months): decided by
jctui.presentation.suppression alone, from the declarations in jctui.fields. Pure Python: no Polars, no Textual.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jctui.fields import reported
from jctui.i18n import Lang, finite_or_none, fmt_month, fmt_number, fmt_pct, t
from jctui.presentation.policy import SMALL_COUNT_MARK, SmallCounts
from jctui.presentation.text import safe_text

# The fields of a figure's target in `jctui show --format json` and `jctui export`, as
# declared in jctui.fields
TARGET_FIELDS: tuple[str, ...] = reported("target", "rate")
REASONS: dict[str, tuple[str, str]] = {
    # engine's projection_problem: (de, en); {month} is the first missing month
    "missing": ("keine Hochrechnung: {month} fehlt", "no projection: {month} missing"),
    "zero_base": (
        "keine Hochrechnung: im Vorjahr 0 in diesen Monaten",
        "no projection: last year's same months are 0",
    ),
    "no_data": ("keine Hochrechnung: keine Daten", "no projection: no data"),
}


def projection_reason(problem: str | None, missing: dt.date | None, lang: Lang) -> str | None:
    """Why there is no projection ("no projection: May 2018 missing"); None when there is one."""
    if not problem:
        return None
    de, en = REASONS.get(problem, REASONS["no_data"])
    return (de if lang == "de" else en).format(month=fmt_month(missing, lang))


def target_fields(row: Mapping[str, Any] | None, lang: Lang) -> dict[str, Any]:
    """The TARGET_FIELDS of one figure from its row of `Figures.targets` as the suppression
    policy left it (None: no row); `suppressed` and `withheld` name what was withheld. What
    is withheld is decided there alone (jctui.presentation.suppression, by what each field
    is made of): a projection made of shown counts is a figure, not a count, and is shown."""
    if row is None:
        return dict.fromkeys(TARGET_FIELDS)
    withheld = [f for f in row.get("withheld") or () if f in TARGET_FIELDS]
    fields: dict[str, Any] = {
        "target": finite_or_none(row.get("target")),
        "target_progress_pct": finite_or_none(row.get("target_progress_pct")),
        "projection": finite_or_none(row.get("projection")),
        "projection_pct": finite_or_none(row.get("projection_pct")),
        "on_track": row.get("on_track"),
        "year_complete": row.get("year_complete"),
        "projection_reason": projection_reason(
            row.get("projection_problem"), row.get("projection_missing"), lang
        ),
    }
    if withheld:
        fields["suppressed"] = True
        fields["withheld"] = withheld
    return fields


def fmt_figure(
    value: float | None, kind: str, lang: Lang, counts: SmallCounts | None = None
) -> str:
    """A target or projection as the figure is shown: a rate in percent, a count as a
    count (what is withheld is decided by the suppression, which left it None; a target is
    agreed, not counted, and never withheld)."""
    if kind == "rate":
        return fmt_pct(value, lang, signed=False)
    return (counts or SmallCounts()).fmt(value, lang)


def fmt_progress(value: float | None, lang: Lang) -> str:
    """A progress or attainment in whole percent, floored below 100: 99.8 is '99%', never
    '100%' (the target is not met until it is)."""
    if value is not None and math.isfinite(value) and value < 100:
        value = math.floor(value)
    return fmt_pct(value, lang, 0, signed=False)


def target_gap(fields: Mapping[str, Any], kind: str, lang: Lang) -> str:
    """The shortfall or margin of the year's end against the target: '-85', '+120',
    '+0.7 pts' for a rate; '' without a projection or where it is withheld."""
    projection, target = fields.get("projection"), fields.get("target")
    if projection is None or target is None or fields.get("on_track") is None:
        return ""
    gap = float(projection) - float(target)
    if kind == "rate":
        return f"{fmt_number(gap, lang, 1, signed=True)} {t('points', lang)}"
    return fmt_number(round(gap), lang, signed=True)


def status_text(fields: Mapping[str, Any], lang: Lang, *, short: bool = False) -> str:
    """On or off track in words ('off track', in December 'reached'/'missed'; `short` drops
    'target'), 'no proj.' without a projection, '' when it is withheld."""
    on_track = fields.get("on_track")
    if fields.get("projection_reason") and on_track is None:
        return t("no_projection_short", lang)
    if on_track is None:
        return ""
    if fields.get("year_complete"):
        if short:
            return t("reached" if on_track else "missed", lang)
        return t("target_reached" if on_track else "target_missed", lang)
    return t("on_track" if on_track else "off_track", lang)


def target_line(
    fields: Mapping[str, Any], kind: str, lang: Lang, counts: SmallCounts
) -> str | None:
    """'Target 4,400 | 98% | ends 4,315 | off track: -85' (None without a target): the
    target, the progress, where the year will end and on or off track in words."""
    lines = target_lines(fields, kind, lang, counts)
    return lines[0] if lines else None


def target_lines(
    fields: Mapping[str, Any], kind: str, lang: Lang, counts: SmallCounts
) -> tuple[str, ...]:
    """The target line from the longest to the most compact, for the room a tile has, every
    one in ASCII and with on or off track in words and the shortfall or margin:
    'Target 4,400 | 98% | ends 4,315 | off track: -85', ..., 'Tgt 4,400 off track -85',
    'Tgt off track -85', 'off track: -85' (() without a target)."""
    target = fields.get("target")
    if target is None:
        return ()
    goal = fmt_figure(target, kind, lang)
    progress = fmt_progress(fields.get("target_progress_pct"), lang)
    if fields.get("target_progress_pct") is None:  # withheld (a count's YTD) or not known
        progress = SMALL_COUNT_MARK if fields.get("suppressed") else ""
    if fields.get("projection") is not None:
        ends = fmt_figure(fields["projection"], kind, lang, counts)
    elif fields.get("suppressed") and not fields.get("projection_reason"):
        ends = SMALL_COUNT_MARK
    else:
        ends = ""
    gap = target_gap(fields, kind, lang)
    status, brief = status_text(fields, lang), status_text(fields, lang, short=True)
    said = f"{status}: {gap}" if gap else status
    said_brief = f"{brief}: {gap}" if gap else brief
    tight = f"{brief} {gap}".strip()
    name, short_name = t("target", lang), t("target_short", lang)
    ending = f"{t('ends', lang)} {ends}" if ends else ""
    full = " | ".join(x for x in (f"{name} {goal}", progress, ending, said) if x)
    variants = [
        full,
        " ".join(x for x in (short_name, goal, progress, ending, said_brief) if x),
        " ".join(x for x in (short_name, goal, progress, said_brief) if x),
        " ".join(x for x in (short_name, goal, tight) if x),
        " ".join(x for x in (short_name, tight) if x),
        said_brief or f"{short_name} {goal}",
    ]
    return tuple(dict.fromkeys(variants))


def on_track_text(fields: Mapping[str, Any], lang: Lang) -> str:
    """'on track' / 'off track' (in December, when the year is done: 'target reached' /
    'target missed'), the reason without a projection, else ''."""
    if fields.get("projection_reason"):
        return str(fields["projection_reason"])
    return status_text(fields, lang)


def attainment_text(fields: Mapping[str, Any], lang: Lang) -> str:
    """The projection as a percentage of the target ('101%'), '–' without one."""
    return fmt_progress(fields.get("projection_pct"), lang)


@dataclass(frozen=True)
class TargetsRow:
    """One Jobcenter on the kiosk's targets page."""

    rank: int
    name: str
    target: str
    progress: str
    projection: str
    attainment: str
    on_track: bool | None


@dataclass(frozen=True)
class TargetsPage:
    """The kiosk's targets page: Jobcenters ranked by how far their year will reach."""

    title: str
    header: tuple[str, ...]
    rows: tuple[TargetsRow, ...]


def targets_page(
    label: str,
    kind: str,
    year: int,
    ranked: Sequence[Mapping[str, Any]],
    counts: SmallCounts,
    lang: Lang,
) -> TargetsPage:
    """The page of one figure from its rows already ranked by attainment (with `name`);
    ties share a rank."""
    rows = []
    rank, previous = 0, None
    for position, row in enumerate(ranked, start=1):
        fields = target_fields(row, lang)
        attainment = fields["projection_pct"]
        if attainment is None or attainment != previous:
            rank, previous = position, attainment
        rows.append(
            TargetsRow(
                rank=rank,
                name=safe_text(str(row.get("name") or row["jobcenter_id"])),
                target=fmt_figure(fields["target"], kind, lang),
                progress=fmt_progress(fields["target_progress_pct"], lang),
                projection=fmt_figure(fields["projection"], kind, lang, counts),
                attainment=attainment_text(fields, lang),
                on_track=fields["on_track"],
            )
        )
    title = f"{t('targets_title', lang).format(year=year)}: {label}"
    header = ("#", "", t("target", lang), t("progress", lang), t("year_end", lang),
              t("attainment", lang))  # fmt: skip
    return TargetsPage(title, header, tuple(rows))


__all__ = [
    "TARGET_FIELDS",
    "TargetsPage",
    "TargetsRow",
    "attainment_text",
    "fmt_figure",
    "fmt_progress",
    "on_track_text",
    "projection_reason",
    "status_text",
    "target_fields",
    "target_gap",
    "target_line",
    "target_lines",
    "targets_page",
]
