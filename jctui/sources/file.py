"""File source: read the bytes of a local file, or of every data file of a folder or glob
(monthly downloads), with a one-line error when that fails.

A producer that rewrites its export in place (truncate, then write) can be caught halfway;
a file cut at a line end even parses. So a read counts only when the file held still: its
size and modification time are the same before and after the read (and the size is what
was read), and it was last modified at least SETTLE seconds ago. Otherwise the read waits
for the file to settle and tries again; a file that keeps changing for MAX_WAIT seconds is
refused (the last good data stays). A file the producer paused in the middle of writing can
still pass; the refresher's shrink check (jctui.session.refresh) stands behind this one.
"""

from __future__ import annotations

import errno
import glob
import itertools
import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path

from jctui import formats
from jctui.config import SourceDef
from jctui.config.limits import LIMITS, LimitsDef
from jctui.errors import SourceError
from jctui.sources import Fetched

SETTLE = 0.1  # seconds a file must be unchanged before it is read
MAX_WAIT = 5.0  # seconds to wait for a file that keeps changing, then refuse the read


# what a folder of downloads may hold besides the files of a declared format (jctui.formats):
# text exports and ZIPs (a GENESIS download); anything else (notes, Excel lock files) is skipped
OTHER_DATA_SUFFIXES = frozenset({".txt", ".zip"})
_MONTH_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(?!\d)")


class FileGone(SourceError):
    """A file that is not there (any more): a folder scan lists the folder again."""


def is_pattern(path: str) -> bool:
    """True for a glob pattern ("downloads/kennzahlen-*.csv")."""
    return any(ch in path for ch in "*?[")


def is_folder_source(src: SourceDef) -> bool:
    """True for a source whose path is a folder or a glob of files."""
    return bool(src.path) and (is_pattern(src.path) or Path(src.path).is_dir())


def publication_order(path: Path) -> tuple[str, float, str]:
    """Sort key: the report month in the file name (YYYYMM), then the modification time, so
    that a newer publication of a month comes after (and replaces) the older."""
    months = _MONTH_IN_NAME.findall(path.name)
    month = "".join(months[-1]) if months else ""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    return month, mtime, path.name


def folder_root(src: SourceDef) -> Path:
    """The folder a folder or glob source may read from, its links resolved: the folder
    itself, or the folder part of a glob before its first pattern ("downloads/*/x.csv" ->
    downloads)."""
    if not is_pattern(src.path):
        return Path(src.path).resolve()
    fixed: list[str] = []
    for part in Path(src.path).parts:
        if is_pattern(part):
            break
        fixed.append(part)
    return Path(*fixed).resolve() if fixed else Path.cwd().resolve()


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, every link resolved, is `root` or lies under it."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def folder_files(src: SourceDef) -> list[Path]:
    """The data files of a folder or glob source, oldest publication first. A link that leads
    out of the folder is not a file of it (a link to ~/.env would otherwise be read, and its
    first line quoted in an error); a link to another file in the folder is."""
    root = folder_root(src)
    if is_pattern(src.path):
        candidates = [Path(p) for p in glob.glob(src.path)]
    else:
        candidates = list(Path(src.path).iterdir())
    suffixes = formats.extensions() | OTHER_DATA_SUFFIXES
    files = [
        p
        for p in candidates
        if p.is_file()
        and p.suffix.lower() in suffixes
        and not p.name.startswith((".", "~$"))
        and inside(p, root)
    ]
    return sorted(files, key=publication_order)


def special_kind(mode: int) -> str:
    """What a file that is no regular file is (a FIFO, a device, a socket)."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a directory" if stat.S_ISDIR(mode) else "a special file"


def read_regular(path: Path, *, nofollow: bool = False) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its status after the read; opened without blocking
    (a FIFO put in its place after the check never hangs the read) and refused unless the
    opened file is a regular one (a device such as /dev/zero never fills the memory); with
    `nofollow`, refusing (ELOOP) a link at the path's last step."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | (os.O_NOFOLLOW if nofollow else 0))
    with os.fdopen(fd, "rb") as fh:
        opened = os.fstat(fh.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise SourceError(f"{path}: {special_kind(opened.st_mode)}, not a regular file")
        data = fh.read(opened.st_size + 1)
    return data, os.stat(path)


def fetch_file(
    src: SourceDef,
    *,
    settle: float = SETTLE,
    max_wait: float = MAX_WAIT,
    clock: Callable[[], float] = time.time,
) -> Fetched:
    if is_folder_source(src):
        return fetch_folder(src, settle=settle, max_wait=max_wait, clock=clock)
    return fetch_one(
        Path(src.path),
        settle=settle,
        max_wait=max_wait,
        clock=clock,
        limits=src.limits,
    )


def folder_stamp(src: SourceDef) -> tuple[int, int, int]:
    """The stamp of the folder a folder or glob source lists (of a glob: its folder before
    the first pattern): an entry renamed, added or removed in it changes the stamp."""
    folder = Path(src.path)
    if is_pattern(src.path):
        fixed = list(itertools.takewhile(lambda p: not is_pattern(p), folder.parent.parts))
        folder = Path(*fixed) if fixed else Path(".")
    try:
        st = os.stat(folder)
    except OSError:
        return (0, 0, 0)
    return (st.st_ino, st.st_mtime_ns, st.st_ctime_ns)


def fetch_folder(
    src: SourceDef,
    *,
    settle: float = SETTLE,
    max_wait: float = MAX_WAIT,
    clock: Callable[[], float] = time.time,
) -> Fetched:
    """Every data file of the folder (or glob) as one part each, each read when it held
    still. The folder is listed again after the reads: a file renamed, added or removed
    meanwhile (a listing can miss a file renamed while it is made) means another pass, so
    no file is ever dropped unseen; a folder that keeps changing for `max_wait` is refused."""
    deadline = time.monotonic() + max_wait
    root = folder_root(src)
    while True:
        stamp = folder_stamp(src)
        files = folder_files(src)
        if not files:
            raise SourceError(
                f"{src.path}: no data files in this folder (csv, xlsx, json, parquet, zip)"
            )
        most = src.limits.folder_files
        if len(files) > most:
            raise SourceError(
                f"{src.path}: {len(files):,} data files, over the limit of {most:,} files"
                f" ({src.limits.key('folder_files')})"
            )
        try:
            parts = tuple(
                fetch_one(
                    p,
                    settle=settle,
                    max_wait=max_wait,
                    clock=clock,
                    within=root,
                    limits=src.limits,
                )
                for p in files
            )
        except FileGone:
            pass  # a file went away between the listing and its read: list again
        else:
            if folder_files(src) == files and folder_stamp(src) == stamp:
                return Fetched(data=b"", origin=src.path, parts=parts)
        if time.monotonic() >= deadline:
            raise SourceError(
                f"{src.path}: files kept being renamed, added or removed while the folder was read"
            )
        time.sleep(settle)


def fetch_one(
    path: Path,
    *,
    settle: float = SETTLE,
    max_wait: float = MAX_WAIT,
    clock: Callable[[], float] = time.time,
    within: Path | None = None,
    limits: LimitsDef = LIMITS,
) -> Fetched:
    """One file's bytes, once it held still while it was read. `within`: the folder the file
    must lie in, links resolved (a file swapped for a link out of it after the listing is
    refused, and read without following a link at its last step). A file larger than
    `limits.file_bytes` is refused before it is read (a sparse file of 100 GB costs nothing)."""
    deadline = time.monotonic() + max_wait
    while True:
        try:
            target = path
            if within is not None:
                target = path.resolve()
                if not target.is_relative_to(within):
                    raise SourceError(f"{path}: a link out of the folder {within}; not read")
            before = os.stat(target)
            young = settle - (clock() - before.st_mtime)  # > settle: mtime in the future
            if 0 < young <= settle and time.monotonic() + young < deadline:
                time.sleep(young)  # just written: wait for it to settle
                continue
            if stat.S_ISDIR(before.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(before.st_mode):
                raise SourceError(f"{path}: {special_kind(before.st_mode)}, not a regular file")
            if before.st_size > limits.file_bytes:
                raise SourceError(
                    f"{path}: {before.st_size:,} bytes, over the limit of "
                    f"{limits.file_bytes:,} bytes ({limits.key('file_bytes')})"
                )
            data, after = read_regular(target, nofollow=within is not None)
        except FileNotFoundError:
            raise FileGone(f"{path}: file not found") from None
        except IsADirectoryError:
            raise SourceError(f"{path}: is a directory, not a data file") from None
        except RuntimeError:  # Path.resolve of a link loop
            raise SourceError(f"{path}: a loop of links; not read") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link swapped in
                raise SourceError(f"{path}: became a link while it was read; not read") from None
            raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
        held_still = (before.st_size, before.st_mtime_ns, before.st_ino) == (
            after.st_size,
            after.st_mtime_ns,
            after.st_ino,
        ) and len(data) == after.st_size
        if held_still:
            break
        if time.monotonic() >= deadline:
            raise SourceError(
                f"{path}: the file kept changing while it was read (still being written?)"
            )
        time.sleep(settle)
    return Fetched(data=data, origin=str(path), format_hint=path.suffix.lower().lstrip("."))
