"""File source: read the bytes of a local file with a one-line error when that fails.

A producer that rewrites its export in place (truncate, then write) can be caught halfway;
a file cut at a line end even parses. So a read counts only when the file held still: its
size and modification time are the same before and after the read (and the size is what
was read), and it was last modified at least SETTLE seconds ago. Otherwise the read waits
for the file to settle and tries again; a file that keeps changing for MAX_WAIT seconds is
refused (the last good data stays). A file the producer paused in the middle of writing can
still pass; the refresher's shrink check (jctui.session.refresh) stands behind this one.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from jctui.config import SourceDef
from jctui.errors import SourceError
from jctui.sources import Fetched

SETTLE = 0.1  # seconds a file must be unchanged before it is read
MAX_WAIT = 5.0  # seconds to wait for a file that keeps changing, then refuse the read


def fetch_file(
    src: SourceDef,
    *,
    settle: float = SETTLE,
    max_wait: float = MAX_WAIT,
    clock: Callable[[], float] = time.time,
) -> Fetched:
    path = Path(src.path)
    deadline = time.monotonic() + max_wait
    while True:
        try:
            before = os.stat(path)
            young = settle - (clock() - before.st_mtime)  # > settle: mtime in the future
            if 0 < young <= settle and time.monotonic() + young < deadline:
                time.sleep(young)  # just written: wait for it to settle
                continue
            data = path.read_bytes()
            after = os.stat(path)
        except FileNotFoundError:
            raise SourceError(f"{path}: file not found") from None
        except IsADirectoryError:
            raise SourceError(f"{path}: is a directory, not a data file") from None
        except OSError as exc:
            raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
        held_still = (before.st_size, before.st_mtime_ns, before.st_ino) == (
            after.st_size,
            after.st_mtime_ns,
            after.st_ino,
        ) and (len(data) == after.st_size or not stat.S_ISREG(after.st_mode))
        if held_still:
            break
        if time.monotonic() >= deadline:
            raise SourceError(
                f"{path}: the file kept changing while it was read (still being written?)"
            )
        time.sleep(settle)
    return Fetched(data=data, origin=str(path), format_hint=path.suffix.lower().lstrip("."))
