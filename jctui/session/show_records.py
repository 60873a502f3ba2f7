"""The figure store's records of `jctui show`: plain JSON a lookup on a warm store reads
without importing Polars (jctui.views.show_record builds and reads them).

Beside a stored data revision, `show-names.json`: the registry's ids and names (the name
search runs on them: jctui.session.lookup.resolve_names) and the periods. Beside a stored
as-of month, `show-<lang>-<variant>.jsonl`: what `show` prints of every Jobcenter in that
month, as the small-count rule leaves it (the report's entries, never a withheld value).

A record file is a head line, `<digest> <JSON>`, then a line per entry; the head names the
store's key, the format and jctui's code revision, and each entry's byte offset, length
and digest, so one Jobcenter is read alone and checked. A record that is missing, of
another key or version, or whose head or entry does not match its digest is not read: the
lookup goes the usual way (and writes it again)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jctui.build import code_revision

log = logging.getLogger("jctui.store")
RECORD_FORMAT = 1
NAMES_FILE = "show-names.json"


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def record_path(folder: Path, month: str, lang: str, variant: str) -> Path:
    """The record of one as-of month (`month`: the store's month folder name)."""
    return folder / "months" / month / f"show-{lang}-{variant}.jsonl"


def write_record(
    path: Path, key: str, head: Mapping[str, Any], entries: Mapping[str, Any] | None = None
) -> None:
    """Write a record whole (a temp file, renamed); a failure is logged, never raised (the
    record is a shortcut)."""
    body, index, offset = [], {}, 0
    for name, entry in (entries or {}).items():
        line = json.dumps(entry, separators=(",", ":")).encode() + b"\n"
        index[name] = [offset, len(line), _digest(line)]
        body.append(line)
        offset += len(line)
    full = {**head, "format": RECORD_FORMAT, "key": key, "code": code_revision(), "index": index}
    text = json.dumps(full, separators=(",", ":")).encode()
    tmp = path.with_name(f".tmp-{path.name}-{uuid.uuid4().hex[:8]}")
    try:
        with tmp.open("wb") as f:
            f.write(_digest(text).encode() + b" " + text + b"\n")
            f.writelines(body)
        os.chmod(tmp, 0o640)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        log.warning("could not write the figure store: %s", exc)


class Record:
    """A record file as read: its head (checked), and its entries read one at a time."""

    def __init__(self, path: Path, head: dict[str, Any], start: int) -> None:
        self.path, self.head, self.start = path, head, start

    def entry(self, name: str) -> Any | None:
        """One entry, checked against its digest; None when absent or not whole."""
        try:
            offset, length, digest = self.head["index"][name]
            with self.path.open("rb") as f:
                f.seek(self.start + int(offset))
                line = f.read(int(length))
            if _digest(line) != digest:
                return None
            return json.loads(line)
        except (OSError, ValueError, KeyError, TypeError):
            return None


def read_record(path: Path, key: str, **expected: Any) -> Record | None:
    """The record at `path` when it is of this store key, format and code revision and its
    head has the `expected` values and is whole; None otherwise (never read wrong)."""
    try:
        with path.open("rb") as f:
            first = f.readline()
        digest, _, text = first.rstrip(b"\n").partition(b" ")
        if _digest(text) != digest.decode():
            return None
        head = json.loads(text)
        if not isinstance(head, dict):
            return None
        wanted = {"format": RECORD_FORMAT, "key": key, "code": code_revision(), **expected}
        if any(head.get(k) != v for k, v in wanted.items()):
            return None
        return Record(path, head, len(first))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
