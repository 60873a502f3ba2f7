"""German templates of the wording (`jctui.presentation.wording`): message id -> template.

Placeholders in braces are filled by the wording; every language names the same ones
(tests/unit/test_wording.py checks it).
"""

from __future__ import annotations

TEMPLATES: dict[str, str] = {
    # the short names of warning kinds
    "kind.gap": "Lücke",
    "kind.duplicate": "doppelt",
    "kind.conflict": "Widerspruch",
    "kind.negative": "negativ",
    "kind.outlier": "Ausreißer",
    "kind.incomplete_window": "unvollständig",
    "kind.stated": "Angabe",
    "kind.revision": "Revision",
    # a stated check's statistic
    "statistic.mean": "Mittelwert je Monat",
    "statistic.sum": "Summe",
    # a gap's unit
    "unit.day": "Tage",
    "unit.month": "Monate",
    # warnings
    "warning.gap": "Lücke: {count} fehlende {unit} ab {since}",
    "warning.negative": "negativer Wert {amount} bei einer Bewegungsgröße",
    "warning.outlier": "Ausreißer: {amount} (üblich in diesem Monat: {usual})",
    "warning.conflict": "Widerspruch: Werte {values} in Zeilen {lines}; verwendet: letzter",
    "warning.duplicate": "doppelt geliefert in Zeilen {lines}",
    "warning.incomplete_window": (
        "Zeitraum unvollständig: {present} von {length} Perioden vorhanden, kein Wert berechnet"
    ),
    "warning.stated": (
        "aus den Daten folgt {given}, angegeben {stated} "
        "({statistic} {name} {first} bis {last}: {summed} / {span}{label})"
    ),
    "warning.stated_published": (
        "veröffentlicht {published} ({label}), Zähler und Nenner ergeben {gives} ({given})"
    ),
    "revision": "revidiert: {old} {arrow} {new}",
    # explaining a figure (`i`)
    "explain.formula": (
        "Formel: Summe {numerator} über t-{first}..t / Mittel {denominator} über "
        "t-{start}..t-{lag} × {scale}"
    ),
    "explain.kind": "Art: {kind}",
    "explain.flow": (
        "{periods}: Summe der letzten {window} Perioden; Veränderung: gegenüber denselben "
        "Monaten im Vorjahr."
    ),
    "explain.stock": "Veränderung wie K3: (Wert / Wert vor 12 Monaten − 1) × 100.",
    "explain.direction": "Richtung: {better}",
    "direction.higher": "höher ist besser",
    "direction.lower": "niedriger ist besser",
    "direction.none": "keine Richtung",
    "rank.none": "Rang: keiner, die Kennzahl hat keine Richtung (better = none).",
    "rank.level": "Rang: nach der Höhe der Quote (wie im amtlichen Vergleich), 1 = beste.",
    "rank.change": (
        "Rang: nach der Veränderung gegenüber dem Vorjahr, 1 = beste; Gruppe = Vergleichstyp."
    ),
    # explaining the marks of a tile (`i`)
    "marks.warnings": (
        "{mark}: {count} Datenhinweis(e) zu dieser Kennzahl im Stichmonat (Liste: 4 Hinweise)."
    ),
    "marks.revised": (
        "{mark}: {count} Werte dieser Kennzahl wurden beim letzten Laden geändert "
        "(Liste: 4 Hinweise)."
    ),
    "marks.group_rank": (
        "{rank}/{of} {group_mark}: Rang {rank} unter den {of} Jobcentern des Vergleichstyps "
        "{group} (ähnliche Jobcenter: der faire Vergleich)."
    ),
    "marks.rank": "#{rank}/{of}: Rang {rank} unter allen {of} Jobcentern.",
    "marks.calendar": "Veröffentlichung etwa {months} Monate nach Monatsende",
    "marks.overdue": (
        "überfällig: der neueste Berichtsmonat der Daten ist {month}; der nächste war bis "
        "{due} fällig ({calendar}): Bericht überfällig."
    ),
    "marks.due": (
        "fällig: der neueste Berichtsmonat der Daten ist {month}; der nächste ist bis {due} "
        "fällig ({calendar})."
    ),
    "marks.not_the_fetch": (
        "Nicht zu verwechseln mit „aktualisiert 14:55“ / „Abruf fehlgeschlagen“ oben: das ist "
        "der Abruf der Quelle, nicht das Alter der Zahlen."
    ),
    "marks.withheld_rule": ("{mark}: Fallzahl unter {threshold}, nicht ausgewiesen (Datenschutz)."),
    "marks.withheld_file": "{mark}: vom Herausgeber nicht ausgewiesen (* in der Datei).",
    "marks.refused": "–: weggelassen, die eigene Datei widerspricht ihr: {problem}",
    "banner.refused": "Zahlen weggelassen, ihre Datei widerspricht: {count} (i)",
    "banner.refused_short": "weggelassen: {count}",
}
