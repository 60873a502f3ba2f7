"""Metrics engine benchmark: jctui (Polars) side by side with pandas and DuckDB.

Data (generated, seeded): 407 Jobcenters x 240 months x 10 metrics (5 flows, 5 stocks; about
1 million rows) and a daily variant (407 x 3,650 days x 10 metrics, about 15 million rows,
30-day windows). The same figure set and definitions for all three implementations: per
(Jobcenter, metric) value, value a year earlier, window sum and the same a year earlier (flows),
mean over the window, change and change %, year-to-date and a year earlier (flows), ranks among
all and within the comparison type by the better direction, group mean and median; plus K2
(flow window sum / mean stock over the lagged window). Results are cross-checked before timing.

Timed: `Engine.figures(as_of)` on data prepared once per load (period index), which is what
time travel and a refresh of the as-of month cost; pandas and DuckDB get the same preparation
outside the timer (the index column, a registered table). Also shown: jctui's cold path
(prepare + data-level warnings + figures) and the incremental path when one month arrives.

Usage: python bench/bench_engine.py [--skip-daily] [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import header

from jctui.config import MetricDef, RateDef
from jctui.engine import Engine

N_JC = 407
FLOWS = ("integrations", "apprenticeships", "placements", "inflow", "outflow")
STOCKS = ("elb", "long_term_recipients", "customers", "lone_parents", "under_25")


def catalogue(daily: bool = False) -> tuple[dict[str, MetricDef], dict[str, RateDef], pd.DataFrame]:
    metrics = {}
    for i, key in enumerate(FLOWS + STOCKS):
        kind = "flow" if key in FLOWS else "stock"
        better = ("higher", "lower", "none")[i % 3]
        metrics[key] = MetricDef(label_de=key, label_en=key, kind=kind, better=better)  # type: ignore[arg-type]
    window = "30d" if daily else "12"  # daily data: 30-day windows, also for K2
    rates = {
        "k2": RateDef(
            label_de="K2", label_en="K2", numerator="integrations", denominator="elb", window=window
        )
    }
    kinds = pd.DataFrame(
        {
            "metric": list(metrics),
            "kind": [m.kind for m in metrics.values()],
            "better": [m.better for m in metrics.values()],
        }
    )
    return metrics, rates, kinds


def make_data(daily: bool) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(42)
    if daily:
        periods = pl.date_range(dt.date(2009, 1, 1), dt.date(2018, 12, 31), "1d", eager=True).head(
            3650
        )
    else:
        periods = pl.date_range(dt.date(1999, 1, 1), dt.date(2018, 12, 1), "1mo", eager=True)
    ids = [f"{i:05d}" for i in range(N_JC)]
    metrics = list(FLOWS + STOCKS)
    grid = (
        pl.DataFrame({"jobcenter_id": ids})
        .join(pl.DataFrame({"period": periods}), how="cross")
        .join(pl.DataFrame({"metric": metrics}), how="cross")
    )
    values = grid.with_columns(
        value=pl.Series(rng.integers(0, 5000, grid.height).astype("float64"))
    )
    registry = pl.DataFrame(
        {
            "jobcenter_id": ids,
            "name": [f"Jobcenter {i}" for i in ids],
            "state": [("HE", "BY", "NW", "NI")[i % 4] for i in range(N_JC)],
            "carrier": ["zkT" if i % 4 == 0 else "gE" for i in range(N_JC)],
            "comparison_type": [f"T{i % 15}" for i in range(N_JC)],
            "inhabitants": [100_000.0] * N_JC,
        }
    )
    return values, registry


# --------------------------------------------------------------------------------------
# pandas: a straightforward implementation of the same definitions


def pandas_figures(
    df: pd.DataFrame,
    kinds: pd.DataFrame,
    groups: pd.DataFrame,
    t: int,
    w: int,
    y: int,
    ytd_from: int,
    ytd_prev_from: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    lo = min(t - y - w + 1, ytd_prev_from)
    win = df[(df["idx"] >= lo) & (df["idx"] <= t)].copy()
    idx = win["idx"]
    v = win["value"]
    win["v_t"] = v.where(idx == t)
    win["v_prev"] = v.where(idx == t - y)
    win["v_win"] = v.where(idx.between(t - w + 1, t))
    win["v_pwin"] = v.where(idx.between(t - y - w + 1, t - y))
    win["v_ytd"] = v.where(idx.between(ytd_from, t))
    win["v_ytdp"] = v.where(idx.between(ytd_prev_from, t - y))
    agg = win.groupby(["jobcenter_id", "metric"], sort=False).agg(
        value=("v_t", "max"), value_prev_year=("v_prev", "max"),
        win_sum=("v_win", "sum"), win_n=("v_win", "count"),
        pwin_sum=("v_pwin", "sum"), pwin_n=("v_pwin", "count"),
        ytd_sum=("v_ytd", "sum"), ytd_n=("v_ytd", "count"),
        ytdp_sum=("v_ytdp", "sum"), ytdp_n=("v_ytdp", "count"),
    ).reset_index()  # fmt: skip
    agg = agg.merge(kinds, on="metric").merge(groups, on="jobcenter_id", how="left")
    flow = agg["kind"] == "flow"
    full = agg["win_n"] == w
    agg["window_sum"] = agg["win_sum"].where(flow & full)
    agg["window_sum_prev"] = agg["pwin_sum"].where(flow & (agg["pwin_n"] == w))
    agg["window_mean"] = (agg["win_sum"] / w).where(full)
    agg["ytd"] = agg["ytd_sum"].where(flow & (agg["ytd_n"] == t - ytd_from + 1))
    agg["ytd_prev"] = agg["ytdp_sum"].where(flow & (agg["ytdp_n"] == t - y - ytd_prev_from + 1))
    agg["change"] = np.where(
        flow, agg["window_sum"] - agg["window_sum_prev"], agg["value"] - agg["value_prev_year"]
    )
    new = np.where(flow, agg["window_sum"], agg["value"])
    old = np.where(flow, agg["window_sum_prev"], agg["value_prev_year"])
    with np.errstate(divide="ignore", invalid="ignore"):
        agg["change_pct"] = np.where(old != 0, (new / old - 1) * 100, np.nan)
        agg["ytd_change_pct"] = np.where(
            agg["ytd_prev"] != 0, (agg["ytd"] / agg["ytd_prev"] - 1) * 100, np.nan
        )
    agg["score"] = np.where(agg["better"] == "lower", -agg["change_pct"], agg["change_pct"])
    agg["rank"] = agg.groupby("metric")["score"].rank(method="min", ascending=False)
    agg["rank_of"] = agg.groupby("metric")["score"].transform("count")
    agg["group_rank"] = agg.groupby(["metric", "group"])["score"].rank(
        method="min", ascending=False
    )
    agg["group_rank_of"] = agg.groupby(["metric", "group"])["score"].transform("count")
    agg["group_mean"] = agg.groupby(["metric", "group"])["change_pct"].transform("mean")
    agg["group_median"] = agg.groupby(["metric", "group"])["change_pct"].transform("median")
    agg["dev_group_mean"] = agg["change_pct"] - agg["group_mean"]
    # K2: integrations over t-w+1..t / mean ELB over t-w..t-1
    num = (
        win[(win["metric"] == "integrations") & idx.between(t - w + 1, t)]
        .groupby("jobcenter_id")["value"]
        .agg(["sum", "count"])
    )
    den = (
        win[(win["metric"] == "elb") & idx.between(t - w, t - 1)]
        .groupby("jobcenter_id")["value"]
        .agg(["sum", "count"])
    )
    k2 = num.add_suffix("_num").join(den.add_suffix("_den"))
    k2["value"] = (k2["sum_num"] / (k2["sum_den"] / w) * 100).where(
        (k2["count_num"] == w) & (k2["count_den"] == w)
    )
    k2 = k2.reset_index().merge(groups, on="jobcenter_id", how="left")
    k2["rank"] = k2["value"].rank(method="min", ascending=False)
    k2["group_rank"] = k2.groupby("group")["value"].rank(method="min", ascending=False)
    return agg, k2


# --------------------------------------------------------------------------------------
# DuckDB: the same in SQL

DUCK_SQL = """
WITH w AS (SELECT * FROM v WHERE idx BETWEEN $lo AND $t),
agg AS (
  SELECT jobcenter_id, metric,
    max(value) FILTER (WHERE idx = $t) AS value,
    max(value) FILTER (WHERE idx = $t - $y) AS value_prev_year,
    sum(value) FILTER (WHERE idx BETWEEN $t - $w + 1 AND $t) AS win_sum,
    count(*) FILTER (WHERE idx BETWEEN $t - $w + 1 AND $t) AS win_n,
    sum(value) FILTER (WHERE idx BETWEEN $t - $y - $w + 1 AND $t - $y) AS pwin_sum,
    count(*) FILTER (WHERE idx BETWEEN $t - $y - $w + 1 AND $t - $y) AS pwin_n,
    sum(value) FILTER (WHERE idx BETWEEN $ytd_from AND $t) AS ytd_sum,
    count(*) FILTER (WHERE idx BETWEEN $ytd_from AND $t) AS ytd_n,
    sum(value) FILTER (WHERE idx BETWEEN $ytd_prev_from AND $t - $y) AS ytdp_sum,
    count(*) FILTER (WHERE idx BETWEEN $ytd_prev_from AND $t - $y) AS ytdp_n
  FROM w GROUP BY ALL
),
fig AS (
  SELECT a.jobcenter_id, a.metric, k.kind, k.better, g."group", a.value, a.value_prev_year,
    CASE WHEN k.kind = 'flow' AND win_n = $w THEN win_sum END AS window_sum,
    CASE WHEN k.kind = 'flow' AND pwin_n = $w THEN pwin_sum END AS window_sum_prev,
    CASE WHEN win_n = $w THEN win_sum / $w END AS window_mean,
    CASE WHEN k.kind = 'flow' AND ytd_n = $t - $ytd_from + 1 THEN ytd_sum END AS ytd,
    CASE WHEN k.kind = 'flow' AND ytdp_n = $t - $y - $ytd_prev_from + 1 THEN ytdp_sum END AS ytd_prev
  FROM agg a JOIN kinds k USING (metric) LEFT JOIN groups g USING (jobcenter_id)
),
chg AS (
  SELECT *,
    CASE WHEN kind = 'flow' THEN window_sum - window_sum_prev ELSE value - value_prev_year END AS change,
    CASE WHEN kind = 'flow' THEN
      CASE WHEN window_sum_prev <> 0 THEN (window_sum / window_sum_prev - 1) * 100 END
    ELSE CASE WHEN value_prev_year <> 0 THEN (value / value_prev_year - 1) * 100 END END AS change_pct,
    CASE WHEN ytd_prev <> 0 THEN (ytd / ytd_prev - 1) * 100 END AS ytd_change_pct
  FROM fig
),
scored AS (SELECT *, CASE WHEN better = 'lower' THEN -change_pct ELSE change_pct END AS score FROM chg)
SELECT *,
  CASE WHEN score IS NOT NULL THEN rank() OVER (PARTITION BY metric ORDER BY score DESC NULLS LAST) END AS rank,
  count(score) OVER (PARTITION BY metric) AS rank_of,
  CASE WHEN score IS NOT NULL THEN rank() OVER (PARTITION BY metric, "group" ORDER BY score DESC NULLS LAST) END AS group_rank,
  count(score) OVER (PARTITION BY metric, "group") AS group_rank_of,
  avg(change_pct) OVER (PARTITION BY metric, "group") AS group_mean,
  median(change_pct) OVER (PARTITION BY metric, "group") AS group_median,
  change_pct - avg(change_pct) OVER (PARTITION BY metric, "group") AS dev_group_mean
FROM scored
"""

DUCK_K2 = """
WITH parts AS (
  SELECT jobcenter_id,
    sum(value) FILTER (WHERE metric = 'integrations' AND idx BETWEEN $t - $w + 1 AND $t) AS num,
    count(*) FILTER (WHERE metric = 'integrations' AND idx BETWEEN $t - $w + 1 AND $t) AS num_n,
    sum(value) FILTER (WHERE metric = 'elb' AND idx BETWEEN $t - $w AND $t - 1) AS den,
    count(*) FILTER (WHERE metric = 'elb' AND idx BETWEEN $t - $w AND $t - 1) AS den_n
  FROM v WHERE idx BETWEEN $t - $w AND $t AND metric IN ('integrations', 'elb') GROUP BY jobcenter_id
), k2 AS (
  SELECT p.jobcenter_id, g."group",
    CASE WHEN num_n = $w AND den_n = $w AND den > 0 THEN num / (den / $w) * 100 END AS value
  FROM parts p LEFT JOIN groups g USING (jobcenter_id)
)
SELECT *,
  CASE WHEN value IS NOT NULL THEN rank() OVER (ORDER BY value DESC NULLS LAST) END AS rank,
  CASE WHEN value IS NOT NULL THEN rank() OVER (PARTITION BY "group" ORDER BY value DESC NULLS LAST) END AS group_rank
FROM k2
"""


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def cross_check(jctui: pl.DataFrame, other: pd.DataFrame, label: str) -> None:
    """The competitors compute the same figures (else the race would mean nothing)."""
    cols = [
        "jobcenter_id",
        "metric",
        "window_sum",
        "change_pct",
        "ytd",
        "rank",
        "group_rank",
        "group_median",
    ]
    ours = jctui.select(cols).sort("jobcenter_id", "metric").to_pandas()
    theirs = other[cols].sort_values(["jobcenter_id", "metric"]).reset_index(drop=True)
    for col in cols[2:]:
        a = ours[col].astype("float64").to_numpy()
        b = theirs[col].astype("float64").to_numpy()
        if not np.allclose(a, b, equal_nan=True, rtol=1e-9):
            raise SystemExit(f"{label} disagrees with jctui on {col}")


def run_variant(daily: bool, runs: int, with_competitors: bool) -> dict[str, float]:
    metrics, rates, kinds = catalogue(daily)
    window = "30d" if daily else "12"
    values, registry = make_data(daily)
    size_mb = values.estimated_size() / 2**20
    print(
        f"\n{'daily' if daily else 'monthly'}: {values.height:,} rows, {size_mb:.0f} MB in memory, window {window!r}"
    )
    as_of = values.get_column("period").max()
    out: dict[str, float] = {"rows": values.height}

    start = time.perf_counter()
    engine = Engine(values, registry, metrics, rates, window=window)
    figures = engine.figures(as_of)
    cold = time.perf_counter() - start
    t_jctui, figures = median_time(lambda: engine.figures(as_of), runs)
    print(
        f"  jctui  figures for one as-of period: median {t_jctui * 1000:7.1f} ms  (cold, incl. prepare + data warnings: {cold * 1000:.0f} ms)"
    )
    out["jctui_ms"] = t_jctui * 1000

    # time travel: one month back
    back = engine.periods[-2]
    t_back, _ = median_time(lambda: engine.figures(back), runs)
    print(f"  jctui  time travel to the previous period:  {t_back * 1000:7.1f} ms")

    # a new period arrives: incremental extend + figures, against a full rebuild
    last = values.filter(pl.col("period") == as_of)
    older = values.filter(pl.col("period") < as_of)

    def full_rebuild() -> object:
        return Engine(values, registry, metrics, rates, window=window).figures(as_of)

    def incremental() -> object:
        e = base_engine_copy()
        e.extend(last)
        return e.figures(as_of)

    base = Engine(older, registry, metrics, rates, window=window)
    base.data_warnings()

    def base_engine_copy() -> Engine:
        clone = Engine.__new__(Engine)
        clone.__dict__.update(base.__dict__)
        return clone

    t_full, _ = median_time(full_rebuild, max(3, runs // 2))
    t_inc, _ = median_time(incremental, max(3, runs // 2))
    print(
        f"  jctui  new period arrives: incremental {t_inc * 1000:.0f} ms vs full recomputation {t_full * 1000:.0f} ms ({t_full / t_inc:.1f}x faster)"
    )
    out["incremental_ms"], out["full_ms"] = t_inc * 1000, t_full * 1000

    if with_competitors:
        unit = "day" if daily else "month"
        from jctui.engine.figures import date_index, one_year_earlier, year_start

        t = date_index(as_of, unit)
        w = 30 if daily else 12
        y = 365 if daily else 12
        prev = date_index(one_year_earlier(as_of), unit)
        if daily:
            y = t - prev
        ytd_from = date_index(year_start(as_of), unit)
        ytd_prev_from = date_index(year_start(one_year_earlier(as_of)), unit)
        pdf = engine.indexed.with_columns(
            pl.col("jobcenter_id", "metric").cast(pl.String)
        ).to_pandas()
        groups = registry.select("jobcenter_id", group=pl.col("comparison_type")).to_pandas()
        t_pd, (pd_fig, _) = median_time(
            lambda: pandas_figures(pdf, kinds, groups, t, w, y, ytd_from, ytd_prev_from),
            max(3, runs // 2),
        )
        cross_check(figures.metrics, pd_fig, "pandas")
        con = duckdb.connect()
        con.register("v", pdf)
        con.register("kinds", kinds)
        con.register("groups", groups)
        con.execute("CREATE TABLE vt AS SELECT * FROM v")
        con.execute("CREATE VIEW v2 AS SELECT * FROM vt")
        params = {
            "t": t,
            "w": w,
            "y": y,
            "lo": min(t - y - w + 1, ytd_prev_from),
            "ytd_from": ytd_from,
            "ytd_prev_from": ytd_prev_from,
        }
        sql = DUCK_SQL.replace("FROM v WHERE", "FROM vt WHERE")
        k2_params = {"t": t, "w": w}
        k2_sql = DUCK_K2.replace("FROM v WHERE", "FROM vt WHERE")

        def duck() -> pd.DataFrame:
            fig = con.execute(sql, params).df()
            con.execute(k2_sql, k2_params).df()
            return fig

        t_duck, duck_fig = median_time(duck, max(3, runs // 2))
        cross_check(figures.metrics, duck_fig, "DuckDB")  # type: ignore[arg-type]
        print(
            f"  pandas same figures:                  median {t_pd * 1000:7.1f} ms  -> jctui {t_pd / t_jctui:.1f}x faster"
        )
        print(
            f"  DuckDB same figures (SQL):            median {t_duck * 1000:7.1f} ms  -> jctui {t_duck / t_jctui:.1f}x faster"
        )
        print("  (all three cross-checked: same window_sum, change_pct, ytd, ranks, group medians)")
        out["pandas_ms"], out["duckdb_ms"] = t_pd * 1000, t_duck * 1000
    return out


def current_rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize()


def memory_child(daily: bool) -> None:
    """Run in a subprocess: peak RSS while preparing and computing, above the RSS with the
    input loaded (sampled every 2 ms), relative to the in-memory size of the input."""
    import threading

    metrics, rates, _ = catalogue(daily)
    window = "30d" if daily else "12"
    values, registry = make_data(daily)
    gc.collect()
    size = values.estimated_size()
    baseline = current_rss()
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, current_rss())
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    engine = Engine(values, registry, metrics, rates, window=window)
    engine.figures()
    engine.figures(engine.periods[-2])
    done.set()
    sampler.join()
    print(json.dumps({"input": size, "baseline": baseline, "peak": peak}))


def memory(daily: bool) -> None:
    proc = subprocess.run(
        [sys.executable, __file__, "--memory-child", "daily" if daily else "monthly"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    extra = r["peak"] - r["baseline"]
    print(
        f"  memory: input {r['input'] / 2**20:.0f} MB in memory; RSS with input loaded {r['baseline'] / 2**20:.0f} MB; "
        f"peak while preparing + computing {r['peak'] / 2**20:.0f} MB: working memory {extra / 2**20:.0f} MB "
        f"= {extra / r['input']:.2f}x the input (target <= 4x)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-daily", action="store_true")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--memory-child", choices=["daily", "monthly"])
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child == "daily")
        return 0
    print(header())
    print(
        f"polars {pl.__version__}, pandas {pd.__version__}, duckdb {duckdb.__version__}; median of {args.runs} runs"
    )
    run_variant(daily=False, runs=args.runs, with_competitors=True)
    memory(daily=False)
    if not args.skip_daily:
        run_variant(daily=True, runs=max(3, args.runs // 2), with_competitors=True)
        memory(daily=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
