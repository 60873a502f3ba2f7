"""One host, many sessions: `jctui refresh` keeps the shared cache current, and dashboards
with `follow_cache` read it (watching its pointer files) instead of each fetching the API.

A systemd timer or cron runs `jctui refresh` once per interval: each source is fetched once
for the whole host (a conditional request: an unchanged API answers 304), files are read
only when their size or modification time changed, and new data replace the cached copy
atomically. The dashboards map the cached Arrow IPC data (jctui.sources.cache), so they
share its pages instead of holding a copy each.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from jctui.config import Config, SourceDef
from jctui.errors import JctuiError
from jctui.locations import cache_dir
from jctui.session.load import locate, read_fetched, remember
from jctui.sources import fetch_source


@dataclass(frozen=True)
class Refreshed:
    """What `jctui refresh` did with one source."""

    source: str
    outcome: str  # "updated" | "unchanged" | "failed"
    detail: str = ""


def refresh_cache(config: Config) -> list[Refreshed]:
    """Fetch every source once and update the cache where the data changed (the demo data
    is never cached). A failing source is reported and the others still refreshed."""
    done = []
    for src in config.sources:
        if src.demo:
            continue
        try:
            done.append(refresh_url(src, config) if src.is_remote else refresh_file(src, config))
        except JctuiError as exc:
            done.append(Refreshed(src.name, "failed", str(exc)))
    return done


def refresh_url(src: SourceDef, config: Config) -> Refreshed:
    loc = locate(src, config)  # a conditional request; new data are read and cached
    if loc.result is None:
        return Refreshed(src.name, "unchanged", "not modified (304)")
    return Refreshed(src.name, "updated", f"{loc.result.values.height:,} values")


def refresh_file(src: SourceDef, config: Config) -> Refreshed:
    from jctui.sources import cache
    from jctui.sources.file import folder_files, is_folder_source

    folder = cache_dir(config.cache_dir)
    try:  # the files' own validators: size and mtime of the file, or of every file of a folder
        files = folder_files(src) if is_folder_source(src) else [Path(src.path)]
        stats = [(f.name, f.stat()) for f in files]
    except OSError as exc:
        return Refreshed(src.name, "failed", f"{src.path}: {exc.strerror or exc}")
    stamp = "file " + ";".join(f"{n} {st.st_size} {st.st_mtime_ns}" for n, st in stats)
    known = cache.validators(src, folder=folder)
    if known is not None and known.etag == stamp:
        return Refreshed(src.name, "unchanged", "file not modified")
    result = read_fetched(fetch_source(src), src, config)
    remember(src, result, folder, etag=stamp, last_modified="")
    return Refreshed(src.name, "updated", f"{result.values.height:,} values")


def watched_sources(config: Config) -> tuple[SourceDef, ...]:
    """What a dashboard's file watcher watches: the files of its file sources, or with
    `follow_cache` the pointer file of every source in the shared cache (replaced by each
    `jctui refresh` that brings new data)."""
    if not config.refresh.follow_cache:
        return config.sources
    from jctui.sources.cache import source_key

    folder = cache_dir(config.cache_dir)
    return tuple(
        dataclasses.replace(src, path=str(Path(folder) / f"{source_key(src)}.json"), url="")
        for src in config.sources
        if not src.demo
    )
