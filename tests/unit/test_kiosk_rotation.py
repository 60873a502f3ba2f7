"""Kiosk rotation: dwell times, time-of-day limits, pause on keys, skipping failed views."""

from __future__ import annotations

import datetime as dt

from jctui.config import PlaylistItem
from jctui.session.kiosk import Rotation, default_playlist, shown_at

MORNING = dt.datetime(2026, 11, 25, 8, 30)
NOON = dt.datetime(2026, 11, 25, 12, 0)


def items() -> tuple[PlaylistItem, ...]:
    return (
        PlaylistItem(view="overview", jobcenter="Kreis Offenbach", dwell=30),
        PlaylistItem(view="ranking", metric="k2", dwell=20, hours="08:00-10:00"),
        PlaylistItem(view="compare", dwell=10),
    )


def test_rotation_follows_dwell_times_and_wraps() -> None:
    rot = Rotation(items())
    shown = []
    now = 0.0
    while now < 200:
        item = rot.tick(now, MORNING)
        if item is not None:
            shown.append((now, item.view))
        now += 1
    assert shown[:4] == [(0, "overview"), (30, "ranking"), (50, "compare"), (60, "overview")]
    assert [t for t, _ in shown] == [0, 30, 50, 60, 90, 110, 120, 150, 170, 180]  # rotates on


def test_item_limited_to_hours_is_skipped_outside_them() -> None:
    rot = Rotation(items())
    views = []
    now = 0.0
    for _ in range(6):
        item = rot.tick(now, NOON)
        assert item is not None
        views.append(item.view)
        now = rot.due
    assert "ranking" not in views
    assert views[:3] == ["overview", "compare", "overview"]


def test_hours_window_wraps_midnight() -> None:
    night = PlaylistItem(view="compare", hours="22:00-06:00")
    assert shown_at(night, dt.datetime(2026, 1, 1, 23, 0))
    assert shown_at(night, dt.datetime(2026, 1, 1, 5, 59))
    assert not shown_at(night, dt.datetime(2026, 1, 1, 6, 0))
    assert shown_at(
        PlaylistItem(view="compare", hours="00:00-24:00"), dt.datetime(2026, 1, 1, 23, 59)
    )


def test_key_press_pauses_until_idle_then_resumes_with_next_item() -> None:
    rot = Rotation(items(), idle_resume=60)
    shown = rot.tick(0, MORNING)
    assert shown is not None
    assert shown.view == "overview"
    rot.pause(10)
    for now in range(10, 70):
        assert rot.tick(now, MORNING) is None  # held while paused, even past the dwell time
    assert rot.seconds_to_next(69) == 1
    shown = rot.tick(70, MORNING)
    assert shown is not None
    assert shown.view == "ranking"


def test_failed_view_is_skipped_and_rotation_goes_on() -> None:
    rot = Rotation(items())
    rot.tick(0, MORNING)
    nxt = rot.record_failure(1, MORNING)
    assert nxt is not None
    assert nxt.view == "ranking"
    assert rot.failures == {0: 1}


def test_nothing_allowed_now_waits_a_minute() -> None:
    rot = Rotation((PlaylistItem(view="ranking", hours="08:00-10:00"),))
    assert rot.tick(0, NOON) is None
    assert rot.seconds_to_next(0) == 60
    shown = rot.tick(60, MORNING)
    assert shown is not None
    assert shown.view == "ranking"


def test_default_playlist_visits_every_view() -> None:
    assert {i.view for i in default_playlist("X")} == {
        "overview", "ranking", "chart", "compare", "targets",
    }  # fmt: skip
