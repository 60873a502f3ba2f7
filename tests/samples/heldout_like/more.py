"""Round two of the hand-written files: the variants most likely to give a wrong figure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import xlsxwriter

from tests.samples.heldout_like.make import FOOT, JC, MONTH, TITLE, de, k2, k3, pad

Made = tuple[bytes, list[list[object]]]


def kf_months_in_subheaders() -> Made:
    """K3's levels under month headers ("Juli 2018", "Juli 2017"), the year earlier first;
    an absolute change beside the change in %."""
    head1 = [
        "Nr.",
        "Jobcenter",
        "K3 - Veränderung des Bestands an Langzeitleistungsbeziehenden",
        "",
        "",
        "",
    ]
    head2 = ["", "", "Juli 2017", "Juli 2018", "Veränderung absolut", "Veränderung in %"]
    rows = [[j[0], j[1] + " 2)", de(j[8]), de(j[7]), de(j[7] - j[8]), de(k3(j), 1)] for j in JC]
    exp: list[list[object]] = []
    for j in JC:
        exp += [
            [j[0], MONTH, "long_term_recipients", j[7]],
            [j[0], "2017-07", "long_term_recipients", j[8]],
            [j[0], MONTH, "k3_published", k3(j)],
        ]
    return pad([*TITLE, head1, head2, *rows, *FOOT]).encode("cp1252"), exp


def kf_k1_amounts() -> Made:
    """K1 with sums of benefits in euro (millions: two thousands marks) and K1E2."""
    head1 = [
        "Nr.",
        "Jobcenter",
        "K1 - Veränderung der Summe der Leistungen zum Lebensunterhalt",
        "",
        "",
        "K1E2 - Veränderung der Zahl der ELB",
        "",
        "",
    ]
    head2 = [
        "",
        "",
        "Summe der Leistungen zum Lebensunterhalt im Berichtsmonat in Euro",
        "Summe der Leistungen zum Lebensunterhalt im Vorjahresmonat in Euro",
        "Veränderung in %",
        "Bestand ELB",
        "Bestand ELB Vorjahresmonat",
        "Veränderung in %",
    ]
    rows = []
    exp: list[list[object]] = []
    for n, j in enumerate(JC):
        now, before = 12_345_678 + n * 1_000_003, 12_745_001 + n * 999_999
        k1 = round((now / before - 1) * 100, 1)
        e_now, e_before = j[6], j[6] + 400 + n
        k1e2 = round((e_now / e_before - 1) * 100, 1)
        rows.append(
            [j[0], j[1], de(now), de(before), de(k1, 1), de(e_now), de(e_before), de(k1e2, 1)]
        )
        exp += [[j[0], MONTH, "k1_published", k1], [j[0], MONTH, "k1e2_published", k1e2]]
    return pad([*TITLE, head1, head2, *rows, *FOOT]).encode("cp1252"), exp


def bulk_long_parts() -> Made:
    """Bulk CSV with the parts of a figure as rows: Wertart Zähler / Nenner / Kennzahl."""
    lines = [["Jobcenter", "Berichtsmonat", "Kennzahl", "Wertart", "Geschlecht", "Wert"]]
    for j in JC:
        for sex, f in (("insgesamt", 1.0), ("Frauen", 0.5)):
            lines.append([j[0], "2018-07", "K2", "Zähler", sex, de(round(j[5] * f))])
            lines.append([j[0], "2018-07", "K2", "Nenner", sex, de(round(j[6] * f))])
            lines.append([j[0], "2018-07", "K2", "Kennzahl", sex, de(k2(j), 1)])
    return pad(lines).encode("utf-8"), [[j[0], MONTH, "k2_published", k2(j)] for j in JC]


def opendata_point_decimals() -> Made:
    """City portal, ',' separated, decimal point, rates with three decimals, no thousands marks."""
    lines = [["Jahr", "Monat", "AGS", "Kreis", "SGB II-Quote", "ELB"]]
    exp: list[list[object]] = []
    quotes = {"06438": 7.125, "06413": 16.61, "13075": 10.2}
    for j in JC[:3]:
        q = quotes[j[0]]
        lines.append(["2018", "07", j[0], j[1], f"{q:.3f}", str(j[6])])
        exp += [[j[0], MONTH, "sgb_ii_quote", q], [j[0], MONTH, "elb", j[6]]]
    return pad(lines, ",").encode("utf-8"), exp


def genesis_table_two_years() -> Made:
    """Regionaldatenbank table CSV with two years and sign cells ('-', '.', '...')."""
    lines = [
        ["Erwerbsfähige Leistungsberechtigte nach Kreisen"],
        ["Statistik der Grundsicherung für Arbeitsuchende nach dem SGB II"],
        [],
        ["", "", "", "Erwerbsfähige Leistungsberechtigte"],
        ["", "", "", "Anzahl"],
    ]
    exp: list[list[object]] = []
    for year, add in (("2016", 0), ("2017", 100)):
        lines.append([year, "DG", "Deutschland", de(4_300_000 + add)])
        for n, j in enumerate(JC[:3]):
            cell = de(j[6] + add) if (year, n) != ("2016", 2) else "."
            lines.append([year, j[0], f"  {j[1]}", cell])
            if cell != ".":
                exp.append([j[0], f"{year}-12", "elb", j[6] + add])
        lines.append(
            [year, "06411", "  Darmstadt, Wissenschaftsstadt", "-" if year == "2016" else "..."]
        )
    lines += [["__________"], ["(C)opyright Statistische Ämter des Bundes und der Länder, 2019"]]
    return pad(lines).encode("cp1252"), exp


def eckwerte_11(path: Path) -> list[list[object]]:
    """Eckwerte für Jobcenter, sheet "1.1 Eckwerte": labels in A, Insgesamt in B, changes,
    SGB III, SGB II in G; the Jobcenter and month only in the file name."""
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Deckblatt").write(0, 0, "Eckwerte für Jobcenter")
    wb.add_worksheet("Impressum").write(0, 0, "Impressum")
    inh = wb.add_worksheet("Inhaltsverzeichnis")
    inh.write(0, 0, "Inhaltsverzeichnis")
    inh.write(5, 0, "x = Nachweis ist nicht sinnvoll; * = aus Datenschutzgründen anonymisiert")
    ws = wb.add_worksheet("1.1 Eckwerte")
    ws.write(0, 0, "1.1 Eckwerte für Jobcenter")
    ws.write(2, 0, "Offenbach, JC")
    ws.write_row(
        6,
        0,
        [
            "Merkmal",
            "Insgesamt (SGB II und SGB III)",
            "Veränderung gegenüber Vorjahresmonat absolut",
            "Veränderung gegenüber Vorjahresmonat in %",
            "Rechtskreis SGB III",
            "Anteil SGB III in %",
            "Rechtskreis SGB II",
        ],
    )
    rows: list[tuple[str, list[float | None]]] = [
        ("Bestand an Arbeitslosen 1)", [9000, -150, -1.6, 3000, 33.3, 6000]),
        ("Bedarfsgemeinschaften (BG)", [None, None, None, None, None, 10234]),
        ("Personen in Bedarfsgemeinschaften (PERS) 2) 4)", [None, None, None, None, None, 24567]),
        ("dav. erwerbsfähige Leistungsberechtigte (ELB) 2)", [None, None, None, None, None, 16039]),
        ("nicht erwerbsfähige Leistungsberechtigte (NEF)", [None, None, None, None, None, 8528]),
    ]
    ws.write(7, 0, "Arbeitslosigkeit")
    for r, (label, vals) in enumerate(rows):
        ws.write(8 + r, 0, label)
        for c, v in enumerate(vals):
            if v is not None:
                ws.write_number(8 + r, 1 + c, v)
    ws.write(14, 0, "© Statistik der Bundesagentur für Arbeit")
    wb.close()
    month = "2026-06"
    return [
        ["45108", month, "elb", 16039],
        ["45108", month, "bedarfsgemeinschaften_bg", 10234],
    ]


def series_year_over_months() -> Made:
    """Months as columns under a two-row header: the year spanning its month names."""
    months = [(2017, 11), (2017, 12), (2018, 1), (2018, 2)]
    lines = [
        ["Zeitreihe Erwerbsfähige Leistungsberechtigte"],
        ["Jobcenter: 06438 Kreis Offenbach"],
        [],
        ["Merkmal", "2017", "", "2018", ""],
        ["", "November", "Dezember", "Januar", "Februar"],
        ["Erwerbsfähige Leistungsberechtigte", "16.100", "16.090", "16.080", "16.070"],
        ["Langzeitleistungsbezieher", "9.100", "9.090", "9.080", "9.070"],
    ]
    exp: list[list[object]] = []
    for n, (y, m) in enumerate(months):
        exp += [
            ["06438", f"{y}-{m:02d}", "elb", 16100 - 10 * n],
            ["06438", f"{y}-{m:02d}", "long_term_recipients", 9100 - 10 * n],
        ]
    return pad(lines).encode("cp1252"), exp


def genesis_years_as_columns() -> Made:
    """Regionaldatenbank table with the years as columns, the figure named in the title."""
    lines = [
        ["82000-01-01-4: Erwerbsfähige Leistungsberechtigte - Stichtag 31.12. -"],
        ["regionale Tiefe: Kreise und krfr. Städte"],
        [],
        ["", "", "2015", "2016", "2017"],
        ["06438", "Offenbach, Landkreis", "15.800", "15.950", "16.039"],
        ["06413", "Offenbach am Main, Stadt", "21.000", "-", "21.394"],
        ["__________"],
        ["(C)opyright Statistische Ämter des Bundes und der Länder, 2019"],
    ]
    exp: list[list[object]] = [
        ["06438", "2015-12", "elb", 15800], ["06438", "2016-12", "elb", 15950],
        ["06438", "2017-12", "elb", 16039], ["06413", "2015-12", "elb", 21000],
        ["06413", "2016-12", "elb", 0], ["06413", "2017-12", "elb", 21394],
    ]  # fmt: skip
    return pad(lines).encode("cp1252"), exp


def write_more(folder: Path) -> tuple[dict[str, list[list[object]]], dict[str, dict[str, object]]]:
    made: dict[str, Callable[[], Made]] = {
        "kennzahlen-k3-monate-201807.csv": kf_months_in_subheaders,
        "kennzahlen-k1-betraege-201807.csv": kf_k1_amounts,
        "dl_48a_daten_wertart_201807.csv": bulk_long_parts,
        "opendata-dezimalpunkt.csv": opendata_point_decimals,
        "82000-zwei-jahre.csv": genesis_table_two_years,
        "kennzahlen-zeichen-201807.csv": kf_signs_and_symbols,
        "kennzahlen-mittel-dezimal-201807.csv": kf_mean_decimals,
        "kennzahlen-typ-anonymisiert-201807.csv": kf_grouped_withheld,
        "zeitreihe-jahresmittel-spalte.csv": series_yearly_column,
        "zeitreihe-jahr-ueber-monaten.csv": series_year_over_months,
        "82000-jahre-als-spalten.csv": genesis_years_as_columns,
    }
    expected: dict[str, list[list[object]]] = {}
    for name, make in made.items():
        data, exp = make()
        (folder / name).write_bytes(data)
        expected[name] = exp
    expected["kennzahlen-prozentformat.xlsx"] = kf_percent_fraction(
        folder / "kennzahlen-prozentformat.xlsx"
    )
    quote_only = "kennzahlen-nur-quote-prozentformat.xlsx"
    expected[quote_only] = kf_percent_fraction(folder / quote_only, parts=False)
    name = "jc-eckwerte-t45108-0-202606-xlsx.xlsx"
    expected[name] = eckwerte_11(folder / name)
    return expected, {}


def kf_signs_and_symbols() -> Made:
    """K-figures alone (no parts), a Unicode minus, '%' in the cells, a decimal mean ELB."""
    head = ["Nr.", "Jobcenter", "K2 Integrationsquote in %", "K3 Veränderung LZB in %"]
    rows = [[j[0], j[1], de(k2(j), 1) + " %", de(k3(j), 1).replace("-", "\u2212")] for j in JC]
    exp: list[list[object]] = []
    for j in JC:
        exp += [[j[0], MONTH, "k2_published", k2(j)], [j[0], MONTH, "k3_published", k3(j)]]
    return pad([*TITLE, head, *rows, *FOOT]).encode("utf-8"), exp


def kf_mean_decimals() -> Made:
    """The mean ELB stock with one decimal ("21.394,3"), as a mean is."""
    head1 = ["Nr.", "Jobcenter", "K2 - Integrationsquote", "", ""]
    head2 = ["", "", "Zähler", "Nenner", "in %"]
    rows = []
    exp: list[list[object]] = []
    for j in JC:
        mean = j[6] + 0.3
        rows.append([j[0], j[1], de(j[5]), de(mean, 1), de(round(j[5] / mean * 100, 1), 1)])
        exp += [
            [j[0], MONTH, "elb_mean_12m", mean],
            [j[0], MONTH, "k2_published", round(j[5] / mean * 100, 1)],
        ]
    return pad([*TITLE, head1, head2, *rows, *FOOT]).encode("cp1252"), exp


def kf_grouped_withheld() -> Made:
    """Grouped by type with a withheld member cell ('*'): the subtotal holds its value, so the
    subtotal cannot be checked against the members shown."""
    head1 = ["Nr.", "Jobcenter", "SGB II Vergleichstyp", "K2 - Integrationsquote", "", ""]
    head2 = ["", "", "", "Zähler", "Nenner", "in %"]
    body = []
    exp: list[list[object]] = []
    iib = [j for j in JC if j[3] == "IIb"]
    for n, j in enumerate(iib):
        num = "*" if n == 0 else de(j[5])
        body.append([j[0], j[1], j[3], num, de(j[6]), "*" if n == 0 else de(k2(j), 1)])
        if n:
            exp += [[j[0], MONTH, "integrations_12m", j[5]], [j[0], MONTH, "k2_published", k2(j)]]
        exp.append([j[0], MONTH, "elb_mean_12m", j[6]])
    s = [sum(j[5] for j in iib), sum(j[6] for j in iib)]
    body.append(["", "Summe Vergleichstyp IIb", "", de(s[0]), de(s[1]), de(s[0] / s[1] * 100, 1)])
    return pad([*TITLE, head1, head2, *body, *FOOT]).encode("cp1252"), exp


def kf_percent_fraction(path: Path, parts: bool = True) -> list[list[object]]:
    """A workbook whose K2 cells are fractions shown as percent (0.198 as 19.8 %), with
    K2's parts or (`parts` False) without: nothing to check it against."""
    wb = xlsxwriter.Workbook(str(path))
    pct = wb.add_format({"num_format": "0.0%"})
    custom = wb.add_format({"num_format": '0.0" "%'})
    ws = wb.add_worksheet("Kennzahlen")
    ws.write(0, 0, "Berichtsmonat: Juli 2018")
    if parts:
        ws.write_row(2, 0, ["Nr.", "Jobcenter", "K2 - Integrationsquote", "", ""])
        ws.write_row(3, 0, ["", "", "Zähler", "Nenner", "in %"])
    else:
        ws.write_row(3, 0, ["Nr.", "Jobcenter", "", "", "K2 Integrationsquote in %"])
    for r, j in enumerate(JC):
        ws.write_row(4 + r, 0, [j[0], j[1], j[5], j[6]] if parts else [j[0], j[1]])
        ws.write_number(4 + r, 4, k2(j) / 100, pct if r % 2 else custom)
    wb.close()
    return [[j[0], MONTH, "k2_published", k2(j)] for j in JC]


def series_yearly_column() -> Made:
    """Months as columns with a 'Jahresdurchschnitt 2017' column and an 'Ø 2018' column."""
    months = [(2017, 11), (2017, 12), (2018, 1)]
    head = ["Merkmal", "Nov 2017", "Dez 2017", "Jahresdurchschnitt 2017", "Jan 2018", "Ø 2018"]
    row = ["Erwerbsfähige Leistungsberechtigte", "16.100", "16.090", "99.999", "16.080", "88.888"]
    lines = [
        ["Kreis: Offenbach (06438)"],
        [],
        head,
        row,
        ["© Statistik der Bundesagentur für Arbeit"],
    ]
    exp: list[list[object]] = [
        ["06438", f"{y}-{m:02d}", "elb", v]
        for (y, m), v in zip(months, (16100, 16090, 16080), strict=True)
    ]
    return pad(lines).encode("cp1252"), exp
