"""`jctui export`: every format written and read back as a spreadsheet user would."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from jctui.cli import main


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json", "xlsx"])
def test_export_group_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    out = tmp_path / f"figures.{fmt}"
    code = main(["export", "-o", str(out), "--group", "IIb", "--at", "2017-12"])
    assert code == 0
    said = capsys.readouterr().out
    assert f"to {out} (demo data, synthetic figures)" in said
    if fmt == "json":
        report = json.loads(out.read_text(encoding="utf-8"))
        assert report["as_of"] == "2017-12"
        assert report["demo"] is True
        assert {j["comparison_type"] for j in report["jobcenters"]} == {"IIb"}
        return
    frame = {"csv": pl.read_csv, "parquet": pl.read_parquet, "xlsx": pl.read_excel}[fmt](out)
    assert set(frame.get_column("comparison_type")) == {"IIb"}
    assert frame.get_column("demo").to_list() == [True] * frame.height
    offenbach = frame.filter(
        (pl.col("name") == "Kreis Offenbach") & (pl.col("figure") == "integrations")
    )
    assert offenbach.item(0, "sum_12") == 4236
    assert said.startswith(f"wrote {frame.height} figures of ")


def test_export_chosen_jobcenters_and_metrics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "two.csv"
    assert main(["export", "-o", str(out), "--jobcenter", "offenb", "--metric", "elb"]) == 0
    frame = pl.read_csv(out)
    assert sorted(set(frame.get_column("name"))) == ["Kreis Offenbach", "Stadt Offenbach am Main"]
    assert set(frame.get_column("figure")) == {"elb"}  # only the figure asked for
    both = tmp_path / "both.csv"
    assert (
        main(
            [
                "export",
                "-o",
                str(both),
                "--jobcenter",
                "offenb",
                "--metric",
                "elb",
                "--metric",
                "k2",
            ]
        )
        == 0
    )
    assert set(pl.read_csv(both).get_column("figure")) == {"elb", "k2"}


def test_export_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "-o", str(tmp_path / "x.ods")]) == 2
    assert "cannot tell the format from the name" in capsys.readouterr().err
    assert main(["export", "-o", str(tmp_path / "x.csv"), "--group", "ZZ"]) == 2
    assert "--group 'ZZ': no such comparison_type" in capsys.readouterr().err
