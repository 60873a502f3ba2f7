"""JSON and NDJSON readers.

JSON: an array of records, or records under a dotted `records_path` (e.g. "data.items").
NDJSON: one record per line; a line that is not valid JSON is rejected, the others are used.
`line` is the record's index + 1 for JSON (records have no reliable line in a JSON body) and
the physical line for NDJSON. Records that are not objects are rejected.

Two paths: Polars' own JSON readers parse a well-formed body (UTF-8, every record an object,
for NDJSON no blank lines) without a Python object per record (`native_json`,
`native_ndjson`); anything they refuse goes through Python's json (`python_json`,
`python_ndjson`), which finds the bad record and says where, or rejects bad lines one by one.
A check that needs every record (e.g. of duplicate keys) belongs in `python_*`, and its
`native_*` counterpart must then return None for bodies it cannot vouch for.
"""

from __future__ import annotations

import codecs
import io
import json
from typing import Any

import polars as pl

from jctui.config import SourceDef
from jctui.errors import SourceError
from jctui.readers.limits import json_depth_within
from jctui.readers.raw import LINE, RawTable, one_line, rejected_frame


class DuplicateKeyError(ValueError):
    """A JSON object names one key twice: which value counts would be a guess."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """object_pairs_hook of json.loads: an object, or DuplicateKeyError naming the key."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKeyError(f"duplicate key {key!r} in a JSON object")
            seen.add(key)
    return obj


def _decode(data: bytes, origin: str) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SourceError(f"{origin}: JSON is not UTF-8 text")
    return text.removeprefix("\ufeff")


def records_at(document: Any, path: str, origin: str) -> list[Any]:
    """The list of records at the dotted path (the whole document when path is empty)."""
    node = document
    walked: list[str] = []
    for part in [p for p in path.split(".") if p] if path else []:
        walked.append(part)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise SourceError(f"{origin}: records_path {path!r}: no key {'.'.join(walked)!r}")
    if isinstance(node, dict) and not path:
        lists = [k for k, v in node.items() if isinstance(v, list)]
        hint = f"; set records_path (lists found: {', '.join(lists[:5])})" if lists else ""
        raise SourceError(f"{origin}: JSON is an object, not an array of records{hint}")
    if not isinstance(node, list):
        where = f"at records_path {path!r}" if path else "at the top level"
        raise SourceError(
            f"{origin}: expected an array of records {where}, got {type(node).__name__}"
        )
    return node


def frame_from_records(
    records: list[Any], lines: list[int], origin: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Records (dicts) -> frame with LINE; non-objects -> rejected rows."""
    is_object = [isinstance(r, dict) for r in records]
    good = [r for r, ok in zip(records, is_object, strict=True) if ok]
    good_lines = [n for n, ok in zip(lines, is_object, strict=True) if ok]
    bad_lines = [n for n, ok in zip(lines, is_object, strict=True) if not ok]
    bad_values = [json.dumps(r)[:200] for r, ok in zip(records, is_object, strict=True) if not ok]
    rejected = rejected_frame(
        origin,
        pl.Series(bad_lines, dtype=pl.Int64),
        "",
        pl.Series(bad_values, dtype=pl.String),
        "record is not a JSON object",
    )
    try:
        frame = (
            pl.from_dicts(good, infer_schema_length=None, strict=False) if good else pl.DataFrame()
        )
    except Exception as exc:
        raise SourceError(f"{origin}: cannot use JSON records: {one_line(exc)}") from None
    frame = frame.with_columns(pl.Series(LINE, good_lines, dtype=pl.Int64))
    return frame, rejected


def _utf8(data: bytes) -> bytes | None:
    """The body without a UTF-8 BOM when it is UTF-8 (Polars reads it as it is), else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    return data.removeprefix(codecs.BOM_UTF8)


def keys_are_unique(body: bytes, frame: pl.DataFrame) -> bool:
    """Whether no record names a column twice, counted in the bytes (no Python object per
    record): each column's quoted name occurs no more often than records hold it (a value or
    an explicit null). Polars keeps the first of two equal keys silently; where this cannot
    vouch (a duplicate, or the name also used as a value) the Python path decides."""
    for column in frame.columns:
        quoted = json.dumps(column, ensure_ascii=False).encode()
        occurrences = body.count(quoted)
        held = frame.height - frame.get_column(column).null_count()
        if occurrences > held:
            held += body.count(quoted + b":null") + body.count(quoted + b": null")
            if occurrences > held:
                return False
    return True


def native_json(data: bytes, source: SourceDef) -> pl.DataFrame | None:
    """The records as a frame with LINE, parsed by Polars; None when Polars cannot (the
    Python path then says why, or rejects the records that are not objects)."""
    body = _utf8(data)
    if body is None or not body.strip():
        return None
    parts = [p for p in source.records_path.split(".") if p]
    if any(p.isdigit() for p in parts) or (not parts and not body.lstrip().startswith(b"[")):
        return None
    try:
        frame = pl.read_json(io.BytesIO(body), infer_schema_length=None)
        if parts:
            if frame.height != 1:
                return None
            node = pl.col(parts[0])
            for part in parts[1:]:
                node = node.struct.field(part)
            frame = frame.select(node.alias("_r")).explode("_r").unnest("_r")
    except Exception:
        return None
    if not frame.width or not keys_are_unique(body, frame):
        return None
    return frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(LINE))


def native_ndjson(data: bytes) -> pl.DataFrame | None:
    """The records as a frame with LINE (the physical line), parsed by Polars; None when a
    line is blank, invalid or not an object (the Python path rejects those one by one)."""
    body = _utf8(data)
    if body is None or not body.strip():
        return None
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    try:
        frame = pl.read_ndjson(io.BytesIO(body), infer_schema_length=None)
    except Exception:
        return None
    if frame.height != lines or not frame.width:
        return None  # blank lines: their numbers need the Python path
    if not keys_are_unique(body, frame):
        return None
    return frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(LINE))


def read_json(data: bytes, source: SourceDef, origin: str) -> RawTable:
    json_depth_within(data, origin, source.limits)  # before a parser recurses per level
    frame = native_json(data, source)
    if frame is not None:
        return RawTable(frame=frame, format="json", decimal=source.decimal)
    return python_json(data, source, origin)


def read_ndjson(data: bytes, source: SourceDef, origin: str) -> RawTable:
    json_depth_within(data, origin, source.limits)
    frame = native_ndjson(data)
    if frame is not None:
        return RawTable(frame=frame, format="ndjson", decimal=source.decimal)
    return python_ndjson(data, source, origin)


def python_json(data: bytes, source: SourceDef, origin: str) -> RawTable:
    text = _decode(data, origin)
    if not text.strip():
        raise SourceError(f"{origin}: empty file")
    try:
        document = json.loads(text, object_pairs_hook=_unique_keys)
    except DuplicateKeyError as exc:
        raise SourceError(f"{origin}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{origin}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise SourceError(f"{origin}: invalid JSON: nested too deeply") from None
    records = records_at(document, source.records_path, origin)
    frame, rejected = frame_from_records(records, list(range(1, len(records) + 1)), origin)
    return RawTable(frame=frame, format="json", decimal=source.decimal, rejected=rejected)


def python_ndjson(data: bytes, source: SourceDef, origin: str) -> RawTable:
    text = _decode(data, origin)
    records: list[Any] = []
    lines: list[int] = []
    bad_lines: list[int] = []
    bad_text: list[str] = []
    bad_problem: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line, object_pairs_hook=_unique_keys))
            lines.append(number)
        except (json.JSONDecodeError, RecursionError, DuplicateKeyError) as exc:
            bad_lines.append(number)
            bad_text.append(line.strip()[:200])
            reason = exc if isinstance(exc, DuplicateKeyError) else getattr(exc, "msg", "")
            bad_problem.append(f"invalid JSON: {reason or 'nested too deeply'}")
    if not records and bad_lines:
        raise SourceError(f"{origin}: invalid JSON at line {bad_lines[0]}: {bad_problem[0][14:]}")
    frame, rejected = frame_from_records(records, lines, origin)
    invalid = pl.DataFrame(
        {
            "source": [origin] * len(bad_lines),
            "line": bad_lines,
            "column": [""] * len(bad_lines),
            "value": bad_text,
            "problem": bad_problem,
        },
        schema=rejected.schema,
    )
    return RawTable(
        frame=frame,
        format="ndjson",
        decimal=source.decimal,
        rejected=pl.concat([invalid, rejected]),
    )
