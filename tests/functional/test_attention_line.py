"""Issue 22, what needs attention on screen: the overview's one attention line and the
kiosk's banner say what `jctui check --attention` lists (one list), in words, never
wrapped."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from textual.pilot import Pilot

from jctui.cli import main
from jctui.config import KioskDef, PlaylistItem, load_config
from jctui.ui.app import JctuiApp
from jctui.ui.kiosk_app import KioskApp
from jctui.ui.widgets.attention_line import AttentionLine
from tests.functional.figure_stores import with_figure_store

AUGUST = dt.date(2018, 8, 1)  # Kreis Offenbach's integrations: newly off track
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _stored_months() -> None:
    """The months these dashboards show and compare with (June to September), stored as
    a dashboard at August stores them: each test reads them instead of computing them."""
    with_figure_store(AUGUST)


async def attention_of(pilot: Pilot[None], app: JctuiApp, selector: str) -> AttentionLine:
    """The attention line, once it compares with the month before (prepared by the
    prefetch): it names the target newly off track."""
    line = app.screen.query_one(selector, AttentionLine)
    for _ in range(600):
        await pilot.pause(0.05)
        if any("newly off track" in v for v in line.variants):
            return line
    raise AssertionError(f"no attention line against the month before: {line.variants}")


def rendered(line: AttentionLine) -> str:
    return str(line.render())


async def test_the_overview_line_is_the_check_attention_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["check", "--attention", "Kreis Offenbach", "--at", "2018-08", "--lang", "en"])
    listed = [line.split(": ", 1)[1] for line in capsys.readouterr().out.splitlines()[2:]]
    assert listed  # the newly-off-track target and the overdue data
    config = dataclasses.replace(load_config(None), language="en")
    app = JctuiApp(config, as_of=AUGUST, today=TODAY)
    async with app.run_test(size=(200, 40)) as pilot:
        line = await attention_of(pilot, app, "#attention")
        assert rendered(line) == "Needs attention: " + "; ".join(listed)
    app = JctuiApp(config, as_of=AUGUST, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        line = await attention_of(pilot, app, "#attention")
        text = rendered(line)
        assert text == "! 2: off track, data overdue"  # the shortest words fit 80 columns
        assert line.region.height == 1
        assert line.region.right <= 80
        title = str(app.screen.query_one("#overview-title").render())
        assert "Kreis Offenbach" in title
        assert "…" not in title


async def test_german_and_nothing_to_look_at() -> None:
    config = dataclasses.replace(load_config(None), language="de")
    app = JctuiApp(config, as_of=AUGUST, today=dt.date(2018, 9, 20))  # October: not yet due
    async with app.run_test(size=(200, 40)) as pilot:
        line = app.screen.query_one("#attention", AttentionLine)
        for _ in range(600):
            await pilot.pause(0.05)
            if any("nicht auf Kurs" in v for v in line.variants):
                break
        assert rendered(line).startswith("Zu beachten: Integrationen: Ziel nach der Hochrechnung")
    app = JctuiApp(config, as_of=dt.date(2018, 7, 1), today=dt.date(2018, 8, 20))
    async with app.run_test(size=(120, 30)) as pilot:
        line = app.screen.query_one("#attention", AttentionLine)
        for _ in range(600):
            await pilot.pause(0.05)
            if line.variants:
                break
        assert rendered(line) == "nichts zu beachten"


async def test_the_kiosk_shows_the_same_line_as_a_banner_on_every_page() -> None:
    playlist = (
        PlaylistItem(view="overview", jobcenter="Kreis Offenbach", dwell=30),
        PlaylistItem(view="ranking", group_by="state", group="HE", metric="k2", dwell=20),
    )
    config = dataclasses.replace(
        load_config(None),
        language="en",
        kiosk=KioskDef(enabled=True, site_label="Foyer", playlist=playlist),
    )
    app = KioskApp(config, as_of=AUGUST, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        banner = await attention_of(pilot, app, "#kiosk-attention")
        assert banner.display
        assert banner.region.height == 1
        assert rendered(banner).startswith("Needs attention: ")
        assert not app.screen.query_one("#attention", AttentionLine).display  # said once
