"""Files in the published layouts written by hand from the descriptions (not by
tests/samples/generate.py): each reads with every figure equal to its cell, with no config
or the one option `jctui inspect` proposes; a twin with one cell changed is refused."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import polars as pl
import pytest

from jctui.config.catalogue import default_config
from jctui.errors import SourceError
from jctui.model import Dataset
from jctui.session.load import load_dataset
from tests.samples.heldout_like.make import write

FILES = (
    "kennzahlen-kurz-juli-2018.csv",
    "kennzahlen-verordnung-201807.csv",
    "kennzahlen-vergleichstypen-2018-07.csv",
    "kennzahlen-komma.csv",
    "kennzahlen-juli-2018.xlsx",
    "eckwerte-zeitreihe-lang.csv",
    "eckwerte-zeitreihe-kurz.csv",
    "eckwerte-zeitreihe-slash.csv",
    "eckwerte-zeitreihe-iso.csv",
    "eckwerte-zeitreihe-datum.xlsx",
    "dl_48a_daten_statistikba_201807.csv",
    "ba-kreis-offenbach-juli-2018.csv",
    "ba-zeitreihe-offenbach.csv",
    "82000-01-01-4.csv",
    "82000-stag-ffcsv.csv",
    "82000-monat-ffcsv.csv",
    "regionalatlas.geojson",
    "regionalatlas-export.csv",
    "opendata-jahr-monat.csv",
    "opendata-yyyymm.csv",
    "kennzahlen-k3-monate-201807.csv",
    "kennzahlen-k1-betraege-201807.csv",
    "dl_48a_daten_wertart_201807.csv",
    "opendata-dezimalpunkt.csv",
    "82000-zwei-jahre.csv",
    "jc-eckwerte-t45108-0-202606-xlsx.xlsx",
    "kennzahlen-zeichen-201807.csv",
    "kennzahlen-mittel-dezimal-201807.csv",
    "kennzahlen-typ-anonymisiert-201807.csv",
    "zeitreihe-jahresmittel-spalte.csv",
    "kennzahlen-prozentformat.xlsx",
    "kennzahlen-nur-quote-prozentformat.xlsx",
    "zeitreihe-jahr-ueber-monaten.csv",
    "82000-jahre-als-spalten.csv",
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("heldout_like")
    write(out)
    return out


def _read(path: Path, options: dict[str, object] | None = None) -> Dataset:
    config = default_config().with_source(str(path))
    if options:
        src = dataclasses.replace(config.sources[0], **options)  # type: ignore[arg-type]
        config = dataclasses.replace(config, sources=(src,))
    return load_dataset(config, offline=True)


def _load(folder: Path, name: str) -> dict[str, object]:
    return dict(json.loads((folder / name).read_text(encoding="utf-8")))


def test_every_file_is_written_and_listed(folder: Path) -> None:
    assert sorted(_load(folder, "expected.json")) == sorted(FILES)


@pytest.mark.parametrize("name", FILES)
def test_each_file_reads_every_figure_as_its_cell(folder: Path, name: str) -> None:
    expected = _load(folder, "expected.json")[name]
    options = _load(folder, "options.json").get(name)
    dataset = _read(folder / name, options)  # type: ignore[arg-type]
    assert dataset.rejected.is_empty(), dataset.rejected.to_dicts()[:3]
    assert dataset.conflicts.is_empty()
    got = {
        (r["jobcenter_id"], str(r["period"])[:7], r["metric"]): r["value"]
        for r in dataset.values.iter_rows(named=True)
    }
    assert isinstance(expected, list)
    for jc, month, metric, value in expected:
        have = got.get((jc, month, metric))
        assert have is not None, (jc, month, metric)
        assert math.isclose(have, value, abs_tol=1e-9), (jc, month, metric, have, value)


def test_a_region_named_with_its_key_above_the_table_is_that_jobcenter(folder: Path) -> None:
    # "Jobcenter: 06438 Kreis Offenbach": the key is the id, the rest the name
    dataset = _read(folder / "eckwerte-zeitreihe-lang.csv")
    assert dataset.registry.select("jobcenter_id", "name").rows() == [("06438", "Kreis Offenbach")]


def test_a_sign_dot_in_a_time_series_is_no_decimal_point(folder: Path) -> None:
    dataset = _read(folder / "eckwerte-zeitreihe-kurz.csv")
    elb = dataset.values.filter(metric="elb").sort("period")
    assert all(v > 16_000 for v in elb.get_column("value"))  # never 16.091
    assert "2017-09-01" not in {str(p) for p in elb.get_column("period")}  # '.': not available


def test_a_jobcenter_column_of_keys_is_the_id_and_summe_its_aggregate(folder: Path) -> None:
    dataset = _read(folder / "opendata-jahr-monat.csv")
    assert set(dataset.registry.get_column("jobcenter_id")) == {"06438", "06413", "13075"}
    assert dataset.registry.filter(jobcenter_id="06413").get_column("name").item() == (
        "Offenbach am Main, Stadt, JC"
    )
    assert set(dataset.aggregates.get_column("name")) == {"Summe"}


def test_the_summe_row_that_is_not_the_sum_of_its_members_is_refused(folder: Path) -> None:
    path = folder / "opendata-jahr-monat.csv"
    twin = folder / "twin-opendata-jahr-monat.csv"
    twin.write_bytes(path.read_bytes().replace(b",Summe,57603,", b",Summe,57613,", 1))
    dataset = _read(twin)
    assert "subtotal" in " ".join(dataset.rejected.get_column("problem").to_list())


def test_months_as_excel_date_cells_are_months(folder: Path) -> None:
    dataset = _read(folder / "eckwerte-zeitreihe-datum.xlsx", {"jobcenter": "06438"})
    periods = sorted({str(p)[:7] for p in dataset.values.get_column("period")})
    assert periods == [f"2017-{m:02d}" for m in range(7, 13)] + [
        f"2018-{m:02d}" for m in range(1, 8)
    ]


def test_k3_levels_under_month_headers_are_numerator_and_year_earlier(folder: Path) -> None:
    path = folder / "kennzahlen-k3-monate-201807.csv"
    dataset = _read(path)
    lzb = dataset.values.filter(metric="long_term_recipients", jobcenter_id="06438")
    assert sorted((str(p), v) for p, v in lzb.select("period", "value").rows()) == [
        ("2017-07-01", 9549.0),
        ("2018-07-01", 9096.0),
    ]
    # the absolute change is never taken for K3 (it is read under its own label)
    k3 = dataset.values.filter(metric="k3_published", jobcenter_id="06438")
    assert k3.get_column("value").to_list() == [-4.7]
    twin = folder / "twin-kennzahlen-k3-monate-201807.csv"
    twin.write_bytes(path.read_bytes().replace(b";9.096;", b";9.196;", 1))
    problems = " ".join(_read(twin).rejected.get_column("problem").to_list())
    assert "cross-check K3" in problems


def test_the_parts_of_a_long_table_are_kept_apart_not_a_conflict(folder: Path) -> None:
    # "Wertart" Zähler / Nenner / Kennzahl: the figure's rows are the figures
    dataset = _read(folder / "dl_48a_daten_wertart_201807.csv")
    assert dataset.conflicts.is_empty()
    assert "Zähler" not in set(dataset.registry.get_column("name").drop_nulls())
    k2 = dict(dataset.values.filter(metric="k2_published").select("jobcenter_id", "value").rows())
    assert k2["06438"] == 19.8


def test_a_minus_sign_as_typeset_is_a_minus(folder: Path) -> None:
    # "−4,7" (U+2212) is minus 4.7, never refused and never 4.7
    dataset = _read(folder / "kennzahlen-zeichen-201807.csv")
    k3 = dict(dataset.values.filter(metric="k3_published").select("jobcenter_id", "value").rows())
    assert k3["06438"] == -4.7


def test_a_percentage_stored_as_its_fraction_is_read_as_shown(folder: Path) -> None:
    # 0.198 in a cell formatted "0.0%" is K2 = 19.8, never 0.198 (with K2's parts the
    # cross-check confirms it; without them nothing else could)
    for name in ("kennzahlen-prozentformat.xlsx", "kennzahlen-nur-quote-prozentformat.xlsx"):
        dataset = _read(folder / name)
        k2 = dict(
            dataset.values.filter(metric="k2_published").select("jobcenter_id", "value").rows()
        )
        assert k2 == {"06438": 19.8, "06413": 19.5, "13075": 21.9, "06432": 23.2, "09162": 27.7}


def test_a_plain_workbook_reads_a_percentage_as_shown(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "plain.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Daten")
    sheet.write_row(0, 0, ["jobcenter_id", "period", "metric", "value"])
    sheet.write_row(1, 0, ["06438", "2018-07", "k2_published"])
    sheet.write_number(1, 3, 0.198, book.add_format({"num_format": "0.0%"}))
    sheet.write_row(2, 0, ["06438", "2018-07", "elb", 16039])
    book.close()
    values = _read(path).values.sort("metric")
    assert values.select("metric", "value").rows() == [("elb", 16039.0), ("k2_published", 19.8)]


def test_a_percentage_is_found_by_its_cell_past_empty_rows_and_columns(tmp_path: Path) -> None:
    # the cells' formats are found by their position in the sheet: an empty column and an
    # empty row before them must not move the x100 onto another figure's cells
    import xlsxwriter

    path = tmp_path / "spaced.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Daten")
    pct = book.add_format({"num_format": "0.0%"})
    sheet.write_row(0, 0, ["jobcenter_id", "period", "metric"])
    sheet.write_row(0, 4, ["value"])  # column D left empty
    sheet.write_row(1, 0, ["06438", "2018-07", "k2_published"])
    sheet.write_number(1, 4, 0.198, pct)
    sheet.write_row(3, 0, ["06438", "2018-07", "elb"])  # row 3 left empty
    sheet.write_number(3, 4, 16039)
    sheet.write_row(4, 0, ["06438", "2018-07", "long_term_recipients"])
    sheet.write_number(4, 4, 91)
    book.close()
    values = _read(path).values.sort("metric")
    assert values.select("metric", "value").rows() == [
        ("elb", 16039.0),
        ("k2_published", 19.8),
        ("long_term_recipients", 91.0),
    ]


def test_the_twin_with_a_changed_numerator_is_refused(folder: Path) -> None:
    source = folder / "kennzahlen-mittel-dezimal-201807.csv"
    twin = folder / "twin-kennzahlen-mittel-dezimal-201807.csv"
    twin.write_bytes(source.read_bytes().replace(b";4.236;", b";4.336;", 1))
    problems = " ".join(_read(twin).rejected.get_column("problem").to_list())
    assert "cross-check K2 = numerator / denominator x 100 failed: 4336 / 21394.3" in problems


def test_a_share_read_a_thousand_times_too_large_is_refused_with_the_option(
    tmp_path: Path,
) -> None:
    # ';' says decimal comma, so '7.125' alone would be 7125 %: a share is never above 100
    path = tmp_path / "quote.csv"
    path.write_text(
        "Jahr;Kennziffer;Raumeinheit;SGB II-Quote\n2017;06438;Offenbach;7.125\n"
        "2017;06413;Offenbach am Main;16.610\n",
        encoding="utf-8",
    )
    dataset = _read(path)
    assert dataset.values.is_empty()
    assert dataset.rejected.get_column("problem").to_list() == [
        "06438 2017-12: cross-check a share in % within 0-100 failed: 7125",
        "06413 2017-12: cross-check a share in % within 0-100 failed: 16610",
    ]
    from jctui.config.catalogue import default_metrics
    from jctui.readers.published.inspection import inspect_bytes

    src = default_config().with_source(str(path)).sources[0]
    found = inspect_bytes(path.read_bytes(), "csv", src, default_metrics(), str(path), None)
    assert found.option.startswith('decimal = "."')
    right = _read(path, {"decimal": "."}).values
    assert dict(right.select("jobcenter_id", "value").rows()) == {"06438": 7.125, "06413": 16.61}


def test_a_count_read_as_a_decimal_is_refused_with_the_option(tmp_path: Path) -> None:
    # ',' separated, German thousands marks: '16.039' alone would be 16.039 people
    path = tmp_path / "elb.csv"
    path.write_text(
        'Jahr,Monat,AGS,Kreis,ELB\n2018,7,06438,Offenbach,"16.039"\n'
        '2018,7,06413,"Offenbach am Main, Stadt","21.394"\n',
        encoding="utf-8",
    )
    dataset = _read(path)
    assert dataset.values.filter(metric="elb").is_empty()
    assert dataset.rejected.get_column("problem").to_list() == [
        "06438 2018-07: cross-check a count is a whole number failed: 16.039",
        "06413 2018-07: cross-check a count is a whole number failed: 21.394",
    ]
    right = _read(path, {"decimal": ","}).values.filter(metric="elb")
    assert dict(right.select("jobcenter_id", "value").rows()) == {"06438": 16039, "06413": 21394}


def test_a_labelled_row_with_several_value_columns_is_never_guessed(tmp_path: Path) -> None:
    # two columns of values and no month, SGB II or total header: which one is it?
    path = tmp_path / "region.csv"
    path.write_text(
        "Kreis:;Offenbach\nBerichtsmonat:;Juli 2018\n\nMerkmal;Spalte A;Spalte B\n"
        "Erwerbsfähige Leistungsberechtigte;16.100;16.090\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="no column matches a metric"):
        _read(path, {"jobcenter": "06438"})
    total = tmp_path / "total.csv"
    total.write_text(
        "Kreis:;Offenbach\nBerichtsmonat:;Juli 2018\n\nMerkmal;Insgesamt;Männer;Frauen\n"
        "Erwerbsfähige Leistungsberechtigte;16.100;8.090;8.010\n",
        encoding="utf-8",
    )
    values = _read(total, {"jobcenter": "06438"}).values
    assert values.select("jobcenter_id", "metric", "value").rows() == [("06438", "elb", 16100.0)]


def test_a_type_written_with_a_blank_is_the_type_its_heading_names(tmp_path: Path) -> None:
    # "SGB II-Vergleichstyp" cells "II b" under a heading "Vergleichstyp IIb: ...": one type,
    # so the subtotal is checked against its members (a changed member is refused)
    table = (
        "Kennzahlen nach § 48a SGB II;;;;;;\nBerichtsmonat: Juli 2018;;;;;;\n;;;;;;\n"
        "Nr.;Jobcenter;SGB II-Vergleichstyp;K2 - Integrationsquote;;;\n"
        ";;;Zähler;Nenner;in %;\n"
        "Vergleichstyp IIb: Städte und Kreise;;;;;;\n"
        "06438;Kreis Offenbach;II b;4.236;21.394;19,8;\n"
        "06432;Darmstadt-Dieburg;II b;2.790;12.010;23,2;\n"
        "Summe Vergleichstyp IIb;;;7.026;33.404;21,0;\n"
        "Vergleichstyp IIIa: Städte;;;;;;\n"
        "06413;Offenbach am Main, Stadt;III a;3.120;16.039;19,5;\n"
        "Summe Vergleichstyp IIIa;;;3.120;16.039;19,5;\n"
        "Insgesamt;;;10.146;49.443;20,5;\n;;;;;;\n"
        "Quelle: Statistik der Bundesagentur für Arbeit;;;;;;\n"
    )
    path = tmp_path / "typen.csv"
    path.write_text(table, encoding="cp1252")
    dataset = _read(path)
    assert dataset.rejected.is_empty()
    types = dict(dataset.registry.select("jobcenter_id", "comparison_type").rows())
    assert types == {"06438": "IIb", "06432": "IIb", "06413": "IIIa"}
    assert set(dataset.aggregates.get_column("name")) == {
        "Summe Vergleichstyp IIb", "Summe Vergleichstyp IIIa", "Insgesamt"
    }  # fmt: skip
    twin = tmp_path / "twin-typen.csv"
    twin.write_text(table.replace(";2.790;12.010;23,2;", ";2.890;12.440;23,2;"), encoding="cp1252")
    problems = " ".join(_read(twin).rejected.get_column("problem").to_list())
    assert "subtotal" in problems


def test_k2_insgesamt_under_its_group_is_k2_the_sexes_figures_of_their_own(
    tmp_path: Path,
) -> None:
    path = tmp_path / "k2.csv"
    path.write_text(
        "Kennzahlen nach § 48a SGB II;;;;;\nBerichtsmonat: Juli 2018;;;;;\n;;;;;\n"
        "Nr.;Jobcenter;K2 - Integrationsquote in %;;;\n;;insgesamt;Männer;Frauen;\n"
        "06438;Kreis Offenbach;19,8;21,0;18,5;\n06413;Offenbach am Main, Stadt;19,5;20,1;18,8;\n",
        encoding="utf-8",
    )
    values = _read(path).values
    k2 = dict(values.filter(metric="k2_published").select("jobcenter_id", "value").rows())
    assert k2 == {"06438": 19.8, "06413": 19.5}
    men = values.filter(pl.col("metric").str.ends_with("maenner"))
    assert dict(men.select("jobcenter_id", "value").rows()) == {"06438": 21.0, "06413": 20.1}


def test_a_share_named_in_the_title_is_never_read_as_the_count_it_names(tmp_path: Path) -> None:
    # "Anteil der Langzeitleistungsbezieher an den ELB in %": whole-number cells would have
    # passed every check as LZB counts of 56 and 44 people
    path = tmp_path / "anteil.csv"
    path.write_text(
        "Anteil der Langzeitleistungsbezieher an den erwerbsfähigen Leistungsberechtigten"
        " in %;;;\n;;;\nNr.;Jobcenter;Juni 2018;Juli 2018\n06438;Kreis Offenbach;56;56\n"
        "06413;Offenbach am Main, Stadt;44;44\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="no column matches a metric"):
        _read(path)
    counts = tmp_path / "lzb.csv"
    counts.write_text(
        "Langzeitleistungsbezieher je Jobcenter;;;\n;;;\nNr.;Jobcenter;Juni 2018;Juli 2018\n"
        "06438;Kreis Offenbach;9.008;9.001\n",
        encoding="utf-8",
    )
    values = _read(counts).values.sort("period")
    assert values.select("metric", "value").rows() == [
        ("long_term_recipients", 9008.0),
        ("long_term_recipients", 9001.0),
    ]


def test_k3_month_headers_other_than_the_report_month_stay_unread(folder: Path) -> None:
    # the file name says August, the headers July: the levels are not put in August
    source = (folder / "kennzahlen-k3-monate-201807.csv").read_bytes()
    twin = folder / "kennzahlen-k3-monate-201808.csv"
    twin.write_bytes(source.replace(b"Berichtsmonat: Juli 2018", b"Vergleich der Jobcenter"))
    dataset = _read(twin)
    assert dataset.values.filter(metric="long_term_recipients").is_empty()


def test_a_second_key_column_is_no_figure(tmp_path: Path) -> None:
    # "Nr." (the BA number) is the id; "Regionalschlüssel" beside it is a key, not a figure
    path = tmp_path / "kennzahlen-201807.csv"
    path.write_text(
        "Berichtsmonat: Juli 2018;;;\n;;;\nNr.;Regionalschlüssel;Jobcenter;K2 Integrationsquote\n"
        "45108;06438;Offenbach, JC;19,8\n45148;06413;Offenbach am Main, Stadt, JC;19,5\n",
        encoding="utf-8",
    )
    values = _read(path).values
    assert set(values.get_column("metric")) == {"k2_published"}
    assert dict(values.select("jobcenter_id", "value").rows()) == {"45108": 19.8, "45148": 19.5}


def test_years_as_columns_are_year_ends_only_where_the_title_says_so(tmp_path: Path) -> None:
    # "Stichtag 31.12." in the title: each year's December; a title that says the columns
    # are yearly means must not put the means into December as if they were its stock
    from tests.samples.heldout_like.more import genesis_years_as_columns

    data, _ = genesis_years_as_columns()
    stichtag = tmp_path / "stichtag.csv"
    stichtag.write_bytes(data)
    elb = _read(stichtag).values.filter(jobcenter_id="06438").sort("period")
    assert elb.get_column("value").to_list() == [15800, 15950, 16039]
    means = tmp_path / "jahresdurchschnitt.csv"
    means.write_bytes(data.replace(b"Stichtag 31.12.", b"Jahresdurchschnitt"))
    with pytest.raises(SourceError, match="no column matches a metric"):
        _read(means)


@pytest.mark.parametrize("written", ["06438000", "6438000"])
def test_a_kreis_written_as_its_municipality_key_is_its_five_digit_key(
    tmp_path: Path, written: str
) -> None:
    # open-data portals write Kreise as eight-digit AGS (a spreadsheet drops the zero)
    path = tmp_path / "opendata-ags.csv"
    path.write_text(
        "Jahr;Monat;AGS;Name;Erwerbsfähige Leistungsberechtigte\n"
        f"2018;7;{written};Kreis Offenbach;16.039\n2018;7;06413000;Offenbach am Main;21.394\n",
        encoding="utf-8",
    )
    values = _read(path).values.sort("jobcenter_id")
    assert values.select("jobcenter_id", "value").rows() == [("06413", 21394), ("06438", 16039)]


def test_municipality_keys_of_towns_are_not_cut_to_a_kreis(tmp_path: Path) -> None:
    # "06438001" is a town of the Kreis, not the Kreis: such a column keeps its keys
    path = tmp_path / "opendata-gemeinden.csv"
    path.write_text(
        "Jahr;Monat;AGS;Name;Erwerbsfähige Leistungsberechtigte\n"
        "2018;7;06438000;Kreis Offenbach;16.039\n2018;7;06438001;Dietzenbach;2.100\n",
        encoding="utf-8",
    )
    ids = set(_read(path).values.get_column("jobcenter_id").to_list())
    assert ids == {"06438000", "06438001"}
