"""Cross-checks of a published file against itself: a figure is right or it is refused.

Where a file has the parts, its figures must agree with them:
- a quotient (K2, K1E3, K3E1, ...) = numerator / denominator x 100, to the published
  precision (the most decimals its column shows: "19,8" is within 0.05);
- a change (K1, K1E2, K3) = (level / level a year earlier - 1) x 100, to the same precision;
- counts are never negative, and counts of people or events whole numbers; a share in % (K2, a quotient of the key figures, a label's
  "Quote" or "Anteil") never below 0 or above 100; ELB never above the inhabitants where
  both are known;
- a subtotal row ("Summe Vergleichstyp IIb", "Insgesamt") = the sum of its members' counts,
  where every member's count is in the file.
A failed check is a rejected cell (`jctui check` lists it and exits 1) naming the check, and
the figures it touches are left out (never a figure its own file contradicts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from jctui.config import MetricDef
from jctui.config.catalogue import KENNZAHLEN, kennzahl_key, kennzahl_part

KEY = ["jobcenter_id", "period", "metric"]
# a failed check: the figure it names and the check's message
PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "jobcenter_id": pl.String(),
    "period": pl.Date(),
    "metric": pl.String(),
    "problem": pl.String(),
}
_EPS = 1e-6


@dataclass(frozen=True)
class CheckResult:
    """One cross-check over a file: how many figures it compared, how many failed."""

    name: str
    checked: int
    failed: int
    example: str = ""  # the first failure, as reported

    def describe(self) -> str:
        result = "ok" if not self.failed else f"{self.failed} failed"
        return f"check {self.name}: {self.checked} compared, {result}"


@dataclass(frozen=True)
class Checked:
    """Values and aggregates with the contradicted figures left out, and what was found."""

    dropped: pl.DataFrame  # jobcenter_id, period, metric of every figure left out
    failures: pl.DataFrame  # jobcenter_id, period, metric, problem
    results: tuple[CheckResult, ...]


def _text(number: pl.Expr) -> pl.Expr:
    """A number as short text: integral values without ".0", others to 4 decimals."""
    rounded = number.round(4)
    return (
        pl.when(rounded == rounded.round())
        .then(rounded.cast(pl.Int64, strict=False).cast(pl.String))
        .otherwise(rounded.cast(pl.String))
    )


def _decimals(value: pl.Expr) -> pl.Expr:
    """How many decimals a value shows (0..4)."""
    expr = pl.lit(4, pl.Int32)
    for d in (3, 2, 1, 0):
        scaled = value * 10**d
        expr = (
            pl.when((scaled - scaled.round()).abs() < _EPS)
            .then(pl.lit(d, pl.Int32))
            .otherwise(expr)
        )
    return expr


def _one(by_metric: dict[str, pl.DataFrame], key: str, back: int, name: str) -> pl.DataFrame:
    """Metric `key` moved `back` months forward, as column `name` (jobcenter_id, period)."""
    part = by_metric[key]
    return part.select(
        "jobcenter_id",
        pl.col("period").dt.offset_by(f"{back}mo") if back else pl.col("period"),
        pl.col("value").alias(name),
    )


def _quotients(
    values: pl.DataFrame, catalogue: Mapping[str, MetricDef]
) -> list[tuple[str, pl.DataFrame, int]]:
    """Per key figure with its parts in the data: (check name, failures, figures compared)."""
    present = set(values.get_column("metric").unique().to_list())
    found: list[tuple[str, pl.DataFrame, int]] = []
    wanted = {kennzahl_key(code) for code, *_ in KENNZAHLEN}
    if not wanted & present:
        return found
    # one frame per metric (a key is once per metric and month: repeats are conflicts)
    by_metric = {str(k[0]): v for k, v in values.partition_by("metric", as_dict=True).items()}
    for code, *_, change in KENNZAHLEN:
        figure = kennzahl_key(code)
        (num, num_back), (den, den_back) = (
            kennzahl_part(code, "numerator"),
            kennzahl_part(code, "denominator"),
        )
        if change and num == den and den_back == 0:
            den_back = 12  # a change against the same stock a year earlier
        if figure not in catalogue or not {figure, num, den} <= present:
            continue
        published = _one(by_metric, figure, 0, "f")
        if published.is_empty():
            continue
        # figures in % are published with at least one decimal ("25,0" reads as 25)
        precision = max(1, int(published.select(_decimals(pl.col("f")).max()).item() or 0))
        tolerance = 0.5 * 10**-precision + _EPS
        joined = (
            published.join(_one(by_metric, num, num_back, "n"), on=["jobcenter_id", "period"])
            .join(_one(by_metric, den, den_back, "d"), on=["jobcenter_id", "period"])
            .filter(pl.col("d") != 0)
        )
        ratio = pl.col("n") / pl.col("d")
        computed = (ratio - 1) * 100 if change else ratio * 100
        formula = (
            "(numerator / denominator - 1) x 100" if change else "numerator / denominator x 100"
        )
        name = f"{code} = {formula}"
        # the parts are published as whole numbers: their rounding (half a unit each) moves
        # the quotient too, by at most ratio x 100 x (0.5 / n + 0.5 / d)
        slack = (ratio * 100).abs() * (0.5 / pl.col("n").abs() + 0.5 / pl.col("d").abs())
        failed = joined.with_columns(_c=computed).filter(
            (pl.col("_c") - pl.col("f")).abs() > tolerance + slack.fill_nan(0)
        )
        parts = failed.select(
            "jobcenter_id",
            "period",
            metric=pl.lit(figure),
            problem=pl.format(
                "cross-check {} failed: {} / {} gives {}, published {}",
                pl.lit(name),
                _text(pl.col("n")),
                _text(pl.col("d")),
                _text(pl.col("_c").round(precision)),
                _text(pl.col("f")),
            ),
            touched=pl.concat_list(
                pl.struct(m=pl.lit(figure), back=pl.lit(0)),
                pl.struct(m=pl.lit(num), back=pl.lit(num_back)),
                pl.struct(m=pl.lit(den), back=pl.lit(den_back)),
            ),
        )
        found.append((name, parts, joined.height))
    return found


# the checks of one value each, by name (`inspect` proposes an option for some of them)
NON_NEGATIVE = "counts never negative"
WHOLE_COUNT = "a count is a whole number"
SHARE_IN_RANGE = "a share in % within 0-100"


def _counts(values: pl.DataFrame, catalogue: Mapping[str, MetricDef]) -> pl.DataFrame:
    """Counts below zero (persons, numerators, denominators)."""
    counts = [
        k
        for k, m in catalogue.items()
        if m.unit == "persons" or k.endswith(("_numerator", "_denominator"))
    ]
    return _failed(
        NON_NEGATIVE, values.filter(pl.col("metric").is_in(counts) & (pl.col("value") < 0))
    )


def _failed(check: str, bad: pl.DataFrame) -> pl.DataFrame:
    """The rows of values that failed a check of one value each, with the problem named."""
    return bad.select(
        "jobcenter_id",
        "period",
        "metric",
        problem=pl.format(f"cross-check {check} failed: {{}}", _text(pl.col("value"))),
    )


# counts of people or events: whole numbers ("16.039" taken for a decimal is caught here;
# a mean, such as K2's denominator, or a numerator in euro may have decimals)
WHOLE_COUNTS = (
    "integrations", "apprenticeships", "elb", "long_term_recipients", "customers",
    "integrations_12m", "inhabitants",
)  # fmt: skip


def _whole(values: pl.DataFrame) -> pl.DataFrame:
    """Counts of people or events with a fractional part."""
    bad = values.filter(
        pl.col("metric").is_in(WHOLE_COUNTS)
        & ((pl.col("value") - pl.col("value").round()).abs() > _EPS)
    )
    return _failed(WHOLE_COUNT, bad)


_SHARE_LABEL = r"(?i)quote|anteil"
_CHANGE_LABEL = r"(?i)ver(ä|ae)nderung|change"


def _shares(values: pl.DataFrame, catalogue: Mapping[str, MetricDef]) -> pl.DataFrame:
    """Shares in % outside 0..100: the quotients of the key figures as published (K2,
    K1E3, K3E2, ...: a part of a whole) and the figures a label calls a "Quote" or "Anteil"
    (never a change). A rate read a thousand times too large ("7.125" as 7125) is caught
    here where nothing else could."""
    quotients = {kennzahl_key(code) for code, _, _, _, change in KENNZAHLEN if not change}
    labelled = {
        k
        for k, m in catalogue.items()
        if m.unit == "%"
        and re.search(_SHARE_LABEL, m.label_de)
        and not re.search(_CHANGE_LABEL, m.label_de)
    }
    keys = list((quotients | labelled) & set(catalogue))
    bad = values.filter(
        pl.col("metric").is_in(keys) & ((pl.col("value") < 0) | (pl.col("value") > 100))
    )
    return _failed(SHARE_IN_RANGE, bad)


def _inhabitants(values: pl.DataFrame, registry: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """ELB above the inhabitants of their region: those of the registry, or (a GENESIS
    table, the Regionalatlas) the file's own `inhabitants` of the same period; (failures,
    figures compared)."""
    known = registry.filter(pl.col("inhabitants").is_not_null()).select(
        "jobcenter_id", "inhabitants"
    )
    own = values.filter(pl.col("metric") == "inhabitants").select(
        "jobcenter_id", "period", pl.col("value").alias("_own")
    )
    elb = values.filter(pl.col("metric").is_in(["elb", "elb_mean_12m"]))
    compared = (
        elb.join(known, on="jobcenter_id", how="left")
        .join(own, on=["jobcenter_id", "period"], how="left")
        .with_columns(inhabitants=pl.coalesce("_own", "inhabitants"))
        .filter(pl.col("inhabitants").is_not_null())
    )
    return (
        compared.filter(pl.col("value") > pl.col("inhabitants")).select(
            "jobcenter_id",
            "period",
            "metric",
            problem=pl.format(
                "cross-check ELB never above the inhabitants failed: {} ELB, {} inhabitants",
                _text(pl.col("value")),
                _text(pl.col("inhabitants")),
            ),
        )
    ), compared.height


def subtotal_failures(
    aggregates: pl.DataFrame,
    values: pl.DataFrame,
    members: pl.DataFrame,
    catalogue: Mapping[str, MetricDef],
) -> tuple[pl.DataFrame, int]:
    """Subtotal rows against the sum of their members' counts: `members` maps each
    subtotal's id to its members' ids (columns jobcenter_id, member). Only counts are
    summed (a rate is no sum), and only where every member has the count."""
    if members.is_empty() or aggregates.is_empty():
        return pl.DataFrame(schema=PROBLEM_SCHEMA), 0
    counts = [
        k
        for k, m in catalogue.items()
        if m.unit == "persons" or k.endswith(("_numerator", "_denominator"))
    ]
    size = members.group_by("jobcenter_id").agg(n=pl.len())
    sums = (
        members.join(
            values.filter(pl.col("metric").is_in(counts)).rename({"jobcenter_id": "member"}),
            on="member",
        )
        .group_by("jobcenter_id", "period", "metric")
        .agg(total=pl.col("value").sum(), have=pl.len())
        .join(size, on="jobcenter_id")
        .filter(pl.col("have") == pl.col("n"))
    )
    compared = aggregates.join(sums, on=KEY)
    failed = compared.filter((pl.col("value") - pl.col("total")).abs() > 0.5).select(
        *KEY,
        problem=pl.format(
            "cross-check subtotal = sum of its {} members failed: {} published, the members sum to {}",
            pl.col("n"),
            _text(pl.col("value")),
            _text(pl.col("total")),
        ),
    )
    return failed, compared.height


def cross_check(
    values: pl.DataFrame,
    aggregates: pl.DataFrame,
    registry: pl.DataFrame,
    catalogue: Mapping[str, MetricDef],
    members: pl.DataFrame | None = None,
) -> Checked:
    """Every cross-check the data has the parts for; the figures a failed one touches left
    out of `values` (and a failed subtotal out of `aggregates`)."""
    results: list[CheckResult] = []
    failures: list[pl.DataFrame] = []
    touched: list[pl.DataFrame] = []
    schema = PROBLEM_SCHEMA
    for name, failed, checked in _quotients(values, catalogue):
        if not failed.height:
            results.append(CheckResult(name, checked, 0))
            continue
        results.append(
            CheckResult(name, checked, failed.height, str(failed.get_column("problem").first()))
        )
        failures.append(failed.select(*KEY, "problem"))
        touched.append(
            failed.select("jobcenter_id", "period", "touched")
            .explode("touched")
            .unnest("touched")
            .select(
                "jobcenter_id",
                pl.col("period").dt.offset_by(pl.format("-{}mo", pl.col("back"))),
                metric=pl.col("m"),
            )
        )
    above, compared = _inhabitants(values, registry)
    for name, failed, checked in (
        ("counts never negative", _counts(values, catalogue), values.height),
        ("a share in % within 0-100", _shares(values, catalogue), values.height),
        ("a count is a whole number", _whole(values), values.height),
        ("ELB never above the inhabitants", above, compared),
    ):
        first = str(failed.get_column("problem").first()) if failed.height else ""
        if failed.height or (checked and name.startswith("ELB")):  # listed where compared
            results.append(CheckResult(name, checked, failed.height, first))
        if failed.height:
            failures.append(failed)
    # the inhabitants an ELB figure exceeded are left out with it
    touched.append(above.select("jobcenter_id", "period", metric=pl.lit("inhabitants")))
    agg_failed = pl.DataFrame(schema=schema)
    if members is not None and not members.is_empty():
        agg_failed, checked = subtotal_failures(aggregates, values, members, catalogue)
        results.append(
            CheckResult(
                "subtotal = sum of its members",
                checked,
                agg_failed.height,
                str(agg_failed.get_column("problem").first()) if agg_failed.height else "",
            )
        )
    everything = (
        pl.concat([f.cast(pl.Schema(schema)) for f in failures], how="vertical")
        if failures
        else pl.DataFrame(schema=schema)
    )
    all_failures = pl.concat([everything, agg_failed.cast(pl.Schema(schema))], how="vertical")
    drop = pl.concat(
        [
            all_failures.select(KEY),
            *[t.select(KEY).cast(pl.Schema({k: schema[k] for k in KEY})) for t in touched],
        ],
        how="vertical",
    ).unique()
    return Checked(drop, all_failures, tuple(results))
