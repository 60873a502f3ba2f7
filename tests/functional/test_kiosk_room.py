"""Issue 22, the kiosk from across a room: every tile's figure in large digits at 120x36,
the `[kiosk] theme` of the config honoured, and at 80x24 the stale banner one line and no
toast over the figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets._toast import Toast

from jctui.config import KioskDef, PlaylistItem, ThemeName, load_config
from jctui.ui.kiosk_app import KioskApp
from jctui.ui.themes import THEMES
from jctui.ui.widgets.kiosk_banner import KioskBanner
from jctui.ui.widgets.metric_tile import MetricTile
from tests.functional.figure_stores import with_demo_store

PLAYLIST = (PlaylistItem(view="overview", jobcenter="Kreis Offenbach", dwell=30),)


def kiosk(theme: ThemeName = "high-contrast") -> KioskApp:
    config = dataclasses.replace(
        load_config(None),
        language="en",
        kiosk=KioskDef(enabled=True, theme=theme, playlist=PLAYLIST),
    )
    with_demo_store()  # the demo's figures as a dashboard stored them (tests/functional/figure_stores.py)
    # as `jctui --kiosk` makes it: no --theme given is None, not absent
    return KioskApp(
        config, as_of=dt.date(2018, 10, 1), today=dt.date(2026, 11, 25), theme_name=None
    )


async def settle(pilot: Pilot[None], app: KioskApp) -> None:
    for _ in range(300):
        await pilot.pause(0.05)
        if app.figures is not None:
            break
    app.kiosk.tick()
    await pilot.pause(0.3)


async def test_every_tile_in_large_digits_at_120x36() -> None:
    app = kiosk()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        tiles = list(app.query(MetricTile))
        assert len(tiles) == 6
        for tile in tiles:
            lines = [line.plain for line in tile.lines(tile.size.width, tile.size.height)]
            assert any("╺━" in line or "┏━" in line for line in lines), (tile.key, lines)


async def test_the_config_theme_of_the_kiosk_is_used() -> None:
    for theme in ("light", "high-contrast"):
        app = kiosk(theme)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.1)
            assert app.theme == THEMES[theme]


async def test_at_80x24_the_stale_banner_is_one_line_and_no_toast_covers_figures(
    tmp_path: Path,
) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot, app)
        missing = tmp_path / ("a-long-directory-name-" * 4) / "gone.csv"
        app.session.use_config(app.config.with_source(str(missing)))
        app.load_data()
        banner = app.query_one(KioskBanner)
        for _ in range(60):
            await pilot.pause(0.05)
            if banner.has_class("-visible"):
                break
        await pilot.pause(0.2)
        assert banner.has_class("-visible")
        assert banner.region.height == 1  # the reason is long: cut, not wrapped over the page
        app.notify("fetch failed: a long reason " * 3, severity="error")
        await pilot.pause(0.2)
        assert not list(app.screen.query(Toast))
