"""SVG snapshots of every screen at 80x24 and 160x48 (the overview, the kiosk and the
screens of issue 22 at 120x36 too) on demo data with a fixed as-of month.

Keys are pressed first (as a person would), so layout regressions of each screen show up
as a visual diff. Update on purpose with `pytest tests/functional/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import replace as dataclasses_replace
from pathlib import Path

import pytest
from textual.pilot import Pilot

from jctui.config import Language, load_config
from jctui.ui.app import JctuiApp
from jctui.ui.kiosk_app import KioskApp
from tests.functional.figure_stores import with_demo_store

SnapCompare = Callable[..., bool]  # pytest-textual-snapshot's fixture, untyped

AS_OF = dt.date(2018, 10, 1)


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JCTUI_FROZEN_CLOCK", "2026-11-25 12:00")


async def wait_for_figures(pilot: Pilot[None]) -> None:
    """Until the figures are shown, and the chart's lines (a worker's) are those it is set to."""
    app = pilot.app
    assert isinstance(app, JctuiApp)
    for _ in range(1000):  # at most 20 s; most often shown already (after a key)
        if app.figures is not None and chart_settled(app) and attention_said(app):
            break
        await asyncio.sleep(0.02)  # not pilot.pause: that drains every widget's queue
    await pilot.pause()  # the screens repainted from them (until idle, not a fixed 0.2 s)


def attention_said(app: JctuiApp) -> bool:
    """The attention line is in (after the prefetch of the month before)."""
    from jctui.ui.widgets.attention_line import AttentionLine

    return all(line.variants for line in app.dashboard.query(AttentionLine) if line.display)


async def month_stepped(pilot: Pilot[None]) -> None:
    """Until the month asked for is the one shown (under load the step may take seconds;
    a snapshot taken before it shows the month before the step)."""
    app = pilot.app
    assert isinstance(app, JctuiApp)
    for _ in range(1000):
        if app.session.months.pending_as_of is None:
            return
        await asyncio.sleep(0.02)


def chart_settled(app: JctuiApp) -> bool:
    from jctui.ui.widgets.chart_view import ChartPane

    charts = app.dashboard.query(ChartPane)  # none yet: the figures (stored) came first
    return bool(charts) and all(c.wanted is None or c.drawn is c.wanted for c in charts)


def app(lang: Language = "en") -> JctuiApp:
    config = load_config(None)
    with_demo_store()
    import dataclasses

    return JctuiApp(
        dataclasses.replace(config, language=lang), as_of=AS_OF, today=dt.date(2026, 11, 25)
    )


# The overview (no key, English) at these sizes is test_dashboard_fills_the_screen[en-...]:
# the same app at the same size, the same image (it was taken twice).
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize(
    ("keys", "lang"),
    [
        (["2"], "en"),
        (["3"], "en"),
        (["4"], "en"),
        (["l", "2", "s"], "de"),
        (["left_square_bracket", "left_square_bracket"], "de"),
        (["question_mark"], "en"),
    ],
    ids=["compare", "chart", "warnings", "compare-de-sorted", "time-travel-de", "help"],
)
def test_screen(
    snap_compare: SnapCompare, size: tuple[int, int], keys: list[str], lang: Language
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for_figures(pilot)
        for key in keys:
            await pilot.press(key)
            if key.endswith("square_bracket"):  # a month step: until its figures are shown
                await month_stepped(pilot)
            await wait_for_figures(pilot)

    start_lang: Language = "en" if "l" in keys else lang
    assert snap_compare(app(start_lang), terminal_size=size, run_before=run_before)


SIZES = [(80, 24), (120, 36), (160, 48)]
SIZE_IDS = ["80x24", "120x36", "160x48"]


@pytest.mark.parametrize(
    ("keys", "lang", "ascii_only"),
    [(["4"], "de", False), (["3", "i"], "en", False), ([], "de", True)],
    ids=["warnings-de", "chart-explained", "overview-ascii-de"],
)
def test_screen_at_120x36(
    snap_compare: SnapCompare, keys: list[str], lang: Language, ascii_only: bool
) -> None:
    """Issue 22's screens at the middle size: the warnings' columns sized to what they
    hold, the explanation over the chart, the overview in ASCII with its attention line."""

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for_figures(pilot)
        for key in keys:
            await pilot.press(key)
            await wait_for_figures(pilot)

    config = dataclasses_replace(load_config(None), language=lang)
    with_demo_store()
    shown = JctuiApp(config, as_of=AS_OF, today=dt.date(2026, 11, 25), ascii_only=ascii_only)
    assert snap_compare(shown, terminal_size=(120, 36), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_dashboard_fills_the_screen(
    snap_compare: SnapCompare, size: tuple[int, int], lang: Language
) -> None:
    """The overview at each size: every label whole, the rank within the comparison type on
    each tile, `? Help`/`q Quit` in the footer, tiles filling the height."""

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for_figures(pilot)

    assert snap_compare(app(lang), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_compare_best_k2_of_our_type(
    snap_compare: SnapCompare, size: tuple[int, int], lang: Language
) -> None:
    """2, G, k: our comparison type by K2, best first, the sort in words; K2, the rank in
    the type and the gaps to the best and the mean beside the name; our row highlighted."""

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for_figures(pilot)
        await pilot.press("2", "G", "k")
        await wait_for_figures(pilot)

    assert snap_compare(app(lang), terminal_size=size, run_before=run_before)


def kiosk_app(lang: Language = "en") -> KioskApp:
    from jctui.config import KioskDef, PlaylistItem

    config = load_config(None)
    import dataclasses

    playlist = (
        PlaylistItem(view="overview", jobcenter="Kreis Offenbach", dwell=30),
        PlaylistItem(view="ranking", metric="k2", dwell=20),
    )
    config = dataclasses.replace(
        config, language=lang, kiosk=KioskDef(enabled=True, playlist=playlist)
    )
    with_demo_store()
    return KioskApp(config, as_of=AS_OF, today=dt.date(2026, 11, 25))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("page", ["overview", "ranking"])
def test_kiosk_pages(snap_compare: SnapCompare, size: tuple[int, int], page: str) -> None:
    """The kiosk's overview (headline whole, figures scaled to the screen) and its ranking
    (no key hints, the sort column on screen, your Jobcenter highlighted) at each size."""

    async def run_before(pilot: Pilot[None]) -> None:
        kiosk = pilot.app
        assert isinstance(kiosk, KioskApp)
        now_seconds = 0.0
        kiosk.clock = lambda: now_seconds
        await wait_for_figures(pilot)
        kiosk.kiosk.tick()
        await pilot.pause()
        if page == "ranking":
            now_seconds += 30
            kiosk.kiosk.tick()
            await pilot.pause()

    assert snap_compare(kiosk_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_dashboard_on_published_key_figures(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A folder of 13 published key-figure tables (tests/published_tables.py), in German:
    LZB, K2 and K3 as published (19,8 %), no empty tiles for the counts the tables lack."""
    from tests.published_tables import write_key_figure_folder

    write_key_figure_folder(tmp_path / "kennzahlen")
    monkeypatch.chdir(tmp_path)  # the header names the source: the same at every run
    config = dataclasses_replace(load_config(None).with_source("kennzahlen"), language="de")
    published = JctuiApp(config, today=dt.date(2018, 9, 25))

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for_figures(pilot)

    assert snap_compare(published, terminal_size=size, run_before=run_before)
