"""Secondary suppression: withhold every figure from which a withheld count could be computed.

The primary rule (`SmallCounts`, in jctui.presentation.policy) withholds a delivered monthly
count below the threshold. That alone is not enough: differences of year-to-date or
12-month sums between as-of months, a rate times its denominator, the change against a
shown previous year, a rank or a warning's raw value would give the withheld count back.
This module is the one place that decides what follows from the primary rule, for every
figure jctui shows (tiles, compare table, chart, show, export, warnings, copy line, kiosk):

- a field is withheld when any period it is made of holds a withheld count, and so is every
  field computed from it: what each field is made of is declared once, in jctui.fields
  (a span of months, a rate's lagged windows, a projection's months, or other fields), and
  nothing here names a field;
- a published level goes with its parts, month by month (`withheld_periods`);
- ranks and group statistics are computed over the shown figures only (a withheld figure
  has no rank, and the others' ranks do not give its place away);
- a warning shows no withheld count (conflicting values, a stated figure's sum over a span
  with a withheld month), and a series with a withheld count shows no outlier flag.

Every shown figure is then a function of counts that are shown themselves, at every as-of
month a user can step through: no withheld count can be computed from what is shown
(tests/unit/test_suppression.py attacks it with linear algebra, and
tests/unit/test_suppression_attack.py and test_suppression_surfaces.py by changing every
withheld count: nothing any front end shows may change).

The rule is conservative: a small Jobcenter with one withheld month loses its 12-month
figures for a year and its year-to-date figures for the rest of that year.

Frames leave here with a `withheld` column: the names of the fields withheld in that row
(their values are null); front ends show those as `*` (SmallCounts.fmt).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from jctui.presentation.policy import SmallCounts

if TYPE_CHECKING:
    import polars as pl

    from jctui.config import MetricDef
    from jctui.engine import Engine, Figures

WITHHELD = "withheld"  # the column (and JSON field) naming the withheld fields of a row


def withhold(figures: Figures, engine: Engine, counts: SmallCounts) -> Figures:
    """The figures as they may be shown: every declared field made of a withheld count (or
    computed from such a field) null and named in `withheld`; ranks and group statistics
    over the shown figures."""
    import polars as pl

    if not counts.active:
        empty = pl.lit([], pl.List(pl.String)).alias(WITHHELD)
        return replace(
            figures,
            metrics=figures.metrics.with_columns(empty),
            rates=figures.rates.with_columns(empty),
            warnings=figures.warnings.with_columns(empty),
            targets=figures.targets.with_columns(empty),
        )
    flags = withheld_periods(engine, counts)
    flagged = engine.flagged(figures.as_of, flags.lazy())
    metrics = _apply(figures.metrics, flagged.metrics, "metric")
    rates = _apply(figures.rates, flagged.rates, "rate")
    return replace(
        figures,
        metrics=metrics,
        rates=rates,
        warnings=withhold_warnings(figures.warnings, engine, counts, flags),
        targets=_withheld_targets(figures.targets, metrics, rates, flagged.targets),
    )


def level_parts(metrics: Mapping[str, MetricDef]) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each key figure as published (a level in %, never a count itself) and the published
    counts it is made of, with how many months back: K2 from its numerator and denominator
    ("integrations_12m", "elb_mean_12m"), K3 from the LZB stock now and 12 months back."""
    from jctui.config.catalogue import KENNZAHLEN, kennzahl_key, kennzahl_part

    out = {}
    for code, *_ in KENNZAHLEN:
        key = kennzahl_key(code)
        if key in metrics and metrics[key].is_level:
            parts = {kennzahl_part(code, part) for part in ("numerator", "denominator")}
            out[key] = tuple(sorted(p for p in parts if p[0] in metrics))
    return out


def withheld_periods(engine: Engine, counts: SmallCounts) -> pl.DataFrame:
    """(jobcenter_id, metric, period, flag) of every delivered value: flagged where the
    primary rule withholds it, and a published level wherever a count it is made of is
    withheld (level x denominator would give the numerator back; a level itself is no
    count, never small)."""
    import polars as pl

    levels = level_parts(engine.metrics)
    frame = engine.indexed.select(
        pl.col("jobcenter_id").cast(pl.String),
        pl.col("metric").cast(pl.String),
        "period",
        flag=counts.small(pl.col("value")) & ~pl.col("metric").cast(pl.String).is_in(list(levels)),
    )
    made_of = pl.DataFrame(
        [(part, back, level) for level, parts in levels.items() for part, back in parts],
        schema={"metric": pl.String, "back": pl.Int64, "level": pl.String},
        orient="row",
    )
    if made_of.is_empty():
        return frame
    from_parts = (
        frame.filter("flag")
        .join(made_of, on="metric")
        .select(
            "jobcenter_id",
            metric=pl.col("level"),
            period=pl.col("period").dt.offset_by(pl.format("{}mo", pl.col("back"))),
            held=pl.lit(True),
        )
        .unique()
    )
    return (
        frame.join(from_parts, on=["jobcenter_id", "metric", "period"], how="left")
        .with_columns(flag=pl.col("flag") | pl.col("held").fill_null(False))
        .drop("held")
    )


def _withheld_flags(table: str, counted: Mapping[str, pl.Expr]) -> list[list[pl.Expr]]:
    """Per declared field of `table`, in declaration order, the expression `{field}__w`:
    withheld when a span or base field it is made of counts a flagged period (`counted`),
    or when a field it is computed from is withheld (by the row's `kind`). Returned in
    steps: each step uses only the flags of the steps before it."""
    import polars as pl

    from jctui.fields import fields_of

    steps: list[list[pl.Expr]] = [[]]
    for f in fields_of(table):
        if f.key in counted:
            steps[0].append(counted[f.key].alias(f"{f.key}__w"))
            continue
        if not f.parts:
            continue
        held: pl.Expr = pl.lit(False)
        for kind in sorted(f.kinds):
            parts = f.parts_of(kind)
            if parts:
                held = (
                    pl.when(pl.col("kind") == kind)
                    .then(pl.any_horizontal([pl.col(f"{p}__w") for p in parts]))
                    .otherwise(held)
                )
        steps.append([held.fill_null(False).alias(f"{f.key}__w")])
    return steps


def _flag_of(column: str) -> pl.Expr:
    import polars as pl

    return pl.col(f"{column}__n").fill_null(0) > 0


def _apply(frame: pl.DataFrame, counted: pl.DataFrame, key: str) -> pl.DataFrame:
    """Null the withheld fields, re-rank over what is left, and name what was withheld."""
    import polars as pl

    from jctui.engine.ranks import RANK_BY, with_ranks
    from jctui.fields import fields_of

    if frame.is_empty():
        return frame.with_columns(pl.lit([], pl.List(pl.String)).alias(WITHHELD))
    columns = frame.columns
    own = [c for c in counted.columns if c not in ("jobcenter_id", key, "kind")]
    counted = counted.select("jobcenter_id", key, *own).rename({c: f"{c}__n" for c in own})
    joined = frame.lazy().join(counted.lazy(), on=["jobcenter_id", key], how="left")
    if key == "rate":
        joined = joined.with_columns(kind=pl.lit("rate"))
    steps = _withheld_flags(key, {c: _flag_of(c) for c in own})
    for step in steps:
        joined = joined.with_columns(step)
    shown_fields = [f.key for f in fields_of(key) if f.key in columns]
    shown = joined.with_columns(
        pl.when(pl.col(f"{f}__w")).then(None).otherwise(pl.col(f)).alias(f) for f in shown_fields
    )
    ranked = with_ranks(shown, key)
    basis = RANK_BY[key][0]
    named = [pl.when(pl.col(f"{f}__w")).then(pl.lit(f)) for f in shown_fields]
    named.append(
        pl.when(pl.col(f"{basis}__w") & pl.col("rank_by").is_not_null()).then(pl.lit("rank"))
    )
    return (
        ranked.with_columns(pl.concat_list(named).list.drop_nulls().alias(WITHHELD))
        .select(*columns, WITHHELD)
        .collect()
    )


def _withheld_targets(
    targets: pl.DataFrame, metrics: pl.DataFrame, rates: pl.DataFrame, projected: pl.DataFrame
) -> pl.DataFrame:
    """Every declared target field made of a withheld count: progress with the current
    figure it is made of (flows: the year to date), the projection with the months its
    formula takes (jctui.fields.PROJECTION_SPANS), and what is computed from the
    projection (its share of the target, on track, why there is none). The target itself
    is an agreed number, never a count of people, and stays."""
    import polars as pl

    from jctui.fields import fields_of

    if targets.is_empty():
        return targets.with_columns(pl.lit([], pl.List(pl.String)).alias(WITHHELD))
    held = pl.col(WITHHELD)
    # what the current figure is made of, from the figure's own withheld fields
    # the fields of the figure's own row a target field is computed from (the current
    # figure: a flow's year to date, a stock's or rate's value), withheld or not
    own = {f.key for f in fields_of("target")}
    outside = sorted(
        {p for f in fields_of("target") for kind in f.parts for p in f.parts_of(kind)} - own
    )
    basis = pl.concat(
        [
            metrics.select(
                "jobcenter_id", "metric", *(held.list.contains(p).alias(f"{p}__w") for p in outside)
            ),
            rates.select(
                "jobcenter_id",
                pl.col("rate").alias("metric"),
                *(held.list.contains(p).alias(f"{p}__w") for p in outside),
            ),
        ]
    )
    fields = [f.key for f in fields_of("target") if f.key in targets.columns]
    joined = targets.lazy().join(basis.lazy(), on=["jobcenter_id", "metric"], how="left")
    base_spans = {f.key: _flag_of(f.key) for f in fields_of("target") if f.base and f.spans}
    joined = joined.join(
        projected.lazy().rename({k: f"{k}__n" for k in base_spans}),
        on=["jobcenter_id", "metric"],
        how="left",
    ).with_columns(pl.col(f"{p}__w").fill_null(False) for p in outside)
    for step in _withheld_flags("target", base_spans):
        joined = joined.with_columns(step)
    withheld = [f for f in fields if f"{f}__w" in joined.collect_schema()]
    # the engine's columns a withheld field is worded from go with it (its reason's month)
    aside = {c: f.key for f in fields_of("target") for c in f.columns}
    return (
        joined.with_columns(
            *(
                pl.when(pl.col(f"{f}__w")).then(None).otherwise(pl.col(f)).alias(f)
                for f in withheld
            ),
            *(
                pl.when(pl.col(f"{reason}__w")).then(None).otherwise(pl.col(c)).alias(c)
                for c, reason in aside.items()
                if c in targets.columns
            ),
        )
        .with_columns(
            pl.concat_list([pl.when(pl.col(f"{f}__w")).then(pl.lit(f)) for f in withheld])
            .list.drop_nulls()
            .alias(WITHHELD)
        )
        .select(*targets.columns, WITHHELD)
        .collect()
    )


def withhold_warnings(
    warnings: pl.DataFrame, engine: Engine, counts: SmallCounts, flags: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Warnings without withheld counts: no outlier flag at all on a series with a withheld
    count (its rule, the seasonal median and spread, is made of the whole series: which
    months are flagged would narrow the withheld values down); conflicting or duplicated
    values; a stated figure's sum or mean over a span with a withheld month. Counts of
    periods (gaps, incomplete windows) and negative values (no small counts) stay."""
    import polars as pl

    if flags is None:
        flags = withheld_periods(engine, counts)
    kind = pl.col("kind")
    levels = level_parts(engine.metrics)
    a_count = ~pl.col("metric").cast(pl.String).is_in(list(levels))  # a level in % is none
    small = counts.small(pl.col("value")) & a_count
    withheld_periods_ = flags.filter("flag").select("jobcenter_id", "metric", "period")
    keys = ["jobcenter_id", "metric"]
    held_series = withheld_periods_.select(keys).unique()
    warnings = (
        warnings.join(held_series.with_columns(__held=pl.lit(True)), on=keys, how="left")
        .filter(~((kind == "outlier") & pl.col("__held").fill_null(False)))
        .drop("__held")
    )
    rows = warnings.with_row_index("__row")
    stated_span = (
        rows.filter(kind == "stated")
        .select("__row", *keys, "first", last=pl.col("period"))
        .join(withheld_periods_, on=keys, how="inner")
        .filter(pl.col("period").is_between(pl.col("first"), pl.col("last")))
        .get_column("__row")
        .unique()
        .to_list()
    )
    has_count = kind.is_in(["outlier", "conflict", "duplicate"])
    value_w = (has_count & small) | ((kind == "stated") & pl.col("__row").is_in(stated_span))
    published_in_span = (pl.col("statistic") == "published") & pl.col("__row").is_in(stated_span)
    expected_w = published_in_span  # the level itself
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
