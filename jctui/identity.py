"""What tells that a file changed: one rule for the figure store, the offline cache's pointer
and the kept answers of `show` (stdlib only: a kept answer is checked before anything heavy
is imported)."""

from __future__ import annotations

from pathlib import Path


def file_identity(path: Path) -> str:
    """A file's path, device, inode, size, modification and change time: every write changes
    the change time, which no user can set back."""
    st = path.stat()
    return (
        f"{path.resolve()} {st.st_dev} {st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"
    )
