"""Kiosk playlist rotation: which view to show next, for how long, and when it is paused.

Pure logic with the clock passed in, so a simulated week runs in milliseconds in the tests;
the Textual kiosk screen (jctui/ui) only asks `Rotation` what to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jctui.config import PlaylistItem


def default_playlist(jobcenter: str) -> tuple[PlaylistItem, ...]:
    """Used when the config has no [[kiosk.playlist]]: a sensible tour of every view."""
    return (
        PlaylistItem(view="overview", jobcenter=jobcenter, dwell=30),
        PlaylistItem(view="ranking", metric="k2", dwell=20),
        PlaylistItem(view="chart", jobcenters=(jobcenter,), metric="integrations", dwell=20),
        PlaylistItem(view="compare", dwell=20),
        PlaylistItem(view="targets", metric="integrations", dwell=20),
    )


def _parse_hhmm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    if hours == "24":
        return dt.time(23, 59, 59, 999999)
    return dt.time(int(hours), int(minutes))


def shown_at(item: PlaylistItem, moment: dt.datetime) -> bool:
    """True when the item's time-of-day window (if any) contains `moment`; wraps midnight."""
    if not item.hours:
        return True
    start_text, end_text = item.hours.split("-")
    start, end = _parse_hhmm(start_text), _parse_hhmm(end_text)
    now = moment.time()
    if start <= end:
        return start <= now < end
    return now >= start or now < end  # e.g. 22:00-06:00


@dataclass
class Rotation:
    """The state of the rotation: current item, when it is due to change, pauses, failures."""

    items: tuple[PlaylistItem, ...]
    idle_resume: float = 60.0
    index: int = -1
    due: float = 0.0  # monotonic time at which the next item is due
    paused_until: float | None = None
    failures: dict[int, int] = field(default_factory=dict)  # index -> consecutive errors

    def current(self) -> PlaylistItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def advance(self, now: float, wall: dt.datetime) -> PlaylistItem | None:
        """Move to the next item that may be shown at `wall`; None when none may be."""
        count = len(self.items)
        for step in range(1, count + 1):
            candidate = (self.index + step) % count
            if shown_at(self.items[candidate], wall):
                self.index = candidate
                self.due = now + self.items[candidate].dwell
                return self.items[candidate]
        self.due = now + 60.0  # nothing allowed now: look again in a minute
        return None

    def tick(self, now: float, wall: dt.datetime) -> PlaylistItem | None:
        """Called periodically: the item to switch to, or None to stay where we are."""
        if not self.items or self.is_paused(now):
            return None
        if now < self.due and self.index >= 0:
            return None
        return self.advance(now, wall)

    def pause(self, now: float) -> None:
        """A key was pressed: hold the current view until `idle_resume` seconds without keys."""
        self.paused_until = now + self.idle_resume

    def is_paused(self, now: float) -> bool:
        if self.paused_until is None:
            return False
        if now >= self.paused_until:
            self.paused_until = None
            self.due = now  # resume with the next item at once
            return False
        return True

    def seconds_to_next(self, now: float) -> float:
        """How long the caller may sleep before the next `tick` can change anything."""
        if self.paused_until is not None:
            return max(0.0, self.paused_until - now)
        return max(0.0, self.due - now)

    def record_failure(self, now: float, wall: dt.datetime) -> PlaylistItem | None:
        """The current view failed to render: count it and skip to the next item at once."""
        self.failures[self.index] = self.failures.get(self.index, 0) + 1
        return self.advance(now, wall)

    def record_success(self) -> None:
        self.failures.pop(self.index, None)
