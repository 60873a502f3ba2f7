"""What the offline cache folder holds (jctui.sources.cache): the names of its files, the
pointer of each source, and what a cached source is when read back. Shared by the cache's
writer and reader, and by `tidy`, which removes only files named as these names are."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import polars as pl

from jctui.model import (
    AGGREGATE_SCHEMA,
    CONFLICT_SCHEMA,
    LABEL_SCHEMA,
    MISSING_SCHEMA,
    REJECTED_SCHEMA,
    empty_aggregates,
    empty_conflicts,
    empty_labels,
    empty_missing,
    empty_rejected,
    empty_targets,
)

# the pointer's names (stdlib only: jctui.sources.pointer), as the cache's modules use them
from jctui.sources.pointer import Validators as Validators
from jctui.sources.pointer import read_pointer as read_pointer
from jctui.sources.pointer import source_key as source_key

FILE_MODE = 0o640  # owner writes, the group (of a shared cache) reads, others nothing
DIR_MODE = 0o750
ORPHAN_AGE = 60.0  # seconds
READ_TRIES = 5  # reads of a copy whose data file a writer removed meanwhile
POINTER_NAME = re.compile(r"[0-9a-f]{20}\.json")
# data files: values (Arrow IPC; Parquet from earlier versions) and the set-aside rows
# what a reader sets aside beside the values, kept with them: kind -> schema
SET_ASIDE: dict[str, dict[str, pl.DataType]] = {
    "rejected": REJECTED_SCHEMA,
    "conflicts": CONFLICT_SCHEMA,
    "missing": MISSING_SCHEMA,  # signs in value cells: the publisher's `*` shows as `*`
    "aggregates": AGGREGATE_SCHEMA,  # Deutschland, the states: reference values
    "labels": LABEL_SCHEMA,  # figures the catalogue lacks: their labels
}
_KINDS = "|".join(rf"\.{kind}\.parquet" for kind in SET_ASIDE)
DATA_NAME = re.compile(rf"[0-9a-f]{{20}}-[0-9a-f]{{12}}(\.arrow|\.parquet|{_KINDS})")
TMP_NAME = re.compile(
    rf"\.[0-9a-f]{{20}}(-[0-9a-f]{{12}}(\.arrow|\.parquet|{_KINDS})|\.[0-9a-f]{{8}}\.json)\.tmp"
)
DATA_KINDS = ("data", *SET_ASIDE)  # the pointer's keys naming data files


@dataclass(frozen=True)
class CachedSource:
    values: pl.DataFrame
    registry: pl.DataFrame
    fetched_at: dt.datetime
    etag: str = ""
    last_modified: str = ""
    # what the reader set aside when the data was fetched, so `check` after a 304 lists it
    rejected: pl.DataFrame = field(default_factory=empty_rejected)
    conflicts: pl.DataFrame = field(default_factory=empty_conflicts)
    targets: pl.DataFrame = field(default_factory=empty_targets)  # of a targets source
    missing: pl.DataFrame = field(default_factory=empty_missing)
    aggregates: pl.DataFrame = field(default_factory=empty_aggregates)
    labels: pl.DataFrame = field(default_factory=empty_labels)
