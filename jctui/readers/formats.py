"""The readers and lazy scans of the declared formats (jctui.formats), imported when used.

jctui.formats names them as "module:function" (it sits below the readers, so that the config
can check format names against it); here the names become functions, once each. Only
functions in jctui.readers are taken: a declaration cannot make the readers import anything
else.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

import polars as pl

from jctui import formats
from jctui.config import SourceDef
from jctui.errors import SourceError
from jctui.readers.raw import RawTable

Reader = Callable[[bytes, SourceDef, str], RawTable]
Scan = Callable[[Path, SourceDef], pl.LazyFrame | None]


def spec(name: str, origin: str) -> formats.Format:
    """The declared format `name`, else a SourceError naming the known ones."""
    found = formats.get(name)
    if found is None:
        known = ", ".join(formats.names())
        raise SourceError(f"{origin}: unknown format {name!r} (known: {known})")
    return found


def reader_of(fmt: formats.Format) -> Reader:
    """The function that reads bytes of `fmt` into a RawTable."""
    return cast(Reader, _function(fmt.reader))


def scan_of(fmt: formats.Format) -> Scan | None:
    """The lazy scan of `fmt` (jctui.readers.scan), None when it has none."""
    return cast(Scan, _function(fmt.scan)) if fmt.scan else None


@functools.cache
def _function(dotted: str) -> Callable[..., object]:
    """The function "package.module:name" of jctui.readers."""
    module, _, name = dotted.partition(":")
    if not module.startswith("jctui.readers.") or not name:
        raise ValueError(f"{dotted!r}: expected 'jctui.readers.<module>:<function>'")
    found = getattr(importlib.import_module(module), name, None)
    if not callable(found):
        raise ValueError(f"{dotted!r}: no such function")
    return cast(Callable[..., object], found)
