"""`jctui show` end to end on 1 million rows, side by side with the DuckDB one-liner.

Data (generated seeded into a folder, reused when there): 407 Jobcenters x 480 months x
5 metrics = 976,800 rows in the canonical long layout with the name inline, as CSV, NDJSON
and Parquet. For each format, real processes, alternating: `jctui show "Jobcenter 00042"`
and a DuckDB one-liner that reads the same file and computes 12-month sums, previous-year
values and ranks at the latest month for that Jobcenter. Wall time and peak RSS (max RSS of
the child, via getrusage in a fresh wrapper process), median of runs; ratios jctui/DuckDB.

Then an HTTP source: a local server (thread, precomputed body with an ETag) answering
400,000 records; `jctui show --source URL` once to fill the cache, then repeated lookups,
each answered with one 304 from the server, against `jctui show` on the demo data.

Usage: python bench/bench_lookup.py [runs] [--data DIR] [--only csv,ndjson,parquet,http]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import header

N_JC, N_MONTHS = 407, 480
METRICS = ("integrations", "apprenticeships", "elb", "long_term_recipients", "customers")
QUERY = "Jobcenter 00042"

DUCKDB = """
import duckdb, sys
src = {reader}
q = f'''
WITH v AS (SELECT jobcenter_id, CAST(period AS DATE) AS period, metric, value FROM {{src}}),
t AS (SELECT max(period) AS as_of FROM v),
w AS (
  SELECT jobcenter_id, metric,
    max(value) FILTER (WHERE period = as_of) AS value,
    max(value) FILTER (WHERE period = as_of - INTERVAL 12 MONTH) AS value_prev_year,
    sum(value) FILTER (WHERE period > as_of - INTERVAL 12 MONTH) AS window_sum,
    sum(value) FILTER (WHERE period <= as_of - INTERVAL 12 MONTH) AS window_sum_prev
  FROM v, t WHERE period > as_of - INTERVAL 24 MONTH AND period <= as_of
  GROUP BY ALL),
r AS (SELECT *, rank() OVER (PARTITION BY metric ORDER BY window_sum / window_sum_prev - 1 DESC) AS rank FROM w)
SELECT * FROM r WHERE jobcenter_id = '00042' ORDER BY metric'''
for row in duckdb.sql(q).fetchall():
    print(row)
"""
READERS = {
    "csv": "\"read_csv('{path}')\"",
    "ndjson": "\"read_json('{path}', format='newline_delimited')\"",
    "parquet": "\"read_parquet('{path}')\"",
}
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode\n"
    "t = time.perf_counter() - t\n"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(t, r.ru_maxrss, rc, r.ru_utime + r.ru_stime)\n"
)


def generate(folder: Path) -> dict[str, Path]:
    """The 1M-row source in three formats (written once per folder)."""
    import numpy as np
    import polars as pl

    paths = {fmt: folder / f"big.{fmt}" for fmt in ("csv", "ndjson", "parquet")}
    if all(p.exists() for p in paths.values()):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(15)
    ids = [f"{i:05d}" for i in range(N_JC)]
    periods = pl.date_range(dt.date(1979, 1, 1), dt.date(2018, 12, 1), "1mo", eager=True)
    grid = (
        pl.DataFrame({"jobcenter_id": ids})
        .join(pl.DataFrame({"period": periods}), how="cross")
        .join(pl.DataFrame({"metric": list(METRICS)}), how="cross")
    )
    frame = grid.with_columns(
        name=pl.lit("Jobcenter ") + pl.col("jobcenter_id"),
        value=pl.Series(rng.integers(50, 20_000, grid.height).astype("float64")),
    ).select("jobcenter_id", "name", "period", "metric", "value")
    frame.write_csv(paths["csv"])
    frame.write_ndjson(paths["ndjson"])
    frame.write_parquet(paths["parquet"])
    return paths


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds) of one run of `cmd` in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    if out[2] != "0":
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return float(out[0]), int(out[1]) / 1024, float(out[3])


def series(
    cmd: list[str], runs: int, env: dict[str, str] | None = None
) -> tuple[float, float, float]:
    """Median wall time, peak RSS and CPU time over `runs` (after one warm-up run)."""
    measure(cmd, env)
    got = [measure(cmd, env) for _ in range(runs)]
    return tuple(statistics.median(g[i] for g in got) for i in range(3))  # type: ignore[return-value]


class Api(BaseHTTPRequestHandler):
    body = b""
    etag = ""
    answers: list[int] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.headers.get("If-None-Match") == self.etag:
            self.answers.append(304)
            self.send_response(304)
            self.send_header("ETag", self.etag)
            self.end_headers()
            return
        self.answers.append(200)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.send_header("ETag", self.etag)
        self.end_headers()
        self.wfile.write(self.body)


def http_case(paths: dict[str, Path], runs: int, jctui: str, env: dict[str, str]) -> None:
    import polars as pl

    rows = pl.read_parquet(paths["parquet"]).filter(pl.col("period") >= dt.date(1998, 11, 1))
    rows = rows.head(400_000).with_columns(pl.col("period").dt.strftime("%Y-%m"))
    Api.body = rows.write_json().encode()
    Api.etag = '"' + hashlib.sha256(Api.body).hexdigest()[:16] + '"'
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/data"
    show = [jctui, "show", QUERY, "--source", url]
    first = measure(show, env)
    Api.answers.clear()
    lookup = series(show, runs, env)
    demo = series([jctui, "show", "Kreis Offenbach"], runs, env)
    server.shutdown()
    print(f"HTTP source: {rows.height:,} records, {len(Api.body) / 1e6:.0f} MB JSON")
    print(f"  first show (download, read, fill the cache): {first[0]:.2f} s, {first[1]:.0f} MB")
    print(
        f"  repeated show: median {lookup[0]:.3f} s, {lookup[1]:.0f} MB peak, {lookup[2]:.2f} s CPU; "
        f"server answers: {Api.answers.count(304)} x 304, {Api.answers.count(200)} x 200 "
        f"in {runs + 1} lookups"
    )
    print(f"  demo-data show: median {demo[0]:.3f} s, {demo[1]:.0f} MB peak, {demo[2]:.2f} s CPU")
    print(
        f"  ratio repeated/demo: {lookup[0] / demo[0]:.2f}x wall, {lookup[2] / demo[2]:.2f}x CPU "
        "(target <= 2x)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=5)
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "jctui-bench-1m"))
    parser.add_argument("--only", default="csv,ndjson,parquet,http")
    args = parser.parse_args()
    only = args.only.split(",")
    print(header())
    paths = generate(Path(args.data))
    jctui = str(Path(sys.executable).parent / "jctui")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XDG_CACHE_HOME": home, "XDG_CONFIG_HOME": home}
        floor = series([sys.executable, "-c", "import polars"], args.runs, env)
        print(
            f"python -c 'import polars': median {floor[0]:.3f} s, {floor[1]:.0f} MB peak, "
            f"{floor[2]:.2f} s CPU"
        )
        print(
            f"{'1M rows':8} {'file':>8}  {'jctui show: wall, peak, CPU':>27}  "
            f"{'DuckDB: wall, peak, CPU':>27}  ratio time / memory (CPU)"
        )
        for fmt in ("csv", "ndjson", "parquet"):
            if fmt not in only:
                continue
            path = paths[fmt]
            duck_code = DUCKDB.format(reader=READERS[fmt].format(path=path))
            ours = series([jctui, "show", QUERY, "--source", str(path)], args.runs, env)
            duck = series([sys.executable, "-c", duck_code], args.runs, env)
            size = path.stat().st_size / 1e6
            print(
                f"{fmt:8} {size:5.0f} MB  {ours[0]:6.3f} s {ours[1]:5.0f} MB {ours[2]:5.2f} s  "
                f"{duck[0]:6.3f} s {duck[1]:5.0f} MB {duck[2]:5.2f} s  {ours[0] / duck[0]:.2f}x / "
                f"{ours[1] / duck[1]:.2f}x ({ours[2] / duck[2]:.2f}x)"
            )
            if fmt == "parquet":
                print(
                    f"         parquet show - import polars: {ours[0] - floor[0]:+.3f} s wall, "
                    f"{ours[2] - floor[2]:+.3f} s CPU (target <= 0.15 s)"
                )
        if "http" in only:
            http_case(paths, args.runs, jctui, env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
