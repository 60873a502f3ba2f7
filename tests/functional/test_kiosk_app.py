"""Kiosk mode driven by Pilot with a controllable clock: rotation, pauses, no accidental exit."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Digits, TabbedContent

from jctui.config import KioskDef, PlaylistItem, load_config
from jctui.i18n.lang import Lang
from jctui.ui.kiosk_app import KioskApp
from jctui.ui.widgets.compare_table import ComparePane
from jctui.ui.widgets.kiosk_banner import KioskBanner
from jctui.ui.widgets.targets_view import TargetsPane
from tests.functional.figure_stores import with_demo_store

MORNING = dt.datetime(2026, 11, 25, 8, 30)


class ClockedKiosk(KioskApp):
    """The kiosk on a clock the test moves by hand."""

    now_seconds: float = 0.0


def kiosk(playlist: tuple[PlaylistItem, ...], **changes: Any) -> ClockedKiosk:
    config = load_config(None)
    with_demo_store()  # the demo's figures as a dashboard stored them (tests/functional/figure_stores.py)
    config = dataclasses.replace(
        config,
        language="en",
        kiosk=KioskDef(enabled=True, site_label="Foyer Dietzenbach", playlist=playlist),
        **changes,
    )
    app = ClockedKiosk(config, today=dt.date(2026, 11, 25))
    app.now_seconds = 0.0
    app.clock = lambda: app.now_seconds
    app.wall = lambda: MORNING
    return app


async def settle(pilot: Pilot[None], app: KioskApp) -> None:
    for _ in range(200):
        await pilot.pause(0.05)
        if app.figures is not None:
            break
    await pilot.pause(0.1)


async def advance(pilot: Pilot[None], app: ClockedKiosk, seconds: float) -> None:
    app.now_seconds += seconds
    app.kiosk.tick()
    await pilot.pause(0.05)


PLAYLIST = (
    PlaylistItem(view="overview", jobcenter="Stadt Offenbach am Main", dwell=30),
    PlaylistItem(view="ranking", group_by="state", group="HE", metric="k2", dwell=20),
    PlaylistItem(
        view="chart",
        jobcenters=("Kreis Offenbach", "Stadt Offenbach am Main"),
        metric="integrations",
        dwell=20,
    ),
    PlaylistItem(view="compare", dwell=10, hours="22:00-23:00"),  # not in the morning
)


async def test_rotation_pauses_on_a_key_keeps_stale_figures_and_never_quits_on_q(
    tmp_path: Path,
) -> None:
    """One kiosk, in the order of a day in the foyer: the rotation follows the playlist
    forever; any key pauses it, then it resumes; stale data show a banner and keep the
    figures; q and escape do not quit, ctrl+q does."""
    app = kiosk(PLAYLIST)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await rotation_follows_the_playlist_forever(pilot, app)
        await any_key_pauses_then_rotation_resumes(pilot, app)
        await stale_data_shows_a_banner_and_keeps_the_figures(pilot, app, tmp_path)
        await q_and_escape_do_not_quit_but_ctrl_q_does(pilot, app)


async def rotation_follows_the_playlist_forever(pilot: Pilot[None], app: ClockedKiosk) -> None:
    app.kiosk.tick()
    await pilot.pause(0.05)
    tabs = app.query_one(TabbedContent)
    assert tabs.active == "overview", "the kiosk did not start on the playlist's overview"
    assert app.session.registry_row(app.jobcenter_id)["name"] == "Stadt Offenbach am Main"
    assert app.query_one("#headline-digits-integrations", Digits).value not in ("", "–")
    await advance(pilot, app, 29)
    assert tabs.active == "overview", "the overview left before its dwell was over"
    await advance(pilot, app, 1)
    assert tabs.active == "compare", "the ranking did not follow the overview"
    pane = app.query_one(ComparePane)
    rows = pane.visible_rows()
    assert {r["state"] for r in rows} == {"HE"}, "the ranking of Hesse shows other states"
    k2 = [r["rate:k2"] for r in rows]
    assert k2 == sorted(k2, reverse=True), "the ranking by K2 is not best first"
    await advance(pilot, app, 20)
    assert tabs.active == "chart", "the chart did not follow the ranking"
    assert app.dashboard.marked == frozenset({"06438", "06888"})
    await advance(pilot, app, 20)
    assert tabs.active == "overview", "the rotation did not start again"
    # the compare item is limited to 22-23 h: skipped
    assert app.kiosk.shown == ["overview", "ranking", "chart", "overview"]


async def any_key_pauses_then_rotation_resumes(pilot: Pilot[None], app: ClockedKiosk) -> None:
    before = list(app.kiosk.shown)  # the overview just shown
    await pilot.press("x")  # a passer-by
    await advance(pilot, app, 45)
    assert app.kiosk.shown == before, "a key did not hold the rotation"
    await advance(pilot, app, 20)  # idle_resume (60 s) has passed
    assert app.kiosk.shown == [*before, "ranking"], "the rotation did not resume"


async def stale_data_shows_a_banner_and_keeps_the_figures(
    pilot: Pilot[None], app: ClockedKiosk, tmp_path: Path
) -> None:
    banner = app.query_one(KioskBanner)
    assert not banner.has_class("-visible"), "a stale banner on fresh data"
    assert "Foyer Dietzenbach" in str(app.query_one("#header").render())
    good = app.figures
    app.session.use_config(app.config.with_source(str(tmp_path / "gone.csv")))
    app.load_data()
    for _ in range(40):
        await pilot.pause(0.05)
        if banner.has_class("-visible"):
            break
    assert banner.has_class("-visible"), "no banner when the source is gone"
    assert "DATA STALE since" in str(banner.render())
    assert "gone.csv: file not found" in str(banner.render())
    assert app.figures is good, "the last good figures were dropped"
    assert app.is_running


async def q_and_escape_do_not_quit_but_ctrl_q_does(pilot: Pilot[None], app: ClockedKiosk) -> None:
    await pilot.press("q", "escape", "1", "x")
    await pilot.pause(0.1)
    assert app.is_running, "q, escape, 1 or x ended the kiosk"
    await pilot.press("ctrl+q")
    await pilot.pause(0.1)
    assert not app.is_running, "ctrl+q did not end the kiosk"


async def test_targets_page_ranks_jobcenters_by_attainment() -> None:
    """A "targets" item: the Jobcenters of Hesse ranked by where their year will end
    against their target (demo targets, October 2018), best first, green on track."""
    playlist = (
        PlaylistItem(view="targets", group_by="state", group="HE", metric="integrations", dwell=20),
        PlaylistItem(view="overview", jobcenter="Kreis Offenbach", dwell=20),
    )
    app = kiosk(playlist)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        app.kiosk.tick()
        await pilot.pause(0.05)
        assert app.query_one(TabbedContent).active == "targets"
        page = app.query_one(TargetsPane).page
        assert page is not None
        assert page.title == "Targets 2018: Integrations"
        hesse = {r["name"] for r in app.session.lookups.compare_rows if r["state"] == "HE"}
        assert {r.name for r in page.rows} == hesse  # every Jobcenter of Hesse has a target
        attainment = [float(r.attainment.rstrip("%")) for r in page.rows]
        assert attainment == sorted(attainment, reverse=True)
        assert [r.rank for r in page.rows][:3] == [1, 2, 3]
        offenbach = next(r for r in page.rows if r.name == "Kreis Offenbach")
        # 4,315 of 4,400 (see the tile test): 98%, off track
        assert (offenbach.target, offenbach.projection, offenbach.attainment) == (
            "4,400", "4,315", "98%",
        )  # fmt: skip
        assert offenbach.on_track is False
        shown = str(app.query_one(TargetsPane).render())
        assert "Targets 2018: Integrations" in shown
        assert "Kreis Offenbach" in shown
        await pilot.press("x")  # a key pauses the rotation; the language key still works
        app.lang = "de"
        await pilot.pause(0.1)
        page = app.query_one(TargetsPane).page
        assert page is not None
        assert page.title == "Zielerreichung 2018: Integrationen"
        await advance(pilot, app, 80)
        assert app.kiosk.shown == ["targets", "overview"]


async def test_a_broken_view_is_skipped_and_the_kiosk_goes_on() -> None:
    broken = (
        PlaylistItem(view="overview", jobcenter="Kreis Offenbach", dwell=10),
        PlaylistItem(view="overview", jobcenter="No Such Jobcenter", dwell=10),
        PlaylistItem(view="chart", metric="integrations", dwell=10),
    )
    app = kiosk(broken)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        app.kiosk.tick()
        await advance(pilot, app, 10)
        assert app.is_running
        assert app.kiosk.shown == ["overview", "chart"]
        assert app.kiosk.rotation.failures == {1: 1}


async def test_a_ranking_puts_the_best_first_by_the_figures_direction() -> None:
    """Long-term recipients: lower is better, so the largest fall comes first (rank 1, by
    what ranks compare: the change on the previous year), not the largest rise."""
    playlist = (
        PlaylistItem(view="ranking", group_by="state", group="HE", metric="long_term_recipients"),
    )
    app = kiosk(playlist)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        app.kiosk.tick()
        await pilot.pause(0.05)
        rows = app.query_one(ComparePane).visible_rows()
        standings = [r["standing"]["long_term_recipients"] for r in rows]
        ranks = [s.rank for s in standings]
        assert ranks == sorted(ranks)
        means = [s.mean for s in standings]  # the change against the type's mean change
        assert means[0] < 0  # a fall, better than the type's mean
        assert rows[0]["state"] == "HE"


async def test_ranking_shows_no_key_hints_its_sort_column_and_your_jobcenter() -> None:
    """At 80x24 on the first pass: no key hints (none on a kiosk), the sort column (K2) on
    screen, the top of the ranking with your Jobcenter's row pinned in view, highlighted."""
    from jctui.ui.widgets.compare_table import CompareTable

    playlist = (
        PlaylistItem(view="overview", jobcenter="Kreis Offenbach", dwell=30),
        PlaylistItem(view="ranking", metric="k2", dwell=20),
        PlaylistItem(view="chart", jobcenters=("Kreis Offenbach",), metric="integrations"),
    )
    app = kiosk(playlist, default_jobcenter="Kreis Offenbach")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.kiosk.tick()
        await pilot.pause(0.05)
        await advance(pilot, app, 30)
        await pilot.pause(0.3)
        assert app.query_one(TabbedContent).active == "compare"
        table = app.query_one(CompareTable)
        own = app.session.first_match("Kreis Offenbach")
        assert table.own_key == own
        row = table.keys.index(own)
        assert table.scroll_offset.y == 0  # the best ones ...
        assert table.pinned_row() == row  # ... and yours, pinned on the last line
        last = table.render_line(table.scrollable_content_region.height - 1).text
        assert "Kreis Offenbach" in last
        screen = "\n".join(
            "".join(seg.text for seg in line) for line in app.screen._compositor.render_strips()
        )
        assert "K2 ▼" in screen  # the sort column, without scrolling by hand
        assert "Kreis Offenbach" in screen
        assert "s/S sort" not in screen
        await advance(pilot, app, 20)
        await pilot.pause(0.3)
        assert app.query_one(TabbedContent).active == "chart"
        assert "m figure" not in str(app.query_one("#chart-title").render())


async def test_headline_labels_are_whole_at_80_columns() -> None:
    app = kiosk((PlaylistItem(view="overview", jobcenter="Kreis Offenbach", dwell=30),))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        expected: dict[Lang, list[str]] = {
            "en": ["Integrations (12 months)", "Integration rate (K2)", "LZB"],
            "de": ["Integrationen (12 Mon.)", "Integrationsquote (K2)", "LZB"],
        }
        for lang, whole in expected.items():
            app.lang = lang
            app.kiosk.tick()
            await pilot.pause(0.3)
            labels = [
                str(app.query_one(f"#headline-label-{key}").render())
                for key in ("integrations", "k2", "long_term_recipients")
            ]
            assert labels == whole, f"the {lang} headline labels are cut at 80 columns"
