"""A folder of monthly key-figure tables as the BA publishes them (for the dashboard tests).

Each file is one report month, saved from Excel as `;`-CSV in Windows-1252: title rows,
"Berichtsmonat: …", a two-row header (the groups "K2 - Integrationsquote" and "K3 -
Veränderung des Bestands an LZB" over their parts), an aggregate row (Deutschland), four
Jobcenters and the source line. In the last month the publisher withheld K2 of
Vorpommern-Greifswald (`*`), and München's K2 is one point above what its numerator and
denominator give (a stated figure the counts contradict).
"""

from __future__ import annotations

from pathlib import Path

GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
# id, name, state, comparison type, carrier, K2 denominator, LZB in the first month
JOBCENTERS = (
    ("06438", "Kreis Offenbach", "Hessen", "IIb", "zugelassener kommunaler Träger", 21394, 9096),
    ("06413", "Offenbach am Main, Stadt", "Hessen", "IIb", "gemeinsame Einrichtung (gE)", 14000, 7000),
    ("03002", "Vorpommern-Greifswald", "13", "IIIa", "gemeinsame Einrichtung (gE)", 12000, 5000),
    ("09162", "München, Landeshauptstadt", "BY", "IIb", "gE", 30000, 4000),
)  # fmt: skip
WITHHELD = ("03002", "k2")  # `*` in the last month's table
MISMATCH = "09162"  # its K2 in the last month's table: one point off its own parts
FIRST = (2017, 7)  # July 2017 .. July 2018: 13 tables


def german(value: float) -> str:
    """19.8 -> '19,8', as the table writes a figure in %."""
    return f"{value:.1f}".replace(".", ",")


def cells(jc: int, month: int, *, last: bool = False) -> dict[str, str]:
    """The published cells of Jobcenter number `jc` in table number `month` (0..12), the
    last table's with its withheld and its contradicted cell."""
    _, _, _, _, _, denominator, lzb = JOBCENTERS[jc]
    rate = 18 + 3.7 * jc + 0.15 * month  # K2 in %, as published (one decimal)
    numerator = round(denominator * rate / 100)

    def lzb_in(m: int) -> int:  # the stock a year earlier is the earlier table's stock
        return lzb - (10 + 7 * jc) * m

    now, before = lzb_in(month), lzb_in(month - 12)
    published = {
        "k2_numerator": str(numerator),
        "k2_denominator": str(denominator),
        "k2": german(rate + (1 if last and JOBCENTERS[jc][0] == MISMATCH else 0)),
        "lzb": str(now),
        "lzb_before": str(before),
        "k3": german((now / before - 1) * 100),
    }
    if last and JOBCENTERS[jc][0] == WITHHELD[0]:
        published["k2_numerator"] = published[WITHHELD[1]] = "*"
    return published


def key_figure_table(month: int, *, last: bool = False) -> bytes:
    """Table number `month` (0: July 2017)."""
    year, index = divmod(FIRST[0] * 12 + FIRST[1] - 1 + month, 12)
    rows = [
        "Kennzahlen nach § 48a SGB II;;;;;;;;;;",
        "Vergleich der Jobcenter;;;;;;;;;;",
        f"Berichtsmonat: {GERMAN_MONTHS[index]} {year};;;;;;;;;;",
        ";;;;;;;;;;",
        "Nr.;Jobcenter;Land;Vergleichstyp;Form der Aufgabenwahrnehmung;"
        "K2 - Integrationsquote;;;K3 - Veränderung des Bestands an LZB;;",
        ";;;;;Zähler: Summe der Integrationen der letzten 12 Monate;"
        "Nenner: durchschnittlicher Bestand ELB;in %;Bestand LZB;"
        "Bestand LZB Vorjahresmonat;Veränderung in %",
        "D;Deutschland;;;;1.234.567;4.000.000;30,9;2.500.000;2.500.000;0,0",
    ]
    for jc, (number, name, state, group, carrier, *_) in enumerate(JOBCENTERS):
        c = cells(jc, month, last=last)
        rows.append(
            f"{number};{name};{state};{group};{carrier};{c['k2_numerator']};"
            f"{c['k2_denominator']};{c['k2']};{c['lzb']};{c['lzb_before']};{c['k3']}"
        )
    rows.append("Quelle: Statistik der Bundesagentur für Arbeit;;;;;;;;;;")
    return ("\n".join(rows) + "\n").encode("cp1252")


def write_key_figure_folder(folder: Path, months: int = 13) -> dict[str, dict[str, str]]:
    """`months` monthly tables into `folder`; the last month's published cells by id."""
    folder.mkdir(parents=True, exist_ok=True)
    for month in range(months):
        year, index = divmod(FIRST[0] * 12 + FIRST[1] - 1 + month, 12)
        name = f"kennzahlen-{year}{index + 1:02d}.csv"
        (folder / name).write_bytes(key_figure_table(month, last=month == months - 1))
    return {JOBCENTERS[jc][0]: cells(jc, months - 1, last=True) for jc in range(len(JOBCENTERS))}
