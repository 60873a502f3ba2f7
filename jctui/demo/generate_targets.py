"""Generate the bundled demo targets: `python -m jctui.demo.generate_targets`.

Plausible synthetic targets (Zielvereinbarungen) for 2017 and 2018, per Jobcenter, derived
from the demo values (jctui/demo/demo_values.parquet, which this does not touch) the way
targets are agreed: on last year's result.
- integrations and apprenticeships: last year's total plus 0-6 % (0-8 %), a count;
- ELB and long-term recipients: last December's level minus 1-4 % (2-6 %);
- K2: last year's December rate plus 0.3 to 1.2 points;
- customers: none (no better direction, nothing to agree).
Kreis Offenbach (06438) is set by hand: 4,300 integrations in 2017 (it reached 4,236, just
short) and 4,400 in 2018. Deterministic: a fixed seed, Jobcenters in id order, the same file
every run.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import polars as pl

from jctui.demo import demo_targets_path, demo_values_path
from jctui.model import TARGET_SCHEMA

SEED = 20181201
YEARS = (2017, 2018)
OFFENBACH_ID = "06438"
OFFENBACH_INTEGRATIONS = {2017: 4300.0, 2018: 4400.0}
# metric: (low, high) of the yearly change agreed; flows up, stocks down
UPLIFT: dict[str, tuple[float, float]] = {
    "integrations": (0.00, 0.06),
    "apprenticeships": (0.00, 0.08),
    "elb": (-0.04, -0.01),
    "long_term_recipients": (-0.06, -0.02),
}
K2_POINTS = (0.3, 1.2)


def last_year_bases(values: pl.DataFrame, year: int) -> pl.DataFrame:
    """(jobcenter_id, metric, base) of `year - 1`: flows the year's total, stocks December,
    K2 the December rate (integrations of the year over mean ELB December to November)."""
    prev = year - 1
    in_year = pl.col("period").dt.year() == prev
    december = pl.col("period") == pl.date(prev, 12, 1)
    flows = (
        values.filter(in_year & pl.col("metric").is_in(["integrations", "apprenticeships"]))
        .group_by("jobcenter_id", "metric")
        .agg(base=pl.col("value").sum(), months=pl.len())
        .filter(pl.col("months") == 12)
        .drop("months")
    )
    stocks = values.filter(
        december & pl.col("metric").is_in(["elb", "long_term_recipients"])
    ).select("jobcenter_id", "metric", base=pl.col("value"))
    k2_window = pl.col("period").is_between(pl.date(prev - 1, 12, 1), pl.date(prev, 11, 1))
    elb = (
        values.filter((pl.col("metric") == "elb") & k2_window)
        .group_by("jobcenter_id")
        .agg(elb=pl.col("value").mean(), months=pl.len())
        .filter(pl.col("months") == 12)
    )
    k2 = (
        flows.filter(pl.col("metric") == "integrations")
        .join(elb, on="jobcenter_id")
        .select("jobcenter_id", metric=pl.lit("k2"), base=pl.col("base") / pl.col("elb") * 100)
    )
    return pl.concat([flows, stocks, k2]).sort("jobcenter_id", "metric")


def build(values_path: Path | None = None) -> pl.DataFrame:
    """The demo targets in TARGET_SCHEMA, sorted by Jobcenter, year and metric."""
    values = (
        pl.read_parquet(values_path or demo_values_path())
        .select("jobcenter_id", "period", "metric", "value")
        .filter(pl.col("jobcenter_id").str.contains(r"^\d{5}$"))  # not the states, not "DG"
    )
    rng = random.Random(SEED)
    frames = []
    for year in YEARS:
        bases = last_year_bases(values, year)
        draws = [
            rng.uniform(*K2_POINTS) if metric == "k2" else rng.uniform(*UPLIFT[metric])
            for metric in bases.get_column("metric").to_list()
        ]
        is_k2 = pl.col("metric") == "k2"
        agreed = (
            pl.when(is_k2)
            .then(pl.col("base") + pl.col("draw"))
            .otherwise(pl.col("base") * (1 + pl.col("draw")))
        )
        rounded = (
            pl.when(is_k2)
            .then(agreed.round(1))
            .when(agreed >= 1000)
            .then((agreed / 10).round() * 10)
            .otherwise(agreed.round())
        )
        frame = bases.with_columns(draw=pl.Series(draws, dtype=pl.Float64)).select(
            "jobcenter_id", year=pl.lit(year, pl.Int32), metric="metric", target=rounded
        )
        anchored = (pl.col("jobcenter_id") == OFFENBACH_ID) & (pl.col("metric") == "integrations")
        frames.append(
            frame.with_columns(
                target=pl.when(anchored)
                .then(pl.lit(OFFENBACH_INTEGRATIONS[year]))
                .otherwise(pl.col("target"))
            )
        )
    return pl.concat(frames).sort("jobcenter_id", "year", "metric").cast(pl.Schema(TARGET_SCHEMA))


def generate(output: Path | None = None) -> Path:
    output = output or demo_targets_path()
    frame = build().with_columns(pl.col("target").round(1))
    frame.write_csv(output, float_precision=1, line_terminator="\n")
    return output


if __name__ == "__main__":
    path = generate(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(f"wrote {path}")
