"""What one column of a published table holds (jctui.readers.published.columns finds it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """What one grid column holds: a registry role or a metric (months back from the row's
    period: 12 for "a year earlier")."""

    index: int
    role: str = ""
    metric: str = ""  # ROW_METRIC: told by the row's label
    back: int = 0
    period: str = ""  # YYYY-MM of a month column (a time series), else the row's
    change: str = ""  # "abs" / "pct": a change against a year earlier, checked, never a level
    label: str = ""  # a figure the catalogue lacks: the header it is read under
