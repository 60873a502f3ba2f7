"""Every declared figure field under attack: a withheld count changes nothing that is shown.

The attacker of tests/unit/test_suppression.py solves linear equations; this one needs no
formula at all, so it covers what is not linear too (projections, `on_track`, outlier
flags, ranks, group means, the state's figures): the seeded data are exported at every
as-of month, then every withheld count is changed to another withheld value (1 <-> 2 at
threshold 3; the state and Germany rows stay the sums of their Jobcenters) and everything
is exported again. Whatever a withheld count can be computed from must differ between the
two runs; so every field declared in jctui.fields, every warning and every
aggregate must be the same in both. Comparing the two exports field by field names the
field that leaks.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from jctui.cli import main
from jctui.fields import FIELDS
from tests.unit.test_suppression import MONTHS, SMALL, THRESHOLD, make_data, month

# every as-of month: minutes on a busy machine (make test-slow)
SLOW = [pytest.mark.slow, pytest.mark.timeout(900)]
Truth = dict[tuple[str, str, int], float]
STATES = {"S1": "HE", "S2": "HE", "S3": "HE", "S4": "BY"}  # the large ones are all in HE


def with_aggregates(frame: pl.DataFrame) -> pl.DataFrame:
    """The Jobcenters' rows plus Hessen's, Bavaria's and Germany's, each the sum of its
    members (as the publisher's tables are): a state minus its shown Jobcenters is an
    attack of its own."""
    frame = frame.with_columns(state=pl.col("jobcenter_id").replace_strict(STATES, default="HE"))
    sums = []
    for ident, name, members in (
        ("06", "Hessen", pl.col("state") == "HE"),
        ("09", "Bayern", pl.col("state") == "BY"),
        ("DG", "Deutschland", pl.lit(True)),
    ):
        sums.append(
            frame.filter(members)
            .group_by("period", "metric")
            .agg(pl.col("value").sum())
            .with_columns(
                jobcenter_id=pl.lit(ident),
                name=pl.lit(name),
                comparison_type=pl.lit(None, pl.String),
                state=pl.lit(None, pl.String),
            )
            .select(frame.columns)
        )
    return pl.concat([frame, *sums]).sort("jobcenter_id", "period", "metric")


def write_variant(folder: Path, base: pl.DataFrame, truth: Truth, config_text: str) -> Path:
    """The data with the small Jobcenters' counts from `truth`, and its config."""
    folder.mkdir()
    changed = pl.DataFrame(
        [(jc, month(i).strftime("%Y-%m"), metric, v) for (jc, metric, i), v in truth.items()],
        schema=["jobcenter_id", "period", "metric", "value"],
        orient="row",
    )
    keys = ["jobcenter_id", "period", "metric"]
    frame = (
        base.join(changed, on=keys, how="left", suffix="_new")
        .with_columns(value=pl.coalesce("value_new", "value"))
        .drop("value_new")
    )
    with_aggregates(frame).write_csv(folder / "values.csv")
    config = folder / "config.toml"
    config.write_text(config_text.format(folder=folder), encoding="utf-8")
    return config


TARGETS = "jobcenter_id,year,metric,target\n" + "".join(
    f"{jc},{year},{metric},{target}\n"
    for jc in (*SMALL, "L0")
    for year in (2016, 2017, 2018)
    for metric, target in (("integrations", 30), ("elb", 40), ("k2", 60))
)
CONFIG = f"""small_count_threshold = {THRESHOLD}

[[sources]]
name = "values"
path = "{{folder}}/values.csv"

[[sources]]
name = "targets"
path = "{{folder}}/targets.csv"
role = "targets"

[[checks]]
jobcenter = "S4"
metric = "integrations"
statistic = "sum"
start = "2018-01"
end = "2018-06"
stated = 1
"""


ALL_MONTHS = tuple(range(MONTHS))
# `make test` attacks these as-of months (the first full year and the turn of each year,
# where S3 starts, has its gap and comes back, the outlier spike, S4's small month, the
# last month) with one perturbation; `make test-slow` every month with two
QUICK_MONTHS = (11, 12, 23, 24, 26, 30, 33, 34, 35, 36, 41, 42, 47)


def exports(config: Path, out: Path, months: tuple[int, ...]) -> list[dict[str, Any]]:
    """`jctui export --format json` at the as-of months (every Jobcenter, every figure)."""
    reports = []
    for i in months:
        target = out / f"export-{i}.json"
        args = ["export", "--config", str(config), "--format", "json", "-o", str(target)]
        with contextlib.redirect_stdout(io.StringIO()):
            assert main([*args, "--at", month(i).strftime("%Y-%m"), "--lang", "en"]) == 0
        reports.append(json.loads(target.read_text(encoding="utf-8")))
    return reports


def perturbed(truth: Truth, rng: np.random.Generator) -> Truth:
    """Every withheld count (1 or 2 at threshold 3) replaced by another withheld value."""
    return {
        key: (float(rng.integers(1, THRESHOLD)) if 0 < v < THRESHOLD else v)
        for key, v in truth.items()
    }


def shown_fields(report: Mapping[str, Any]) -> Iterator[tuple[str, str, str, str, Any]]:
    """(Jobcenter, figure, table, field, value) of every declared field in a report."""
    for jc in report["jobcenters"]:
        for table in ("metrics", "rates"):
            for figure, entry in jc[table].items():
                for field in FIELDS:
                    if field.key in entry:
                        yield jc["id"], figure, field.table, field.key, entry[field.key]


def leaks(
    before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[tuple[str, str, str, str]]:
    """(as-of month, Jobcenter, figure, what) of everything shown that changed."""
    found = []
    for old, new in zip(before, after, strict=True):
        as_of = old["as_of"]
        changed = {
            (jc, figure, f"{table}.{field}")
            for (jc, figure, table, field, value), (*_, other) in zip(
                shown_fields(old), shown_fields(new), strict=True
            )
            if value != other
        }
        found += [(as_of, *key) for key in sorted(changed)]
        for jc_old, jc_new in zip(old["jobcenters"], new["jobcenters"], strict=True):
            if jc_old["warnings"] != jc_new["warnings"]:
                found.append((as_of, jc_old["id"], "", "warnings"))
        if old.get("references") != new.get("references"):
            found.append((as_of, "", "", "references"))
        # the source names the folder of each variant: the only difference allowed
        if {**old, "source": ""} != {**new, "source": ""} and not found:
            other = [
                (jc["id"], figure, key, e[key], jc2[t][figure].get(key))
                for jc, jc2 in zip(old["jobcenters"], new["jobcenters"], strict=True)
                for t in ("metrics", "rates")
                for figure, e in jc[t].items()
                for key in e
                if e[key] != jc2[t][figure].get(key)
            ][:5]
            found.append((as_of, "", "", f"something else in the report: {other}"))
    return found


Variants = Callable[[str, tuple[int, ...]], list[dict[str, Any]]]


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Variants:
    """The exports of the seeded data ("truth") and of two perturbations of it, at the
    as-of months asked for."""
    tmp = tmp_path_factory.mktemp("differential")
    data, _, truth = make_data(tmp)
    base = pl.read_csv(data, schema_overrides={"value": pl.Float64, "period": pl.String})
    spike = (  # an outlier on a series with nothing withheld: flagged as usual
        (pl.col("jobcenter_id") == "L1")
        & (pl.col("metric") == "integrations")
        & (pl.col("period") == month(30).strftime("%Y-%m"))
    )
    base = base.with_columns(value=pl.when(spike).then(900.0).otherwise(pl.col("value")))
    rng = np.random.default_rng(7)
    truths = {"truth": truth, "a": perturbed(truth, rng), "b": perturbed(truth, rng)}
    assert truths["a"] != truth
    assert truths["b"] != truth
    cache: dict[tuple[str, tuple[int, ...]], list[dict[str, Any]]] = {}

    def run(name: str, months: tuple[int, ...]) -> list[dict[str, Any]]:
        if (name, months) not in cache:
            folder = tmp / f"{name}-{len(cache)}"
            config = write_variant(folder, base, truths[name], CONFIG)
            (folder / "targets.csv").write_text(TARGETS, encoding="utf-8")
            cache[name, months] = exports(config, folder, months)
        return cache[name, months]

    return run


def test_the_attack_sees_what_it_needs(variants: Variants) -> None:
    """The attack has teeth: the exports carry the declared fields of every kind, targets
    and projections of the small Jobcenters, the aggregates and outlier flags (at the
    months `make test` attacks, so at every month too)."""
    reports = variants("truth", QUICK_MONTHS)
    seen = {
        (table, field)
        for r in reports
        for _, _, table, field, v in shown_fields(r)
        if v is not None
    }
    declared = {(f.table, f.key) for f in FIELDS if f.reported}
    assert declared - seen == set()  # every reported field is shown somewhere
    projections = [
        jc["metrics"]["integrations"]["projection"]
        for r in reports
        for jc in r["jobcenters"]
        if jc["id"] in SMALL
    ]
    assert any(p is not None for p in projections)  # shown where nothing is withheld
    assert any("references" in r for r in reports)
    outliers = [w for r in reports for jc in r["jobcenters"] for w in jc["warnings"]
                if w["kind"] == "outlier"]  # fmt: skip
    assert outliers


@pytest.mark.parametrize(
    ("variant", "months"),
    [
        pytest.param("a", QUICK_MONTHS, id="a-quick"),
        pytest.param("a", ALL_MONTHS, id="a", marks=SLOW),
        pytest.param("b", ALL_MONTHS, id="b", marks=SLOW),
    ],
)
def test_a_withheld_count_changes_nothing_shown(
    variants: Variants, variant: str, months: tuple[int, ...]
) -> None:
    assert leaks(variants("truth", months), variants(variant, months)) == []
