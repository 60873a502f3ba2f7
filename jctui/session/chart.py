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

    def data(self, query: ChartQuery, lang: Lang) -> ChartData:
        """The lines of the query; withheld small counts are gaps, and so is a group average
        (or a per-ELB value) of a period with a withheld count in it."""
        import polars as pl

        from jctui.engine import series

        if not query.jobcenter_ids:
            return ChartData()
        config, periods = self.config, SPANS[query.span][1]
        shown = self.dataset.values.lazy().with_columns(
            SmallCounts.of(config).expr(pl.col("value"))
        )

        def lines_of(metric: str) -> pl.DataFrame:
            return series(
                shown, self.dataset.registry, metric=metric,
                jobcenter_ids=query.jobcenter_ids, as_of=self.as_of, periods=periods,
                group_by=config.group_by, with_group_mean=query.with_group,
            )  # fmt: skip

        frame = lines_of(query.metric)
        if query.per_elb and query.metric != "elb" and "elb" in config.metrics:
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
