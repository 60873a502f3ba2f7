"""Offline cache: the last good data of each source on disk, written atomically.

Per source (keyed by a hash of its name, location and POST form, never a token): an
Arrow IPC file (uncompressed) with the canonical values (registry columns inline) and a
small JSON "pointer" with the fetch time, the HTTP validators and the data file's name.
The data file gets a new name each time and is complete and fsynced before the pointer is
replaced (os.replace), so a kill -9 at any moment leaves the old or the new cache, never a
broken one. A broken cache is ignored with a warning, not fatal.

Arrow IPC, not Parquet, so that the data can be memory-mapped: every dashboard on a host
that reads one shared cache (`cache_dir`, `follow_cache`) maps the same pages of the page
cache instead of holding its own copy (zero-copy through pyarrow when installed, the
`shared` extra; else Polars reads a copy). Files are written 0640 and folders made 0750, so
that a cache shared by a group (setgid folder) is readable by the group and no one else.
Caches written as Parquet by earlier versions are still read.

What a killed or concurrent write leaves behind (a temporary file, a data file no pointer
names) is removed by `tidy`, on start and after each write: only files named as this module
names them, and only when older than ORPHAN_AGE (a younger one may be another process's
write in progress).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import time
import uuid
from pathlib import Path

import polars as pl

from jctui.build import code_revision
from jctui.config import SourceDef
from jctui.locations import cache_dir
from jctui.model import (
    REGISTRY_SCHEMA,
    TARGET_SCHEMA,
    VALUE_SCHEMA,
    empty_targets,
)
from jctui.sources import pointer
from jctui.sources.cache_names import (
    DATA_KINDS,
    DATA_NAME,
    DIR_MODE,
    FILE_MODE,
    ORPHAN_AGE,
    POINTER_NAME,
    READ_TRIES,
    SET_ASIDE,
    TMP_NAME,
    CachedSource,
    Validators,
    read_pointer,
    source_key,
)
from jctui.sources.cachelock import locked
from jctui.sources.pointer import kept_validators

# the cache's names (jctui.sources.cache_names) are used through this module
__all__ = [
    "DIR_MODE", "FILE_MODE", "CachedSource", "Validators", "broken", "data_path", "drop",
    "drop_if_broken", "load", "load_checked", "read_data", "save", "source_key", "tidy",
    "validators",
]  # fmt: skip

log = logging.getLogger("jctui.cache")


def _fsync_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def save(src: SourceDef, values: pl.DataFrame, registry: pl.DataFrame, *, etag: str = "", last_modified: str = "",
         fetched_at: dt.datetime | None = None, folder: Path | None = None,
         rejected: pl.DataFrame | None = None, conflicts: pl.DataFrame | None = None,
         targets: pl.DataFrame | None = None, missing: pl.DataFrame | None = None,
         aggregates: pl.DataFrame | None = None,
         labels: pl.DataFrame | None = None) -> Path:  # fmt: skip
    """Store the last good data of `src` (a targets source: its targets) and the rows its
    reader set aside, under the cache's write lock; returns the pointer file."""
    folder = folder or cache_dir()
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    with locked(folder):
        return _save(src, values, registry, folder, etag=etag, last_modified=last_modified,
                     fetched_at=fetched_at, rejected=rejected, conflicts=conflicts,
                     targets=targets, missing=missing, aggregates=aggregates,
                     labels=labels)  # fmt: skip


def _save(src: SourceDef, values: pl.DataFrame, registry: pl.DataFrame, folder: Path, *,
          etag: str, last_modified: str, fetched_at: dt.datetime | None,
          rejected: pl.DataFrame | None, conflicts: pl.DataFrame | None,
          targets: pl.DataFrame | None, missing: pl.DataFrame | None,
          aggregates: pl.DataFrame | None, labels: pl.DataFrame | None) -> Path:  # fmt: skip
    key = source_key(src)
    pointer = folder / f"{key}.json"
    try:
        old = read_pointer(pointer)
    except (OSError, ValueError):  # a broken pointer is replaced
        old = None
    stem = f"{key}-{uuid.uuid4().hex[:12]}"
    data_name = f"{stem}.arrow"
    if src.role == "targets":
        frame = targets if targets is not None else empty_targets()
    elif values.is_empty():  # a registry source: its rows, with empty value columns
        frame = pl.concat([values, registry], how="diagonal")
    elif registry.height:
        frame = values.join(registry, on="jobcenter_id", how="left")
    else:
        frame = values
    _write(folder, data_name, frame)
    extras: dict[str, str] = {}
    set_aside = {"rejected": rejected, "conflicts": conflicts, "missing": missing,
                 "aggregates": aggregates, "labels": labels}  # fmt: skip
    for kind, frame_ in set_aside.items():
        if frame_ is not None and frame_.height:
            extras[kind] = f"{stem}.{kind}.parquet"
            _write(folder, extras[kind], frame_)
    meta = {
        "source": src.name,
        "location_key": key,
        "data": data_name,
        **extras,
        "fetched_at": (fetched_at or dt.datetime.now(dt.UTC)).isoformat(),
        "etag": etag,
        "last_modified": last_modified,
        "build": code_revision(),  # validators of another build are not sent (pointer)
    }
    tmp_pointer = folder / f".{key}.{uuid.uuid4().hex[:8]}.json.tmp"
    _fsync_write(tmp_pointer, json.dumps(meta).encode())
    os.chmod(tmp_pointer, FILE_MODE)
    os.replace(tmp_pointer, pointer)
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        os.fsync(dir_fd)
        os.close(dir_fd)
    if old and old.get("data") and old["data"] != data_name:
        for kind in DATA_KINDS:
            if old.get(kind):
                with contextlib.suppress(OSError):
                    (folder / old[kind]).unlink()
    tidy(folder)
    return pointer


def tidy(folder: Path | None = None, *, now: float | None = None) -> int:
    """Remove the leftovers of killed or concurrent writes: our temporary files, and our data
    files that no pointer names, older than ORPHAN_AGE. Returns how many were removed."""
    folder = folder or cache_dir()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    named: set[str] = set()
    for entry in entries:
        if POINTER_NAME.fullmatch(entry.name):
            with contextlib.suppress(OSError, ValueError):
                meta = read_pointer(Path(entry.path))
                named.update(
                    meta[kind] for kind in DATA_KINDS if meta and isinstance(meta.get(kind), str)
                )
    now = time.time() if now is None else now
    removed = 0
    for entry in entries:
        orphan = DATA_NAME.fullmatch(entry.name) and entry.name not in named
        if not (orphan or TMP_NAME.fullmatch(entry.name)):
            continue
        with contextlib.suppress(OSError):
            if now - entry.stat(follow_symlinks=False).st_mtime >= ORPHAN_AGE:
                os.unlink(entry.path)
                removed += 1
    return removed


def _write(folder: Path, name: str, frame: pl.DataFrame) -> None:
    """`frame` as folder/name (Arrow IPC for .arrow, else Parquet), complete, fsynced and
    group-readable before it gets its name."""
    tmp = folder / f".{name}.tmp"
    if name.endswith(".arrow"):
        frame.write_ipc(tmp, compression="uncompressed")
    else:
        frame.write_parquet(tmp)
    os.chmod(tmp, FILE_MODE)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, folder / name)


def read_data(path: Path) -> pl.DataFrame:
    """A cache data file: Arrow IPC memory-mapped (shared with every process that maps it;
    zero-copy through pyarrow when installed), Parquet from earlier versions read."""
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    try:
        import pyarrow as pa
        import pyarrow.ipc as ipc
    except ImportError:
        return pl.read_ipc(path)
    table = ipc.open_file(pa.memory_map(str(path), "r")).read_all()
    frame = pl.from_arrow(table, rechunk=False)
    assert isinstance(frame, pl.DataFrame)
    return frame


def validators(src: SourceDef, *, folder: Path | None = None) -> Validators | None:
    """ETag, Last-Modified and fetch time of the cached data of `src` (jctui.sources.pointer)."""
    return pointer.validators(src, folder=folder)


def broken(src: SourceDef, *, folder: Path | None = None) -> str:
    """Why the cached copy of `src` cannot be read ("" when it is intact or there is none):
    its pointer, and every data file it names, opened as far as their schema (a truncated
    or garbage Arrow file has no footer). Cheap: no data is read."""
    folder = folder or cache_dir()
    try:
        meta = read_pointer(folder / f"{source_key(src)}.json")
        if meta is None:
            return ""
        for kind in DATA_KINDS:
            if meta.get(kind):
                path = folder / meta[kind]
                if path.suffix == ".arrow":
                    pl.read_ipc_schema(path)
                else:
                    pl.read_parquet_schema(path)
        dt.datetime.fromisoformat(meta["fetched_at"])
    except Exception as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f"offline cache of source {src.name!r} is broken ({reason or type(exc).__name__})"
    return ""


def drop_if_broken(src: SourceDef, *, folder: Path | None = None) -> str:
    """Why the cached copy of `src` was broken, after dropping it ("" when it is intact):
    checked and dropped under the write lock, so a copy another process is saving is never
    taken for broken and dropped."""
    folder = folder or cache_dir()
    if not (folder / f"{source_key(src)}.json").exists():
        return ""
    with locked(folder):
        reason = broken(src, folder=folder)
        if reason:
            drop(src, folder=folder)
    return reason


def drop(src: SourceDef, *, folder: Path | None = None) -> None:
    """Forget the cached copy of `src` (its pointer and the data files it names): the next
    fetch is unconditional (no validators) and brings the data whole."""
    folder = folder or cache_dir()
    pointer = folder / f"{source_key(src)}.json"
    try:
        meta = read_pointer(pointer) or {}
    except (OSError, ValueError):
        meta = {}
    with contextlib.suppress(OSError):
        pointer.unlink()
    for kind in DATA_KINDS:
        name = meta.get(kind)
        if isinstance(name, str) and DATA_NAME.fullmatch(name):
            with contextlib.suppress(OSError):
                (folder / name).unlink()


def data_path(src: SourceDef, *, folder: Path | None = None) -> Path | None:
    """The cached data file of `src`, for a lazy scan (jctui.sources.pointer)."""
    return pointer.data_path(src, folder=folder)


def load(src: SourceDef, *, folder: Path | None = None) -> CachedSource | None:
    """The cached data of `src`, or None (missing or broken: a warning, never an error)."""
    cached, problem = load_checked(src, folder=folder)
    if problem:
        log.warning("%s; ignored", problem)
    return cached


def load_checked(src: SourceDef, *, folder: Path | None = None) -> tuple[CachedSource | None, str]:
    """(the cached data of `src` or None, why it could not be used: "" when there is none).
    A data file removed between reading the pointer and opening it (a writer replaced the
    copy meanwhile) is no broken cache: the new pointer is read again."""
    folder = folder or cache_dir()
    for _ in range(READ_TRIES - 1):
        try:
            return _load_checked(src, folder)
        except FileNotFoundError:
            continue
    try:
        return _load_checked(src, folder)
    except FileNotFoundError as exc:
        return None, f"offline cache of source {src.name!r} is broken ({exc.strerror})"


def _load_checked(src: SourceDef, folder: Path) -> tuple[CachedSource | None, str]:
    """load_checked once; FileNotFoundError when a data file it names is gone."""
    try:
        meta = read_pointer(folder / f"{source_key(src)}.json")
        if meta is None:
            return None, ""
        frame = read_data(folder / meta["data"])
        if src.role == "targets":
            targets = frame.select([pl.col(c).cast(t) for c, t in TARGET_SCHEMA.items()])
            fetched_at = dt.datetime.fromisoformat(meta["fetched_at"])
            return CachedSource(
                pl.DataFrame(schema=VALUE_SCHEMA), pl.DataFrame(schema=REGISTRY_SCHEMA),
                fetched_at, *kept_validators(meta), targets=targets,
            ), ""  # fmt: skip
        values = frame.select([pl.col(c).cast(t) for c, t in VALUE_SCHEMA.items()])
        if values.get_column("metric").null_count():  # a registry source's rows
            values = values.filter(pl.col("metric").is_not_null())
        registry = pl.DataFrame(schema=REGISTRY_SCHEMA)
        if "name" in frame.columns:
            registry = (
                frame.select([pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c) for c, t in REGISTRY_SCHEMA.items()])
                .unique(subset=["jobcenter_id"], keep="first", maintain_order=True)
            )  # fmt: skip
        fetched_at = dt.datetime.fromisoformat(meta["fetched_at"])
        set_aside = {
            kind: pl.read_parquet(folder / meta[kind]).cast(pl.Schema(schema))
            if meta.get(kind)
            else pl.DataFrame(schema=schema)
            for kind, schema in SET_ASIDE.items()
        }
    except FileNotFoundError:
        raise  # replaced meanwhile: read the pointer again (load_checked)
    except Exception as exc:  # a broken cache must never stop the app
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return (
            None,
            f"offline cache of source {src.name!r} is broken ({reason or type(exc).__name__})",
        )
    cached = CachedSource(
        values,
        registry,
        fetched_at,
        *kept_validators(meta),
        set_aside["rejected"],
        set_aside["conflicts"],
        missing=set_aside["missing"],
        aggregates=set_aside["aggregates"],
        labels=set_aside["labels"],
    )
    return cached, ""
