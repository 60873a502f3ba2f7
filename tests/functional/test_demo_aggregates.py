"""Issue 22, beside what: the demo data carry the states and Germany as a published table
does (ids "DG" and "06", names "Deutschland" and "Hessen"), so out of the box the tiles,
`show` (JSON `group_mean`, `state_value`) and the chart put the Jobcenter beside its group
and its state; the aggregates are never Jobcenters and the demo stays labelled as such."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from textual.widgets import TabbedContent

from jctui.cli import main
from jctui.demo import demo_values_path
from jctui.ui.widgets.chart_view import ChartPane
from tests.functional.test_ui import chart_lines, make_app, ready, tile

OFFENBACH = "Kreis Offenbach"


def test_the_demo_has_germany_and_the_states_as_sums_of_their_jobcenters() -> None:
    table = pl.read_parquet(demo_values_path())
    names = dict(table.select("jobcenter_id", "name").unique().iter_rows())
    assert names["DG"] == "Deutschland"
    assert names["06"] == "Hessen"
    assert names["08"] == "Baden-Württemberg"
    month = table.filter(
        (pl.col("period") == pl.date(2018, 10, 1)) & (pl.col("metric") == "integrations")
    )
    jobcenters = month.filter(pl.col("jobcenter_id").str.len_chars() == 5)
    assert jobcenters.height == 407
    germany = month.filter(pl.col("jobcenter_id") == "DG").item(0, "value")
    assert germany == jobcenters.get_column("value").sum()
    hesse = month.filter(pl.col("jobcenter_id") == "06").item(0, "value")
    assert hesse == jobcenters.filter(pl.col("state") == "HE").get_column("value").sum()


def test_show_puts_kreis_offenbach_beside_its_group_and_hesse(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["show", OFFENBACH, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["demo"] is True
    (jc,) = report["jobcenters"]
    integrations, k2 = jc["metrics"]["integrations"], jc["rates"]["k2"]
    assert integrations["rank_of"] == 407  # the aggregates are no Jobcenters
    assert integrations["state_name"] == "Hessen"
    assert integrations["group_mean"] is not None
    assert integrations["state_value"] is not None
    assert k2["state_value"] == pytest.approx(23.74, abs=0.01)
    assert [r["name"] for r in report["references"]] == ["Hessen", "Deutschland"]
    assert main(["show", OFFENBACH, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "** Demo data, synthetic figures **" in out
    assert "Group and state" in out
    assert "Hessen" in out
    assert main(["show", "Deutschland"]) == 1  # not a Jobcenter
    capsys.readouterr()


async def test_tiles_and_chart_show_the_state_and_germany_out_of_the_box() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert "Hessen 23.7%" in tile(app, "k2")
        assert "Ø 23.6%" in tile(app, "k2")
        await pilot.press("3")
        await pilot.pause(0.2)
        assert app.query_one(TabbedContent).active == "chart"
        chart = app.query_one(ChartPane)
        while chart.metric != "k2":
            await pilot.press("m")
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        references = [line.label for line in await chart_lines(pilot, chart) if line.reference]
        assert references == ["Deutschland", "Hessen"]


def test_a_file_with_state_rows_never_ranks_them_as_jobcenters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The quick lookup's scan of a canonical file leaves a file with aggregate rows to the
    full reader, which keeps them apart: 407 Jobcenters, Hessen beside Kreis Offenbach."""
    path = tmp_path / "with-states.parquet"
    pl.read_parquet(demo_values_path()).write_parquet(path)
    assert main(["show", OFFENBACH, "--source", str(path), "--format", "json"]) == 0
    (jc,) = json.loads(capsys.readouterr().out)["jobcenters"]
    assert jc["metrics"]["integrations"]["rank_of"] == 407
    assert jc["metrics"]["integrations"]["state_name"] == "Hessen"
