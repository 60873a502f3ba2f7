"""What one dashboard session costs from start to its figures, on a warm figure store.

`jctui refresh` writes the store of the demo data first (as a deployment runs it); then,
one at a time, `jctui --lang en` in a pseudo-terminal (120x40) until a tile shows its
figures, and again 5 s later (the prefetch done). CPU = user + system time of the process
(all its threads, /proc/PID/stat): on a shared host it is the figure to compare, wall
time is inflated by other jobs. Private memory = Private_Clean + Private_Dirty.

Usage: python bench/bench_session_start.py [runs]   (PYTHONPATH=<old tree> for old code)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sessions import drain_all, smaps
from bench_ui import Terminal
from machine import header


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def private_mb(pid: int) -> float:
    got = smaps(pid)
    return (got["Private_Clean"] + got["Private_Dirty"]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=3)
    args = parser.parse_args()
    print(header())
    rows = []
    with tempfile.TemporaryDirectory() as home:
        os.environ.update(XDG_CACHE_HOME=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home)
        jctui = str(Path(sys.executable).parent / "jctui")
        subprocess.run([jctui, "refresh"], check=True, stdout=subprocess.DEVNULL)
        for _ in range(args.runs):
            start = time.perf_counter()
            term = Terminal(["--lang", "en"])
            try:
                term.read_until(b"12 mo", timeout=300)
                wall, cpu, mem = (
                    time.perf_counter() - start,
                    cpu_seconds(term.pid),
                    private_mb(term.pid),
                )
                drain_all([term], 5.0)
                rows.append((wall, cpu, mem, cpu_seconds(term.pid), private_mb(term.pid)))
            finally:
                term.close()
    for name, i in (("wall to figures", 0), ("CPU to figures", 1), ("CPU after 5 s", 3)):
        print(f"{name:16} median {statistics.median(r[i] for r in rows):.2f} s "
              f"({', '.join(f'{r[i]:.2f}' for r in rows)})")  # fmt: skip
    for name, i in (("private at figures", 2), ("private after 5 s", 4)):
        print(f"{name:18} median {statistics.median(r[i] for r in rows):.1f} MB "
              f"({', '.join(f'{r[i]:.1f}' for r in rows)})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
