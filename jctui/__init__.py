"""jctui: a terminal dashboard for the key figures of German Jobcenters."""

from __future__ import annotations

import os

__version__ = "0.1.0"

# Polars' allocator (jemalloc) keeps memory it freed for its background threads to return
# later; returned at once instead, a dashboard holds ~40 MB less (bench/RESULTS.md). Set
# here, before anything imports Polars (jemalloc reads it when it starts), unless the user
# set it; a `serve` session's warm parent inherits it (a forked child has no such threads).
POLARS_ALLOCATOR = ("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
os.environ.setdefault(*POLARS_ALLOCATOR)
