"""Key -> frame under load: screen switches, the language, month steps and the explanation.

The installed app in a pseudo-terminal at 80x24 (bench_ui.Terminal), on the demo data: each
key timed from writing it to the last byte of the screen update it caused (30 ms of quiet
ends a burst); p50, p95 and max per kind. "Under load": `--load N` starts N processes
spinning on the CPU for the run (the machine's own other jobs come on top; the load average
is printed). Issue 22 asks for keys under 0.2 s (`l` was up to 0.37 s, screen switches up to
0.4 s). Beside the times, the app's CPU time over each key's window (utime + stime of the
process from /proc, its workers included; 10 ms ticks): on a host loaded by other jobs the
times measure the scheduler as much as the app, the CPU time much less so.

Usage: python bench/bench_keys.py [rounds] [--load N]
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ui import Terminal, percentile
from machine import header

# (kind, keys in one round): every screen and back, the language twice, a month back and on
ROUND: tuple[tuple[str, bytes], ...] = (
    ("screen 1->2", b"2"),
    ("screen 2->3", b"3"),
    ("screen 3->4", b"4"),
    ("screen 4->1", b"1"),
    ("l (language)", b"l"),
    ("l (language)", b"l"),
    ("[ (month back)", b"["),
    ("] (month on)", b"]"),
    ("i (explain)", b"i"),
    ("1 (close, overview)", b"1"),
)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def spin() -> None:
    while True:
        pass


def main() -> int:
    args = sys.argv[1:]
    load = int(args[args.index("--load") + 1]) if "--load" in args else 0
    rounds = int(args[0]) if args and args[0].isdigit() else 10
    print(header())
    burners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(load)]
    for burner in burners:
        burner.start()
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    term = Terminal(["--at", "2018-10", "--lang", "en"], cols=80, rows=24)
    try:
        term.read_until(b"4,303")
        term.drain(1.0)  # the month before and the prefetch settle
        for _ in range(rounds):
            for kind, key in ROUND:
                before = cpu_seconds(term.pid)
                times.setdefault(kind, []).append(term.key(key))
                cpu.setdefault(kind, []).append(cpu_seconds(term.pid) - before)
    finally:
        term.close()
        for burner in burners:
            burner.kill()
    print(f"80x24, demo data, {rounds} rounds, {load} spinning processes; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    for kind, values in times.items():
        used = cpu[kind]
        print(
            f"key -> frame, {kind:20}: p50 {percentile(values, 0.5) * 1000:6.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:6.1f} ms, max {max(values) * 1000:6.1f} ms "
            f"({len(values)} keys); app CPU mean {sum(used) / len(used) * 1000:4.0f} ms, "
            f"max {max(used) * 1000:4.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
