"""The engine object: the data indexed once, figures for any as-of period on demand.

`Engine(values, ...)` prepares the data once per load (period index, sort, data-level
warnings); `engine.figures(as_of)` is the cheap per-month step that time travel and the
CLI use; `engine.extend(new_rows)` takes a new month without redoing the whole load.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping, Sequence

import polars as pl

from jctui.config import Config, MetricDef, RateDef, StatedCheck
from jctui.config.calendar import resolve_month
from jctui.config.catalogue import with_label_figures
from jctui.engine.checks import (
    WARNING_SCHEMA,
    conflict_warnings,
    gap_warnings,
    incomplete_window_warnings,
    negative_flow_warnings,
    outlier_baselines,
    outlier_warnings,
    published_figure_warnings,
    stated_warnings,
)
from jctui.engine.figures import (
    Figures,
    _catalogue_frame,
    detect_frequency,
    metric_figures,
    parse_window,
    period_index,
    ranked_metrics,
    rate_figures,
)
from jctui.engine.flagged import Flagged, flagged_counts
from jctui.engine.targets import empty_target_figures, target_figures
from jctui.errors import JctuiError
from jctui.model import Dataset, empty_targets

KEYS = ["jobcenter_id", "metric", "period"]
CHECK_SLICE_ROWS = 200_000  # rows per slice of the data checks (bounds their memory) ...
CHECK_SLICES_MAX = 8  # ... in at most this many slices: each slice is one pass of a filter


class Engine:
    """Figures of one dataset for any as-of period."""

    def __init__(
        self,
        values: pl.DataFrame | pl.LazyFrame,
        registry: pl.DataFrame,
        metrics: Mapping[str, MetricDef],
        rates: Mapping[str, RateDef],
        *,
        window: str = "12",
        group_by: str = "comparison_type",
        checks: Sequence[StatedCheck] = (),
        conflicts: pl.DataFrame | None = None,
        periods: Sequence[dt.date] | None = None,
        targets: pl.DataFrame | None = None,
    ) -> None:
        """`periods`: every period of the source when `values` holds only some of them (a
        lookup reads only the periods its figures need)."""
        self.metrics = dict(metrics)
        self.targets = targets if targets is not None else empty_targets()
        self.published_keys = [k for k, m in self.metrics.items() if m.optional]
        self._published_present: tuple[pl.DataFrame, dict[str, MetricDef]] | None = None
        self.rates = {
            k: r for k, r in rates.items() if r.numerator in metrics and r.denominator in metrics
        }
        self.registry = registry
        self.checks = tuple(checks)
        self.conflicts = conflicts
        self.window_text = window
        frame = values.lazy().collect() if isinstance(values, pl.LazyFrame) else values
        self.frequency = detect_frequency(frame.get_column("period").unique())
        self.window = parse_window(window, self.frequency)
        if self.window.unit == "day" and self.frequency != "daily":
            raise JctuiError(
                f'window {window!r} counts days, but the data are monthly: use a number of months like "12"'
            )
        for key, rate in self.rates.items():
            if parse_window(rate.window, self.frequency).unit != self.window.unit:
                raise JctuiError(
                    f"rates.{key}.window {rate.window!r} does not fit the {self.frequency} data"
                )
        self.groups = registry.lazy().select(
            "jobcenter_id",
            group=pl.col(group_by) if group_by in registry.columns else pl.lit(None, pl.String),
        )
        # the values prepared (`indexed`) when first needed: a session showing stored
        # figures may never need them (~11 MB on 1M rows)
        self._frame: pl.DataFrame | None = frame
        self._indexed: pl.DataFrame | None = None
        self._indexed_lock = threading.Lock()
        self._data_warnings: pl.DataFrame | None = None
        self._baselines: pl.DataFrame | None = None
        self._periods: tuple[dt.date, ...] | None = tuple(periods) if periods is not None else None

    @classmethod
    def for_dataset(
        cls, config: Config, dataset: Dataset, *, periods: Sequence[dt.date] | None = None
    ) -> Engine:
        """The engine for a loaded dataset with the configured catalogue, window and checks."""
        return cls(
            dataset.values,
            dataset.registry,
            # with the figures the catalogue lacks that the data hold, under their labels
            with_label_figures(config.metrics, dataset.present_metrics, dataset.label_of),
            config.rates,
            window=config.window,
            group_by=config.group_by,
            checks=config.checks,
            conflicts=dataset.conflicts,
            periods=periods,
            targets=dataset.targets,
        )

    def _prepare(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Period index and categorical keys: grouping by categories beats hashing strings."""
        return frame.with_columns(
            pl.col("jobcenter_id").cast(pl.Categorical),
            pl.col("metric").cast(pl.Categorical),
            idx=period_index(pl.col("period"), self.window.unit),
        )

    # -- data ------------------------------------------------------------------------

    @property
    def indexed(self) -> pl.DataFrame:
        """The values with a period index and categorical keys (prepared when first read)."""
        with self._indexed_lock:
            if self._indexed is None:
                assert self._frame is not None
                self._indexed, self._frame = self._prepare(self._frame), None
            return self._indexed

    @indexed.setter
    def indexed(self, frame: pl.DataFrame) -> None:
        with self._indexed_lock:
            self._indexed, self._frame = frame, None

    @property
    def periods(self) -> tuple[dt.date, ...]:
        """Every period in the data, sorted (cached: time travel asks for it on each step)."""
        if self._periods is None:
            frame = self._frame  # the values not prepared yet: their periods are the same
            values = frame if frame is not None else self.indexed
            self._periods = tuple(values.get_column("period").unique().sort().to_list())
        return self._periods

    @property
    def latest(self) -> dt.date | None:
        return self.periods[-1] if self.periods else None

    def extend(self, new_values: pl.DataFrame) -> None:
        """Add newly arrived rows (a later row wins on the same key) without a full reload.

        Data-level warnings are checked for the new rows only, against the series' last known
        period (gaps) and the baselines of the load (outliers; one new month barely moves a
        median over years, and the next full load recomputes them).
        """
        new = self._prepare(new_values).select(self.indexed.columns)
        if self._data_warnings is not None and self._baselines is not None:
            last_known = (
                self.indexed.lazy()
                .join(
                    new.lazy().select("jobcenter_id", "metric").unique(),
                    on=["jobcenter_id", "metric"],
                    how="semi",
                )
                .group_by("jobcenter_id", "metric")
                .agg(last_idx=pl.col("idx").max())
            )
            flows = [k for k, m in self.metrics.items() if m.kind == "flow"]
            rows = new.lazy()
            fresh = pl.concat(
                [
                    gap_warnings(rows, self.window.unit, last_known),
                    negative_flow_warnings(rows, flows),
                    outlier_warnings(rows, self._baselines.lazy()),
                ]
            ).collect()
            self._data_warnings = pl.concat([self._data_warnings, fresh])
        replaced = self.indexed.join(new.select(KEYS), on=KEYS, how="semi").height
        kept = (
            self.indexed.join(new.select(KEYS), on=KEYS, how="anti") if replaced else self.indexed
        )
        self.indexed = pl.concat([kept, new])
        self._periods = None

    # -- warnings --------------------------------------------------------------------

    def data_warnings(self, jobcenter_ids: Sequence[str] | None = None) -> pl.DataFrame:
        """Gaps, negative flows, outliers, duplicates and conflicts: once per load.

        With `jobcenter_ids`, only for those Jobcenters and not cached: what a one-off
        lookup (`jctui show`) needs, without checking all 400 series.
        """
        if jobcenter_ids is not None:
            wanted = list(jobcenter_ids)
            lf = self.indexed.lazy().filter(pl.col("jobcenter_id").cast(pl.String).is_in(wanted))
            conflicts = self.conflicts
            if conflicts is not None:
                conflicts = conflicts.filter(pl.col("jobcenter_id").is_in(wanted))
            return self._check(lf, conflicts, slices=1)  # a few Jobcenters: one piece
        if self._data_warnings is None:
            self._data_warnings = self._check(
                self.indexed.lazy(), self.conflicts, keep_baselines=True
            )
        return self._data_warnings

    def _check(
        self,
        lf: pl.LazyFrame,
        conflicts: pl.DataFrame | None,
        *,
        keep_baselines: bool = False,
        slices: int | None = None,
    ) -> pl.DataFrame:
        flows = [k for k, m in self.metrics.items() if m.kind == "flow"]
        # Per-series work (gaps, seasonal medians) in slices of Jobcenters, one after the
        # other: the working memory is that of a slice, not of the whole history at once
        # (the medians of 1M rows took ~135 MB in one piece, about 5x the input).
        if slices is None:
            slices = min(CHECK_SLICES_MAX, max(1, -(-self.indexed.height // CHECK_SLICE_ROWS)))
        code = pl.col("jobcenter_id").to_physical()
        parts: list[pl.DataFrame] = []
        baselines: list[pl.DataFrame] = []
        for i in range(slices):
            part = lf.filter(code % slices == i) if slices > 1 else lf
            part_baselines = outlier_baselines(part).collect()
            baselines.append(part_baselines)
            parts.append(
                pl.concat(
                    [
                        gap_warnings(part, self.window.unit),
                        outlier_warnings(part, part_baselines.lazy()),
                    ]
                ).collect()
            )
        if keep_baselines:
            self._baselines = pl.concat(baselines)
        rest = pl.concat([negative_flow_warnings(lf, flows), conflict_warnings(conflicts)])
        return pl.concat([*parts, rest.collect()])

    # -- figures ---------------------------------------------------------------------

    def _latest_or_fail(self) -> dt.date:
        latest = self.latest
        if latest is None:
            raise JctuiError("no data: the sources delivered no valid rows")
        return latest

    def published_present(self) -> dict[str, MetricDef]:
        """The published figures (optional metrics) the data has: only they are checked
        against their own numerator and denominator (none in most data: no cost)."""
        if not self.published_keys:
            return {}
        cached = self._published_present
        if cached is None or cached[0] is not self.indexed:  # the values changed
            present = set(
                self.indexed.filter(pl.col("metric").is_in(self.published_keys))
                .get_column("metric")
                .unique()
                .to_list()
            )
            metrics = {k: m for k, m in self.metrics.items() if k in present or not m.optional}
            cached = self._published_present = (self.indexed, metrics)
        return cached[1]

    def resolve_as_of(self, as_of: dt.date | None) -> dt.date:
        """The period computed for `as_of` (None: the latest)."""
        return resolve_month(self._latest_or_fail(), self.frequency, as_of)

    def figures(
        self,
        as_of: dt.date | None = None,
        *,
        with_data_warnings: bool = True,
        warnings_for: Sequence[str] | None = None,
        with_targets: bool = True,
    ) -> Figures:
        """Every figure for `as_of`; data warnings, targets and projections for all
        Jobcenters or only `warnings_for` (a lookup shows no others); no targets and
        projections at all without `with_targets` (a table without targets shows none)."""
        as_of = self.resolve_as_of(as_of)
        lf = self.indexed.lazy()
        catalogue = _catalogue_frame(self.metrics)
        base = metric_figures(lf, catalogue, as_of, self.window)
        metrics_lf = ranked_metrics(base, self.groups)
        rates_lf = rate_figures(lf, self.rates, as_of, self.frequency, self.groups)
        as_of_warnings = pl.concat(
            [
                # figures as published (optional metrics) have no window of their own
                incomplete_window_warnings(
                    base.filter(~pl.col("metric").is_in(self.published_keys)),
                    self.window.length,
                    as_of,
                ),
                stated_warnings(lf.filter(pl.col("period") <= as_of), self.registry, self.checks),
                published_figure_warnings(lf, self.published_present(), as_of),
            ]
        )
        metrics_df, rates_df, warn_df = pl.collect_all([metrics_lf, rates_lf, as_of_warnings])
        if with_data_warnings:
            data = self.data_warnings(warnings_for)
            data = data.filter(pl.col("period").is_null() | (pl.col("period") <= as_of))
            warn_df = pl.concat([warn_df, data])
        return Figures(
            as_of=as_of,
            latest=self._latest_or_fail(),
            periods=self.periods,
            frequency=self.frequency,
            metrics=metrics_df,
            rates=rates_df,
            warnings=warn_df.sort("jobcenter_id", "period", "metric", nulls_last=True),
            targets=(
                self.target_figures(as_of, metrics_df, rates_df, warnings_for)
                if with_targets
                else empty_target_figures()
            ),
        )

    def target_figures(
        self,
        as_of: dt.date,
        metrics: pl.DataFrame,
        rates: pl.DataFrame,
        jobcenter_ids: Sequence[str] | None = None,
    ) -> pl.DataFrame:
        """Targets, progress and year-end projections of every Jobcenter or the ones given
        (monthly data only: a year of days has no months to project)."""
        if self.frequency != "monthly" or self.window.unit != "month":
            return empty_target_figures()
        values = self.indexed.lazy()
        if jobcenter_ids is not None:
            values = values.filter(pl.col("jobcenter_id").cast(pl.String).is_in(jobcenter_ids))
        return target_figures(
            values,
            self.targets,
            self.metrics,
            self.rates,
            as_of,
            current_metrics=metrics,
            current_rates=rates,
            jobcenter_ids=(
                list(jobcenter_ids)
                if jobcenter_ids is not None
                else self.registry.get_column("jobcenter_id").to_list()
            ),
        )

    def flagged(self, as_of: dt.date, flags: pl.LazyFrame) -> Flagged:
        """How many flagged periods each declared field of each figure at `as_of` is made of
        (`flags`: jobcenter_id, metric, period and a boolean `flag` per delivered value)."""
        return flagged_counts(
            as_of,
            flags,
            metrics=self.metrics,
            rates=self.rates,
            window=self.window,
            frequency=self.frequency,
        )


__all__ = ["WARNING_SCHEMA", "Engine", "Flagged"]
