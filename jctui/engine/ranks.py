"""Ranks and group statistics: what a figure is ranked by, ties, and the group's mean.

Rank 1 is the best by the figure's better direction; ties share the best rank ("min"):
values are compared exactly (a rate is one division of exact sums, see
`jctui.engine.figures.rate_figures`, so equal fractions tie). The group mean includes
the Jobcenter itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl


def rank_columns(
    score: pl.Expr, group_keys: Sequence[str], ranked: pl.Expr | None = None
) -> list[pl.Expr]:
    """Rank 1 = best score; ranked among all (over `group_keys[:1]`) and within the group.

    Rows where `ranked` is false (a figure without a better direction) get no rank at all,
    not even a `rank_of`."""
    all_keys, group = list(group_keys[:1]), list(group_keys)
    in_group = pl.col("group").is_not_null()
    has = pl.lit(True) if ranked is None else ranked
    return [
        pl.when(has)
        .then(score.rank("min", descending=True).over(all_keys))
        .cast(pl.Int64)
        .alias("rank"),
        pl.when(has).then(score.count().over(all_keys)).cast(pl.Int64).alias("rank_of"),
        pl.when(in_group & has)
        .then(score.rank("min", descending=True).over(group))
        .cast(pl.Int64)
        .alias("group_rank"),
        pl.when(in_group & has)
        .then(score.count().over(group))
        .cast(pl.Int64)
        .alias("group_rank_of"),
    ]


def fixed_mean(values: pl.Expr) -> pl.Expr:
    """The mean of `values` (an aggregation, nulls left out), bit for bit the same however
    the rows come (a fresh lookup or the figure store, one chunk or many, any join order):
    the values are added one after another in ascending order, then divided once by their
    count. Polars' own `mean` adds in an order of its choosing, which shows in the last bit."""
    shown = values.drop_nulls()
    return shown.sort().cum_sum().last() / shown.count()


def group_stats(figure: pl.Expr, group_keys: Sequence[str]) -> list[pl.Expr]:
    """The group's mean (`fixed_mean`) and median of `figure` (null outside a group), and
    each row's distance to them."""
    keys = list(group_keys)
    in_group = pl.col("group").is_not_null()
    mean = pl.when(in_group).then(fixed_mean(figure).over(keys))
    median = pl.when(in_group).then(figure.median().over(keys))
    return [
        mean.alias("group_mean"),
        median.alias("group_median"),
        (figure - mean).alias("dev_group_mean"),
        (figure - median).alias("dev_group_median"),
    ]


GROUP_STATS: tuple[str, ...] = ("group_mean", "group_median", "dev_group_mean", "dev_group_median")
# What ranks compare, per kind of figure: (the column ranked, its name in the JSON contract).
# Metrics by their change against the previous year (so that large and small Jobcenters
# compare fairly); rates such as K2 by their level, as the official comparison does.
RANK_BY: Mapping[str, tuple[str, str]] = {
    "metric": ("change_pct", "change"),
    "rate": ("value", "level"),
}


def is_level() -> pl.Expr:
    """A metric row that is a level in % (a published key figure), over a frame with the
    catalogue's `unit` column: MetricDef.is_level as an expression."""
    return pl.col("unit") == "%"


def ranked_figure(key: str) -> tuple[pl.Expr, pl.Expr]:
    """(the figure ranked and averaged over the group, what it is: "change" or "level") of a
    metric (`key` "metric": needs a `unit` column) or rate ("rate") frame, by RANK_BY; a
    metric in % (a published key figure: a rate or a change already) by its level."""
    column, rank_by = RANK_BY[key]
    figure, by = pl.col(column), pl.lit(rank_by)
    if key == "metric":
        level = is_level()
        figure = pl.when(level).then(pl.col("value")).otherwise(figure)
        by = pl.when(level).then(pl.lit(RANK_BY["rate"][1])).otherwise(by)
    return figure, by


def with_ranks(frame: pl.LazyFrame, key: str) -> pl.LazyFrame:
    """Ranks and group statistics of a metric (`key` "metric") or rate ("rate") frame with
    `better` and `group` columns, by what RANK_BY says; no direction (`better = "none"`),
    no rank. Null figures are not ranked and not counted in `rank_of`."""
    figure, by = ranked_figure(key)
    better = pl.col("better")
    score = pl.when(better == "lower").then(-figure).when(better == "higher").then(figure)
    ranked = better.is_in(["higher", "lower"])
    keys = (key, "group")
    return frame.sort(key, "jobcenter_id").with_columns(
        *rank_columns(score, keys, ranked),
        *group_stats(figure, keys),
        rank_by=pl.when(ranked).then(by),
    )
