"""Targets per Jobcenter and the year-end projection, on hand-computed cases.

Jobcenter A, integrations (a flow):
    2017: 10 20 30 40 50 60 70 80 90 100 110 120 (780 in the year)
    2018: 20 20 30 40 50 60 70 80 90 100 110 130
ELB (a stock, lower is better): 2017 from 1,200 down by 10 a month (December 1,090),
2018 from 1,100 down by 10 a month (June 1,050, December 990).
Targets 2018: 800 integrations, 1,000 ELB, K2 75.0.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
import pytest

from jctui.config import MetricDef, default_metrics, default_rates
from jctui.engine import Engine
from jctui.model import TARGET_SCHEMA, VALUE_SCHEMA
from jctui.presentation.policy import SmallCounts
from jctui.presentation.targets import target_fields, target_line, target_lines

INTEGRATIONS = {
    2017: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120],
    2018: [20, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 130],
}
ELB = {2017: [1200 - 10 * i for i in range(12)], 2018: [1100 - 10 * i for i in range(12)]}
REGISTRY = pl.DataFrame(
    {
        "jobcenter_id": ["A", "Z"],
        "name": ["Kreis A", "Kreis Z"],
        "state": ["HE", "HE"],
        "carrier": ["zkT", "gE"],
        "comparison_type": ["IIa", "IIa"],
        "inhabitants": [1e5, 1e5],
    }
)


def values(drop: tuple[tuple[str, dt.date], ...] = ()) -> pl.DataFrame:
    rows = []
    for year in (2017, 2018):
        for m in range(12):
            period = dt.date(year, m + 1, 1)
            rows += [
                ("A", period, "integrations", float(INTEGRATIONS[year][m])),
                ("A", period, "elb", float(ELB[year][m])),
                # Z placed nobody in 2017: no base to scale 2018 by
                ("Z", period, "integrations", 0.0 if year == 2017 else 5.0),
                ("Z", period, "elb", 500.0),
            ]
    frame = pl.DataFrame(rows, schema=VALUE_SCHEMA, orient="row")
    for metric, period in drop:
        frame = frame.filter(~((pl.col("metric") == metric) & (pl.col("period") == period)))
    return frame


def targets(*rows: tuple[str, int, str, float]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=TARGET_SCHEMA, orient="row")


TARGETS = targets(
    ("A", 2018, "integrations", 800.0), ("A", 2018, "elb", 1000.0), ("A", 2018, "k2", 75.0)
)


def target_rows(
    as_of: dt.date,
    *,
    data: pl.DataFrame | None = None,
    goals: pl.DataFrame = TARGETS,
    metrics: dict[str, MetricDef] | None = None,
) -> dict[tuple[str, str], dict[str, Any]]:
    engine = Engine(
        values() if data is None else data,
        REGISTRY,
        metrics or default_metrics(),
        default_rates(),
        targets=goals,
    )
    frame = engine.figures(as_of, with_data_warnings=False).targets
    return {(r["jobcenter_id"], r["metric"]): r for r in frame.iter_rows(named=True)}


def shown_target_rows(as_of: dt.date, counts: SmallCounts) -> dict[tuple[str, str], dict[str, Any]]:
    """The target rows as the small-count rule leaves them (jctui.presentation.suppression)."""
    from jctui.presentation.suppression import withhold

    engine = Engine(values(), REGISTRY, default_metrics(), default_rates(), targets=TARGETS)
    frame = withhold(engine.figures(as_of, with_data_warnings=False), engine, counts).targets
    return {(r["jobcenter_id"], r["metric"]): r for r in frame.iter_rows(named=True)}


def test_january_flow_scales_all_of_last_years_rest() -> None:
    row = target_rows(dt.date(2018, 1, 1))[("A", "integrations")]
    # YTD 20 against 10 a year earlier: the rest of 2017 (780 - 10) doubled
    assert row["projection"] == pytest.approx(20 + 770 * 20 / 10)  # 1,560
    assert row["target"] == 800
    assert row["target_progress_pct"] == pytest.approx(20 / 800 * 100)  # 2.5 %
    assert row["projection_pct"] == pytest.approx(1560 / 800 * 100)
    assert row["on_track"] is True
    assert row["projection_problem"] is None
    assert row["year"] == 2018


def test_mid_year_flow_stock_and_rate() -> None:
    rows = target_rows(dt.date(2018, 6, 1))
    flow = rows[("A", "integrations")]
    ytd, base, rest = 220, 210, 70 + 80 + 90 + 100 + 110 + 120
    assert flow["current"] == ytd
    assert flow["projection"] == pytest.approx(ytd + rest * ytd / base)  # 817.14
    assert flow["target_progress_pct"] == pytest.approx(220 / 800 * 100)  # 27.5 %
    assert flow["on_track"] is True
    stock = rows[("A", "elb")]
    # June 1,050 x (December 2017 1,090 / June 2017 1,150)
    assert stock["projection"] == pytest.approx(1050 * 1090 / 1150)  # 995.2
    assert stock["target_progress_pct"] == pytest.approx(1050 / 1000 * 100)  # the level
    assert stock["on_track"] is True  # lower is better: 995.2 <= 1,000
    k2 = rows[("A", "k2")]
    # integrations January to December (projected) over the mean ELB December 2017 to
    # November 2018: actual to June, then June's level x last year's month / June 2017
    actual_elb = 1090 + sum(ELB[2018][:6])
    projected_elb = sum(1050 * ELB[2017][m] / 1150 for m in range(6, 11))
    expected = (ytd + rest * ytd / base) / ((actual_elb + projected_elb) / 12) * 100
    assert k2["projection"] == pytest.approx(expected)  # 77.5
    assert k2["kind"] == "rate"
    assert k2["on_track"] is True  # 77.5 >= 75.0
    # the current rate against the target level
    assert k2["target_progress_pct"] == pytest.approx(k2["current"] / 75 * 100)


def test_december_projection_is_the_years_own_figure() -> None:
    rows = target_rows(dt.date(2018, 12, 1))
    assert rows[("A", "integrations")]["projection"] == sum(INTEGRATIONS[2018])  # 800
    assert rows[("A", "integrations")]["target_progress_pct"] == pytest.approx(100.0)
    assert rows[("A", "integrations")]["on_track"] is True  # 800 meets 800
    assert rows[("A", "elb")]["projection"] == 990
    assert rows[("A", "k2")]["projection"] == pytest.approx(rows[("A", "k2")]["current"])
    assert all(row["year_complete"] for row in rows.values())
    assert not any(row["year_complete"] for row in target_rows(dt.date(2018, 11, 1)).values())


def test_a_missing_month_in_the_window_gives_no_projection_and_says_which() -> None:
    data = values(drop=(("integrations", dt.date(2018, 5, 1)),))
    rows = target_rows(dt.date(2018, 6, 1), data=data)
    row = rows[("A", "integrations")]
    assert row["projection"] is None
    assert row["on_track"] is None
    assert (row["projection_problem"], row["projection_missing"]) == (
        "missing",
        dt.date(2018, 5, 1),
    )
    fields = target_fields(row, "en")
    assert fields["projection_reason"] == "no projection: May 2018 missing"
    assert target_fields(row, "de")["projection_reason"] == ("keine Hochrechnung: Mai 2018 fehlt")
    assert rows[("A", "k2")]["projection_missing"] == dt.date(2018, 5, 1)  # its numerator
    assert rows[("A", "elb")]["projection"] is not None  # the stock does not need it
    # last year's rest is part of the window too; in December it is not needed any more
    late = values(drop=(("integrations", dt.date(2017, 11, 1)),))
    assert target_rows(dt.date(2018, 6, 1), data=late)[("A", "integrations")][
        "projection_missing"
    ] == dt.date(2017, 11, 1)
    assert target_rows(dt.date(2018, 12, 1), data=late)[("A", "integrations")]["projection"] == 800
    # a stock needs last December and last year's month of t
    no_dec = values(drop=(("elb", dt.date(2017, 12, 1)),))
    elb = target_rows(dt.date(2018, 6, 1), data=no_dec)[("A", "elb")]
    assert (elb["projection"], elb["projection_missing"]) == (None, dt.date(2017, 12, 1))


def test_no_base_last_year_says_so() -> None:
    row = target_rows(dt.date(2018, 6, 1))[("Z", "integrations")]
    assert row["projection"] is None
    assert row["projection_problem"] == "zero_base"
    assert target_fields(row, "en")["projection_reason"] == (
        "no projection: last year's same months are 0"
    )
    assert row["target"] is None  # Z has no target: nothing to be on track for


def test_config_target_for_everybody_and_the_targets_file_wins() -> None:
    metrics = default_metrics()
    metrics["integrations"] = dataclasses.replace(metrics["integrations"], target=100.0)
    metrics["customers"] = dataclasses.replace(metrics["customers"], target=10.0)
    rows = target_rows(dt.date(2018, 6, 1), metrics=metrics)
    assert rows[("A", "integrations")]["target"] == 800  # its own agreement
    assert rows[("Z", "integrations")]["target"] == 100  # the config's, for everybody
    assert rows[("Z", "integrations")]["target_progress_pct"] == pytest.approx(30 / 100 * 100)
    # targets of other years do not count
    other = target_rows(dt.date(2018, 6, 1), goals=targets(("A", 2017, "integrations", 1.0)))
    assert other[("A", "integrations")]["target"] is None


def test_no_direction_no_verdict() -> None:
    goals = targets(("A", 2018, "customers", 10.0))
    data = pl.concat(
        [
            values(),
            values().filter(pl.col("metric") == "elb").with_columns(metric=pl.lit("customers")),
        ]
    )
    row = target_rows(dt.date(2018, 6, 1), data=data, goals=goals)[("A", "customers")]
    assert row["projection"] is not None
    assert row["better"] == "none"
    assert row["on_track"] is None


def test_daily_data_have_no_targets() -> None:
    days = pl.DataFrame(
        [("A", dt.date(2018, 1, d), "integrations", 1.0) for d in range(1, 29)],
        schema=VALUE_SCHEMA,
        orient="row",
    )
    engine = Engine(days, REGISTRY, default_metrics(), {}, window="7d", targets=TARGETS)
    assert engine.figures(dt.date(2018, 1, 28), with_data_warnings=False).targets.is_empty()


def test_target_line_full_and_compact() -> None:
    row = target_rows(dt.date(2018, 6, 1))[("A", "integrations")]
    fields = target_fields(row, "en")
    # on or off track in words with the margin, in every variant (27.9% floored: 27%)
    assert target_line(fields, "flow", "en", SmallCounts()) == (
        "Target 800 | 27% | ends 817 | on track: +17"
    )
    assert target_lines(fields, "flow", "en", SmallCounts())[1:] == (
        "Tgt 800 27% ends 817 on track: +17",
        "Tgt 800 27% on track: +17",
        "Tgt 800 on track +17",
        "Tgt on track +17",
        "on track: +17",
    )
    # progress would give a withheld YTD back; a target is agreed, never withheld
    hidden = target_fields(
        shown_target_rows(dt.date(2018, 6, 1), SmallCounts(1000))[("A", "integrations")],
        "en",
    )
    assert hidden["target_progress_pct"] is None
    assert hidden["projection"] is None
    assert target_line(hidden, "flow", "en", SmallCounts(1000)) == "Target 800 | * | ends *"
    # a projection above the threshold is withheld with the YTD it scales by: it and last
    # year's months would give the YTD back (817.1 = YTD x (1 + 570 / 210))
    above = target_fields(
        shown_target_rows(dt.date(2018, 6, 1), SmallCounts(300))[("A", "integrations")],
        "en",
    )
    assert (above["projection"], above["projection_pct"]) == (None, None)
    assert above["suppressed"] is True
    missing = target_fields(
        target_rows(
            dt.date(2018, 6, 1), data=values(drop=(("integrations", dt.date(2018, 5, 1)),))
        )[("A", "integrations")],
        "en",
    )
    # without May there is no YTD either: no progress, no projection
    assert target_line(missing, "flow", "en", SmallCounts()) == "Target 800 | no proj."


def withheld_months(data: pl.DataFrame, counts: SmallCounts) -> set[tuple[str, str, dt.date]]:
    return {
        (jc, metric, period)
        for jc, period, metric, value in data.iter_rows()
        if counts.hides(value)
    }


def declared_projection_months(kind: str, as_of: dt.date) -> list[dt.date]:
    """What a projection is made of, written out by hand from the README's contract: a flow's
    months from last January to t, a stock's value at t, a year earlier and last December."""
    if kind == "flow":
        return [dt.date(y, m, 1) for y in (as_of.year - 1, as_of.year) for m in range(1, 13)
                if dt.date(y, m, 1) <= as_of]  # fmt: skip
    return [as_of, as_of.replace(year=as_of.year - 1), dt.date(as_of.year - 1, 12, 1)]


@pytest.mark.parametrize("threshold", [15, 25, 1000])
def test_a_projection_is_withheld_exactly_where_its_months_are(threshold: int) -> None:
    """Withheld where a month the projection is made of holds a withheld count, shown
    everywhere else, at every as-of month of the year (the one rule: the suppression)."""
    counts = SmallCounts(threshold)
    held = withheld_months(values(), counts)
    kinds = {"integrations": "flow", "elb": "stock"}
    seen = {True: 0, False: 0}
    for month in range(1, 13):
        as_of = dt.date(2018, month, 1)
        rows = shown_target_rows(as_of, counts)
        for (jc, metric), row in rows.items():
            if metric not in kinds:
                continue
            made_of = declared_projection_months(kinds[metric], as_of)
            expected = any((jc, metric, p) in held for p in made_of)
            shown = target_fields(row, "en")
            assert ("projection" in shown.get("withheld", ())) is expected, (jc, metric, as_of)
            if expected:
                assert shown["projection"] is None
                assert shown["projection_pct"] is None
                assert shown["on_track"] is None
            seen[expected] += 1
    assert seen[True]
    assert seen[False]


def test_a_small_projection_made_of_shown_counts_is_shown() -> None:
    """P = v(t) x v(Dec) / v(t-12) = 30 x 30 / 300 = 3, below the threshold of 25: a figure,
    not a count, and every count it is made of is shown, so it is shown."""
    from jctui.presentation.suppression import withhold

    rows = [
        ("A", dt.date(year, m, 1), "elb", 30.0 if year == 2018 or m == 12 else 300.0)
        for year in (2017, 2018)
        for m in range(1, 13)
    ]
    data = pl.DataFrame(rows, schema=VALUE_SCHEMA, orient="row")
    goals = targets(("A", 2018, "elb", 20.0))
    engine = Engine(data, REGISTRY, default_metrics(), default_rates(), targets=goals)
    as_of = dt.date(2018, 6, 1)
    frame = withhold(engine.figures(as_of, with_data_warnings=False), engine, SmallCounts(25))
    row = frame.targets.filter(pl.col("metric") == "elb").row(0, named=True)
    shown = target_fields(row, "en")
    assert shown["projection"] == pytest.approx(3.0)
    assert "withheld" not in shown
    assert target_line(shown, "stock", "en", SmallCounts(25)) is not None
    assert "ends 3 " in (target_line(shown, "stock", "en", SmallCounts(25)) or "")
