"""Language, number and date formatting, and the label catalogue (German and English).

German: "4.236", "-4,7 %", "Juli 2018". English: "4,236", "-4.7%", "July 2018".
Pure Python, no Polars or Textual, so every view (CLI table, UI, export) formats alike.
"""

from __future__ import annotations

import datetime as dt
import locale
import math
import os
from typing import Any, Literal

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


def finite_or_none(value: Any) -> Any:
    """A value as JSON can carry it: NaN and infinities (no figure) become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


HUGE = 1e15  # from here on numbers are shown as 1.00e+15: 1e308 would be 400 characters


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
    if abs(number) >= HUGE:  # no real figure is this large (hostile data): keep it short
        text = f"{number:.2e}"
    else:
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
    "rows": ("Zeilen", "rows"),
    "overdue": ("überfällig", "overdue"),
    # the data's report month against the publication calendar (tiles) ...
    "report_month": ("Berichtsmonat", "Report month"),
    "next_due": ("nächster fällig", "next due"),
    "due": ("fällig", "due"),
    # ... is not the fetch state of the source (header)
    "updated": ("aktualisiert", "updated"),
    "fetch_failed_since": ("Abruf fehlgeschlagen seit", "fetch failed since"),
    "fetch_failed": ("Abruf fehlgeschlagen", "fetch failed"),
    "rank_in": ("in", "in"),
    "rank_overall": ("gesamt", "overall"),
    "not_latest": ("nicht neuester Monat", "not latest month"),
    "not_latest_short": ("nicht neuester", "not latest"),
    "demo_short": ("Demodaten", "Demo data"),
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
    "rank_type_all": ("Rang Typ·alle", "Rank type·all"),
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
    "targets": ("Ziele", "Targets"),
    "target_short": ("Ziel", "Tgt"),
    "target_per_month": ("Ziel je Monat", "Target per month"),
    "ends": ("Ende", "ends"),
    "progress": ("Stand", "Progress"),
    "year_end": ("Jahresende", "Year end"),
    "projection": ("Hochrechnung", "Projection"),
    "no_projection_short": ("k. Hochr.", "no proj."),
    "on_track": ("auf Kurs", "on track"),
    "off_track": ("nicht auf Kurs", "off track"),
    "target_reached": ("Ziel erreicht", "target reached"),
    "target_missed": ("Ziel verfehlt", "target missed"),
    "attainment": ("Zielerreichung", "Attainment"),
    "targets_title": ("Zielerreichung {year}", "Targets {year}"),
    "fresh": ("aktuell", "fresh"),
    "refreshing": ("wird aktualisiert", "refreshing"),
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
    "chart_out_of_range": (
        "Werte außerhalb des darstellbaren Bereichs",
        "values beyond the range a chart can show",
    ),
    "screenshot_failed": ("Bildschirmfoto nicht gespeichert", "Screenshot not saved"),
    "copied": ("Kopiert", "Copied"),
    "choose_figure_first": (
        "Erst eine Kennzahl wählen (1, dann Tab)",
        "Choose a figure first (1, then Tab)",
    ),
    "keys": ("Tasten", "Keys"),
    "on_the_tile": ("Auf der Kachel", "On the tile"),
    "loading": ("lädt …", "loading …"),
    "built_in_defaults": ("eingebaute Voreinstellungen", "built-in defaults"),
    "retry": ("neuer Versuch", "retry"),
    "retry_short": ("erneut", "retry"),
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
    # a key figure as published, beside the same figure computed from the monthly counts
    "published": ("veröffentlicht", "published"),
    "published_short": ("amtl.", "publ."),
    "group_average": ("Ø Gruppe", "avg. group"),
    "latest_data": ("neueste Daten", "latest data"),
    "sum_or_prev": ("12 Mon./Vorj.", "12 mo/prev yr"),
    "prev_year": ("Vorjahr", "prev. year"),
    "references": ("Vergleichswerte (Aggregate)", "Reference values (aggregates)"),
    "against_group_state": ("Gruppe und Land", "Group and state"),
    "basis_change": ("Veränd. z. Vorj.", "change on prev. yr"),
    "basis_level": ("Stand", "level"),
    "prev_year_short": ("Vorjahr", "prev. yr"),
    "more_matches": (
        "… {n} weitere Jobcenter passen: Suche eingrenzen (z. B. ganzer Name), "
        "oder --format json|csv für alle",
        "… {n} more Jobcenters match: narrow the query (e.g. the full name), "
        "or --format json|csv for all of them",
    ),
    "prev_year_tiny": ("Vj.", "yr ago"),
    "name": ("Name", "name"),
    "filter": ("Filter", "Filter"),
    "compare_keys": (
        "s/S sortieren · f/b/g/G filtern · x alle aus",
        "s/S sort · f/b/g/G filter · x clear",
    ),
    "my_jobcenter_set": ("Mein Jobcenter ist jetzt", "My Jobcenter is now"),
    "set_my_jobcenter": ("Als mein Jobcenter setzen", "Set as my Jobcenter"),
    "per_elb_not_here": (
        "je 1.000 ELB: nicht für diese Kennzahl",
        "per 1,000 ELB: not for this figure",
    ),
    "sent_to_clipboard": (
        "An die Zwischenablage des Terminals gesendet",
        "Sent to the terminal's clipboard",
    ),
    # command-line errors: (de, en) templates, filled from the error's params
    "err_not_found": ("kein Jobcenter passt zu {query}", "no Jobcenter matches {query}"),
    "err_not_found_closest": (
        "kein Jobcenter passt zu {query}; am ähnlichsten: {closest}",
        "no Jobcenter matches {query}; closest: {closest}",
    ),
    "err_at_format": (
        "--at: erwartet einen Monat als JJJJ-MM, erhalten: {got}",
        "--at: expected a month as YYYY-MM, got {got}",
    ),
    "err_at_missing": (
        "--at {at}: nicht in den Daten (Monate {first} bis {last})",
        "--at {at}: not in the data (periods {first} to {last})",
    ),
    "err_metric": (
        "--metric: unbekannte Kennzahl {metric} (bekannt: {known})",
        "--metric: unknown metric {metric} (known: {known})",
    ),
    "err_group": (
        "--group {group}: keine solche Gruppe (bekannt: {known})",
        "--group {group}: no such group (known: {known})",
    ),
    "err_export_format": (
        "{output}: Format nicht am Namen erkennbar; --format csv|parquet|json|xlsx angeben",
        "{output}: cannot tell the format from the name; use --format csv|parquet|json|xlsx",
    ),
    "theme": ("Farbschema", "Theme"),
    "theme_dark": ("dunkel", "dark"),
    "theme_light": ("hell", "light"),
    "theme_high-contrast": ("hoher Kontrast", "high contrast"),
    "refreshed_new_data": ("Neue Daten geladen", "New data loaded"),
    "refreshed_no_change": (
        "Aktualisiert: keine neuen Daten",
        "Refreshed: no new data",
    ),
    "headline_note": (
        "Flüsse: 12-Monats-Summe, Bestände: Monatswert",
        "flows: 12-month sum, stocks: month value",
    ),
}


# Column headers of exports meant for people (xlsx, German CSV): column -> (de, en).
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "as_of": ("Stichmonat", "As of"),
    "jobcenter_id": ("Jobcenter-Nr.", "Jobcenter id"),
    "name": ("Jobcenter", "Jobcenter"),
    "state": ("Land", "State"),
    "carrier": ("Träger", "Carrier"),
    "comparison_type": ("Vergleichstyp", "Comparison type"),
    "figure": ("Kennzahl", "Figure"),
    "kind": ("Art", "Kind"),
    "value": ("Wert", "Value"),
    "value_prev_year": ("Wert Vorjahr", "Value previous year"),
    "sum_12": ("12-Monats-Summe", "12-month sum"),
    "sum_12_prev": ("12-Monats-Summe Vorjahr", "12-month sum previous year"),
    "change": ("Veränderung", "Change"),
    "change_pct": ("Veränderung %", "Change %"),
    "ytd": ("Summe seit Jahresbeginn", "Year to date"),
    "ytd_prev": ("Summe seit Jahresbeginn Vorjahr", "Year to date previous year"),
    "ytd_change_pct": ("Veränderung seit Jahresbeginn %", "Change year to date %"),
    "rank": ("Rang", "Rank"),
    "rank_of": ("Rang von", "Rank of"),
    "group_rank": ("Rang im Vergleichstyp", "Rank in comparison type"),
    "group_rank_of": ("Rang im Vergleichstyp von", "Rank in comparison type of"),
    "rank_by": ("Rang nach", "Rank by"),
    "latest_period": ("Letzter Monat", "Latest month"),
    "suppressed": ("Kleine Zahl unterdrückt", "Small count withheld"),
    "withheld": ("Zurückgehalten (*)", "Withheld (*)"),
    "target": ("Ziel", "Target"),
    "target_progress_pct": ("Zielerreichung %", "Target progress %"),
    "projection": ("Hochrechnung Jahresende", "Projected year end"),
    "projection_pct": ("Hochrechnung / Ziel %", "Projection / target %"),
    "on_track": ("Auf Kurs", "On track"),
    "year_complete": ("Jahr abgeschlossen", "Year complete"),
    "projection_reason": ("Ohne Hochrechnung, weil", "No projection because"),
    "demo": ("Demodaten", "Demo data"),
}
KIND_NAMES: dict[str, tuple[str, str]] = {
    "flow": ("Bewegungsgröße", "flow"),
    "stock": ("Bestand", "stock"),
    "rate": ("Quote", "rate"),
}


def column_label(column: str, lang: Lang) -> str:
    """The header of an export column for people; an unknown column keeps its key."""
    de, en = COLUMN_LABELS.get(column, (column, column))
    return de if lang == "de" else en


def kind_name(kind: str, lang: Lang) -> str:
    """ "flow" -> "Bewegungsgröße" / "flow": the short name of a figure's kind."""
    de, en = KIND_NAMES.get(kind, (kind, kind))
    return de if lang == "de" else en


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
    "My comparison type": "Mein Vergleichstyp",
    "Clear filters": "Alle Filter aus",
    "Set as my Jobcenter": "Als mein Jobcenter setzen",
    "Back to the table": "Zurück zur Tabelle",
    "Open": "Öffnen",
    "Scroll by a column": "Um eine Spalte schieben",
    "Previous/next figure": "Kennzahl links/rechts",
    "Figure above/below": "Kennzahl darüber/darunter",
    "Chart this figure": "Kennzahl im Diagramm",
    "palette": "Suche",
    "This screen": "Dieser Bildschirm",
    "Everywhere": "Überall",
}


# Key names as the help screen shows them: (de, en); ASCII terminals get words for arrows
KEY_NAMES: dict[str, tuple[str, str]] = {
    "enter": ("Enter", "Enter"), "escape": ("Esc", "Esc"), "space": ("Leertaste", "Space"),
    "tab": ("Tab", "Tab"), "slash": ("/", "/"), "question_mark": ("?", "?"),
    "left_square_bracket": ("[", "["), "right_square_bracket": ("]", "]"),
    "pageup": ("Bild auf", "PgUp"), "pagedown": ("Bild ab", "PgDn"), "home": ("Pos1", "Home"),
    "end": ("Ende", "End"), "left": ("←", "←"), "right": ("→", "→"), "up": ("↑", "↑"),
    "down": ("↓", "↓"), "ctrl": ("Strg", "Ctrl"), "shift": ("Umschalt", "Shift"),
}  # fmt: skip
KEY_NAMES_ASCII: dict[str, tuple[str, str]] = {
    "left": ("links", "Left"), "right": ("rechts", "Right"), "up": ("hoch", "Up"),
    "down": ("runter", "Down"),
}  # fmt: skip


def key_name(key: str, lang: Lang, *, ascii_only: bool = False) -> str:
    """A key as people name it: "enter" -> "Enter", "left" -> "←", "ctrl+p" -> "Strg+P" (de),
    "slash" -> "/"; several keys ("escape,q") joined with "/"."""
    if "," in key:
        return "/".join(key_name(k.strip(), lang, ascii_only=ascii_only) for k in key.split(","))
    if "+" in key and len(key) > 1:
        *mods, last = key.split("+")
        return "+".join([*(key_name(m, lang) for m in mods), key_name(last, lang).upper()])
    names = KEY_NAMES_ASCII.get(key) if ascii_only else None
    names = names or KEY_NAMES.get(key)
    if names is None:
        return key
    return names[0] if lang == "de" else names[1]


def binding_text(description: str, lang: Lang) -> str:
    """A key binding's description in the UI language."""
    return BINDINGS_DE.get(description, description) if lang == "de" else description
