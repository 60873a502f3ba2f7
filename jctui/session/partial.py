"""A lookup's data: only the rows its figures need, read lazily from the file.

`jctui show` at one month needs every period (for the as-of check and the sparklines'
time axis), the registry (to find the Jobcenter), the ~25 periods up to the as-of month of
all Jobcenters (windows, previous year, ranks) and the whole history of the Jobcenters shown
(their sparklines and data warnings). For a single source in the canonical long layout
(jctui.readers.scan) only that is read; anything else, or rows that need the full reader
(a bad field, a duplicate key), returns None and the lookup reads everything as before.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from jctui.config import Config, SourceDef
from jctui.engine.figures import month_shifted
from jctui.model import REGISTRY_SCHEMA, VALUE_SCHEMA, Dataset
from jctui.readers import ReadResult
from jctui.readers.base import format_from_hint, sniff_format
from jctui.readers.ids import canonical_ids_differ, id_width
from jctui.readers.published.aggregates import is_aggregate
from jctui.readers.scan import scan_canonical, usable
from jctui.session.as_of import check_as_of
from jctui.session.load import dataset_of
from jctui.session.located import Located
from jctui.session.lookup import resolve_queries
from jctui.sources.file import SETTLE


def lookup_span(config: Config) -> int | None:
    """How many periods before the as-of month a lookup's figures reach back (the previous
    year's windows); None for windows the lazy read does not handle (days)."""
    windows = [config.window, *(r.window for r in config.rates.values())]
    if not all(w.isdigit() for w in windows):
        return None
    return 2 * max(12, *(int(w) for w in windows))


def scan_format(loc: Located) -> str:
    """The format of a located file: a cache is Arrow IPC (Parquet from earlier versions);
    else as configured, named by the extension, or told by the first bytes."""
    if loc.from_cache:
        return "ipc" if loc.path is not None and loc.path.suffix == ".arrow" else "parquet"
    if loc.source.format != "auto":
        return loc.source.format
    assert loc.path is not None
    found = format_from_hint(loc.path.suffix.lstrip("."))
    if found:
        return found
    with open(loc.path, "rb") as fh:
        return sniff_format(fh.read(4096))


def read_for_lookup(
    config: Config,
    located: Sequence[Located],
    as_of: dt.date | None,
    queries: Sequence[str],
) -> tuple[Dataset, tuple[dt.date, ...]] | None:
    """(dataset with only the rows the lookup needs, every period of the source), or None
    when the whole source must be read."""
    span = lookup_span(config)
    if len(located) != 1 or span is None or not queries:  # all Jobcenters: all their history
        return None
    loc = located[0]
    if loc.path is None or not loc.scannable or not loc.path.is_file():
        return None
    source = SourceDef(name=loc.source.name) if loc.from_cache else loc.source
    fmt = scan_format(loc)  # (sniffs the file's head where the name does not say)
    before = None if loc.from_cache else still(loc.path, fmt)
    if before is None and not loc.from_cache:
        return None  # just written, or cut short: the full reader's rule decides
    lf = scan_canonical(loc.path, fmt, source)
    if lf is None:
        return None
    try:
        found = _read(config, loc, lf, as_of, queries, span, fmt)
    except pl.exceptions.PolarsError:
        return None  # a row the scan could not parse: the full reader says where
    if not loc.from_cache and still(loc.path, fmt) != before:
        return None  # changed while it was scanned: the full reader reads it whole
    return found


def still(path: Path, fmt: str) -> tuple[int, int, int] | None:
    """The file's (size, mtime, inode) when a scan may take it: unchanged for SETTLE
    seconds and, as text, ending at a line end; else None (the full reader waits for a
    file to hold still and refuses one cut short)."""
    try:
        st = path.stat()
        young = SETTLE - (time.time() - st.st_mtime)
        if 0 < young <= SETTLE:  # just written: wait for it to settle, as a read does
            time.sleep(young)
            if path.stat() != st:
                return None
        with open(path, "rb") as fh:
            fh.seek(max(0, st.st_size - 1))
            last = fh.read(1)
    except OSError:
        return None
    if time.time() - st.st_mtime < SETTLE:
        return None
    if fmt not in ("parquet", "ipc") and last != b"\n":
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def _read(
    config: Config,
    loc: Located,
    lf: pl.LazyFrame,
    as_of: dt.date | None,
    queries: Sequence[str],
    span: int,
    fmt: str,
) -> tuple[Dataset, tuple[dt.date, ...]] | None:
    columns = lf.collect_schema().names()
    if fmt not in ("parquet", "ipc"):
        # Text formats cannot skip what they do not need: parse once (repeated texts as
        # categories, 4 bytes a row) and take the subsets from memory.
        lf = lf.collect(engine="streaming").lazy()
    registry_columns = [c for c in REGISTRY_SCHEMA if c in columns]
    periods_q = lf.select(pl.col("period").drop_nulls().unique().sort())
    registry_q = lf.select(registry_columns).unique()
    periods_frame, registry = pl.collect_all([periods_q, registry_q])
    periods = tuple(periods_frame.get_column("period").to_list())
    if not periods or any(p.day != 1 for p in periods):
        return None  # daily data: the full path
    # the full reader's rules, as its own fast path checks them (readers.normalise):
    known = registry.get_column("jobcenter_id").cast(pl.String)
    if registry.height != known.n_unique():
        return None  # a Jobcenter's name or state differs between rows: the full path merges
    if canonical_ids_differ(known.unique(), id_width(known.unique(), numeric=False)):
        return None  # "t03002", or "3002" beside five-digit ids: the full path mends them
    registry = registry.drop_nulls("jobcenter_id").select(
        pl.col(c).cast(t) if c in registry.columns else pl.lit(None, t).alias(c)
        for c, t in REGISTRY_SCHEMA.items()
    )
    # a Jobcenter without a name is known by its id (as merge_registries does)
    registry = registry.with_columns(name=pl.coalesce("name", "jobcenter_id"))
    if registry.filter(is_aggregate()).height:
        return None  # state or Germany rows: the full reader keeps them apart from Jobcenters
    at = check_as_of(periods, as_of) or periods[-1]
    ids, _ = resolve_queries(registry, queries)
    wanted = pl.col("period").is_between(month_shifted(at, -span), at) | pl.col(
        "jobcenter_id"
    ).cast(pl.String).is_in(ids)
    values = (
        lf.filter(wanted).select([pl.col(c).cast(t) for c, t in VALUE_SCHEMA.items()]).collect()
    )
    if not usable(values, config.metrics):
        return None
    dataset = dataset_of([loc], [ReadResult(values=values, registry=registry)])
    return dataset, periods
