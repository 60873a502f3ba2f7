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


@pytest.mark.parametrize("changed", [True, False], ids=["file-changed", "unchanged"])
async def test_a_file_changed_before_the_watcher_started_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: bool
) -> None:
    """The first load is read from the store before the screen, the file watcher starts
    after the first frame: a source file changed in between is read again (a refresh
    cycle runs); unchanged, none runs."""
    import os
    import shutil

    from jctui.session.session import Session
    from jctui.ui.messages import RefreshState

    source = tmp_path / "values.parquet"
    shutil.copy(Path(__file__).parents[2] / "jctui" / "demo" / "demo_values.parquet", source)
    config = dataclasses.replace(load_config(None), cache_dir=str(tmp_path / "cache"))
    config = config.with_source(str(source))
    started(config, prefetch=True)  # the latest month stored (and the two before it)
    open_stored = Session.open_stored

    def then_changed(session: Session) -> object:
        opened = open_stored(session)
        if changed:  # after the store's revision was found, before the watcher watches
            later = source.stat().st_mtime + 5
            os.utime(source, (later, later))
        return opened

    monkeypatch.setattr(Session, "open_stored", then_changed)
    app = make_app(config, as_of=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app, None)
        assert app.session.opened is not None  # shown from the store
        for _ in range(60):
            await pilot.pause(0.05)
            if app.seen_of(RefreshState):
                break
        assert bool(app.seen_of(RefreshState)) is changed


async def test_a_step_to_a_prefetched_month_shows_it_without_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A month the prefetch prepared is shown by the key's own handling (no compute worker,
    no message round trip before its frame): in the frame of the key, the stored figures;
    a month not prepared is still computed in a worker."""
    from jctui.session.session import Session
    from jctui.ui.screens import dashboard

    config = dataclasses.replace(load_config(None), cache_dir=str(tmp_path / "cache"))
    first = started(config, prefetch=True)  # stores October, September and August
    monkeypatch.setattr(dashboard, "PREFETCH_AT_START", 0.05)
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        session = app.session
        september = dt.date(2018, 9, 1)
        for _ in range(100):  # the prefetch at start prepares September
            await pilot.pause(0.05)
            if session.months.ready(session.data, september) is not None:  # type: ignore[arg-type]
                break
        computed: list[dt.date | None] = []
        compute = Session.compute

        def counted(self: Session, as_of: dt.date | None, seq: int) -> object:
            if self is session:
                computed.append(as_of)
            return compute(self, as_of, seq)

        monkeypatch.setattr(Session, "compute", counted)
        await pilot.press("left_square_bracket")
        assert app.figures is not None
        assert app.figures.as_of == september  # shown by the key itself
        assert computed == []
        first.accept_figures(first.compute(september, first.next_compute(september)))
        assert session.overview("en") == first.overview("en")
        march = dt.date(2018, 3, 1)  # not prepared: computed (and stored) in a worker
        app.dashboard.start_compute(march)
        assert app.figures.as_of == september
        await ready(pilot, app, march)
        assert computed == [march]
