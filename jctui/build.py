"""The revision of jctui's own code: what a stored figure and a kept answer were made by.

The version alone stays the same from commit to commit of a checkout (an editable install,
a `git pull`), so a reader or a rule fixed since would go on showing what the old code
stored. The modules' names, sizes and modification times change with every install and
every edit; stdlib only, so a kept answer is checked before anything heavy is imported."""

from __future__ import annotations

import functools
import hashlib
import os

from jctui import __version__


@functools.cache
def code_revision() -> str:
    """The version and a digest of every module of the installed package (~5 ms)."""
    return tree_revision(os.path.dirname(os.path.abspath(__file__)))


def tree_revision(root: str) -> str:
    """The version and a digest of the names, sizes and times of the modules under root."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=12)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(f for f in files if f.endswith(".py")):
            st = os.stat(os.path.join(folder, name))
            where = os.path.relpath(os.path.join(folder, name), root)
            digest.update(f"{where} {st.st_size} {st.st_mtime_ns}\0".encode())
    return f"{__version__}+{digest.hexdigest()}"
