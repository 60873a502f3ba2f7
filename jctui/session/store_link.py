"""The figure store as the long-lived processes use it: `jctui refresh` writes every as-of
month (`store_all`); the dashboard, the kiosk and every `serve` session link their load to
the stored revision of the very same data (`link_load`), so an as-of step, a change of
Jobcenter and a new session read stored figures instead of computing them, and a month one
session computes first is stored for the others. Beside a month's figures, the screens'
look-ups of them (jctui.session.lookups: plain data, JSON, with a digest) are kept too, so
a session on a stored month prepares nothing either."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import mmap
import os
import sys
import uuid
import zlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jctui.config import Config
from jctui.presentation.ranking import Standing

if TYPE_CHECKING:
    from jctui.engine import Engine, Figures
    from jctui.model import Dataset
    from jctui.session.located import Located
    from jctui.session.lookups import FigureLookups
    from jctui.session.store import StoredData, StoreKey

log = logging.getLogger("jctui.store")
# 2: compare rows with their standings (jctui.presentation.ranking); 3: a line per field;
# 4: the fields by Jobcenter as a line per Jobcenter (read when looked up); 5: where those
# lines are, in a line of its own (not found by reading them all), a CRC-32 as the check;
# 6: a standing's fields positional
VIEWS_FORMAT = 6
CHECK_LINE = 9  # the views file's first line: the CRC-32 of the rest, 8 hex digits
STANDING_FIELDS = tuple(f.name for f in dataclasses.fields(Standing))


def store_enabled() -> bool:
    """The figure store is used unless JCTUI_STORE=0 (a fresh computation, for comparison)."""
    return os.environ.get("JCTUI_STORE", "1") != "0"


def fingerprint(dataset: Dataset, config: Config) -> str:
    """The data a store is of, as they may be kept (small counts null, the aggregates' counts
    too, so it tells nothing withheld): a dashboard uses a store only for the data it loaded."""
    import polars as pl

    from jctui.presentation.policy import SmallCounts
    from jctui.presentation.references import kept_aggregates

    values = dataset.values.with_columns(SmallCounts.of(config).expr(pl.col("value")))
    aggregates = kept_aggregates(dataset.aggregates, config)
    frames = (values, dataset.registry, dataset.missing, aggregates, dataset.targets)
    sums = (f.hash_rows().sum() if f.height and f.width else 0 for f in frames)
    parts = [
        pl.__version__,
        *(f"{f.height} {f.columns} {h}" for f, h in zip(frames, sums, strict=True)),
    ]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=12).hexdigest()


@dataclass(frozen=True)
class StoreLink:
    """A load's stored revision: its months are read from there, and stored when new."""

    key: StoreKey
    data: StoredData

    def month(self, as_of: dt.date) -> Figures | None:
        """The stored figures at `as_of` (as the small-count rule leaves them); None when
        not stored yet (or unusable)."""
        from jctui.session.store import read_month

        return read_month(self.data, self.key, as_of)

    def save(self, figures: Figures) -> None:
        """Store a month computed here, for the next session; a failure is only logged."""
        import polars as pl

        from jctui.session.store import write_month

        try:
            write_month(self.data, self.key, figures)
        except (OSError, pl.exceptions.PolarsError) as exc:
            log.warning("could not write the figure store: %s", exc)

    def _views_file(self, as_of: dt.date, shown: Sequence[str]) -> Path:
        from jctui.session.store import month_name

        which = hashlib.blake2b("\0".join(shown).encode(), digest_size=8).hexdigest()
        return self.data.folder / "months" / month_name(as_of) / f"views-{which}.json"

    def views(
        self, as_of: dt.date, shown: Sequence[str], only: Collection[str] | None = None
    ) -> FigureLookups | None:
        """The screens' look-ups of the stored month (`shown`: the metrics the dashboard
        shows; `only`: these fields, the others left empty and not even decoded); None
        when not kept or not whole (its check line). The fields by Jobcenter stay in the file,
        each Jobcenter's decoded when looked up (jctui.session.lazy_views)."""
        from jctui.session.lookups import BY_JOBCENTER, ON_DEMAND, FigureLookups

        try:
            fd = os.open(self._views_file(as_of, shown), os.O_RDONLY)
        except OSError:
            return None
        lazy = [n for n in (*BY_JOBCENTER, *ON_DEMAND) if only is None or n in only]
        try:
            fields = _read_views(fd, self.key.name, as_of, shown, only, lazy)
        except (OSError, ValueError, KeyError, TypeError):
            fields = None
        if fields is None or not lazy:
            os.close(fd)  # else held by the look-ups' lines (closed with them)
        return None if fields is None else FigureLookups(**fields)

    def save_views(self, as_of: dt.date, shown: Sequence[str], views: FigureLookups) -> None:
        """Keep the look-ups of a stored month (written whole: a temp file, renamed): a
        check line, a head line, a line per field not by Jobcenter (read alone by
        `views(only=...)`), the keys' order, where each Jobcenter's line is, then a line
        per Jobcenter (read when looked up)."""
        from jctui.session.lazy_views import sparks_runs
        from jctui.session.lookups import BY_JOBCENTER

        path = self._views_file(as_of, shown)
        if not path.parent.is_dir():
            return  # the month itself is not stored
        head = [VIEWS_FORMAT, self.key.name, as_of.isoformat(), list(shown)]
        lines = [json.dumps(head)]
        for f in dataclasses.fields(views):
            if f.name not in BY_JOBCENTER:
                lines.append(f"{f.name} {json.dumps(getattr(views, f.name), default=_encoded)}")
        order: dict[str, Any] = {n: list(getattr(views, n)) for n in BY_JOBCENTER[:-1]}
        order["sparks"] = sparks_runs(iter(views.sparks))
        lines.append(f"$order {json.dumps(order)}")
        payloads: dict[str, dict[str, Any]] = {}
        for name in BY_JOBCENTER[:-1]:
            for jc, value in getattr(views, name).items():
                payloads.setdefault(jc, {})[name] = value
        for (jc, key), spark in views.sparks.items():
            payloads.setdefault(jc, {}).setdefault("sparks", {})[key] = spark
        # each Jobcenter's line, and where its payload is (from the first Jobcenter's line
        # on, in bytes): a reader finds them without going through the lines
        ours = [
            (f"@{json.dumps(jc)}\t".encode(), json.dumps(p, default=_encoded).encode())
            for jc, p in payloads.items()
        ]
        spans: dict[str, tuple[int, int]] = {}
        at = 0
        for jc, (lead, payload) in zip(payloads, ours, strict=True):
            spans[jc] = (at + len(lead), len(payload))
            at += len(lead) + len(payload) + 1
        lines.append(f"$spans {json.dumps(spans)}")
        text = "\n".join(lines).encode() + b"\n" + b"\n".join(k + p for k, p in ours)
        tmp = path.with_name(f".tmp-{path.name}-{uuid.uuid4().hex[:8]}")
        try:
            tmp.write_bytes(f"{zlib.crc32(text):08x}\n".encode() + text)
            os.chmod(tmp, 0o640)
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            log.warning("could not write the figure store: %s", exc)


def _read_views(
    fd: int,
    name: str,
    as_of: dt.date,
    shown: Sequence[str],
    only: Collection[str] | None,
    lazy: Sequence[str],
) -> dict[str, Any] | None:
    """The fields of a views file (see `StoreLink.save_views`), checked whole by its CRC
    (mapped, not copied: ~2 ms for a month of 5 MB); those by Jobcenter and those read
    whole when used (`lazy`) as look-ups of the open file `fd`. None when not usable."""
    from jctui.session.lazy_views import (
        ByJobcenter,
        JobcenterLines,
        MappingOnDemand,
        RowsOnDemand,
        SparksByKey,
    )
    from jctui.session.lookups import ON_DEMAND, FigureLookups

    with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as body:
        start = body.find(b"\n") + 1  # the file offset of what the check line checks
        if start != CHECK_LINE:
            return None
        with memoryview(body) as whole, whole[start:] as checked:  # released before the map
            crc = zlib.crc32(checked)
        if int(body[: start - 1], 16) != crc:
            return None
        known = {f.name for f in dataclasses.fields(FigureLookups)}
        fields: dict[str, Any] = {}
        wholes: dict[str, tuple[int, int]] = {}  # the fields read whole when first used
        spans: dict[str, tuple[int, int]] | None = None
        pos, first = start, True
        while spans is None:
            end = body.find(b"\n", pos)
            if end < 0:
                return None  # no Jobcenter's line: cut short (the check would have said)
            if first:
                if json.loads(body[pos:end]) != [
                    VIEWS_FORMAT, name, as_of.isoformat(), list(shown)
                ]:  # fmt: skip
                    return None
                first = False
            else:
                cut = body.find(b" ", pos, end)
                field = body[pos:cut].decode()
                if field == "$spans":  # the last line before the Jobcenters' lines
                    found = json.loads(body[cut + 1 : end])
                    spans = {sys.intern(jc): (end + 1 + at, n) for jc, (at, n) in found.items()}
                elif field in lazy or field == "$order":  # decoded when used (the keys'
                    wholes[field] = (cut + 1, end - cut - 1)  # order: when iterated)
                elif field not in known:
                    return None
                elif only is None or field in only:
                    fields[field] = json.loads(body[cut + 1 : end], object_hook=_decoded)
            pos = end + 1
    if "$order" not in wholes or any(f in ON_DEMAND and f not in wholes for f in lazy):
        return None
    if lazy:  # from here on the look-ups own the open file (closed with them)
        lines = JobcenterLines(
            fd, spans, lambda text: json.loads(text, object_hook=_decoded), wholes
        )
        for field in lazy:
            if field == "compare_rows":
                fields[field] = RowsOnDemand(lines, field)
            elif field == "target_rankings":
                fields[field] = MappingOnDemand(lines, field)
            elif field == "sparks":
                fields[field] = SparksByKey(lines)
            else:
                fields[field] = ByJobcenter(lines, field)
    return fields


def _encoded(value: object) -> Any:
    """JSON of what the look-ups hold beside str, numbers, bools, None, lists and dicts."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"$date": value.isoformat()}
    if isinstance(value, frozenset):
        return {"$set": sorted(value)}
    if isinstance(value, Standing):  # a compare row's place by a figure (rank, gaps): its
        return {"$s": [getattr(value, name) for name in STANDING_FIELDS]}  # fields in order
    raise TypeError(f"not kept in the store: {type(value).__name__}")


def _decoded(value: dict[str, Any]) -> Any:
    """A JSON object of the look-ups as kept; its text values shared with their equals (a
    month's look-ups repeat ~900 texts 54,000 times: names, ids, keys; 3 MB less a month)."""
    if len(value) == 1:
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$set" in value:
            return frozenset(value["$set"])
        if "$s" in value:  # positional: a third less to decode than by name (2,849 a month)
            return Standing(*value["$s"])
    return {k: sys.intern(v) if type(v) is str else v for k, v in value.items()}


def link_load(
    config: Config, dataset: Dataset, engine: Engine, started_ns: int | None
) -> StoreLink | None:
    """The store of the data just loaded: read when its fingerprint is of these data, else
    written (only when no source file changed since the load began at `started_ns`, so the
    key names what was read); None without a usable store (the months are computed)."""
    from jctui.session import store
    from jctui.session.load import locate

    if not store_enabled() or not config.sources or engine.latest is None:
        return None
    try:
        located = [locate(src, config, offline=src.is_remote) for src in config.sources]
        key = store.store_key(config, located)
        if key is None:
            return None
        mark = fingerprint(dataset, config)
        data = store.read_data(config, key)
        if data is not None:
            return StoreLink(key, data) if data.fingerprint == mark else None
        if started_ns is None or not _settled(config, located, started_ns):
            return None
        return StoreLink(key, store.write_data(config, key, dataset, engine))
    except Exception as exc:  # the store is a shortcut: without it the months are computed
        log.info("figure store not used: %s", exc)
        return None


def files_changed_since(config: Config, started_ns: int) -> bool:
    """True when a source file (or the shared cache's) changed since `started_ns`, or
    cannot be told."""
    from jctui.session.load import locate

    try:
        located = [locate(src, config) for src in config.sources]
        return not _settled(config, located, started_ns)
    except Exception:  # cannot tell: read them again
        return True


def _settled(config: Config, located: Sequence[Located], started_ns: int) -> bool:
    """True when no file the sources were read from changed since `started_ns`."""
    from jctui.locations import cache_dir
    from jctui.sources import cache
    from jctui.sources.file import folder_files, is_folder_source

    files = []
    for loc in located:
        if loc.from_cache:
            files.append(cache.data_path(loc.source, folder=cache_dir(config.cache_dir)))
        elif loc.path is not None:
            files += folder_files(loc.source) if is_folder_source(loc.source) else [loc.path]
    for path in files:
        if path is None:
            return False
        st = path.stat()
        if max(st.st_mtime_ns, st.st_ctime_ns) >= started_ns:
            return False
    return True


def store_all(config: Config) -> int:
    """Write the store of the configured sources as they are now (files as they are, URL
    sources from the offline cache): every as-of month not stored yet. Returns how many."""
    from jctui.engine import Engine
    from jctui.session import store
    from jctui.session.load import combine, locate, read_located

    located = [locate(src, config, offline=src.is_remote) for src in config.sources]
    key = store.store_key(config, located)
    if key is None:
        return 0
    data = store.read_data(config, key)
    if data is not None and all(
        (data.folder / "months" / store.month_name(p)).is_dir() for p in data.periods
    ):
        return 0  # every month is there: nothing is loaded
    results = [read_located(loc, config) for loc in located]
    dataset = combine(results, [loc.source for loc in located])
    engine = Engine.for_dataset(config, dataset)
    if engine.latest is None:
        return 0
    data, written = store.write_store(config, key, dataset, engine)
    keep_opening_views(config, StoreLink(key, data), dataset)
    return written


# the latest months, whose look-ups `jctui refresh` keeps too (3-5 MB each on the demo)
OPENING_MONTHS = 4


def keep_opening_views(config: Config, link: StoreLink, dataset: Dataset) -> None:
    """Keep the screens' look-ups of the months a dashboard opens on (the latest, and the
    two its prefetch reads) and of the month a first step back prefetches (the one before
    those, its attention line's), so that sessions starting and stepping together
    prepare none of them (each session of a `serve` burst did, for its first `[`)."""
    from jctui.config import dashboard_figures
    from jctui.config.catalogue import config_with_labels
    from jctui.session.prepare import prepare_views

    present = dataset.shown_metrics  # as a session's load takes them (Session.accept_data)
    shown_config = config_with_labels(config, present, dataset.label_of)
    shown = dashboard_figures(shown_config.metrics, shown_config.rates, present)[0]
    for month in link.data.periods[-OPENING_MONTHS:]:
        figures = link.month(month)
        if figures is not None and link.views(month, shown) is None:
            link.save_views(month, shown, prepare_views(figures, dataset, shown_config, shown))


def stored_load(config: Config) -> StoreLink | None:
    """The stored revision of the configured sources as their files are now, found without
    reading them (their revision is their files' identity and content): a dashboard shows
    its figures from there and reads the sources only for a month not stored. Only for file
    sources (a URL source is asked first); with follow_cache only while the shared cache
    holds the files as they are now (else the cache is read: it may keep older data, the
    shrink rule); None when the revision is not stored (or not whole)."""
    from jctui.session import store
    from jctui.session.load import locate

    sources = config.sources
    if not store_enabled() or not sources:
        return None
    if any(src.is_remote and not src.demo for src in sources):
        return None
    try:
        if config.refresh.follow_cache:  # the shared cache holds the files as they are now
            from jctui.session.shared import cache_is_of_files

            if not cache_is_of_files(config):
                return None
        key = store.store_key(config, [locate(src, config) for src in sources])
        data = store.read_data(config, key) if key is not None else None
    except Exception as exc:  # the store is a shortcut: without it the sources are read
        log.info("figure store not used: %s", exc)
        return None
    if key is None or data is None or not data.periods or not data.fingerprint:
        return None
    return StoreLink(key, data)
