"""Readers: bytes of every supported format and layout -> the canonical model.

What a user checks: the figures in the file arrive as numbers for the right Jobcenter,
month and metric; bad rows are reported with line, column, value and problem while the good
rows are kept; duplicates are reported; unreadable files give one clear line.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jctui.config import SourceDef, default_metrics
from jctui.errors import MissingExtraError, SourceError
from jctui.model import CONFLICT_SCHEMA, REGISTRY_SCHEMA, REJECTED_SCHEMA, VALUE_SCHEMA
from jctui.readers import ReadResult, read_bytes
from jctui.readers.base import format_from_hint, sniff_format

DATA = Path(__file__).parents[1] / "data" / "readers"
CATALOGUE = default_metrics()
GERMAN_COLUMNS = {
    "jobcenter_id": "Jobcenter",
    "period": "Monat",
    "metric": "Kennzahl",
    "value": "Wert",
}


def read(
    data: bytes | str, origin: str = "x.csv", format_hint: str = "", **source: Any
) -> ReadResult:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    result = read_bytes(
        raw,
        SourceDef(name="test", path=origin, **source),
        catalogue=CATALOGUE,
        origin=origin,
        format_hint=format_hint,
    )
    assert_schemas(result)
    return result


def assert_schemas(result: ReadResult) -> None:
    assert dict(result.values.schema) == VALUE_SCHEMA
    assert dict(result.registry.schema) == REGISTRY_SCHEMA
    assert dict(result.rejected.schema) == REJECTED_SCHEMA
    assert dict(result.conflicts.schema) == CONFLICT_SCHEMA


def value_of(result: ReadResult, jobcenter: str, period: dt.date, metric: str) -> float:
    hit = result.values.filter(
        (pl.col("jobcenter_id") == jobcenter)
        & (pl.col("period") == period)
        & (pl.col("metric") == metric)
    )
    assert hit.height == 1, hit
    return float(hit.item(0, "value"))


def rejected_rows(result: ReadResult) -> list[tuple[int, str, str, str]]:
    return [
        (r["line"], r["column"], r["value"], r["problem"])
        for r in result.rejected.iter_rows(named=True)
    ]


JULY = dt.date(2018, 7, 1)
CANONICAL_CSV = (
    "jobcenter_id,period,metric,value\n"
    "06438,2018-07,integrations,361\n"
    "06438,2018-07,elb,9096.5\n"
    "06531,2018-08,integrations,120\n"
)


# ---------------------------------------------------------------- CSV


def test_canonical_csv_reads_every_row() -> None:
    result = read(CANONICAL_CSV)
    assert result.values.height == 3
    assert value_of(result, "06438", JULY, "integrations") == 361
    assert value_of(result, "06438", JULY, "elb") == 9096.5
    assert value_of(result, "06531", dt.date(2018, 8, 1), "integrations") == 120
    assert result.rejected.is_empty()
    assert result.conflicts.is_empty()
    assert result.registry.is_empty()


def test_german_cp1252_csv_with_umlauts_thousands_dot_and_decimal_comma() -> None:
    data = (DATA / "german_long_cp1252.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is Windows-1252
    result = read(data, columns=GERMAN_COLUMNS)
    assert "cp1252" in result.details
    assert value_of(result, "06438", dt.date(2017, 7, 1), "integrations") == 4236
    assert value_of(result, "06531", dt.date(2018, 3, 1), "integrations") == 7.9
    # month-end dates of monthly data map to the first day of the month
    assert value_of(result, "05962", JULY, "elb") == 12345
    assert value_of(result, "05962", dt.date(2018, 8, 1), "elb") == 12301
    names = dict(result.registry.select("jobcenter_id", "name").iter_rows())
    assert names["06531"] == "Landkreis Gießen"
    assert names["05962"] == "Märkischer Kreis"
    assert result.rejected.is_empty()


def test_encoding_override_and_utf8_bom() -> None:
    text = "jobcenter_id;period;metric;value\n1;2018-07;integrations;1.234\n"
    bom = read(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert value_of(bom, "1", JULY, "integrations") == 1234
    latin = "jobcenter_id;name;period;metric;value\nÄ1;Köln;2018-07;integrations;5\n".encode(
        "cp1252"
    )
    forced = read(latin, encoding="latin-1")
    assert forced.registry.item(0, "name") == "Köln"
    assert value_of(forced, "Ä1", JULY, "integrations") == 5


def test_cp1252_specific_characters_are_kept() -> None:
    data = "jobcenter_id;name;period;metric;value\n1;Kreis „Süd“ – 5 €;2018-07;elb;5\n"
    result = read(data.encode("cp1252"))
    assert result.registry.item(0, "name") == "Kreis „Süd“ – 5 €"


def test_utf16_csv_with_bom() -> None:
    data = "jobcenter_id\tperiod\tmetric\tvalue\n1\t2018-07\telb\t3\n".encode("utf-16")
    assert value_of(read(data), "1", JULY, "elb") == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-07", JULY),
        ("07/2018", JULY),
        ("7/2018", JULY),
        ("07.2018", JULY),
        ("201807", JULY),
        ("2018/07", JULY),
        ("Jul 2018", JULY),
        ("Juli 2018", JULY),
        ("July 2018", JULY),
        ("Mär 2018", dt.date(2018, 3, 1)),
        ("März 2018", dt.date(2018, 3, 1)),
        ("Mar 2018", dt.date(2018, 3, 1)),
        ("Okt 2018", dt.date(2018, 10, 1)),
        ("Oct. 2018", dt.date(2018, 10, 1)),
        ("Dez 2018", dt.date(2018, 12, 1)),
        ("Mai 2018", dt.date(2018, 5, 1)),
        ("31.07.2018", JULY),
        ("2018-07-31", JULY),
        ("2018-07-31T00:00:00", JULY),
    ],
)
def test_month_formats(text: str, expected: dt.date) -> None:
    result = read(f"jobcenter_id;period;metric;value\n1;{text};elb;5\n")
    assert result.values.get_column("period").to_list() == [expected], result.rejected


def test_daily_data_keeps_full_dates() -> None:
    data = (
        "jobcenter_id,period,metric,value\n"
        "1,2018-07-30,integrations,3\n"
        "1,2018-07-31,integrations,4\n"
        "1,2018-08-01,integrations,5\n"
    )
    result = read(data)
    assert result.values.get_column("period").to_list() == [
        dt.date(2018, 7, 30),
        dt.date(2018, 7, 31),
        dt.date(2018, 8, 1),
    ]
    assert result.conflicts.is_empty()


def test_decimal_detection_per_file() -> None:
    # comma separator, English numbers: "4,236" is four thousand, "7.9" a decimal
    english = read('jobcenter_id,period,metric,value\n1,2018-07,elb,"4,236"\n1,2018-08,elb,7.9\n')
    assert english.values.get_column("value").to_list() == [4236, 7.9]
    # semicolon separator, only thousands: "4.236" is four thousand
    german = read(
        "jobcenter_id;period;metric;value\n1;2018-07;elb;4.236\n1;2018-08;elb;-1.000.000\n"
    )
    assert german.values.get_column("value").to_list() == [4236, -1_000_000]
    # the configured decimal mark wins
    forced = read("jobcenter_id;period;metric;value\n1;2018-07;elb;4.236\n", decimal=".")
    assert forced.values.get_column("value").to_list() == [4.236]


def test_separator_override_and_tab() -> None:
    tsv = read("jobcenter_id\tperiod\tmetric\tvalue\n1\t2018-07\telb\t3,5\n", decimal=",")
    assert tsv.values.get_column("value").to_list() == [3.5]
    piped = read("jobcenter_id|period|metric|value\n1|2018-07|elb|3\n", separator="|")
    assert piped.values.height == 1


def test_bad_rows_are_rejected_with_line_column_value_and_problem() -> None:
    data = (
        "Jobcenter;Monat;Kennzahl;Wert\n"  # line 1
        "1;2018-07;integrations;10\n"  # 2 good
        "1;2018-13;integrations;10\n"  # 3 bad month
        ";2018-08;integrations;10\n"  # 4 missing id
        "1;2018-09;Zaubertricks;10\n"  # 5 unknown metric
        "1;2018-10;integrations;zehn\n"  # 6 not a number
        "1;2018-11;integrations;\n"  # 7 missing value
        "1;;integrations;5\n"  # 8 missing period
        "1;2018-12;integrations;1;2\n"  # 9 too many fields
        "1;2019-01;elb;7\n"  # 10 good
    )
    result = read(data, columns=GERMAN_COLUMNS)
    assert rejected_rows(result) == [
        (3, "Monat", "2018-13", "not a date"),
        (4, "Jobcenter", "", "missing jobcenter_id"),
        (5, "Kennzahl", "Zaubertricks", "unknown metric"),
        (6, "Wert", "zehn", "not a number"),
        (7, "Wert", "", "missing value"),
        (8, "Monat", "", "missing period"),
        (9, "", "2", "too many fields (header has 4; quote fields that contain ';')"),
    ]
    assert set(result.rejected.get_column("source")) == {"x.csv"}
    assert result.values.height == 2  # the good rows are kept
    assert value_of(result, "1", dt.date(2019, 1, 1), "elb") == 7


def test_rows_with_too_few_fields_are_rejected_not_filled_with_nulls() -> None:
    data = (
        "jobcenter_id;period;metric;value;name\n"
        "1;2018-07;elb;5;A\n"  # 2
        "2;2018-07;elb\n"  # 3: value and name missing
        "3;2018-07;elb;7;\n"  # 4: empty name, but every field is there
        "\n"  # 5: blank, skipped
        "4;2018-07;elb;8;D\n"  # 6
    )
    result = read(data)
    assert rejected_rows(result) == [(3, "", "2;2018-07;elb", "too few fields (header has 5)")]
    assert value_of(result, "3", JULY, "elb") == 7
    assert value_of(result, "4", JULY, "elb") == 8


def test_a_file_cut_off_in_the_middle_of_a_row_is_refused_whole() -> None:
    data = "jobcenter_id,period,metric,value,name\n1,2018-07,elb,5,A\n2,2018-07,elb,1"
    with pytest.raises(SourceError, match=r"x.csv: line 3: the file ends in the middle of a row"):
        read(data)
    complete = "jobcenter_id,period,metric,value,name\n1,2018-07,elb,5,A\n2,2018-07,elb,6,B"
    assert value_of(read(complete), "2", JULY, "elb") == 6  # no final newline is fine


def test_line_numbers_count_physical_lines_of_quoted_multiline_fields() -> None:
    data = (
        "jobcenter_id;name;period;metric;value\n"
        '1;"Kreis\nOffenbach";2018-07;elb;5\n'  # lines 2-3
        "\n"  # line 4: blank
        "2;B;2018-07;elb;many\n"  # line 5
    )
    result = read(data)
    assert rejected_rows(result) == [(5, "value", "many", "not a number")]
    assert (
        result.registry.filter(pl.col("jobcenter_id") == "1").item(0, "name") == "Kreis\nOffenbach"
    )


def test_duplicates_keep_last_and_are_reported() -> None:
    data = (
        "jobcenter_id,period,metric,value\n"
        "1,2018-07,elb,5\n"  # 2
        "1,2018-07,elb,6\n"  # 3 conflict
        "2,2018-07,elb,7\n"  # 4
        "2,2018-07,elb,7\n"  # 5 identical duplicate
        "1,2018-07,elb,8\n"  # 6 conflict again, last wins
    )
    result = read(data)
    assert value_of(result, "1", JULY, "elb") == 8
    assert value_of(result, "2", JULY, "elb") == 7
    conflicts = {
        r["jobcenter_id"]: (r["values"], r["lines"]) for r in result.conflicts.iter_rows(named=True)
    }
    assert conflicts == {"1": ([5.0, 6.0, 8.0], [2, 3, 6]), "2": ([7.0, 7.0], [4, 5])}
    assert set(result.conflicts.get_column("source")) == {"x.csv"}


def test_wide_file_with_german_headers_mapped_by_config() -> None:
    result = read(
        (DATA / "german_wide_cp1252.csv").read_bytes(),
        layout="wide",
        columns={"jobcenter_id": "Jobcenter", "period": "Monat"},
        metrics={"Integrationen": "integrations", "ELB-Bestand": "elb"},
    )
    assert value_of(result, "06438", JULY, "integrations") == 361
    assert value_of(result, "06438", JULY, "elb") == 9096
    assert value_of(result, "06438", dt.date(2018, 8, 1), "elb") == 9050
    assert value_of(result, "06531", JULY, "elb") == 4100
    # the empty cell is a gap, not an error; "Bemerkung" is not a metric
    assert result.values.height == 5
    assert result.rejected.is_empty()


def test_wide_file_with_catalogue_keys_as_headers_and_bad_cell() -> None:
    data = "jobcenter_id,period,integrations,elb,note\n1,2018-07,5,100,x\n1,2018-08,six,101,y\n"
    result = read(data, layout="wide")
    assert rejected_rows(result) == [(3, "integrations", "six", "not a number")]
    assert value_of(result, "1", dt.date(2018, 8, 1), "elb") == 101
    assert result.values.height == 3


def test_wide_file_without_metric_columns_is_a_source_error() -> None:
    with pytest.raises(SourceError, match=r"^x\.csv: no metric columns in wide layout"):
        read("jobcenter_id,period,a,b\n1,2018-07,1,2\n", layout="wide")


def test_long_metric_labels_from_config_and_catalogue() -> None:
    data = "jobcenter_id;period;metric;value\n1;2018-07;Integrationen;5\n1;2018-07;IFG;6\n1;2018-07;Integrations;7\n"
    result = read(data, metrics={"IFG": "elb"})
    assert value_of(result, "1", JULY, "elb") == 6
    # both German and English catalogue labels name the same metric: a duplicate key
    assert value_of(result, "1", JULY, "integrations") == 7
    assert result.conflicts.height == 1


def test_missing_column_names_file_and_found_columns() -> None:
    with pytest.raises(SourceError) as err:
        read("a,b,c\n1,2,3\n")
    assert str(err.value) == "x.csv: missing column 'jobcenter_id' (found: a, b, c)"
    with pytest.raises(
        SourceError, match=r"missing column 'Monat' \(found: Jobcenter, Periode, Kennzahl, Wert\)"
    ):
        read("Jobcenter,Periode,Kennzahl,Wert\n1,2018-07,elb,1\n", columns=GERMAN_COLUMNS)


def test_inline_registry_is_extracted_one_row_per_jobcenter() -> None:
    data = (
        "jobcenter_id;name;state;carrier;comparison_type;inhabitants;period;metric;value\n"
        "06438;Kreis Offenbach;HE;zkT;IIa;354.092;2018-07;elb;1\n"
        "06438;Kreis Offenbach;HE;zkT;IIa;354.092;2018-08;elb;2\n"
        "05962;Märkischer Kreis;NW;ZKT;IIb;;2018-07;elb;3\n"
    )
    result = read(data)
    registry = result.registry.sort("jobcenter_id")
    assert registry.height == 2
    assert registry.row(1, named=True) == {
        "jobcenter_id": "06438",
        "name": "Kreis Offenbach",
        "state": "HE",
        "carrier": "zkT",
        "comparison_type": "IIa",
        "inhabitants": 354092.0,
    }
    assert registry.row(0, named=True)["carrier"] == "zkT"
    assert registry.row(0, named=True)["inhabitants"] is None
    assert result.values.height == 3


def test_registry_only_file() -> None:
    data = (
        "Kennung,Name,Land,Träger,Typ,Einwohner\n"
        "06438,Kreis Offenbach,HE,zkT,IIa,354092\n"
        "06531,Landkreis Gießen,HE,gE,IIb,viele\n"
        ",Ohne Kennung,HE,gE,IIb,1\n"
        "05962,Märkischer Kreis,NW,Amt,IIb,400000\n"
    )
    result = read(
        data,
        role="registry",
        columns={
            "jobcenter_id": "Kennung",
            "name": "Name",
            "state": "Land",
            "carrier": "Träger",
            "comparison_type": "Typ",
            "inhabitants": "Einwohner",
        },
    )
    assert result.values.is_empty()
    registry = {r["jobcenter_id"]: r for r in result.registry.iter_rows(named=True)}
    assert set(registry) == {"06438", "06531", "05962"}
    assert registry["06438"]["inhabitants"] == 354092
    assert registry["06531"]["name"] == "Landkreis Gießen"
    assert registry["06531"]["inhabitants"] is None  # bad cell reported, row kept
    assert registry["05962"]["carrier"] is None
    assert rejected_rows(result) == [
        (3, "Einwohner", "viele", "not a number"),
        (4, "Kennung", "", "missing jobcenter_id"),
        (5, "Träger", "Amt", "unknown carrier (expected zkT or gE)"),
    ]


def test_registry_file_repeating_an_id_with_other_details_is_reported() -> None:
    data = (
        "jobcenter_id,name,state\n"
        "06438,Kreis Offenbach,HE\n"  # 2: differs from line 4
        "06412,Frankfurt am Main,HE\n"  # 3
        "06438,Kreis Offenbach (alt),HE\n"  # 4: wins
        "06412,Frankfurt am Main,HE\n"  # 5: identical repeat, harmless
    )
    result = read(data, role="registry")
    names = dict(result.registry.select("jobcenter_id", "name").iter_rows())
    assert names == {"06438": "Kreis Offenbach (alt)", "06412": "Frankfurt am Main"}
    assert rejected_rows(result) == [
        (
            2,
            "jobcenter_id",
            "06438",
            "jobcenter_id repeated with other details (merged: line 4 wins where it has a value)",
        )
    ]


def test_registry_file_needs_a_name_column() -> None:
    with pytest.raises(SourceError, match="missing column 'name'"):
        read("jobcenter_id,state\n1,HE\n", role="registry")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.csv: empty file"),
        (b"\x00\x01\x02\x03binary\x00", "x.csv: not a CSV/JSON/Parquet file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "x.csv: not a CSV/JSON/Parquet file"),
    ],
)
def test_unreadable_csv_is_one_line_source_error(data: bytes, message: str) -> None:
    with pytest.raises(SourceError) as err:
        read(data)
    assert str(err.value) == message
    assert "\n" not in str(err.value)


def test_unknown_encoding_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="unknown encoding 'klingon'"):
        read(CANONICAL_CSV, encoding="klingon")


# ---------------------------------------------------------------- format choice


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("csv", "csv"),
        ("text/csv; charset=utf-8", "csv"),
        ("json", "json"),
        ("application/json", "json"),
        ("application/x-ndjson", "ndjson"),
        ("jsonl", "ndjson"),
        ("parquet", "parquet"),
        ("xlsx", "xlsx"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("application/octet-stream", ""),
        ("", ""),
    ],
)
def test_format_from_hint(hint: str, expected: str) -> None:
    assert format_from_hint(hint) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"PAR1....", "parquet"),
        (b"PK\x03\x04....", "xlsx"),
        (b'  [{"a": 1}]', "json"),
        (b'{"data": {"items": []}}', "json"),
        (b'{"a": 1}\n{"a": 2}\n', "ndjson"),
        (b"a;b\n1;2\n", "csv"),
    ],
)
def test_sniff_format(head: bytes, expected: str) -> None:
    assert sniff_format(head) == expected


def test_source_format_wins_over_hint_and_hint_over_sniffing() -> None:
    records = json.dumps([{"jobcenter_id": "1", "period": "2018-07", "metric": "elb", "value": 5}])
    assert read(records, format_hint="json").format == "json"
    assert read(records, format_hint="application/octet-stream").format == "json"  # sniffed
    with pytest.raises(SourceError):  # configured as CSV: read as CSV, which fails
        read(records, format="csv")


# ---------------------------------------------------------------- JSON / NDJSON


def test_json_array_of_records() -> None:
    data = json.dumps(
        [
            {"jobcenter_id": "1", "period": "2018-07", "metric": "elb", "value": 5},
            {
                "jobcenter_id": 2,
                "period": "Juli 2018",
                "metric": "integrations",
                "value": "1.234,5",
            },
            {"jobcenter_id": "3", "period": "2018-07", "metric": "elb", "value": "viel"},
            [1, 2],
        ]
    )
    result = read(data, origin="x.json", format_hint="json", decimal=",")
    assert value_of(result, "1", JULY, "elb") == 5
    assert value_of(result, "2", JULY, "integrations") == 1234.5
    # JSON lines are record index + 1
    assert rejected_rows(result) == [
        (3, "value", "viel", "not a number"),
        (4, "", "[1, 2]", "record is not a JSON object"),
    ]


def test_json_records_path() -> None:
    body = {
        "meta": {"count": 1},
        "data": {"items": [{"jc": "1", "month": "2018-07", "metric": "elb", "value": 9.5}]},
    }
    result = read(
        json.dumps(body),
        origin="https://api.example/x",
        format_hint="application/json",
        records_path="data.items",
        columns={"jobcenter_id": "jc", "period": "month"},
    )
    assert value_of(result, "1", JULY, "elb") == 9.5
    with pytest.raises(SourceError, match=r"records_path 'data\.rows': no key 'data\.rows'"):
        read(json.dumps(body), format_hint="json", records_path="data.rows")
    with pytest.raises(SourceError, match=r"not an array of records; set records_path"):
        read(json.dumps({"items": []}), format_hint="json")


def test_invalid_json_names_the_line() -> None:
    with pytest.raises(SourceError) as err:
        read('[\n{"a": 1},\n{"a": }\n]', origin="x.json", format_hint="json")
    assert str(err.value).startswith("x.json: invalid JSON at line 3 ")


def test_ndjson_bad_line_is_rejected_good_lines_kept() -> None:
    lines = [
        {"jobcenter_id": "1", "period": "2018-07", "metric": "elb", "value": 5},
        {"jobcenter_id": "1", "period": "2018-08", "metric": "elb", "value": 6},
    ]
    data = json.dumps(lines[0]) + "\n\n{broken\n" + json.dumps(lines[1]) + "\n"
    result = read(data, origin="x.ndjson", format_hint="ndjson")
    assert result.values.get_column("value").to_list() == [5, 6]
    assert [(r[0], r[3][:12]) for r in rejected_rows(result)] == [(3, "invalid JSON")]


# ---------------------------------------------------------------- Parquet / Excel


def canonical_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "jobcenter_id": ["06438", "06438", "06531"],
            "period": [JULY, dt.date(2018, 8, 1), JULY],
            "metric": ["integrations", "integrations", "elb"],
            "value": [361, 340, 4100],
            "name": ["Kreis Offenbach", "Kreis Offenbach", "Landkreis Gießen"],
        }
    )


def test_parquet_round_trip() -> None:
    buf = io.BytesIO()
    canonical_frame().write_parquet(buf)
    result = read(buf.getvalue(), origin="x.parquet")
    assert result.format == "parquet"
    assert value_of(result, "06438", dt.date(2018, 8, 1), "integrations") == 340
    assert result.registry.height == 2


def test_truncated_parquet_is_a_source_error() -> None:
    buf = io.BytesIO()
    canonical_frame().write_parquet(buf)
    with pytest.raises(SourceError, match=r"^x\.parquet: invalid Parquet file"):
        read(buf.getvalue()[:200], origin="x.parquet")


def test_excel_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "kennzahlen.xlsx"
    frame = canonical_frame().rename(
        {"jobcenter_id": "Jobcenter", "period": "Monat", "metric": "Kennzahl", "value": "Wert"}
    )
    frame.write_excel(path, worksheet="Daten")
    result = read(path.read_bytes(), origin=str(path), format_hint="xlsx", columns=GERMAN_COLUMNS)
    assert result.format == "xlsx"
    assert value_of(result, "06531", JULY, "elb") == 4100
    assert value_of(result, "06438", dt.date(2018, 8, 1), "integrations") == 340
    named = read(path.read_bytes(), format_hint="xlsx", sheet="Daten", columns=GERMAN_COLUMNS)
    assert named.values.height == 3
    with pytest.raises(SourceError, match="Nope"):
        read(path.read_bytes(), format_hint="xlsx", sheet="Nope", columns=GERMAN_COLUMNS)


def test_excel_without_fastexcel_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastexcel", None)  # `import fastexcel` now fails
    with pytest.raises(MissingExtraError) as err:
        read(b"PK\x03\x04rest", origin="x.xlsx", format_hint="xlsx")
    assert str(err.value) == (
        "x.xlsx: reading Excel files needs the optional extra 'excel': pip install 'jctui[excel]'"
    )
    assert err.value.exit_code == 2


def test_not_an_xlsx_is_a_source_error() -> None:
    with pytest.raises(SourceError, match=r"^x\.xlsx: not an Excel \.xlsx file"):
        read(b"hello", origin="x.xlsx", format_hint="xlsx")
    with pytest.raises(SourceError, match="cannot read Excel workbook"):
        read(b"PK\x03\x04garbage", origin="x.xlsx", format_hint="xlsx")
