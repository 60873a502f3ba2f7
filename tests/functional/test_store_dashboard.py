"""The dashboard on a stored revision: its start, an as-of step (`[`) and a change of
Jobcenter show stored figures; the load's engine computes none."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from jctui.config import load_config
from tests.functional.test_ui import make_app, ready, tile
from tests.unit.test_store_sessions import counted, own, started


async def test_the_dashboard_on_a_stored_revision_computes_no_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = dataclasses.replace(load_config(None), cache_dir=str(tmp_path / "cache"))
    first = started(config, prefetch=True)  # another session stored October and September
    september = dt.date(2018, 9, 1)
    first.accept_figures(first.compute(september, first.next_compute(september)))
    first.prefetch()  # and August: every month the dashboard below shows or prefetches
    first.accept_figures(first.compute(None, first.next_compute(None)))
    calls = counted(monkeypatch)
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        session = app.session
        assert session.data is not None
        assert session.data.store is not None
        assert tile(app, "integrations") != ""
        assert session.overview("en") == first.overview("en")
        await pilot.press("left_square_bracket")
        await ready(pilot, app, september)
        app.choose_jobcenter("01887")
        await pilot.pause(0.2)
        overview = session.overview("en")
        assert overview is not None
        assert overview.name == "Stadt Falkendorf"
        assert own(calls, session) == 0
