"""Issue 22, the overview read as words: no figure cut with '…' on any tile at 80x24,
120x36 and 160x48 in English and German; one term for the previous year; K2 with its
report month where the tile has room; a past month neither due nor overdue."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from textual.pilot import Pilot

from jctui.config import Language, load_config
from jctui.i18n import Lang
from jctui.ui.app import JctuiApp
from jctui.ui.widgets.metric_tile import MetricTile
from tests.functional.figure_stores import with_demo_store

TODAY = dt.date(2026, 11, 25)


def app_at(
    lang: Language, as_of: dt.date = dt.date(2018, 10, 1), *, ascii_only: bool = False
) -> JctuiApp:
    config = dataclasses.replace(load_config(None), language=lang)
    with_demo_store()
    return JctuiApp(config, as_of=as_of, today=TODAY, ascii_only=ascii_only)


async def tiles_drawn(pilot: Pilot[None], app: JctuiApp) -> dict[str, list[str]]:
    """Each tile's lines as drawn (cut to the tile's width by `render`), by figure."""
    for _ in range(300):
        await pilot.pause(0.05)
        if app.figures is not None:
            break
    await pilot.pause(0.3)
    drawn = {}
    for tile in app.query(MetricTile):
        assert tile.data is not None
        drawn[tile.key] = str(tile.render()).splitlines()
    return drawn


def assert_no_tile_cuts(drawn: dict[str, list[str]]) -> None:
    """Six tiles, none with a figure cut by '…', none saying 'yr ago'."""
    assert len(drawn) == 6
    for key, lines in drawn.items():
        assert not [line for line in lines if "…" in line], (key, lines)
        assert not [line for line in lines if "yr ago" in line], (key, lines)


@pytest.mark.parametrize(
    ("size", "ascii_only"),
    [((80, 24), True), ((120, 36), False)],
    ids=["80-ascii", "120"],
)
@pytest.mark.parametrize("lang", ["en", "de"])
async def test_no_tile_cuts_a_figure(
    size: tuple[int, int], ascii_only: bool, lang: Language
) -> None:
    """(At 80x24 and 160x48 in colour: the tests of each language and size below.)"""
    app = app_at(lang, ascii_only=ascii_only)
    async with app.run_test(size=size) as pilot:
        assert_no_tile_cuts(await tiles_drawn(pilot, app))


async def test_english_at_160_tiles_whole_k2_report_month_flow_month_and_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One dashboard in English at 160x48: no tile cuts a figure; K2 has its report month;
    a flow tile shows its month beside the same month a year earlier (what `show` lists
    under "The month and a year earlier"); the warnings screen cuts no column."""
    from jctui.cli import main

    main(["show", "Kreis Offenbach", "--at", "2018-10", "--lang", "en"])
    out = capsys.readouterr().out.split("The month and a year earlier")[1]
    assert out.splitlines()[1].split() == ["Integrations", "353", "366", "-3.6%"]
    app = app_at("en")
    async with app.run_test(size=(160, 48)) as pilot:
        drawn = await tiles_drawn(pilot, app)
        assert_no_tile_cuts(drawn)
        assert "Report month Oct 2018 · overdue" in drawn["k2"], drawn["k2"]
        assert "Oct 353 · prev. yr 366 (-3.6%)" in drawn["integrations"], drawn["integrations"]
        assert "Oct 67 · prev. yr 60 (+11.7%)" in drawn["apprenticeships"]
        assert not [line for line in drawn["elb"] if "prev. yr" in line and "(" in line]
        await warnings_screen_cuts_no_column(pilot, app, "en", 160)


async def test_english_at_80_tiles_whole_warnings_and_a_screen_key_closes_the_explanation() -> None:
    """One dashboard in English at 80x24: no tile cuts a figure; the warnings screen cuts
    no column; `1` while the chart's explanation (`i`) is open: the overview, not
    nothing."""
    from textual.widgets import TabbedContent

    from jctui.ui.screens.info import InfoScreen

    app = app_at("en")
    async with app.run_test(size=(80, 24)) as pilot:
        assert_no_tile_cuts(await tiles_drawn(pilot, app))
        await warnings_screen_cuts_no_column(pilot, app, "en", 80)
        await pilot.press("3", "i")
        assert isinstance(app.screen, InfoScreen), "i on the chart did not explain it"
        await pilot.press("1")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, InfoScreen), "1 left the explanation open"
        assert app.screen.query_one(TabbedContent).active == "overview", "1: not the overview"
        await pilot.press("i", "2")
        await pilot.pause(0.1)
        assert app.screen.query_one(TabbedContent).active == "compare", "2: not the compare"


@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["160x48", "80x24"])
async def test_german_tiles_whole_and_warnings(size: tuple[int, int]) -> None:
    app = app_at("de")
    async with app.run_test(size=size) as pilot:
        assert_no_tile_cuts(await tiles_drawn(pilot, app))
        await warnings_screen_cuts_no_column(pilot, app, "de", size[0])


async def test_a_past_month_is_not_overdue() -> None:
    app = app_at("en", dt.date(2018, 8, 1))
    async with app.run_test(size=(160, 48)) as pilot:
        for key, lines in (await tiles_drawn(pilot, app)).items():
            text = "\n".join(lines)
            assert "overdue" not in text, (key, lines)
            assert "next due" not in text, (key, lines)  # the next month is out already
            assert "Aug 2018" in text, (key, lines)


async def warnings_screen_cuts_no_column(
    pilot: Pilot[None], app: JctuiApp, lang: Lang, width: int
) -> None:
    """Key 4: at 160 columns every warning whole and its metric beside it; at 80 the
    kind whole, what is wrong to the edge (whole in the line below) and no column half
    shown."""
    from jctui.presentation.wording import kind_label
    from jctui.ui.widgets.warnings_view import WarningsPane, WarningsTable

    await pilot.press("4")
    await pilot.pause(0.2)
    pane = app.screen.query_one(WarningsPane)
    rows = [pane.row_cells(row) for row in pane.rows]
    assert rows, "no warnings listed"
    widths = [c.width for c in app.screen.query_one(WarningsTable).columns]
    for cells in rows:
        assert cells[2].cell_len <= widths[2], f"a warning's kind is cut: {cells[2]}"
        assert len(kind_label(pane.rows[0]["kind"], lang)) <= widths[2]
    shown = sum(w + 1 for w in widths)
    if width == 160:
        assert 155 <= shown <= 160, widths  # the room to the right used, the metric in view
        outliers = [c for c, r in zip(rows, pane.rows, strict=True) if r["kind"] == "outlier"]
        assert outliers
        assert all(cells[3].cell_len <= widths[3] for cells in outliers)  # whole
    else:
        assert sum(w + 1 for w in widths[:4]) <= 80, widths  # to the edge, not beyond
        assert sum(w + 1 for w in widths[:4]) >= 78, widths  # and no metric half shown
