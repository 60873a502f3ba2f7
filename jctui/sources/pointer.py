"""The offline cache's pointer of one source, read without Polars: its name, the validators
the next conditional request sends, the data file it names and the cached revision (what a
store and a kept answer of a URL source are keyed by). The cache itself is
jctui.sources.cache; this part is stdlib only, so a repeated `show` of a URL source can ask
its server before anything heavy is imported."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from jctui.build import code_revision
from jctui.config import SourceDef
from jctui.identity import file_identity
from jctui.locations import cache_dir


@dataclass(frozen=True)
class Validators:
    """What the next conditional request of a cached source sends (from the pointer alone)."""

    etag: str
    last_modified: str
    fetched_at: dt.datetime
    # conflicts, signs or aggregates were set aside with the data: a lookup that scans only
    # the values would miss them, it needs the whole copy
    set_aside: bool


def source_key(src: SourceDef) -> str:
    """The name of a source's cache files: its name and location, and the form of a POST
    (another GENESIS table at the same URL is another cache)."""
    where = f"{src.name}\0{src.location}"
    if src.http.form:
        where += "\0" + json.dumps(src.http.form, sort_keys=True)
    return hashlib.sha256(where.encode()).hexdigest()[:20]


def read_pointer(pointer: Path) -> dict[str, str] | None:
    """The pointer's content; None when there is none; ValueError/OSError when it is broken."""
    try:
        meta = json.loads(pointer.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if not isinstance(meta, dict):
        raise ValueError("the pointer is not a JSON object")
    return meta


def kept_validators(meta: dict[str, str]) -> tuple[str, str]:
    """The ETag and Last-Modified a pointer keeps, when this code wrote it; else none: data
    another revision of jctui's readers parsed are fetched (and parsed) again rather than
    confirmed by a 304, and are still there meanwhile (offline, a failed fetch)."""
    if meta.get("build") != code_revision():
        return "", ""
    return meta.get("etag", ""), meta.get("last_modified", "")


def validators(src: SourceDef, *, folder: Path | None = None) -> Validators | None:
    """ETag, Last-Modified and fetch time of the cached data of `src`, from its pointer
    alone (a few hundred bytes); None when there is no usable cache."""
    try:
        meta = read_pointer((folder or cache_dir()) / f"{source_key(src)}.json")
    except (OSError, ValueError):  # broken: `cache.load_checked` says why
        return None
    if meta is None or not meta.get("data"):
        return None
    try:
        fetched_at = dt.datetime.fromisoformat(meta["fetched_at"])
    except (KeyError, TypeError, ValueError):
        return None
    return Validators(
        *kept_validators(meta),
        fetched_at,
        any(meta.get(kind) for kind in ("conflicts", "missing", "aggregates", "labels")),
    )


def data_path(src: SourceDef, *, folder: Path | None = None) -> Path | None:
    """The cached data file of `src` (Arrow IPC, canonical long layout with the registry
    inline; Parquet from earlier versions), for a lazy scan; None when there is none."""
    folder = folder or cache_dir()
    try:
        meta = read_pointer(folder / f"{source_key(src)}.json")
    except (OSError, ValueError):  # broken: `cache.load_checked` says why
        return None
    if meta is None or not meta.get("data"):
        return None
    path = folder / meta["data"]
    return path if path.is_file() else None


def cached_revision(src: SourceDef, *, folder: Path | None = None) -> str | None:
    """The revision of the cached data of `src`: its validators and fetch time (a 304 keeps
    them, new data replace them) and the data file's identity; None without a cache."""
    known = validators(src, folder=folder)
    path = data_path(src, folder=folder)
    if known is None or path is None:
        return None
    try:
        identity = file_identity(path)
    except OSError:
        return None
    return f"{known.etag}\0{known.last_modified}\0{known.fetched_at.isoformat()}\0{identity}"
