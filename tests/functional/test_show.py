"""`jctui show`: what a manager reads in a meeting, and the JSON contract scripts rely on."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jctui.cli import main
from tests.functional.figure_stores import with_demo_store

TARGET_KEYS = {
    "target", "target_progress_pct", "projection", "projection_pct", "on_track",
    "year_complete",
    "projection_reason",
}  # fmt: skip
FLOW_KEYS = {
    "kind", "value", "value_prev_year", "window_sum", "window_sum_prev", "change", "change_pct", "ytd", "ytd_prev",
    "ytd_change_pct", "rank", "rank_of", "group_rank", "group_rank_of", "rank_by", "latest_period",
    *TARGET_KEYS,
}  # fmt: skip
STOCK_KEYS = {
    "kind", "value", "value_prev_year", "change", "change_pct", "rank", "rank_of", "group_rank",
    "group_rank_of", "rank_by", "latest_period", *TARGET_KEYS,
}  # fmt: skip


@pytest.fixture(autouse=True)
def _demo_store(request: pytest.FixtureRequest) -> None:
    """The demo's figures read from its store, as after a dashboard or an earlier `show`,
    except for the reference figures: those are computed, as a first lookup computes them
    (tests/unit/test_store.py proves the stored figures equal fresh ones)."""
    if request.function.__name__ != "test_reference_figures_of_kreis_offenbach_exactly":
        with_demo_store()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def show_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, _ = run(capsys, "show", *args, "--format", "json")
    assert code == 0
    report: dict[str, Any] = json.loads(out)
    return report


def offenbach(report: dict[str, Any]) -> dict[str, Any]:
    jc: dict[str, Any]
    (jc,) = [j for j in report["jobcenters"] if j["name"] == "Kreis Offenbach"]
    return jc


def test_reference_figures_of_kreis_offenbach_exactly(capsys: pytest.CaptureFixture[str]) -> None:
    dec17 = offenbach(show_json(capsys, "Kreis Offenbach", "--at", "2017-12"))
    integrations = dec17["metrics"]["integrations"]
    assert integrations["window_sum"] == 4236  # placements 2017
    assert integrations["window_sum_prev"] == 4133  # placements 2016
    assert integrations["change"] == 103
    assert integrations["ytd"] == 4236
    oct18 = offenbach(show_json(capsys, "Kreis Offenbach", "--at", "2018-10"))
    apprenticeships = oct18["metrics"]["apprenticeships"]
    assert apprenticeships["ytd"] == 466  # January to October 2018
    assert apprenticeships["ytd_prev"] == 432  # January to October 2017
    assert apprenticeships["ytd_change_pct"] == pytest.approx((466 / 432 - 1) * 100)  # +7.9 %
    jul18 = offenbach(show_json(capsys, "Kreis Offenbach", "--at", "2018-07"))
    lzb = jul18["metrics"]["long_term_recipients"]
    assert lzb["value"] == 9096
    assert lzb["value_prev_year"] == 9549
    assert lzb["change_pct"] == pytest.approx((9096 / 9549 - 1) * 100)  # -4.7 %
    jun18 = offenbach(show_json(capsys, "Kreis Offenbach", "--at", "2018-06"))
    assert jun18["metrics"]["integrations"]["ytd"] == 2169  # first half of 2018
    stated = [w for w in jun18["warnings"] if w["kind"] == "stated"]
    assert len(stated) == 1
    assert "361.5" in stated[0]["message"]  # 2,169 / 6, not the stated 310


def test_json_contract_fields_per_kind(capsys: pytest.CaptureFixture[str]) -> None:
    report = show_json(capsys, "Kreis Offenbach", "--at", "2018-10")
    assert report["as_of"] == "2018-10"
    assert report["demo"] is True
    assert report["demo_label"] == "Demo data, synthetic figures"
    jc = offenbach(report)
    assert {k for k in jc if k != "metrics"} >= {
        "id",
        "name",
        "state",
        "carrier",
        "comparison_type",
        "rates",
        "warnings",
    }
    assert (jc["state"], jc["carrier"]) == ("HE", "zkT")
    beside = {"group_mean", "state_name", "state_value", "compares"}  # the demo has Hessen
    assert set(jc["metrics"]["integrations"]) == FLOW_KEYS | beside
    assert set(jc["metrics"]["elb"]) == STOCK_KEYS | beside
    k2 = jc["rates"]["k2"]
    assert set(k2) >= {"value", "rank", "rank_of"}
    assert 10 < k2["value"] < 40
    assert 1 <= k2["rank"] <= k2["rank_of"] == 407


def test_partial_query_finds_both_offenbach_entries(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "offenb", "--lang", "en")
    assert code == 0
    assert "'offenb': 2 matches: Kreis Offenbach, Stadt Offenbach am Main" in out
    assert "Kreis Offenbach (06438)" in out
    assert "Stadt Offenbach am Main" in out


def test_a_query_matching_many_prints_a_few_tables_and_says_how_to_narrow(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "show", "stadt", "--lang", "en")
    assert code == 0
    matches = show_json(capsys, "stadt")["jobcenters"]
    assert len(matches) > 20  # the demo has many "Stadt ..." Jobcenters
    assert out.count("Metric ") == 5  # five tables, not one per match
    assert f"… {len(matches) - 5} more Jobcenters match: narrow the query" in out
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("'stadt'"))
    note = " ".join(line.strip() for line in lines[at : lines.index("", at)])
    assert note.endswith(f"and {len(matches) - 8} more")  # wrapped between words
    assert note.count(",") == 7
    assert len(out.splitlines()) < 5 * 40  # five tables, not 116


def test_not_found_suggests_closest_names_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    # a name that looks alike is found, as the command palette finds it (one matcher);
    # one less alike is not found, with the closest names
    code, out, err = run(capsys, "show", "Offenbk")
    assert code == 1
    assert out == ""
    assert "no Jobcenter matches 'Offenbk'; closest:" in err
    assert "Kreis Offenbach" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--at", "2018-13"], "--at: expected a month as YYYY-MM"),
        (["--at", "July"], "--at: expected a month as YYYY-MM"),
        (["--at", "2030-01"], "--at 2030-01: not in the data (periods 2012-01 to 2018-10)"),
        (["--metric", "placements"], "--metric: unknown metric 'placements'"),
    ],
)
def test_bad_options_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, "show", "Kreis Offenbach", *args)
    assert code == 2
    assert message in err


def test_german_and_english_number_formats(capsys: pytest.CaptureFixture[str]) -> None:
    _, de, _ = run(capsys, "show", "Kreis Offenbach", "--at", "2017-12", "--lang", "de")
    _, en, _ = run(capsys, "show", "Kreis Offenbach", "--at", "2017-12", "--lang", "en")
    assert "4.236" in de
    assert "+2,5 %" in de
    assert "Demodaten, synthetische Zahlen" in de
    assert "Stichmonat: Dezember 2017" in de
    assert "4,236" in en
    assert "+2.5%" in en
    assert "As of: December 2017" in en
    for text in (de, en):
        assert max(len(line) for line in text.splitlines()) <= 80


def test_metric_option_limits_the_output(capsys: pytest.CaptureFixture[str]) -> None:
    report = show_json(capsys, "Kreis Offenbach", "--metric", "elb", "--metric", "integrations")
    assert list(offenbach(report)["metrics"]) == ["elb", "integrations"]


def test_compare_side_by_side_fits_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "show", "Kreis Offenbach", "--compare", "Stadt Offenbach am Main", "Landkreis Darmstadt",
        "--lang", "en", "--at", "2017-12",
    )  # fmt: skip
    assert code == 0
    header = next(line for line in out.splitlines() if "Kreis Offenbach" in line)
    assert "Stadt Offenbach" in header
    assert "Landkreis Darmst" in header
    integrations = next(line for line in out.splitlines() if line.startswith("Integrations"))
    assert "4,236 +2.5%" in integrations
    assert max(len(line) for line in out.splitlines()) <= 80


def test_csv_parses_back(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "Kreis Offenbach", "--at", "2017-12", "--format", "csv")
    assert code == 0
    frame = pl.read_csv(io.StringIO(out))
    row = frame.filter(pl.col("figure") == "integrations").row(0, named=True)
    assert row["window_sum"] == 4236
    assert row["demo"] is True
    assert set(frame.get_column("figure")) == {
        "integrations",
        "apprenticeships",
        "elb",
        "long_term_recipients",
        "customers",
        "k2",
    }


def test_small_counts_are_suppressed_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("small_count_threshold = 3\n", encoding="utf-8")
    rows = ["jobcenter_id,period,metric,value,name"]
    for m in range(1, 13):
        rows.append(f"A,2018-{m:02d},apprenticeships,{2 if m == 12 else 5},Kreis A")
    data = tmp_path / "small.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    base = ["show", "Kreis A", "--config", str(config), "--source", str(data)]
    report = json.loads(run(capsys, *base, "--format", "json")[1])
    entry = report["jobcenters"][0]["metrics"]["apprenticeships"]
    assert entry["value"] is None
    assert entry["suppressed"] is True
    # 57 - 11 x 5 would give the 2 back: the 12-month sum is withheld too
    assert entry["window_sum"] is None
    assert entry["ytd"] is None
    assert {"value", "window_sum", "ytd"} <= set(entry["withheld"])
    _, table, _ = run(capsys, *base, "--lang", "en")
    line = next(line for line in table.splitlines() if line.startswith("Appr. placements"))
    assert line.split()[2:4] == ["*", "*"]
    assert " 2 " not in line
    assert "57" not in line
    assert line.endswith("▅" * 11 + " ")  # the 2 leaves a gap in the sparkline, not a dip


def test_names_from_data_are_printed_as_inert_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "evil.csv"
    data.write_text(
        'jobcenter_id,period,metric,value,name\nX1,2018-01,integrations,5,"[bold red]X[/]\x1b[2J\x07"\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "show", "X1", "--source", str(data), "--lang", "en")
    assert code == 0
    assert "[bold red]X[/]?[2J?" in out
    assert "\x1b" not in out
    assert "\x07" not in out


def test_show_does_not_import_textual() -> None:
    code = (
        "import sys, io, contextlib\n"
        "import jctui.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = jctui.cli.main(['show', 'Kreis Offenbach'])\n"
        "print(rc, 'textual' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert proc.stdout.split() == ["0", "False"]


def test_show_as_a_real_process_with_german_locale() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "jctui", "show", "Kreis Offenbach", "--at", "2017-12"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"LANG": "de_DE.UTF-8", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "Integrationen" in proc.stdout
    assert "4.236" in proc.stdout


@pytest.mark.parametrize("lang", ["en", "de"])
def test_show_to_an_ascii_only_stream_sends_ascii_and_never_fails(lang: str) -> None:
    """PYTHONIOENCODING=ascii (or a Windows code page): the table arrives in ASCII of the
    same widths ("·" -> "-"), not as an internal error."""
    proc = subprocess.run(
        [sys.executable, "-m", "jctui", "show", "Kreis Offenbach", "--lang", lang],
        capture_output=True,
        timeout=60,
        env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "ascii"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.isascii()
    assert b"Kreis Offenbach (06438)" in proc.stdout
    assert b"HE - zkT - " in proc.stdout


@pytest.mark.parametrize("command", ["show", "export"])
def test_an_unknown_metric_names_the_close_keys_in_show_and_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """One rule for `--metric` (jctui.session.oneshot.check_metrics): `export` named every
    key of the catalogue (hundreds of characters) where `show` named the close ones."""
    where = ["Kreis Offenbach"] if command == "show" else ["--jobcenter", "Kreis Offenbach"]
    output = ["-o", str(tmp_path / "out.csv")] if command == "export" else []
    code, out, err = run(capsys, command, *where, *output, "--metric", "integratoins")
    assert code == 2
    assert out == ""
    assert "--metric: unknown metric 'integratoins'; close: integrations (Integrations)" in err
    assert "customers" not in err  # not the whole catalogue
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("command", ["show", "export"])
def test_metric_chooses_a_figure_the_file_has_under_its_label(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """`--metric sgb_ii_quote` names a figure the catalogue lacks that the file has
    ("SGB II-Quote", read under its label): checked once the data are read, not refused
    before; a typo of it still names it as the close key."""
    atlas = tmp_path / "regionalatlas-export.csv"
    atlas.write_text(
        "Kennziffer;Raumeinheit;Jahr;SGB II-Quote;Bevölkerungsstand\n"
        "06438;Offenbach, Landkreis;2017;7,1;354.092\n"
        "06413;Offenbach am Main, Stadt;2017;16,6;128.744\n",
        encoding="utf-8",
    )
    where = ["06438"] if command == "show" else ["--jobcenter", "06438"]
    output = ["-o", str(tmp_path / "out.json")] if command == "export" else ["--format", "json"]
    base = [command, *where, *output, "--source", str(atlas)]
    code, out, err = run(capsys, *base, "--metric", "sgb_ii_quote")
    assert code == 0, err
    if command == "show":
        metrics = json.loads(out)["jobcenters"][0]["metrics"]
        assert list(metrics) == ["sgb_ii_quote"]
        assert metrics["sgb_ii_quote"]["value"] == 7.1
    code, out, err = run(capsys, *base, "--metric", "sgb_ii_qoute")
    assert code == 2
    assert "--metric: unknown metric 'sgb_ii_qoute'; close: sgb_ii_quote (SGB II-Quote)" in err
    assert len(err.splitlines()) == 1
