"""Metrics engine: every figure on hand-computed cases (the numbers a manager would check)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from jctui.config import MetricDef, RateDef, StatedCheck, default_metrics, default_rates
from jctui.engine import (
    Engine,
    Figures,
    closest_names,
    detect_revisions,
    find_jobcenters,
    series,
)
from jctui.errors import JctuiError
from jctui.model import VALUE_SCHEMA
from jctui.presentation.wording import warning_message


def month(i: int, start: int = 2016) -> dt.date:
    """Month number i (1 = January of `start`)."""
    return dt.date(start + (i - 1) // 12, (i - 1) % 12 + 1, 1)


def frame(rows: list[tuple[str, dt.date, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=VALUE_SCHEMA, orient="row")


def registry(*rows: tuple[str, str, str]) -> pl.DataFrame:
    """(id, name, comparison_type) -> a registry frame."""
    return pl.DataFrame(
        {
            "jobcenter_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "state": ["HE"] * len(rows),
            "carrier": ["zkT"] * len(rows),
            "comparison_type": [r[2] for r in rows],
            "inhabitants": [100_000.0] * len(rows),
        }
    )


@pytest.fixture
def ramp() -> pl.DataFrame:
    """36 months (2016-2018): A's integrations 1..36, A's ELB 100+m; B constant-ish."""
    rows = []
    for m in range(1, 37):
        rows += [
            ("A", month(m), "integrations", float(m)),
            ("A", month(m), "elb", 100.0 + m),
            ("B", month(m), "integrations", 2.0 * m),
            ("B", month(m), "elb", 100.0),
        ]
    return frame(rows)


REG = registry(("A", "Kreis A", "IIa"), ("B", "Stadt B", "IIa"))


def row(df: pl.DataFrame, jc: str, key: str, column: str = "metric") -> dict[str, object]:
    return df.filter((pl.col("jobcenter_id") == jc) & (pl.col(column) == key)).row(0, named=True)


def figures(values: pl.DataFrame, as_of: dt.date | None = None, **kw: Any) -> Figures:
    reg = kw.pop("reg", REG)
    return Engine(values, reg, default_metrics(), default_rates(), **kw).figures(as_of)


def test_flow_figures_by_hand(ramp: pl.DataFrame) -> None:
    f = figures(ramp)
    assert f.as_of == dt.date(2018, 12, 1)
    a = row(f.metrics, "A", "integrations")
    assert a["kind"] == "flow"
    assert a["value"] == 36
    assert a["value_prev_year"] == 24
    assert a["window_sum"] == sum(range(25, 37))  # 366: months t-11..t
    assert a["window_sum_prev"] == sum(range(13, 25))  # 222: the same window a year earlier
    assert a["change"] == 144
    assert a["change_pct"] == pytest.approx((366 / 222 - 1) * 100)
    assert a["window_mean"] == pytest.approx(366 / 12)
    assert a["ytd"] == 366  # December: the whole year
    assert a["ytd_prev"] == 222
    assert a["ytd_change_pct"] == pytest.approx((366 / 222 - 1) * 100)


def test_ytd_across_the_year_boundary(ramp: pl.DataFrame) -> None:
    a = row(figures(ramp, dt.date(2018, 1, 1)).metrics, "A", "integrations")
    assert a["ytd"] == 25  # January 2018 only
    assert a["ytd_prev"] == 13  # January 2017 only
    assert a["window_sum"] == sum(range(14, 26))  # Feb 2017 .. Jan 2018, across the boundary
    a = row(figures(ramp, dt.date(2018, 3, 1)).metrics, "A", "integrations")
    assert a["ytd"] == 25 + 26 + 27
    assert a["ytd_prev"] == 13 + 14 + 15


def test_stocks_are_never_summed(ramp: pl.DataFrame) -> None:
    a = row(figures(ramp).metrics, "A", "elb")
    assert a["kind"] == "stock"
    assert a["value"] == 136
    assert a["value_prev_year"] == 124
    assert a["window_sum"] is None
    assert a["window_sum_prev"] is None
    assert a["ytd"] is None
    assert a["change"] == 12
    assert a["change_pct"] == pytest.approx((136 / 124 - 1) * 100)  # K3 style
    assert a["window_mean"] == pytest.approx(sum(100 + m for m in range(25, 37)) / 12)


def test_k2_uses_the_stock_of_the_twelve_months_before(ramp: pl.DataFrame) -> None:
    k2 = row(figures(ramp).rates, "A", "k2", "rate")
    numerator = sum(range(25, 37))  # integrations t-11..t
    denominator = sum(100 + m for m in range(24, 36)) / 12  # mean ELB t-12..t-1
    assert k2["numerator_sum"] == numerator
    assert k2["denominator_mean"] == pytest.approx(denominator)
    assert k2["value"] == pytest.approx(numerator / denominator * 100)
    misaligned = numerator / (sum(100 + m for m in range(25, 37)) / 12) * 100
    assert k2["value"] != pytest.approx(misaligned)
    previous = sum(range(13, 25)) / (sum(100 + m for m in range(12, 24)) / 12) * 100
    assert k2["value_prev_year"] == pytest.approx(previous)


def test_k2_needs_the_thirteenth_month_back(ramp: pl.DataFrame) -> None:
    # drop ELB of t-12 (Dec 2017): the denominator window is incomplete -> no K2, not a guess
    values = ramp.filter(
        ~((pl.col("metric") == "elb") & (pl.col("period") == dt.date(2017, 12, 1)))
    )
    k2 = row(figures(values).rates, "A", "k2", "rate")
    assert k2["value"] is None


def test_window_with_a_gap_gives_null_and_a_warning(ramp: pl.DataFrame) -> None:
    missing = dt.date(2018, 5, 1)
    values = ramp.filter(~((pl.col("jobcenter_id") == "A") & (pl.col("period") == missing)))
    f = figures(values)
    a = row(f.metrics, "A", "integrations")
    assert a["window_sum"] is None  # never a silently short sum
    assert a["change_pct"] is None
    assert a["rank"] is None  # not ranked
    assert a["value"] == 36  # the month itself is there
    b = row(f.metrics, "B", "integrations")
    assert b["rank_of"] == 1  # only B is ranked
    kinds = f.warnings.filter(pl.col("jobcenter_id") == "A")
    window = kinds.filter(
        (pl.col("kind") == "incomplete_window") & (pl.col("metric") == "integrations")
    )
    assert window.height == 1
    assert (window.item(0, "value"), window.item(0, "expected")) == (11, 12)
    assert "11 of 12" in warning_message(window.row(0, named=True), "en")
    gap = kinds.filter((pl.col("kind") == "gap") & (pl.col("metric") == "integrations"))
    assert gap.item(0, "period") == missing
    assert (gap.item(0, "value"), gap.item(0, "unit")) == (1, "month")
    assert warning_message(gap.row(0, named=True), "en") == "gap: 1 missing months from 2018-05"


def test_ranks_honour_the_better_direction_and_groups() -> None:
    rows = []
    # ELB change: A -10 %, B +5 %, C -2 % (lower is better); integrations: A +10 %, B +50 %, C 0 %
    for jc, elb_then, elb_now, int_then, int_now in (
        ("A", 100, 90, 10, 11),
        ("B", 100, 105, 10, 15),
        ("C", 100, 98, 10, 10),
    ):
        for m in range(1, 25):
            rows.append((jc, month(m), "elb", float(elb_then if m <= 12 else elb_now)))
            rows.append((jc, month(m), "integrations", float(int_then if m <= 12 else int_now)))
    reg = registry(("A", "A", "Ia"), ("B", "B", "Ia"), ("C", "C", "IIa"))
    f = figures(frame(rows), reg=reg)
    elb = {
        r["jobcenter_id"]: r
        for r in f.metrics.filter(pl.col("metric") == "elb").iter_rows(named=True)
    }
    assert [elb[j]["rank"] for j in "ABC"] == [1, 3, 2]  # falling ELB is better
    assert {elb[j]["rank_of"] for j in "ABC"} == {3}
    assert [elb[j]["group_rank"] for j in "ABC"] == [1, 2, 1]
    assert [elb[j]["group_rank_of"] for j in "ABC"] == [2, 2, 1]
    assert elb["A"]["group_mean"] == pytest.approx((-10 + 5) / 2)
    assert elb["A"]["dev_group_mean"] == pytest.approx(-10 - (-2.5))
    flows = {
        r["jobcenter_id"]: r
        for r in f.metrics.filter(pl.col("metric") == "integrations").iter_rows(named=True)
    }
    assert [flows[j]["rank"] for j in "ABC"] == [2, 1, 3]  # more integrations is better
    assert flows["C"]["group_median"] == pytest.approx(0.0)


def test_daily_data_with_day_windows() -> None:
    start = dt.date(2017, 1, 1)
    days = [start + dt.timedelta(days=i) for i in range(730)]
    values = frame([("A", d, "integrations", float(i % 7)) for i, d in enumerate(days)])
    f = figures(values, window="30d")
    assert f.frequency == "daily"
    assert f.as_of == dt.date(2018, 12, 31)
    a = row(f.metrics, "A", "integrations")
    last30 = sum(float(i % 7) for i in range(700, 730))
    prev_end = days.index(dt.date(2017, 12, 31))
    prev30 = sum(float(i % 7) for i in range(prev_end - 29, prev_end + 1))
    assert a["window_sum"] == last30
    assert a["window_sum_prev"] == prev30
    assert a["ytd"] == sum(float(i % 7) for i in range(365, 730))
    with pytest.raises(JctuiError, match="counts days, but the data are monthly"):
        figures(frame([("A", month(1), "integrations", 1.0)]), window="30d")


def test_as_of_is_normalised_to_the_month_and_defaults_to_latest(ramp: pl.DataFrame) -> None:
    engine = Engine(ramp, REG, default_metrics(), default_rates())
    assert engine.figures(dt.date(2018, 6, 17)).as_of == dt.date(2018, 6, 1)
    assert engine.figures().as_of == engine.latest == dt.date(2018, 12, 1)
    assert len(engine.periods) == 36


def test_negative_flows_and_conflicts_are_warned() -> None:
    rows = [("A", month(m), "integrations", 5.0) for m in range(1, 25)]
    rows[3] = ("A", month(4), "integrations", -2.0)
    conflicts = pl.DataFrame(
        {
            "source": ["x.csv", "x.csv"],
            "jobcenter_id": ["A", "A"],
            "period": [month(5), month(6)],
            "metric": ["integrations", "integrations"],
            "values": [[5.0, 7.0], [5.0, 5.0]],
            "lines": [[6, 30], [7, 31]],
        }
    )
    f = figures(frame(rows), reg=registry(("A", "A", "Ia")), conflicts=conflicts)
    kinds = dict(f.warnings.group_by("kind").len().iter_rows())
    assert kinds["negative"] == 1
    assert kinds["conflict"] == 1
    assert kinds["duplicate"] == 1
    conflict = f.warnings.filter(pl.col("kind") == "conflict").row(0, named=True)
    assert (conflict["values"], conflict["lines"], conflict["value"]) == ([5.0, 7.0], [6, 30], 7.0)
    assert warning_message(conflict, "en") == "conflict: values 5, 7 on lines 6, 30; used: the last"
    duplicate = f.warnings.filter(pl.col("kind") == "duplicate").row(0, named=True)
    assert duplicate["lines"] == [7, 31]
    assert warning_message(duplicate, "de") == "doppelt geliefert in Zeilen 7, 31"


def test_outliers_are_robust_to_seasonality() -> None:
    rows = []
    for m in range(1, 49):
        seasonal = 40.0 if month(m).month == 9 else 10.0  # a September peak every year
        rows.append(("A", month(m), "apprenticeships", seasonal + (m % 3)))
    rows[20] = ("A", month(21), "apprenticeships", 90.0)  # September 2017: 90, the usual 40ish
    rows[30] = ("A", month(31), "apprenticeships", 95.0)  # July 2018: far above the usual 10
    f = figures(frame(rows), reg=registry(("A", "A", "Ia")))
    outliers = f.warnings.filter(pl.col("kind") == "outlier")
    assert outliers.get_column("period").to_list() == [month(21), month(31)]
    assert (outliers.item(1, "value"), outliers.item(1, "expected")) == (95, 11)
    july = outliers.row(1, named=True)
    assert warning_message(july, "en") == "outlier: 95 (usual for this month: 11)"
    assert warning_message(july, "de") == "Ausreißer: 95 (üblich in diesem Monat: 11)"
    rows[5] = ("A", month(6), "apprenticeships", -2.5)  # a negative flow: German decimals
    f = figures(frame(rows), reg=registry(("A", "A", "Ia")))
    negative = f.warnings.filter(pl.col("kind") == "negative").row(0, named=True)
    assert negative["value"] == -2.5
    assert warning_message(negative, "de") == "negativer Wert -2,5 bei einer Bewegungsgröße"
    assert warning_message(negative, "en") == "negative value -2.5 for a flow"


def test_data_checks_in_slices_find_exactly_what_one_pass_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Large data is checked in slices of Jobcenters (to bound memory): same warnings."""
    import jctui.engine.core as core

    rows = []
    for jc in "ABCDEFG":
        for m in range(1, 49):
            if jc == "B" and m in (10, 11):
                continue  # a gap
            seasonal = 40.0 if month(m).month == 9 else 10.0
            value = 95.0 if (jc in "CF" and m == 31) else seasonal + (m % 3)  # outliers
            rows.append((jc, month(m), "apprenticeships", value))
    values = frame(rows)
    reg = registry(*((jc, jc, "Ia") for jc in "ABCDEFG"))
    one_pass = Engine(values, reg, default_metrics(), default_rates())
    expected = one_pass.data_warnings().sort("jobcenter_id", "period", "kind")
    monkeypatch.setattr(core, "CHECK_SLICE_ROWS", 50)  # 7 x 48 rows -> 7 slices (max 8)
    sliced = Engine(values, reg, default_metrics(), default_rates())
    got = sliced.data_warnings().sort("jobcenter_id", "period", "kind")
    assert got.equals(expected)
    assert set(got.get_column("kind")) == {"gap", "outlier"}
    assert sorted(got.filter(pl.col("kind") == "outlier").get_column("jobcenter_id")) == ["C", "F"]
    # the slices' seasonal baselines judge a newly arrived month as one pass does
    arrived = frame(
        [(jc, month(49), "apprenticeships", 95.0 if jc == "A" else 11.0) for jc in "ABCDEFG"]
    )
    for engine in (one_pass, sliced):
        engine.extend(arrived)
    order = ("jobcenter_id", "period", "kind")
    assert sliced.data_warnings().sort(order).equals(one_pass.data_warnings().sort(order))
    new_outliers = sliced.data_warnings().filter(
        (pl.col("kind") == "outlier") & (pl.col("period") == month(49))
    )
    assert new_outliers.get_column("jobcenter_id").to_list() == ["A"]


def test_stated_figure_that_does_not_follow_from_the_data() -> None:
    rows = [
        ("A", month(m, 2018), "integrations", float(v))
        for m, v in enumerate([300, 350, 380, 370, 400, 369], 1)
    ]
    check = StatedCheck(
        jobcenter="Kreis A",
        metric="integrations",
        statistic="mean",
        start="2018-01",
        end="2018-06",
        stated=310,
    )
    f = figures(frame(rows), reg=registry(("A", "Kreis A", "Ia")), checks=[check])
    stated = f.warnings.filter(pl.col("kind") == "stated").row(0, named=True)
    assert stated["value"] == pytest.approx(2169 / 6)  # 361.5: what follows from the data
    assert stated["expected"] == 310
    assert (stated["statistic"], stated["first"], stated["period"], stated["count"]) == (
        "mean",
        dt.date(2018, 1, 1),
        dt.date(2018, 6, 1),
        6,
    )
    assert stated["label"] is None
    assert "the data give 361.5" in warning_message(stated, "en")
    assert "aus den Daten folgt 361,5" in warning_message(stated, "de")
    ok = StatedCheck(
        jobcenter="A",
        metric="integrations",
        statistic="sum",
        start="2018-01",
        end="2018-06",
        stated=2169,
    )
    f = figures(frame(rows), reg=registry(("A", "Kreis A", "Ia")), checks=[ok])
    assert f.warnings.filter(pl.col("kind") == "stated").is_empty()


def test_series_value_and_rolling_sum_with_group_average(ramp: pl.DataFrame) -> None:
    s = series(
        ramp, REG, metric="integrations", jobcenter_ids=["A"], as_of=dt.date(2018, 12, 1), periods=3
    )
    own = s.filter(pl.col("series") == "A")
    assert own.get_column("value").to_list() == [34.0, 35.0, 36.0]
    group = s.filter(pl.col("series") == "group:IIa")
    assert group.get_column("value").to_list() == [(34 + 68) / 2, (35 + 70) / 2, (36 + 72) / 2]
    rolling = series(
        ramp, REG, metric="integrations", jobcenter_ids=["A"], as_of=dt.date(2018, 12, 1), periods=2,
        figure="window_sum", with_group_mean=False,
    )  # fmt: skip
    assert rolling.get_column("value").to_list() == [sum(range(24, 36)), sum(range(25, 37))]
    early = series(
        ramp,
        REG,
        metric="integrations",
        jobcenter_ids=["A"],
        as_of=month(12),
        periods=2,
        figure="window_sum",
    )
    assert early.filter(pl.col("series") == "A").get_column("value").to_list() == [None, 78.0]


def test_revisions_report_old_and_new(ramp: pl.DataFrame) -> None:
    revised = ramp.with_columns(
        value=pl.when(
            (pl.col("jobcenter_id") == "A")
            & (pl.col("period") == month(30))
            & (pl.col("metric") == "elb")
        )
        .then(999.0)
        .otherwise(pl.col("value"))
    )
    newer = pl.concat([revised, frame([("A", month(37), "elb", 1.0)])])
    changes = detect_revisions(ramp, newer)
    assert changes.to_dicts() == [
        {"jobcenter_id": "A", "period": month(30), "metric": "elb", "old": 130.0, "new": 999.0}
    ]
    assert detect_revisions(ramp, ramp).is_empty()


def test_extend_with_a_new_month_equals_a_full_computation(ramp: pl.DataFrame) -> None:
    first = ramp.filter(pl.col("period") < month(36))
    new = ramp.filter(pl.col("period") == month(36))
    engine = Engine(first, REG, default_metrics(), default_rates())
    engine.figures()
    engine.extend(new)
    incremental = engine.figures()
    full = Engine(ramp, REG, default_metrics(), default_rates()).figures()
    assert incremental.as_of == full.as_of == month(36)
    assert incremental.metrics.equals(full.metrics)
    assert incremental.rates.equals(full.rates)
    assert incremental.warnings.equals(full.warnings)


def test_search_by_id_and_by_name() -> None:
    reg = registry(
        ("06438", "Kreis Offenbach", "IIb"),
        ("06888", "Stadt Offenbach am Main", "IIIa"),
        ("06531", "Landkreis Gießen", "IIa"),
    )
    assert find_jobcenters(reg, "06438").get_column("name").to_list() == ["Kreis Offenbach"]
    assert find_jobcenters(reg, "OFFENB").get_column("name").to_list() == [
        "Kreis Offenbach",
        "Stadt Offenbach am Main",
    ]
    assert find_jobcenters(reg, "kreis offenbach").get_column("name").to_list() == [
        "Kreis Offenbach"
    ]
    assert find_jobcenters(reg, "giessen").get_column("name").to_list() == ["Landkreis Gießen"]
    assert find_jobcenters(reg, "Gießen").height == 1
    assert find_jobcenters(reg, "Hamburg").is_empty()
    assert find_jobcenters(reg, "  ").is_empty()
    assert closest_names(reg, "Offenbch")[0] in {"Kreis Offenbach", "Stadt Offenbach am Main"}
    assert "Landkreis Gießen" in closest_names(reg, "Giesen")


def test_custom_rate_and_metric_from_config() -> None:
    metrics = {
        **default_metrics(),
        "inflow": MetricDef(label_de="Zugänge", label_en="Inflow", kind="flow", better="none"),
    }
    rates = {
        "inflow_rate": RateDef(
            label_de="Z", label_en="I", numerator="inflow", denominator="elb", denominator_lag=0
        )
    }
    rows = [("A", month(m), "inflow", 10.0) for m in range(1, 25)] + [
        ("A", month(m), "elb", 200.0) for m in range(1, 25)
    ]
    f = Engine(frame(rows), registry(("A", "A", "Ia")), metrics, rates).figures()
    rate = row(f.rates, "A", "inflow_rate", "rate")
    assert rate["value"] == pytest.approx(120 / 200 * 100)


def test_k2_ties_by_exact_value() -> None:
    """Two Jobcenters with the same fraction (420 / 22,817 and 1,260 / 68,451) have the
    same K2 and share a rank: computed as the mean ELB first, the two differed in the last
    bit and were ranked 2 and 3."""
    rows = []
    for m in range(1, 37):
        elb = 1906.0 if m == 24 else 1901.0  # in the ELB window of December 2018
        rows += [
            ("A", month(m), "integrations", 35.0),
            ("A", month(m), "elb", elb),
            ("B", month(m), "integrations", 105.0),
            ("B", month(m), "elb", 3 * elb),
            ("C", month(m), "integrations", 50.0),
            ("C", month(m), "elb", 1000.0),
        ]
    reg = registry(("A", "Kreis A", "IIb"), ("B", "Kreis B", "IIb"), ("C", "Kreis C", "IIb"))
    engine = Engine(frame(rows), reg, default_metrics(), default_rates())
    k2 = engine.figures(month(36), with_data_warnings=False).rates.filter(pl.col("rate") == "k2")
    by_id = {r["jobcenter_id"]: r for r in k2.iter_rows(named=True)}
    assert by_id["A"]["value"] == by_id["B"]["value"] == pytest.approx(420 / 22817 * 1200)
    assert [by_id[j]["rank"] for j in "ABC"] == [2, 2, 1]
    assert [by_id[j]["group_rank"] for j in "ABC"] == [2, 2, 1]


def test_group_mean_is_bit_for_bit_the_same_however_the_rows_come() -> None:
    """A group's mean is summed in one fixed order (by Jobcenter), then divided once: the
    rows shuffled, in one chunk or in many, give the same bits (the store and a fresh
    lookup print the same JSON; Polars' own `mean` differed in the last bit with members
    without the figure among them)."""
    import random

    from jctui.engine.ranks import with_ranks

    values = [0.1, 0.2, 0.3, 1e6, -3e5, 1 / 3, 2 / 3, 7.77, -0.05, 12.5] * 30
    rows = [(f"J{i:03d}", "m", "higher", "G" if i % 7 else None, v) for i, v in enumerate(values)]
    schema = ["jobcenter_id", "metric", "better", "group", "change_pct"]

    def means(ordered: list[tuple[Any, ...]], chunks: int) -> dict[str, Any]:
        size = -(-len(ordered) // chunks)
        parts = [
            pl.DataFrame(ordered[i : i + size], schema=schema, orient="row")
            for i in range(0, len(ordered), size)
        ]
        frame = pl.concat(parts, rechunk=False).with_columns(unit=pl.lit("count"), value=0.0)
        ranked = with_ranks(frame.lazy(), "metric").collect()
        return dict(ranked.select("jobcenter_id", "group_mean").iter_rows())

    expected = means(rows, 1)
    # Jobcenters without the figure (null) are members that add nothing, wherever they are
    empty = [(f"K{i:03d}", "m", "higher", "G", None) for i in range(41)]
    for seed in range(5):
        shuffled = [*rows, *empty[: seed * 10]]
        random.Random(seed).shuffle(shuffled)
        for chunks in (1, 3, 17):
            got = means(shuffled, chunks)
            assert {k: got[k] for k in expected} == expected  # == on floats: the same bits
    in_group = [v for i, v in enumerate(values) if i % 7]
    assert expected["J001"] == pytest.approx(sum(in_group) / len(in_group), rel=1e-9)
    assert expected["J000"] is None  # not in a group: no group mean
