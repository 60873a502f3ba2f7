"""Dashboard speed: first paint after start, and key press to updated screen.

1. First paint: `jctui --at 2018-10` started in a real pseudo-terminal (80x24); the time until
   the first frame with the header arrives, and until the figures are on screen. Median of runs.
2. Key latency: the same app in a pseudo-terminal (120x40) on the compare table with 407 rows:
   moving the cursor, sorting and filtering; each key timed from writing it to the last byte
   of the screen update it caused (30 ms of quiet ends a burst); p50 and p95. Then the same
   against a ~1-million-row source while `r` keeps a reload + recompute under way.

Usage: python bench/bench_ui.py [runs]
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import header


def first_paint(runs: int) -> tuple[list[float], list[float]]:
    paints, figures = [], []
    for _ in range(runs):
        env = dict(os.environ, TERM="xterm-256color", JCTUI_NO_CLOCK="1", LANG="C.UTF-8")
        start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(
                sys.executable,
                [sys.executable, "-m", "jctui", "--at", "2018-10", "--lang", "en"],
                env,
            )
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        seen = b""
        paint = None
        try:
            while time.perf_counter() - start < 20:
                ready, _, _ = select.select([fd], [], [], 0.01)
                if not ready:
                    continue
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
                if paint is None and b"jctui" in seen:
                    paint = time.perf_counter() - start
                if b"4,303" in seen:  # Kreis Offenbach's integrations over 12 months
                    figures.append(time.perf_counter() - start)
                    break
        finally:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            os.close(fd)
        if paint is not None:
            paints.append(paint)
    return paints, figures


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Terminal:
    """The installed app in a pseudo-terminal: write keys, time the screen update."""

    def __init__(self, args: list[str], cols: int = 120, rows: int = 40) -> None:
        env = dict(os.environ, TERM="xterm-256color", JCTUI_NO_CLOCK="1", LANG="C.UTF-8")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(sys.executable, [sys.executable, "-m", "jctui", *args], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def read_until(self, needle: bytes, timeout: float = 60) -> None:
        seen = b""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end and needle not in seen:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                seen = (seen + os.read(self.fd, 65536))[-200_000:]
        if needle not in seen:
            raise SystemExit(f"{needle!r} never appeared")

    def drain(self, quiet: float = 0.3) -> None:
        while select.select([self.fd], [], [], quiet)[0]:
            os.read(self.fd, 65536)

    def key(self, data: bytes, quiet: float = 0.03) -> float:
        """Seconds from writing the key to the last byte of the screen update it caused."""
        start = time.perf_counter()
        os.write(self.fd, data)
        last = None
        while True:
            ready, _, _ = select.select([self.fd], [], [], quiet if last else 2.0)
            if not ready:
                break
            os.read(self.fd, 65536)
            last = time.perf_counter()
        return (last or start) - start

    def close(self) -> None:
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


KEYS = {"move": b"\x1b[B", "sort": b"s", "filter": b"f"}


def key_latency(args: list[str], ready: bytes, busy: bool) -> dict[str, list[float]]:
    term = Terminal(args)
    results: dict[str, list[float]] = {k: [] for k in KEYS}
    try:
        term.read_until(ready)
        term.drain()
        term.key(b"2")
        term.drain()
        for kind, n in (("move", 40), ("sort", 30), ("filter", 30)):
            for i in range(n):
                if busy and i % 4 == 0:
                    os.write(term.fd, b"r")  # keep a reload + recompute of 1M rows under way
                    time.sleep(0.05)
                results[kind].append(term.key(KEYS[kind]))
    finally:
        term.close()
    return results


def big_source(folder: Path) -> Path:
    """About 1 million rows (407 Jobcenters x 240 months x 10 metrics), registry inline."""
    from bench_engine import make_data

    values, registry = make_data(daily=False)
    path = folder / "big.parquet"
    values.join(registry, on="jobcenter_id").write_parquet(path)
    return path


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    print(header())
    paints, figures = first_paint(runs)
    print(
        f"first paint (header on screen) at 80x24: median {statistics.median(paints):.3f} s "
        f"(min {min(paints):.3f}, max {max(paints):.3f}, {len(paints)} runs)"
    )
    print(
        f"figures on screen: median {statistics.median(figures):.3f} s (min {min(figures):.3f}, max {max(figures):.3f})"
    )
    import tempfile

    cases = [("demo data, idle", ["--at", "2018-10"], b"4,303", False)]
    with tempfile.TemporaryDirectory() as tmp:
        big = big_source(Path(tmp))
        cases.append(
            ("1M-row source, recomputing in the background", ["--source", str(big)], b"fresh", True)
        )
        for label, args, ready, busy in cases:
            results = key_latency(args, ready, busy)
            for kind, times in results.items():
                print(
                    f"key -> screen, compare table 407 rows, {kind:6} ({label}): "
                    f"p50 {percentile(times, 0.5) * 1000:.1f} ms, p95 {percentile(times, 0.95) * 1000:.1f} ms"
                    f" ({len(times)} keys)"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
