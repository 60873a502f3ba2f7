"""CSV reader: bytes -> RawTable of strings (German exports included).

Detects the encoding (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252), the
separator (`;`, `,`, tab, `|`) and keeps every field as text: numbers and dates are parsed
later, vectorised, by the normaliser (which also detects the decimal mark per file).
Line numbers are the physical lines of the file (header = line 1), also for quoted fields
that span several lines.
"""

from __future__ import annotations

import codecs
import io
import re

import polars as pl

from jctui.config import SourceDef
from jctui.errors import SourceError
from jctui.model import empty_rejected
from jctui.readers.raw import LINE, RawTable, one_line, rejected_frame

SEPARATORS: tuple[str, ...] = (";", "\t", ",", "|")
_QUOTED = re.compile(r'"[^"]*"')


def unix_line_ends(data: bytes) -> bytes:
    """A file whose lines end in CR alone ("CSV (Macintosh)") with LF instead, for every CSV
    reader (plain, published, GENESIS); UTF-16 (a BOM) is left to its decoder."""
    if (
        b"\n" in data
        or b"\r" not in data
        or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        return data
    return data.replace(b"\r", b"\n")


def decode_to_utf8(data: bytes, encoding: str, origin: str) -> tuple[bytes, str]:
    """UTF-8 bytes (no BOM) of the file and the encoding they were decoded from."""
    if encoding and encoding.lower() != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise SourceError(f"{origin}: unknown encoding {encoding!r}") from None
        if codecs.lookup(encoding).name == "utf-8":
            data = data.removeprefix(codecs.BOM_UTF8)
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise SourceError(
                    f'{origin}: not valid UTF-8 at byte {exc.start} (try encoding = "cp1252")'
                ) from None
            return data, "utf-8"
        text = data.decode(encoding, errors="replace").removeprefix("\ufeff")
        return text.encode("utf-8"), encoding
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        try:
            body.decode("utf-8")
            return body, "utf-8-sig"
        except UnicodeDecodeError:
            return body.decode("utf-8", errors="replace").encode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        return text.encode("utf-8"), "utf-16"
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError:
        return cp1252_to_utf8(data), "cp1252"


_C1 = bytes(range(0x80, 0xA0))
_NOT_C1 = bytes(b for b in range(256) if b not in _C1)


def cp1252_to_utf8(data: bytes) -> bytes:
    """Windows-1252 -> UTF-8, about three times faster than the cp1252 codec on large files.

    Latin-1 and Windows-1252 differ only in bytes 0x80-0x9F (€, „, “, –, ...): transcode as
    Latin-1, then replace the few of those bytes the file contains. The five bytes cp1252
    leaves undefined are kept as the Latin-1 control characters.
    """
    out = data.decode("latin-1").encode("utf-8")
    for byte in sorted(set(data.translate(None, _NOT_C1))):
        char = bytes([byte]).decode("cp1252", errors="ignore")
        if char:
            out = out.replace(bytes([0xC2, byte]), char.encode("utf-8"))
    return out


def detect_separator(first_line: str, configured: str) -> str:
    """The configured separator, else the candidate found most often in the header line."""
    if configured and configured != "auto":
        return "\t" if configured in ("\\t", "tab") else configured
    unquoted = _QUOTED.sub("", first_line)
    counts = {sep: unquoted.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])  # ties: order of SEPARATORS
    return best if counts[best] > 0 else ","


def physical_lines(text: bytes) -> pl.Series:
    """The file's physical lines (split on newlines), as Polars strings."""
    return pl.Series("l", [text.decode("utf-8", errors="replace")]).str.split("\n").explode()


def record_lines(text: bytes, records: int) -> pl.Series | None:
    """Physical line (1-based) where each data record starts, or None if it cannot be told.

    A line continues the previous record when an odd number of quotes came before it.
    """
    lines = physical_lines(text)
    quotes = lines.str.count_matches('"', literal=True)
    open_before = (quotes.cum_sum() - quotes) % 2 == 1
    frame = pl.DataFrame({"line": pl.int_range(1, len(lines) + 1, eager=True), "cont": open_before})
    starts = frame.filter(~pl.col("cont")).get_column("line")
    if len(lines) and lines[-1] == "" and starts.len() and starts[-1] == len(lines):
        starts = starts.head(-1)  # the empty string after the final newline is no record
    starts = starts.slice(1)  # the header record
    return starts if starts.len() == records else None


def unterminated_quote_line(text: bytes) -> int:
    """The line where a quote opens that is never closed, 0 when the quotes balance."""
    lines = physical_lines(text)
    quotes = lines.str.count_matches('"', literal=True)
    if int(quotes.sum() or 0) % 2 == 0:
        return 0
    parity = quotes.cum_sum() % 2
    # the last line where the running count turned odd (from even) opens the unclosed field
    opened = (parity == 1) & ((parity.shift(1, fill_value=0)) == 0)
    starts = pl.int_range(1, len(lines) + 1, eager=True).filter(opened)
    return int(starts[-1]) if starts.len() else 0


def read_csv(data: bytes, source: SourceDef, origin: str) -> RawTable:
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError(f"{origin}: not a CSV/JSON/Parquet file (binary data)")
    text, encoding = decode_to_utf8(unix_line_ends(data), source.encoding, origin)
    newline = text.find(b"\n")
    first_line = (text if newline < 0 else text[:newline]).decode("utf-8", errors="replace")
    if not first_line.strip():
        raise SourceError(f"{origin}: empty first line (expected the header)")
    separator = detect_separator(first_line, source.separator)
    if len(separator.encode("utf-8")) != 1:
        raise SourceError(f"{origin}: separator must be one character, got {separator!r}")
    try:
        header = pl.read_csv(
            io.BytesIO(text), separator=separator, n_rows=0, infer_schema=False
        ).columns
        width = len(header)
        check_last_row_complete(text, separator, width, origin)
        body = pl.read_csv(
            io.BytesIO(text),
            separator=separator,
            has_header=False,
            skip_rows=1,
            infer_schema=False,
            schema={f"_c{i}": pl.String for i in range(width + 1)},
            missing_columns="insert",
            extra_columns="ignore",
            truncate_ragged_lines=True,
        )
    except SourceError:
        raise
    except Exception as exc:
        line = unterminated_quote_line(text)
        if line:
            raise SourceError(
                f"{origin}: line {line}: quoted field is never closed (unbalanced '\"')"
            ) from None
        raise SourceError(f"{origin}: not a readable CSV file: {one_line(exc)}") from None
    if b'"' in text:
        lines = record_lines(text, body.height)
    else:
        lines = None
    if lines is None:
        lines = pl.int_range(2, body.height + 2, eager=True)
    body = body.with_columns(lines.cast(pl.Int64).alias(LINE))
    extra = f"_c{width}"
    too_many = pl.col(extra).is_not_null()
    short = short_records(
        text, separator, width, body.filter(pl.col(f"_c{width - 1}").is_null()).get_column(LINE)
    )
    if short.is_empty() and body.get_column(extra).null_count() == body.height:
        body = body.drop(extra)  # the common case: every row has as many fields as the header
        return _raw(body, header, source, separator, encoding, empty_rejected())
    ragged = body.filter(too_many)
    rejected = pl.concat(
        [
            rejected_frame(
                origin,
                ragged.get_column(LINE),
                "",
                ragged.get_column(extra),
                f"too many fields (header has {width}; quote fields that contain {separator!r})",
            ),
            rejected_frame(
                origin,
                short.get_column(LINE),
                "",
                short.get_column("text"),
                f"too few fields (header has {width})",
            ),
        ]
    ).sort("line")
    short_lines = short.get_column(LINE).implode()
    body = body.filter(~too_many & ~pl.col(LINE).is_in(short_lines)).drop(extra)
    return _raw(body, header, source, separator, encoding, rejected)


def check_last_row_complete(text: bytes, separator: str, width: int, origin: str) -> None:
    """A file that ends without a newline in the middle of a row is being written (or was cut
    off): refuse it whole, so it never replaces good data; a complete last row is fine."""
    tail_start = text.rfind(b"\n") + 1
    if tail_start == 0 or tail_start == len(text):
        return
    tail = text[tail_start:].decode("utf-8", errors="replace").rstrip("\r")
    if tail.strip() and '"' not in tail and tail.count(separator) + 1 < width:
        line = text.count(b"\n", 0, tail_start) + 1
        raise SourceError(
            f"{origin}: line {line}: the file ends in the middle of a row (still being written?)"
        )


def short_records(text: bytes, separator: str, width: int, candidates: pl.Series) -> pl.DataFrame:
    """Of the candidate rows (their last field is empty), those with fewer fields than the
    header, with their line text. Lines with quotes are left alone (a quoted field may hold
    the separator); only candidates are looked at, so a clean file costs nothing."""
    if candidates.is_empty():
        return pl.DataFrame({LINE: [], "text": []}, schema={LINE: pl.Int64, "text": pl.String})
    lines = physical_lines(text)
    picked = pl.DataFrame({LINE: candidates.cast(pl.Int64)}).with_columns(
        text=lines.gather(candidates.cast(pl.Int64) - 1).str.strip_chars_end("\r")
    )
    fields = pl.col("text").str.count_matches(separator, literal=True) + 1
    blank = pl.col("text").str.strip_chars() == ""  # blank lines are skipped, not rows
    return picked.filter(
        ~blank & ~pl.col("text").str.contains('"', literal=True) & (fields < width)
    )


def _raw(
    body: pl.DataFrame,
    header: list[str],
    source: SourceDef,
    separator: str,
    encoding: str,
    rejected: pl.DataFrame,
) -> RawTable:
    body = body.select(
        *(pl.col(f"_c{i}").alias(name) for i, name in enumerate(header)), pl.col(LINE)
    )
    return RawTable(
        frame=body,
        format="csv",
        decimal=source.decimal,
        separator=separator,
        encoding=encoding,
        rejected=rejected,
    )
