"""Every message the dashboard posts, as dataclasses in one place (as toolong does).

Workers report back only by these; the session's plain events are wrapped by `message_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the messages carry these; importing them here would load Polars early
    from jctui.i18n import Lang
    from jctui.session.chart import ChartData, ChartQuery, ChartSource
    from jctui.session.refresh import Notice
    from jctui.session.session import Computed, Event, Loaded, SourcesState


@dataclass
class DataLoaded(Message):
    """A load or refresh finished: the dataset, its prepared engine and lookups."""

    loaded: Loaded


@dataclass
class LoadFailed(Message):
    """A load or refresh failed; the last good data stays on screen."""

    reason: str


@dataclass
class FiguresReady(Message):
    """Figures for one as-of period, with the look-ups the screens make in them."""

    computed: Computed


@dataclass
class MonthsPrefetched(Message):
    """The neighbouring months (and the month before the one shown) are prepared: the
    attention line can now compare with the month before."""


@dataclass
class FiguresShown(Message):
    """A screen shows new figures (the app then freezes the heap of what stays)."""


@dataclass
class ChartWanted(Message):
    """The chart's settings changed: its lines of `query` from `source`, in `lang`."""

    source: ChartSource
    query: ChartQuery
    lang: Lang


@dataclass
class ChartReady(Message):
    """The lines a chart worker computed for one `ChartWanted`."""

    wanted: ChartWanted
    data: ChartData


@dataclass
class RefreshState(Message):
    """The data state over all sources after a refresh cycle (worst wins)."""

    state: SourcesState


@dataclass
class NoticePosted(Message):
    """A first failure or a recovery: worth one notification (not every retry)."""

    kind: str
    text: str


@dataclass
class FigureChosen(Message):
    """Enter on a tile: chart that figure."""

    key: str


@dataclass
class JobcenterChosen(Message):
    """The user picked a Jobcenter (palette, Enter in the compare or warnings table)."""

    jobcenter_id: str


@dataclass
class MakeMine(Message):
    """The user made a Jobcenter theirs ("my Jobcenter", kept across starts)."""

    jobcenter_id: str


@dataclass
class MarksChanged(Message):
    """The set of Jobcenters marked for the chart changed (space in the compare table)."""

    marked: frozenset[str]


@dataclass
class RowChosen(Message):
    """Enter (or a double click) on a row of a RowTable."""

    key: str


@dataclass
class RowHighlighted(Message):
    """The cursor of a RowTable moved onto another row."""

    key: str


@dataclass
class HeaderClicked(Message):
    """A click on a RowTable's header: the column, counted from 0."""

    column: int


def message_for(event: Event | Notice) -> Message:
    """The message that carries one event of a refresh cycle to the UI thread."""
    from jctui.session.refresh import Notice
    from jctui.session.session import Loaded, RefreshFailed, SourcesState

    if isinstance(event, Loaded):
        return DataLoaded(event)
    if isinstance(event, SourcesState):
        return RefreshState(event)
    if isinstance(event, RefreshFailed):
        return LoadFailed(event.reason)
    if isinstance(event, Notice):
        return NoticePosted(event.kind, event.message)
    raise TypeError(f"no message for {type(event).__name__}")
