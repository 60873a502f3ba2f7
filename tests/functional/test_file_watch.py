"""The dashboard follows its data file: a user edits or replaces the CSV and sees it, no key needed.

End to end through the real watcher (watchfiles, 800 ms debounce) and the real load and
compute workers. A broken file must not wipe the figures: the last good ones stay on screen
and the header says why; the next good file brings the dashboard back to fresh.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest
from textual.message import Message
from textual.pilot import Pilot

from jctui.config import load_config
from jctui.ui.messages import DataLoaded, FiguresShown, NoticePosted
from jctui.ui.widgets.compare_table import CompareTable
from jctui.ui.widgets.status_header import StatusHeader
from jctui.ui.widgets.warnings_view import WarningsTable
from tests.functional.test_ui import RecordingApp, header, make_app, ready, tile, until

M = TypeVar("M", bound=Message)

HEADER = "jobcenter_id,period,metric,value,name,state,carrier"
JOBCENTERS = (
    ("06438", "Kreis Offenbach", "HE", "gE"),
    ("06412", "Frankfurt am Main", "HE", "gE"),
    ("05124", "Stadt Wuppertal", "NW", "zkT"),
)
MONTHS = 14  # Jan 2017 .. Feb 2018: a full year before the latest month
SHOWN = "06438"  # the config's default Jobcenter (Kreis Offenbach)
WAIT = 6.0  # seconds a user waits at most for a change to show (debounce is 0.8 s)


def long_csv(latest: int = 1_013) -> str:
    """Monthly integrations of three Jobcenters; `latest` is Kreis Offenbach's Feb 2018 value."""
    rows = [HEADER]
    for i, (jobcenter_id, name, state, carrier) in enumerate(JOBCENTERS):
        for k in range(MONTHS):
            year, month = divmod(k, 12)
            value = latest if (jobcenter_id == SHOWN and k == MONTHS - 1) else 1_000 + 10 * i + k
            rows.append(
                f"{jobcenter_id},{2017 + year}-{month + 1:02d},integrations,{value},"
                f"{name},{state},{carrier}"
            )
    return "\n".join(rows) + "\n"


def replace_file(path: Path, data: bytes) -> None:
    """Write as a careful producer does: a temp file in the same folder, then an atomic rename."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def shown_integrations(app: RecordingApp) -> float | None:
    """Kreis Offenbach's integrations in the latest month, as the app holds it for the screens."""
    row = app.session.lookups.metrics.get(SHOWN, {}).get("integrations")
    return None if row is None else row["value"]


def seen_since(app: RecordingApp, mark: int, kind: type[M]) -> list[M]:
    return [m for m in app.seen[mark:] if isinstance(m, kind)]


def shows(app: RecordingApp, value: float) -> bool:
    """Kreis Offenbach's latest integrations are `value` in the figures the app holds."""
    return shown_integrations(app) == value


async def start(pilot: Pilot[None], app: RecordingApp) -> None:
    """Wait for the first figures (from the file) and check they are the ones written."""
    await ready(pilot, app, None)
    assert app.jobcenter_id == SHOWN
    assert shown_integrations(app) == 1_013
    assert "1,013" in tile(app, "integrations")
    assert app.query_one(StatusHeader).state == "fresh"


async def test_changed_file_shows_without_pressing_r(tmp_path: Path) -> None:
    """Someone replaces the file with a corrected value; the tile shows it within seconds."""
    data = tmp_path / "jobcenters.csv"
    data.write_text(long_csv(), encoding="utf-8")
    app = make_app(load_config(None).with_source(str(data)), as_of=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, app)
        mark = len(app.seen)
        replace_file(data, long_csv(latest=4_321).encode())
        await until(
            pilot, lambda: shown_integrations(app) == 4_321, "the new value in the figures", WAIT
        )
        assert seen_since(app, mark, DataLoaded)
        assert seen_since(app, mark, FiguresShown)
        text = tile(app, "integrations")
        assert "4,321" in text
        assert "1,013" not in text
        assert app.figures is not None
        assert app.figures.as_of.isoformat() == "2018-02-01"  # still the latest month
        assert app.session.data is not None
        assert len(app.session.data.revision_rows) == 1  # the one changed value is a revision
        assert any("1 values revised" in text for _, text in app.notices)
        await pilot.press("4")  # the warnings screen lists the revised value
        table = app.query_one("#warnings-table", WarningsTable)
        cells = [[str(c) for c in table.row_cells(key)] for key in table.keys]
        assert ["Kreis Offenbach", "Feb 2018", "revision", "revised: 1,013 → 4,321"] in [
            row[:4] for row in cells
        ]
        assert app.query_one(StatusHeader).state == "fresh"
        assert "updated" in header(app)


BROKEN = (  # (what, the file's bytes, the reason shown)
    ("empty", b"", "empty file"),
    ("garbage", b"\x89\x00\x01 garbage \xff\x80\x00", "not a CSV/JSON/Parquet file"),
    ("cut-first-row", (HEADER + "\n06438,2018-0").encode(), "ends in the middle of a row"),
    (  # a producer still writing: cut inside Offenbach's latest value "1013"
        "half-written",
        long_csv()[: long_csv().index("06438,2018-02,integrations,10") + 29].encode(),
        "ends in the middle of a row",
    ),
)


async def test_broken_file_keeps_last_good_figures_then_recovers(tmp_path: Path) -> None:
    """A broken file leaves the figures as they were and says so in the header; a good one
    heals it. One dashboard, its file broken in each way in turn and healed each time."""
    data = tmp_path / "jobcenters.csv"
    data.write_text(long_csv(), encoding="utf-8")
    app = make_app(load_config(None).with_source(str(data)), as_of=None)
    async with app.run_test(size=(160, 30)) as pilot:
        await start(pilot, app)
        status = app.query_one(StatusHeader)
        good = 1_013
        for round_, (what, broken, reason) in enumerate(BROKEN):
            good_figures = app.figures
            mark, noticed = len(app.seen), len(app.notices)

            replace_file(data, broken)
            await until(pilot, lambda: status.state == "stale", f"{what}: header not 'fresh'", WAIT)
            assert reason in status.reason, (what, status.reason)
            text = header(app)
            assert "fetch failed since" in text, (what, text)
            assert reason in text, (what, text)
            failures = [m for m in seen_since(app, mark, NoticePosted) if m.kind == "failure"]
            assert failures, f"{what}: no failure notice"
            assert reason in failures[0].text, (what, failures[0].text)
            # a red notification says what is wrong
            shown = app.notices[noticed:]
            assert any(kind == "error" and reason in t for kind, t in shown), (what, shown)
            # the last good data stays: nothing new was loaded or computed
            assert not seen_since(app, mark, DataLoaded), f"{what}: the broken file was loaded"
            assert not seen_since(app, mark, FiguresShown), f"{what}: new figures shown"
            assert app.figures is good_figures, f"{what}: the last good figures were dropped"
            assert shown_integrations(app) == good, what
            assert f"{good:,}" in tile(app, "integrations"), (what, tile(app, "integrations"))
            await pilot.press("2")  # the app is alive: the compare screen still lists everyone
            table = app.query_one("#compare-table", CompareTable)
            assert table.row_count == len(JOBCENTERS), f"{what}: the compare table lost rows"
            await pilot.press("1")
            assert app.is_running, f"{what}: the dashboard ended"

            mark, good = len(app.seen), 2_468 + round_
            replace_file(data, long_csv(latest=good).encode())
            await until(pilot, partial(shows, app, good), f"{what}: recovered", WAIT)
            await until(pilot, lambda: status.state == "fresh", f"{what}: header 'fresh'", WAIT)
            assert seen_since(app, mark, DataLoaded), f"{what}: the good file was not loaded"
            recoveries = [m for m in seen_since(app, mark, NoticePosted) if m.kind == "recovery"]
            assert recoveries, f"{what}: no recovery notice"
            assert status.reason == "", (what, status.reason)
            assert "updated" in header(app), (what, header(app))
            assert "stale" not in header(app), (what, header(app))
            assert f"{good:,}" in tile(app, "integrations"), (what, tile(app, "integrations"))


async def test_a_folder_that_is_not_there_yet_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data lives on a share that is not mounted at start: an error, no crash; once the
    folder and the file are there, the figures come without a key press."""
    import jctui.session.watch as watch_module

    monkeypatch.setattr(watch_module, "WATCH_RETRY", 0.3)
    folder = tmp_path / "share"
    data = folder / "jobcenters.csv"
    app = make_app(load_config(None).with_source(str(data)), as_of=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(
            pilot, lambda: app.query_one(StatusHeader).state == "error", "error state", WAIT
        )
        assert app.is_running
        folder.mkdir()
        replace_file(data, long_csv().encode())
        await until(
            pilot, lambda: shown_integrations(app) == 1_013, "figures from the new folder", WAIT
        )
        assert app.query_one(StatusHeader).state == "fresh"


async def test_a_folder_made_anew_is_watched_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deploy replaces the whole folder; later changes in the new folder still show."""
    import shutil

    import jctui.session.watch as watch_module

    monkeypatch.setattr(watch_module, "WATCH_RETRY", 0.3)
    folder = tmp_path / "data"
    folder.mkdir()
    data = folder / "jobcenters.csv"
    data.write_text(long_csv(), encoding="utf-8")
    app = make_app(load_config(None).with_source(str(data)), as_of=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, app)
        shutil.rmtree(folder)
        folder.mkdir()
        replace_file(data, long_csv(latest=2_222).encode())
        await until(pilot, lambda: shown_integrations(app) == 2_222, "data of the new folder", WAIT)
        await pilot.pause(1.0)  # the watcher settles on the new folder
        replace_file(data, long_csv(latest=3_333).encode())
        await until(
            pilot, lambda: shown_integrations(app) == 3_333, "a change in the new folder", WAIT
        )
        assert "3,333" in tile(app, "integrations")
