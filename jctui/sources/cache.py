"""Offline cache: the last good data of each source on disk, written atomically.

Per source (keyed by a hash of its name and location, never a token): a Parquet file with
the canonical values (registry columns inline) and a small JSON "pointer" with the fetch time,
the HTTP validators and the Parquet file's name. The Parquet file gets a new name each time
and is complete and fsynced before the pointer is replaced (os.replace), so a kill -9 at any
moment leaves the old or the new cache, never a broken one. A broken cache is ignored with a
warning, not fatal.

What a killed or concurrent write leaves behind (a temporary file, a data file no pointer
names) is removed by `tidy`, on start and after each write: only files named as this module
names them, and only when older than ORPHAN_AGE (a younger one may be another process's
write in progress).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from jctui.config import SourceDef
from jctui.locations import cache_dir
from jctui.model import REGISTRY_SCHEMA, VALUE_SCHEMA

log = logging.getLogger("jctui.cache")

ORPHAN_AGE = 60.0  # seconds
_POINTER_NAME = re.compile(r"[0-9a-f]{20}\.json")
_DATA_NAME = re.compile(r"[0-9a-f]{20}-[0-9a-f]{12}\.parquet")
_TMP_NAME = re.compile(r"\.[0-9a-f]{20}(-[0-9a-f]{12}\.parquet|\.[0-9a-f]{8}\.json)\.tmp")


@dataclass(frozen=True)
class CachedSource:
    values: pl.DataFrame
    registry: pl.DataFrame
    fetched_at: dt.datetime
    etag: str = ""
    last_modified: str = ""


def source_key(src: SourceDef) -> str:
    return hashlib.sha256(f"{src.name}\0{src.location}".encode()).hexdigest()[:20]


def _fsync_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def save(src: SourceDef, values: pl.DataFrame, registry: pl.DataFrame, *, etag: str = "", last_modified: str = "",
         fetched_at: dt.datetime | None = None, folder: Path | None = None) -> Path:  # fmt: skip
    """Store the last good data of `src`; returns the pointer file."""
    folder = folder or cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key = source_key(src)
    pointer = folder / f"{key}.json"
    old = _read_pointer(pointer)
    data_name = f"{key}-{uuid.uuid4().hex[:12]}.parquet"
    data_path = folder / data_name
    tmp = folder / f".{data_name}.tmp"
    frame = values.join(registry, on="jobcenter_id", how="left") if registry.height else values
    frame.write_parquet(tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, data_path)
    meta = {
        "source": src.name,
        "location_key": key,
        "data": data_name,
        "fetched_at": (fetched_at or dt.datetime.now(dt.UTC)).isoformat(),
        "etag": etag,
        "last_modified": last_modified,
    }
    tmp_pointer = folder / f".{key}.{uuid.uuid4().hex[:8]}.json.tmp"
    _fsync_write(tmp_pointer, json.dumps(meta).encode())
    os.replace(tmp_pointer, pointer)
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        os.fsync(dir_fd)
        os.close(dir_fd)
    if old and old.get("data") and old["data"] != data_name:
        with contextlib.suppress(OSError):
            (folder / old["data"]).unlink()
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
        if _POINTER_NAME.fullmatch(entry.name):
            with contextlib.suppress(OSError, ValueError):
                meta = _read_pointer(Path(entry.path))
                if meta and isinstance(meta.get("data"), str):
                    named.add(meta["data"])
    now = time.time() if now is None else now
    removed = 0
    for entry in entries:
        orphan = _DATA_NAME.fullmatch(entry.name) and entry.name not in named
        if not (orphan or _TMP_NAME.fullmatch(entry.name)):
            continue
        with contextlib.suppress(OSError):
            if now - entry.stat(follow_symlinks=False).st_mtime >= ORPHAN_AGE:
                os.unlink(entry.path)
                removed += 1
    return removed


def _read_pointer(pointer: Path) -> dict[str, str] | None:
    """The pointer's content; None when there is none; ValueError/OSError when it is broken."""
    try:
        meta = json.loads(pointer.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if not isinstance(meta, dict):
        raise ValueError("the pointer is not a JSON object")
    return meta


def load(src: SourceDef, *, folder: Path | None = None) -> CachedSource | None:
    """The cached data of `src`, or None (missing or broken: a warning, never an error)."""
    cached, problem = load_checked(src, folder=folder)
    if problem:
        log.warning("%s; ignored", problem)
    return cached


def load_checked(src: SourceDef, *, folder: Path | None = None) -> tuple[CachedSource | None, str]:
    """(the cached data of `src` or None, why it could not be used: "" when there is none)."""
    folder = folder or cache_dir()
    try:
        meta = _read_pointer(folder / f"{source_key(src)}.json")
        if meta is None:
            return None, ""
        frame = pl.read_parquet(folder / meta["data"])
        values = frame.select([pl.col(c).cast(t) for c, t in VALUE_SCHEMA.items()])
        registry = pl.DataFrame(schema=REGISTRY_SCHEMA)
        if "name" in frame.columns:
            registry = (
                frame.select([pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c) for c, t in REGISTRY_SCHEMA.items()])
                .unique(subset=["jobcenter_id"], keep="first", maintain_order=True)
            )  # fmt: skip
        fetched_at = dt.datetime.fromisoformat(meta["fetched_at"])
    except Exception as exc:  # a broken cache must never stop the app
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return (
            None,
            f"offline cache of source {src.name!r} is broken ({reason or type(exc).__name__})",
        )
    return CachedSource(
        values, registry, fetched_at, meta.get("etag", ""), meta.get("last_modified", "")
    ), ""
