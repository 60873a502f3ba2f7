"""Key-figure tables in the ordinance's wording, grouped by comparison type (issue 21): the
parts mapped by their meaning, heading rows give the type, subtotal rows are aggregates,
"Integrationen im Berichtsmonat" is a figure and "SGB II-Vergleichstyp" the type."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jctui.config import default_config
from jctui.session.load import load_dataset
from tests.published_tables import key_figure_table
from tests.unit.test_published import JULY, JULY_2017, cell, read

ORDINANCE = (
    "Kennzahlen nach § 48a SGB II;;;;;;;;;\n"
    "Berichtsmonat: Juli 2018;;;;;;;;;\n"
    ";;;;;;;;;\n"
    "Nr.;Jobcenter;Integrationen im Berichtsmonat;K2 - Integrationsquote;;;"
    "K3 - Veränderung des Bestands an Langzeitleistungsbeziehern;;;\n"
    ";;;Summe der Integrationen in den vergangenen zwölf Monaten;"
    "durchschnittlicher Bestand an ELB;in %;Zahl der Langzeitleistungsbezieher im Bezugsmonat;"
    "Zahl der Langzeitleistungsbezieher im Bezugsmonat des Vorjahres;Veränderung in %;\n"
    "Vergleichstyp IIb: Städte und Kreise mit ...;;;;;;;;;\n"
    "06438;Kreis Offenbach;353;4.236;21.394;19,8;9.096;9.549;-4,7;\n"
    "06413;Offenbach am Main, Stadt;200;2.000;10.000;20,0;5.000;5.000;0,0;\n"
    "Summe Vergleichstyp IIb;;553;6.236;31.394;19,9;14.096;14.549;-3,1;\n"
    "Vergleichstyp IIIa: ländlich ...;;;;;;;;;\n"
    "03002;Vorpommern-Greifswald;100;1.000;5.000;20,0;2.000;2.100;-4,8;\n"
    "Summe Vergleichstyp IIIa;;100;1.000;5.000;20,0;2.000;2.100;-4,8;\n"
    "Insgesamt;;653;7.236;36.394;19,9;16.096;16.649;-3,3;\n"
    "Quelle: Statistik der BA;;;;;;;;;\n"
)


def test_the_ordinance_wording_maps_numerator_denominator_and_figure() -> None:
    result = read(ORDINANCE.encode("cp1252"), "kennzahlen.csv")
    assert result.rejected.is_empty(), result.rejected
    assert cell(result, "06438", "integrations_12m") == 4236
    assert cell(result, "06438", "elb_mean_12m") == 21394
    assert cell(result, "06438", "k2_published") == 19.8
    assert cell(result, "06438", "long_term_recipients") == 9096
    assert cell(result, "06438", "long_term_recipients", JULY_2017) == 9549
    assert cell(result, "06438", "k3_published") == -4.7
    # "Integrationen im Berichtsmonat" is the month's integrations, not the month
    assert cell(result, "06438", "integrations") == 353


def test_heading_rows_give_the_type_and_subtotals_are_aggregates() -> None:
    result = read(ORDINANCE.encode("cp1252"), "kennzahlen.csv")
    types = dict(
        zip(result.registry["jobcenter_id"], result.registry["comparison_type"], strict=True)
    )
    assert types == {"06438": "IIb", "06413": "IIb", "03002": "IIIa"}
    assert set(result.values["jobcenter_id"]) == {"06438", "06413", "03002"}  # never ranked
    names = set(result.aggregates["name"])
    assert names == {"Summe Vergleichstyp IIb", "Summe Vergleichstyp IIIa", "Insgesamt"}
    notices = " ".join(result.notices)
    assert "check subtotal = sum of its members: 15 compared, ok" in notices


def test_a_subtotal_that_is_not_the_sum_of_its_members_is_refused() -> None:
    table = ORDINANCE.replace("Summe Vergleichstyp IIb;;553;", "Summe Vergleichstyp IIb;;555;")
    result = read(table.encode("cp1252"), "kennzahlen.csv")
    (problem,) = result.rejected["problem"].to_list()
    assert problem == (
        "Summe Vergleichstyp IIb 2018-07: cross-check subtotal = sum of its 2 members failed: "
        "555 published, the members sum to 553"
    )
    kept = result.aggregates.filter(result.aggregates["name"] == "Summe Vergleichstyp IIb")
    assert "integrations" not in set(kept["metric"])


def test_the_type_column_with_a_hyphen_is_the_type() -> None:
    table = (
        "Kennzahlen nach § 48a SGB II;;;\n"
        "Berichtsmonat: Juli 2018;;;\n"
        "Nr.;Jobcenter;SGB II-Vergleichstyp;K2 - Integrationsquote in %\n"
        "06438;Kreis Offenbach;IIb;19,8\n"
        "03002;Vorpommern-Greifswald;IIIa;20,1\n"
    )
    result = read(table.encode("cp1252"), "kennzahlen.csv")
    types = dict(
        zip(result.registry["jobcenter_id"], result.registry["comparison_type"], strict=True)
    )
    assert types == {"06438": "IIb", "03002": "IIIa"}
    mapped = read(
        table.encode("cp1252"),
        "kennzahlen.csv",
        columns={"comparison_type": "SGB II-Vergleichstyp"},
    )
    assert mapped.registry.equals(result.registry)  # mapping it needs no header_row


def with_month_integrations(table: bytes) -> bytes:
    """A key-figure table with one more column, "Integrationen im Berichtsmonat"."""
    lines = table.decode("cp1252").split("\n")
    out = []
    for i, line in enumerate(lines):
        if line.startswith("Nr.;"):
            out.append(line + ";Integrationen im Berichtsmonat")
        elif line.startswith(";;;;;"):
            out.append(line + ";")
        elif line[:1].isdigit() or line.startswith("D;"):
            out.append(line + f";{300 + i}")
        else:
            out.append(line)
    return "\n".join(out).encode("cp1252")


def test_a_folder_of_13_tables_with_the_month_integrations_reads(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    for month in range(13):
        year, index = divmod(2017 * 12 + 6 + month, 12)
        table = with_month_integrations(key_figure_table(month, last=month == 12))
        (folder / f"kennzahlen-{year}{index + 1:02d}.csv").write_bytes(table)
    dataset = load_dataset(default_config().with_source(str(folder)))
    assert dataset.values.height, dataset.notices
    months = set(dataset.values.filter(dataset.values["metric"] == "integrations")["period"])
    assert len(months) == 13
    assert JULY in months
    assert dt.date(2017, 7, 1) in months


# the names ../shared/domain/kennzahlen.md gives (the ordinance's key figures); K1E1, K2E1,
# K2E2, K2E3, K3E3 and K3E4, not named there (nor in publications.md), as the ordinance
# names them (SGB2§48aFKV § 4 Abs. 2 Nr. 1, § 5 Abs. 2 Nr. 1-3, § 6 Abs. 2 Nr. 3 and 4)
DOMAIN_NAMES = {
    "K1E1": "change in benefits for housing and heating",
    "K2E1": "rate of entries into marginal employment",
    "K2E2": "rate of entries into publicly funded employment",
    "K2E3": "continued employment after integration",
    "K3E3": "average inflow rate of lzb",
    "K3E4": "average outflow rate of lzb",
    "K1": "change in benefits for living costs",
    "K1E2": "change in the number of elb",
    "K1E3": "average inflow rate",
    "K1E4": "average outflow rate",
    "K2": "integration rate",
    "K2E4": "integration rate of lone parents",
    "K3": "change in long-term recipients",
    "K3E1": "integration rate of lzb",
    "K3E2": "activation rate of lzb",
}


def test_k1_and_every_supplementary_figure_are_in_the_catalogue_under_their_names() -> None:
    from jctui.config import default_metrics

    catalogue = default_metrics()
    codes = ["K1", "K2", "K3"] + [f"K{k}E{e}" for k in (1, 2, 3) for e in (1, 2, 3, 4)]
    for code in codes:
        metric = catalogue[f"{code.lower()}_published"]  # the keys of published figures
        assert (metric.unit, metric.optional) == ("%", True), code
        assert metric.label_en.endswith(f"({code})"), code
        assert metric.label_de.endswith(f"({code})"), code
        assert metric.label_en.casefold().startswith(DOMAIN_NAMES[code]), code
    # a file's column headed by the code alone is that figure
    assert {catalogue[f"{c.lower()}_published"].aliases[0] for c in codes} == set(codes)
