"""Targets per Jobcenter end to end: a targets file as a user writes it, read through the
config, and the target, progress, projection and verdict in `show` and every `export`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jctui.cli import main
from jctui.demo import demo_values_path

# A targets export from a German spreadsheet: ';', decimal comma, thousands dot, cp1252,
# German headers and figure labels. Line 4 and 5 are broken, line 6 repeats line 2.
GERMAN_TARGETS = (
    "Jobcenter;Jahr;Kennzahl;Zielwert\n"
    "06438;2018;Integrationen;4.500\n"
    "06438;2018;Integrationsquote (K2);27,5\n"
    "06438;2018;Ausbildungsvermittlungen;viele\n"
    "06438;20018;elb;15.000\n"
    "06438;2018;Integrationen;4.400\n"
    "06438;2018;Langzeitleistungsbeziehende (LZB);8.800\n"
)
FIELDS = ("target", "target_progress_pct", "projection", "projection_pct", "on_track",
          "projection_reason")  # fmt: skip


def config_with(tmp_path: Path, targets: str, extra: str = "") -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
language = "en"
[[sources]]
name = "figures"
path = "{demo_values_path()}"

[[sources]]
name = "ziele"
path = "{targets}"
role = "targets"
{extra}
""",
        encoding="utf-8",
    )
    return config


def german_config(tmp_path: Path) -> Path:
    (tmp_path / "ziele.csv").write_bytes(GERMAN_TARGETS.encode("cp1252"))
    mapping = '[sources.columns]\njobcenter_id = "Jobcenter"\nyear = "Jahr"\nmetric = "Kennzahl"\ntarget = "Zielwert"\n'
    return config_with(tmp_path, "ziele.csv", mapping)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def offenbach_json(capsys: pytest.CaptureFixture[str], config: Path, at: str) -> dict[str, Any]:
    code, out, _ = run(
        capsys, "show", "Kreis Offenbach", "--config", str(config), "--at", at, "--format", "json"
    )
    assert code == 0
    jc: dict[str, Any]
    (jc,) = json.loads(out)["jobcenters"]
    return jc


def test_german_targets_file_in_show_json_and_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = german_config(tmp_path)
    jc = offenbach_json(capsys, config, "2018-06")
    integrations = jc["metrics"]["integrations"]
    assert integrations["target"] == 4400  # "4.400", the later of two rows
    # Jan-Jun 2018: 2,169; Jul-Dec 2017 (4,236 - 2,066) scaled by 2,169 / 2,066
    assert integrations["target_progress_pct"] == pytest.approx(2169 / 4400 * 100)
    assert integrations["projection"] == pytest.approx(2169 + (4236 - 2066) * 2169 / 2066)
    assert integrations["projection_pct"] == pytest.approx(integrations["projection"] / 44)
    assert integrations["on_track"] is True  # 4,447 >= 4,400
    assert integrations["projection_reason"] is None
    assert jc["rates"]["k2"]["target"] == 27.5  # by its German label, decimal comma
    assert jc["metrics"]["long_term_recipients"]["target"] == 8800
    assert jc["metrics"]["long_term_recipients"]["on_track"] is False  # 8,936 > 8,800
    assert jc["metrics"]["apprenticeships"]["target"] is None  # its row was broken
    assert jc["metrics"]["customers"]["projection"] is not None  # a projection without target
    code, out, _ = run(
        capsys, "show", "Kreis Offenbach", "--config", str(config), "--at", "2018-06"
    )
    assert code == 0
    assert "Targets 2018" in out
    assert "Integrations         4,400      49%      4,447 on track: +47" in out
    assert "27.5%" in out


def test_in_december_a_target_is_reached_or_missed_not_on_track(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The demo's targets for 2017 against Kreis Offenbach's year: integrations 4,236 of
    4,300 (missed), ELB 15,354 against at most 15,550 (reached, lower is better)."""
    code, out, _ = run(capsys, "show", "Kreis Offenbach", "--at", "2017-12", "--format", "json")
    assert code == 0
    (jc,) = json.loads(out)["jobcenters"]
    assert jc["metrics"]["integrations"]["year_complete"] is True
    code, out, _ = run(capsys, "show", "Kreis Offenbach", "--at", "2017-12", "--lang", "en")
    # in words with the shortfall or margin; 98.5% is floored, never rounded up
    assert "Integrations         4,300      98%      4,236 target missed: -64" in out
    assert "ELB                 15,550      98%     15,354 target reached: -196" in out
    code, out, _ = run(capsys, "show", "Kreis Offenbach", "--at", "2017-12", "--lang", "de")
    assert "Ziel verfehlt" in out
    assert "auf Kurs" not in out
    code, out, _ = run(capsys, "show", "Kreis Offenbach", "--at", "2017-11", "--format", "json")
    (jc,) = json.loads(out)["jobcenters"]
    assert jc["metrics"]["integrations"]["year_complete"] is False


def test_bad_target_rows_are_listed_by_check_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = german_config(tmp_path)
    code, out, _ = run(capsys, "check", "--config", str(config))
    assert code == 1  # data problems
    where = tmp_path / "ziele.csv"
    assert f"{where}:2 Zielwert '4.500': target given again in a later row" in out
    assert f"{where}:4 Zielwert 'viele': not a number" in out
    assert f"{where}:5 Jahr '20018': not a year (1900-2100)" in out
    assert "targets:    3" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jobcenter_id,year,metric\n06438,2018,elb\n", "missing column 'target' (found: jobcenter_id, year, metric)"),
        ("", "empty file"),
    ],
)  # fmt: skip
def test_unusable_targets_file_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    code, _, err = run(
        capsys, "show", "Kreis Offenbach", "--config", str(config_with(tmp_path, "t.csv"))
    )
    assert code == 2
    assert str(tmp_path / "t.csv") in err
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('columns = { period = "Monat" }', "sources[1].columns.period: unknown canonical column; expected one of jobcenter_id, year, metric, target"),
        ('layout = "wide"', "sources[1].layout: a targets source is long"),
        ('metrics = { "Quote" = "k9" }', "sources[1].metrics.Quote: unknown metric or rate 'k9'"),
    ],
)  # fmt: skip
def test_targets_source_config_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str, expected: str
) -> None:
    code, _, err = run(capsys, "show", "x", "--config", str(config_with(tmp_path, "t.csv", extra)))
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_targets_from_parquet_and_excel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    frame = pl.DataFrame(
        {"jobcenter_id": ["06438"], "year": [2018], "metric": ["integrations"], "target": [4400.0]}
    )
    path = tmp_path / f"targets.{fmt}"
    frame.write_parquet(path) if fmt == "parquet" else frame.write_excel(path)
    jc = offenbach_json(capsys, config_with(tmp_path, path.name), "2018-10")
    assert jc["metrics"]["integrations"]["target"] == 4400
    assert jc["metrics"]["integrations"]["projection_pct"] == pytest.approx(4315.03 / 44, 1e-4)


def test_a_missing_month_says_why_there_is_no_projection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = pl.read_parquet(demo_values_path())
    gap = (pl.col("jobcenter_id") == "06438") & (pl.col("period") == pl.date(2018, 5, 1))
    values.filter(~(gap & (pl.col("metric") == "integrations"))).write_parquet(
        tmp_path / "v.parquet"
    )
    (tmp_path / "t.csv").write_text(
        "jobcenter_id,year,metric,target\n06438,2018,integrations,4400\n"
    )
    config = (
        config_with(tmp_path, "t.csv").read_text().replace(str(demo_values_path()), "v.parquet")
    )
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    jc = offenbach_json(capsys, tmp_path / "config.toml", "2018-06")
    integrations = jc["metrics"]["integrations"]
    assert integrations["projection"] is None
    assert integrations["on_track"] is None
    assert integrations["projection_reason"] == "no projection: May 2018 missing"
    code, out, _ = run(
        capsys,
        "show",
        "Kreis Offenbach",
        "--config",
        str(tmp_path / "config.toml"),
        "--at",
        "2018-06",
    )
    assert code == 0
    assert "Integrations         4,400        – no projection: May 2018 missing" in out


def keys_of_labels(frame: pl.DataFrame) -> pl.DataFrame:
    """An xlsx export's labelled headers and figure names (English) as keys again."""
    from jctui.config import load_config
    from jctui.i18n import COLUMN_LABELS

    config = load_config(None)
    keys = {en: key for key, (_, en) in COLUMN_LABELS.items() if en in frame.columns}
    labels = {d.label("en"): k for k, d in [*config.metrics.items(), *config.rates.items()]}
    return frame.rename(keys).with_columns(pl.col("figure").replace(labels))


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json", "xlsx"])
def test_export_has_the_target_fields_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """The bundled demo targets: Kreis Offenbach 4,400 integrations in 2018."""
    out = tmp_path / f"figures.{fmt}"
    args = ["export", "-o", str(out), "--jobcenter", "Kreis Offenbach", "--at", "2018-10"]
    assert main([*args, "--lang", "en"]) == 0
    capsys.readouterr()
    if fmt == "json":
        jc = json.loads(out.read_text(encoding="utf-8"))["jobcenters"][0]
        row = jc["metrics"]["integrations"]
        k2 = jc["rates"]["k2"]
    else:
        readers: dict[str, Callable[[Path], pl.DataFrame]] = {
            "csv": pl.read_csv,
            "parquet": pl.read_parquet,
            "xlsx": pl.read_excel,
        }
        frame = readers[fmt](out)
        if fmt == "xlsx":  # for people: labels, mapped back to the keys here
            frame = keys_of_labels(frame)
        assert set(FIELDS) <= set(frame.columns)
        row = frame.filter(pl.col("figure") == "integrations").row(0, named=True)
        k2 = frame.filter(pl.col("figure") == "k2").row(0, named=True)
    assert row["target"] == 4400
    assert row["projection"] == pytest.approx(3658 + (336 + 309) * 3658 / 3591)  # 4,315.0
    assert row["on_track"] is False
    assert row["target_progress_pct"] == pytest.approx(3658 / 4400 * 100)
    assert k2["target"] == pytest.approx(27.9)
    assert k2["on_track"] is True


def test_targets_are_refreshed_cached_and_answered_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The dashboard's refresh reads the targets source and keeps it in the offline cache (a
    restart shows the targets from the cache alone); `show --offline` has them too."""
    from jctui.config import load_config_file
    from jctui.session.refresh import Refresher

    (tmp_path / "v.parquet").write_bytes(demo_values_path().read_bytes())
    (tmp_path / "t.csv").write_text(
        "jobcenter_id,year,metric,target\n06438,2018,integrations,4400\n", encoding="utf-8"
    )
    path = config_with(tmp_path, "t.csv")
    path.write_text(path.read_text().replace(str(demo_values_path()), "v.parquet"))
    config = load_config_file(path)
    dataset, _, _ = Refresher(config, now=lambda: 0.0).refresh(force=True)
    assert dataset is not None
    assert dataset.targets.rows() == [("06438", 2018, "integrations", 4400.0)]
    assert dataset.source_label == "figures"  # where the figures come from
    (tmp_path / "t.csv").rename(tmp_path / "t.away")  # gone: only the cache knows it now
    restarted = Refresher(config, now=lambda: 0.0).load_cache()  # what a restart shows first
    assert restarted is not None
    assert restarted.targets.rows() == [("06438", 2018, "integrations", 4400.0)]
    (tmp_path / "t.away").rename(tmp_path / "t.csv")  # --offline reads files as usual
    code, out, _ = run(
        capsys, "show", "06438", "--config", str(path), "--offline", "--at", "2018-10",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    (jc,) = json.loads(out)["jobcenters"]
    assert jc["metrics"]["integrations"]["target"] == 4400
    assert jc["metrics"]["integrations"]["projection"] == pytest.approx(4315.03, abs=0.01)
