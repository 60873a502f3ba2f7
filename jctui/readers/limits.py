"""Bounded work for every input: what a file or answer may unpack to, and how many cells,
columns and levels of nesting a reader takes on, each checked before the work is done.

A limit that is reached is a SourceError of one line naming the file, the place and the
limit; the last good data stay. `max_bytes` of a source (the `[sources.http]` key, 100 MB by
default) also bounds what a ZIP or workbook unpacks to; the other limits are generous for
every table the Bundesagentur, GENESIS or a spreadsheet export publishes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from jctui.errors import SourceError


@dataclass(frozen=True)
class Limits:
    """The bounds of one read."""

    unpacked_bytes: int = 100_000_000  # a ZIP's or workbook's members together (max_bytes)
    zip_members: int = 10_000  # members of one ZIP or workbook
    zip_depth: int = 1  # a ZIP inside the ZIP of a download is not opened
    sheet_cells: int = 4_000_000  # rows x columns of a worksheet (calamine holds them all)
    shared_strings: int = 1_000_000  # entries of an xlsx's shared-string table
    cells: int = 20_000_000  # lines x columns of a delimited file
    columns: int = 4_096  # columns of a delimited file
    json_depth: int = 256  # levels of nested JSON arrays and objects


LIMITS = Limits()
CHUNK = 1 << 20


def limits_for(max_bytes: int) -> Limits:
    """The limits of a source whose `max_bytes` is given."""
    return Limits(unpacked_bytes=max_bytes)


def open_zip(data: bytes, origin: str, limits: Limits = LIMITS) -> zipfile.ZipFile:
    """A ZIP whose members are within the limits (count, total declared size); the sizes
    are checked again while a member is read (`read_member`)."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise zipfile.BadZipFile(str(exc)) from None
    if len(members) > limits.zip_members:
        raise SourceError(
            f"{origin}: ZIP of {len(members):,} members, over the limit of "
            f"{limits.zip_members:,} members"
        )
    total = sum(m.file_size for m in members)
    if total > limits.unpacked_bytes:
        raise SourceError(
            f"{origin}: ZIP unpacks to {total:,} bytes, over the limit of "
            f"{limits.unpacked_bytes:,} bytes (max_bytes)"
        )
    return archive


def stream_member(archive: zipfile.ZipFile, name: str, origin: str, limit: int) -> Iterator[bytes]:
    """A member's bytes in chunks, refused once they pass `limit` bytes (a member that
    unpacks to more than its header declares)."""
    seen = 0
    try:
        with archive.open(name) as fh:
            while chunk := fh.read(CHUNK):
                seen += len(chunk)
                if seen > limit:
                    raise SourceError(
                        f"{origin}!{name}: unpacks to more than the limit of {limit:,} bytes"
                        " (max_bytes)"
                    )
                yield chunk
    except SourceError:
        raise
    except Exception as exc:  # a corrupt member: a bad CRC, a broken deflate stream
        raise SourceError(f"{origin}!{name}: cannot unpack: {exc}") from None


def read_member(archive: zipfile.ZipFile, name: str, origin: str, limit: int) -> bytes:
    """A member's bytes, at most `limit` (else one line naming the limit)."""
    return b"".join(stream_member(archive, name, origin, limit))


_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth_within(data: bytes, origin: str, limits: Limits = LIMITS) -> None:
    """Refuse JSON nested deeper than the limit, counted in the bytes before parsing (the
    parser would recurse once per level)."""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    if len(brackets) <= limits.json_depth:
        return
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in (0x5B, 0x7B) else -1
        if depth > deepest:
            deepest = depth
            if deepest > limits.json_depth:
                raise SourceError(
                    f"{origin}: JSON nested deeper than the limit of {limits.json_depth} levels"
                )


def delimited_within(data: bytes, origin: str, limits: Limits = LIMITS) -> None:
    """Refuse a delimited file wider than the column limit or larger than the cell limit
    (lines x columns of its widest first lines, counting the separator that gives the most
    columns), counted before it is parsed."""
    head = data[: 1 << 20].split(b"\n", 20)[:20]
    width = 1 + max(
        (line.count(sep) for line in head for sep in (b";", b"\t", b",", b"|")), default=0
    )
    if width > limits.columns:
        raise SourceError(
            f"{origin}: {width:,} columns, over the limit of {limits.columns:,} columns"
        )
    lines = data.count(b"\n") + 1
    if lines * width > limits.cells:
        raise SourceError(
            f"{origin}: {lines:,} lines of {width:,} columns, over the limit of "
            f"{limits.cells:,} cells"
        )
