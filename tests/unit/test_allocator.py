"""A jctui process gives memory Polars freed back to the system at once (jctui.
POLARS_ALLOCATOR, set on import before Polars loads), unless the user configured Polars'
allocator themselves."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/smaps_rollup")

PROGRAM = """
import jctui.cli  # the console entry point's first import
import polars as pl
from pathlib import Path

def private_mb():
    fields = dict(line.split()[:2] for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:])
    return (int(fields["Private_Clean:"]) + int(fields["Private_Dirty:"])) / 1024

before = private_mb()
frame = pl.DataFrame({"a": pl.int_range(0, 16_000_000, eager=True)}).with_columns(b=pl.col("a") * 2)
frame = frame.filter(pl.col("a") > 5)  # Polars allocates and frees again (~250 MB)
del frame
print(round(private_mb() - before))
"""


def held_after_freeing(env: dict[str, str]) -> int:
    """MB of private memory a process still holds after Polars freed its frames."""
    run = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, check=True
    )
    return int(run.stdout.strip())


def test_freed_memory_is_returned_unless_the_user_set_the_allocator() -> None:
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    assert held_after_freeing(env) < 40
    # a user's own setting wins: here, never return freed memory
    kept = held_after_freeing({**env, "_RJEM_MALLOC_CONF": "dirty_decay_ms:-1,muzzy_decay_ms:-1"})
    assert kept > 100


FRAGMENTS = """
import sys
if sys.argv[1] == "jctui":
    import jctui
from pathlib import Path

def private_mb():
    fields = dict(line.split()[:2] for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:])
    return (int(fields["Private_Clean:"]) + int(fields["Private_Dirty:"])) / 1024

text = bytearray(5 * 2**20)  # a month's look-ups read as one text, then freed
del text
before = private_mb()
blocks = [bytearray(2**20) for _ in range(100)]  # look-ups, a frame's buffers
kept = bytearray(100_000)  # something allocated after them and kept
del blocks
print(round(private_mb() - before))
"""


def held_after_fragments(*args: str, env: dict[str, str] | None = None) -> int:
    run = subprocess.run(
        [sys.executable, "-c", FRAGMENTS, *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(run.stdout.strip())


def test_freed_blocks_of_python_objects_are_returned_too() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    assert held_after_fragments("jctui", env=env) < 20
    assert held_after_fragments("python", env=env) > 80  # glibc's default keeps them
    tuned = {**env, "MALLOC_MMAP_THRESHOLD_": str(10 * 2**20)}  # the user's own setting wins
    assert held_after_fragments("jctui", env=tuned) > 80
