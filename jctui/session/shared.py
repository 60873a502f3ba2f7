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
import time
from dataclasses import dataclass
from pathlib import Path

from jctui.config import Config, SourceDef
from jctui.errors import JctuiError
from jctui.locations import cache_dir
from jctui.session.load import cached_result, locate, read_fetched, remember
from jctui.session.refresh import QUIET, fetched_digest, shrinkage
from jctui.sources import fetch_source


@dataclass(frozen=True)
class Refreshed:
    """What `jctui refresh` did with one source."""

    source: str
    outcome: str  # "updated" | "unchanged" | "failed"
    detail: str = ""


def refresh_cache(config: Config, *, quiet: float | None = None) -> list[Refreshed]:
    """Fetch every source once and update the cache where the data changed (the demo data
    is never cached). A failing source is reported and the others still refreshed. Two
    refreshes of one cache (a cron job overlapping the last) run one after the other."""
    from jctui.sources.cachelock import REFRESH_LOCK, locked

    with locked(cache_dir(config.cache_dir), REFRESH_LOCK):
        return _refresh_cache(config, quiet=quiet)


def _refresh_cache(config: Config, *, quiet: float | None) -> list[Refreshed]:
    done = []
    for src in config.sources:
        if src.demo:
            continue
        try:
            done.append(
                refresh_url(src, config)
                if src.is_remote
                else refresh_file(src, config, quiet=QUIET if quiet is None else quiet)
            )
        except JctuiError as exc:
            done.append(Refreshed(src.name, "failed", str(exc)))
    if config.sources and not any(r.outcome == "failed" for r in done):
        done.append(refresh_figures(config))
    return done


def refresh_figures(config: Config) -> Refreshed:
    """The figure store of the refreshed data (jctui.session.store): every as-of month,
    computed once per data revision, for every dashboard, `show` and `export` to read."""
    from jctui.session.load import short_reason
    from jctui.session.store_link import store_all

    try:
        months = store_all(config)
    except JctuiError as exc:
        return Refreshed("figure store", "failed", str(exc))
    except Exception as exc:  # a full disk, a folder that cannot be written: one line
        return Refreshed("figure store", "failed", short_reason(exc))
    if not months:
        return Refreshed("figure store", "unchanged")
    return Refreshed("figure store", "updated", f"{months} as-of months")


def refresh_url(src: SourceDef, config: Config) -> Refreshed:
    loc = locate(src, config)  # a conditional request; new data are read and cached
    if loc.result is None:
        return Refreshed(src.name, "unchanged", "not modified (304)")
    detail = f"{loc.result.values.height:,} values"
    if loc.repaired:
        detail += f"; {loc.repaired}: dropped and fetched whole"
    return Refreshed(src.name, "updated", detail)


def file_stamp(src: SourceDef) -> str:
    """A file source's own validators as the shared cache keeps them (its etag): size and
    mtime of the file, or of every file of a folder (OSError: one cannot be read)."""
    from jctui.sources.file import folder_files, is_folder_source

    files = folder_files(src) if is_folder_source(src) else [Path(src.path)]
    stats = [(f.name, f.stat()) for f in files]
    return "file " + ";".join(f"{n} {st.st_size} {st.st_mtime_ns}" for n, st in stats)


def cache_is_of_files(config: Config) -> bool:
    """True when the shared cache holds every file source as its files are now (its etag is
    their stamp: no change since `jctui refresh`, none refused by the shrink rule)."""
    from jctui.sources import cache

    folder = cache_dir(config.cache_dir)
    for src in config.sources:
        if src.demo:
            continue
        known = cache.validators(src, folder=folder)
        if src.is_remote or known is None or known.etag != file_stamp(src):
            return False
    return True


def refresh_file(src: SourceDef, config: Config, *, quiet: float = QUIET) -> Refreshed:
    """Read a file source into the shared cache when its files changed. The rule of every
    path that takes new data: read when held still (jctui.sources.file), whole, and a read
    that shrinks the cached data under 90% is taken only when a second read after `quiet`
    seconds brings the same bytes; else it is refused and the cache keeps the good data. A
    cached copy that cannot be read is dropped and read whole, and said so."""
    from jctui.sources import cache

    folder = cache_dir(config.cache_dir)
    try:
        stamp = file_stamp(src)
    except OSError as exc:
        return Refreshed(src.name, "failed", f"{src.path}: {exc.strerror or exc}")
    repaired = cache.drop_if_broken(src, folder=folder)
    known = cache.validators(src, folder=folder)
    if known is not None and known.etag == stamp:
        return Refreshed(src.name, "unchanged", "file not modified")
    fetched = fetch_source(src)
    result = read_fetched(fetched, src, config)
    detail = f"{result.values.height:,} values"
    last = cache.load(src, folder=folder) if known is not None else None
    if last is not None and (shrunk := shrinkage(cached_result(last), result)):
        time.sleep(quiet)  # a quiet period: a producer still writing changes the bytes
        again = fetch_source(src)
        if fetched_digest(again) == fetched_digest(fetched):
            detail += f"; only {shrunk}, confirmed by a second read after {quiet:g} s"
        else:  # changed: taken only when whole now (the producer finished)
            result = read_fetched(again, src, config)
            if shrinkage(cached_result(last), result):
                return Refreshed(
                    src.name,
                    "failed",
                    f"{fetched.origin}: only {shrunk}, and the file changed again (still"
                    " being written?); the cache keeps the last good data",
                )
            detail = f"{result.values.height:,} values"
    remember(src, result, folder, etag=stamp, last_modified="")
    if repaired:
        detail += f"; {repaired}: dropped and read whole"
    return Refreshed(src.name, "updated", detail)


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
