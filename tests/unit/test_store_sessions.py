"""The dashboard's session reads the figure store (jctui.session.store_link): a new session
on a stored revision, an as-of step and a change of Jobcenter compute no figure of the
load's engine; a store of other data under the same key is not used."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from jctui.config import Config, load_config
from jctui.engine import Engine
from jctui.presentation.policy import SmallCounts
from jctui.session import store
from jctui.session.load import combine, locate, read_located
from jctui.session.session import Loaded, RefreshRequest, Session
from jctui.session.store_link import link_load

AS_OF = dt.date(2018, 10, 1)


def demo_config(tmp_path: Path) -> Config:
    return dataclasses.replace(load_config(None), cache_dir=str(tmp_path / "cache"))


def counted(monkeypatch: pytest.MonkeyPatch) -> list[Engine]:
    """Every engine that computes figures, once per computation."""
    calls: list[Engine] = []
    original = Engine.figures

    def figures(self: Engine, *args: Any, **kwargs: Any) -> Any:
        calls.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Engine, "figures", figures)
    return calls


def started(config: Config, *, prefetch: bool = False) -> Session:
    """A session loaded and showing AS_OF, as the dashboard's workers do it."""
    session = Session(config, as_of=AS_OF, today=dt.date(2026, 11, 25))
    loads = [e for e in session.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
    as_of = session.accept_data(loads[0])
    assert session.accept_figures(session.compute(as_of, session.next_compute(as_of)))
    if prefetch:
        session.prefetch()
    return session


def own(calls: list[Engine], session: Session) -> int:
    """How many figure computations the session's own load made (the state's figures
    beside a Jobcenter are computed from the few aggregate rows by an engine of their own)."""
    assert session.data is not None
    return sum(1 for engine in calls if engine is session.data.engine)


def test_a_second_session_a_month_step_and_a_jobcenter_change_compute_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = demo_config(tmp_path)
    calls = counted(monkeypatch)
    first = started(config, prefetch=True)  # computes AS_OF and the month before, stores them
    assert own(calls, first) == 2  # AS_OF is the latest month: one neighbour
    assert first.data is not None
    assert first.data.store is not None

    calls.clear()
    prepared = counted_views(monkeypatch)
    second = started(config)  # a new session (another dashboard, a `serve` session)
    assert second.data is not None
    assert second.data.store is not None
    assert second.figures is not None
    assert first.figures is not None
    for part in store.MONTH_FRAMES:
        assert_frame_equal(getattr(second.figures, part), getattr(first.figures, part))
    assert second.overview("en") == first.overview("en")
    assert repr(second.lookups) == repr(first.lookups)  # the screens' look-ups, kept as JSON
    month = second.stepped(-1)  # `[`
    assert month == dt.date(2018, 9, 1)
    assert second.accept_figures(second.compute(month, second.next_compute(month)))
    assert second.figures.as_of == month
    second.choose("01887")  # another Jobcenter: read from the prepared look-ups
    overview = second.overview("en")
    assert overview is not None
    assert overview.name == "Stadt Falkendorf"
    assert own(calls, second) == 0
    assert prepared == []  # nor were the look-ups of the screens prepared again


def counted_views(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every preparation of the screens' look-ups."""
    from jctui.session import prepare

    calls: list[object] = []
    original = prepare.prepare_views

    def counted(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(prepare, "prepare_views", counted)
    return calls


def test_a_month_not_stored_yet_is_computed_once_and_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = demo_config(tmp_path)
    calls = counted(monkeypatch)
    first = started(config)
    month = dt.date(2017, 1, 1)
    first.accept_figures(first.compute(month, first.next_compute(month)))
    assert own(calls, first) == 2
    calls.clear()
    second = started(config)
    second.accept_figures(second.compute(month, second.next_compute(month)))
    assert own(calls, second) == 0


def test_a_store_of_other_data_under_the_same_key_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key names the files; the fingerprint checks the data: a store written from other
    values (a file changed while it was read) is not what the dashboard shows."""
    config = demo_config(tmp_path)
    located = [locate(src, config) for src in config.sources]
    dataset = combine([read_located(loc, config) for loc in located], config.sources)
    key = store.store_key(config, located)
    assert key is not None
    other = dataclasses.replace(dataset, values=dataset.values.with_columns(pl.col("value") + 1))
    other_engine = Engine.for_dataset(config, other)
    store.write_month(
        store.write_data(config, key, other, other_engine),
        key,
        store.month_figures(other_engine, AS_OF, SmallCounts.of(config)),
    )
    engine = Engine.for_dataset(config, dataset)
    assert link_load(config, dataset, engine, None) is None
    assert link_load(config, other, other_engine, None) is not None

    calls = counted(monkeypatch)
    session = started(config)
    assert session.data is not None
    assert session.data.store is None
    assert own(calls, session) == 1
    fresh = store.month_figures(engine, AS_OF, SmallCounts.of(config))
    assert session.figures is not None
    assert_frame_equal(session.figures.metrics, fresh.metrics)
