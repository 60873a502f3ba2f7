"""Entry point of the readers: bytes of one source -> ReadResult in the canonical model.

The format comes from source.format, else the hint (file extension or HTTP content type),
else the bytes themselves (magic numbers, how the text starts): all as declared in
jctui.formats, whose reader (jctui.readers.formats) then reads the bytes. Every failure is a
SourceError with one line naming the origin; bad rows are returned in `rejected`, never
raised.
"""

from __future__ import annotations

import codecs
import dataclasses
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import polars as pl

from jctui.config import MetricDef, RateDef, SourceDef
from jctui.config.catalogue import describe_labels, with_label_figures
from jctui.errors import JctuiError, SourceError
from jctui.formats import AUTO, format_from_hint, sniff_format
from jctui.model import labels_frame
from jctui.readers.csv import SEPARATORS, check_last_row_complete, unix_line_ends
from jctui.readers.formats import reader_of, spec
from jctui.readers.limits import delimited_within, limits_for
from jctui.readers.normalise import normalise
from jctui.readers.raw import GENESIS_DETAILS, LINE, RawTable, one_line
from jctui.readers.result import FRAMES, ReadResult
from jctui.readers.targets import read_targets

if TYPE_CHECKING:
    from jctui.readers.published import Recognised

__all__ = ["ReadResult", "format_from_hint", "read_bytes", "read_many", "sniff_format"]


def resolve_format(data: bytes, source: SourceDef, format_hint: str) -> str:
    """The configured format, else the one the hint names, else the one the bytes tell."""
    if source.format != AUTO:
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
    from jctui.readers.regionalatlas import unwrap_features

    if not data:
        raise SourceError(f"{origin}: empty file")
    limits = limits_for(source)
    wrapped = unwrap(data, origin, limits)  # a ZIP holding a CSV, a GENESIS REST answer
    if wrapped is None:  # the Regionalatlas answer (GeoJSON): its features' records
        wrapped = unwrap_features(data, origin, limits)
    if wrapped is not None:
        inner, inner_origin, hint = wrapped
        return read_bytes(
            inner, source, catalogue=catalogue, origin=inner_origin, format_hint=hint, rates=rates
        )
    fmt = resolve_format(data, source, format_hint)
    declared = spec(fmt, origin)
    if declared.delimited:
        data = unix_line_ends(data)
        if _looks_binary(data):
            raise SourceError(f"{origin}: not a CSV/JSON/Parquet file")
        delimited_within(data, origin, limits)  # columns and cells, before parsing
        check_whole(data, origin)  # a file caught while written, before any reader
        if source.role == "values":
            genesis = _genesis(data, fmt, source, catalogue, origin)
            if genesis is not None:
                return genesis
    if declared.published and source.role == "values":
        published = _published(data, fmt, source, catalogue, origin)
        if published is not None:
            return published
    try:
        raw = reader_of(declared)(data, source, origin)
        if source.role == "targets":
            targets, rejected = read_targets(raw, source, catalogue, rates or {}, origin)
            return ReadResult(targets=targets, rejected=rejected, format=fmt, details=_details(raw))
        found = normalise(raw, source, catalogue, origin)
        values, registry, aggregates = split_aggregates(found.values, found.registry)
    except JctuiError:
        raise
    except Exception as exc:  # last line of defence: one line, never a traceback
        raise SourceError(f"{origin}: cannot read as {fmt}: {one_line(exc)}") from None
    return ReadResult.of(
        found,
        values=values,
        registry=registry,
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
        if (
            not data or unwrap(data, where, limits_for(source)) is not None
        ):  # a ZIP, a GENESIS answer: read_bytes
            return None
        fmt = resolve_format(data, source, hint)
        declared = spec(fmt, where)
        if not declared.published or source.role != "values":
            return None
        try:
            return recognise(
                unix_line_ends(data) if declared.delimited else data, fmt, source, catalogue, where
            )
        except JctuiError:
            raise
        except Exception as exc:
            raise SourceError(f"{where}: cannot read as {fmt}: {one_line(exc)}") from None

    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(recognised, parts))
    if all(f is not None for f in found):
        published = finish([f for f in found if f is not None], source, catalogue, origin)
        return dataclasses.replace(published, format=found[0].fmt if found[0] else "")
    results = [
        read_bytes(data, source, catalogue=catalogue, origin=where, format_hint=hint)
        for data, where, hint in parts
    ]
    return merge_results(results, origin)


def merge_results(results: Sequence[ReadResult], origin: str) -> ReadResult:
    """Results of several files, oldest publication first, as one: a later file's value of
    a key replaces an earlier one (the changed ones are counted as revised). Every frame is
    the files' frames one after the other; values, registry, aggregates and missing then
    keep the latest of a key."""
    joined = {name: pl.concat([getattr(r, name) for r in results]) for name in FRAMES}
    values = joined["values"]
    kept = values.unique(subset=KEY, keep="last", maintain_order=True)
    revised = (
        values.join(kept, on=KEY, suffix="_kept")
        .filter(pl.col("value") != pl.col("value_kept"))
        .select(KEY)
        .unique()
        .height
    )
    registry = joined["registry"].unique(subset=["jobcenter_id"], keep="last", maintain_order=True)
    aggregates = joined["aggregates"].unique(subset=KEY, keep="last", maintain_order=True)
    # a cell withheld in one publication but given in another is no longer missing
    missing = joined["missing"].join(kept.select(KEY), on=KEY, how="anti")
    notices = [n for r in results for n in r.notices]
    if len(results) > 3:
        notices = [f"{origin}: {len(results)} files", *notices[:1]]
    if revised:
        notices.append(f"{origin}: {revised} values revised by a later publication")
    return ReadResult.of(
        joined,
        values=kept,
        registry=registry,
        missing=missing,
        aggregates=aggregates,
        notices=tuple(notices),
        format=results[0].format,
        details=f"folder of {len(results)} files",
    )


def _genesis(
    data: bytes, fmt: str, source: SourceDef, catalogue: Mapping[str, MetricDef], origin: str
) -> ReadResult | None:
    """A GENESIS flat file (jctui.readers.genesis), normalised as a long table."""
    from jctui.readers.genesis import read_genesis
    from jctui.readers.published import split_aggregates
    from jctui.readers.published.verify import check_values

    try:
        raw = read_genesis(data, source, catalogue, origin)
        if raw is None:
            return None
        plain = dataclasses.replace(source, layout="long", columns={}, metrics={})
        with_labels = with_label_figures(catalogue, raw.labels, raw.labels)
        found = normalise(raw, plain, with_labels, origin)
    except JctuiError:
        raise
    except Exception as exc:  # last line of defence: one line, never a traceback
        raise SourceError(f"{origin}: cannot read as GENESIS flat file: {one_line(exc)}") from None
    # Deutschland (DG) and the states are aggregates, never Jobcenters; the figures are
    # checked against each other (ELB never above the inhabitants, K2 against its parts)
    values, registry, aggregates = split_aggregates(found.values, found.registry)
    lines = raw.frame.select("jobcenter_id", "period", "metric", LINE)
    values, failed, checks = check_values(values, aggregates, with_labels, lines, origin)
    n_aggregates = aggregates.get_column("jobcenter_id").n_unique()
    notice = (
        f"{origin}: GENESIS flat file, {values.get_column('jobcenter_id').n_unique()} regions, "
        + (f"{n_aggregates} aggregate rows, " if n_aggregates else "")
        + f"metrics {', '.join(sorted(values.get_column('metric').unique())) or 'none'}"
    )
    if raw.labels:
        notice += f", {describe_labels(raw.labels)}"
    return ReadResult.of(
        found,
        values=values,
        registry=registry,
        aggregates=aggregates,
        rejected=pl.concat([found.rejected, failed]),
        labels=labels_frame(raw.labels),
        notices=(notice, *(f"{origin}: {c.describe()}" for c in checks)),
        format=fmt,
        details=GENESIS_DETAILS,
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
    return None if found is None else dataclasses.replace(found, format=fmt)


def check_whole(data: bytes, origin: str) -> None:
    """Refuse a delimited file cut in the middle of a row (caught while written), whatever
    reads it next (plain, GENESIS, published): the CSV reader's rule, with the separator
    the header line shows most often."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # the CSV reader checks it once decoded
    header = data[: data.find(b"\n")]
    separator = max(SEPARATORS, key=lambda sep: header.count(sep.encode()))
    check_last_row_complete(data, separator, header.count(separator.encode()) + 1, origin)


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
