"""Switching tabs (1-4): one frame per key, and the compare table never shows older figures,
another width's lines or another theme's colours from what it kept for a switch back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rich.style import Style
from textual.pilot import Pilot
from textual.screen import Screen

from jctui.ui.app import JctuiApp
from jctui.ui.screens.dashboard import PREFETCH_AT_START, DashboardScreen
from jctui.ui.widgets.compare_table import CompareTable
from jctui.ui.widgets.row_table import RowTable
from tests.functional.test_ui import AS_OF, make_app, ready

PREVIOUS = dt.date(2018, 9, 1)  # the month before AS_OF: `[`


async def quiet(pilot: Pilot[None], app: JctuiApp) -> None:
    """Until no worker runs and a while passed without a key (what follows a key drawn)."""
    for _ in range(200):
        await pilot.pause(0.1)
        if not any(worker.is_running for worker in app.workers):
            break
    await pilot.pause(0.3)


async def compare_prepared(pilot: Pilot[None], app: JctuiApp) -> DashboardScreen:
    """The dashboard once its hidden compare tab is prepared (after the start's prefetch,
    PREFETCH_AT_START seconds after a start from the store)."""
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    for _ in range(100):
        if screen.prepared_compare:
            break
        await pilot.pause(0.1)
    assert screen.prepared_compare, "the compare tab was not prepared within 10 s"
    return screen


def count_frames(app: JctuiApp) -> list[str]:
    """From now on, the frames the app hands its driver (a screen update that writes
    something), each as the widgets it repainted, in the list returned."""
    written: list[str] = []
    display = app._display  # Textual's private hook (version pinned): every screen update

    def counted(screen: Screen[Any], renderable: Any) -> None:
        if renderable is not None and not app._batch_count:
            repainted = sorted({type(widget).__name__ for widget in screen._dirty_widgets})
            written.append(",".join(repainted))
        display(screen, renderable)

    app._display = counted  # type: ignore[method-assign]
    return written


async def test_every_tab_switch_draws_one_frame() -> None:
    """Once each tab has been shown, each switch writes the whole new tab in one frame:
    no second frame after it for a footer key's new width, a scrollbar or a title."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        for key in "2341":  # each pane laid out once (and the chart's lines computed)
            await pilot.press(key)
            await quiet(pilot, app)
        await pilot.pause(PREFETCH_AT_START)  # the start's prefetch done (the attention
        await quiet(pilot, app)  # line is drawn anew after it)
        frames = count_frames(app)
        for key in "2134121":
            frames.clear()
            await pilot.press(key)
            await quiet(pilot, app)
            switch = [frame for frame in frames if frame != "StatusHeader"]  # its clock:
            assert len(switch) == 1, f"key {key}: frames of {frames}"  # every minute


@pytest.mark.parametrize("key", ["2", "4"], ids=["compare", "warnings"])
async def test_first_show_of_a_table_tab_draws_one_frame(key: str) -> None:
    """In a new session (the start's prefetch and the compare tab's preparation done, as a
    warm dashboard of `jctui serve` has them long before a browser connects), the first 2
    (compare) or 4 (warnings) writes the new tab in one frame, its table's scrollbars
    included: no second frame for them after the layout that placed them. That frame drew
    the scrollbars as they draw when drawn anew."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        screen = await compare_prepared(pilot, app)
        await quiet(pilot, app)
        frames = count_frames(app)
        await pilot.press(key)
        await quiet(pilot, app)
        switch = [frame for frame in frames if frame != "StatusHeader"]
        assert len(switch) == 1, f"first {key}: frames of {frames}"
        drawn = app.export_screenshot()
        for table in screen.query(RowTable):
            table.vertical_scrollbar.refresh()
            table.horizontal_scrollbar.refresh()
        await quiet(pilot, app)
        same = app.export_screenshot() == drawn  # (not compared by pytest: 180 kB)
        assert same, f"first {key}: the frame drew the scrollbars stale"


Line = tuple[str, tuple[Style | None, ...]]


def shown_rows(app: JctuiApp) -> dict[str, Line]:
    """The compare table's lines as it draws them (text and styles), by the Jobcenter of
    the row (the header: ""), but for the cursor's row and your own (those differ with
    where the cursor stands)."""
    table = app.query_one(CompareTable)
    rows: dict[str, Line] = {}
    top = table.scroll_offset.y
    for y in range(table.scrollable_content_region.height - 1):  # the last: maybe pinned
        key = "" if y == 0 else table.keys[top + y - 1] if top + y - 1 < len(table.keys) else None
        if key is None or (y and (top + y - 1 == table.cursor_row or key == table.own_key)):
            continue
        strip = table.render_line(y)
        rows[key] = (strip.text, tuple(segment.style for segment in strip))
    return rows


async def compare_of(size: tuple[int, int], theme: str | None = None) -> dict[str, Line]:
    """The compare table of a new app at PREVIOUS, at `size` and in `theme`."""
    app = make_app(as_of=PREVIOUS, theme_name=theme)
    async with app.run_test(size=size) as pilot:
        await ready(pilot, app, PREVIOUS)
        await pilot.press("2")
        await quiet(pilot, app)
        return shown_rows(app)


async def test_compare_after_a_switch_shows_the_new_month_width_and_theme() -> None:
    """The lines kept for a switch back are not those shown again after a month step, a
    resize or another theme: each time the table shows what a new app shows there."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("2")
        await quiet(pilot, app)
        before = shown_rows(app)
        await pilot.press("1", "left_square_bracket")
        await ready(pilot, app, PREVIOUS)
        await pilot.press("2")
        await quiet(pilot, app)
        stepped = shown_rows(app)
        await pilot.press("1")
        await pilot.resize_terminal(100, 40)
        await pilot.press("2")
        await quiet(pilot, app)
        narrower = shown_rows(app)
        await pilot.press("1")
        app.theme = "jctui-light"
        await quiet(pilot, app)
        await pilot.press("2")
        await quiet(pilot, app)
        light = shown_rows(app)
    assert AS_OF != PREVIOUS

    def same(shown: dict[str, Line], fresh: dict[str, Line]) -> None:
        both = shown.keys() & fresh.keys()
        assert len(both) >= 10  # the header and rows of Jobcenters shown in both
        assert {key: shown[key] for key in both} == {key: fresh[key] for key in both}

    same(stepped, await compare_of((120, 40)))
    assert any(stepped[key][0] != before[key][0] for key in stepped.keys() & before.keys() if key)
    same(narrower, await compare_of((100, 40)))
    assert len(next(iter(narrower.values()))[0]) < len(next(iter(stepped.values()))[0])
    same(light, await compare_of((100, 40), "light"))
    assert light[""][1] != narrower[""][1]  # the header in the light theme's colours


async def test_compare_prepared_while_hidden_shows_what_a_first_show_does() -> None:
    """Once the months around are prefetched, the hidden compare tab is given its figures
    and its first screen's cells ahead of the key 2: what 2 then shows is what it shows
    when pressed at once (nothing prepared)."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("2")
        await quiet(pilot, app)
        at_once = shown_rows(app)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        screen = await compare_prepared(pilot, app)
        assert "compare" not in screen.stale
        await quiet(pilot, app)
        await pilot.press("2")
        await quiet(pilot, app)
        assert shown_rows(app) == at_once
