"""Offline cache: the last good data of each source on disk, written atomically.

Per source (keyed by a hash of its name and location, never a token): a Parquet file with
the canonical values (registry columns inline) and a small JSON "pointer" with the fetch time,
the HTTP validators and the Parquet file's name. The Parquet file gets a new name each time
and is complete and fsynced before the pointer is replaced (os.replace), so a kill -9 at any
moment leaves the old or the new cache, never a broken one. A broken cache is ignored with a
warning, not fatal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from jctui.config import SourceDef
from jctui.locations import cache_dir
from jctui.model import REGISTRY_SCHEMA, TARGET_SCHEMA, VALUE_SCHEMA, empty_targets

log = logging.getLogger("jctui.cache")


@dataclass(frozen=True)
class CachedSource:
    values: pl.DataFrame
    registry: pl.DataFrame
    fetched_at: dt.datetime
    etag: str = ""
    last_modified: str = ""
    targets: pl.DataFrame = field(default_factory=empty_targets)


def source_key(src: SourceDef) -> str:
    return hashlib.sha256(f"{src.name}\0{src.location}".encode()).hexdigest()[:20]


def _fsync_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def save(src: SourceDef, values: pl.DataFrame, registry: pl.DataFrame, *, etag: str = "", last_modified: str = "",
         fetched_at: dt.datetime | None = None, folder: Path | None = None,
         targets: pl.DataFrame | None = None) -> Path:  # fmt: skip
    """Store the last good data of `src` (a targets source: its targets); returns the pointer file."""
    folder = folder or cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key = source_key(src)
    pointer = folder / f"{key}.json"
    old = _read_pointer(pointer)
    data_name = f"{key}-{uuid.uuid4().hex[:12]}.parquet"
    data_path = folder / data_name
    tmp = folder / f".{data_name}.tmp"
    frame = values.join(registry, on="jobcenter_id", how="left") if registry.height else values
    if src.role == "targets":
        frame = targets if targets is not None else empty_targets()
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
    return pointer


def _read_pointer(pointer: Path) -> dict[str, str] | None:
    try:
        meta = json.loads(pointer.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("offline cache %s is broken (%s); ignored", pointer, exc)
        return None
    return meta if isinstance(meta, dict) else None


def load(src: SourceDef, *, folder: Path | None = None) -> CachedSource | None:
    """The cached data of `src`, or None (missing or broken: a warning, never an error)."""
    folder = folder or cache_dir()
    meta = _read_pointer(folder / f"{source_key(src)}.json")
    if meta is None:
        return None
    try:
        frame = pl.read_parquet(folder / meta["data"])
        if src.role == "targets":
            targets = frame.select([pl.col(c).cast(t) for c, t in TARGET_SCHEMA.items()])
            fetched_at = dt.datetime.fromisoformat(meta["fetched_at"])
            return CachedSource(
                pl.DataFrame(schema=VALUE_SCHEMA), pl.DataFrame(schema=REGISTRY_SCHEMA),
                fetched_at, meta.get("etag", ""), meta.get("last_modified", ""), targets,
            )  # fmt: skip
        values = frame.select([pl.col(c).cast(t) for c, t in VALUE_SCHEMA.items()])
        registry = pl.DataFrame(schema=REGISTRY_SCHEMA)
        if "name" in frame.columns:
            registry = (
                frame.select([pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c) for c, t in REGISTRY_SCHEMA.items()])
                .unique(subset=["jobcenter_id"], keep="first", maintain_order=True)
            )  # fmt: skip
        fetched_at = dt.datetime.fromisoformat(meta["fetched_at"])
    except Exception as exc:  # a broken cache must never stop the app
        log.warning("offline cache of source %s is broken (%s); ignored", src.name, exc)
        return None
    return CachedSource(
        values, registry, fetched_at, meta.get("etag", ""), meta.get("last_modified", "")
    )
