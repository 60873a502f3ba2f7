"""File source: read the bytes of a local file, or of every data file of a folder or glob
(monthly downloads), with a one-line error when that fails."""

from __future__ import annotations

import glob
import re
from pathlib import Path

from jctui.config import SourceDef
from jctui.errors import SourceError
from jctui.sources import Fetched

# what a folder of downloads may hold besides data files is skipped: notes, Excel lock files
DATA_SUFFIXES = frozenset(
    {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".json", ".ndjson", ".jsonl", ".parquet", ".zip"}
)
_MONTH_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(?!\d)")


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


def folder_files(src: SourceDef) -> list[Path]:
    """The data files of a folder or glob source, oldest publication first."""
    if is_pattern(src.path):
        candidates = [Path(p) for p in glob.glob(src.path)]
    else:
        candidates = list(Path(src.path).iterdir())
    files = [
        p
        for p in candidates
        if p.is_file() and p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith((".", "~$"))
    ]
    return sorted(files, key=publication_order)


def fetch_file(src: SourceDef) -> Fetched:
    if is_folder_source(src):
        return fetch_folder(src)
    return _fetch_one(Path(src.path))


def fetch_folder(src: SourceDef) -> Fetched:
    """Every data file of the folder (or glob) as one part each."""
    files = folder_files(src)
    if not files:
        raise SourceError(
            f"{src.path}: no data files in this folder (csv, xlsx, json, parquet, zip)"
        )
    parts = tuple(_fetch_one(p) for p in files)
    return Fetched(data=b"", origin=src.path, parts=parts)


def _fetch_one(path: Path) -> Fetched:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory, not a data file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return Fetched(data=data, origin=str(path), format_hint=path.suffix.lower().lstrip("."))
