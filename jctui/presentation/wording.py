"""The words of warnings and figure explanations, in the UI language.

Warnings: the engine's structured warning rows as one line of text.

The engine returns warnings as data (see `jctui.engine.checks`); this module words them in
the UI language, numbers in that language's format (`jctui.i18n.fmt_number`): German
"361,5", English "361.5", whole numbers without decimals. Pure Python: no Polars, no Textual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from jctui.config import MetricDef, RateDef
from jctui.i18n import Lang, fmt_month, fmt_number, is_missing, t
from jctui.presentation.policy import SMALL_COUNT_MARK, SmallCounts, revised_mark, warning_mark
from jctui.presentation.tiles import TileData

KIND_LABELS: dict[str, tuple[str, str]] = {
    # kind: (de, en)
    "gap": ("Lücke", "gap"),
    "duplicate": ("doppelt", "duplicate"),
    "conflict": ("Widerspruch", "conflict"),
    "negative": ("negativ", "negative"),
    "outlier": ("Ausreißer", "outlier"),
    "incomplete_window": ("unvollständig", "incomplete"),
    "stated": ("Angabe", "stated figure"),
    "revision": ("Revision", "revision"),
}
STATISTICS: dict[str, tuple[str, str]] = {
    # stated check's statistic: (de, en)
    "mean": ("Mittelwert je Monat", "mean per month"),
    "sum": ("Summe", "sum"),
}
# Exact enough for any delivered or stated figure, without float noise ("0.30000000000000004").
EXACT_DECIMALS = 6


def kind_label(kind: str, lang: Lang) -> str:
    """The short name of a warning kind ("Lücke" / "gap"); an unknown kind as it is."""
    de, en = KIND_LABELS.get(kind, (kind, kind))
    return de if lang == "de" else en


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
    de = lang == "de"
    kind = warning.get("kind") or ""
    value, expected = warning.get("value"), warning.get("expected")
    withheld = set(warning.get("withheld") or ())

    def shown(field: str, decimals: int = 1) -> str:  # a count of the warning, or "*"
        if field in withheld:
            return SMALL_COUNT_MARK
        return number(warning.get(field), lang, decimals)

    if kind == "gap":
        count = number(value, lang, 0)
        if warning.get("unit") == "day":
            noun = "Tage" if de else "days"
        else:
            noun = "Monate" if de else "months"
        since = _month(warning.get("period"))
        return (
            f"Lücke: {count} fehlende {noun} ab {since}"
            if de
            else (f"gap: {count} missing {noun} from {since}")
        )
    if kind == "negative":
        amount = shown("value")
        return (
            f"negativer Wert {amount} bei einer Bewegungsgröße"
            if de
            else f"negative value {amount} for a flow"
        )
    if kind == "outlier":
        amount, usual = shown("value"), shown("expected")
        return (
            f"Ausreißer: {amount} (üblich in diesem Monat: {usual})"
            if de
            else f"outlier: {amount} (usual for this month: {usual})"
        )
    if kind == "conflict":
        values, lines = _numbers(warning.get("values"), lang), _lines(warning.get("lines"))
        # withheld values are null in the list (jctui.presentation.suppression)
        return (
            f"Widerspruch: Werte {values} in Zeilen {lines}; verwendet: letzter"
            if de
            else f"conflict: values {values} on lines {lines}; used: the last"
        )
    if kind == "duplicate":
        lines = _lines(warning.get("lines"))
        return f"doppelt geliefert in Zeilen {lines}" if de else f"delivered twice, lines {lines}"
    if kind == "incomplete_window":
        present, length = number(value, lang, 0), number(expected, lang, 0)
        return (
            f"Zeitraum unvollständig: {present} von {length} Perioden vorhanden, "
            "kein Wert berechnet"
            if de
            else f"incomplete window: {present} of {length} periods present, no figure computed"
        )
    if kind == "stated":
        return _stated_message(warning, lang, metric_label, withheld="value" in withheld)
    return kind_label(kind, lang)


def _stated_message(
    warning: Mapping[str, Any], lang: Lang, metric_label: str | None, *, withheld: bool = False
) -> str:
    """ "the data give 361.5, stated 310 (mean per month of Integrations 2018-01 to 2018-06:
    2169 / 6; Kreis Offenbach, press release)": the two figures first (they are what the
    reader needs and survive a narrow column), then how, then where the stated one is from."""
    de = lang == "de"
    statistic = warning.get("statistic") or "sum"
    if statistic == "published":

        def shown(value: float | None) -> str:  # withheld (null): '*', as everywhere
            return SMALL_COUNT_MARK if withheld and value is None else number(value, lang)

        parts = warning.get("values") or [None, None]
        given = " / ".join(shown(p) for p in parts)
        published, gives = shown(warning.get("expected")), shown(warning.get("value"))
        if de:
            return f"veröffentlicht {published} ({warning.get('label')}), Zähler und Nenner ergeben {gives} ({given})"
        return f"published {published} ({warning.get('label')}), its numerator and denominator give {gives} ({given})"
    computed, span = warning.get("value"), warning.get("count") or 1
    total = None if computed is None else computed * span if statistic == "mean" else computed
    label = f"; {warning['label']}" if warning.get("label") else ""
    what = STATISTICS.get(statistic, (statistic, statistic))[0 if de else 1]
    name = metric_label or warning.get("metric") or ""
    stated = number(warning.get("expected"), lang, EXACT_DECIMALS)
    first, last = _month(warning.get("first")), _month(warning.get("period"))
    given, summed = (
        (SMALL_COUNT_MARK, SMALL_COUNT_MARK)
        if withheld  # a span with a withheld count: its sum would give that count away
        else (number(computed, lang), number(total, lang))
    )
    if de:
        return (
            f"aus den Daten folgt {given}, angegeben {stated} "
            f"({what} {name} {first} bis {last}: {summed} / {span}{label})"
        )
    return (
        f"the data give {given}, stated {stated} "
        f"({what} of {name} {first} to {last}: {summed} / {span}{label})"
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
    return f"{'revidiert' if lang == 'de' else 'revised'}: {old_text} {arrow} {new_text}"


def explain_figure(definition: MetricDef | RateDef, lang: Lang, window: str) -> tuple[str, str]:
    """(title, text) of `i`: what a figure counts, its formula, flow or stock, direction, rank."""
    de = lang == "de"
    lines = []
    description = definition.description_de if de else definition.description_en
    if description:
        lines += [description, ""]
    if isinstance(definition, RateDef):
        first = int(definition.window) - 1
        lag = definition.denominator_lag
        num, den, scale = definition.numerator, definition.denominator, f"{definition.scale:g}"
        lines.append(
            f"Formel: Summe {num} über t-{first}..t / Mittel {den} über t-{first + lag}..t-{lag} × {scale}"
            if de
            else f"Formula: sum of {num} over t-{first}..t / mean of {den} over t-{first + lag}..t-{lag} × {scale}"
        )
        lines.append(rank_text(definition.better, "level", lang))
        return definition.label(lang), "\n".join(lines) + "\n"
    lines.append(f"{'Art' if de else 'Kind'}: {t(definition.kind, lang)}")
    if definition.kind == "flow":
        lines.append(
            f"12 Monate: Summe der letzten {window} Perioden; Veränderung: gegenüber denselben Monaten im Vorjahr."
            if de
            else f"12 months: sum of the last {window} periods; change: against the same months a year earlier."
        )
    else:
        lines.append(
            "Veränderung wie K3: (Wert / Wert vor 12 Monaten − 1) × 100."
            if de
            else "Change as K3: (value / value 12 months earlier − 1) × 100."
        )
    better = DIRECTIONS[definition.better][0 if de else 1]
    lines.append(f"{'Richtung' if de else 'Direction'}: {better}")
    rank_by = "level" if definition.is_level else "change"  # a key figure as published
    lines.append(rank_text(definition.better, rank_by, lang))
    return definition.label(lang), "\n".join(lines) + "\n"


def rank_text(better: str, rank_by: str, lang: Lang) -> str:
    """What the rank of a figure compares (`rank_by` "level" or "change"), or why it has none."""
    de = lang == "de"
    if better == "none":
        return (
            "Rang: keiner, die Kennzahl hat keine Richtung (better = none)."
            if de
            else "Rank: none, the figure has no better direction (better = none)."
        )
    if rank_by == "level":
        return (
            "Rang: nach der Höhe der Quote (wie im amtlichen Vergleich), 1 = beste."
            if de
            else "Rank: by the level of the rate (as the official comparison), 1 = best."
        )
    return (
        "Rang: nach der Veränderung gegenüber dem Vorjahr, 1 = beste; Gruppe = Vergleichstyp."
        if de
        else "Rank: by the change against the previous year, 1 = best; group = comparison type."
    )


DIRECTIONS: dict[str, tuple[str, str]] = {
    # a metric's better direction: (de, en)
    "higher": ("höher ist besser", "higher is better"),
    "lower": ("niedriger ist besser", "lower is better"),
    "none": ("keine Richtung", "no direction"),
}


def explain_marks(d: TileData, lang: Lang, *, ascii_only: bool, overdue_months: int) -> list[str]:
    """What each mark on a tile means, for `i`: the warning and revision marks, the ranks, the
    report month against the publication calendar, withheld small counts."""
    de = lang == "de"
    lines: list[str] = []
    if d.warnings:
        mark = warning_mark(d.warnings, ascii_only=ascii_only)
        lines.append(
            f"{mark}: {d.warnings} Datenhinweis(e) zu dieser Kennzahl im Stichmonat "
            "(Liste: 4 Hinweise)."
            if de
            else f"{mark}: {d.warnings} data warning(s) on this figure at the as-of month "
            "(listed on 4 Warnings)."
        )
    if d.revised:
        lines.append(
            f"{revised_mark(d.revised)}: {d.revised} Werte dieser Kennzahl wurden beim letzten "
            "Laden geändert (Liste: 4 Hinweise)."
            if de
            else f"{revised_mark(d.revised)}: {d.revised} values of this figure were revised by "
            "the last load (listed on 4 Warnings)."
        )
    if d.group_rank is not None:
        group = d.group or "?"
        lines.append(
            f"{d.group_rank}/{d.group_rank_of} {d.group}: Rang {d.group_rank} unter den "
            f"{d.group_rank_of} Jobcentern des Vergleichstyps {group} (ähnliche Jobcenter: der "
            "faire Vergleich)."
            if de
            else f"{d.group_rank}/{d.group_rank_of} {d.group}: rank {d.group_rank} of the "
            f"{d.group_rank_of} Jobcenters of comparison type {group} (similar Jobcenters: the "
            "fair comparison)."
        )
    if d.rank is not None:
        lines.append(
            f"#{d.rank}/{d.rank_of}: Rang {d.rank} unter allen {d.rank_of} Jobcentern."
            if de
            else f"#{d.rank}/{d.rank_of}: rank {d.rank} of all {d.rank_of} Jobcenters."
        )
        # what both ranks compare: a rate (K2, a key figure as published) by its level
        lines.append(rank_text(d.better, "level" if d.kind == "rate" else "change", lang))
    if d.latest_period is not None:
        month = fmt_month(d.latest_period, lang)
        due = fmt_month(d.next_due, lang)
        calendar = (
            f"Veröffentlichung etwa {overdue_months} Monate nach Monatsende"
            if de
            else f"published about {overdue_months} months after month end"
        )
        if d.overdue:
            lines.append(
                f"{t('overdue', lang)}: der neueste Berichtsmonat der Daten ist {month}; der "
                f"nächste war bis {due} fällig ({calendar}): Bericht überfällig."
                if de
                else f"{t('overdue', lang)}: the newest report month in the data is {month}; the "
                f"next one was due by {due} ({calendar}): report overdue."
            )
        else:
            lines.append(
                f"{t('due', lang)}: der neueste Berichtsmonat der Daten ist {month}; der nächste "
                f"ist bis {due} fällig ({calendar})."
                if de
                else f"{t('next_due', lang)}: the newest report month in the data is {month}; the "
                f"next one is due by {due} ({calendar})."
            )
        lines.append(
            "Nicht zu verwechseln mit „aktualisiert 14:55“ / „Abruf fehlgeschlagen“ oben: das "
            "ist der Abruf der Quelle, nicht das Alter der Zahlen."
            if de
            else 'Not the same as "updated 14:55" / "fetch failed" at the top: that is the fetch '
            "of the source, not the age of the figures."
        )
    if d.withheld and d.counts.active:  # what the suppression policy withheld shows as *
        threshold = fmt_number(d.counts.threshold, lang)
        lines.append(
            f"{SMALL_COUNT_MARK}: Fallzahl unter {threshold}, nicht ausgewiesen (Datenschutz)."
            if de
            else f"{SMALL_COUNT_MARK}: a count below {threshold}, withheld (privacy)."
        )
    elif d.withheld:  # no rule of ours: the file itself says `*`
        lines.append(
            f"{SMALL_COUNT_MARK}: vom Herausgeber nicht ausgewiesen (* in der Datei)."
            if de
            else f"{SMALL_COUNT_MARK}: withheld by the publisher (* in the file)."
        )
    return lines
