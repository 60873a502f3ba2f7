"""The engine against an independent, deliberately plain reference implementation.

The reference walks the calendar month by month in plain Python: obviously right, slow,
and sharing no code with the engine. Hypothesis generates random monthly data with holes
(missing months), zeros and several Jobcenters; every figure must agree.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jctui.config import default_metrics, default_rates
from jctui.engine import Engine
from jctui.model import VALUE_SCHEMA

BASE = dt.date(2015, 1, 1)
# each (Jobcenter, metric)'s monthly values
MonthlySeries = dict[tuple[str, str], dict[dt.date, float]]


def add_months(day: dt.date, n: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + n
    return dt.date(total // 12, total % 12 + 1, 1)


def window_values(data: dict[dt.date, float], end: dt.date, length: int) -> list[float] | None:
    """The values of the `length` months ending at `end`, or None when any is missing."""
    out = []
    for back in range(length):
        day = add_months(end, -back)
        if day not in data:
            return None
        out.append(data[day])
    return out


def pct(new: float | None, old: float | None) -> float | None:
    if new is None or old is None or old == 0:
        return None
    return (new / old - 1) * 100


def reference(series: dict[dt.date, float], kind: str, t: dt.date) -> dict[str, float | None]:
    data = series
    value = data.get(t)
    prev_t = add_months(t, -12)
    value_prev = data.get(prev_t)
    out: dict[str, float | None] = {"value": value, "value_prev_year": value_prev}
    win = window_values(data, t, 12)
    if kind == "flow":
        prev = window_values(data, prev_t, 12)
        out["window_sum"] = sum(win) if win is not None else None
        out["window_sum_prev"] = sum(prev) if prev is not None else None
        out["change_pct"] = pct(out["window_sum"], out["window_sum_prev"])
        ytd = window_values(data, t, t.month)
        ytd_prev = window_values(data, prev_t, prev_t.month)
        out["ytd"] = sum(ytd) if ytd is not None else None
        out["ytd_prev"] = sum(ytd_prev) if ytd_prev is not None else None
    else:
        out["window_sum"] = None
        out["change_pct"] = pct(value, value_prev)
        out["window_mean"] = sum(win) / 12 if win is not None else None
    return out


def reference_k2(
    flow: dict[dt.date, float], stock: dict[dt.date, float], t: dt.date
) -> float | None:
    num = window_values(flow, t, 12)
    den = window_values(stock, add_months(t, -1), 12)  # t-12 .. t-1
    if num is None or den is None or sum(den) == 0:
        return None
    return sum(num) / (sum(den) / 12) * 100


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@st.composite
def datasets(draw: st.DrawFn) -> tuple[pl.DataFrame, MonthlySeries]:
    n_jc = draw(st.integers(1, 3))
    span = draw(st.integers(1, 40))
    series: MonthlySeries = {}
    rows = []
    for j in range(n_jc):
        jc = f"J{j}"
        for metric in ("integrations", "elb"):
            data = {}
            for i in range(span):
                if draw(st.integers(0, 19)) == 0:  # about one month in twenty is missing
                    continue
                v = float(draw(st.integers(0, 500)))
                data[add_months(BASE, i)] = v
                rows.append((jc, add_months(BASE, i), metric, v))
            series[(jc, metric)] = data
    return pl.DataFrame(rows, schema=VALUE_SCHEMA, orient="row"), series


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=datasets(), back=st.integers(0, 14))
def test_engine_matches_reference(data: tuple[pl.DataFrame, MonthlySeries], back: int) -> None:
    values, series = data
    if values.is_empty():
        return
    latest = values.get_column("period").max()
    assert isinstance(latest, dt.date)
    as_of = add_months(latest, -back)
    jcs = sorted({jc for jc, _ in series})
    reg = pl.DataFrame(
        {
            "jobcenter_id": jcs,
            "name": jcs,
            "state": ["HE"] * len(jcs),
            "carrier": ["gE"] * len(jcs),
            "comparison_type": ["Ia"] * len(jcs),
            "inhabitants": [1.0] * len(jcs),
        }
    )
    # metrics and rates only: they are computed before (and apart from) the data warnings
    # and targets, which this test does not check (about half the time of each example)
    engine = Engine(values, reg, default_metrics(), default_rates())
    f = engine.figures(as_of, with_data_warnings=False, with_targets=False)
    got = {(r["jobcenter_id"], r["metric"]): r for r in f.metrics.iter_rows(named=True)}
    for (jc, metric), data_points in series.items():
        kind = "flow" if metric == "integrations" else "stock"
        expected = reference(data_points, kind, as_of)
        row = got.get((jc, metric))
        if row is None:  # no row in the window at all: every figure must be empty
            assert all(v is None for v in expected.values()), (jc, metric, expected)
            continue
        for key, want in expected.items():
            assert close(row[key], want), (jc, metric, key, row[key], want, as_of)
    rates = {r["jobcenter_id"]: r["value"] for r in f.rates.iter_rows(named=True)}
    for jc in jcs:
        want = reference_k2(series[(jc, "integrations")], series[(jc, "elb")], as_of)
        assert close(rates.get(jc), want), (jc, rates.get(jc), want)


@pytest.mark.parametrize("as_of", [dt.date(2017, 1, 1), dt.date(2017, 12, 1)])
def test_reference_agrees_on_a_full_ramp(as_of: dt.date) -> None:
    """A sanity anchor for the reference itself: a complete series, figures known by hand."""
    flow = {add_months(BASE, i): float(i + 1) for i in range(36)}
    ref = reference(flow, "flow", as_of)
    n = (as_of.year - BASE.year) * 12 + as_of.month  # month number of as_of
    assert ref["window_sum"] == sum(range(n - 11, n + 1))
    assert ref["ytd"] == sum(range(n - as_of.month + 1, n + 1))
