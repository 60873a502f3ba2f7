"""Every message the dashboard posts, as dataclasses in one place (as toolong does)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:  # the messages carry these; importing them here would load Polars early
    import polars as pl

    from jctui.engine import Engine, Figures
    from jctui.model import Dataset
    from jctui.session.refresh import Notice
    from jctui.session.views import FigureViews


@dataclass
class DataLoaded(Message):
    """A load or refresh finished: the dataset and its prepared engine."""

    dataset: Dataset
    engine: Engine
    revisions: pl.DataFrame | None
    jobcenters: dict[str, dict[str, Any]]  # registry rows by id
    revised: dict[str, dict[str, int]]  # number of revised values by Jobcenter and metric


@dataclass
class LoadFailed(Message):
    """A load or refresh failed; the last good data stays on screen."""

    reason: str


@dataclass
class FiguresReady(Message):
    """Figures for one as-of period, with the views of them the screens look up."""

    figures: Figures
    views: FigureViews
    seq: int  # which compute request these answer: only the newest is shown


@dataclass
class JobcenterChosen(Message):
    """The user picked a Jobcenter (palette, Enter in the compare table)."""

    jobcenter_id: str


@dataclass
class RowChosen(Message):
    """Enter (or a double click) on a row of a RowTable."""

    key: str


@dataclass
class HeaderClicked(Message):
    """A click on a RowTable's header: the column, counted from 0."""

    column: int


@dataclass
class MarksChanged(Message):
    """The set of marked Jobcenters (for the chart) changed."""

    marked: frozenset[str]


@dataclass
class AsOfChanged(Message):
    as_of: dt.date


@dataclass
class RefreshState(Message):
    """The data state over all sources after a refresh cycle (worst wins)."""

    state: str
    reason: str
    since: dt.datetime | None
    retry_in: float | None


@dataclass
class NoticePosted(Message):
    """A first failure or a recovery: worth one notification (not every retry)."""

    kind: str
    text: str


def notice_message(notice: Notice) -> NoticePosted:
    return NoticePosted(notice.kind, notice.message)
