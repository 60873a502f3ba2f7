"""Reading the figures as they are published (Statistik der BA, BMAS, GENESIS).

What a user checks: a file downloaded from the publisher, unedited, gives the figures of the
right Jobcenter, month and metric; signs are missing values (not bad rows), dashes are 0;
ids keep their leading zeros; aggregates are never Jobcenters.
"""

from __future__ import annotations

import datetime as dt
import io
import string
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from jctui.config import SourceDef, default_metrics
from jctui.errors import SourceError
from jctui.readers import ReadResult, read_bytes

CATALOGUE = default_metrics()
JULY = dt.date(2018, 7, 1)


def read(data: bytes | str, origin: str = "x.csv", **source: Any) -> ReadResult:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read_bytes(
        raw,
        SourceDef(name="test", path=origin, **source),
        catalogue=CATALOGUE,
        origin=origin,
    )


def values_of(result: ReadResult) -> dict[tuple[str, str], float]:
    return {
        (row["jobcenter_id"], row["metric"]): row["value"]
        for row in result.values.iter_rows(named=True)
    }


def test_signs_are_missing_values_and_dashes_are_zero() -> None:
    data = (
        "jobcenter_id;period;metric;value\n"
        "A;2018-07;elb;*\n"
        "B;2018-07;elb;x\n"
        "C;2018-07;elb;...\n"
        "D;2018-07;elb;-\n"
        "E;2018-07;elb;–\n"
        "F;2018-07;elb;/\n"
        "G;2018-07;elb;.\n"
        "H;2018-07;elb;12\n"
    )
    result = read(data)
    assert result.rejected.is_empty()
    assert values_of(result) == {("D", "elb"): 0.0, ("E", "elb"): 0.0, ("H", "elb"): 12.0}
    missing = dict(zip(result.missing["jobcenter_id"], result.missing["sign"], strict=True))
    assert missing == {"A": "*", "B": "x", "C": "...", "F": "/", "G": "."}
    assert result.missing.filter(pl.col("jobcenter_id") == "A").row(0, named=True)["line"] == 2


def test_ids_keep_their_leading_zeros_whatever_the_cell_type() -> None:
    text = "jobcenter_id;period;metric;value\n3002;2018-07;elb;10\n06438;2018-07;elb;20\nt45108;2018-07;elb;30\n"
    assert values_of(read(text)) == {
        ("03002", "elb"): 10.0,
        ("06438", "elb"): 20.0,
        ("45108", "elb"): 30.0,
    }
    records = '[{"jobcenter_id": 3002, "period": "2018-07", "metric": "elb", "value": 10}]'
    assert values_of(read(records, "x.json")) == {("03002", "elb"): 10.0}


def test_the_same_id_written_two_ways_is_one_jobcenter() -> None:
    text = "jobcenter_id;period;metric;value;name\n3002;2018-07;elb;10;V\n03002;2018-08;elb;11;V\n"
    result = read(text)
    assert result.values["jobcenter_id"].unique().to_list() == ["03002"]
    assert result.registry["jobcenter_id"].to_list() == ["03002"]


# The monthly key-figure table as publications.md describes it, saved from Excel as CSV:
# title rows, a blank row, a two-row header, column numbers, aggregates, Jobcenters, footer.
KEY_FIGURES = (
    "Kennzahlen nach § 48a SGB II;;;;;;;;;;;\n"
    "Vergleich der Jobcenter;;;;;;;;;;;\n"
    "Berichtsmonat: Juli 2018;;;;;;;;;;;\n"
    "Erstellungsdatum: 15.10.2018;;;;;;;;;;;\n"
    ";;;;;;;;;;;\n"
    "Nr.;Jobcenter;Land;Vergleichstyp;Form der Aufgabenwahrnehmung;"
    "K2 - Integrationsquote;;;K3 - Veränderung des Bestands an LZB;;;\n"
    ";;;;;Zähler: Summe der Integrationen der letzten 12 Monate;"
    "Nenner: durchschnittlicher Bestand ELB;in %;Bestand LZB;Bestand LZB Vorjahresmonat;"
    "Veränderung in %;\n"
    "1;2;3;4;5;6;7;8;9;10;11;\n"
    "D;Deutschland;;;;1.234.567;4.000.000;30,9;2.500.000;2.600.000;-3,8;\n"
    "W;Westdeutschland;;;;900.000;2.900.000;31,0;1.800.000;1.850.000;-2,7;\n"
    "06;Hessen;;;;90.000;300.000;30,0;180.000;185.000;-2,7;\n"
    "6438;Kreis Offenbach;Hessen;IIb;zugelassener kommunaler Träger;"
    "4.236;21.394;19,8;9.096;9.549;-4,7;\n"
    "03002;Vorpommern-Greifswald;13;IIIa;gemeinsame Einrichtung (gE);"
    "*;12.000;*;5.000;5.200;-3,8;\n"
    "45108;Offenbach, JC;HE;IIa;gE;-;10.000;0,0;x;.;x;\n"
    ";;;;;;;;;;;\n"
    "1) Summe der Integrationen der letzten 12 Monate;;;;;;;;;;;\n"
    "Zeichenerklärung: * = Zahlenwert anonymisiert; x = Nachweis nicht sinnvoll;;;;;;;;;\n"
    "Quelle: Statistik der Bundesagentur für Arbeit;;;;;;;;;;;\n"
    "© Statistik der Bundesagentur für Arbeit;;;;;;;;;;;\n"
)
AUG = dt.date(2018, 8, 1)
JULY_2017 = dt.date(2017, 7, 1)


def cell(result: ReadResult, jc: str, metric: str, period: dt.date = JULY) -> float | None:
    hit = result.values.filter(
        (pl.col("jobcenter_id") == jc) & (pl.col("metric") == metric) & (pl.col("period") == period)
    )
    return hit.item(0, "value") if hit.height else None


def test_key_figure_table_is_read_as_published() -> None:
    result = read(KEY_FIGURES.encode("cp1252"), "kennzahlen.csv")
    assert result.rejected.is_empty(), result.rejected
    assert cell(result, "06438", "integrations_12m") == 4236  # never the monthly flow
    assert cell(result, "06438", "integrations") is None
    assert cell(result, "06438", "elb_mean_12m") == 21394
    assert cell(result, "06438", "k2_published") == 19.8  # decimals kept
    assert cell(result, "06438", "long_term_recipients") == 9096
    assert cell(result, "06438", "long_term_recipients", JULY_2017) == 9549  # a year earlier
    assert cell(result, "06438", "k3_published") == -4.7
    assert cell(result, "45108", "integrations_12m") == 0  # "-": nothing
    registry = {r["jobcenter_id"]: r for r in result.registry.iter_rows(named=True)}
    assert set(registry) == {"06438", "03002", "45108"}  # no aggregate, no footnote
    assert registry["06438"]["carrier"] == "zkT"
    assert registry["06438"]["state"] == "HE"
    assert registry["03002"]["carrier"] == "gE"
    assert registry["03002"]["state"] == "MV"
    assert registry["06438"]["comparison_type"] == "IIb"
    aggregates = result.aggregates.filter(pl.col("metric") == "k2_published")
    assert dict(zip(aggregates["name"], aggregates["value"], strict=True)) == {
        "Deutschland": 30.9,
        "Westdeutschland": 31.0,
        "Hessen": 30.0,
    }
    signs = result.missing.group_by("sign").len().sort("sign")
    assert dict(zip(signs["sign"], signs["len"], strict=True)) == {"*": 2, ".": 1, "x": 2}
    notice = result.notices[0]
    assert "key-figure table, report month July 2018" in notice
    assert "3 Jobcenters, 3 aggregate rows, 2 withheld cells" in notice


def key_figure_workbook(rows: list[list[object]]) -> bytes:
    """An .xlsx made like the BA's: cells as given (numbers stay numbers)."""
    from tests.samples.generate import workbook

    return workbook({"Kennzahlen": rows})


def test_key_figure_workbook_with_ids_stored_as_numbers() -> None:
    rows: list[list[object]] = [
        ["Kennzahlen nach § 48a SGB II"],
        ["Berichtsmonat: Juli 2018"],
        [],
        ["Nr.", "Jobcenter", "Land", "Typ", "Form", "K2 - Integrationsquote", None, None],
        [None, None, None, None, None, "Zähler", "Nenner", "in %"],
        ["D", "Deutschland", None, None, None, 1234567, 4000000, 30.9],
        [6438, "Kreis Offenbach", "06", "IIb", "Optionskommune", 4236, 21394, 19.8],
        [3002, "Vorpommern-Greifswald", "MV", "IIIa", "gemeinsame Einrichtung", "*", 12000, "*"],
        ["Quelle: Statistik der Bundesagentur für Arbeit"],
    ]
    result = read(key_figure_workbook(rows), "kennzahlen.xlsx")
    assert result.rejected.is_empty(), result.rejected
    assert cell(result, "06438", "integrations_12m") == 4236
    assert cell(result, "06438", "k2_published") == 19.8
    assert cell(result, "03002", "elb_mean_12m") == 12000
    assert sorted(result.registry["jobcenter_id"]) == ["03002", "06438"]
    assert result.registry.filter(pl.col("jobcenter_id") == "06438")["carrier"].item() == "zkT"
    assert result.aggregates["name"].unique().to_list() == ["Deutschland"]
    assert result.missing.height == 2


TITLE = st.text(alphabet=string.ascii_letters + " äöüß:§", min_size=1, max_size=30).filter(
    lambda s: s.strip() != "" and not s.strip()[0].isdigit()
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    titles=st.lists(TITLE, max_size=5),
    blanks_before=st.integers(0, 3),
    footnotes=st.lists(TITLE, max_size=4),
    blanks_after=st.integers(0, 3),
)
def test_title_rows_footnotes_and_blank_padding_never_change_the_values(
    titles: list[str], blanks_before: int, footnotes: list[str], blanks_after: int
) -> None:
    width = ";" * 11
    table = KEY_FIGURES.split("\n")[5:15]  # header, sub-header, numbers, aggregates, Jobcenters
    lines = [
        *(f"{t};;;;;;;;;;;" for t in titles),
        "Berichtsmonat: Juli 2018" + width,
        *([width] * blanks_before),
        *table,
        *([width] * blanks_after),
        *(f"{n}) {t}" + width for n, t in enumerate(footnotes, 1)),
        "Quelle: Statistik der BA" + width,
    ]
    result = read("\n".join(lines) + "\n", "k.csv")
    expected = read(KEY_FIGURES, "k.csv")
    assert result.rejected.is_empty()
    assert_frame_equal(result.values, expected.values)
    assert_frame_equal(result.aggregates, expected.aggregates)
    assert_frame_equal(result.registry, expected.registry)


def eckwerte_workbook() -> bytes:
    """An Eckwerte workbook as the BA makes it: cover sheets, then "1.1 Eckwerte" (labels in
    column A, SGB II in column G, headings without numbers, footnote marks) and "1.2
    Eckwerte Zeitreihe" (months as columns)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("Deckblatt").write(0, 0, "Eckwerte für Jobcenter")
    book.add_worksheet("Inhaltsverzeichnis").write(0, 0, "x = Nachweis nicht sinnvoll")
    sheet = book.add_worksheet("1.1 Eckwerte")
    sheet.write(0, 0, "1.1 Eckwerte der Grundsicherung")
    sheet.write(2, 0, "Jobcenter Offenbach")
    header = ["Merkmal", "Insgesamt (SGB II und SGB III)", "", "", "", "", "Rechtskreis SGB II"]
    sheet.write_row(6, 0, header)
    rows: list[list[str | int | None]] = [
        ["Bestand", None, None, None, None, None, None],
        ["Bedarfsgemeinschaften (BG)", 9000, None, None, None, None, 9000],
        ["Personen in Bedarfsgemeinschaften (PERS) 2)", 21000, None, None, None, None, 21000],
        [
            "dav. erwerbsfähige Leistungsberechtigte (ELB) 2) 4)",
            16000,
            None,
            None,
            None,
            None,
            15354,
        ],
        ["Langzeitleistungsbezieher 3)", 9400, None, None, None, None, "*"],
    ]
    for r, row in enumerate(rows, start=8):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    sheet.write(14, 0, "1) Quelle: Statistik der Bundesagentur für Arbeit")
    series = book.add_worksheet("1.2 Eckwerte Zeitreihe")
    series.write(0, 0, "1.2 Eckwerte Zeitreihe")
    series.write_row(3, 0, ["Merkmal", "Mai 2018", "Juni 2018", "Juli 2018"])
    series.write_row(4, 0, ["erwerbsfähige Leistungsberechtigte (ELB)", 15500, 15400, 15354])
    series.write_row(5, 0, ["Jahresdurchschnitt 2017", 15000, 15000, 15000])
    book.close()
    return out.getvalue()


def test_eckwerte_workbook_rows_are_metrics_month_and_jobcenter_from_the_file_name() -> None:
    name = "jc-eckwerte-t06438-0-201807-xlsx.xlsx"
    result = read(eckwerte_workbook(), name)
    assert result.rejected.is_empty(), result.rejected
    assert values_of(result) == {  # the SGB II column, not "Insgesamt"
        ("06438", "elb"): 15354.0,
        # rows the catalogue lacks: figures of their own, under their labels (no footnotes)
        ("06438", "bedarfsgemeinschaften_bg"): 9000.0,
        ("06438", "personen_in_bedarfsgemeinschaften_pers"): 21000.0,
    }
    assert dict(result.labels.iter_rows()) == {
        "bedarfsgemeinschaften_bg": "Bedarfsgemeinschaften (BG)",
        "personen_in_bedarfsgemeinschaften_pers": "Personen in Bedarfsgemeinschaften (PERS)",
    }  # "Bestand", a heading without numbers, is none
    assert set(result.values["period"]) == {JULY}
    assert result.missing["metric"].to_list() == ["long_term_recipients"]  # "*" withheld
    assert "table of labelled rows for Jobcenter 06438" in result.notices[0]
    series = read(eckwerte_workbook(), name, sheet="1.2 Eckwerte Zeitreihe")
    elb = series.values.sort("period")
    assert elb["value"].to_list() == [
        15500,
        15400,
        15354,
    ]  # months as columns, summary row left out
    assert elb["period"].to_list() == [dt.date(2018, 5, 1), dt.date(2018, 6, 1), JULY]


@pytest.mark.parametrize(
    ("sign", "last", "missing"),
    [("–", {("03002", 8): 0}, 0), (".", {}, 1)],
    ids=["a dash is nothing", "a lone dot is no decimal point"],
)
def test_months_as_columns_with_jobcenters_as_rows(
    sign: str, last: dict[tuple[str, int], float], missing: int
) -> None:
    # "." = not available: "16.039" stays sixteen thousand and thirty-nine all the same
    data = (
        "Erwerbsfähige Leistungsberechtigte (ELB) je Jobcenter;;;\n"
        ";;;\n"
        "Nr.;Jobcenter;Juli 2018;August 2018\n"
        "06438;Kreis Offenbach;16.039;15.877\n"
        f"03002;Vorpommern-Greifswald;12.000;{sign}\n"
        "Quelle: Statistik der BA;;;\n"
    )
    result = read(data, "zeitreihe.csv")
    assert result.rejected.is_empty(), result.rejected
    got = {
        (r["jobcenter_id"], r["period"].month): r["value"]
        for r in result.values.iter_rows(named=True)
    }
    assert got == {("06438", 7): 16039, ("06438", 8): 15877, ("03002", 7): 12000, **last}
    assert set(result.values["metric"]) == {"elb"}
    assert result.missing.height == missing


GENESIS_NEW = (
    "statistics_code;statistics_label;time_code;time_label;time;"
    "1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;"
    "2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;"
    "value;value_unit;value_variable_code;value_variable_label;value_q\n"
    "82111;Grundsicherung;JAHR;Jahr;2018;KREISE;Kreise;06438;Offenbach, Landkreis;"
    "MONAT;Monate;MONAT07;Juli;15.354;Anzahl;ELB;Erwerbsfähige Leistungsberechtigte;e\n"
    "82111;Grundsicherung;JAHR;Jahr;2018;KREISE;Kreise;3002;Vorpommern-Greifswald;"
    "MONAT;Monate;MONAT07;Juli;x;Anzahl;ELB;Erwerbsfähige Leistungsberechtigte;e\n"
    "82111;Grundsicherung;JAHR;Jahr;2017;KREISE;Kreise;06438;Offenbach, Landkreis;"
    "MONAT;Monate;MONAT12;Dezember;-;Anzahl;ELB;Erwerbsfähige Leistungsberechtigte;e\n"
    "82111;Grundsicherung;JAHR;Jahr;2018;KREISE;Kreise;06438;Offenbach, Landkreis;"
    "MONAT;Monate;MONAT07;Juli;123;Anzahl;XYZ;Etwas anderes;e\n"
)
GENESIS_OLD = (
    "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;"
    "1_Auspraegung_Code;1_Auspraegung_Label;2_Merkmal_Code;2_Merkmal_Label;2_Auspraegung_Code;"
    "2_Auspraegung_Label;ELB__Erwerbsfähige Leistungsberechtigte__Anzahl;"
    "ELB__Erwerbsfähige Leistungsberechtigte__q\n"
    "82111;Grundsicherung;JAHR;Jahr;2018;MONAT;Monate;MONAT07;Juli;KREISE;Kreise;06438;"
    "Offenbach;15.354;e\n"
)


def test_genesis_flat_files_new_and_old_format_in_their_zip() -> None:
    import zipfile

    expected = {("06438", dt.date(2018, 7, 1)): 15354.0, ("06438", dt.date(2017, 12, 1)): 0.0}
    for text in (GENESIS_NEW, GENESIS_OLD):
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w") as archive:
            archive.writestr("82111-0001_flat.csv", text.encode("utf-8"))
        for data, name in ((packed.getvalue(), "82111-0001.zip"), (text.encode(), "82111.csv")):
            result = read(data, name)
            assert result.rejected.is_empty(), result.rejected
            got = {
                (r["jobcenter_id"], r["period"]): r["value"]
                for r in result.values.filter(pl.col("metric") == "elb").iter_rows(named=True)
            }
            assert got == {
                k: v for k, v in expected.items() if text is GENESIS_NEW or k[1].year == 2018
            }
            assert "GENESIS flat file" in result.notices[0]
            if text is GENESIS_NEW:  # a value variable the catalogue lacks: under its label
                own = result.values.filter(pl.col("metric") == "etwas_anderes")
                assert own.select("jobcenter_id", "value").rows() == [("06438", 123.0)]
                assert result.labels.rows() == [("etwas_anderes", "Etwas anderes")]
                assert "'Etwas anderes' (etwas_anderes)" in result.notices[0]
            else:
                assert set(result.values["metric"]) == {"elb"}
    missing = read(GENESIS_NEW, "82111.csv").missing
    assert missing.select("jobcenter_id", "sign").rows() == [("03002", "x")]


def test_genesis_rest_answer_with_the_csv_in_object_content() -> None:
    import json

    answer = {"Status": {"Code": 0, "Content": "erfolgreich", "Type": "Information"},
              "Object": {"Content": GENESIS_NEW}}  # fmt: skip
    result = read(
        json.dumps(answer), "https://www-genesis.destatis.de/genesisWS/rest/2020/data/table"
    )
    assert result.values.filter(pl.col("jobcenter_id") == "06438").height == 3  # with XYZ
    too_big = {
        "Status": {"Code": 98, "Content": "Tabelle zu groß", "Type": "Error"},
        "Object": None,
    }
    with pytest.raises(SourceError, match="status 98: Tabelle zu groß"):
        read(json.dumps(too_big), "answer.json")
    # an answer without an Object at all (a wrong login): GENESIS' status, shortened
    refused = {"Ident": {"Service": "data", "Method": "tablefile"},
               "Status": {"Code": -1, "Content": "Anmeldung fehlgeschlagen " * 40, "Type": "Fehler"}}  # fmt: skip
    with pytest.raises(SourceError) as info:
        read(json.dumps(refused), "answer.json")
    assert str(info.value).startswith(
        "answer.json: GENESIS answer without a table (status -1: Anmeldung fehlgeschlagen"
    )
    assert len(str(info.value)) < 400
    # another API's JSON with a status of its own is no GENESIS answer
    other = {"Status": {"Code": 200, "Content": "ok"},
             "items": [{"jobcenter_id": "06438", "period": "2018-07", "metric": "elb", "value": 1}]}  # fmt: skip
    assert read(json.dumps(other), "api.json", records_path="items").values.height == 1


def test_every_part_of_an_unseen_layout_can_be_set_in_the_config() -> None:
    # no title, no "Berichtsmonat", odd headers: header row, month and columns from the config
    data = (
        "Auswertung für den Kreistag;;\n"
        "Schlüssel der Stelle;Bezeichnung;Anzahl ELB\n"
        "06438;Kreis Offenbach;15.354\n"
    )
    result = read(
        data,
        "auswertung.csv",
        header_row=2,
        month="2018-07",
        columns={"jobcenter_id": "Schlüssel der Stelle", "name": "Bezeichnung"},
        metrics={"Anzahl ELB": "elb"},
    )
    assert values_of(result) == {("06438", "elb"): 15354.0}
    assert set(result.values["period"]) == {JULY}
    with pytest.raises(SourceError, match=r"no column 'Kennung' \(columns.jobcenter_id"):
        read(
            data,
            "auswertung.csv",
            header_row=2,
            month="2018-07",
            columns={"jobcenter_id": "Kennung"},
        )


def test_layout_overrides_are_validated_strictly(tmp_path: Path) -> None:
    from jctui.config import load_config
    from jctui.errors import ConfigError

    config = tmp_path / "c.toml"
    for line, problem in (
        ('month = "Juli 2018"', r"sources\[0\].month: expected YYYY-MM"),
        ("header_row = -1", r"sources\[0\].header_row: must be 0"),
        ('header_row = "7"', r"sources\[0\].header_row: expected an integer"),
        ("heder_row = 7", r"sources\[0\].heder_row: unknown key"),
    ):
        config.write_text(f'[[sources]]\nname = "k"\npath = "k.csv"\n{line}\n', encoding="utf-8")
        with pytest.raises(ConfigError, match=problem):
            load_config(str(config))


def test_a_table_cleaned_by_hand_keeps_its_aggregates_apart() -> None:
    data = (
        "jobcenter_id;name;period;metric;value\n"
        "D;Deutschland;2018-07;elb;4000000\n"
        "06;Hessen;2018-07;elb;300000\n"
        "06438;Kreis Offenbach;2018-07;elb;15354\n"
        "04011;Bremen;2018-07;elb;40000\n"  # the Jobcenter Bremen, not the state
    )
    result = read(data)
    assert sorted(result.registry["jobcenter_id"]) == ["04011", "06438"]
    assert sorted(result.aggregates["name"]) == ["Deutschland", "Hessen"]
    assert sorted(result.values["jobcenter_id"]) == ["04011", "06438"]


def test_a_figure_headed_im_monat_is_a_figure_not_the_month_column() -> None:
    """'Integrationen im Monat' holds the word 'Monat', but it names a figure: the report
    month comes from the title, and the column's values are integrations."""
    data = (
        "Grundsicherung für Arbeitsuchende nach dem SGB II\n"
        "Berichtsmonat: Juli 2018\n"
        "\n"
        "Jobcenter-Nr.;Jobcenter;Integrationen im Monat;Erwerbsfähige Leistungsberechtigte\n"
        "06438;Kreis Offenbach;353;15354\n"
        "03002;Region Hannover;1200;60000\n"
        "Quelle: Statistik der Bundesagentur für Arbeit\n"
    )
    result = read(data)
    assert result.rejected.is_empty()
    assert values_of(result) == {
        ("06438", "integrations"): 353.0,
        ("06438", "elb"): 15354.0,
        ("03002", "integrations"): 1200.0,
        ("03002", "elb"): 60000.0,
    }
    assert set(result.values["period"]) == {JULY}


def test_a_published_table_with_cr_line_ends_reads_as_with_lf() -> None:
    """'CSV (Macintosh)' ends lines with CR alone: the published and GENESIS readers read it
    like the same file with LF (it gave 0 values and no error)."""
    for text, name in ((KEY_FIGURES, "kennzahlen-201807.csv"), (GENESIS_NEW, "82111.csv")):
        lf = read(text, name)
        cr = read(text.replace("\n", "\r"), name)
        assert lf.values.height > 0
        assert_frame_equal(cr.values, lf.values)
        assert_frame_equal(
            cr.missing.drop("line", strict=False), lf.missing.drop("line", strict=False)
        )


def test_a_folder_with_a_genesis_zip_beside_its_tables_reads_both() -> None:
    """A folder's ZIP (a GENESIS download) is opened as a ZIP, not taken for a workbook."""
    import zipfile

    from jctui.readers import read_many

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("82111-0001_flat.csv", GENESIS_NEW.encode("utf-8"))
    parts = [
        (KEY_FIGURES.encode("cp1252"), "/f/kennzahlen-201807.csv", "csv"),
        (packed.getvalue(), "/f/82111-0001.zip", "zip"),
    ]
    source = SourceDef(name="f", path="/f")
    result = read_many(parts, source, catalogue=CATALOGUE, origin="/f")
    assert ("06438", dt.date(2017, 12, 1)) in {
        (r["jobcenter_id"], r["period"]) for r in result.values.iter_rows(named=True)
    }  # from the ZIP
    assert {"k2_published", "elb"} <= set(result.values["metric"])


def test_a_genesis_table_with_the_date_first_and_one_header_cell_per_figure() -> None:
    # the Regionaldatenbank's other arrangement: reference date, key, name (indented) without
    # headers, two figures, signs, the `__________` and © footer after a "Stand:" line
    data = (
        "Empfänger von Leistungen nach SGB II - Stichtag 31.12. - regionale Tiefe: Kreise\n"
        ";;;Erwerbsfähige Leistungsberechtigte;Bevölkerungsstand\n"
        ";;;Anzahl;Anzahl\n"
        "31.12.2017;DG;Deutschland;4361532;82792351\n"
        "31.12.2017;06;  Hessen;301204;6243262\n"
        "31.12.2017;06438;      Offenbach, Landkreis;16039;354092\n"
        "31.12.2017;06440;      Wetteraukreis;-;306460\n"
        "31.12.2017;06631;      Fulda, Landkreis;.;222584\n"
        "__________\n"
        "Stand: 06.05.2019 / 14:21:04\n"
        "(C)opyright Statistische Ämter des Bundes und der Länder, 2019\n"
    )
    result = read(data, "82000-01-01-4.csv")
    assert result.rejected.is_empty(), result.rejected
    assert values_of(result) == {
        ("06438", "elb"): 16039,
        ("06438", "inhabitants"): 354092,
        ("06440", "elb"): 0,  # "-": nothing
        ("06440", "inhabitants"): 306460,
        ("06631", "inhabitants"): 222584,  # "." not available: no ELB
    }
    assert set(result.values["period"]) == {dt.date(2017, 12, 1)}
    assert set(result.aggregates["name"]) == {"Deutschland", "Hessen"}  # never Jobcenters
    assert dict(result.registry.select("jobcenter_id", "name").iter_rows())["06438"] == (
        "Offenbach, Landkreis"
    )


def test_the_regionalatlas_esri_json_answer_reads_its_attributes() -> None:
    import json

    answer = {  # f=json: the records in features[].attributes, beside the fields' list
        "displayFieldName": "gen",
        "fields": [{"name": "ags", "type": "esriFieldTypeString"}],
        "features": [
            {"attributes": {"OBJECTID": 7, "ags": "06438", "gen": "Offenbach", "jahr": 2017,
                            "ai2102": 6.4, "Shape__Area": 3.5e8}, "geometry": {"rings": []}},
            {"attributes": {"OBJECTID": 8, "ags": "06413", "gen": "Offenbach am Main",
                            "jahr": 2017, "ai2102": 14.1, "Shape__Area": 4.5e7}},
        ],
    }  # fmt: skip
    result = read(json.dumps(answer), "regionalatlas.json")
    assert result.rejected.is_empty(), result.rejected
    assert values_of(result) == {("06438", "ai2102"): 6.4, ("06413", "ai2102"): 14.1}
    assert set(result.values["period"]) == {dt.date(2017, 12, 1)}  # the year's 31 December
    assert result.labels.rows() == [("ai2102", "ai2102")]  # under its own name, not dropped
