"""Bounded work for every input: what a file or answer may unpack to, and how many cells,
columns and levels of nesting a reader takes on, each checked before the work is done.

A limit that is reached is a SourceError of one line naming the file, the place, the
limit and its config key (`[sources.limits]`, jctui.config.limits); the last good data stay.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterator

from jctui.config.limits import LIMITS as LIMITS
from jctui.config.limits import LimitsDef
from jctui.config.schema import SourceDef
from jctui.errors import SourceError

Limits = LimitsDef  # the bounds of one read: `[sources.limits]` of its source
CHUNK = 1 << 20


def limits_for(source: SourceDef) -> Limits:
    """The limits of `source` (its `[sources.limits]`)."""
    return source.limits


def open_zip(data: bytes, origin: str, limits: Limits = LIMITS) -> zipfile.ZipFile:
    """A ZIP whose members are within the limits (count, total declared size); the sizes
    are checked again while a member is read (`read_member`)."""
    import io

    declared = declared_members(data)
    if declared > limits.zip_members:  # before zipfile makes an object of every entry
        raise SourceError(
            f"{origin}: ZIP of {declared:,} members, over the limit of "
            f"{limits.zip_members:,} members ({limits.key('zip_members')})"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise zipfile.BadZipFile(str(exc)) from None
    if len(members) > limits.zip_members:
        raise SourceError(
            f"{origin}: ZIP of {len(members):,} members, over the limit of "
            f"{limits.zip_members:,} members ({limits.key('zip_members')})"
        )
    total = sum(m.file_size for m in members)
    if total > limits.unpacked_bytes:
        raise SourceError(
            f"{origin}: ZIP unpacks to {total:,} bytes, over the limit of "
            f"{limits.unpacked_bytes:,} bytes ({limits.key('unpacked_bytes')})"
        )
    return archive


def declared_members(data: bytes) -> int:
    """How many entries a ZIP's central directory holds, counted by their signatures in the
    bytes before its end record (an end record may state a smaller count than zipfile then
    reads); 0 when there is no end record (zipfile then says what is wrong)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or len(data) < at + 22:
        return 0
    entries, size = struct.unpack_from("<H4xI", data, at + 10)
    end = at
    locator = at - 20
    if locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if data[record : record + 4] == b"PK\x06\x06" and len(data) >= record + 56:
            entries, size = struct.unpack_from("<QQ", data, record + 32)
            end = record
    counted = data.count(b"PK\x01\x02", max(0, end - min(size, end)), end)
    return int(max(entries, counted))


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
                        f" ({LIMITS.key('unpacked_bytes')})"
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
                    f" ({limits.key('json_depth')})"
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
            f" ({limits.key('columns')})"
        )
    lines = data.count(b"\n") + 1
    if lines * width > limits.cells:
        raise SourceError(
            f"{origin}: {lines:,} lines of {width:,} columns, over the limit of "
            f"{limits.cells:,} cells ({limits.key('cells')})"
        )
