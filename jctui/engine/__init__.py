"""Metrics engine: pure Polars, no Textual, no httpx.

Public API (the UI, the CLI and the tests call only these):

- `Engine(values, registry, metrics, rates, *, window="12", group_by="comparison_type",
   checks=(), conflicts=None)`: the data prepared once; `.figures(as_of)` per month (time
   travel), `.extend(new_rows)` when a new month arrives.
- `series(values, registry, *, metric, jobcenter_ids, as_of, periods=24, figure="value",
   group_by="comparison_type", with_group_mean=True) -> pl.DataFrame`
- `rate_series(values, registry, *, rate, jobcenter_ids, as_of, periods=24, ...)`: a rate
   (K2) month by month, in the frame `series` gives
- `detect_revisions(old_values, new_values) -> pl.DataFrame`
- `find_jobcenters(registry, query)`, `closest_names(registry, query, n=3)`

Figures.metrics: one row per (jobcenter_id, metric): kind, value (in t), value_prev_year
(t-12), window_sum / window_sum_prev (flows: window sums), window_mean (flows: per period; stocks: mean
stock), change / change_pct (flows: of window_sum; stocks, as K3: of value), ytd / ytd_prev /
ytd_change / ytd_change_pct (flows), latest_period (data age), group, rank / rank_of /
group_rank / group_rank_of (on change_pct by the better direction; 1 = best; null for
better = "none"), group_mean / group_median / dev_group_mean / dev_group_median (of
change_pct), better, rank_by ("change"; null without a rank).
Figures.rates: jobcenter_id, rate, value (percent), numerator_sum, denominator_mean,
value_prev_year, numerator_sum_prev, denominator_mean_prev, group, ranks (on the value:
rank_by "level"), group stats, better. `figures.RANK_BY` says what ranks compare;
`Engine.flagged(as_of, flags)` counts the flagged periods each declared field (jctui.fields)
is made of (what a suppression policy needs; jctui.engine.flagged). Figures.warnings: structured, no text:
jobcenter_id, period, metric, kind (gap, duplicate, conflict, negative, outlier,
incomplete_window, stated), value, expected and per kind unit, values, lines, statistic,
label, first, count (see `jctui.engine.checks`); `jctui.presentation.wording` words them in
the UI language. A window with a missing period gives null, never a short sum.
Figures.targets (monthly data): per (jobcenter_id, metric or rate) of the as-of year: kind,
better, year, target, current, target_progress_pct, projection, projection_pct, on_track,
projection_problem, projection_missing (see `jctui.engine.targets`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jctui.engine.search import closest_names, find_jobcenters, fold_text

if TYPE_CHECKING:
    from jctui.engine.checks import WARNING_SCHEMA, empty_warnings
    from jctui.engine.core import Engine
    from jctui.engine.figures import Figures
    from jctui.engine.over_time import rate_series, series
    from jctui.engine.revisions import REVISION_SCHEMA, detect_revisions

# imported when first asked for: a lookup read from the figure store computes nothing, and
# one answered by a stored record (jctui.views.show_record) matches names without Polars
_LAZY = {
    "Figures": "jctui.engine.figures",
    "series": "jctui.engine.over_time",
    "rate_series": "jctui.engine.over_time",
    "Engine": "jctui.engine.core",
    "WARNING_SCHEMA": "jctui.engine.checks",
    "empty_warnings": "jctui.engine.checks",
    "REVISION_SCHEMA": "jctui.engine.revisions",
    "detect_revisions": "jctui.engine.revisions",
}


def __getattr__(name: str) -> Any:
    """The engine's computing parts (`Engine`, checks, revisions), imported on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name]), name)


__all__ = [
    "REVISION_SCHEMA",
    "WARNING_SCHEMA",
    "Engine",
    "Figures",
    "closest_names",
    "detect_revisions",
    "empty_warnings",
    "find_jobcenters",
    "fold_text",
    "rate_series",
    "series",
]
