"""The look-ups of one set of figures that the screens make: plain Python, no Polars.

Made by `jctui.session.prepare` in the compute worker, so the UI thread only looks things
up in dicts (see there why).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Sparks = Mapping[tuple[str, str], list[float | None]]
Row = dict[str, Any]


@dataclass(frozen=True)
class PaletteEntry:
    """A Jobcenter the command palette can find."""

    jobcenter_id: str
    name: str
    help: str  # id, state and carrier


@dataclass(frozen=True)
class FigureLookups:
    """Plain-Python look-ups of a `Figures`, keyed the way the screens look them up."""

    # per Jobcenter (these six): plain dicts when prepared here; read from the figure store,
    # each Jobcenter's decoded when looked up (jctui.session.lazy_views)
    sparks: Sparks = field(default_factory=dict)
    metrics: Mapping[str, dict[str, Row]] = field(default_factory=dict)
    rates: Mapping[str, dict[str, Row]] = field(default_factory=dict)
    warning_counts: Mapping[str, dict[str, int]] = field(default_factory=dict)
    # read from the figure store, decoded when first used (the compare tab, the kiosk)
    compare_rows: Sequence[Row] = field(default_factory=list)
    warning_rows: list[Row] = field(default_factory=list)
    targets: Mapping[str, dict[str, Row]] = field(default_factory=dict)  # Figures.targets rows
    # per figure: the Jobcenters with a target, best attainment first, with registry columns
    target_rankings: Mapping[str, list[Row]] = field(default_factory=dict)
    # per Jobcenter: the metrics whose value at the as-of month the publisher withheld (`*`)
    published_withheld: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # per state code and figure: the state's published figure beside the group mean
    # (jctui.presentation.references.state_figures; empty without aggregates)
    states: dict[str, dict[str, Row]] = field(default_factory=dict)

    def for_attention(self) -> FigureLookups:
        """Only what the attention line of the month after reads of this month
        (ATTENTION_FIELDS): a month prepared for that alone holds a third as much."""
        return FigureLookups(**{name: getattr(self, name) for name in ATTENTION_FIELDS})


# what jctui.session.screen_data.attention_entry reads of the month before the one shown
ATTENTION_FIELDS = ("metrics", "rates", "targets", "warning_rows")
# the fields keyed by Jobcenter: kept in the figure store as a line per Jobcenter
# the fields read whole when first used (the store's views: `lazy_views.JobcenterLines`)
ON_DEMAND = ("compare_rows", "target_rankings")
BY_JOBCENTER = ("metrics", "rates", "targets", "warning_counts", "published_withheld", "sparks")
