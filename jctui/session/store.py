"""The figure store: every figure of every Jobcenter at an as-of month, computed once per
data revision and kept beside the cached data as Arrow IPC files (LZ4; the values not).

Layout, under `<cache_dir>/figures/`:

    <slot>-<revision>/            one data revision (written whole: a temp folder, renamed)
        meta.json                 format, jctui version, key, periods, labels, file digests
        values.arrow ...          the values as they may be shown (small counts null), the
                                  registry, the publisher's signs, aggregates and targets
        show-names.json           the name index `show` searches (jctui.session.show_records)
        months/<as-of>/           the figures of one as-of month (also written whole)
            meta.json, metrics.arrow, rates.arrow, warnings.arrow, targets.arrow
            show-<lang>-<variant>.jsonl   what `show` prints of every Jobcenter (its record)

`slot`: the sources, the config parts that change figures and the jctui version;
`revision`: the data (a file's identity and content, a cached source's validators). A store
that is missing, stale (another key), corrupt (a digest or a file that does not read) or of
another version is not read: the caller recomputes and writes it again. Two writers at once:
one rename wins, the other's copy is dropped; readers never see a half-written folder.
Withheld values never reach the store: the figures are stored after `withhold`, the values
with the small counts null, the aggregates' counts null (jctui.presentation.references).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jctui.build import code_revision
from jctui.config import Config
from jctui.identity import file_identity
from jctui.locations import cache_dir
from jctui.presentation.policy import SmallCounts
from jctui.presentation.references import kept_aggregates
from jctui.presentation.suppression import withhold
from jctui.session.store_link import fingerprint

if TYPE_CHECKING:
    import polars as pl

    from jctui.engine import Engine, Figures
    from jctui.model import Dataset
    from jctui.session.located import Located

log = logging.getLogger("jctui.store")

# the layout of a store folder; another number is another store
# (2: the data fingerprint in meta; 3: "window_sum" for "sum_12"; 4: the refused figures)
STORE_FORMAT = 4
BASE_FRAMES = ("values", "registry", "missing", "aggregates", "targets", "index", "firsts")
MAX_SLICES = 16  # a lookup of more Jobcenters scans the values file instead
MONTH_FRAMES = ("metrics", "rates", "warnings", "targets")
RACY_SECONDS = 2  # a source file younger than this is read for its digest at every lookup
FILE_MODE, FOLDER_MODE = 0o640, 0o750  # as the offline cache: for the users' group
WHOLE_DIGEST = 8 * 2**20  # store files up to this size are checked whole on every read
MAP_VALUES_ABOVE = 16 * 2**20  # stored values larger than this are mapped (`shown_dataset`)


@dataclass(frozen=True)
class StoreKey:
    """What a store is of: `slot` (sources, figure config, version), `revision` (the data)."""

    slot: str
    revision: str

    @property
    def name(self) -> str:
        return f"{self.slot}-{self.revision}"


@dataclass(frozen=True)
class StoredData:
    """One data revision as read from the store: what a lookup needs beside the figures."""

    dataset: Dataset  # values as they may be shown (small counts null); empty when stored
    periods: tuple[dt.date, ...]
    frequency: str
    folder: Path
    values_file: Path | None = None  # the stored values, read by `lookup_values`
    index: pl.DataFrame | None = None  # jobcenter_id, offset, length of its rows in the file
    fingerprint: str = ""  # of the data as they may be shown (`fingerprint`)
    # figures a failed cross-check left out (jctui.model.refused_figures): the dashboard
    # says why a figure is missing without reading the source's rejected rows
    refused: dict[tuple[str, str, str], str] = dataclasses.field(default_factory=dict)

    def shown_dataset(self) -> Dataset:
        """The stored data with every value as it may be shown (small counts null): what the
        dashboard's screens and charts read. A large file (uncompressed Arrow IPC) is mapped
        as the shared cache's data are (`jctui.sources.cache.read_data`, through pyarrow when
        installed): sessions on one store share its pages (1M rows: ~4 MB private instead of
        ~42 MB read into memory; Polars 2.1's `read_ipc` does not map the file); a small one
        is read (importing pyarrow would cost more: ~10 MB)."""
        import polars as pl

        from jctui.sources.cache import read_data as mapped

        path = self.values_file
        if path is None:
            return self.dataset
        if path.stat().st_size > MAP_VALUES_ABOVE or "pyarrow" in sys.modules:
            return dataclasses.replace(self.dataset, values=mapped(path))
        return dataclasses.replace(self.dataset, values=pl.read_ipc(path))

    def first_rows_dataset(self) -> Dataset:
        """The stored data with only the first value row of every metric as its values (what
        the data hold: `shown_metrics`), for a session until it needs every value
        (`shown_dataset`: a chart, a month not stored)."""
        import polars as pl

        if self.values_file is None:
            return self.dataset
        firsts = pl.read_ipc(self.folder / "firsts.arrow")
        return dataclasses.replace(self.dataset, values=firsts)

    def lookup_values(self, ids: Sequence[str], as_of: dt.date, lookback: int) -> pl.DataFrame:
        """The values a lookup of `ids` at `as_of` shows (its sparklines: the last `lookback`
        periods), and one row of every metric (what the data hold: `shown_metrics`). From
        the file, a few Jobcenters are read as slices of it (its rows sorted by Jobcenter)."""
        import polars as pl

        periods = [p for p in self.periods if p <= as_of][-lookback:]
        wanted = pl.col("period").is_between(periods[0], periods[-1])
        if self.values_file is None or self.index is None:
            values = self.dataset.values.lazy()
            rows = values.filter(pl.col("jobcenter_id").is_in(list(ids)) & wanted)
            firsts = values.filter(pl.col("metric").is_first_distinct())
        else:
            spans = self.index.filter(pl.col("jobcenter_id").is_in(list(ids))).sort("offset")
            scan = pl.scan_ipc(self.values_file)
            if spans.height > MAX_SLICES:
                rows = scan.filter(pl.col("jobcenter_id").is_in(list(ids)) & wanted)
            else:
                parts = [scan.slice(o, n) for o, n in spans.select("offset", "length").rows()]
                rows = pl.concat(parts).filter(wanted) if parts else scan.head(0)
            firsts = pl.scan_ipc(self.folder / "firsts.arrow")
        others = firsts.filter(~(pl.col("jobcenter_id").is_in(list(ids)) & wanted))
        return pl.concat([rows, others]).collect()


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=12).hexdigest()


def figure_config(config: Config) -> str:
    """The config parts that change figures, as text (sources with their reader options,
    metrics, rates, window, group_by, small-count settings, checks)."""
    parts = (
        config.sources, config.metrics, config.rates, config.window, config.group_by,
        config.small_count_threshold, config.small_counts_include_zero, config.checks,
    )  # fmt: skip
    return repr(parts)


def store_key(config: Config, located: Sequence[Located]) -> StoreKey | None:
    """The key of the store for these located sources; None when one cannot be keyed (new
    data that could not be cached, a file that cannot be read)."""
    revisions = [_revision(loc, config) for loc in located]
    if not located or any(r is None for r in revisions):
        return None
    slot = _digest(f"jctui {code_revision()}", f"store {STORE_FORMAT}", figure_config(config))
    return StoreKey(slot, _digest(*(r or "" for r in revisions)))


def _revision(loc: Located, config: Config) -> str | None:
    """A source's data revision: its files' identity and content, or its cached copy's
    validators and file identity (after a 304, or --offline); None for new data just read
    (the next lookup, answered by a 304, keys them by the cache)."""
    src = loc.source
    if loc.result is not None:  # new data, read now: the cache may not have them (a full disk)
        return None
    try:
        if loc.path is not None and not loc.from_cache:
            from jctui.sources.file import folder_files, is_folder_source

            files = folder_files(src) if is_folder_source(src) else [loc.path]
            memo = store_root(config) / ".revisions"
            return _digest(*(_file_revision(f, memo) for f in files))
        from jctui.sources.pointer import cached_revision

        revision = cached_revision(src, folder=cache_dir(config.cache_dir))
        return None if revision is None else _digest(revision)
    except OSError:
        return None


def _file_revision(path: Path, memo: Path | None = None) -> str:
    """A file by its content: the same bytes are the same revision, however old the file.
    The digest of a file unchanged for RACY_SECONDS is remembered in `memo` by its identity
    (device, inode, size, modification and change time: every write changes the change
    time, which no user can set back), so it is read once; a younger file each time."""
    identity, st = file_identity(path), path.stat()
    settled = time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_SECONDS * 10**9
    note = memo / _digest(str(path.resolve())) if memo is not None and settled else None
    if note is not None and note.is_file():
        known, _, digest = note.read_text(encoding="utf-8").partition("\n")
        if known == identity:
            return digest
    with path.open("rb") as f:
        digest = hashlib.file_digest(f, "blake2b").hexdigest()
    if note is not None and file_identity(path) == identity:  # unchanged while it was read
        note.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        tmp = note.with_name(f".tmp-{note.name}-{uuid.uuid4().hex[:8]}")
        tmp.write_text(f"{identity}\n{digest}", encoding="utf-8")
        tmp.replace(note)
    return digest


def store_root(config: Config) -> Path:
    """Where the stores are kept: beside the offline cache."""
    return cache_dir(config.cache_dir) / "figures"


# -- reading -------------------------------------------------------------------------


def _file_digest(path: Path) -> str:
    """The size and a digest of a store file: of all of it up to WHOLE_DIGEST bytes, else of
    its first and last MiB (a large file is also checked by the Arrow reader's structure)."""
    size = path.stat().st_size
    with path.open("rb") as f:
        if size <= WHOLE_DIGEST:
            content = f.read()
        else:
            content = f.read(2**20)
            f.seek(size - 2**20)
            content += f.read()
    return f"{size}:{hashlib.blake2b(content, digest_size=16).hexdigest()}"


def _read_meta(folder: Path, key: StoreKey) -> dict[str, Any] | None:
    """The folder's meta when it is of this key, format and version and its files are whole."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if not isinstance(meta, dict) or meta.get("format") != STORE_FORMAT:
        return None
    if meta.get("version") != code_revision() or meta.get("key") != key.name:
        return None
    files = meta.get("files")
    if not isinstance(files, dict):
        return None
    for name, digest in files.items():
        if _file_digest(folder / f"{name}.arrow") != digest:
            return None
    return meta


def _frames(folder: Path, names: Sequence[str]) -> dict[str, pl.DataFrame]:
    import polars as pl

    return {n: pl.read_ipc(folder / f"{n}.arrow") for n in names}


def read_data(config: Config, key: StoreKey) -> StoredData | None:
    """The stored data revision of `key`; None when it is missing, stale, corrupt or of
    another version (a corrupt one is removed, so the next writer replaces it)."""
    import polars as pl

    from jctui.model import Dataset, labels_frame

    folder = store_root(config) / key.name
    if not folder.is_dir():
        return None
    try:
        meta = _read_meta(folder, key)
        if meta is None:
            raise ValueError("not this store")
        frames = _frames(folder, [n for n in BASE_FRAMES if n not in ("values", "firsts")])
        index = frames.pop("index")
        dataset = Dataset(
            values=pl.DataFrame(),
            **frames,
            source_label=str(meta["source_label"]),
            demo=bool(meta["demo"]),
            notices=tuple(meta["notices"]),
            source_problems=tuple(meta["source_problems"]),
            labels=labels_frame(dict(meta.get("labels") or {})),  # figures the catalogue lacks
        )
        periods = tuple(dt.date.fromisoformat(p) for p in meta["periods"])
        values, mark = folder / "values.arrow", str(meta.get("fingerprint", ""))
        refused = {(jc, month, metric): text for jc, month, metric, text in meta["refused"]}
        frequency = str(meta["frequency"])
        return StoredData(dataset, periods, frequency, folder, values, index, mark, refused)
    except Exception as exc:  # unreadable in any way: recomputed, never read wrong
        log.info("figure store %s not used: %s", folder, exc)
        discard(folder)
        return None


def month_name(as_of: dt.date) -> str:
    return as_of.isoformat()


def read_month(data: StoredData, key: StoreKey, as_of: dt.date) -> Figures | None:
    """The stored figures at `as_of` (resolved: a month's first day); None when missing or
    unusable (then removed)."""
    from jctui.engine import Figures

    folder = data.folder / "months" / month_name(as_of)
    if not folder.is_dir():
        return None
    try:
        meta = _read_meta(folder, key)
        if meta is None or meta.get("as_of") != as_of.isoformat():
            raise ValueError("not this month")
        frames = _frames(folder, MONTH_FRAMES)
        return Figures(
            as_of=as_of,
            latest=data.periods[-1],
            periods=data.periods,
            frequency=data.frequency,
            **frames,
        )
    except Exception as exc:
        log.info("figure store %s not used: %s", folder, exc)
        discard(folder)
        return None


# -- writing -------------------------------------------------------------------------


def discard(folder: Path) -> None:
    """Remove a store folder: renamed aside first, so no reader finds half of it."""
    aside = folder.with_name(f".gone-{folder.name}-{uuid.uuid4().hex[:8]}")
    try:
        folder.rename(aside)
    except OSError:
        return
    shutil.rmtree(aside, ignore_errors=True)


def _write_folder(
    final: Path, key: StoreKey, frames: dict[str, pl.DataFrame], meta: dict[str, Any]
) -> bool:
    """Write the frames and their meta into a temp folder and rename it to `final`; False
    when another writer's whole folder is there already (ours is dropped)."""
    final.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    tmp = final.with_name(f".tmp-{final.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir(mode=FOLDER_MODE)
    try:
        digests = {}
        for name, frame in frames.items():
            path = tmp / f"{name}.arrow"
            frame.write_ipc(path, compression="uncompressed" if name == "values" else "lz4")
            os.chmod(path, FILE_MODE)
            digests[name] = _file_digest(path)
        full = {**meta, "format": STORE_FORMAT, "version": code_revision(), "key": key.name}
        full["files"] = digests
        (tmp / "meta.json").write_text(json.dumps(full), encoding="utf-8")
        os.chmod(tmp / "meta.json", FILE_MODE)
        tmp.rename(final)
        return True
    except OSError:
        if final.is_dir():  # another writer was first: its folder is as good as ours
            return False
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def shown_values(dataset: Dataset, counts: SmallCounts) -> pl.DataFrame:
    """The values as they may be shown: small counts null (sparklines read them), each
    Jobcenter's rows together (a lookup reads them as one slice)."""
    import polars as pl

    values = dataset.values.with_columns(counts.expr(pl.col("value")))
    return values.sort("jobcenter_id", maintain_order=True)


def write_data(config: Config, key: StoreKey, dataset: Dataset, engine: Engine) -> StoredData:
    """Store a data revision (without its months) and drop older revisions of its slot."""
    import polars as pl

    from jctui.model import refused_figures

    root = store_root(config)
    folder = root / key.name
    counts = SmallCounts.of(config)
    values = shown_values(dataset, counts)
    refused = refused_figures(dataset.rejected)
    frames = {
        "values": values,
        "registry": dataset.registry,
        "missing": dataset.missing,
        "aggregates": kept_aggregates(dataset.aggregates, config),
        "targets": dataset.targets,
        "index": values.with_row_index("row")
        .group_by("jobcenter_id")
        .agg(offset=pl.col("row").min().cast(pl.Int64), length=pl.len().cast(pl.Int64)),
        "firsts": values.filter(pl.col("metric").is_first_distinct()),
    }
    meta = {
        "source_label": dataset.source_label,
        "demo": dataset.demo,
        "notices": list(dataset.notices),
        "source_problems": list(dataset.source_problems),
        "labels": dataset.label_of,
        "periods": [p.isoformat() for p in engine.periods],
        "frequency": engine.frequency,
        "fingerprint": (mark := fingerprint(dataset, config)),
        "refused": [[*k, text] for k, text in refused.items()],
    }
    _write_folder(folder, key, frames, meta)
    for old in root.glob(f"{key.slot}-*"):
        if old.name != key.name:
            discard(old)
    stored = dataclasses.replace(dataset, values=frames["values"])
    return StoredData(
        stored, engine.periods, engine.frequency, folder, fingerprint=mark, refused=refused
    )


def month_figures(engine: Engine, as_of: dt.date, counts: SmallCounts) -> Figures:
    """Every figure of every Jobcenter at `as_of`, as the small-count rule leaves them."""
    return withhold(engine.figures(as_of), engine, counts)


def write_month(data: StoredData, key: StoreKey, figures: Figures) -> None:
    """Store the figures of one as-of month."""
    frames = {n: getattr(figures, n) for n in MONTH_FRAMES}
    folder = data.folder / "months" / month_name(figures.as_of)
    _write_folder(folder, key, frames, {"as_of": figures.as_of.isoformat()})


def write_store(
    config: Config, key: StoreKey, dataset: Dataset, engine: Engine
) -> tuple[StoredData, int]:
    """The whole store of a data revision: its data and every as-of month (`jctui refresh`);
    months already stored whole are kept. Returns the data and how many months were new."""
    data = read_data(config, key) or write_data(config, key, dataset, engine)
    counts = SmallCounts.of(config)
    written = 0
    for as_of in engine.periods:
        if read_month(data, key, as_of) is None:
            write_month(data, key, month_figures(engine, as_of, counts))
            written += 1
    return data, written
