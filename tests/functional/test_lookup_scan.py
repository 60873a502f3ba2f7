"""A lookup reads only what its figures need from a file in the canonical layout, and
answers exactly as a full read of the same data does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jctui.cli import main
from jctui.config import load_config
from jctui.demo import demo_values_path
from jctui.readers import read_bytes
from jctui.session.oneshot import run_lookup


@pytest.fixture(autouse=True)
def _no_figure_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about what a lookup reads of a file: the figure store, which computes
    every Jobcenter from the whole file once and then reads no file, is off."""
    monkeypatch.setenv("JCTUI_STORE", "0")


def demo_frame() -> pl.DataFrame:
    """The demo's Jobcenters (a file with state and Germany rows takes the full reader)."""
    return pl.read_parquet(demo_values_path()).filter(pl.col("jobcenter_id").str.len_chars() == 5)


def write(frame: pl.DataFrame, path: Path) -> Path:
    if path.suffix == ".csv":
        frame.write_csv(path, separator=";" if path.stem.endswith("semicolon") else ",")
    elif path.suffix == ".ndjson":
        frame.write_ndjson(path)
    else:
        frame.write_parquet(path)
    return path


def figures(capsys: pytest.CaptureFixture[str], source: Path, *extra: str) -> Any:
    args = ["show", "Kreis Offenbach", "--at", "2017-12", "--source", str(source)]
    assert main([*args, "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)["jobcenters"]


@pytest.mark.parametrize("name", ["demo.parquet", "demo.csv", "demo.ndjson"])
def test_show_from_a_scanned_file_equals_the_full_read(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = demo_frame()
    full = figures(capsys, write(frame, tmp_path / "demo-semicolon.csv"))  # the full reader
    assert figures(capsys, write(frame, tmp_path / name)) == full
    assert full[0]["metrics"]["integrations"]["window_sum"] == 4236.0


@pytest.mark.parametrize("name", ["demo.parquet", "demo.csv", "demo.ndjson"])
def test_a_lookup_prepares_only_the_rows_it_needs(name: str, tmp_path: Path) -> None:
    frame = demo_frame()
    config = load_config(None).with_source(str(write(frame, tmp_path / name)))
    found = run_lookup(config, at="2017-12", queries=["Kreis Offenbach"])
    shown = frame.filter(pl.col("name") == "Kreis Offenbach").height
    ids = frame.get_column("jobcenter_id").n_unique()
    # 25 periods of every Jobcenter (5 metrics), plus the whole history of the one shown
    assert found.dataset.values.height <= ids * 25 * 5 + shown
    assert found.dataset.values.height < frame.height / 2
    assert found.dataset.registry.height == ids  # still every Jobcenter: ranks, search
    assert found.figures.periods[0] == frame.get_column("period").min()


def test_a_bad_value_in_the_rows_read_takes_the_full_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = demo_frame().with_columns(pl.col("value").cast(pl.String))
    full = figures(capsys, write(frame, tmp_path / "demo.csv"))
    broken = frame.with_columns(
        value=pl.when((pl.col("period") == pl.date(2017, 6, 1)) & (pl.col("metric") == "customers"))
        .then(pl.lit("n/a"))
        .otherwise(pl.col("value"))
    )
    got = figures(capsys, write(broken, tmp_path / "broken.csv"))
    assert got[0]["metrics"]["integrations"] == full[0]["metrics"]["integrations"]
    assert main(["check", "--source", str(tmp_path / "broken.csv")]) == 1
    assert "broken.csv:" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["ndjson"])
def test_json_bodies_are_parsed_by_polars_not_record_by_record(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = demo_frame().head(3000).with_columns(pl.col("period").dt.strftime("%Y-%m"))
    data = (frame.write_ndjson() if fmt == "ndjson" else frame.write_json()).encode()
    calls: list[int] = []
    real = json.loads

    def counted_loads(*a: Any, **k: Any) -> Any:
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(json, "loads", counted_loads)
    config = load_config(None)
    (src,) = config.with_source(f"x.{fmt}").sources
    result = read_bytes(data, src, catalogue=config.metrics, origin=f"x.{fmt}", format_hint=fmt)
    assert result.values.height == 3000
    assert result.rejected.is_empty()
    assert len(calls) < 10  # not one call per record


def test_a_file_without_names_is_searched_by_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = demo_frame().select("jobcenter_id", "period", "metric", "value")
    path = write(frame, tmp_path / "ids.parquet")
    assert (
        main(["show", "06438", "--at", "2017-12", "--source", str(path), "--format", "json"]) == 0
    )
    (jc,) = json.loads(capsys.readouterr().out)["jobcenters"]
    assert jc["name"] == "06438"
    assert jc["metrics"]["integrations"]["window_sum"] == 4236.0


@pytest.mark.parametrize("name", ["mended.parquet", "mended.csv"])
def test_ids_and_names_the_full_reader_mends_take_the_full_reader(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Kreis Offenbach written "t06438", and its name on some rows only: a lookup gives what
    the dashboard gives (the canonical id, the name), not the file's raw cells."""
    frame = demo_frame().with_columns(
        jobcenter_id=pl.when(pl.col("jobcenter_id") == "06438")
        .then(pl.lit("t06438"))
        .otherwise(pl.col("jobcenter_id"))
    )
    full = figures(capsys, write(demo_frame(), tmp_path / "demo.parquet"))
    got = figures(capsys, write(frame, tmp_path / name))
    assert got[0]["id"] == "06438"
    assert got == full
    unnamed = demo_frame().with_columns(
        name=pl.when((pl.col("jobcenter_id") == "06438") & (pl.col("period").dt.month() == 3))
        .then(None)
        .otherwise(pl.col("name"))
    )
    got = figures(capsys, write(unnamed, tmp_path / f"unnamed{Path(name).suffix}"))
    assert got == full
