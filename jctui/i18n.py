"""Language, number and date formatting, and the label catalogue (German and English).

German: "4.236", "-4,7 %", "Juli 2018". English: "4,236", "-4.7%", "July 2018".
Pure Python, no Polars or Textual, so every view (CLI table, UI, export) formats alike.
"""

from __future__ import annotations

import datetime as dt
import locale
import math
import os
from typing import Literal

Lang = Literal["de", "en"]

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


def resolve_language(configured: str = "auto") -> Lang:
    """The UI language: the configured one, else from the locale (LC_ALL, LC_MESSAGES, LANG)."""
    if configured == "de":
        return "de"
    if configured == "en":
        return "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "de" if value.lower().startswith("de") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "de" if loc.lower().startswith("de") else "en"


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
    return value is None or (isinstance(value, float) and math.isnan(value))


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
    text = f"{number:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    text = _group_digits(text, "§")  # placeholder so the two separators can swap cleanly
    if lang == "de":
        text = text.replace(".", ",").replace("§", ".")
    else:
        text = text.replace("§", ",")
    if signed and not text.startswith("-") and number != 0:
        text = "+" + text
    return text


def fmt_pct(value: float | None, lang: Lang, decimals: int = 1, *, signed: bool = True) -> str:
    """-4.7 -> '-4,7 %' (de) / '-4.7%' (en)."""
    if is_missing(value):
        return NO_VALUE
    number = fmt_number(value, lang, decimals, signed=signed)
    return f"{number} %" if lang == "de" else f"{number}%"


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
        return period.strftime("%d.%m.%Y") if lang == "de" else period.isoformat()
    return fmt_month(period, lang, short=short)


def fmt_moment(moment: dt.datetime, lang: Lang) -> str:
    """A point in time for a banner: '25.11. 09:30' (de) / '2026-11-25 09:30' (en)."""
    return f"{moment:%d.%m. %H:%M}" if lang == "de" else f"{moment:%Y-%m-%d %H:%M}"


# Labels of the user interface and the CLI. Keys are stable identifiers.
LABELS: dict[str, tuple[str, str]] = {
    # key: (de, en)
    "app_title": ("jctui – Jobcenter-Kennzahlen", "jctui – Jobcenter figures"),
    "demo": ("Demodaten, synthetische Zahlen", "Demo data, synthetic figures"),
    "source": ("Quelle", "Source"),
    "as_of": ("Stichmonat", "As of"),
    "data_as_of": ("Stand", "As of"),
    "rows": ("Zeilen", "rows"),
    "overdue": ("überfällig", "overdue"),
    "not_latest": ("nicht neuester Monat", "not latest month"),
    "jobcenter": ("Jobcenter", "Jobcenter"),
    "state": ("Land", "State"),
    "carrier": ("Träger", "Carrier"),
    "comparison_type": ("Vergleichstyp", "Comparison type"),
    "metric": ("Kennzahl", "Metric"),
    "value": ("Wert", "Value"),
    "sum_12": ("12 Monate", "12 months"),
    "sum_12_prev": ("12 Monate Vorjahr", "12 months prev. year"),
    "change": ("Veränderung", "Change"),
    "change_pct": ("Veränd. %", "Change %"),
    "ytd": ("Jahr bis dato", "Year to date"),
    "ytd_prev": ("Vorjahr bis dato", "Prev. year to date"),
    "ytd_change_pct": ("Veränd. Jahr bis dato", "YTD change"),
    "value_prev_year": ("Vorjahresmonat", "Same month last year"),
    "mean_12": ("Mittel 12 Monate", "12-month mean"),
    "rank": ("Rang", "Rank"),
    "group_rank": ("Rang in Gruppe", "Rank in group"),
    "group_mean": ("Gruppenmittel", "Group mean"),
    "group_median": ("Gruppenmedian", "Group median"),
    "trend": ("Verlauf", "Trend"),
    "rates": ("Quoten", "Rates"),
    "warnings": ("Hinweise", "Warnings"),
    "flow": ("Bewegungsgröße (Summe über Zeitraum)", "flow (summed over a window)"),
    "stock": (
        "Bestandsgröße (Stand am Monatsende, nie summiert)",
        "stock (level at month end, never summed)",
    ),
    "target": ("Ziel", "Target"),
    "fresh": ("aktuell", "fresh"),
    "refreshing": ("wird aktualisiert", "refreshing"),
    "stale_since": ("veraltet seit", "stale since"),
    "error": ("Fehler", "error"),
    "not_found": ("Kein Jobcenter gefunden für", "No Jobcenter found for"),
    "did_you_mean": ("Meinten Sie", "Did you mean"),
    "matches": ("Treffer", "matches"),
    "overview": ("Übersicht", "Overview"),
    "compare": ("Vergleich", "Compare"),
    "chart": ("Diagramm", "Chart"),
    "warnings_tab": ("Hinweise", "Warnings"),
    "switch_language": ("Sprache wechseln", "Switch language"),
    "cycle_theme": ("Farbschema wechseln", "Cycle theme"),
    "refresh_now": ("Jetzt aktualisieren", "Refresh now"),
    "screenshot_svg": ("Bildschirmfoto (SVG)", "Screenshot (SVG)"),
    "palette_help": ("Jobcenter suchen, Befehle", "find a Jobcenter, commands"),
    "values_revised": ("Werte revidiert", "values revised"),
    "saved": ("Gespeichert", "Saved"),
    "copied": ("Kopiert", "Copied"),
    "choose_figure_first": (
        "Erst eine Kennzahl wählen (1, dann Tab)",
        "Choose a figure first (1, then Tab)",
    ),
    "keys": ("Tasten", "Keys"),
    "loading": ("lädt …", "loading …"),
    "built_in_defaults": ("eingebaute Voreinstellungen", "built-in defaults"),
    "retry": ("neuer Versuch", "retry"),
    "no_data_banner": ("KEINE DATEN", "NO DATA"),
    "stale_banner": ("DATEN VERALTET seit", "DATA STALE since"),
    "min": ("Min.", "min"),
    "period": ("Periode", "Period"),
    "kind": ("Art", "Kind"),
    "what_is_wrong": ("Was ist falsch", "What is wrong"),
    "all": ("alle", "all"),
    "per_1000_elb": ("je 1.000 ELB", "per 1,000 ELB"),
    "chart_keys": (
        "m Kennzahl · p Zeitraum · a Gruppe · e je ELB",
        "m figure · p span · a group · e per ELB",
    ),
    "span_2y": ("2 Jahre", "2 years"),
    "span_5y": ("5 Jahre", "5 years"),
    "span_all": ("alles", "all"),
    "12_mo_short": ("12 Mon.", "12 mo"),
    "points": ("Pkt.", "pts"),
    "group_average": ("Ø Gruppe", "avg. group"),
    "latest_data": ("neueste Daten", "latest data"),
    "sum_or_prev": ("12 Mon./Vorj.", "12 mo/prev yr"),
    "prev_year": ("Vorjahr", "prev. year"),
    "references": ("Vergleichswerte (Aggregate)", "Reference values (aggregates)"),
    "prev_year_short": ("Vorjahr", "prev. yr"),
    "headline_note": (
        "Flüsse: 12-Monats-Summe, Bestände: Monatswert",
        "flows: 12-month sum, stocks: month value",
    ),
}


def t(key: str, lang: Lang) -> str:
    """The label `key` in `lang` (the key itself if unknown, so a missing label is visible)."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "de" else pair[1]


# Key binding descriptions are written in English in the code; the footer and the help
# screen show them in the UI language through this table.
BINDINGS_DE: dict[str, str] = {
    "Overview": "Übersicht",
    "Compare": "Vergleich",
    "Chart": "Diagramm",
    "Warnings": "Hinweise",
    "Month back": "Monat zurück",
    "Month fwd": "Monat vor",
    "Help": "Hilfe",
    "Explain": "Kennzahl erklären",
    "Language": "Sprache",
    "Theme": "Farbschema",
    "Refresh": "Aktualisieren",
    "Screenshot": "Bildschirmfoto",
    "Copy": "Kopieren",
    "Quit": "Beenden",
    "Mark": "Markieren",
    "Sort": "Sortieren",
    "Reverse": "Umkehren",
    "State filter": "Filter Land",
    "Carrier filter": "Filter Träger",
    "Type filter": "Filter Vergleichstyp",
    "Filter": "Textfilter",
    "Figure": "Kennzahl",
    "Span": "Zeitraum",
    "Group avg.": "Gruppenmittel",
    "Per 1,000 ELB": "je 1.000 ELB",
    "Close": "Schließen",
}


def binding_text(description: str, lang: Lang) -> str:
    """A key binding's description in the UI language."""
    return BINDINGS_DE.get(description, description) if lang == "de" else description
