"""Watching file sources: reload a source when its file changes (inotify via watchfiles).

Never gives up: a folder that is missing (an unmounted share) is waited for, and a folder
that is deleted and made again (a deploy, a remount) is watched anew; either way every
source is reloaded once it is back. Runs in a thread until `stop` is set.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from jctui.config import SourceDef
from jctui.sources.file import is_folder_source, is_pattern

log = logging.getLogger("jctui.watch")

WATCH_RETRY = 5.0  # seconds: how often a missing or replaced folder is looked for
Identity = dict[str, tuple[int, int]]


def folder_identity(folders: Sequence[str]) -> Identity:
    """(device, inode) of each folder that exists: tells a folder made anew from the old one."""
    identity = {}
    for folder in folders:
        try:
            st = os.stat(folder)
        except OSError:
            continue
        identity[folder] = (st.st_dev, st.st_ino)
    return identity


class FileWatcher:
    """Calls `on_change(source names)` when watched files change; debounced."""

    def __init__(
        self,
        sources: Sequence[SourceDef],
        on_change: Callable[[frozenset[str]], None],
        stop: threading.Event,
    ) -> None:
        files = [s for s in sources if s.path and not s.demo and not is_folder_source(s)]
        self.paths = {str(Path(s.path).resolve()): s.name for s in files}
        # folder and glob sources: any file appearing, changing or going in the folder
        # (several folder or glob sources may share a folder: each keeps its name)
        self.folder_sources: dict[str, set[str]] = {}
        for s in sources:
            if s.path and not s.demo and is_folder_source(s):
                where = Path(s.path).parent if is_pattern(s.path) else Path(s.path)
                self.folder_sources.setdefault(str(where.resolve()), set()).add(s.name)
        self.folders = sorted({str(Path(p).parent) for p in self.paths} | set(self.folder_sources))
        self.on_change = on_change
        self.stop = stop

    def run(self) -> None:
        """Watch until `stop` is set (returns at once when there is nothing to watch)."""
        if not self.paths and not self.folder_sources:
            return
        everything = frozenset(self.paths.values()).union(*self.folder_sources.values())
        while not self.stop.is_set():
            identity = folder_identity(self.folders)
            try:
                if identity:
                    self.watch_folders(identity)  # returns when a folder came, went or changed
                    if self.stop.is_set():
                        break
                else:
                    self.stop.wait(WATCH_RETRY)
                    if not folder_identity(self.folders):
                        continue
                self.on_change(everything)
            except Exception as exc:  # watching is a convenience: the refresh timer still runs
                log.warning("watching %s failed (%s); trying again", ", ".join(self.folders), exc)
                self.stop.wait(WATCH_RETRY)

    def watch_folders(self, identity: Identity) -> None:
        """Report the sources whose files change, until a folder comes, goes or is replaced
        (its inode may even be reused) or the watcher stops."""
        import watchfiles

        for changes in watchfiles.watch(
            *identity,
            stop_event=self.stop,
            debounce=800,
            raise_interrupt=False,
            recursive=False,
            yield_on_timeout=True,
            rust_timeout=int(WATCH_RETRY * 1000),
        ):
            gone = any(kind == watchfiles.Change.deleted and p in identity for kind, p in changes)
            if gone or folder_identity(self.folders) != identity:
                return
            resolved = {str(Path(p).resolve()) for _, p in changes}
            changed = frozenset(self.paths[p] for p in resolved if p in self.paths).union(
                *(self.folder_sources.get(str(Path(p).parent), ()) for p in resolved)
            )
            if changed:
                self.on_change(changed)
