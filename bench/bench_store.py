"""The figure store (issue 23): repeated `jctui show` on unchanged data, read from the store,
side by side with `python -c "import polars"`, a fresh computation (JCTUI_STORE=0) and, on
the 1M-row files, the DuckDB one-liner of bench_lookup.py; then the first computation of the
store (one month, as the first `show` writes it, and every month, as `jctui refresh` does)
and its size on disk.

Real processes, alternating, median of runs: wall time, peak RSS, CPU (user + system).
Usage: python bench/bench_store.py [runs] [--data DIR] [--only parquet,csv]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lookup import DUCKDB, QUERY, READERS, Api, generate, measure
from machine import header

Row = tuple[float, float, float]  # wall s, peak MB, CPU s
Cmd = list[str] | Callable[[], list[str]]  # a command, or the next of a rotation


def rotating(head: list[str], queries: list[str], tail: list[str]) -> Callable[[], list[str]]:
    """A `show` of another Jobcenter at every call (never the same: no kept answer)."""
    left = iter(queries)
    return lambda: [*head, next(left), *tail]


def medians(
    cases: dict[str, tuple[Cmd, dict[str, str]]], runs: int, warm: int = 2
) -> dict[str, Row]:
    """Every case `warm` times to warm up (a new revision: the first lookup scans the file,
    the second keeps the store), then `runs` rounds, alternating."""
    got: dict[str, list[Row]] = {name: [] for name in cases}

    def command(cmd: Cmd) -> list[str]:
        return cmd() if callable(cmd) else cmd

    for cmd, env in cases.values():
        for _ in range(warm):
            measure(command(cmd), env)
    for _ in range(runs):
        for name, (cmd, env) in cases.items():
            got[name].append(measure(command(cmd), env))
    return {
        n: tuple(statistics.median(r[i] for r in rows) for i in range(3))  # type: ignore[misc]
        for n, rows in got.items()
    }


def report(rows: dict[str, Row], base: str, against: str | None = None) -> None:
    ref = rows[base]
    for name, (wall, peak, cpu) in rows.items():
        ratio = f"{cpu / ref[2]:.2f}x CPU, {wall / ref[0]:.2f}x wall of {base!r}"
        if against and name != against:
            other = rows[against]
            ratio += f"; {cpu / other[2]:.2f}x CPU, {peak / other[1]:.2f}x memory of {against!r}"
        print(f"  {name:34} {wall:6.3f} s {peak:5.0f} MB {cpu:5.2f} s CPU  ({ratio})")


def du(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def first_computation(
    label: str, jctui: str, args: list[str], source: str | None, env: dict[str, str]
) -> None:
    """The first `show` (writes one month) and `jctui refresh`'s whole store, from empty."""
    cache = Path(env["XDG_CACHE_HOME"])
    shutil.rmtree(cache, ignore_errors=True)
    wall, peak, cpu = measure([jctui, *args], env)
    size = du(cache / "jctui" / "sources" / "figures")
    print(
        f"  {label}: first show {wall:.2f} s, {peak:.0f} MB, {size:.1f} MB store (a file's first "
        "lookup only scans it; the demo's aggregates take the whole read: base + 1 month)"
    )
    refresh = [sys.executable, "-c", STORE_ALL, *([source] if source else [])]
    start = time.perf_counter()
    wall, peak, cpu = measure(refresh, env)
    size = du(cache / "jctui" / "sources" / "figures")
    months = len(list((cache / "jctui" / "sources" / "figures").glob("*/months/*")))
    print(
        f"  {label}: whole store ({months} as-of months) {wall:.1f} s, {cpu:.1f} s CPU, "
        f"{peak:.0f} MB peak, {size:.1f} MB on disk ({time.perf_counter() - start:.1f} s)"
    )


STORE_ALL = (
    "import sys\n"
    "from jctui.config import load_config\n"
    "from jctui.session.store_link import store_all\n"
    "c = load_config(None)\n"
    "c = c.with_source(sys.argv[1]) if len(sys.argv) > 1 else c\n"
    "print(store_all(c))\n"
)


def first_lookups(jctui: str, path: Path, home: Path, env: dict[str, str]) -> None:
    """1: reads only the rows it needs (scan, filter pushed down); 2: reads the file whole
    and keeps the store (what every first lookup did before); 3: reads the store. A cache
    folder of its own: the revision is new there."""
    own = {**env, "XDG_CACHE_HOME": str(home / f"first-{path.suffix[1:]}")}
    show = [jctui, "show", QUERY, "--source", str(path)]
    for n, what in enumerate(("scan", "whole read, store kept", "store read"), 1):
        wall, peak, cpu = measure(show, own)
        print(
            f"  {path.suffix[1:]:8} lookup {n} ({what:22}) {wall:6.3f} s {peak:5.0f} MB {cpu:5.2f} s CPU"
        )


def http_case(
    jctui: str,
    floor: list[str],
    env: dict[str, str],
    fresh: dict[str, str],
    store_only: dict[str, str],
    runs: int,
    ids: list[str],
) -> None:
    """A URL source (the demo values as JSON, with an ETag): after the first lookup every
    repeat is answered by a 304: the kept answer of the same lookup is printed (it is of the
    cached revision the 304 confirms), another Jobcenter (`ids`) and JCTUI_ANSWERS=0 from the
    store's record."""
    import polars as pl

    from jctui.demo import demo_values_path

    rows = pl.read_parquet(demo_values_path()).with_columns(pl.col("period").dt.strftime("%Y-%m"))
    Api.body = rows.write_json().encode()
    Api.etag = '"' + hashlib.sha256(Api.body).hexdigest()[:16] + '"'
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = ["--source", f"http://127.0.0.1:{server.server_port}/"]
    show = [jctui, "show", "Kreis Offenbach", *url]
    print(f"\nrepeated show on an HTTP source after a 304 ({rows.height:,} records, JSON):")
    Api.answers.clear()
    rows_ = medians(
        {
            "import polars": (floor, env),
            "show (304, kept answer)": (show, env),
            "show (304, another Jobcenter each run)": (rotating([jctui, "show"], ids, url), env),
            "show (304, store, JCTUI_ANSWERS=0)": (show, store_only),
        },
        runs,
        warm=3,
    )
    fresh_rows = medians({"show (304, fresh, JCTUI_STORE=0)": (show, fresh)}, runs)
    server.shutdown()
    report({**rows_, **fresh_rows}, "import polars")
    print(f"  server answers: {Api.answers.count(304)} x 304, {Api.answers.count(200)} x 200")


def compiled() -> None:
    """jctui's modules compiled to bytecode, as an installed package has them (pip compiles
    at install): with PYTHONDONTWRITEBYTECODE=1 (set on this dev host) every lookup would
    compile the modules changed since their last .pyc, which `import polars` never does."""
    import compileall

    import jctui

    compileall.compile_dir(Path(jctui.__file__).parent, quiet=1)


def demo_registry_ids() -> list[str]:
    """The demo's Jobcenter ids (an id is an exact match: one Jobcenter), shuffled alike."""
    import polars as pl

    from jctui.demo import demo_values_path

    ids = pl.scan_parquet(demo_values_path()).select("jobcenter_id").unique().collect()
    return sorted(ids.get_column("jobcenter_id").to_list(), key=lambda i: i[::-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=5)
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "jctui-bench-1m"))
    parser.add_argument("--only", default="parquet,csv")
    parser.add_argument("--no-first", action="store_true", help="skip the first computation")
    args = parser.parse_args()
    compiled()
    print(header())
    jctui = str(Path(sys.executable).parent / "jctui")
    home = Path(tempfile.mkdtemp(prefix="jctui-bench-store-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(home / "cache"), "JCTUI_STORE": "1"}
    env.pop("JCTUI_CONFIG", None)
    fresh = {**env, "JCTUI_STORE": "0"}
    floor = [sys.executable, "-c", "import polars"]
    store_only = {**env, "JCTUI_ANSWERS": "0"}

    print("\nrepeated show on the demo data (store warm):")
    demo = [jctui, "show", "Kreis Offenbach"]
    demo_ids = demo_registry_ids()
    report(
        medians(
            {
                "import polars": (floor, env),
                "show (kept answer)": (demo, env),
                "show (another Jobcenter each run)": (rotating([jctui, "show"], demo_ids, []), env),
                "show --format csv (another each run)": (
                    rotating([jctui, "show"], demo_ids, ["--format", "csv"]),
                    env,
                ),
                "show (store, JCTUI_ANSWERS=0)": (demo, store_only),
                "show (fresh, JCTUI_STORE=0)": (demo, fresh),
            },
            args.runs,
        ),
        "import polars",
    )
    http_case(jctui, floor, env, fresh, store_only, args.runs, demo_ids)
    paths = generate(Path(args.data))
    for fmt in args.only.split(","):
        path = paths[fmt]
        print(f"\nrepeated show on 1M rows, {fmt} ({path.stat().st_size / 2**20:.0f} MB):")
        show = [jctui, "show", QUERY, "--source", str(path)]
        others = [f"Jobcenter {n:05d}" for n in range(100, 400)]
        duck = [sys.executable, "-c", DUCKDB.format(reader=READERS[fmt].format(path=path))]
        report(
            medians(
                {
                    "import polars": (floor, env),
                    "show (kept answer)": (show, env),
                    "show (another Jobcenter each run)": (
                        rotating([jctui, "show"], others, ["--source", str(path)]),
                        env,
                    ),
                    "show (store, JCTUI_ANSWERS=0)": (show, store_only),
                    "DuckDB one-liner": (duck, env),
                    "show (fresh, JCTUI_STORE=0)": (show, fresh),
                },
                args.runs,
            ),
            "import polars",
            against="DuckDB one-liner",
        )
    print("\nthe first lookups of a new file revision:")
    for fmt in args.only.split(","):
        first_lookups(jctui, paths[fmt], home, store_only)
    if args.no_first:
        shutil.rmtree(home, ignore_errors=True)
        return 0
    print("\nfirst computation of the store, and its size:")
    first_computation("demo", jctui, ["show", "Kreis Offenbach"], None, env)
    big = str(paths["parquet"])
    first_computation("1M rows parquet", jctui, ["show", QUERY, "--source", big], big, env)
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
