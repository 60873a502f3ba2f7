"""Published aggregates (Deutschland, West, Ost, the states) as reference values beside a
Jobcenter's figures: the one place that says which aggregate belongs to which Jobcenter and
where an aggregate compares with a Jobcenter at all (tiles, chart, `show`).

An aggregate sums hundreds of Jobcenters, so its counts are orders of magnitude larger than
one Jobcenter's; only figures that do not depend on size compare:
- levels: rates (K2) and figures in % (the published key figures): always;
- counts: their change against the previous year (what the comparison-group mean and the
  ranks of counts compare: tiles and `show`), and in the chart the count per 1,000 ELB;
  a raw count never (a line of 2.5 million beside one of 9,000 says nothing).

Small counts: with the rule active (`small_count_threshold`), a state's count minus the
shown counts of its Jobcenters would give a withheld count back, so every figure made of
aggregate counts (their changes, rates and per-ELB values) is withheld ("*"); the levels in
% published as such stay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from jctui.i18n import Lang, fmt_pct

if TYPE_CHECKING:
    import polars as pl

    from jctui.config import Config
    from jctui.model import Dataset

Row = dict[str, Any]
# (Polars and the readers are imported where used: the tiles import this module, and the
# dashboard's UI modules load without Polars)


def aggregate_state() -> pl.Expr:
    """The state code of an aggregate row from its name ("Hessen" -> "HE"), as the registry
    writes a Jobcenter's state; null for Germany, West and East."""
    import polars as pl

    from jctui.model import STATE_NAMES, aggregate_name_key

    return aggregate_name_key().replace_strict(STATE_NAMES, default=None, return_dtype=pl.String)


def is_national() -> pl.Expr:
    """True for the row of the whole country (Deutschland, Bundesgebiet, id D)."""
    import polars as pl

    from jctui.model import NATIONAL_IDS, NATIONAL_NAMES, aggregate_name_key

    ident = pl.col("jobcenter_id").str.strip_chars().str.to_lowercase()
    national = ident.is_in(list(NATIONAL_IDS)) | aggregate_name_key().is_in(list(NATIONAL_NAMES))
    return national.fill_null(False)


def beside(aggregates: pl.DataFrame, states: Collection[str | None]) -> pl.DataFrame:
    """The aggregate rows that belong beside Jobcenters of `states`: Germany, West and East,
    and those states (not the other states)."""
    state = aggregate_state()
    return aggregates.filter(state.is_null() | state.is_in([s for s in states if s]))


def chart_aggregates(aggregates: pl.DataFrame, state: str | None) -> list[tuple[str, str]]:
    """(id, name) of the chart's reference lines: Germany, then the state `state`."""
    import polars as pl

    rows = aggregates.select("jobcenter_id", "name").unique(maintain_order=True)
    national = rows.filter(is_national()).head(1)
    own = rows.filter(aggregate_state() == (state or "")).head(1)
    return [(r[0], r[1]) for r in pl.concat([national, own]).iter_rows()]


def kept_aggregates(aggregates: pl.DataFrame, config: Config) -> pl.DataFrame:
    """The aggregates as they may be kept (the figure store): with the small-count rule
    active, the values of counts null (no figure of them is shown, see the module); the
    levels in % published as such stay."""
    import polars as pl

    from jctui.presentation.policy import SmallCounts

    if not SmallCounts.of(config).active or aggregates.is_empty():
        return aggregates
    levels = [k for k, m in config.metrics.items() if m.is_level]
    return aggregates.with_columns(
        value=pl.when(pl.col("metric").is_in(levels)).then(pl.col("value"))
    )


def chart_compares(config: Config, key: str, *, per_elb: bool) -> bool:
    """True when the chart's figure `key` compares with the aggregates' (see the module): a
    level (a rate, a figure in %) always; a count only per 1,000 ELB; a figure made of
    aggregate counts not while small counts are withheld."""
    from jctui.presentation.policy import SmallCounts

    metric = config.metrics.get(key)
    if metric is not None and metric.is_level:
        return True
    if SmallCounts.of(config).active:  # figures of aggregate counts are withheld
        return False
    return key in config.rates or (metric is not None and per_elb)


def withheld_references(dataset: Dataset, as_of: dt.date) -> pl.DataFrame:
    """(jobcenter_id, name, metric) of the aggregates' cells at `as_of` that the publisher
    withheld (`*` in the file; kept in `dataset.missing` under the aggregate's id): shown as
    "*", like a Jobcenter's withheld value."""
    names = dataset.aggregates.select("jobcenter_id", "name").unique("jobcenter_id")
    return (
        dataset.withheld_at(as_of)
        .join(names, on="jobcenter_id")
        .select("jobcenter_id", "name", "metric")
        .unique(maintain_order=True)
    )


def state_figures(dataset: Dataset, config: Config, as_of: dt.date) -> dict[str, dict[str, Row]]:
    """Per state code and figure key (metric or rate): the state's figure that compares with
    a Jobcenter's, computed from the aggregate's values by the engine's own rules: `value`
    (what the group mean of the figure is of: a level, or a count's change in %), `rank_by`
    ("level" | "change"), `name` (as published) and `withheld` (see the module)."""
    import polars as pl

    aggregates = dataset.aggregates.with_columns(state=aggregate_state()).filter(
        pl.col("state").is_not_null()
    )
    if aggregates.is_empty():
        return {}
    from jctui.engine import Engine  # the engine's computing part: only for aggregates
    from jctui.engine.ranks import is_level, ranked_figure
    from jctui.errors import JctuiError
    from jctui.presentation.policy import SmallCounts

    registry = aggregates.select("jobcenter_id", "name", "state").unique("jobcenter_id")
    try:
        engine = Engine(
            aggregates.select("jobcenter_id", "period", "metric", "value"),
            registry,
            config.metrics,
            config.rates,
            window=config.window,
            group_by="",
        )
        figures = engine.figures(as_of, with_data_warnings=False, with_targets=False)
    except JctuiError:  # aggregates that do not fit the configured window
        return {}
    hidden = SmallCounts.of(config).active  # figures of aggregate counts are withheld
    parts = []
    for key, frame in (("metric", figures.metrics), ("rate", figures.rates)):
        figure, by = ranked_figure(key)
        level_as_published = is_level() if key == "metric" else pl.lit(False)
        withheld = pl.lit(hidden) & ~level_as_published
        parts.append(
            frame.select(
                "jobcenter_id",
                key=pl.col(key).cast(pl.String),
                value=pl.when(~withheld).then(figure),
                rank_by=by,
                withheld=withheld,
            )
        )
    # the publisher withheld the state's value (`*`): a metric, and a rate made of it
    cells = withheld_references(dataset, as_of).select("jobcenter_id", key="metric")
    rate_parts = pl.DataFrame(
        [(k, part) for k, r in config.rates.items() for part in (r.numerator, r.denominator)],
        schema={"rate": pl.String, "key": pl.String},
        orient="row",
    )
    published = pl.concat(
        [cells, cells.join(rate_parts, on="key").select("jobcenter_id", key="rate")]
    ).unique()
    rows = (
        pl.concat(parts)
        .join(registry, on="jobcenter_id")
        .join(
            published.with_columns(by_publisher=pl.lit(True)),
            on=["jobcenter_id", "key"],
            how="left",
        )
        .with_columns(
            value=pl.when(pl.col("by_publisher").is_null()).then("value"),
            withheld=pl.col("withheld") | pl.col("by_publisher").is_not_null(),
        )
        .drop("by_publisher")
        .filter(pl.col("value").is_not_null() | pl.col("withheld"))
    )
    out: dict[str, dict[str, Row]] = {}
    for row in rows.iter_rows(named=True):
        out.setdefault(row["state"], {})[row["key"]] = row
    return out


def fmt_compared(value: float | None, rank_by: str | None, lang: Lang) -> str:
    """A figure as the group mean compares it: a level '21.3%', a change '-2.7%'."""
    return fmt_pct(value, lang, signed=rank_by != "level")


def reference_of(
    states: Mapping[str, Mapping[str, Row]], state: str | None, key: str
) -> Row | None:
    """The state's reference row of a figure (None: the data has none)."""
    return states.get(state or "", {}).get(key)
