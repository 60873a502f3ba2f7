"""Metrics engine: pure Polars, no Textual, no httpx.

Public API (the UI, the CLI and the tests call only these):

- `compute_figures(values, registry, metrics, rates, *, as_of=None, window="12",
   group_by="comparison_type", checks=()) -> Figures`
- `series(values, registry, *, metric, jobcenter_ids, as_of, periods=24, figure="value",
   group_by="comparison_type", with_group_mean=True) -> pl.DataFrame`
- `detect_revisions(old_values, new_values) -> pl.DataFrame`
- `find_jobcenters(registry, query) -> pl.DataFrame`

See jctui/engine/figures.py for the column contract of `Figures`.
"""

from __future__ import annotations
