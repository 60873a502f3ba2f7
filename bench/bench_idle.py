"""Idle cost of the dashboard and the kiosk: CPU share and bytes written to the terminal.

Starts `python -m jctui` in a real pseudo-terminal (80x24 and 200x60), waits until it has
painted and settled, then measures for MEASURE seconds: CPU time of the process (utime +
stime from /proc) as a share of one core, and the bytes it wrote to the terminal.
Target (issue 7): <= 0.3 % of one core (btop's own idle figure) and < 1 KB per minute of
output apart from the clock.

Usage: python bench/bench_idle.py [seconds]   (default 60)
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import header

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLK_TCK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def drain(fd: int, seconds: float) -> int:
    """Read everything the app writes for `seconds`; return the byte count."""
    total = 0
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            total += len(chunk)
    return total


def measure(
    args: list[str], cols: int, rows: int, seconds: float, settle: float = 8.0
) -> dict[str, float]:
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", JCTUI_NO_CLOCK="1")
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(sys.executable, [sys.executable, "-m", "jctui", *args], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    try:
        drain(fd, settle)  # first paint, data load, figures
        cpu0, rss0 = cpu_seconds(pid), rss_mb(pid)
        written = drain(fd, seconds)
        cpu1, rss1 = cpu_seconds(pid), rss_mb(pid)
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    return {
        "cpu_pct": (cpu1 - cpu0) / seconds * 100,
        "bytes_per_min": written / seconds * 60,
        "rss_mb": rss1,
        "rss_growth_mb": rss1 - rss0,
    }


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    print(header())
    print(
        f"idle measurement over {seconds:.0f} s after 8 s to settle (clock hidden: JCTUI_NO_CLOCK=1)"
    )
    import tempfile

    still = Path(tempfile.mkdtemp()) / "kiosk.toml"
    still.write_text(
        '[kiosk]\n[[kiosk.playlist]]\nview = "overview"\njobcenter = "Kreis Offenbach"\ndwell = 3600\n'
        '[[kiosk.playlist]]\nview = "compare"\ndwell = 3600\n',
        encoding="utf-8",
    )
    cases = (
        ("dashboard", ["--at", "2018-10"]),
        ("kiosk (no rotation due)", ["--kiosk", "--config", str(still)]),
    )
    for label, args in cases:
        for cols, rows in ((80, 24), (200, 60)):
            r = measure(args, cols, rows, seconds)
            print(
                f"{label} {cols}x{rows}: CPU {r['cpu_pct']:.2f} % of one core, "
                f"{r['bytes_per_min']:.0f} bytes/min written, RSS {r['rss_mb']:.0f} MB "
                f"({r['rss_growth_mb']:+.1f} MB while idle)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
