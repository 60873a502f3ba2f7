"""`jctui check`: the summary a data steward reads, and its exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jctui.cli import main

GOOD = (
    "jobcenter_id,period,metric,value,name,state,carrier\n"
    "A1,2018-01,integrations,10,Kreis A,HE,zkT\n"
    "A1,2018-02,integrations,12,Kreis A,HE,zkT\n"
    "B2,2018-01,elb,1000,Stadt B,BY,gE\n"
    "B2,2018-02,elb,990,Stadt B,BY,gE\n"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_summary_and_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    code, out, _ = run(capsys, "check", "--source", str(path), "--lang", "en")
    assert code == 0
    assert "rows:       4" in out
    assert "jobcenters: 2 (registry: 2)" in out
    assert "metrics:    elb, integrations" in out
    assert "periods:    January 2018 – February 2018" in out
    assert "rejected:   0" in out
    assert "OK: no problems found" in out


def test_bad_rows_are_listed_with_file_line_column_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        GOOD
        + "A1,2018-03,integrations,zwölf,Kreis A,HE,zkT\n"  # line 6: bad number
        + "A1,2018-13,integrations,5,Kreis A,HE,zkT\n"  # line 7: bad month
        + "A1,2018-04,placements,5,Kreis A,HE,zkT\n"  # line 8: unknown metric
        + "A1,2018-02,integrations,13,Kreis A,HE,zkT\n",  # line 9: conflict with line 3
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", "--source", str(path), "--lang", "en")
    assert code == 1
    assert "rejected:   3" in out
    assert "conflicts:  1" in out
    assert f"{path}:6 value 'zwölf'" in out
    assert f"{path}:7 period '2018-13'" in out
    assert f"{path}:8 metric 'placements'" in out
    assert "lines [3, 9]" in out
    assert "PROBLEMS: 4 found" in out
    # the good rows are kept: 4 good rows, the conflict resolved to one value
    assert "rows:       4" in out


def test_demo_data_is_labelled_and_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--lang", "de")
    assert code == 0
    assert "Demodaten, synthetische Zahlen" in out
    assert "Januar 2012 – Oktober 2018" in out


def test_unreadable_source_is_one_line_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "jctui", "check", "--source", str(missing)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"jctui: error: {missing}: file not found"


def test_garbage_file_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    proc = subprocess.run(
        [sys.executable, "-m", "jctui", "check", "--source", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert str(path) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_values_whose_ids_match_no_registry_id_are_a_problem_naming_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "values.csv").write_text(
        "jobcenter_id,period,metric,value\nJC1,2018-07,elb,10\n", encoding="utf-8"
    )
    (tmp_path / "jc.csv").write_text("jobcenter_id,name\n03002,Vorpommern\n", encoding="utf-8")
    config = tmp_path / "c.toml"
    config.write_text(
        '[[sources]]\nname = "werte"\npath = "values.csv"\n'
        '[[sources]]\nname = "liste"\npath = "jc.csv"\nrole = "registry"\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", "--config", str(config), "--lang", "en")
    assert code == 1
    assert "source 'werte' (ids JC1, …) shares no jobcenter_id with registry 'liste'" in out
    (tmp_path / "values.csv").write_text(
        "jobcenter_id,period,metric,value\n3002,2018-07,elb,10\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, "check", "--config", str(config), "--lang", "en")
    assert code == 0, out
    assert "jobcenters: 1 (registry: 1)" in out
