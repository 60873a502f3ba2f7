"""The locks of a (shared) offline cache: one writer at a time, readers never wait.

A writer of the cache (a save, or the check that drops a broken copy) holds `.write.lock`
of its folder, so a check never reads a pointer that another process is replacing and then
drops that process's fresh copy as "broken". `jctui refresh` holds `.refresh.lock` for its
whole run: two started at once (a cron job that overlaps the last one) run one after the
other, and the second finds the data the first stored. Readers take no lock: the pointer is
replaced atomically and a data file is never changed once named (jctui.sources.cache).
`flock` works on a descriptor opened read-only, so a member of the cache's group who may
not create the lock file still takes it; one who cannot open it at all (a folder they may
not write, so not change either) and a system without `fcntl` take none.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

WRITE_LOCK = ".write.lock"
REFRESH_LOCK = ".refresh.lock"
LOCK_MODE = 0o640  # as every file of the cache: the group opens it read-only to take it


@contextlib.contextmanager
def locked(folder: Path, name: str = WRITE_LOCK) -> Iterator[None]:
    """Hold the lock `name` of the cache folder (waiting for another holder)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    path = folder / name
    flags = os.O_CLOEXEC | os.O_NOFOLLOW
    try:
        folder.mkdir(mode=0o750, parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | flags, LOCK_MODE)
    except OSError:
        try:
            fd = os.open(path, os.O_RDONLY | flags)
        except OSError:  # a folder we may not write (nor then change): no lock to take
            yield
            return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
