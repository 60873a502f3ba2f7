"""The CSV of `show` and `export` is written without Polars (jctui.views.report_rows), so
that `show --format csv` from the figure store's record imports none: byte for byte what
Polars' writer wrote before (plain and German dialect), whatever the values: decimals,
nulls, quotes, separators and newlines in names, formula triggers, NaN and infinities."""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jctui.config import Config, load_config
from jctui.presentation.inert import inert_frame
from jctui.views.report_rows import ROW_TYPES, rows_csv
from jctui.views.report_table import ROW_SCHEMA, labelled_frame
from tests.functional.test_show_record import fresh, run, warm
from tests.probe import probe

NAMES = [
    "", "Kreis A", "a,b", 'Stadt "B"', "Zeile\nzwei", "a;b", " Leerzeichen", "x\r", "=1+2",
    "-3", "-2,5", "1e-3", "+49", "@x", "\tx", "-3\n", "Stadt München", 'ß;"', "'q",
    "integrations", "flow", "stock", "rate",
]  # fmt: skip
SPECIAL = [
    0.0, -0.0, 0.25, -1.25, 2.5, 0.05, -0.05, 1e-5, 1.2345e-5, -1.5e-5, 1e-7, 1e15, 1e16,
    1.5e20, 1 / 3, float("nan"), float("inf"), float("-inf"),
]  # fmt: skip


def polars_csv(frame: pl.DataFrame, config: Config, dialect: str) -> str:
    """The CSV Polars' writer wrote (jctui before the stdlib writer): the reference."""
    frame = inert_frame(frame)
    if dialect == "de":
        flags = [c for c, dtype in frame.schema.items() if dtype == pl.Boolean]
        yes_no = [
            pl.col(c).replace_strict({True: "ja", False: "nein"}, default=None) for c in flags
        ]
        return labelled_frame(frame.with_columns(yes_no), config, "de").write_csv(
            separator=";", decimal_comma=True, float_precision=1, include_bom=True
        )
    return frame.write_csv()


def random_rows(seed: int, config: Config, count: int = 2000) -> list[dict[str, Any]]:
    """Rows of every column, each value drawn from the awkward ones (a fixed seed)."""
    rnd = random.Random(seed)
    texts = [*NAMES, *list(config.metrics)[:5]]

    def number() -> float:
        pick = rnd.random()
        if pick < 0.3:
            return rnd.uniform(-1000, 1000)
        if pick < 0.5:
            return round(rnd.uniform(-100, 100), rnd.randint(0, 3))
        if pick < 0.65:
            return rnd.choice(SPECIAL)
        if pick < 0.8:  # any double at all, subnormals included
            return float(struct.unpack("d", struct.pack("Q", rnd.getrandbits(64)))[0])
        return 10 ** rnd.uniform(-8, 20) * rnd.choice([1, -1])

    def value(dtype: str) -> Any:
        if rnd.random() < 0.2:
            return None
        if dtype == "String":
            return rnd.choice(texts)
        if dtype == "Float64":
            return number()
        if dtype == "Int64":
            return rnd.randint(-5, 500)
        return rnd.random() < 0.5

    return [{c: value(t) for c, t in ROW_TYPES.items()} for _ in range(count)]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("dialect", ["plain", "de"])
def test_the_csv_is_what_polars_wrote_whatever_the_values(seed: int, dialect: str) -> None:
    config = load_config(None)
    rows = random_rows(seed, config)
    expected = polars_csv(pl.DataFrame(rows, schema=ROW_SCHEMA), config, dialect)
    assert rows_csv(rows, ROW_TYPES, config, dialect) == expected


@pytest.mark.parametrize("dialect", ["plain", "de"])
def test_export_csv_is_what_polars_wrote(
    dialect: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jctui.cli import main

    csv, parquet = tmp_path / "all.csv", tmp_path / "all.parquet"
    more = ["--dialect", dialect] if dialect == "de" else []
    assert main(["export", "--format", "csv", "-o", str(csv), *more]) == 0
    assert main(["export", "--format", "parquet", "-o", str(parquet)]) == 0
    capsys.readouterr()
    frame = pl.read_parquet(parquet)
    assert frame.height > 1000
    assert csv.read_bytes() == polars_csv(frame, load_config(None), dialect).encode()


SHOWN = ["Stadt Münster", "Landkreis Meißen", "05884", "Kreis Offenbach"]


@pytest.mark.parametrize("dialect", [[], ["--dialect", "de"]], ids=["plain", "de"])
def test_show_csv_from_the_record_is_a_fresh_lookups_csv(
    dialect: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JCTUI_ANSWERS", "0")
    args = ["--format", "csv", *dialect]
    warm(capsys, ["", *args])
    for query in SHOWN:
        answer = run(capsys, [query, *args])
        assert answer[0] == 0
        assert answer == fresh(capsys, monkeypatch, [query, *args])
    out, imported = probe(["show", "Stadt Münster", *args])
    assert imported == "no polars"
    assert out == fresh(capsys, monkeypatch, ["Stadt Münster", *args])[1]
