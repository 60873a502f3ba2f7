"""Eight dashboards on one host and one 1M-row source: private memory per session.

Three sets of N dashboards (default 8), each in its own pseudo-terminal (120x40), run one
set at a time:
  demo     `jctui` on the bundled demo data (the reference);
  private  `jctui --source big.parquet`: every session reads the 1M-row file itself;
  shared   `jctui --config shared.toml`: cache_dir + follow_cache; `jctui refresh` filled
           the cache once, every session maps the cached Arrow IPC data.
When a session shows its figures (and its output is quiet), its memory is read from
/proc/PID/smaps_rollup: private = Private_Clean + Private_Dirty (what smem calls USS), and
PSS. Target: shared private memory per session <= 1.25x the demo sessions'.

With --chart, `3` (the chart tab) is then pressed in each and the memory read again.

Usage: python bench/bench_sessions.py [sessions] [--data DIR] [--only demo,...] [--chart]
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from bench_lookup import generate
from bench_ui import Terminal
from machine import header


def smaps(pid: int) -> dict[str, int]:
    """Fields of /proc/PID/smaps_rollup in kB (of the process; the app is one process)."""
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        out[name.rstrip(":")] = int(value)
    return out


def drain_all(terms: list[Terminal], seconds: float) -> None:
    """Read every terminal's output for `seconds` (a full pty would block its app)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        ready, _, _ = select.select([t.fd for t in terms], [], [], 0.1)
        for fd in ready:
            with contextlib.suppress(OSError):
                os.read(fd, 65536)


def run_set(
    label: str, args: list[str], needle: bytes, n: int, chart: bool = False
) -> list[dict[str, int]]:
    terms: list[Terminal] = []
    try:
        for _ in range(n):
            term = Terminal(args)
            terms.append(term)
            term.read_until(needle, timeout=300)
            drain_all(terms, 0.5)
        drain_all(terms, 5.0)  # settle: the figures of the last one computed
        got = [smaps(t.pid) for t in terms]
        report(label, n, got)
        if chart:  # then `3` in each: the chart tab (its data and plotext loaded then)
            for term in terms:
                os.write(term.fd, b"3")
                drain_all(terms, 1.0)
            drain_all(terms, 5.0)
            report(f"{label}+3", n, [smaps(t.pid) for t in terms])
    finally:
        for term in terms:
            term.close()
    return got


def report(label: str, n: int, got: list[dict[str, int]]) -> None:
    private = [(g["Private_Clean"] + g["Private_Dirty"]) / 1024 for g in got]
    pss = [g["Pss"] / 1024 for g in got]
    dirty = [g["Private_Dirty"] / 1024 for g in got]
    print(
        f"{label:8} {n} sessions: private per session median {statistics.median(private):6.1f} MB "
        f"(min {min(private):.1f}, max {max(private):.1f}); Private_Dirty median {statistics.median(dirty):.1f} MB; PSS median {statistics.median(pss):6.1f} MB; "
        f"total private + shared {sum(private) + max(g['Shared_Clean'] + g['Shared_Dirty'] for g in got) / 1024:.0f} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sessions", nargs="?", type=int, default=8)
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "jctui-bench-1m"))
    parser.add_argument("--only", default="demo,private,shared")
    parser.add_argument(
        "--chart", action="store_true", help="then open the chart (3) in each and measure again"
    )
    args = parser.parse_args()
    print(header())
    big = generate(Path(args.data))["parquet"]
    with tempfile.TemporaryDirectory() as home:
        os.environ.update(XDG_CACHE_HOME=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home)
        config = Path(home) / "shared.toml"
        config.write_text(
            f'cache_dir = "{home}/shared"\n[refresh]\nfollow_cache = true\n'
            f'[[sources]]\nname = "big"\npath = "{big}"\n',
            encoding="utf-8",
        )
        jctui = str(Path(sys.executable).parent / "jctui")
        if "shared" in args.only.split(","):
            subprocess.run([jctui, "refresh", "--config", str(config)], check=True)
        needle = b"12 mo"  # a tile with its figures
        results = {}
        for label, cmd in (
            ("demo", ["--at", "2018-10", "--lang", "en"]),
            ("private", ["--source", str(big), "--lang", "en"]),
            ("shared", ["--config", str(config), "--lang", "en"]),
        ):
            if label in args.only.split(","):
                got = run_set(label, cmd, needle, args.sessions, args.chart)
                results[label] = statistics.median(
                    (g["Private_Clean"] + g["Private_Dirty"]) / 1024 for g in got
                )
        if "demo" in results:
            for label in ("private", "shared"):
                if label in results:
                    print(
                        f"{label}: {results[label] / results['demo']:.2f}x the demo session's "
                        "private memory (target for shared <= 1.25x)"
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
