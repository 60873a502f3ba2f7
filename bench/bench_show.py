"""`jctui show "Kreis Offenbach"` end to end on the demo data: wall time of real processes.

Also times `python -c "import polars"` in the same run: the floor no `show` that uses Polars
can go below on this machine.
Usage: python bench/bench_show.py [runs]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import header


def wall(cmd: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(header())
    jctui = str(Path(sys.executable).parent / "jctui")
    cases = [
        ("python -c 'import polars' (floor)", [sys.executable, "-c", "import polars"]),
        ("jctui --version (no Polars)", [jctui, "--version"]),
        ('jctui show "Kreis Offenbach"', [jctui, "show", "Kreis Offenbach"]),
        (
            'jctui show "Kreis Offenbach" --format json',
            [jctui, "show", "Kreis Offenbach", "--format", "json"],
        ),
    ]
    for label, cmd in cases:
        wall(cmd, 1)  # warm the file cache
        t = wall(cmd, runs)
        print(
            f"{label:45} median {statistics.median(t):.3f} s  (min {min(t):.3f}, max {max(t):.3f}, {runs} runs)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
