"""jctui: a terminal dashboard for the key figures of German Jobcenters."""

from __future__ import annotations

import contextlib
import os
import sys

__version__ = "0.1.0"

# Polars' allocator (jemalloc) keeps memory it freed for its background threads to return
# later; returned at once instead, a dashboard holds ~40 MB less (bench/RESULTS.md). Set
# here, before anything imports Polars (jemalloc reads it when it starts), unless the user
# set it; a `serve` session's warm parent inherits it (a forked child has no such threads).
POLARS_ALLOCATOR = ("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
os.environ.setdefault(*POLARS_ALLOCATOR)

# glibc's malloc raises its mmap threshold to the largest block freed (a month's look-ups
# are read as one 4.8 MB text), after which blocks of that size come from the heap and
# stay there when freed: a fixed threshold returns them (a dashboard ~12 MB less). Unless
# the user tuned malloc (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, GLIBC_TUNABLES);
# only on glibc (musl and other C libraries have no mallopt of this meaning).
MALLOC_MMAP_THRESHOLD = 256 * 1024  # bytes; glibc's own starting value is 128 KiB
MALLOC_TUNED = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES")


def _glibc() -> bool:
    with contextlib.suppress(AttributeError, OSError, ValueError):
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    return False


if sys.platform.startswith("linux") and not any(k in os.environ for k in MALLOC_TUNED) and _glibc():
    with contextlib.suppress(ImportError, OSError, AttributeError):  # a Python without ctypes
        import ctypes

        _libc = ctypes.CDLL("libc.so.6")
        _libc.mallopt(-3, MALLOC_MMAP_THRESHOLD)  # M_MMAP_THRESHOLD (fixed: not raised)
        _libc.mallopt(-1, MALLOC_MMAP_THRESHOLD)  # M_TRIM_THRESHOLD: the heap's top returned
