"""The dashboard on a folder of published key-figure tables: what a manager sees of K2 and K3.

The figures are those of the tables (tests/published_tables.py), read as published: K2 and K3
as tiles, compare columns and chart figures with their unit and decimal, ranked by level, the
publisher's `*` as `*`; the counts a key-figure table does not have are not shown as empty tiles.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from textual.widgets import TabbedContent

from jctui.config import Language, SourceDef, load_config
from jctui.ui.screens.info import InfoScreen
from jctui.ui.widgets.chart_view import ChartPane
from jctui.ui.widgets.compare_table import ComparePane, CompareTable
from jctui.ui.widgets.metric_tile import MetricTile
from jctui.ui.widgets.overview import OverviewPane
from jctui.ui.widgets.status_header import StatusHeader
from tests.functional.test_ui import RecordingApp, chart_drawn, make_app, ready, tile
from tests.published_tables import MISMATCH, write_key_figure_folder

JULY = dt.date(2018, 7, 1)
PUBLISHED = ("k2_published", "k3_published")


def published_app(
    tmp_path: Path, lang: Language = "de"
) -> tuple[RecordingApp, dict[str, dict[str, str]]]:
    cells = write_key_figure_folder(tmp_path / "kennzahlen")
    config = dataclasses.replace(
        load_config(None).with_source(str(tmp_path / "kennzahlen")), language=lang
    )
    return make_app(config, as_of=None), cells


def shown_cell(pane: ComparePane, jobcenter_id: str, column: str) -> str:
    at = [key for key, _ in pane.columns()].index(column)
    return pane.row_cells(jobcenter_id)[at].plain


async def test_published_key_figures_are_tiles_as_published(tmp_path: Path) -> None:
    app, cells = published_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app, JULY)
        tiles = app.query_one(OverviewPane).tiles()  # the shown ones
        # the figures of the table; none of the counts it lacks (integrations, ELB ...)
        assert [t.key for t in tiles] == ["long_term_recipients", *PUBLISHED]
        pane = app.query_one("#overview-pane")
        for widget in tiles:  # all on screen at 80x24, nothing to scroll to
            assert pane.region.contains_region(widget.region), widget.key
        assert app.focused is tiles[0]
        k2, k3 = tile(app, "k2_published"), tile(app, "k3_published")
        offenbach = cells["06438"]
        assert f"{offenbach['k2']} %" in k2  # "19,8 %": the decimal as published
        assert "Vorjahr 18,0 %" in k2  # the July 2017 table's figure
        assert "+1,8 Pkt." in k2  # a level's change, in points
        assert f"{offenbach['k3']} %" in k3
        lzb = tile(app, "long_term_recipients")
        assert f"{int(offenbach['lzb']):,}".replace(",", ".") in lzb
        # ranked by level (higher is better), among those with a published K2 that their
        # own table does not contradict (München's is refused: see below)
        k2_rates = {jc: c["k2"] for jc, c in cells.items() if c["k2"] != "*" and jc != MISMATCH}
        better = [jc for jc, v in k2_rates.items() if float(v.replace(",", ".")) > 19.8]
        assert f"{len(better) + 1}/{len(k2_rates)}" in k2
        assert "Rang 2/2 in IIb" in k2
        app.query_one("#tile-k2_published", MetricTile).focus()
        await pilot.press("i")  # what the figure is, and its marks
        await pilot.pause(0.2)
        assert isinstance(app.screen, InfoScreen)
        assert "wie veröffentlicht, in Prozent" in app.screen.text.plain
        await pilot.press("escape")

        app.choose_jobcenter("03002")  # the publisher withheld its K2 in July 2018
        await pilot.pause(0.2)
        k2 = tile(app, "k2_published")
        value_line, change_line = k2.splitlines()[1:3]
        assert value_line.startswith("* ")
        assert change_line.endswith("*")
        assert "Rang" not in k2  # a withheld figure has no rank

        app.choose_jobcenter(MISMATCH)  # its K2 is not what its numerator and denominator give
        await pilot.pause(0.2)
        k2 = tile(app, "k2_published")
        # a figure its own table contradicts is refused (check lists it), never shown
        assert f"{cells[MISMATCH]['k2']} %" not in k2
        assert "⚠" not in tile(app, "k3_published")


async def test_a_refused_figure_is_a_banner_and_its_reason_under_i(tmp_path: Path) -> None:
    app, cells = published_app(tmp_path)
    async with app.run_test(size=(200, 24)) as pilot:  # the folder's long path in the header
        await ready(pilot, app, JULY)
        header = app.query_one(StatusHeader).render().plain
        assert "Zahlen weggelassen, ihre Datei widerspricht: 1 (i)" in header
        app.screen.query_one(StatusHeader).styles.width = 60  # narrow: shortened, never gone
        await pilot.pause(0.1)
        assert "weggelassen: 1" in app.query_one(StatusHeader).render().plain
        app.choose_jobcenter(MISMATCH)  # its K2 is not what its numerator and denominator give
        await pilot.pause(0.2)
        k2 = tile(app, "k2_published")
        assert f"{cells[MISMATCH]['k2']} %" not in k2
        assert "–" in k2.splitlines()[1]  # no figure: a dash
        app.query_one("#tile-k2_published", MetricTile).focus()
        await pilot.press("i")
        await pilot.pause(0.2)
        assert isinstance(app.screen, InfoScreen)
        text = app.screen.text.plain
        assert "–: weggelassen, die eigene Datei widerspricht ihr: cross-check K2" in text
        await pilot.press("escape")
        app.choose_jobcenter("06438")  # its figures stand: no reason under `i`
        await pilot.pause(0.2)
        app.query_one("#tile-k2_published", MetricTile).focus()
        await pilot.press("i")
        await pilot.pause(0.2)
        assert "weggelassen" not in app.screen.text.plain


async def test_compare_table_has_the_published_figures_as_columns(tmp_path: Path) -> None:
    app, cells = published_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot, app, JULY)
        await pilot.press("2")
        await pilot.pause(0.2)
        pane = app.query_one(ComparePane)
        labels = dict(pane.columns())
        assert labels["k2_published"] == "K2"
        assert labels["k3_published"] == "K3"
        assert "integrations" not in labels
        assert "rate:k2" not in labels
        for jc, published in cells.items():
            for column, cell in (("k2_published", "k2"), ("k3_published", "k3")):
                want = "*" if published[cell] == "*" else f"{published[cell]} %"
                if (jc, column) == (MISMATCH, "k2_published"):
                    want = "–"  # refused: its own numerator and denominator contradict it
                assert shown_cell(pane, jc, column) == want, (jc, column)
        table = app.query_one("#compare-table", CompareTable)
        while pane.current_sort != "k2_published":
            await pilot.press("s")
        await pilot.pause(0.1)
        by_level = sorted(
            (jc for jc in cells if cells[jc]["k2"] != "*" and jc != MISMATCH),
            key=lambda jc: -float(cells[jc]["k2"].replace(",", ".")),
        )
        # best first, the refused and the withheld one last
        assert table.keys[: len(by_level)] == by_level
        assert set(table.keys[len(by_level) :]) == {"03002", MISMATCH}
        footer = str(app.query_one("#compare-footer").render())
        assert footer.startswith("Integrationsquote (K2): Gruppenmittel ")
        assert "%" in footer


async def test_enter_on_a_published_tile_charts_it(tmp_path: Path) -> None:
    app, cells = published_app(tmp_path, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app, JULY)
        app.query_one("#tile-k2_published", MetricTile).focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        chart = app.query_one(ChartPane)
        assert app.query_one(TabbedContent).active == "chart"
        assert chart.metric == "k2_published"
        data = await chart_drawn(pilot, chart)
        assert data is not None
        labels = [line.label for line in data.lines]
        # no projection of a rate; the published Deutschland row as a reference line
        assert labels == ["Kreis Offenbach", "avg. group IIb", "Deutschland"]
        offenbach = data.lines[0]
        assert len(offenbach.ys) == 13  # the 13 tables
        assert f"{offenbach.ys[-1]:.1f}".replace(".", ",") == cells["06438"]["k2"]
        await pilot.press("e")  # per 1,000 ELB: not for a figure in %
        await pilot.pause(0.1)
        assert "not for this figure" in str(app.query_one("#chart-title").render())
        await pilot.press("m")  # m goes on to the next figure of the data
        assert chart.metric == "k3_published"
        await pilot.press("c")
        await pilot.pause(0.1)
        assert any(f"{cells['06438']['k3'].replace(',', '.')}%" in text for _, text in app.notices)


async def test_published_k2_beside_the_computed_one_is_told_apart(tmp_path: Path) -> None:
    """Monthly counts (the demo data) and the published tables together: both K2 are shown,
    the published one says so (tile and column), never two tiles called "K2"."""
    write_key_figure_folder(tmp_path / "kennzahlen")
    config = load_config(None)
    config = dataclasses.replace(
        config,
        sources=(*config.sources, SourceDef(name="kz", path=str(tmp_path / "kennzahlen"))),
        language="en",
    )
    app = make_app(config, as_of=JULY)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot, app, JULY)
        keys = [t.key for t in app.query_one(OverviewPane).tiles()]
        assert {"k2", "k2_published", "integrations"} <= set(keys)
        assert tile(app, "k2_published").splitlines()[0] == "Integration rate (K2) · published"
        assert tile(app, "k2").splitlines()[0] == "Integration rate (K2)"
        await pilot.press("2")  # the compare table's columns, given to it when shown
        await pilot.pause(0.1)
        labels = dict(app.query_one(ComparePane).columns())
        assert labels["k2_published"] == "K2 publ."
        assert labels["rate:k2"] == "K2"


async def test_the_kiosk_headline_on_a_key_figure_table_shows_the_figures_as_published(
    tmp_path: Path,
) -> None:
    """A key-figure table has no monthly integrations and so no computed K2: the kiosk's
    large figures are then its 12-month integrations (K2's numerator) and K2 as published."""
    from jctui.ui.kiosk_app import KioskApp
    from jctui.ui.widgets.headline import Headline

    cells = write_key_figure_folder(tmp_path / "kennzahlen")
    config = dataclasses.replace(
        load_config(None).with_source(str(tmp_path / "kennzahlen")), language="de"
    )
    app = KioskApp(config, as_of=None)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(100):
            await pilot.pause(0.1)
            if app.figures is not None:
                break
        await pilot.pause(0.3)
        figures = {f.key: f for f in app.query_one(Headline).figures}
        offenbach = cells[app.jobcenter_id]
        assert figures["k2"].text == f"{offenbach['k2']}%"  # "19,8%"
        assert figures["integrations"].text == f"{int(offenbach['k2_numerator']):,}".replace(
            ",", "."
        )
        assert "K2" in figures["k2"].labels[0]
        assert figures["long_term_recipients"].text == f"{int(offenbach['lzb']):,}".replace(
            ",", "."
        )
