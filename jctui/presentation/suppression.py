"""Secondary suppression: withhold every figure from which a withheld count could be computed.

The primary rule (`SmallCounts`, in jctui.presentation.policy) withholds a delivered monthly
count below the threshold. That alone is not enough: differences of year-to-date or
12-month sums between as-of months, a rate times its denominator, the change against a
shown previous year, a rank or a warning's raw value would give the withheld count back.
This module is the one place that decides what follows from the primary rule, for every
figure jctui shows (tiles, compare table, chart, show, export, warnings, copy line, kiosk):

- a figure is withheld when any period of any window it is made of holds a withheld count
  (value, previous-year value, 12-month sums and means, year-to-date values, rate
  numerators and denominators; changes and change rates when either of their parts is);
- ranks and group statistics are computed over the shown figures only (a withheld figure
  has no rank, and the others' ranks do not give its place away);
- a warning shows no withheld count (outlier values and their usual level, conflicting
  values, a stated figure's sum over a span with a withheld month).

Every shown figure is then a function of counts that are shown themselves, at every as-of
month a user can step through: no withheld count can be computed from what is shown
(tests/unit/test_suppression.py attacks it with linear algebra over all as-of months).

The rule is conservative: a small Jobcenter with one withheld month loses its 12-month
figures for a year and its year-to-date figures for the rest of that year.

Frames leave here with a `withheld` column: the names of the fields withheld in that row
(their values are null); front ends show those as `*` (SmallCounts.fmt).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from jctui.presentation.policy import SmallCounts

if TYPE_CHECKING:
    import polars as pl

    from jctui.config import MetricDef
    from jctui.engine import Engine, Figures

WITHHELD = "withheld"  # the column (and JSON field) naming the withheld fields of a row


def withhold(figures: Figures, engine: Engine, counts: SmallCounts) -> Figures:
    """The figures as they may be shown: every figure that would reveal a withheld count
    null and named in `withheld`, ranks and group statistics over the shown figures."""
    import polars as pl

    if not counts.active:
        empty = pl.lit([], pl.List(pl.String)).alias(WITHHELD)
        return replace(
            figures,
            metrics=figures.metrics.with_columns(empty),
            rates=figures.rates.with_columns(empty),
            warnings=figures.warnings.with_columns(empty),
        )
    levels = level_parts(engine.metrics)
    not_a_count = pl.col("metric").cast(pl.String).is_in(list(levels))
    metric_n, rate_n = engine.flagged(figures.as_of, counts.small(pl.col("value")) & ~not_a_count)
    metrics = _withheld_metrics(figures.metrics, _levels_by_parts(metric_n, levels))
    rates = _withheld_rates(figures.rates, rate_n)
    return replace(
        figures,
        metrics=metrics,
        rates=rates,
        warnings=withhold_warnings(figures.warnings, engine, counts),
        targets=_withheld_targets(figures.targets, metrics, rates),
    )


def level_parts(metrics: Mapping[str, MetricDef]) -> dict[str, tuple[str, ...]]:
    """Each key figure as published (a level in %, never a count itself) and the published
    counts it is made of: K2 from its numerator and denominator ("integrations_12m",
    "elb_mean_12m"), K3 from the LZB stock now and a year earlier."""
    from jctui.config.catalogue import KENNZAHLEN, kennzahl_key, kennzahl_part

    out = {}
    for code, *_ in KENNZAHLEN:
        key = kennzahl_key(code)
        if key in metrics and metrics[key].is_level:
            parts = {kennzahl_part(code, part)[0] for part in ("numerator", "denominator")}
            out[key] = tuple(sorted(p for p in parts if p in metrics))
    return out


def _levels_by_parts(counted: pl.DataFrame, levels: Mapping[str, Sequence[str]]) -> pl.DataFrame:
    """The flagged-period counts of each published level taken from its parts: a level is
    withheld where any window of a count it is made of holds a withheld count (level x
    denominator would give the numerator back); its own value is no count, never small."""
    import polars as pl

    fields = [c for c in counted.columns if c not in ("jobcenter_id", "metric")]
    pairs = [(level, part) for level, parts in levels.items() for part in parts]
    if not pairs or counted.is_empty():
        return counted
    made_of = pl.DataFrame(
        {"metric": [p for _, p in pairs], "level": [lv for lv, _ in pairs]},
        schema={"metric": pl.String, "level": pl.String},
    )
    # any window of a part (conservative: K3's denominator is the stock a year earlier)
    from_parts = (
        counted.with_columns(pl.col("metric").cast(pl.String))
        .join(made_of, on="metric")
        .group_by("jobcenter_id", "level")
        .agg(held=pl.max_horizontal(*(pl.col(f).fill_null(0) for f in fields)).max())
        .rename({"level": "metric"})
    )
    metric_type = counted.schema["metric"]
    return (
        counted.join(
            from_parts.with_columns(pl.col("metric").cast(metric_type)),
            on=["jobcenter_id", "metric"],
            how="left",
        )
        .with_columns(
            pl.when(pl.col("held").fill_null(0) > 0)
            .then(pl.col("held"))
            .otherwise(pl.col(f))
            .alias(f)
            for f in fields
        )
        .drop("held")
    )


TARGET_DERIVED = ("current", "target_progress_pct", "projection", "projection_pct", "on_track")


def _withheld_targets(
    targets: pl.DataFrame, metrics: pl.DataFrame, rates: pl.DataFrame
) -> pl.DataFrame:
    """A target's progress and projection are made from the figure's current value (flows:
    the year to date): withheld with it, or target x progress would give it back. The target
    itself is an agreed number, never a count of people, and stays."""
    import polars as pl

    if targets.is_empty():
        return targets.with_columns(pl.lit([], pl.List(pl.String)).alias(WITHHELD))
    basis = pl.concat(
        [
            metrics.select(
                "jobcenter_id",
                "metric",
                hidden=pl.col(WITHHELD).list.contains("ytd")
                | pl.col(WITHHELD).list.contains("value"),
            ),
            rates.select(
                "jobcenter_id",
                pl.col("rate").alias("metric"),
                hidden=pl.col(WITHHELD).list.contains("value"),
            ),
        ]
    )
    hidden = pl.col("hidden").fill_null(False)
    return (
        targets.join(basis, on=["jobcenter_id", "metric"], how="left")
        .with_columns(
            *(pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in TARGET_DERIVED),
            pl.when(hidden)
            .then(pl.lit(list(TARGET_DERIVED), pl.List(pl.String)))
            .otherwise(pl.lit([], pl.List(pl.String)))
            .alias(WITHHELD),
        )
        .drop("hidden")
    )


def _holds(*columns: str) -> pl.Expr:
    """True when any of these windows holds a withheld count (counts from Engine.flagged)."""
    import polars as pl

    return pl.any_horizontal([pl.col(f"{c}__n").fill_null(0) > 0 for c in columns])


def _metric_rules() -> dict[str, pl.Expr]:
    """Per metric field: when it is withheld (the windows it is made of)."""
    import polars as pl

    flow = pl.col("kind") == "flow"
    change = (
        pl.when(flow)
        .then(_holds("sum_12", "sum_12_prev"))
        .otherwise(_holds("value", "value_prev_year"))
    )
    ytd_change = _holds("ytd", "ytd_prev")
    return {
        "value": _holds("value"),
        "value_prev_year": _holds("value_prev_year"),
        "sum_12": _holds("sum_12"),
        "sum_12_prev": _holds("sum_12_prev"),
        "mean_12": _holds("mean_12"),
        "ytd": _holds("ytd"),
        "ytd_prev": _holds("ytd_prev"),
        "change": change,
        "change_pct": change,
        "ytd_change": ytd_change,
        "ytd_change_pct": ytd_change,
    }


def _rate_rules() -> dict[str, pl.Expr]:
    """Per rate field: when it is withheld (its numerator's and denominator's windows)."""
    now = ("numerator_sum", "denominator_mean")
    prev = ("numerator_sum_prev", "denominator_mean_prev")
    return {
        "value": _holds(*now),
        "numerator_sum": _holds("numerator_sum"),
        "denominator_mean": _holds("denominator_mean"),
        "value_prev_year": _holds(*prev),
        "numerator_sum_prev": _holds("numerator_sum_prev"),
        "denominator_mean_prev": _holds("denominator_mean_prev"),
    }


def _apply(
    frame: pl.DataFrame, counted: pl.DataFrame, key: str, rules: Mapping[str, pl.Expr]
) -> pl.DataFrame:
    """Null the withheld fields, re-rank over what is left, and name what was withheld."""
    import polars as pl

    from jctui.engine.figures import RANK_BY, with_ranks

    columns = frame.columns
    counted = counted.rename(
        {c: f"{c}__n" for c in counted.columns if c not in ("jobcenter_id", key)}
    )
    joined = frame.lazy().join(counted.lazy(), on=["jobcenter_id", key], how="left")
    flags = {f"{f}__w": rule for f, rule in rules.items()}
    basis = RANK_BY[key][0]
    shown = joined.with_columns(**flags).with_columns(
        pl.when(pl.col(f"{f}__w")).then(None).otherwise(pl.col(f)).alias(f) for f in rules
    )
    ranked = with_ranks(shown, key)
    named = [pl.when(pl.col(f"{f}__w")).then(pl.lit(f)) for f in rules]
    named.append(
        pl.when(pl.col(f"{basis}__w") & pl.col("rank_by").is_not_null()).then(pl.lit("rank"))
    )
    return (
        ranked.with_columns(pl.concat_list(named).list.drop_nulls().alias(WITHHELD))
        .select(*columns, WITHHELD)
        .collect()
    )


def _withheld_metrics(metrics: pl.DataFrame, counted: pl.DataFrame) -> pl.DataFrame:
    return _apply(metrics, counted, "metric", _metric_rules())


def _withheld_rates(rates: pl.DataFrame, counted: pl.DataFrame) -> pl.DataFrame:
    if rates.is_empty():
        import polars as pl

        return rates.with_columns(pl.lit([], pl.List(pl.String)).alias(WITHHELD))
    return _apply(rates, counted, "rate", _rate_rules())


def withhold_warnings(warnings: pl.DataFrame, engine: Engine, counts: SmallCounts) -> pl.DataFrame:
    """Warnings without withheld counts: an outlier's value, and its usual level when that
    calendar month of the series holds a withheld count; conflicting or duplicated values;
    a stated figure's sum or mean over a span with a withheld month. Counts of periods
    (gaps, incomplete windows) and negative values (no small counts) stay."""
    import polars as pl

    kind = pl.col("kind")
    levels = level_parts(engine.metrics)
    a_count = ~pl.col("metric").cast(pl.String).is_in(list(levels))  # a level in % is none
    small = counts.small(pl.col("value")) & a_count
    withheld_counts = (
        engine.indexed.lazy()
        .filter(small)
        .select(
            pl.col("jobcenter_id").cast(pl.String),
            pl.col("metric").cast(pl.String),
            "period",
        )
        .collect()
    )
    # a published level goes with its parts: a warning about K2 in a month whose numerator
    # is withheld (its value and denominator would give the numerator back) is withheld too
    made_of = pl.DataFrame(
        [(part, level) for level, parts in levels.items() for part in parts],
        schema={"metric": pl.String, "level": pl.String},
        orient="row",
    )
    withheld_periods = pl.concat(
        [
            withheld_counts,
            withheld_counts.join(made_of, on="metric").select(
                "jobcenter_id", metric=pl.col("level"), period=pl.col("period")
            ),
        ]
    )
    rows = warnings.with_row_index("__row")
    keys = ["jobcenter_id", "metric"]
    months = withheld_periods.select(*keys, month=pl.col("period").dt.month()).unique()
    outlier_usual = (
        rows.filter(kind == "outlier")
        .select("__row", *keys, month=pl.col("period").dt.month())
        .join(months, on=[*keys, "month"], how="semi")
        .get_column("__row")
        .to_list()
    )
    stated_span = (
        rows.filter(kind == "stated")
        .select("__row", *keys, "first", last=pl.col("period"))
        .join(withheld_periods, on=keys, how="inner")
        .filter(pl.col("period").is_between(pl.col("first"), pl.col("last")))
        .get_column("__row")
        .unique()
        .to_list()
    )
    has_count = kind.is_in(["outlier", "conflict", "duplicate"])
    value_w = (has_count & small) | ((kind == "stated") & pl.col("__row").is_in(stated_span))
    published_in_span = (pl.col("statistic") == "published") & pl.col("__row").is_in(stated_span)
    expected_w = pl.col("__row").is_in(outlier_usual) | published_in_span  # the level itself
    element_small = counts.small(pl.element())
    values_w = pl.col("values").list.eval(element_small).list.any().fill_null(False)
    return (
        rows.with_columns(value__w=value_w, expected__w=expected_w, values__w=values_w)
        .with_columns(
            value=pl.when(pl.col("value__w")).then(None).otherwise(pl.col("value")),
            expected=pl.when(pl.col("expected__w")).then(None).otherwise(pl.col("expected")),
            values=pl.col("values").list.eval(
                pl.when(element_small).then(None).otherwise(pl.element())
            ),
        )
        .with_columns(
            pl.concat_list(
                [
                    pl.when(pl.col(f"{f}__w")).then(pl.lit(f))
                    for f in ("value", "expected", "values")
                ]
            )
            .list.drop_nulls()
            .alias(WITHHELD)
        )
        .select(*warnings.columns, WITHHELD)
    )
