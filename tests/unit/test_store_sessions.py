"""The dashboard's session reads the figure store (jctui.session.store_link): a new session
on a stored revision, an as-of step and a change of Jobcenter compute no figure of the
load's engine; a store of other data under the same key is not used."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from polars.testing import assert_frame_equal

from jctui.config import Config, load_config
from jctui.engine import Engine
from jctui.session import store
from jctui.session.session import Loaded, RefreshRequest, Session

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
    ours = next(r for r in second.lookups.compare_rows if r["jobcenter_id"] == "06438")
    k2 = ours["standing"]["rate:k2"]  # the compare table's rank and gaps, kept too
    assert (k2.group_rank, k2.group_rank_of, round(k2.best, 1)) == (5, 29, -4.2)
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


def counted_views(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Every preparation of the screens' look-ups."""
    from jctui.session import prepare

    return counting(monkeypatch, prepare, "prepare_views")


def counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[tuple[object, ...]]:
    """The arguments of every call of `owner.name` from now on (it still runs)."""
    calls: list[tuple[object, ...]] = []
    original = getattr(owner, name)

    def counted(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(owner, name, counted)
    return calls
