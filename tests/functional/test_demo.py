"""The bundled demo data: shape, realism, and Kreis Offenbach's published figures exactly.

Computed here with plain Polars (flows summed, stocks read at one month, never summed), so
these tests check the data itself, independently of the engine.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from jctui.demo import demo_values_path
from jctui.demo.generate import OFFENBACH_ID, generate
from jctui.model import REGISTRY_SCHEMA, VALUE_SCHEMA

SHARED_ZKT = Path(__file__).resolve().parents[3] / "shared" / "domain" / "zkt_jobcenters.csv"
PACKAGED_ZKT = Path(demo_values_path()).parent / "zkt_jobcenters.csv"


@pytest.fixture(scope="module")
def demo() -> pl.DataFrame:
    """The demo's Jobcenters (its state and Germany rows: tests/functional/test_demo_aggregates.py)."""
    return pl.read_parquet(demo_values_path()).filter(pl.col("jobcenter_id").str.len_chars() == 5)


def number(value: object) -> float:
    """A Series' aggregate (min, max, sum) or an item: a number, never None here."""
    assert isinstance(value, int | float), value
    return value


def offenbach_sum(demo: pl.DataFrame, metric: str, year: int, last_month: int) -> float:
    return number(
        demo.filter(
            (pl.col("jobcenter_id") == OFFENBACH_ID)
            & (pl.col("metric") == metric)
            & (pl.col("period").dt.year() == year)
            & (pl.col("period").dt.month() <= last_month)
        )
        .get_column("value")
        .sum()
    )


def offenbach_at(demo: pl.DataFrame, metric: str, period: dt.date) -> float:
    return number(
        demo.filter(
            (pl.col("jobcenter_id") == OFFENBACH_ID)
            & (pl.col("metric") == metric)
            & (pl.col("period") == period)
        ).item(0, "value")
    )


def test_schema_is_the_canonical_long_model_with_registry_inline(demo: pl.DataFrame) -> None:
    expected = {**VALUE_SCHEMA, **REGISTRY_SCHEMA}
    assert dict(demo.schema) == expected


def test_real_zkt_names_and_states(demo: pl.DataFrame) -> None:
    source = SHARED_ZKT if SHARED_ZKT.exists() else PACKAGED_ZKT
    with source.open(encoding="utf-8") as fh:
        zkt = {(row["state"], row["name"]) for row in csv.DictReader(fh)}
    assert len(zkt) == 104
    registry = demo.select("jobcenter_id", "name", "state", "carrier", "comparison_type").unique()
    got = {
        (r["state"], r["name"])
        for r in registry.filter(pl.col("carrier") == "zkT").iter_rows(named=True)
    }
    assert got == zkt
    assert registry.filter(pl.col("carrier") == "gE").height >= 40
    assert registry.get_column("jobcenter_id").n_unique() == registry.height  # ids unique
    assert registry.get_column("name").n_unique() == registry.height  # names unique
    per_type = registry.group_by("comparison_type").len()
    assert per_type.height == 15
    assert number(per_type.get_column("len").min()) >= 12


def test_period_range_without_gaps(demo: pl.DataFrame) -> None:
    assert demo.get_column("period").min() == dt.date(2012, 1, 1)
    assert demo.get_column("period").max() == dt.date(2018, 10, 1)
    per_series = demo.group_by("jobcenter_id", "metric").agg(
        n=pl.len(), distinct=pl.col("period").n_unique()
    )
    assert per_series.get_column("n").unique().to_list() == [82]  # 6 years x 12 + 10 months
    assert per_series.get_column("distinct").unique().to_list() == [82]
    assert set(demo.get_column("metric").unique()) == {
        "integrations",
        "apprenticeships",
        "elb",
        "long_term_recipients",
        "customers",
    }


def test_kreis_offenbach_reference_figures_exactly(demo: pl.DataFrame) -> None:
    name = demo.filter(pl.col("jobcenter_id") == OFFENBACH_ID).item(0, "name")
    assert name == "Kreis Offenbach"
    # placements into the first labour market
    assert offenbach_sum(demo, "integrations", 2016, 12) == 4133
    assert offenbach_sum(demo, "integrations", 2017, 12) == 4236
    assert offenbach_sum(demo, "integrations", 2018, 6) == 2169
    since_2012 = demo.filter(
        (pl.col("jobcenter_id") == OFFENBACH_ID) & (pl.col("metric") == "integrations")
    )
    assert since_2012.get_column("value").sum() > 27_600
    # apprenticeship placements January to October
    assert offenbach_sum(demo, "apprenticeships", 2017, 10) == 432
    assert offenbach_sum(demo, "apprenticeships", 2018, 10) == 466
    # long-term recipients on 31 July (a stock: the July value, never a sum)
    assert offenbach_at(demo, "long_term_recipients", dt.date(2017, 7, 1)) == 9549
    assert offenbach_at(demo, "long_term_recipients", dt.date(2018, 7, 1)) == 9096


def test_plausible_relations(demo: pl.DataFrame) -> None:
    wide = demo.pivot(on="metric", index=["jobcenter_id", "period"], values="value")
    assert wide.filter(pl.col("long_term_recipients") > pl.col("elb")).is_empty()
    assert wide.filter(pl.col("elb") > pl.col("customers")).is_empty()
    assert demo.filter(pl.col("value") < 0).is_empty()
    assert demo.filter(pl.col("value") != pl.col("value").round()).is_empty()  # counts
    # integration rate (K2-like) between 10 % and 45 % for every Jobcenter in 2017
    year = (
        wide.filter(pl.col("period").dt.year() == 2017)
        .group_by("jobcenter_id")
        .agg(rate=pl.col("integrations").sum() / pl.col("elb").mean() * 100)
    )
    assert number(year.get_column("rate").min()) > 10
    assert number(year.get_column("rate").max()) < 45
    # apprenticeships are seasonal: September far above February
    month = wide.group_by(pl.col("period").dt.month().alias("m")).agg(
        pl.col("apprenticeships").sum()
    )
    sep = month.filter(pl.col("m") == 9).item(0, "apprenticeships")
    feb = month.filter(pl.col("m") == 2).item(0, "apprenticeships")
    assert sep > 3 * feb


def test_sizes_fit_the_inhabitants_and_the_city_states_have_their_real_names(
    demo: pl.DataFrame,
) -> None:
    registry = demo.unique("jobcenter_id").select(
        "jobcenter_id", "name", "state", "inhabitants", "comparison_type"
    )
    elb = demo.filter(
        (pl.col("metric") == "elb") & (pl.col("period") == dt.date(2018, 10, 1))
    ).select("jobcenter_id", elb="value")
    sized = registry.join(elb, on="jobcenter_id").with_columns(
        share=pl.col("elb") / pl.col("inhabitants") * 100
    )
    # people on benefits: 2 % to 12 % of the inhabitants (Germany: about 5 %)
    assert number(sized.get_column("share").min()) >= 2
    assert number(sized.get_column("share").max()) <= 12
    districts = sized.filter(pl.col("name").str.contains(r"^(Land)?[Kk]reis |kreis$"))
    assert number(districts.get_column("inhabitants").min()) >= 90_000  # no Kreis of 61,300
    city_states = sized.filter(pl.col("state").is_in(["HH", "HB", "BE"]))
    names = set(city_states.get_column("name"))
    assert {"Hamburg", "Bremen", "Bremerhaven", "Berlin Neukölln"} <= names
    assert all(n in {"Hamburg", "Bremen", "Bremerhaven"} or n.startswith("Berlin ") for n in names)
    assert sized.filter(pl.col("name") == "Hamburg").item(0, "elb") > 50_000
    per_type = registry.group_by("comparison_type").len().get_column("len")
    assert number(per_type.max()) >= 2 * number(per_type.min())  # uneven, as in the official typing


def test_generator_is_deterministic_and_produced_the_shipped_file(
    tmp_path: Path, demo: pl.DataFrame
) -> None:
    out = generate(tmp_path / "again.parquet")
    again = pl.read_parquet(out)
    assert again.equals(pl.read_parquet(demo_values_path()))  # the aggregate rows too
    assert again.filter(pl.col("jobcenter_id").str.len_chars() == 5).equals(demo)
