"""Loading: the one way to build a Dataset, from the sources or from the offline cache.

source (bytes) -> reader (canonical frames) -> `combine` -> Dataset. The CLI calls
`load_dataset` (or `locate` + `read_located`, for a lookup that may read less:
jctui.session.partial); the dashboard's Refresher fetches each source on its own schedule
and uses `read_fetched`, `remember` and `combine` from here, so every path de-duplicates,
caches and labels alike. URL sources go through the offline cache: `locate` sends the
cached copy's validators and a 304 answers from it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from jctui.config import Config, SourceDef, secrets_sent
from jctui.config.catalogue import describe_labels, with_label_figures
from jctui.errors import JctuiError, SourceError
from jctui.locations import cache_dir
from jctui.model import REGISTRY_SCHEMA, Dataset, empty_registry, labels_frame
from jctui.session.located import Located, located_file
from jctui.sources import Fetched, fetch_source

if TYPE_CHECKING:
    from jctui.readers import ReadResult
    from jctui.sources.cache import CachedSource

log = logging.getLogger("jctui.cache")


def read_fetched(fetched: Fetched, src: SourceDef, config: Config) -> ReadResult:
    """Parse the bytes of one fetched source (raises SourceError when they are unusable;
    its text never repeats a secret the source sent, e.g. a login a server echoed)."""
    try:
        return _read_fetched(fetched, src, config)
    except JctuiError as exc:
        raise exc.without(secrets_sent(src.http)) from None


def _read_fetched(fetched: Fetched, src: SourceDef, config: Config) -> ReadResult:
    from jctui.readers import read_bytes, read_many  # not for a lookup the store answers

    if fetched.parts:
        result = read_many(
            [(p.data, p.origin, p.format_hint) for p in fetched.parts],
            src,
            catalogue=config.metrics,
            origin=fetched.origin,
        )
        if revised := fetched.extra.get("revised"):  # a URL template's month came back changed
            notice = f"{fetched.origin}: revision: {revised} republished with other content"
            result = dataclasses.replace(result, notices=(*result.notices, notice))
        if overdue := fetched.extra.get("overdue"):  # the calendar's next month is not out
            notice = f"{fetched.origin}: overdue: {overdue} not published yet"
            result = dataclasses.replace(result, notices=(*result.notices, notice))
        return result
    if fetched.pages > 1:  # the HTTP source merged its pages into one top-level list
        src = dataclasses.replace(src, records_path="")
    labels: dict[str, str] = {}
    if src.connector:  # canonical records in the format the connector names
        src = dataclasses.replace(src, format=fetched.format_hint or "auto", records_path="")
        labels = json.loads(fetched.extra.get("labels", "{}"))  # figures the catalogue lacks
    result = read_bytes(
        fetched.data,
        src,
        catalogue=with_label_figures(config.metrics, labels, labels),
        origin=fetched.origin,
        format_hint=fetched.format_hint,
        rates=config.rates,
    )
    if not labels:
        return result
    notice = f"{fetched.origin}: {describe_labels(labels)}"
    return dataclasses.replace(
        result, labels=labels_frame(labels), notices=(*result.notices, notice)
    )


def load_dataset(config: Config, *, offline: bool = False) -> Dataset:
    """Every configured source, fetched and read now; URL sources through the offline cache
    (a conditional request; a 304 answers from the cache). With `offline`, URL sources come
    from the cache alone (an error if one was never fetched) and files are read as usual."""
    located = [locate(src, config, offline=offline) for src in config.sources]
    return dataset_of(located, [read_located(loc, config) for loc in located])


def dataset_of(located: Sequence[Located], results: Sequence[ReadResult]) -> Dataset:
    """The located sources' results as one Dataset, labelled with the age of cached data."""
    return labelled(combine(results, [loc.source for loc in located]), located)


def labelled(dataset: Dataset, located: Sequence[Located]) -> Dataset:
    """The dataset's label with the age of the cached data it was read from (--offline)."""
    times = [loc.cached_at for loc in located if loc.cached_at is not None]
    if not times:
        return dataset
    label = f"{dataset.source_label} (offline cache of {min(times):%Y-%m-%d %H:%M})"
    return dataclasses.replace(dataset, source_label=label)


def locate(src: SourceDef, config: Config, *, offline: bool = False) -> Located:
    """Where the data of one source are now, fetching a URL source if needed.

    A URL source sends the validators of its cached copy (If-None-Match/If-Modified-Since):
    a 304 costs no download and no parsing (the cached copy is used), new data are read and
    replace the cache, so the next lookup (and `--offline`) has them. Files need no network."""
    if (here := located_file(src)) is not None:
        return here
    from jctui.sources import cache

    folder = cache_dir(config.cache_dir)
    # dropped when broken (no validators: a 304 would keep the broken copy for ever)
    repaired = "" if offline else cache.drop_if_broken(src, folder=folder)
    known = cache.validators(src, folder=folder)
    if offline:
        path = cache.data_path(src, folder=folder) if known else None
        if known is None or path is None:  # one line: missing, or broken and why
            _, problem = cache.load_checked(src, folder=folder)
            what = problem or f"no offline cache for source {src.name!r}"
            raise SourceError(f"--offline: {what} (run jctui once online)")
        return Located(
            src, path, from_cache=True, scannable=not known.set_aside, cached_at=known.fetched_at
        )
    fetched = fetch_source(
        src,
        etag=known.etag if known else "",
        last_modified=known.last_modified if known else "",
        folder=folder,
    )
    if fetched.not_modified and known is not None:
        path = cache.data_path(src, folder=folder)
        if path is not None:
            return Located(src, path, from_cache=True, scannable=not known.set_aside)
        fetched = fetch_source(src, folder=folder)  # the cache went away
    result = read_fetched(fetched, src, config)
    remember(src, result, folder, etag=fetched.etag, last_modified=fetched.last_modified)
    return Located(src, result=result, repaired=repaired)


def kept_by_source(src: SourceDef, folder: Path) -> dict[str, Path]:
    """The cache folder for a source that keeps files of its own between fetches (a
    connector's region list, a URL template's months), as fetch_source takes it."""
    return {"folder": folder} if src.connector or src.months else {}


def read_located(loc: Located, config: Config) -> ReadResult:
    """The whole data of a located source in the canonical model."""
    if loc.result is not None:
        return loc.result
    if loc.from_cache:
        from jctui.sources import cache

        cached, problem = cache.load_checked(loc.source, folder=cache_dir(config.cache_dir))
        if cached is None:
            raise SourceError(problem or f"offline cache of source {loc.source.name!r} is gone")
        return cached_result(cached)
    folder = cache_dir(config.cache_dir)
    fetched = fetch_source(loc.source, folder=folder)
    return read_fetched(fetched, loc.source, config)


def cached_result(cached: CachedSource) -> ReadResult:
    """A source's cached copy as the reader's result (values, registry, set-aside rows)."""
    from jctui.readers import ReadResult

    return ReadResult.of(cached)


def remember(
    src: SourceDef, result: ReadResult, folder: Path, *, etag: str, last_modified: str
) -> str:
    """Keep a source's newly read data in the offline cache; a failure (a full disk, a folder
    that cannot be written) is logged and returned as the reason ("" when written), never
    raised. The demo data is never cached."""
    if src.demo:
        return ""
    from jctui.sources import cache

    try:
        frames = result.frames()  # every frame of the result, by its name
        values, registry = frames.pop("values"), frames.pop("registry")
        cache.save(
            src,
            values,
            registry,
            etag=etag,
            last_modified=last_modified,
            fetched_at=None,
            folder=folder,
            **frames,
        )
    except Exception as exc:
        reason = short_reason(exc)
        log.warning("could not write the offline cache of %s: %s", src.name, reason)
        return reason
    return ""


def short_reason(exc: Exception) -> str:
    """An exception as a short reason: an OSError's text and file, else its message."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


def combine(results: Sequence[ReadResult], sources: Sequence[SourceDef]) -> Dataset:
    """Merge the results of several sources into one Dataset (a later source wins on a key)."""
    values = pl.concat([r.values for r in results], how="vertical")
    values, problems = match_registry_ids(values, results, sources)
    if len(results) > 1:
        values = values.unique(
            subset=["jobcenter_id", "period", "metric"], keep="last", maintain_order=True
        )
    registry = merge_registries([r.registry for r in results], values)
    targets = pl.concat([r.targets for r in results], how="vertical").unique(
        subset=["jobcenter_id", "year", "metric"], keep="last", maintain_order=True
    )
    label = ", ".join(  # where the figures come from: targets are no figures
        src.name if src.name != "cli" else src.shown_location
        for src in sources
        if src.role != "targets"
    )
    return Dataset(
        values=values,
        registry=registry,
        rejected=pl.concat([r.rejected for r in results], how="vertical"),
        conflicts=pl.concat([r.conflicts for r in results], how="vertical"),
        missing=pl.concat([r.missing for r in results], how="vertical"),
        aggregates=pl.concat([r.aggregates for r in results], how="vertical"),
        labels=pl.concat([r.labels for r in results], how="vertical"),
        notices=tuple(n for r in results for n in r.notices),
        source_problems=problems,
        source_label=label,
        demo=bool(sources) and all(s.demo for s in sources),
        targets=targets,
    )


def match_registry_ids(
    values: pl.DataFrame, results: Sequence[ReadResult], sources: Sequence[SourceDef]
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """Values ids written without the leading zero of the registry's ids ("3002" beside a
    registry's "03002") are the registry's; a values source none of whose ids is in a
    registry source is a problem naming both."""
    from jctui.readers.ids import canonical_id

    registries = [
        (src, r.registry) for r, src in zip(results, sources, strict=True) if src.role == "registry"
    ]
    if not registries or values.is_empty():
        return values, ()
    known = pl.concat([r.select("jobcenter_id") for _, r in registries]).unique().to_series()
    width = int(known.str.len_chars().max() or 0)  # type: ignore[arg-type]
    own, padded, registry_ids = (
        pl.col("jobcenter_id"),
        canonical_id(pl.col("jobcenter_id"), width),
        known.implode(),
    )
    # an id the registry knows only with its leading zero (readers.ids: the one padding rule)
    as_registry = pl.when(~own.is_in(registry_ids) & padded.is_in(registry_ids)).then(padded)
    values = values.with_columns(jobcenter_id=as_registry.otherwise(own))
    problems = []
    registry_names = ", ".join(src.name for src, _ in registries)
    for r, src in zip(results, sources, strict=True):
        if src.role != "values" or r.values.is_empty():
            continue
        ids = r.values.get_column("jobcenter_id").unique().sort()
        matched = ids.to_frame().select(as_registry.otherwise(own).is_in(registry_ids).any())
        if not matched.item():
            ours = ", ".join(ids.head(3).to_list())
            theirs = ", ".join(known.sort().head(3).to_list())
            problems.append(
                f"source {src.name!r} (ids {ours}, …) shares no jobcenter_id with registry "
                f"{registry_names!r} (ids {theirs}, …)"
            )
    return values, tuple(problems)


def merge_registries(registries: Sequence[pl.DataFrame], values: pl.DataFrame) -> pl.DataFrame:
    """Union of the registries (later sources win); Jobcenters seen only in values get their id as name."""
    known = pl.concat(
        [r.select(REGISTRY_SCHEMA.keys()) for r in registries] or [empty_registry()], how="vertical"
    )
    known = known.unique(subset=["jobcenter_id"], keep="last", maintain_order=True)
    ids = values.select("jobcenter_id").unique()
    missing = ids.join(known.select("jobcenter_id"), on="jobcenter_id", how="anti").with_columns(
        name=pl.col("jobcenter_id")
    )
    return (
        pl.concat([known, missing], how="diagonal_relaxed")
        .select([pl.col(c).cast(t) for c, t in REGISTRY_SCHEMA.items()])
        .sort("name")
    )
