"""The chart's data: the chosen Jobcenters' series of one figure, their group average, and
the published aggregates as reference lines (Deutschland, the state) where they compare.

`ChartSource` is a snapshot of what the chart may draw (the data, the as-of month, the
names); the chart widget asks it for the `ChartData` of its current settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jctui.i18n import Lang, t
from jctui.presentation.policy import SmallCounts

if TYPE_CHECKING:
    import polars as pl

    from jctui.config import Config
    from jctui.model import Dataset

# (label key, periods; None: all) of the spans the chart steps through
SPANS: tuple[tuple[str, int | None], ...] = (("span_2y", 24), ("span_5y", 60), ("span_all", None))


@dataclass(frozen=True)
class ChartQuery:
    """What the chart is set to show."""

    metric: str
    jobcenter_ids: tuple[str, ...]
    span: int = 0  # index into SPANS
    with_group: bool = True
    per_elb: bool = False


@dataclass(frozen=True)
class ChartLine:
    label: str
    xs: tuple[int, ...]  # indexes into ChartData.periods
    ys: tuple[float, ...]
    reference: bool = False  # a published aggregate (Deutschland, the state): drawn apart


@dataclass(frozen=True)
class ChartData:
    periods: tuple[dt.date, ...] = ()
    lines: tuple[ChartLine, ...] = ()

    @property
    def values(self) -> list[float]:
        return [y for line in self.lines for y in line.ys]


@dataclass(frozen=True)
class ChartSource:
    """The data a chart may draw at one as-of month."""

    dataset: Dataset
    config: Config
    as_of: dt.date
    names: dict[str, str] = field(default_factory=dict)
    # the data with every value, read when the chart first draws (a session shown from
    # the figure store holds only a row of every metric: jctui.session.loop.Loaded)
    read: Callable[[], Dataset] | None = None

    @property
    def frames(self) -> Dataset:
        """The data the chart draws, every value (read now when not read before)."""
        return self.read() if self.read is not None else self.dataset

    def is_count(self, metric: str) -> bool:
        """A metric that counts people; not a rate, nor a key figure as published (in %)."""
        definition = self.config.metrics.get(metric)
        return definition is not None and not definition.is_level

    def per_elb_applies(self, metric: str) -> bool:
        """ "Per 1,000 ELB" means something for a count other than ELB; not for ELB itself
        (always 1,000) nor for a rate or a key figure in % (already relative)."""
        return self.is_count(metric) and metric != "elb" and "elb" in self.config.metrics

    def data(self, query: ChartQuery, lang: Lang) -> ChartData:
        """The lines of the query; withheld small counts are gaps, and so is a group average
        (or a per-ELB value) of a period with a withheld count in it."""
        import polars as pl

        if not query.jobcenter_ids:
            return ChartData()
        counts = SmallCounts.of(self.config)
        shown = self.frames.values.lazy().with_columns(counts.expr(pl.col("value")))
        frame = self.figure_frame(
            shown, self.frames.registry, query.jobcenter_ids, query, with_group=query.with_group
        )
        if not query.per_elb:
            frame = pl.concat([frame, self.target_lines(query, lang)], how="diagonal_relaxed")
        names = dict(self.names)
        aggregates = self.reference_aggregates(query)
        if aggregates:
            # series "ref:0:D", "ref:1:06": the lines are in series order, Germany first
            series_of = {i: f"ref:{n}:{i}" for n, (i, _) in enumerate(aggregates)}
            names.update({series_of[i]: name for i, name in aggregates})
            references = self.figure_frame(
                self.frames.aggregates.lazy().select("jobcenter_id", "period", "metric", "value"),
                self.frames.aggregates.select("jobcenter_id", "name").unique("jobcenter_id"),
                list(series_of),
                query,
                with_group=False,
            ).with_columns(series=pl.col("series").replace_strict(series_of))
            frame = pl.concat([frame, references.sort("series", "period")], how="diagonal_relaxed")
        all_periods = tuple(sorted(frame.get_column("period").unique().to_list()))
        index = {p: i for i, p in enumerate(all_periods)}
        lines = []
        for key, part in frame.drop_nulls("value").group_by("series", maintain_order=True):
            name = str(key[0])
            if name.startswith("group:"):
                label = f"{t('group_average', lang)} {name.split(':', 1)[1]}"
            elif name.startswith("label:"):
                label = name.split(":", 1)[1]
            else:
                label = names.get(name, name)
            lines.append(
                ChartLine(
                    label,
                    tuple(index[p] for p in part.get_column("period").to_list()),
                    tuple(part.get_column("value").to_list()),
                    reference=name.startswith("ref:"),
                )
            )
        return ChartData(all_periods, tuple(lines))

    def figure_frame(
        self,
        values: pl.LazyFrame,
        registry: pl.DataFrame,
        ids: Sequence[str],
        query: ChartQuery,
        *,
        with_group: bool,
    ) -> pl.DataFrame:
        """The series (engine.over_time frame) of the query's figure for `ids`: a rate month by
        month (a window with a withheld count is a gap), a metric, or a count per 1,000 ELB."""
        import polars as pl

        from jctui.engine import rate_series, series

        config, periods = self.config, SPANS[query.span][1]

        def lines_of(metric: str) -> pl.DataFrame:
            return series(
                values, registry, metric=metric, jobcenter_ids=ids, as_of=self.as_of,
                periods=periods, group_by=config.group_by, with_group_mean=with_group,
            )  # fmt: skip

        if query.metric in config.rates:
            frame = rate_series(
                values, registry, rate=config.rates[query.metric], jobcenter_ids=ids,
                as_of=self.as_of, periods=periods, group_by=config.group_by,
                with_group_mean=with_group,
            )  # fmt: skip
        else:
            frame = lines_of(query.metric)
        if query.per_elb and self.per_elb_applies(query.metric):
            elb = lines_of("elb").rename({"value": "elb"})
            frame = frame.join(
                elb.select("series", "period", "elb"), on=["series", "period"], how="left"
            ).with_columns(value=pl.col("value") / pl.col("elb") * 1000)
        return frame

    def reference_aggregates(self, query: ChartQuery) -> list[tuple[str, str]]:
        """(id, name) of the reference lines: Germany and the state of the first Jobcenter
        charted, where the data has them and they compare with a Jobcenter in this view
        (jctui.presentation.references.chart_compares)."""
        import polars as pl

        from jctui.presentation.references import chart_aggregates, chart_compares

        aggregates = self.frames.aggregates
        per_elb = query.per_elb and self.per_elb_applies(query.metric)
        if aggregates.is_empty() or not chart_compares(self.config, query.metric, per_elb=per_elb):
            return []
        first = self.frames.registry.filter(pl.col("jobcenter_id") == query.jobcenter_ids[0])
        state = first.item(0, "state") if first.height and "state" in first.columns else None
        return chart_aggregates(aggregates, state)

    def target_lines(self, query: ChartQuery, lang: Lang) -> pl.DataFrame:
        """The chosen (first) Jobcenter's target and projected path for the as-of year, as
        series "label:...": the projected months from the as-of month to December, and the
        target over the year's months (flows: a twelfth of the year's target, as the chart
        shows months; stocks: the level). Nothing for daily data or for a figure that is
        not a count (a rate; a key figure as published). Small counts: the path is computed
        from the shown counts alone (a withheld month is a gap, as in every series)."""
        import polars as pl

        from jctui.engine.targets import projected_path, target_frame

        config, metric, as_of = self.config, query.metric, self.as_of
        empty = pl.DataFrame(schema={"series": pl.String, "period": pl.Date, "value": pl.Float64})
        if not self.is_count(metric) or as_of.day != 1 or not query.jobcenter_ids:
            return empty
        jc = query.jobcenter_ids[0]
        name = self.names.get(jc, jc)
        # from the counts as they may be shown: a withheld month is missing, and so is every
        # projected month scaled by it or by a factor made of it (the path never tells it)
        shown = self.frames.values.lazy().with_columns(SmallCounts.of(config).expr(pl.col("value")))
        path = projected_path(shown, config.metrics, metric, [jc], as_of)
        parts = [
            path.select(
                series=pl.lit(f"label:{name}: {t('projection', lang)}"),
                period="period",
                value="value",
            )
        ]
        targets = target_frame(self.frames.targets, config.metrics, [jc], as_of.year)
        target = targets.filter(pl.col("metric") == metric).get_column("target").to_list()
        if target:
            flow = config.metrics[metric].kind == "flow"
            label = t("target_per_month" if flow else "target", lang)
            months = [dt.date(as_of.year, m, 1) for m in range(1, 13)]
            parts.append(
                pl.DataFrame(
                    {
                        "series": [f"label:{label}"] * 12,
                        "period": months,
                        "value": [target[0] / 12 if flow else target[0]] * 12,
                    },
                    schema=empty.schema,
                )
            )
        return pl.concat(parts)
