"""Reading the figures as they are published (Statistik der BA, BMAS, GENESIS).

What a user checks: a file downloaded from the publisher, unedited, gives the figures of the
right Jobcenter, month and metric; signs are missing values (not bad rows), dashes are 0;
ids keep their leading zeros; aggregates are never Jobcenters.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from jctui.config import SourceDef, default_metrics
from jctui.readers import ReadResult, read_bytes

CATALOGUE = default_metrics()
JULY = dt.date(2018, 7, 1)


def read(data: bytes | str, origin: str = "x.csv", **source: object) -> ReadResult:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read_bytes(
        raw,
        SourceDef(name="test", path=origin, **source),  # type: ignore[arg-type]
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
