"""File formats are declared once (jctui.formats): everything that names, recognises or reads
a format follows from its one record.

What a user (or the next developer) checks: every declared format is accepted in the config,
recognised from its first bytes, named by each of its extensions and content types (for a
file, a folder of downloads and an HTTP answer), read by its reader, and scanned lazily
where it says so; a format added with one entry is picked up by all of these; and every
frame of a ReadResult reaches the offline cache and back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import io
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jctui import formats
from jctui.config import SourceDef, default_metrics, parse_config
from jctui.errors import ConfigError
from jctui.model import TARGET_SCHEMA, VALUE_SCHEMA
from jctui.readers import ReadResult, read_bytes
from jctui.readers.base import merge_results
from jctui.readers.formats import reader_of, scan_of
from jctui.readers.raw import LINE, RawTable
from jctui.readers.result import FRAMES
from jctui.readers.scan import scan_canonical, scannable
from jctui.session.load import cached_result, remember
from jctui.sources import cache
from jctui.sources.file import folder_files
from jctui.sources.http import format_hint

CATALOGUE = default_metrics()
FRAME = pl.DataFrame(
    {
        "jobcenter_id": ["06438", "06412"],
        "period": [dt.date(2018, 7, 1), dt.date(2018, 7, 1)],
        "metric": ["integrations", "integrations"],
        "value": [353.0, 1200.0],
    },
    schema=VALUE_SCHEMA,
)


def _xlsx(frame: pl.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.with_columns(pl.col("period").dt.strftime("%Y-%m")).write_excel(out)
    return out.getvalue()


def _parquet(frame: pl.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.write_parquet(out)
    return out.getvalue()


# a file of each declared format holding FRAME: a new format needs its sample here
SAMPLES: dict[str, Callable[[pl.DataFrame], bytes]] = {
    "csv": lambda f: f.write_csv().encode(),
    "parquet": _parquet,
    "json": lambda f: f.write_json().encode(),
    "ndjson": lambda f: f.write_ndjson().encode(),
    "xlsx": _xlsx,
}
DECLARED = [f.name for f in formats.FORMATS]


def source(name: str = "t", **fields: Any) -> SourceDef:
    return SourceDef(name=name, path=f"{name}.data", **fields)


def read(data: bytes, origin: str, **fields: Any) -> ReadResult:
    return read_bytes(
        data, source(**fields), catalogue=CATALOGUE, origin=origin, format_hint=origin
    )


def assert_figures(result: ReadResult) -> None:
    assert result.values.sort("jobcenter_id").equals(FRAME.sort("jobcenter_id"))


def test_every_declared_format_has_a_sample_here() -> None:
    assert set(SAMPLES) == set(formats.names()) == set(DECLARED)


@pytest.mark.parametrize("name", DECLARED)
def test_every_declared_format_is_accepted_by_the_config(name: str) -> None:
    config = parse_config({"sources": [{"name": "s", "path": "x", "format": name}]}, "c.toml")
    assert config.sources[0].format == name


def test_an_undeclared_format_is_refused_naming_the_declared_ones() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"sources": [{"name": "s", "path": "x", "format": "xls"}]}, "c.toml")
    message = str(err.value)
    assert message.startswith("c.toml: sources[0].format: expected 'auto'")
    assert all(repr(name) in message for name in DECLARED)
    assert message.endswith("got string 'xls'")


@pytest.mark.parametrize("name", DECLARED)
def test_every_declared_format_is_told_by_its_first_bytes(name: str) -> None:
    data = SAMPLES[name](FRAME)
    assert formats.sniff_format(data) == name
    declared = formats.get(name)
    assert declared is not None
    for magic in declared.magic:
        assert formats.sniff_format(magic + b"\x00" * 8) == name


@pytest.mark.parametrize("name", DECLARED)
def test_every_extension_and_content_type_names_its_format(name: str, tmp_path: Path) -> None:
    declared = formats.get(name)
    assert declared is not None
    assert declared.extensions
    assert declared.content_types
    url_source = SourceDef(name="api", url="https://example.invalid/data")
    for extension in declared.extensions:
        assert formats.format_from_hint(extension) == name
        assert formats.format_from_hint(extension.upper()) == name
        (tmp_path / f"data.{extension}").write_bytes(b"x")
    for content_type in declared.content_types:
        assert formats.format_from_hint(f"{content_type}; charset=utf-8") == name
        assert format_hint(url_source, content_type) == name  # an HTTP answer's
    (tmp_path / "notes.md").write_text("not data")
    found = {p.name for p in folder_files(SourceDef(name="f", path=str(tmp_path)))}
    assert found == {f"data.{e}" for e in declared.extensions}  # a folder of downloads


@pytest.mark.parametrize("name", DECLARED)
def test_every_declared_format_is_read_by_its_reader(name: str) -> None:
    data = SAMPLES[name](FRAME)
    declared = formats.get(name)
    assert declared is not None
    raw = reader_of(declared)(data, source(), f"x.{name}")
    assert raw.frame.height == FRAME.height
    for fields in ({}, {"format": name}):  # found by the extension, or configured
        result = read(data, f"x.{declared.extensions[0]}", **fields)
        assert result.format == name
        assert_figures(result)
    sniffed = read_bytes(data, source(), catalogue=CATALOGUE, origin="download")
    assert sniffed.format == name  # neither configured nor named: told by the bytes
    assert_figures(sniffed)


@pytest.mark.parametrize("name", DECLARED)
def test_a_format_declaring_a_lazy_scan_is_scanned(name: str, tmp_path: Path) -> None:
    declared = formats.get(name)
    assert declared is not None
    path = tmp_path / f"data.{declared.extensions[0]}"
    path.write_bytes(SAMPLES[name](FRAME))
    scanned = scan_canonical(path, name, source())
    assert (scanned is not None) == bool(declared.scan) == (name in scannable())
    assert (scan_of(declared) is not None) == bool(declared.scan)
    if scanned is not None:
        frame = scanned.collect().select(list(VALUE_SCHEMA)).cast(pl.Schema(VALUE_SCHEMA))
        assert frame.sort("jobcenter_id").equals(FRAME.sort("jobcenter_id"))


def test_hints_prefer_the_longest_name() -> None:
    assert formats.format_from_hint("application/x-ndjson") == "ndjson"
    assert formats.format_from_hint("application/json-seq") == "ndjson"
    assert formats.format_from_hint("application/json") == "json"
    assert formats.format_from_hint("application/octet-stream") == ""


def test_a_declaration_names_readers_inside_jctui_readers_only() -> None:
    foreign = formats.Format("x", reader="os:system")
    with pytest.raises(ValueError, match=r"jctui\.readers"):
        reader_of(foreign)


# -- a format added with one entry -----------------------------------------------------------

PIPE_MAGIC = b"PIPE1\n"


def read_pipe(data: bytes, source: SourceDef, origin: str) -> RawTable:
    """A test format: the magic line, then '|'-separated canonical columns."""
    body = data.removeprefix(PIPE_MAGIC)
    frame = pl.read_csv(io.BytesIO(body), separator="|", infer_schema=False)
    frame = frame.with_columns(pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias(LINE))
    return RawTable(frame=frame, format="pipe", decimal=source.decimal)


@pytest.fixture
def pipe(monkeypatch: pytest.MonkeyPatch) -> Iterator[bytes]:
    """The format "pipe" registered (its reader in a module of jctui.readers), and a file."""
    module = types.ModuleType("jctui.readers.pipe_for_test")
    module.__dict__["read_pipe"] = read_pipe
    monkeypatch.setitem(sys.modules, module.__name__, module)
    formats.register(
        formats.Format(
            "pipe",
            reader=f"{module.__name__}:read_pipe",
            extensions=("pipe",),
            content_types=("text/x-pipe",),
            magic=(PIPE_MAGIC,),
        )
    )
    try:
        yield PIPE_MAGIC + FRAME.write_csv(separator="|").encode()
    finally:
        formats.unregister("pipe")


def test_a_registered_format_is_picked_up_everywhere(pipe: bytes, tmp_path: Path) -> None:
    config = parse_config({"sources": [{"name": "s", "path": "x", "format": "pipe"}]}, "c.toml")
    assert config.sources[0].format == "pipe"
    assert formats.sniff_format(pipe) == "pipe"
    assert formats.format_from_hint("pipe") == formats.format_from_hint("text/x-pipe") == "pipe"
    assert (
        format_hint(SourceDef(name="api", url="https://example.invalid/"), "text/x-pipe") == "pipe"
    )
    (tmp_path / "2018-07.pipe").write_bytes(pipe)
    assert [p.name for p in folder_files(SourceDef(name="f", path=str(tmp_path)))] == [
        "2018-07.pipe"
    ]
    for result in (read(pipe, "x.pipe"), read(pipe, "download"), read(pipe, "x", format="pipe")):
        assert result.format == "pipe"
        assert_figures(result)
    assert "pipe" not in scannable()  # it declares no lazy scan


def test_a_format_is_declared_once(pipe: bytes) -> None:
    with pytest.raises(ValueError, match="declared already"):
        formats.register(formats.Format("pipe", reader="jctui.readers.csv:read_csv"))
    with pytest.raises(ValueError, match="fallback"):
        formats.register(formats.Format("txt", reader="jctui.readers.csv:read_csv", fallback=True))
    with pytest.raises(ValueError, match="built in"):
        formats.unregister("csv")


# -- ReadResult's frames, declared once ------------------------------------------------------


def test_every_frame_of_a_result_is_kept_by_the_offline_cache() -> None:
    cached = {f.name for f in dataclasses.fields(cache.CachedSource)}
    saved = set(inspect.signature(cache.save).parameters)
    assert set(FRAMES) <= cached
    assert set(FRAMES) <= saved
    assert set(FRAMES) == {
        f.name
        for f in dataclasses.fields(ReadResult)
        if f.name not in ("notices", "format", "details")
    }


def test_a_result_goes_to_the_cache_and_back_with_every_frame(tmp_path: Path) -> None:
    targets = pl.DataFrame(
        {"jobcenter_id": ["06438"], "year": [2018], "metric": ["integrations"], "target": [4400.0]},
        schema=TARGET_SCHEMA,
    )
    src = source(role="targets")
    result = ReadResult(targets=targets, format="csv")
    assert remember(src, result, tmp_path, etag="e", last_modified="") == ""
    loaded, problem = cache.load_checked(src, folder=tmp_path)
    assert problem == ""
    assert loaded is not None
    back = cached_result(loaded)
    assert back.targets.equals(targets)
    assert set(back.frames()) == set(FRAMES)


def test_results_merged_and_copied_keep_every_frame() -> None:
    targets = pl.DataFrame(
        {"jobcenter_id": ["06438"], "year": [2018], "metric": ["elb"], "target": [15000.0]},
        schema=TARGET_SCHEMA,
    )
    one = ReadResult(values=FRAME, targets=targets, format="csv", notices=("a",))
    merged = merge_results([one, ReadResult(values=FRAME)], "folder")
    assert merged.targets.equals(targets)
    assert merged.values.equals(FRAME)
    copied = ReadResult.of(one, details="again")
    assert all(copied.frames()[n] is one.frames()[n] for n in FRAMES)
    assert (copied.details, copied.notices, copied.format) == ("again", (), "")
    assert ReadResult.of({"values": FRAME}).values is FRAME
