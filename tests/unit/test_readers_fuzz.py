"""Property tests: no input makes a reader raise anything but SourceError.

Random bytes, random CSV and JSON shapes and random encodings either give data in the
canonical schemas (with bad rows in `rejected`) or one SourceError line naming the origin.
"""

from __future__ import annotations

import json
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jctui.config import SourceDef, default_metrics
from jctui.errors import SourceError
from jctui.model import CONFLICT_SCHEMA, REGISTRY_SCHEMA, REJECTED_SCHEMA, VALUE_SCHEMA
from jctui.readers import read_bytes

CATALOGUE = default_metrics()
ORIGIN = "fuzz.dat"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_error(data: bytes, hint: str = "", **source: Any) -> None:
    """Read; a SourceError is fine (one line, names the origin), anything else fails.

    The readers' last-resort handler ("cannot read as ...") must not be what catches a
    text file: those errors mean an internal failure that a specific check should name.
    """
    message = ""
    try:
        result = read_bytes(
            data,
            SourceDef(name="fuzz", path=ORIGIN, **source),
            catalogue=CATALOGUE,
            origin=ORIGIN,
            format_hint=hint,
        )
    except SourceError as exc:
        message = str(exc)
    if message:
        assert message.startswith(f"{ORIGIN}: ")
        assert "\n" not in message
        if hint in ("csv", "json", "ndjson"):
            assert ": cannot read as " not in message, message
        return
    assert dict(result.values.schema) == VALUE_SCHEMA
    assert dict(result.registry.schema) == REGISTRY_SCHEMA
    assert dict(result.rejected.schema) == REJECTED_SCHEMA
    assert dict(result.conflicts.schema) == CONFLICT_SCHEMA
    assert result.values.select("jobcenter_id", "period", "metric").is_duplicated().sum() == 0
    # the catalogue's figures, or those a published table names that it lacks: read under
    # their label, each declared in `labels` (and said in a notice)
    labelled = set(result.labels.get_column("metric")) if result.labels.height else set()
    assert set(result.values.get_column("metric").unique()) <= set(CATALOGUE) | labelled
    assert not labelled or any("read under their label" in n for n in result.notices)


@FAST
@given(
    data=st.binary(max_size=400),
    hint=st.sampled_from(["", "csv", "json", "ndjson", "parquet", "xlsx"]),
)
def test_random_bytes(data: bytes, hint: str) -> None:
    read_or_error(data, hint)


@FAST
@given(
    magic=st.sampled_from([b"PAR1", b"PK\x03\x04", b"[", b"{", b"\xef\xbb\xbf", b"\xff\xfe"]),
    tail=st.binary(max_size=200),
)
def test_random_bytes_behind_magic_numbers(magic: bytes, tail: bytes) -> None:
    read_or_error(magic + tail)


CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "1",
            "4.236",
            "7,9",
            "-1.000,5",
            "2018-07",
            "Juli 2018",
            "31.07.2018",
            "Mär 2018",
            "elb",
            "integrations",
            "Integrationen",
            "x",
            '"',
            '""',
            "NaN",
            "inf",
            "1e400",
            " 5 ",
            "2018-02-30",
            "13/2018",
            "9999-99",
            "Gießen",
            "€",
            "\r",
            ";",
            ",",
        ]
    ),
    st.text(alphabet=string.printable + "äöüßÄÖÜ€„“", max_size=12),
)
HEADER = st.sampled_from(
    [
        "jobcenter_id",
        "period",
        "metric",
        "value",
        "name",
        "state",
        "carrier",
        "inhabitants",
        "elb",
        "integrations",
        "Jobcenter",
        "Monat",
        "",
        "x",
    ]
)


@FAST
@example(  # a one-column header over rows of three: a published table, its figure labelled
    header=["period"],
    rows=[["2018-07", ":"], ["4.236", "2018-07", "Juli 2018"]],
    separator=";",
    encoding="utf-8",
    layout="long",
    role="values",
    newline="\n",
)
@given(
    header=st.lists(HEADER, min_size=1, max_size=7),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=8), max_size=8),
    separator=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
    layout=st.sampled_from(["long", "wide"]),
    role=st.sampled_from(["values", "values", "registry"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_random_csv_shapes(
    header: list[str],
    rows: list[list[str]],
    separator: str,
    encoding: str,
    layout: str,
    role: str,
    newline: str,
) -> None:
    text = newline.join(separator.join(r) for r in [header, *rows]) + newline
    data = text.encode(encoding, errors="replace")
    read_or_error(data, "csv", layout=layout, role=role)


JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), CELL)
RECORD = st.dictionaries(
    HEADER, st.one_of(JSON_SCALAR, st.lists(JSON_SCALAR, max_size=2)), max_size=6
)


@FAST
@given(
    records=st.lists(st.one_of(RECORD, JSON_SCALAR), max_size=8),
    wrap=st.booleans(),
    ndjson=st.booleans(),
    layout=st.sampled_from(["long", "wide"]),
)
def test_random_json_shapes(records: list[object], wrap: bool, ndjson: bool, layout: str) -> None:
    if ndjson:
        data = "\n".join(json.dumps(r) for r in records).encode()
        read_or_error(data, "ndjson", layout=layout)
        return
    body: object = {"data": {"items": records}} if wrap else records
    read_or_error(
        json.dumps(body).encode(), "json", layout=layout, records_path="data.items" if wrap else ""
    )


@pytest.mark.parametrize("cut", [1, 7, 30, 55])
def test_truncated_json_is_a_source_error(cut: int) -> None:
    body = json.dumps([{"jobcenter_id": "1", "period": "2018-07", "metric": "elb", "value": 1}])
    with pytest.raises(SourceError, match=r"^fuzz\.dat: invalid JSON at line 1 "):
        read_bytes(
            body[:cut].encode(),
            SourceDef(name="f", path=ORIGIN),
            catalogue=CATALOGUE,
            origin=ORIGIN,
            format_hint="json",
        )


def test_a_published_header_with_no_rows_is_read_as_no_data() -> None:
    """Found by the fuzz test above: a header naming a figure of the catalogue and a month
    with no row below it failed inside the published reader ('unable to find column')."""
    read_or_error(b"jobcenter_id;inhabitants;Monat\n", "csv", layout="long", role="values")
