"""Hand-written files in the published layouts, as a new user downloads them.

Written from the descriptions in the issue and the domain notes (publications.md), not from
tests/samples/generate.py: the held-out files jctui is judged on are not ours either. Each file
comes with the values it must give (`expected.json`: file -> [jobcenter, month, metric, value]);
files that need one option carry it (`options.json`).

    python -m tests.samples.heldout_like.make OUTDIR
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

# (id, name as the file spells it, state, type, form, int12, elb_mean, lzb, lzb_prev)
JC: list[tuple[str, str, str, str, str, int, int, int, int]] = [
    ("06438", "Jobcenter Kreis Offenbach", "06", "IIb", "zkT", 4236, 21394, 9096, 9549),
    ("06413", "Offenbach am Main, Stadt, JC", "06", "IIIa", "gE", 3120, 16039, 7012, 7240),
    ("13075", "Kreis Vorpommern-Greifswald", "13", "IIIc", "zkT", 4410, 20155, 8012, 8544),
    ("06432", "JC Darmstadt-Dieburg", "06", "IIb", "gE", 2790, 12010, 4300, 4410),
    ("09162", "München, Landeshauptstadt", "09", "Ia", "gE", 15230, 55020, 20100, 20950),
]
MONTH = "2018-07"


def de(v: float, dec: int = 0) -> str:
    s = f"{v:,.{dec}f}"
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


Jc = tuple[str, str, str, str, str, int, int, int, int]


def k2(j: Jc) -> float:
    return round(j[5] / j[6] * 100, 1)


def k3(j: Jc) -> float:
    return round((j[7] / j[8] - 1) * 100, 1)


def kf_expect(rows: list[Jc], month: str = MONTH) -> list[list[object]]:
    out: list[list[object]] = []
    for j in rows:
        out += [
            [j[0], month, "integrations_12m", j[5]],
            [j[0], month, "elb_mean_12m", j[6]],
            [j[0], month, "k2_published", k2(j)],
            [j[0], month, "long_term_recipients", j[7]],
            [j[0], month, "k3_published", k3(j)],
            [j[0], f"{int(month[:4]) - 1}{month[4:]}", "long_term_recipients", j[8]],
        ]
    return out


def pad(rows: list[list[str]], sep: str = ";") -> str:
    width = max(len(r) for r in rows)

    def cell(c: str) -> str:
        return f'"{c}"' if sep in c else c

    return (
        "\r\n".join(sep.join(cell(c) for c in r + [""] * (width - len(r))) for r in rows) + "\r\n"
    )


TITLE = [
    ["Kennzahlen nach § 48a SGB II"],
    ["Vergleich der Jobcenter"],
    ["Berichtsmonat: Juli 2018"],
    ["erstellt am: 15.10.2018"],
    [],
]
FOOT = [
    [],
    ["1) Summe der Integrationen der letzten 12 Monate"],
    ["Zeichenerklärung: * Wert anonymisiert; x Nachweis nicht sinnvoll; - nichts vorhanden"],
    ["Quelle: Statistik der Bundesagentur für Arbeit"],
    ["© Statistik der Bundesagentur für Arbeit"],
]


def kf_short() -> tuple[bytes, list[list[object]]]:
    """§1: short wording, cp1252, ';', padded, aggregate rows D/W/O/06, a '*' cell in K3."""
    head1 = [
        "Nr.",
        "Jobcenter",
        "Land",
        "Vergleichstyp",
        "Form",
        "K2 - Integrationsquote",
        "",
        "",
        "K3 - Veränderung des Bestands an Langzeitleistungsbeziehenden",
        "",
        "",
    ]
    head2 = [
        "",
        "",
        "",
        "",
        "",
        "Zähler: Summe der Integrationen der letzten 12 Monate 1)",
        "Nenner: durchschnittlicher Bestand ELB",
        "in %",
        "Bestand LZB",
        "Bestand LZB Vorjahresmonat",
        "Veränderung in %",
    ]
    nums = [str(i) for i in range(1, 12)]
    tot = [sum(int(j[k]) for j in JC) for k in (5, 6, 7, 8)]
    agg = [
        [
            "D",
            "Deutschland",
            "",
            "",
            "",
            de(tot[0] * 80),
            de(tot[1] * 80),
            "19,9",
            de(tot[2] * 80),
            de(tot[3] * 80),
            "-4,1",
        ],
        [
            "W",
            "Westdeutschland",
            "",
            "",
            "",
            de(tot[0] * 60),
            de(tot[1] * 60),
            "20,1",
            de(tot[2] * 60),
            de(tot[3] * 60),
            "-3,9",
        ],
        [
            "O",
            "Ostdeutschland",
            "",
            "",
            "",
            de(tot[0] * 20),
            de(tot[1] * 20),
            "19,0",
            de(tot[2] * 20),
            de(tot[3] * 20),
            "-5,0",
        ],
        [
            "06",
            "Hessen",
            "",
            "",
            "",
            de(tot[0] * 5),
            de(tot[1] * 5),
            "19,5",
            de(tot[2] * 5),
            de(tot[3] * 5),
            "-3,0",
        ],
    ]
    rows = []
    exp = []
    for n, j in enumerate(JC):
        k3c = [de(j[7]), de(j[8]), de(k3(j), 1)]
        if n == 4:  # withheld LZB cells: nothing to read for K3 there
            k3c = ["*", "*", "x"]
        rows.append([j[0], j[1], j[2], j[3], j[4], de(j[5]), de(j[6]), de(k2(j), 1), *k3c])
    exp = [
        e
        for e in kf_expect(JC)
        if not (e[0] == "09162" and e[2] in ("long_term_recipients", "k3_published"))
    ]
    text = pad([*TITLE, head1, head2, nums, *agg, *rows, *FOOT])
    return text.encode("cp1252"), exp


def kf_ordinance() -> tuple[bytes, list[list[object]]]:
    """§7 ordinance wording, UTF-8 with BOM, quoted cells, 'SGB II-Vergleichstyp', month only in the file name."""
    head1 = [
        "Jobcenter-Nr.",
        "Jobcenter",
        "SGB II-Vergleichstyp",
        "K2 Integrationsquote",
        "",
        "",
        "K3 Veränderung des Bestands an Langzeitleistungsbeziehern",
        "",
        "",
    ]
    head2 = [
        "",
        "",
        "",
        "Summe der Integrationen in den vergangenen zwölf Monaten",
        "durchschnittlicher Bestand an erwerbsfähigen Leistungsberechtigten",
        "Integrationsquote in %",
        "Zahl der Langzeitleistungsbezieher im Bezugsmonat",
        "Zahl der Langzeitleistungsbezieher im Bezugsmonat des Vorjahres",
        "Veränderung gegenüber Vorjahresmonat in %",
    ]
    rows = [
        [j[0], j[1], j[3], de(j[5]), de(j[6]), de(k2(j), 1), de(j[7]), de(j[8]), de(k3(j), 1)]
        for j in JC
    ]
    lines = [
        ["Kennzahlen nach § 48a SGB II"],
        [],
        head1,
        head2,
        *rows,
        [],
        ["Quelle: Statistik der Bundesagentur für Arbeit"],
    ]
    text = "\r\n".join(";".join(f'"{c}"' for c in r) for r in lines) + "\r\n"
    return b"\xef\xbb\xbf" + text.encode("utf-8"), kf_expect(JC)


def kf_grouped() -> tuple[bytes, list[list[object]]]:
    """Grouped by comparison type: heading rows, 'Summe Vergleichstyp ..', 'Insgesamt'; 'SGB II Vergleichstyp'
    spelled without hyphen nowhere (the type comes from the heading); Integrationen im Berichtsmonat column."""
    head1 = [
        "Nr.",
        "Jobcenter",
        "Integrationen im Berichtsmonat",
        "K2 - Integrationsquote",
        "",
        "",
        "K3 - Veränderung LZB",
        "",
        "",
    ]
    head2 = [
        "",
        "",
        "",
        "Summe der Integrationen in den vergangenen zwölf Monaten",
        "durchschnittlicher Bestand an ELB",
        "in %",
        "Bestand LZB",
        "Zahl der Langzeitleistungsbezieher im Bezugsmonat des Vorjahres",
        "in %",
    ]
    groups: dict[str, list[Jc]] = {}
    for j in JC:
        groups.setdefault(j[3], []).append(j)
    body = []
    monthly = {j[0]: 300 + i * 17 for i, j in enumerate(JC)}
    for t in sorted(groups):
        body.append([f"Vergleichstyp {t}: Beschreibung des Typs"])
        for j in groups[t]:
            body.append(
                [
                    j[0],
                    j[1],
                    str(monthly[j[0]]),
                    de(j[5]),
                    de(j[6]),
                    de(k2(j), 1),
                    de(j[7]),
                    de(j[8]),
                    de(k3(j), 1),
                ]
            )
        s = [sum(int(j[k]) for j in groups[t]) for k in (5, 6, 7, 8)]
        m = sum(monthly[j[0]] for j in groups[t])
        body.append(
            [
                "",
                f"Summe Vergleichstyp {t}",
                str(m),
                de(s[0]),
                de(s[1]),
                de(s[0] / s[1] * 100, 1),
                de(s[2]),
                de(s[3]),
                de((s[2] / s[3] - 1) * 100, 1),
            ]
        )
    s = [sum(int(j[k]) for j in JC) for k in (5, 6, 7, 8)]
    body.append(
        [
            "",
            "Insgesamt",
            str(sum(monthly.values())),
            de(s[0]),
            de(s[1]),
            de(s[0] / s[1] * 100, 1),
            de(s[2]),
            de(s[3]),
            de((s[2] / s[3] - 1) * 100, 1),
        ]
    )
    text = pad([*TITLE, head1, head2, *body, *FOOT])
    exp = kf_expect(JC) + [[j[0], MONTH, "integrations", monthly[j[0]]] for j in JC]
    return text.encode("cp1252"), exp


def kf_comma() -> tuple[bytes, list[list[object]]]:
    """',' separated, German numbers in quotes, month '07/2018' in a title, Regionalschlüssel 8 digits? no: 5."""
    head = [
        "Regionalschlüssel",
        "Name",
        "K2 Zähler",
        "K2 Nenner",
        "K2 in %",
        "K3 Zähler",
        "K3 Nenner",
        "K3 in %",
    ]
    rows = [
        [j[0], j[1], de(j[5]), de(j[6]), de(k2(j), 1), de(j[7]), de(j[8]), de(k3(j), 1)] for j in JC
    ]
    lines = [
        ["Kennzahlen nach § 48a SGB II, Berichtsmonat 07/2018"],
        [],
        head,
        *rows,
        ["Quelle: Statistik der Bundesagentur für Arbeit"],
    ]
    text = "\n".join(",".join(f'"{c}"' for c in r) for r in lines) + "\n"
    return text.encode("utf-8"), kf_expect(JC)


MONTHS = [(2017, m) for m in range(7, 13)] + [(2018, m) for m in range(1, 8)]
DE_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
SHORT = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]


def elb(y: int, m: int) -> int:
    return 16000 + (y - 2017) * 120 + m * 13


def lzb(y: int, m: int) -> int:
    return 9000 + (y - 2017) * 50 - m * 7


def series_expect(jc: str, with_lzb: bool = True) -> list[list[object]]:
    out: list[list[object]] = []
    for y, m in MONTHS:
        out.append([jc, f"{y}-{m:02d}", "elb", elb(y, m)])
        if with_lzb:
            out.append([jc, f"{y}-{m:02d}", "long_term_recipients", lzb(y, m)])
    return out


def series_dot(fmt: str) -> tuple[bytes, list[list[object]]]:
    """§2 Eckwerte Zeitreihe as CSV: months as columns, a '.' sign cell, changes."""
    labels: Callable[[int, int], str] = {
        "long": lambda y, m: f"{DE_MONTHS[m - 1]} {y}",
        "short": lambda y, m: f"{SHORT[m - 1]} {y}",
        "slash": lambda y, m: f"{m:02d}/{y}",
        "iso": lambda y, m: f"{y}-{m:02d}",
    }[fmt]
    head = (
        ["Merkmal"]
        + [labels(y, m) for y, m in MONTHS]
        + [
            "Veränderung Juli 2018 zum Vorjahresmonat absolut",
            "Veränderung Juli 2018 zum Vorjahresmonat in %",
        ]
    )
    e_row = ["dav. erwerbsfähige Leistungsberechtigte (ELB) 2)"] + [
        de(elb(y, m)) for y, m in MONTHS
    ]
    e_row[3] = "."  # September 2017 not available
    e_row += [de(elb(2018, 7) - elb(2017, 7)), de((elb(2018, 7) / elb(2017, 7) - 1) * 100, 1)]
    l_row = ["Langzeitleistungsbeziehende (LZB)"] + [de(lzb(y, m)) for y, m in MONTHS]
    l_row += [de(lzb(2018, 7) - lzb(2017, 7)), de((lzb(2018, 7) / lzb(2017, 7) - 1) * 100, 1)]
    lines = [
        ["Eckwerte Zeitreihe"],
        ["Jobcenter: 06438 Kreis Offenbach"],
        [],
        head,
        ["Rechtskreis SGB II"],
        e_row,
        l_row,
        [],
        ["© Statistik der Bundesagentur für Arbeit"],
    ]
    exp = [e for e in series_expect("06438") if not (e[1] == "2017-09" and e[2] == "elb")]
    return pad(lines).encode("cp1252"), exp


def series_xlsx_dates(path: Path) -> list[list[object]]:
    """Months as columns, header cells are Excel dates; cover/contents sheets first; merged title."""
    wb = xlsxwriter.Workbook(str(path))
    datef = wb.add_format({"num_format": "mmmm yyyy"})
    cover = wb.add_worksheet("Deckblatt")
    cover.write(0, 0, "Statistik der Bundesagentur für Arbeit")
    cover.write(2, 0, "Eckwerte für Jobcenter")
    inh = wb.add_worksheet("Inhaltsverzeichnis")
    inh.write(0, 0, "Inhalt")
    inh.write(2, 0, "x = Nachweis nicht sinnvoll; * = anonymisiert")
    ws = wb.add_worksheet("1.2 Eckwerte Zeitreihe")
    ws.merge_range(0, 0, 0, 5, "Eckwerte Zeitreihe - Jobcenter 06438 Kreis Offenbach")
    ws.write(3, 0, "Merkmal")
    for i, (y, m) in enumerate(MONTHS):
        ws.write_datetime(3, 1 + i, dt.datetime(y, m, 1), datef)
    ws.write(4, 0, "dav. erwerbsfähige Leistungsberechtigte (ELB)")
    ws.write(5, 0, "Langzeitleistungsbeziehende (LZB) 3)")
    for i, (y, m) in enumerate(MONTHS):
        ws.write_number(4, 1 + i, elb(y, m))
        ws.write_number(5, 1 + i, lzb(y, m))
    ws.write(7, 0, "© Statistik der Bundesagentur für Arbeit")
    wb.close()
    return series_expect("06438")


def kf_workbook(path: Path) -> list[list[object]]:
    """Cover, contents, notes sheets; one sheet per figure with a merged group header; keys as numbers."""
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Deckblatt").write(0, 0, "Kennzahlen nach § 48a SGB II - Juli 2018")
    wb.add_worksheet("Inhalt").write(0, 0, "Inhaltsverzeichnis")
    wb.add_worksheet("Hinweise").write(0, 0, "Hinweise zu den Daten")
    merge = wb.add_format({"align": "center"})
    for code in ("K2", "K3"):
        ws = wb.add_worksheet(code)
        ws.write(0, 0, "Berichtsmonat: Juli 2018")
        ws.write(2, 0, "Nr.")
        ws.write(2, 1, "Jobcenter")
        ws.write(2, 2, "Vergleichstyp")
        if code == "K2":
            ws.merge_range(2, 3, 2, 5, "K2 - Integrationsquote", merge)
            ws.write_row(3, 3, ["Zähler", "Nenner", "in %"])
        else:
            ws.merge_range(
                2, 3, 2, 5, "K3 - Veränderung des Bestands an Langzeitleistungsbeziehenden", merge
            )
            ws.write_row(3, 3, ["Bestand LZB", "Bestand LZB Vorjahresmonat", "Veränderung in %"])
        for r, j in enumerate(JC):
            ws.write_number(4 + r, 0, int(j[0]))
            ws.write(4 + r, 1, j[1])
            ws.write(4 + r, 2, j[3])
            if code == "K2":
                ws.write_row(4 + r, 3, [j[5], j[6], k2(j)])
            else:
                ws.write_row(4 + r, 3, [j[7], j[8], k3(j)])
        ws.write(10, 0, "Quelle: Statistik der Bundesagentur für Arbeit")
    wb.close()
    return kf_expect(JC)


def bulk_long() -> tuple[bytes, list[list[object]]]:
    """§7 bulk CSV: a row per Jobcenter, month (YYYYMM), figure and Geschlecht."""
    lines = [["Jobcenter_ID", "Jobcenter", "Berichtsmonat", "Kennzahl", "Geschlecht", "Wert"]]
    exp: list[list[object]] = []
    for j in JC:
        for sex, f in (("insgesamt", 1.0), ("Männer", 0.55), ("Frauen", 0.45)):
            v = round(k2(j) * f, 1)
            lines.append([j[0], j[1], "201807", "K2", sex, de(v, 1)])
        exp.append([j[0], MONTH, "k2_published", k2(j)])
    return pad(lines).encode("cp1252"), exp


def ba_region() -> tuple[bytes, list[list[object]]]:
    """§6 BA statistics CSV of one region, current table with changes."""
    lines = [
        ["Kreis:", "Offenbach"],
        ["Gebietsstand:", "Juli 2018"],
        ["Berichtsmonat:", "Juli 2018"],
        ["Datenstand:", "Oktober 2018"],
        ["Rechtskreis:", "SGB II"],
        [],
        [
            "Ausgewählte Merkmale",
            "Juli 2018",
            "Juni 2018",
            "Juli 2017",
            "Veränderung gegenüber Vorjahresmonat absolut",
            "Veränderung gegenüber Vorjahresmonat in %",
        ],
        [
            "Erwerbsfähige Leistungsberechtigte",
            de(elb(2018, 7)),
            de(elb(2018, 6)),
            de(elb(2017, 7)),
            de(elb(2018, 7) - elb(2017, 7)),
            de((elb(2018, 7) / elb(2017, 7) - 1) * 100, 1),
        ],
        [
            "Langzeitleistungsbezieher",
            de(lzb(2018, 7)),
            de(lzb(2018, 6)),
            de(lzb(2017, 7)),
            de(lzb(2018, 7) - lzb(2017, 7)),
            de((lzb(2018, 7) / lzb(2017, 7) - 1) * 100, 1),
        ],
        [],
        ["© Statistik der Bundesagentur für Arbeit"],
        ["Aus Datenschutzgründen werden Zahlenwerte kleiner 3 anonymisiert."],
    ]
    exp: list[list[object]] = []
    for y, m in ((2018, 7), (2018, 6), (2017, 7)):
        exp += [
            ["06438", f"{y}-{m:02d}", "elb", elb(y, m)],
            ["06438", f"{y}-{m:02d}", "long_term_recipients", lzb(y, m)],
        ]
    return pad(lines).encode("utf-8"), exp


def ba_region_series() -> tuple[bytes, list[list[object]]]:
    """BA statistics CSV time series: Berichtsmonat rows, Jahresdurchschnitt row."""
    lines = [
        ["Kreis:", "Offenbach"],
        ["Rechtskreis:", "SGB II"],
        [],
        ["Berichtsmonat", "Erwerbsfähige Leistungsberechtigte", "Langzeitleistungsbezieher"],
    ]
    for y, m in MONTHS:
        lines.append([f"{DE_MONTHS[m - 1]} {y}", de(elb(y, m)), de(lzb(y, m))])
        if (y, m) == (2017, 12):
            lines.append(["Jahresdurchschnitt 2017", de(99999), de(88888)])
    lines += [[], ["© Statistik der Bundesagentur für Arbeit"]]
    return pad(lines).encode("utf-8"), series_expect("06438")


KREISE = [
    ("06438", "Offenbach, Landkreis", 16039, 354092, 7.1),
    ("06413", "Offenbach am Main, Stadt", 21394, 128744, 16.6),
    ("13075", "Vorpommern-Greifswald, Landkreis", 20155, 236697, 10.2),
]


def genesis_table() -> tuple[bytes, list[list[object]]]:
    """Regionaldatenbank table CSV: title block, Merkmal lines, key/name/year without header, units, footer."""
    lines = [
        ["82000-01-01-4: Erwerbsfähige Leistungsberechtigte nach SGB II - Stichtag 31.12. -"],
        ["regionale Tiefe: Kreise und krfr. Städte"],
        ["Merkmal: Erwerbsfähige Leistungsberechtigte"],
        [],
        ["", "", "", "Erwerbsfähige Leistungsberechtigte", "SGB II-Quote"],
        ["", "", "", "Anzahl", "Prozent"],
        ["2017", "DG", "Deutschland", de(4300000), "8,9"],
        ["2017", "06", "Hessen", de(330000), "8,1"],
    ]
    exp: list[list[object]] = []
    for k, n, e, _inh, q in KREISE:
        lines.append(["2017", k, f"      {n}", de(e), de(q, 1)])
        exp += [[k, "2017-12", "elb", e], [k, "2017-12", "sgb_ii_quote", q]]
    lines += [
        ["__________"],
        ["(C)opyright Statistische Ämter des Bundes und der Länder, 2019"],
        ["Stand: 12.03.2019 / 10:31:49"],
    ]
    return pad(lines).encode("cp1252"), exp


def genesis_ff_stag() -> tuple[bytes, list[list[object]]]:
    head = [
        "statistics_code",
        "statistics_label",
        "time_code",
        "time_label",
        "time",
        "1_variable_code",
        "1_variable_label",
        "1_variable_attribute_code",
        "1_variable_attribute_label",
        "value",
        "value_unit",
        "value_variable_code",
        "value_variable_label",
        "value_q",
    ]
    lines = [head]
    exp: list[list[object]] = []
    for k, n, e, _inh, _q in KREISE:
        lines.append(
            [
                "82000",
                "Grundsicherung für Arbeitsuchende",
                "STAG",
                "Stichtag",
                "31.12.2017",
                "KREISE",
                "Kreise und kreisfreie Städte",
                k,
                n,
                str(e),
                "Anzahl",
                "ELB001",
                "Erwerbsfähige Leistungsberechtigte",
                "e",
            ]
        )
        exp.append([k, "2017-12", "elb", e])
    lines.append(
        [
            "82000",
            "Grundsicherung für Arbeitsuchende",
            "STAG",
            "Stichtag",
            "31.12.2017",
            "DLAND",
            "Deutschland",
            "DG",
            "Deutschland",
            "4300000",
            "Anzahl",
            "ELB001",
            "Erwerbsfähige Leistungsberechtigte",
            "e",
        ]
    )
    return pad(lines).encode("utf-8"), exp


def genesis_ff_month() -> tuple[bytes, list[list[object]]]:
    head = [
        "Statistik_Code",
        "Statistik_Label",
        "Zeit_Code",
        "Zeit_Label",
        "Zeit",
        "1_Merkmal_Code",
        "1_Merkmal_Label",
        "1_Auspraegung_Code",
        "1_Auspraegung_Label",
        "2_Merkmal_Code",
        "2_Merkmal_Label",
        "2_Auspraegung_Code",
        "2_Auspraegung_Label",
        "ELB001__Erwerbsfaehige_Leistungsberechtigte__Anzahl",
        "ELB001__Erwerbsfaehige_Leistungsberechtigte__q",
    ]
    lines = [head]
    exp: list[list[object]] = []
    for k, n, e, _inh, _q in KREISE:
        for m in (6, 7):
            v = e + m * 11
            lines.append(
                [
                    "82000",
                    "SGB II",
                    "JAHR",
                    "Jahr",
                    "2018",
                    "KREISE",
                    "Kreise",
                    k,
                    n,
                    "MONAT",
                    "Monate",
                    f"MONAT{m:02d}",
                    DE_MONTHS[m - 1],
                    str(v),
                    "e",
                ]
            )
            exp.append([k, f"2018-{m:02d}", "elb", v])
    lines.append(
        [
            "82000",
            "SGB II",
            "JAHR",
            "Jahr",
            "2018",
            "KREISE",
            "Kreise",
            "06411",
            "Darmstadt",
            "MONAT",
            "Monate",
            "MONAT07",
            "Juli",
            "...",
            "",
        ]
    )
    return pad(lines).encode("utf-8"), exp


def atlas_geojson() -> tuple[bytes, list[list[object]]]:
    feats = []
    exp: list[list[object]] = []
    for i, (k, n, _e, _inh, q) in enumerate(KREISE):
        feats.append(
            {
                "type": "Feature",
                "geometry": None,
                "properties": {
                    "OBJECTID": i + 1,
                    "ags": k,
                    "gen": n,
                    "jahr": 2017,
                    "ai2102": q,
                    "Shape_Area": 1.0e9,
                },
            }
        )
        exp.append([k, "2017-12", "ai2102", q])
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False).encode(
        "utf-8"
    ), exp


def atlas_csv() -> tuple[bytes, list[list[object]]]:
    lines = [["Kennziffer", "Raumeinheit", "Jahr", "SGB II-Quote", "Bevölkerungsstand"]]
    exp: list[list[object]] = []
    for k, n, _e, inh, q in KREISE:
        lines.append([k, n, "2017", de(q, 1), de(inh)])
        exp.append([k, "2017-12", "sgb_ii_quote", q])
        exp.append([k, "2017-12", "inhabitants", inh])
    return pad(lines).encode("cp1252"), exp


def open_data_ym() -> tuple[bytes, list[list[object]]]:
    """City portal: Jahr;Monat columns, a Summe row, Stadtbezirk rows are not Jobcenters -> JC per row."""
    lines = [
        [
            "Jahr",
            "Monat",
            "Jobcenter",
            "Name",
            "Erwerbsfähige Leistungsberechtigte",
            "Langzeitleistungsbezieher",
        ]
    ]
    exp: list[list[object]] = []
    for m in (5, 6, 7):
        se = sl = 0
        for j in JC[:3]:
            e, lz = j[6] + m, j[7] - m
            se += e
            sl += lz
            lines.append(["2018", str(m), j[0], j[1], str(e), str(lz)])
            exp += [
                [j[0], f"2018-{m:02d}", "elb", e],
                [j[0], f"2018-{m:02d}", "long_term_recipients", lz],
            ]
        lines.append(["2018", str(m), "", "Summe", str(se), str(sl)])
    return pad(lines, ",").encode("utf-8"), exp


def open_data_yyyymm() -> tuple[bytes, list[list[object]]]:
    lines = [["AGS", "Jobcenter", "Monat", "ELB", "LZB"]]
    exp: list[list[object]] = []
    for m in (5, 6, 7):
        for j in JC[:3]:
            e, lz = j[6] + 1000 * m, j[7] - m
            lines.append([j[0], j[1], f"2018{m:02d}", de(e), de(lz)])
            exp += [
                [j[0], f"2018-{m:02d}", "elb", e],
                [j[0], f"2018-{m:02d}", "long_term_recipients", lz],
            ]
    return pad(lines).encode("cp1252"), exp


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, list[list[object]]] = {}
    # the one option `jctui inspect` proposes, where the file does not say it
    options: dict[str, dict[str, object]] = {
        "eckwerte-zeitreihe-datum.xlsx": {"jobcenter": "06438"},
        "ba-kreis-offenbach-juli-2018.csv": {"jobcenter": "06438"},
        "ba-zeitreihe-offenbach.csv": {"jobcenter": "06438"},
    }
    byte_files: dict[str, Callable[[], tuple[bytes, list[list[object]]]]] = {
        "kennzahlen-kurz-juli-2018.csv": kf_short,
        "kennzahlen-verordnung-201807.csv": kf_ordinance,
        "kennzahlen-vergleichstypen-2018-07.csv": kf_grouped,
        "kennzahlen-komma.csv": kf_comma,
        "eckwerte-zeitreihe-lang.csv": lambda: series_dot("long"),
        "eckwerte-zeitreihe-kurz.csv": lambda: series_dot("short"),
        "eckwerte-zeitreihe-slash.csv": lambda: series_dot("slash"),
        "eckwerte-zeitreihe-iso.csv": lambda: series_dot("iso"),
        "dl_48a_daten_statistikba_201807.csv": bulk_long,
        "ba-kreis-offenbach-juli-2018.csv": ba_region,
        "ba-zeitreihe-offenbach.csv": ba_region_series,
        "82000-01-01-4.csv": genesis_table,
        "82000-stag-ffcsv.csv": genesis_ff_stag,
        "82000-monat-ffcsv.csv": genesis_ff_month,
        "regionalatlas.geojson": atlas_geojson,
        "regionalatlas-export.csv": atlas_csv,
        "opendata-jahr-monat.csv": open_data_ym,
        "opendata-yyyymm.csv": open_data_yyyymm,
    }
    for name, make in byte_files.items():
        data, exp = make()
        (folder / name).write_bytes(data)
        expected[name] = exp
    from tests.samples.heldout_like.more import write_more

    more, more_options = write_more(folder)
    expected.update(more)
    options.update(more_options)
    expected["kennzahlen-juli-2018.xlsx"] = kf_workbook(folder / "kennzahlen-juli-2018.xlsx")
    expected["eckwerte-zeitreihe-datum.xlsx"] = series_xlsx_dates(
        folder / "eckwerte-zeitreihe-datum.xlsx"
    )
    (folder / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (folder / "options.json").write_text(json.dumps(options), encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]))
