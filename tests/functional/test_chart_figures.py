"""Rates are figures everywhere; the chart's keys act on what the chart shows."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from jctui.cli import main
from jctui.ui.screens.info import InfoScreen
from jctui.ui.widgets.chart_view import ASCII_MARKERS, ChartPane
from jctui.ui.widgets.metric_tile import MetricTile
from tests.functional.test_ui import chart_line, make_app, plot_of, ready


def test_show_metric_k2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "Kreis Offenbach", "--metric", "k2", "--format", "json"]) == 0
    k2 = json.loads(capsys.readouterr().out)["jobcenters"][0]["rates"]["k2"]
    code = main(["show", "Kreis Offenbach", "--metric", "k2", "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.startswith("K2 "))  # short label
    assert f"{k2['value']:.1f}%" in row
    assert f"{k2['rank']}/{k2['rank_of']}" in row
    assert any(ch in row for ch in "▁▂▃▄▅▆▇█")  # its trend
    assert "Integrations " not in out  # only the figure asked for


async def test_k2_everywhere_and_the_chart_keys_act_on_the_charts_figure() -> None:
    """One dashboard at 100x30: K2's tile has a sparkline; K2 is a chart figure with its
    group average; per 1,000 ELB is not applied to ELB itself; i and c act on the figure
    in the chart."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        k2 = str(app.query_one("#tile-k2", MetricTile).render())
        assert any(ch in k2 for ch in "▁▂▃▄▅▆▇█"), f"no sparkline on the K2 tile: {k2!r}"

        await pilot.press("3")
        chart = app.query_one(ChartPane)
        await chart_figure(pilot, chart, "k2")
        offenbach = await chart_line(pilot, chart, "Kreis Offenbach")
        assert len(offenbach.ys) == 24, "the K2 chart is not of 24 months"
        assert offenbach.ys[-1] == pytest.approx(28.374, abs=0.001)  # the tile's 28.4%
        assert (await chart_line(pilot, chart, "avg. group IIb")).ys, "no group average"
        assert "Integration rate (K2)" in str(app.query_one("#chart-title").render())

        await chart_figure(pilot, chart, "elb")
        await pilot.press("a")
        raw = (await chart_line(pilot, chart, "Kreis Offenbach")).ys
        await pilot.press("e")
        per_elb = (await chart_line(pilot, chart, "Kreis Offenbach")).ys
        assert per_elb == raw, "ELB was charted per 1,000 ELB"  # the counts, said so:
        title = str(app.query_one("#chart-title").render())
        assert "per 1,000 ELB: not for this figure" in title, title
        assert "People able to work on benefits (ELB) per 1,000 ELB" not in title
        await pilot.press("e", "a")  # both back as they were

        await chart_figure(pilot, chart, "long_term_recipients")  # LZB
        await pilot.press("c")
        severity, text = app.notices[-1]
        assert severity == "information"
        assert text.startswith("Sent to the terminal's clipboard: Kreis Offenbach, October 2018:")
        assert "Long-term recipients" in text, f"c copied another figure: {text!r}"
        await pilot.press("i")
        assert isinstance(app.screen, InfoScreen), "i did not open the figure's info"
        assert "Long-term recipients" in str(app.screen.text), "i explains another figure"


async def chart_figure(pilot: Pilot[None], chart: ChartPane, key: str) -> None:
    """Press m until the chart shows the figure `key`."""
    for _ in range(20):
        if chart.metric == key:
            return
        await pilot.press("m")
    raise AssertionError(f"m never reached the figure {key!r}")


async def test_arrow_keys_move_between_tiles_and_six_quick_month_steps_move_six_months() -> None:
    """One dashboard at 80x24: the arrow keys move between the tiles; six quick presses
    of [ move six months back, three of ] three on."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert app.focused is not None
        assert app.focused.id == "tile-integrations"
        await pilot.press("right")
        assert app.focused.id == "tile-apprenticeships", "right did not move to the next tile"
        await pilot.press("down")
        below = app.focused
        assert isinstance(below, MetricTile), "down did not move to a tile"
        assert below.region.y > 0
        assert below.region.x == app.query_one("#tile-apprenticeships").region.x
        await pilot.press("up", "left")
        assert app.focused.id == "tile-integrations", "up and left did not move back"
        assert app.query_one(TabbedContent).active == "overview"

        for _ in range(6):
            await pilot.press("left_square_bracket")
            await pilot.pause(0.05)
        await ready(pilot, app, dt.date(2018, 4, 1))
        for _ in range(3):
            await pilot.press("right_square_bracket")
            await pilot.pause(0.05)
        await ready(pilot, app, dt.date(2018, 7, 1))


async def test_no_color_chart_lines_differ_by_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("3")
        await pilot.pause(0.2)
        plot = await plot_of(pilot, app)
        first, second = ASCII_MARKERS[0], ASCII_MARKERS[1]
        assert f"{first} Kreis Offenbach" in plot  # the legend names each line's marker
        assert f"{second} avg. group IIb" in plot
        assert not any("\u2800" <= ch <= "\u28ff" for ch in plot)  # no braille: no colour
