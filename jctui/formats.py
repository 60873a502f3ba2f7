"""The file formats jctui reads, each declared once (the model: Textualize/toolong's FORMATS).

One frozen record per format: its name (`format = "..."` in the config), its reader, the
file-name extensions and HTTP content types that name it, the bytes a file of it starts
with, and whether a lookup may scan it lazily. Everything that lists formats is derived from
here: the readers table and the sniffing (jctui.readers.base, jctui.readers.formats), the
config's format check, the HTTP source's hint from a Content-Type, the data files of a
folder source, the lazy scan (jctui.readers.scan).

This module sits below jctui.config (which validates format names against it) and imports
nothing of jctui, so the reader and the lazy scan are named as "module:function" in
jctui.readers and imported when first used (jctui.readers.formats): a lookup that scans one
Parquet file never imports the Excel reader. A new format is one reader module in
jctui/readers/ and one entry in FORMATS (or `register` at run time).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass

AUTO = "auto"  # the config's "find the format": hint, then the bytes


@dataclass(frozen=True)
class Format:
    """One file format and everything that names, recognises or reads it."""

    name: str
    reader: str  # "jctui.readers.csv:read_csv": (bytes, SourceDef, origin) -> RawTable
    extensions: tuple[str, ...] = ()  # file-name extensions, without the dot
    content_types: tuple[str, ...] = ()  # HTTP media types
    magic: tuple[bytes, ...] = ()  # a file of it starts with one of these bytes
    text_start: tuple[bytes, ...] = ()  # its text (no BOM, no leading blanks) starts so
    looks_like: Callable[[bytes], bool] | None = None  # a closer test of that text
    scan: str = ""  # "module:function" of its lazy scan: (Path, SourceDef) -> LazyFrame | None
    fallback: bool = False  # what bytes no format claims are read as
    # delimited text: CR-only line ends mended, binary data refused, GENESIS flat files found
    delimited: bool = False
    published: bool = False  # official tables come in it: their layouts are recognised

    @property
    def hints(self) -> tuple[str, ...]:
        """What names the format in a file extension or content type (lowercase)."""
        return tuple(h.lower() for h in (self.name, *self.extensions, *self.content_types))


def _object_lines(text: bytes) -> bool:
    """Several lines, each a JSON object: NDJSON rather than one JSON document."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and lines[0].endswith(b"}") and lines[1].startswith(b"{")


FORMATS: tuple[Format, ...] = (
    Format(
        "csv",
        reader="jctui.readers.csv:read_csv",
        extensions=("csv", "tsv"),
        content_types=("text/csv", "text/tab-separated-values"),
        scan="jctui.readers.scan:scan_csv",
        fallback=True,
        delimited=True,
        published=True,
    ),
    Format(
        "parquet",
        reader="jctui.readers.parquet:read_parquet",
        extensions=("parquet",),
        content_types=("application/vnd.apache.parquet", "application/x-parquet"),
        magic=(b"PAR1",),
        scan="jctui.readers.scan:scan_parquet",
    ),
    Format(
        "json",
        reader="jctui.readers.json:read_json",
        extensions=("json",),
        content_types=("application/json",),
        text_start=(b"[", b"{"),
    ),
    Format(
        "ndjson",
        reader="jctui.readers.json:read_ndjson",
        extensions=("ndjson", "jsonl"),
        content_types=("application/x-ndjson", "application/jsonl", "application/json-seq"),
        text_start=(b"{",),
        looks_like=_object_lines,
        scan="jctui.readers.scan:scan_ndjson",
    ),
    Format(
        "xlsx",
        reader="jctui.readers.excel:read_excel",
        extensions=("xlsx", "xlsm"),
        content_types=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.ms-excel",
            "application/vnd.ms-excel.sheet.macroenabled.12",
        ),
        magic=(b"PK\x03\x04",),
        published=True,
    ),
)

_registry: dict[str, Format] = {f.name: f for f in FORMATS}


def formats() -> tuple[Format, ...]:
    """Every format, the built-in ones first (read at each call: `register` may add one)."""
    return tuple(_registry.values())


def names() -> tuple[str, ...]:
    """The format names the config accepts besides "auto"."""
    return tuple(_registry)


def get(name: str) -> Format | None:
    """The format called `name`, None for "auto" or an unknown name."""
    return _registry.get(name)


def register(fmt: Format) -> None:
    """Add a format (a plugin, a test): from now on read, sniffed, hinted and accepted by
    the config like a built-in one."""
    if fmt.name in _registry or fmt.name == AUTO:
        raise ValueError(f"format {fmt.name!r} is declared already")
    if fmt.fallback and any(f.fallback for f in _registry.values()):
        raise ValueError(f"format {fmt.name!r}: there is a fallback format already")
    _registry[fmt.name] = fmt


def unregister(name: str) -> None:
    """Remove a format added by `register` (the built-in ones stay)."""
    if any(f.name == name for f in FORMATS):
        raise ValueError(f"format {name!r} is built in")
    _registry.pop(name, None)


def format_from_hint(hint: str) -> str:
    """The format a file extension or content type names ("" when it names none): the
    longest declared name, extension or content type found in it wins ("ndjson" over
    "json", "application/json-seq" over "application/json")."""
    hint = hint.strip().lower().split(";", 1)[0].strip()
    if not hint:
        return ""
    found = [(len(h), -i, f.name) for i, f in enumerate(formats()) for h in f.hints if h in hint]
    return max(found)[2] if found else ""


def sniff_format(data: bytes) -> str:
    """The format the first bytes tell: a magic number, else how the text starts (a closer
    test first: NDJSON before JSON), else the fallback (CSV)."""
    known = formats()
    for fmt in known:
        if fmt.magic and data.startswith(fmt.magic):
            return fmt.name
    text = _text_head(data)
    claiming = [f for f in known if f.text_start and text.startswith(f.text_start)]
    for fmt in sorted(claiming, key=lambda f: f.looks_like is None):
        if fmt.looks_like is None or fmt.looks_like(text):
            return fmt.name
    return next((f.name for f in known if f.fallback), "")


def _text_head(data: bytes) -> bytes:
    """The first 4 KiB as UTF-8 without a byte order mark and leading blanks."""
    head = data[:4096]
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, errors="ignore").encode("utf-8")
            break
    return head.lstrip()


def extensions() -> frozenset[str]:
    """Every declared file-name extension, with its dot (".csv")."""
    return frozenset(f".{e.lower()}" for f in formats() for e in f.extensions)
