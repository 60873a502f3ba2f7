"""The label catalogue: words of the user interface, the CLI and export headers (de, en).

`COLUMN_LABELS` / `column_label` name the columns of exports meant for people.
"""

from __future__ import annotations

from jctui.fields import field_labels
from jctui.i18n.lang import Lang

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
    # the configured window's fields: "{periods}" etc. filled by window_label
    "window_sum": ("{periods}", "{periods}"),
    "window_sum_prev": ("{periods} Vorjahr", "{periods} prev. year"),
    "change": ("Veränderung", "Change"),
    "change_pct": ("Veränd. %", "Change %"),
    "ytd": ("Jahr bis dato", "Year to date"),
    "ytd_prev": ("Vorjahr bis dato", "Prev. year to date"),
    "ytd_change_pct": ("Veränd. Jahr bis dato", "YTD change"),
    "value_prev_year": ("Vorjahresmonat", "Same month last year"),
    "window_mean": ("{window}-Mittel", "{window} mean"),
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
    "reached": ("erreicht", "reached"),
    "missed": ("verfehlt", "missed"),
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
    "matches_note": ("{count} Treffer: {names}", "{count} matches: {names}"),
    "and_more": (" und {count} weitere", " and {count} more"),
    "palette_placeholder": (
        "Jobcenter suchen (Name, Kennung, Land) oder Befehl",
        "Search for a Jobcenter (name, id, state) or a command",
    ),
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
    "window_short": ("{window_short}", "{window_short}"),
    "points": ("Pkt.", "pts"),
    # a key figure as published, beside the same figure computed from the monthly counts
    "published": ("veröffentlicht", "published"),
    "published_short": ("amtl.", "publ."),
    "group_average": ("Ø Gruppe", "avg. group"),
    "latest_data": ("neueste Daten", "latest data"),
    "sum_or_prev": ("{window_short}/Vorj.", "{window_short}/prev yr"),
    "prev_year": ("Vorjahr", "prev. year"),
    "newly_off_track": (
        "{figure}: Ziel nach der Hochrechnung neu nicht auf Kurs",
        "{figure}: target newly off track by its projection",
    ),
    "target_missed_now": ("{figure}: Ziel verfehlt", "{figure}: target missed"),
    "rank_fell": (
        "{figure}: Rang im Vergleichstyp {rank} (vorher {was}), nicht mehr im oberen Drittel",
        "{figure}: rank in the comparison type {rank} (was {was}), out of the upper third",
    ),
    "attention_withheld": (
        "{figure}: zurückgehalten (kleine Zahl): {fields}",
        "{figure}: withheld (small count): {fields}",
    ),
    "new_month": ("neuer Monat veröffentlicht: {month}", "new month published: {month}"),
    "revised": ("revidiert", "revised"),
    "data_overdue": (
        "Daten überfällig: der letzte Monat ist {month}",
        "data overdue: the latest month is {month}",
    ),
    "attention_none": ("nichts zu beachten", "nothing needs attention"),
    "attention_title": ("Zu beachten", "Needs attention"),
    "attention_kind_off_track": ("nicht auf Kurs", "off track"),
    "attention_kind_rank_fell": ("Rang gefallen", "rank fell"),
    "attention_kind_new_month": ("neuer Monat", "new month"),
    "attention_kind_revision": ("revidiert", "revised"),
    "attention_kind_overdue": ("Daten überfällig", "data overdue"),
    "attention_kind_withheld": ("zurückgehalten", "withheld"),
    "gap_to_best": ("Abstand Bester", "gap to best"),
    "gap_to_mean": ("Abstand Ø Typ", "gap to type Ø"),
    "compare_gaps_of": ("Abstände bei", "gaps of"),
    "rank_in_type": ("Rang im Vergleichstyp", "rank in the comparison type"),
    "month_beside_year": ("Monat und Vorjahresmonat", "The month and a year earlier"),
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
    "prev_year_tiny": ("Vj.", "prev.yr"),  # the same term as prev_year_short, tighter
    "name": ("Name", "name"),
    "filter": ("Filter", "Filter"),
    "compare_keys": (
        "s/S sortieren · f/b/g/G filtern · x alle aus",
        "s/S sort · f/b/g/G filter · x clear",
    ),
    "sorted_by": ("sortiert nach", "sorted by"),
    "best_first": ("beste zuerst", "best first"),
    "worst_first": ("schwächste zuerst", "worst first"),
    "largest_first": ("größte zuerst", "largest first"),
    "smallest_first": ("kleinste zuerst", "smallest first"),
    "a_to_z": ("A-Z", "A-Z"),
    "z_to_a": ("Z-A", "Z-A"),
    "again_reverse": ("{key} nochmals: umkehren", "{key} again: reverse"),
    "sort_again": ("{keys}: nach Kennzahl", "{keys}: by figure"),
    "rank_short": ("Rang", "Rank"),
    "gap_best_short": ("Abst.Beste", "Gap best"),
    "gap_mean_short": ("Abst.Mitt.", "Gap mean"),
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
    "err_metric_close": (
        "--metric: unbekannte Kennzahl {metric}; ähnlich: {close}",
        "--metric: unknown metric {metric}; close: {close}",
    ),
    "err_metric_none": (
        "--metric: unbekannte Kennzahl {metric}; keine ähnliche der {count} bekannten",
        "--metric: unknown metric {metric}; no close key of the {count} known",
    ),
    "err_dialect": (
        "--dialect {dialect}: nur für --format csv (deutsche Zahlen in der Tabelle: --lang de)",
        "--dialect {dialect}: only for --format csv (German figures in the table: --lang de)",
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
        "Flüsse: {window}-Summe, Bestände: Monatswert",
        "flows: {window} sum, stocks: month value",
    ),
}


# Column headers of exports meant for people (xlsx, German CSV): column -> (de, en); the
# figure fields bring their labels from their declaration (jctui.fields)
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    **field_labels(),
    "as_of": ("Stichmonat", "As of"),
    "jobcenter_id": ("Jobcenter-Nr.", "Jobcenter id"),
    "name": ("Jobcenter", "Jobcenter"),
    "state": ("Land", "State"),
    "carrier": ("Träger", "Carrier"),
    "comparison_type": ("Vergleichstyp", "Comparison type"),
    "figure": ("Kennzahl", "Figure"),
    "kind": ("Art", "Kind"),
    "rank_by": ("Rang nach", "Rank by"),
    "latest_period": ("Letzter Monat", "Latest month"),
    "suppressed": ("Kleine Zahl unterdrückt", "Small count withheld"),
    "withheld": ("Zurückgehalten (*)", "Withheld (*)"),
    "demo": ("Demodaten", "Demo data"),
}
KIND_NAMES: dict[str, tuple[str, str]] = {
    "flow": ("Bewegungsgröße", "flow"),
    "stock": ("Bestand", "stock"),
    "rate": ("Quote", "rate"),
}


def column_label(column: str, lang: Lang, window: str) -> str:
    """The header of an export column for people, the configured `window` in words ("12":
    "12-Monats-Summe"); an unknown column keeps its key."""
    de, en = COLUMN_LABELS.get(column, (column, column))
    return fill_window(de if lang == "de" else en, window, lang)


def window_words(window: str, lang: Lang) -> dict[str, str]:
    """The configured window ("12" periods, "30d" days) in words, for the labels' fields:
    `window` "12-Monats" / "12-month", `periods` "12 Monate" / "12 months", `window_short`
    "12 Mon." / "12 mo"."""
    days = window.endswith("d")
    n = window.removesuffix("d")
    one = n == "1"
    if lang == "de":
        adjective, unit, short = (
            ("Tage", "Tag" if one else "Tage", "T.")
            if days
            else ("Monats", "Monat" if one else "Monate", "Mon.")
        )
        return {
            "window": f"{n}-{adjective}",
            "periods": f"{n} {unit}",
            "window_short": f"{n} {short}",
        }
    adjective, short = ("day", "d") if days else ("month", "mo")
    unit = adjective if one else f"{adjective}s"
    return {"window": f"{n}-{adjective}", "periods": f"{n} {unit}", "window_short": f"{n} {short}"}


def fill_window(text: str, window: str, lang: Lang) -> str:
    """`text` with its window fields ("{window}", "{periods}", "{window_short}") filled;
    other braces (a label's own fields) stay."""
    for name, words in window_words(window, lang).items():
        text = text.replace("{" + name + "}", words)
    return text


def window_label(key: str, lang: Lang, window: str) -> str:
    """The label `key` with the configured window in words ("window_sum", "12": "12 months")."""
    return fill_window(t(key, lang), window, lang)


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
