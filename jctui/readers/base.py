"""Entry point of the readers: bytes of one source -> ReadResult in the canonical model.

The format comes from source.format, else the hint (file extension or HTTP content type),
else the bytes themselves (PAR1 -> Parquet, PK zip -> xlsx, leading [ or { -> JSON/NDJSON,
else CSV). Every failure is a SourceError with one line naming the origin; bad rows are
returned in `rejected`, never raised.
"""

from __future__ import annotations

import codecs
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from jctui.config import MetricDef, RateDef, SourceDef
from jctui.errors import JctuiError, SourceError
from jctui.model import (
    empty_aggregates,
    empty_conflicts,
    empty_missing,
    empty_registry,
    empty_rejected,
    empty_targets,
    empty_values,
)
from jctui.readers.csv import read_csv, unix_line_ends
from jctui.readers.excel import read_excel
from jctui.readers.json import read_json, read_ndjson
from jctui.readers.normalise import normalise
from jctui.readers.parquet import read_parquet
from jctui.readers.raw import RawTable, one_line
from jctui.readers.targets import read_targets

if TYPE_CHECKING:
    from jctui.readers.published import Published, Recognised

FORMATS: tuple[str, ...] = ("csv", "parquet", "json", "ndjson", "xlsx")
READERS: dict[str, Callable[[bytes, SourceDef, str], RawTable]] = {
    "csv": read_csv,
    "parquet": read_parquet,
    "json": read_json,
    "ndjson": read_ndjson,
    "xlsx": read_excel,
}
# substrings of a file extension or content type -> format (checked in this order)
_HINTS: tuple[tuple[str, str], ...] = (
    ("ndjson", "ndjson"),
    ("jsonl", "ndjson"),
    ("json-seq", "ndjson"),
    ("json", "json"),
    ("parquet", "parquet"),
    ("spreadsheetml", "xlsx"),
    ("xlsx", "xlsx"),
    ("xlsm", "xlsx"),
    ("ms-excel", "xlsx"),
    ("csv", "csv"),
    ("tsv", "csv"),
    ("tab-separated", "csv"),
)


@dataclass(frozen=True)
class ReadResult:
    """One source in the canonical model (schemas in jctui.model)."""

    values: pl.DataFrame = field(default_factory=empty_values)
    registry: pl.DataFrame = field(default_factory=empty_registry)
    rejected: pl.DataFrame = field(default_factory=empty_rejected)
    conflicts: pl.DataFrame = field(default_factory=empty_conflicts)
    targets: pl.DataFrame = field(default_factory=empty_targets)  # role = "targets"
    missing: pl.DataFrame = field(default_factory=empty_missing)  # MISSING_SCHEMA
    aggregates: pl.DataFrame = field(default_factory=empty_aggregates)  # AGGREGATE_SCHEMA
    notices: tuple[str, ...] = ()  # what was recognised, one line each
    format: str = ""  # the format the bytes were read as
    details: str = ""  # how they were read, e.g. "csv, cp1252, separator ';', decimal ','"


def format_from_hint(hint: str) -> str:
    """Format named by a file extension or content type, "" when it names none."""
    hint = hint.strip().lower().split(";", 1)[0]
    for needle, fmt in _HINTS:
        if needle in hint:
            return fmt
    return ""


def sniff_format(data: bytes) -> str:
    """Format told by the first bytes."""
    if data.startswith(b"PAR1"):
        return "parquet"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    head = data[:4096]
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, errors="ignore").encode("utf-8")
            break
    stripped = head.lstrip()
    if stripped.startswith(b"["):
        return "json"
    if stripped.startswith(b"{"):
        lines = [line.strip() for line in stripped.splitlines() if line.strip()]
        if len(lines) > 1 and lines[0].endswith(b"}") and lines[1].startswith(b"{"):
            return "ndjson"
        return "json"
    return "csv"


def resolve_format(data: bytes, source: SourceDef, format_hint: str) -> str:
    if source.format != "auto":
        return source.format
    return format_from_hint(format_hint) or sniff_format(data)


def read_bytes(
    data: bytes,
    source: SourceDef,
    *,
    catalogue: Mapping[str, MetricDef],
    origin: str,
    format_hint: str = "",
    rates: Mapping[str, RateDef] | None = None,
) -> ReadResult:
    """Parse the bytes of one source into the canonical model (see jctui.readers)."""
    # published layouts and GENESIS are imported when bytes are read: a lookup that scans
    # a Parquet file never needs them (10 ms of start-up)
    from jctui.readers.genesis import unwrap
    from jctui.readers.published import split_aggregates

    if not data:
        raise SourceError(f"{origin}: empty file")
    wrapped = unwrap(data, origin)  # a ZIP holding a CSV, a GENESIS REST answer
    if wrapped is not None:
        inner, inner_origin, hint = wrapped
        return read_bytes(
            inner, source, catalogue=catalogue, origin=inner_origin, format_hint=hint, rates=rates
        )
    fmt = resolve_format(data, source, format_hint)
    if fmt == "csv":
        data = unix_line_ends(data)
    if fmt not in READERS:
        raise SourceError(f"{origin}: unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if fmt == "csv" and _looks_binary(data):
        raise SourceError(f"{origin}: not a CSV/JSON/Parquet file")
    if fmt == "csv" and source.role == "values":
        genesis = _genesis(data, source, catalogue, origin)
        if genesis is not None:
            return genesis
    if fmt in ("csv", "xlsx") and source.role == "values":
        published = _published(data, fmt, source, catalogue, origin)
        if published is not None:
            return published
    try:
        raw = READERS[fmt](data, source, origin)
        if source.role == "targets":
            targets, rejected = read_targets(raw, source, catalogue, rates or {}, origin)
            return ReadResult(targets=targets, rejected=rejected, format=fmt, details=_details(raw))
        values, registry, rejected, conflicts, missing = normalise(raw, source, catalogue, origin)
        values, registry, aggregates = split_aggregates(values, registry)
    except JctuiError:
        raise
    except Exception as exc:  # last line of defence: one line, never a traceback
        raise SourceError(f"{origin}: cannot read as {fmt}: {one_line(exc)}") from None
    return ReadResult(
        values=values,
        registry=registry,
        rejected=rejected,
        conflicts=conflicts,
        missing=missing,
        aggregates=aggregates,
        format=fmt,
        details=_details(raw),
    )


KEY = ["jobcenter_id", "period", "metric"]


def read_many(
    parts: Sequence[tuple[bytes, str, str]],
    source: SourceDef,
    *,
    catalogue: Mapping[str, MetricDef],
    origin: str,
) -> ReadResult:
    """The files of a folder (data, origin, format hint; oldest publication first) as one
    series: a newer publication of a month replaces the older one. Published tables are
    recognised file by file (two at a time) and normalised together, in one pass."""
    from jctui.readers.genesis import unwrap
    from jctui.readers.published import finish, recognise

    if not parts:
        raise SourceError(f"{origin}: no data files")

    def recognised(part: tuple[bytes, str, str]) -> Recognised | None:
        data, where, hint = part
        if not data or unwrap(data, where) is not None:  # a ZIP, a GENESIS answer: read_bytes
            return None
        fmt = resolve_format(data, source, hint)
        if fmt not in ("csv", "xlsx") or source.role != "values":
            return None
        try:
            return recognise(
                unix_line_ends(data) if fmt == "csv" else data, fmt, source, catalogue, where
            )
        except JctuiError:
            raise
        except Exception as exc:
            raise SourceError(f"{where}: cannot read as {fmt}: {one_line(exc)}") from None

    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(recognised, parts))
    if all(f is not None for f in found):
        published = finish([f for f in found if f is not None], source, catalogue, origin)
        return _from_published(published, found[0].fmt if found[0] else "")
    results = [
        read_bytes(data, source, catalogue=catalogue, origin=where, format_hint=hint)
        for data, where, hint in parts
    ]
    return merge_results(results, origin)


def merge_results(results: Sequence[ReadResult], origin: str) -> ReadResult:
    """Results of several files, oldest publication first, as one: a later file's value of
    a key replaces an earlier one (the changed ones are counted as revised)."""
    values = pl.concat([r.values for r in results], how="vertical")
    kept = values.unique(subset=KEY, keep="last", maintain_order=True)
    revised = (
        values.join(kept, on=KEY, suffix="_kept")
        .filter(pl.col("value") != pl.col("value_kept"))
        .select(KEY)
        .unique()
        .height
    )
    registry = pl.concat([r.registry for r in results], how="vertical").unique(
        subset=["jobcenter_id"], keep="last", maintain_order=True
    )
    aggregates = pl.concat([r.aggregates for r in results], how="vertical").unique(
        subset=KEY, keep="last", maintain_order=True
    )
    # a cell withheld in one publication but given in another is no longer missing
    missing = pl.concat([r.missing for r in results], how="vertical").join(
        kept.select(KEY), on=KEY, how="anti"
    )
    notices = [n for r in results for n in r.notices]
    if len(results) > 3:
        notices = [f"{origin}: {len(results)} files", *notices[:1]]
    if revised:
        notices.append(f"{origin}: {revised} values revised by a later publication")
    return ReadResult(
        values=kept,
        registry=registry,
        rejected=pl.concat([r.rejected for r in results], how="vertical"),
        conflicts=pl.concat([r.conflicts for r in results], how="vertical"),
        missing=missing,
        aggregates=aggregates,
        notices=tuple(notices),
        format=results[0].format,
        details=f"folder of {len(results)} files",
    )


def _from_published(found: Published, fmt: str) -> ReadResult:
    return ReadResult(
        values=found.values,
        registry=found.registry,
        rejected=found.rejected,
        conflicts=found.conflicts,
        missing=found.missing,
        aggregates=found.aggregates,
        notices=found.notices,
        format=fmt,
        details=found.details,
    )


def _genesis(
    data: bytes, source: SourceDef, catalogue: Mapping[str, MetricDef], origin: str
) -> ReadResult | None:
    """A GENESIS flat file (jctui.readers.genesis), normalised as a long table."""
    from jctui.readers.genesis import read_genesis

    try:
        raw = read_genesis(data, source, catalogue, origin)
        if raw is None:
            return None
        plain = dataclasses.replace(source, layout="long", columns={}, metrics={})
        values, registry, rejected, conflicts, missing = normalise(raw, plain, catalogue, origin)
    except JctuiError:
        raise
    except Exception as exc:  # last line of defence: one line, never a traceback
        raise SourceError(f"{origin}: cannot read as GENESIS flat file: {one_line(exc)}") from None
    notice = (
        f"{origin}: GENESIS flat file, {values.get_column('jobcenter_id').n_unique()} regions, "
        f"metrics {', '.join(sorted(values.get_column('metric').unique())) or 'none'}"
    )
    return ReadResult(
        values=values,
        registry=registry,
        rejected=rejected,
        conflicts=conflicts,
        missing=missing,
        notices=(notice,),
        format="csv",
        details="GENESIS flat file",
    )


def _published(
    data: bytes, fmt: str, source: SourceDef, catalogue: Mapping[str, MetricDef], origin: str
) -> ReadResult | None:
    """A table in a published layout (title rows, two-row header, aggregates, footnotes)."""
    from jctui.readers.published import read_published

    try:
        found = read_published(data, fmt, source, catalogue, origin)
    except JctuiError:
        raise
    except Exception as exc:  # last line of defence: one line, never a traceback
        raise SourceError(f"{origin}: cannot read as {fmt}: {one_line(exc)}") from None
    return None if found is None else _from_published(found, fmt)


def _looks_binary(data: bytes) -> bool:
    """Binary data (NUL bytes or mostly control characters) that no CSV export contains."""
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return controls > max(8, len(head) // 20)


def _details(raw: RawTable) -> str:
    parts = [raw.format]
    if raw.encoding:
        parts.append(raw.encoding)
    if raw.separator:
        parts.append(f"separator {raw.separator!r}")
    return ", ".join(parts)
