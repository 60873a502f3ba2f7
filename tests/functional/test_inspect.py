"""`jctui inspect FILE`: what was recognised, column by column, the checks, the config block;
for a layout it cannot read, how far it got and the one option that settles it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jctui.cli import main
from tests.unit.test_published_wording import ORDINANCE


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def test_inspect_lists_every_column_the_month_checks_and_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "kennzahlen-201807.csv", ORDINANCE)
    assert main(["inspect", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "report month: 2018-07 (from title 'Berichtsmonat: Juli 2018')" in out
    assert "Integrationen im Berichtsmonat" in out
    assert "integrations [persons]" in out
    assert "long_term_recipients [persons] (a year earlier)" in out
    assert "ignored: no header of its own (padding after a group)" in out
    assert "aggregate rows: Summe Vergleichstyp IIb, Summe Vergleichstyp IIIa, Insgesamt" in out
    assert "check K2 = numerator / denominator x 100: 3 compared, ok" in out
    assert "k2_published: 03002 2018-07 = 20; 06413 2018-07 = 20; 06438 2018-07 = 19.8" in out
    assert "[[sources]]" in out
    assert "header_row = 5" in out
    assert 'month = "2018-07"' in out


def test_the_config_block_reproduces_the_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "kennzahlen-201807.csv", ORDINANCE)
    assert main(["inspect", str(path), "--format", "json"]) == 0
    block = json.loads(capsys.readouterr().out)["config"]
    config = tmp_path / "config.toml"
    config.write_text(block, encoding="utf-8")
    assert main(["check", "--config", str(config), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "jobcenters: 3" in out


def test_inspect_german_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "kennzahlen-201807.csv", ORDINANCE)
    assert main(["inspect", str(path), "--lang", "de"]) == 0
    assert (
        "Berichtsmonat: 2018-07 (aus title 'Berichtsmonat: Juli 2018')" in capsys.readouterr().out
    )
    assert main(["inspect", str(path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["report_month"]["month"] == "2018-07"
    by_name = {c["name"]: c for c in report["columns"]}
    assert by_name["Nr."]["role"] == "jobcenter_id"
    assert by_name["K2 - Integrationsquote | in %"]["metric"] == "k2_published"
    assert report["error"] is None


def test_a_failed_check_is_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = ORDINANCE.replace("4.236;21.394;19,8", "4.236;21.394;29,8")
    path = write(tmp_path, "kennzahlen-201807.csv", text)
    assert main(["inspect", str(path)]) == 1
    out = capsys.readouterr().out
    assert "check K2 = numerator / denominator x 100: 3 compared, 1 failed" in out
    assert "cross-check K2 = numerator / denominator x 100 failed: 4236 / 21394 gives 19.8" in out


def test_an_unreadable_layout_says_how_far_and_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "kennzahlen.csv", ORDINANCE.replace("Berichtsmonat: Juli 2018", "x"))
    assert main(["inspect", str(path), "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert "cannot read the layout: " in out
    assert "got as far as: header row 5: Nr., Jobcenter, Integrationen im Berichtsmonat" in out
    assert 'set this option: month = "YYYY-MM"' in out


REGIONAL = {
    "82000-01-01-4.csv": (
        "published table, header row 8",
        ["1 –", "jobcenter_id", "3 –", "period", "inhabitants [persons]", "sgb_ii_quote [%]"],
    ),
    "12411-0017_flat.csv": ("GENESIS flat file: value variables as figures", []),
    "regionalatlas-ai2102.geojson": (
        "published table, header row 1",
        ["json, the records of its features", "ags", "ignored: names no role", "ai2102 [count]"],
    ),
    "regionalatlas-export.csv": ("published table, header row 4", ["Jahr", "period"]),
}


@pytest.mark.parametrize("name", list(REGIONAL))
def test_inspect_tells_the_regional_tables_and_a_figure_the_catalogue_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    from tests.samples.generate import write as write_samples

    write_samples(tmp_path)
    kind, words = REGIONAL[name]
    assert main(["inspect", str(tmp_path / name), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert f"recognised: {kind}" in out
    for word in words:
        assert word in out
    assert "figures the catalogue lacks, read under their label: '" in out
    if name != "regionalatlas-ai2102.geojson":  # the atlas' answer has no ELB nor inhabitants
        assert "check ELB never above the inhabitants: 4 compared, ok" in out
        assert main(["inspect", str(tmp_path / f"broken-{name}"), "--lang", "en"]) == 1
        out = capsys.readouterr().out
        assert "check ELB never above the inhabitants: 4 compared, 1 failed" in out
        assert "06438 2017-12: cross-check ELB never above the inhabitants failed: 416354" in out


def test_a_hostile_header_of_a_figure_the_catalogue_lacks_is_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "atlas.csv"
    path.write_text(
        "Kennziffer;Raumeinheit;Jahr;Quote\x1b[31m\u202e SGB II\n"
        "06438;Offenbach;2017;6,4\n06413;Offenbach am Main;2017;14,0\n",
        encoding="utf-8",
    )
    assert main(["inspect", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "read under their label: 'Quote?[31m? SGB II' (quote_31m_sgb_ii)" in out
    assert '# "Quote\\u001b[31m\\u202e SGB II" = "quote_31m_sgb_ii"' in out  # as TOML escapes
    assert "quote_31m_sgb_ii: 06413 2017-12 = 14; 06438 2017-12 = 6.4" in out
