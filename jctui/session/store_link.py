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
import os
import sys
import uuid
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
# 2: compare rows with their standings (jctui.presentation.ranking); 3: a line per field
VIEWS_FORMAT = 3


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
        when not kept or not whole (its digest). Decoded once before a fork where the
        warm parent of `jctui serve` did (`preload_views`)."""
        from jctui.session.lookups import FigureLookups

        try:
            path = self._views_file(as_of, shown)
            decoded = _preloaded(path)
            if decoded is None:
                decoded = _decode_views(path.read_text("utf-8"), only)
            if decoded is None:
                return None
            head, fields = decoded
            if head != [VIEWS_FORMAT, self.key.name, as_of.isoformat(), list(shown)]:
                return None
            return FigureLookups(
                **{name: v for name, v in fields.items() if only is None or name in only}
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save_views(self, as_of: dt.date, shown: Sequence[str], views: FigureLookups) -> None:
        """Keep the look-ups of a stored month (written whole: a temp file, renamed): a
        digest line, a head line, then a line per field (read alone by `views(only=...)`)."""
        path = self._views_file(as_of, shown)
        if not path.parent.is_dir():
            return  # the month itself is not stored
        fields: dict[str, Any] = {f.name: getattr(views, f.name) for f in dataclasses.fields(views)}
        fields["sparks"] = [[jc, key, v] for (jc, key), v in views.sparks.items()]
        head = [VIEWS_FORMAT, self.key.name, as_of.isoformat(), list(shown)]
        lines = [json.dumps(head)]
        lines += [f"{name} {json.dumps(value, default=_encoded)}" for name, value in fields.items()]
        text = "\n".join(lines)
        tmp = path.with_name(f".tmp-{path.name}-{uuid.uuid4().hex[:8]}")
        try:
            tmp.write_text(f"{hashlib.blake2b(text.encode()).hexdigest()}\n{text}", "utf-8")
            os.chmod(tmp, 0o640)
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            log.warning("could not write the figure store: %s", exc)


Decoded = tuple[Any, dict[str, Any]]  # a views file's head line and fields
# views files decoded by `preload_views`, by path: (their digest line, what they hold)
PRELOADED: dict[str, tuple[str, Decoded]] = {}


def _decode_views(text: str, only: Collection[str] | None = None) -> Decoded | None:
    """A views file's head and fields (`only`: these, the others not even decoded); None
    when it is not whole (its digest)."""
    digest, _, text = text.partition("\n")
    if hashlib.blake2b(text.encode()).hexdigest() != digest:
        return None
    head, *lines = text.split("\n")
    fields = {}
    for line in lines:  # a field's name, a space, its JSON
        name, _, value = line.partition(" ")
        if only is None or name in only:
            fields[name] = json.loads(value, object_hook=_decoded)
    if "sparks" in fields:
        fields["sparks"] = {(jc, key): v for jc, key, v in fields["sparks"]}
    return json.loads(head), fields


def _preloaded(path: Path) -> Decoded | None:
    """What `preload_views` decoded of this file, if it is still the file decoded (the
    same digest line: the files are replaced whole, never written in place)."""
    kept = PRELOADED.get(str(path))
    if kept is None:
        return None
    with path.open(encoding="utf-8") as f:
        return kept[1] if f.readline().rstrip("\n") == kept[0] else None


def preload_views(config: Config) -> int:
    """In the warm parent of `jctui serve`'s sessions (jctui.ui.zygote), before it forks:
    decode the look-ups of the opening months of the configured sources' stored revision
    (`keep_opening_views`), so no session decodes them (~0.3 s of CPU each, with the
    neighbouring months). No Polars here: its thread pool, once started, would be missing
    its threads in each forked child. Returns how many files were decoded."""
    from jctui.session import store
    from jctui.session.load import locate

    sources = config.sources
    if not store_enabled() or not sources or config.refresh.follow_cache:
        return 0
    if any(src.is_remote and not src.demo for src in sources):
        return 0
    count = 0
    try:
        key = store.store_key(config, [locate(src, config) for src in sources])
        if key is None:
            return 0
        folder = store.store_root(config) / key.name
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        for month in meta["periods"][-OPENING_MONTHS:]:
            for path in sorted((folder / "months" / str(month)).glob("views-*.json")):
                text = path.read_text("utf-8")
                decoded = _decode_views(text)
                if decoded is not None:
                    PRELOADED[str(path)] = (text.partition("\n")[0], decoded)
                    count += 1
    except (OSError, ValueError, KeyError, TypeError) as exc:  # only a head start
        log.info("figure store not preloaded: %s", exc)
    return count


def _encoded(value: object) -> Any:
    """JSON of what the look-ups hold beside str, numbers, bools, None, lists and dicts."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"$date": value.isoformat()}
    if isinstance(value, frozenset):
        return {"$set": sorted(value)}
    if isinstance(value, Standing):  # a compare row's place by a figure (rank, gaps)
        return {"$standing": dataclasses.asdict(value)}
    raise TypeError(f"not kept in the store: {type(value).__name__}")


def _decoded(value: dict[str, Any]) -> Any:
    """A JSON object of the look-ups as kept; its text values shared with their equals (a
    month's look-ups repeat ~900 texts 54,000 times: names, ids, keys; 3 MB less a month)."""
    if len(value) == 1:
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$set" in value:
            return frozenset(value["$set"])
        if "$standing" in value:
            return Standing(**value["$standing"])
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


OPENING_MONTHS = 3  # the latest months, whose look-ups `jctui refresh` keeps too


def keep_opening_views(config: Config, link: StoreLink, dataset: Dataset) -> None:
    """Keep the screens' look-ups of the months a dashboard opens on (the latest, and the
    two its prefetch reads), so that sessions starting together prepare none of them."""
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
    sources (a URL source is asked first; with follow_cache the shared cache is read);
    None when the revision is not stored (or not whole)."""
    from jctui.session import store
    from jctui.session.load import locate

    sources = config.sources
    if not store_enabled() or not sources or config.refresh.follow_cache:
        return None
    if any(src.is_remote and not src.demo for src in sources):
        return None
    try:
        key = store.store_key(config, [locate(src, config) for src in sources])
        data = store.read_data(config, key) if key is not None else None
    except Exception as exc:  # the store is a shortcut: without it the sources are read
        log.info("figure store not used: %s", exc)
        return None
    if key is None or data is None or not data.periods or not data.fingerprint:
        return None
    return StoreLink(key, data)
