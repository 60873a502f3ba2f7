"""The chart's data: the chosen Jobcenters' series of one figure, and their group average.

`ChartSource` is a snapshot of what the chart may draw (the data, the as-of month, the
names); the chart widget asks it for the `ChartData` of its current settings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jctui.i18n import Lang, t
from jctui.presentation.policy import SmallCounts

if TYPE_CHECKING:
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

    def per_elb_applies(self, metric: str) -> bool:
        """ "Per 1,000 ELB" means something for a count other than ELB; not for ELB itself
        (always 1,000) nor for a rate (already relative)."""
        return metric in self.config.metrics and metric != "elb" and "elb" in self.config.metrics

    def data(self, query: ChartQuery, lang: Lang) -> ChartData:
        """The lines of the query; small counts withheld (gaps), group averages kept."""
        import polars as pl

        from jctui.engine import rate_series, series

        if not query.jobcenter_ids:
            return ChartData()
        config, periods = self.config, SPANS[query.span][1]

        def lines_of(metric: str) -> pl.DataFrame:
            return series(
                self.dataset.values, self.dataset.registry, metric=metric,
                jobcenter_ids=query.jobcenter_ids, as_of=self.as_of, periods=periods,
                group_by=config.group_by, with_group_mean=query.with_group,
            )  # fmt: skip

        if query.metric in config.rates:  # a rate (K2) month by month; no count to withhold
            frame = rate_series(
                self.dataset.values, self.dataset.registry, rate=config.rates[query.metric],
                jobcenter_ids=query.jobcenter_ids, as_of=self.as_of, periods=periods,
                group_by=config.group_by, with_group_mean=query.with_group,
            )  # fmt: skip
        else:
            frame = lines_of(query.metric)
            counts = SmallCounts(config.small_count_threshold).expr(pl.col("value"))
            frame = frame.with_columns(  # group averages are no counts: they stay
                value=pl.when(pl.col("series").str.starts_with("group:"))
                .then(pl.col("value"))
                .otherwise(counts)
            )
        if query.per_elb and self.per_elb_applies(query.metric):
            elb = lines_of("elb").rename({"value": "elb"})
            frame = frame.join(
                elb.select("series", "period", "elb"), on=["series", "period"], how="left"
            ).with_columns(value=pl.col("value") / pl.col("elb") * 1000)
        all_periods = tuple(sorted(frame.get_column("period").unique().to_list()))
        index = {p: i for i, p in enumerate(all_periods)}
        lines = []
        for key, part in frame.drop_nulls("value").group_by("series", maintain_order=True):
            name = str(key[0])
            if name.startswith("group:"):
                label = f"{t('group_average', lang)} {name.split(':', 1)[1]}"
            else:
                label = self.names.get(name, name)
            lines.append(
                ChartLine(
                    label,
                    tuple(index[p] for p in part.get_column("period").to_list()),
                    tuple(part.get_column("value").to_list()),
                )
            )
        return ChartData(all_periods, tuple(lines))
