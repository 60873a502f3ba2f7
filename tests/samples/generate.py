"""Samples of each family of published files, built from their descriptions (issue 21,
../shared/domain/publications.md), each with the values it must give, and a broken twin:
the same file with one cell changed so that a cross-check fails, with that check's message.

    python -m tests.samples.generate OUTDIR     # writes every sample, its twin, expected.json

The figures follow from a few formulas (deterministic): counts are whole numbers, the
published quotients are computed from the published parts and rounded to one decimal, as
the publisher does.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
# id, name, state, comparison type, carrier
JOBCENTERS = (
    ("06438", "Kreis Offenbach", "Hessen", "IIb", "zugelassener kommunaler Träger"),
    ("06413", "Offenbach am Main, Stadt", "Hessen", "IIb", "gemeinsame Einrichtung (gE)"),
    ("09162", "München, Landeshauptstadt", "Bayern", "IIb", "gemeinsame Einrichtung (gE)"),
    ("03002", "Vorpommern-Greifswald", "Mecklenburg-Vorpommern", "IIIa", "gE"),
    ("16061", "Eichsfeld", "Thüringen", "IIIa", "zkT"),
)  # fmt: skip
Key = tuple[str, str, str]  # jobcenter_id, YYYY-MM, metric


@dataclass(frozen=True)
class Sample:
    """One published file, the values it must give, its options and its broken twin."""

    family: str
    file_name: str
    data: bytes
    expected: dict[Key, float]
    broken: bytes | None  # None: no cross-check has its parts in the file
    broken_message: str  # a part of the failed check's message
    options: dict[str, str] = field(default_factory=dict)  # the one option the file needs


def de(value: float, decimals: int = 0) -> str:
    """German number text: 16039 -> "16.039", 19.8 -> "19,8"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def month_name(year: int, month: int) -> str:
    return f"{GERMAN_MONTHS[month - 1]} {year}"


def shift(year: int, month: int, back: int) -> tuple[int, int]:
    y, m = divmod(year * 12 + month - 1 - back, 12)
    return y, m + 1


def parts(jc: int) -> dict[str, float]:
    """Jobcenter number jc's counts in July 2018 and their published figures."""
    denominator = 21394 - 3100 * jc
    numerator = round(denominator * (0.18 + 0.013 * jc))
    lzb, before = 9096 - 900 * jc, 9549 - 880 * jc
    return {
        "integrations_12m": numerator,
        "elb_mean_12m": denominator,
        "k2_published": round(numerator / denominator * 100, 1),
        "long_term_recipients": lzb,
        "lzb_before": before,
        "k3_published": round((lzb / before - 1) * 100, 1),
        "integrations": 300 + 17 * jc,
    }


def _key_figures(ident: str, p: dict[str, float], *more: str) -> dict[Key, float]:
    """What a key-figure table with K2 and K3 and their parts gives for one Jobcenter (and
    the counts `more` of the report month)."""
    keys = (*more, "integrations_12m", "elb_mean_12m", "k2_published", "long_term_recipients")
    return {
        **{(ident, "2018-07", key): p[key] for key in keys},
        (ident, "2017-07", "long_term_recipients"): p["lzb_before"],
        (ident, "2018-07", "k3_published"): p["k3_published"],
    }


def _encode(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode("cp1252")


def key_figures_short() -> Sample:
    """A key-figure table in the short wording ("Zähler", "Nenner", "in %")."""
    rows = [
        "Kennzahlen nach § 48a SGB II;;;;;;;;;;",
        "Berichtsmonat: Juli 2018;;;;;;;;;;",
        ";;;;;;;;;;",
        "Nr.;Jobcenter;Land;Vergleichstyp;Form der Aufgabenwahrnehmung;K2 - Integrationsquote;;;"
        "K3 - Veränderung des Bestands an LZB;;",
        ";;;;;Zähler;Nenner;in %;Bestand LZB;Bestand LZB Vorjahresmonat;Veränderung in %",
        "1;2;3;4;5;6;7;8;9;10;11",
        "D;Deutschland;;;;1.000.000;4.000.000;25,0;2.000.000;2.100.000;-4,8",
    ]
    expected: dict[Key, float] = {}
    for jc, (ident, name, state, group, carrier) in enumerate(JOBCENTERS):
        p = parts(jc)
        rows.append(
            f"{ident};{name};{state};{group};{carrier};{de(p['integrations_12m'])};"
            f"{de(p['elb_mean_12m'])};{de(p['k2_published'], 1)};{de(p['long_term_recipients'])};"
            f"{de(p['lzb_before'])};{de(p['k3_published'], 1)}"
        )
        expected |= _key_figures(ident, p)
    rows.append("Quelle: Statistik der Bundesagentur für Arbeit;;;;;;;;;;")
    first = JOBCENTERS[0][0]
    broken = [
        r.replace(f";{de(parts(0)['k2_published'], 1)};", ";25,3;", 1) if r.startswith(first) else r
        for r in rows
    ]
    return Sample(
        "key-figure table, short wording",
        "kennzahlen-201807.csv",
        _encode(rows),
        expected,
        _encode(broken),
        "cross-check K2 = numerator / denominator x 100 failed",
    )


def key_figures_ordinance() -> Sample:
    """The ordinance's wording, grouped by comparison type: heading rows, subtotal rows
    ("Summe Vergleichstyp IIb", "Insgesamt"), "Integrationen im Berichtsmonat"."""
    rows = [
        "Kennzahlen nach § 48a SGB II - Vergleich nach Vergleichstypen;;;;;;;;",
        "Berichtsmonat: Juli 2018;;;;;;;;",
        ";;;;;;;;",
        "Nr.;Jobcenter;Integrationen im Berichtsmonat;K2 - Integrationsquote;;;"
        "K3 - Veränderung des Bestands an Langzeitleistungsbeziehern;;",
        ";;;Summe der Integrationen in den vergangenen zwölf Monaten;"
        "durchschnittlicher Bestand an erwerbsfähigen Leistungsberechtigten;in %;"
        "Zahl der Langzeitleistungsbezieher im Bezugsmonat;"
        "Zahl der Langzeitleistungsbezieher im Bezugsmonat des Vorjahres;Veränderung in %",
    ]
    expected: dict[Key, float] = {}
    totals: dict[str, dict[str, float]] = {}
    for group in ("IIb", "IIIa"):
        rows.append(f"Vergleichstyp {group}: Jobcenter mit ähnlichen Bedingungen;;;;;;;;")
        members = [jc for jc, j in enumerate(JOBCENTERS) if j[3] == group]
        total = dict.fromkeys(parts(0), 0.0)
        for jc in members:
            p = parts(jc)
            ident, name = JOBCENTERS[jc][:2]
            rows.append(
                f"{ident};{name};{de(p['integrations'])};{de(p['integrations_12m'])};"
                f"{de(p['elb_mean_12m'])};{de(p['k2_published'], 1)};"
                f"{de(p['long_term_recipients'])};{de(p['lzb_before'])};{de(p['k3_published'], 1)}"
            )
            expected |= _key_figures(ident, p, "integrations")
            total = {k: total[k] + p[k] for k in total}
        totals[group] = total
        rows.append(_subtotal_row(f"Summe Vergleichstyp {group}", total))
    everyone = {k: totals["IIb"][k] + totals["IIIa"][k] for k in totals["IIb"]}
    rows.append(_subtotal_row("Insgesamt", everyone))
    rows.append("Quelle: Statistik der Bundesagentur für Arbeit;;;;;;;;")
    wrong = de(totals["IIb"]["integrations"] + 2)
    broken = [
        r.replace(f";{de(totals['IIb']['integrations'])};", f";{wrong};", 1)
        if r.startswith("Summe Vergleichstyp IIb")
        else r
        for r in rows
    ]
    return Sample(
        "key-figure table, ordinance wording, grouped by comparison type",
        "kennzahlen-vergleichstypen-201807.csv",
        _encode(rows),
        expected,
        _encode(broken),
        "cross-check subtotal = sum of its 3 members failed",
    )


def _subtotal_row(label: str, total: dict[str, float]) -> str:
    k2 = total["integrations_12m"] / total["elb_mean_12m"] * 100
    k3 = (total["long_term_recipients"] / total["lzb_before"] - 1) * 100
    return (
        f"{label};;{de(total['integrations'])};{de(total['integrations_12m'])};"
        f"{de(total['elb_mean_12m'])};{de(k2, 1)};{de(total['long_term_recipients'])};"
        f"{de(total['lzb_before'])};{de(k3, 1)}"
    )


def elb(jc: int, year: int, month: int) -> int:
    """ELB of Jobcenter jc at the end of a month."""
    return 16039 - 2900 * jc + 45 * (2018 * 12 + 7 - (year * 12 + month))


def months_as_columns() -> Sample:
    """A time series: Jobcenters as rows, 13 months as columns, then the change against
    a year earlier (absolute, in %); a `.` (not available) in one cell."""
    months = [shift(2018, 7, back) for back in range(12, -1, -1)]
    header = ["Nr.", "Jobcenter", *[month_name(y, m) for y, m in months]]
    header += [
        "Veränderung Juli 2018 zum Vorjahresmonat absolut",
        "Veränderung Juli 2018 zum Vorjahresmonat in %",
    ]
    rows = ["Erwerbsfähige Leistungsberechtigte (ELB) nach Jobcentern", "", ";".join(header)]
    expected: dict[Key, float] = {}
    for jc, (ident, name, *_) in enumerate(JOBCENTERS):
        cells = []
        for y, m in months:
            value = elb(jc, y, m)
            if jc == 3 and (y, m) == (2018, 1):
                cells.append(".")  # not available
                continue
            cells.append(de(value))
            expected[(ident, f"{y}-{m:02d}", "elb")] = value
        now, before = elb(jc, 2018, 7), elb(jc, 2017, 7)
        cells += [de(now - before), de((now / before - 1) * 100, 1)]
        rows.append(";".join([ident, name, *cells]))
    rows.append("Quelle: Statistik der Bundesagentur für Arbeit")
    now, before = elb(0, 2018, 7), elb(0, 2017, 7)
    broken = [
        r.replace(f";{de(now - before)};", f";{de(now - before + 100)};", 1)
        if r.startswith(JOBCENTERS[0][0])
        else r
        for r in rows
    ]
    return Sample(
        "time series, months as columns, with changes",
        "elb-zeitreihe.csv",
        _encode(rows),
        expected,
        _encode(broken),
        "cross-check published change = level - level a year earlier",
    )


def ba_region() -> Sample:
    """A BA statistics CSV of one region: metadata lines, "Ausgewählte Merkmale" header with
    months and changes, a © footer; the region named only in the metadata."""
    now, prev, before = elb(0, 2018, 7), elb(0, 2018, 6), elb(0, 2017, 7)
    p = parts(0)
    lzb_prev = p["long_term_recipients"] + 24
    rows = [
        "Kreis:;Offenbach;;;;;",
        "Gebietsstand:;Juli 2018;;;;;",
        "Berichtsmonat:;Juli 2018;;;;;",
        "Datenstand:;Oktober 2018;;;;;",
        "Rechtskreis:;SGB II;;;;;",
        "Hinweis:;Daten nach einer Wartezeit von drei Monaten;;;;;",
        ";;;;;;",
        "Ausgewählte Merkmale;Juli 2018;Juni 2018;Juli 2017;"
        "Veränderung gegenüber Vorjahresmonat absolut;Veränderung gegenüber Vorjahresmonat in %;",
        "Bedarfsgemeinschaften (BG);10.512;10.601;11.020;-508;-4,6;",
        f"Erwerbsfähige Leistungsberechtigte (ELB);{de(now)};{de(prev)};{de(before)};"
        f"{de(now - before)};{de((now / before - 1) * 100, 1)};",
        f"Langzeitleistungsbezieher;{de(p['long_term_recipients'])};{de(lzb_prev)};"
        f"{de(p['lzb_before'])};{de(p['long_term_recipients'] - p['lzb_before'])};"
        f"{de(p['k3_published'], 1)};",
        ";;;;;;",
        "© Statistik der Bundesagentur für Arbeit;;;;;;",
        "Aus Gründen der statistischen Geheimhaltung werden Zahlenwerte kleiner 3 anonymisiert.;;;;;;",
    ]
    expected: dict[Key, float] = {
        ("06438", "2018-07", "elb"): now,
        ("06438", "2018-06", "elb"): prev,
        ("06438", "2017-07", "elb"): before,
        ("06438", "2018-07", "long_term_recipients"): p["long_term_recipients"],
        ("06438", "2018-06", "long_term_recipients"): lzb_prev,
        ("06438", "2017-07", "long_term_recipients"): p["lzb_before"],
        # a row the catalogue lacks: a figure of its own, under its label
        ("06438", "2018-07", "bedarfsgemeinschaften_bg"): 10512,
        ("06438", "2018-06", "bedarfsgemeinschaften_bg"): 10601,
        ("06438", "2017-07", "bedarfsgemeinschaften_bg"): 11020,
    }
    broken = [
        r.replace(f";{de(p['k3_published'], 1)};", ";-9,9;") if r.startswith("Langzeit") else r
        for r in rows
    ]
    return Sample(
        "BA statistics CSV of one region",
        "ba-eckwerte-offenbach.csv",
        _encode(rows),
        expected,
        _encode(broken),
        "cross-check published change = level - level a year earlier",
        options={"jobcenter": "06438"},
    )


def months_as_rows() -> Sample:
    """A time series of one Jobcenter, months as rows, with a "Jahresdurchschnitt" row."""
    rows = ["Erwerbsfähige Leistungsberechtigte und LZB;;", ";;", "Berichtsmonat;ELB;LZB"]
    expected: dict[Key, float] = {}
    for back in range(12, -1, -1):
        y, m = shift(2018, 7, back)
        e, lzb = elb(0, y, m), 9096 + 20 * back
        rows.append(f"{month_name(y, m)};{de(e)};{de(lzb)}")
        expected[("06438", f"{y}-{m:02d}", "elb")] = e
        expected[("06438", f"{y}-{m:02d}", "long_term_recipients")] = lzb
        if (y, m) == (2017, 12):
            rows.append("Jahresdurchschnitt 2017;16.500;9.300")
    rows.append("© Statistik der Bundesagentur für Arbeit;;")
    broken = [r.replace(f";{de(elb(0, 2018, 3))};", f";-{de(elb(0, 2018, 3))};", 1) for r in rows]
    return Sample(
        "time series, months as rows, with a yearly mean",
        "zeitreihe-offenbach.csv",
        _encode(rows),
        expected,
        _encode(broken),
        "cross-check counts never negative failed",
        options={"jobcenter": "06438"},
    )


def open_data() -> Sample:
    """An open-data CSV of a city portal: the year and the month in columns of their own,
    a "Summe" row."""
    rows = ["Jahr;Monat;Jobcenter;Integrationen;Erwerbsfähige Leistungsberechtigte"]
    expected: dict[Key, float] = {}
    for month in (5, 6, 7):
        total_int = total_elb = 0
        for jc in (0, 1):
            name = JOBCENTERS[jc][1]
            integrations, people = 300 + 10 * month + 17 * jc, elb(jc, 2018, month)
            rows.append(f"2018;{month};{name};{integrations};{people}")
            expected[(name, f"2018-{month:02d}", "integrations")] = integrations
            expected[(name, f"2018-{month:02d}", "elb")] = people
            total_int, total_elb = total_int + integrations, total_elb + people
        rows.append(f"2018;{month};Summe;{total_int};{total_elb}")
    broken = list(rows)
    broken[-1] = broken[-1].replace(";Summe;", ";Summe;1", 1)
    return Sample(
        "open-data CSV, year and month in columns, Summe rows",
        "opendata-sgb2.csv",
        _encode(rows),
        expected,
        _encode(broken),
        "cross-check subtotal = sum of its 2 members failed",
    )


def bulk_long() -> Sample:
    """The bulk long CSV of the key figures: a row per Jobcenter, month, figure and
    Geschlecht (insgesamt / Männer / Frauen); the totals are the figures."""
    rows = ["Berichtsmonat;Jobcenter-Nr;Jobcenter;Kennzahl;Geschlecht;Wert"]
    expected: dict[Key, float] = {}
    for jc, (ident, name, *_) in enumerate(JOBCENTERS):
        p = parts(jc)
        n, d = p["integrations_12m"], p["elb_mean_12m"]
        men_n, men_d = round(n * 0.55), round(d * 0.5)
        for sex, num, den in (
            ("insgesamt", n, d),
            ("Männer", men_n, men_d),
            ("Frauen", n - men_n, d - men_d),
        ):
            k2 = p["k2_published"] if sex == "insgesamt" else round(num / den * 100, 1)
            rows.append(f"201807;{ident};{name};INT;{sex};{de(num)}")
            rows.append(f"201807;{ident};{name};durchschnittlicher Bestand ELB;{sex};{de(den)}")
            rows.append(f"201807;{ident};{name};K2;{sex};{de(k2, 1)}")
        for key in ("integrations_12m", "elb_mean_12m", "k2_published"):
            expected[(ident, "2018-07", key)] = p[key]
    k2_text = de(parts(0)["k2_published"], 1)
    broken = [
        r.replace(f";insgesamt;{k2_text}", ";insgesamt;30,0")
        if r.startswith("201807;06438;")
        else r
        for r in rows
    ]
    return Sample(
        "bulk long CSV with a Geschlecht breakdown",
        "dl_48a_daten_statistikba_201807.csv",
        _encode(rows),
        expected,
        _encode(broken),
        "cross-check K2 = numerator / denominator x 100 failed",
    )


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    """An .xlsx of `sheets` (name -> rows): cells as given, numbers stay numbers."""
    import io

    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def workbook_per_figure() -> Sample:
    """A workbook with cover, contents and notes sheets, then one sheet per figure whose
    group header repeats the code over its sub-columns; numbers stay numbers."""
    cover: list[list[object]] = [["Kennzahlen nach § 48a SGB II"], ["Berichtsmonat Juli 2018"]]
    contents: list[list[object]] = [
        ["Inhaltsverzeichnis"],
        ["K2", "Integrationsquote"],
        ["K3", "LZB"],
    ]
    notes: list[list[object]] = [["Zeichenerklärung"], ["*", "Zahlenwert anonymisiert"]]
    k2: list[list[object]] = [
        ["Kennzahl K2 - Integrationsquote"],
        ["Berichtsmonat: Juli 2018"],
        [],
        ["Nr.", "Jobcenter", "K2", "K2", "K2"],
        [None, None, "Zähler", "Nenner", "in %"],
    ]
    k3: list[list[object]] = [
        ["Kennzahl K3 - Veränderung des Bestands an LZB"],
        ["Berichtsmonat: Juli 2018"],
        [],
        ["Nr.", "Jobcenter", "K3", "K3", "K3"],
        [None, None, "Bestand LZB", "Bestand LZB Vorjahresmonat", "Veränderung in %"],
    ]
    expected: dict[Key, float] = {}
    for jc, (ident, name, *_) in enumerate(JOBCENTERS):
        p = parts(jc)
        k2.append([int(ident), name, p["integrations_12m"], p["elb_mean_12m"], p["k2_published"]])
        k3.append([int(ident), name, p["long_term_recipients"], p["lzb_before"], p["k3_published"]])
        expected |= _key_figures(ident, p)
    sheets = {
        "Deckblatt": cover,
        "Inhaltsverzeichnis": contents,
        "Hinweise": notes,
        "K2": k2,
        "K3": k3,
    }
    broken_k3 = [list(r) for r in k3]
    broken_k3[5][4] = -1.0
    return Sample(
        "workbook with cover sheets, one sheet per figure",
        "kennzahlen-201807.xlsx",
        workbook(sheets),
        expected,
        workbook({**sheets, "K3": broken_k3}),
        "cross-check K3 = (numerator / denominator - 1) x 100 failed",
    )


# the Kreise of the samples from the statistical offices (AGS keys): index into JOBCENTERS,
# GENESIS' name, inhabitants on 31 December 2017, and their state (code, name)
KREISE = (
    (0, "Offenbach, Landkreis", 354092, "06", "Hessen"),
    (1, "Offenbach am Main, kreisfreie Stadt", 128744, "06", "Hessen"),
    (2, "München, Landeshauptstadt", 1464301, "09", "Bayern"),
    (4, "Eichsfeld, Landkreis", 100380, "16", "Thüringen"),
)  # fmt: skip


def _kreis_figures() -> list[tuple[str, str, int, int, float, str, str]]:
    """(AGS, name, ELB, inhabitants, SGB II-Quote, state code, state) of each Kreis at the end
    of 2017; the quote as the atlas publishes it (one decimal), not a cross-check's parts."""
    out = []
    for jc, name, people, code, state in KREISE:
        e = elb(jc, 2017, 12)
        out.append((JOBCENTERS[jc][0], name, e, people, round(e / people * 130, 1), code, state))
    return out


def _regional_rows(sep: str, year: str) -> tuple[list[str], dict[Key, float]]:
    """The rows of the regional tables: Deutschland, each state and its Kreise (key, name,
    year, ELB, inhabitants, SGB II-Quote), and the values they must give (the Kreise's;
    Deutschland and the states are aggregates)."""
    figures = _kreis_figures()
    rows = [sep.join(["DG", "Deutschland", year, "4.361.532", "82.792.351", "7,9"])]
    expected: dict[Key, float] = {}
    for code, state in dict.fromkeys((f[5], f[6]) for f in figures):
        members = [f for f in figures if f[5] == code]
        e, people = sum(f[2] for f in members), sum(f[3] for f in members) * 7
        rows.append(sep.join([code, state, year, de(e * 7), de(people), de(e / people * 130, 1)]))
        for ags, name, e, people, quote, *_ in members:
            rows.append(sep.join([ags, name, year, de(e), de(people), de(quote, 1)]))
            expected[(ags, "2017-12", "elb")] = e
            expected[(ags, "2017-12", "inhabitants")] = people
            expected[(ags, "2017-12", "sgb_ii_quote")] = quote
    return rows, expected


def _elb_above_inhabitants(rows: list[str], sep: str) -> list[str]:
    """The rows with Offenbach's ELB written over its inhabitants (a cell's digit added)."""
    ags, _, e, *_ = _kreis_figures()[0]
    return [
        r.replace(f"{sep}{de(e)}{sep}", f"{sep}4{de(e)}{sep}") if r.startswith(ags) else r
        for r in rows
    ]


def _with_inhabitants(
    family: str,
    name: str,
    head: list[str],
    data: list[str],
    foot: list[str],
    expected: dict[Key, float],
) -> Sample:
    """A regional table with ELB and inhabitants; its twin has an ELB above them."""
    broken = head + _elb_above_inhabitants(data, ";") + foot
    message = "cross-check ELB never above the inhabitants failed"
    return Sample(family, name, _encode(head + data + foot), expected, _encode(broken), message)


def genesis_table() -> Sample:
    """A table of the Regionaldatenbank saved as CSV: a title block, "Merkmal" lines, the
    header over key, name and year without a header of their own, a row of units, then
    Deutschland (DG), the states and the Kreise; a `__________` line and the © footer."""
    data, expected = _regional_rows(";", "2017")
    head = [
        "GENESIS-Tabelle: 82000-01-01-4;;;;;",
        "Empfänger von Leistungen nach SGB II und Bevölkerungsstand;;;;;",
        "Stichtag 31.12. - regionale Tiefe: Kreise und krfr. Städte;;;;;",
        "Statistik der Grundsicherung für Arbeitsuchende nach dem SGB II;;;;;",
        "Fortschreibung des Bevölkerungsstandes;;;;;",
        "Merkmal: Verwaltungsbezirke;;;;;",
        "Merkmal: Stichtag;;;;;",
        ";;;Erwerbsfähige Leistungsberechtigte;Bevölkerungsstand;SGB II-Quote",
        ";;;Anzahl;Anzahl;Prozent",
    ]
    foot = [
        "__________;;;;;",
        "(C)opyright Statistische Ämter des Bundes und der Länder, 2019;;;;;",
        "Stand: 06.05.2019 / 14:21:04;;;;;",
    ]
    return _with_inhabitants("Regionaldatenbank / GENESIS table CSV", "82000-01-01-4.csv",
                             head, data, foot, expected)  # fmt: skip


def genesis_reference_date() -> Sample:
    """A GENESIS flat file (ffcsv, new format) with a reference date (`STAG`, "31.12.2017")
    instead of a year and a month; Deutschland (DG) and the states among the regions; the
    value variables ELB, population and a rate the catalogue lacks."""
    header = (
        "statistics_code;statistics_label;time_code;time_label;time;"
        "1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;"
        "value;value_unit;value_variable_code;value_variable_label;value_q"
    )
    expected: dict[Key, float] = {}
    rows = [header]
    regions = [("DG", "Deutschland", 4361532, 82792351, 7.9)]
    regions += [(f[0], f[1], f[2], f[3], f[4]) for f in _kreis_figures()]
    regions.insert(1, ("06", "Hessen", 301204, 6243262, 7.2))
    for ags, name, e, people, quote in regions:
        prefix = f"82000;SGB II;STAG;Stichtag;31.12.2017;KREISE;Kreise;{ags};{name}"
        rows += [
            f"{prefix};{e};Anzahl;ELB001;Erwerbsfähige Leistungsberechtigte;e",
            f"{prefix};{people};Anzahl;BEVSTD;Bevölkerungsstand;e",
            f"{prefix};{de(quote, 1)};Prozent;SGB2Q1;SGB II-Quote;e",
        ]
        if len(ags) == 5:
            expected[(ags, "2017-12", "elb")] = e
            expected[(ags, "2017-12", "inhabitants")] = people
            expected[(ags, "2017-12", "sgb_ii_quote")] = quote
    ags, _, e, *_ = _kreis_figures()[0]
    broken = [
        r.replace(f";{e};Anzahl;ELB001", f";4{e};Anzahl;ELB001") if f";{ags};" in r else r
        for r in rows
    ]
    return Sample(
        "GENESIS flat file with a reference date (STAG)",
        "12411-0017_flat.csv",
        ("\n".join(rows) + "\n").encode("utf-8"),
        expected,
        ("\n".join(broken) + "\n").encode("utf-8"),
        "cross-check ELB never above the inhabitants failed",
    )


def regionalatlas_geojson() -> Sample:
    """The Regionalatlas' answer as GeoJSON (`f=geojson`): a feature per Kreis and year,
    its record in `properties` (`ags`, `gen`, `jahr`, the indicator `ai2102`, the SGB II
    rate, a figure the catalogue lacks); ArcGIS' OBJECTID beside them. No cross-check has
    its parts in it: no broken twin."""
    features = []
    expected: dict[Key, float] = {}
    for n, (ags, name, _e, _people, quote, *_) in enumerate(_kreis_figures(), start=1):
        short = name.split(",")[0]
        properties = {"OBJECTID": n, "ags": ags, "gen": short, "jahr": 2017, "ai2102": quote}
        features.append({"type": "Feature", "id": n, "geometry": None, "properties": properties})
        expected[(ags, "2017-12", "ai2102")] = quote
    document = {"type": "FeatureCollection", "features": features}
    return Sample(
        "Regionalatlas answer as GeoJSON",
        "regionalatlas-ai2102.geojson",
        json.dumps(document, ensure_ascii=False).encode("utf-8"),
        expected,
        None,
        "",
    )


def regionalatlas_csv() -> Sample:
    """The Regionalatlas' table as CSV export: a title, "Kennziffer", "Raumeinheit", "Jahr"
    and one column per indicator under its name, German numbers, a source line."""
    data, expected = _regional_rows(";", "2017")
    data = [r for r in data if len(r.split(";")[0]) == 5]  # the atlas' Kreis layer
    head = [
        "Regionalatlas Deutschland;;;;;",
        "Kreise und kreisfreie Städte;;;;;",
        ";;;;;",
        "Kennziffer;Raumeinheit;Jahr;Erwerbsfähige Leistungsberechtigte;Einwohner;SGB II-Quote",
    ]
    foot = ["Quelle: Statistische Ämter des Bundes und der Länder, Regionalatlas Deutschland;;;;;"]
    return _with_inhabitants("Regionalatlas CSV export", "regionalatlas-export.csv",
                             head, data, foot, expected)  # fmt: skip


FAMILIES: tuple[Callable[[], Sample], ...] = (
    workbook_per_figure,
    bulk_long,
    open_data,
    key_figures_short,
    key_figures_ordinance,
    months_as_columns,
    ba_region,
    months_as_rows,
    genesis_table,
    genesis_reference_date,
    regionalatlas_geojson,
    regionalatlas_csv,
)


def samples() -> list[Sample]:
    """Every sample, built afresh."""
    return [family() for family in FAMILIES]


def write(folder: Path) -> None:
    """Every sample and its broken twin into `folder`, and expected.json beside them."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = []
    for sample in samples():
        (folder / sample.file_name).write_bytes(sample.data)
        if sample.broken is not None:
            (folder / f"broken-{sample.file_name}").write_bytes(sample.broken)
        manifest.append(
            {
                "family": sample.family,
                "file": sample.file_name,
                "options": sample.options,
                "broken_message": sample.broken_message,
                "expected": [
                    {"jobcenter_id": k[0], "period": k[1], "metric": k[2], "value": v}
                    for k, v in sorted(sample.expected.items())
                ],
            }
        )
    (folder / "expected.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "samples"))
