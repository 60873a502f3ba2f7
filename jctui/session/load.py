"""Loading: the one way to build a Dataset, from the sources or from the offline cache.

source (bytes) -> reader (canonical frames) -> `combine` -> Dataset. The CLI calls
`load_dataset`; the dashboard's Refresher fetches each source on its own schedule and uses
`read_fetched` and `combine` from here, so every path de-duplicates and labels alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import polars as pl

from jctui.config import Config, SourceDef
from jctui.errors import SourceError
from jctui.model import REGISTRY_SCHEMA, Dataset, empty_registry
from jctui.readers import ReadResult, read_bytes, read_many
from jctui.sources import Fetched, fetch_source


def read_fetched(fetched: Fetched, src: SourceDef, config: Config) -> ReadResult:
    """Parse the bytes of one fetched source (raises SourceError when they are unusable)."""
    if fetched.parts:
        return read_many(
            [(p.data, p.origin, p.format_hint) for p in fetched.parts],
            src,
            catalogue=config.metrics,
            origin=fetched.origin,
        )
    if fetched.pages > 1:  # the HTTP source merged its pages into one top-level list
        src = dataclasses.replace(src, records_path="")
    return read_bytes(
        fetched.data,
        src,
        catalogue=config.metrics,
        origin=fetched.origin,
        format_hint=fetched.format_hint,
    )


def load_dataset(config: Config, *, offline: bool = False) -> Dataset:
    """Every configured source, fetched and read now; with `offline`, from the cache alone."""
    if offline:
        return load_cached_dataset(config)
    results = [read_fetched(fetch_source(src), src, config) for src in config.sources]
    return combine(results, config.sources)


def load_cached_dataset(config: Config) -> Dataset:
    """Every source from the offline cache (`jctui show --offline`); an error if one is missing."""
    from jctui.sources import cache

    results: list[ReadResult] = []
    oldest = None
    for src in config.sources:
        cached = cache.load(src)
        if cached is None:
            raise SourceError(
                f"--offline: no offline cache for source {src.name!r} (run jctui once online)"
            )
        results.append(ReadResult(values=cached.values, registry=cached.registry))
        oldest = cached.fetched_at if oldest is None else min(oldest, cached.fetched_at)
    dataset = combine(results, config.sources)
    label = f"{dataset.source_label} (offline cache of {oldest:%Y-%m-%d %H:%M})"
    return dataclasses.replace(dataset, source_label=label)


def combine(results: Sequence[ReadResult], sources: Sequence[SourceDef]) -> Dataset:
    """Merge the results of several sources into one Dataset (a later source wins on a key)."""
    values = pl.concat([r.values for r in results], how="vertical")
    values, problems = match_registry_ids(values, results, sources)
    if len(results) > 1:
        values = values.unique(
            subset=["jobcenter_id", "period", "metric"], keep="last", maintain_order=True
        )
    registry = merge_registries([r.registry for r in results], values)
    label = ", ".join(src.name if src.name != "cli" else src.shown_location for src in sources)
    return Dataset(
        values=values,
        registry=registry,
        rejected=pl.concat([r.rejected for r in results], how="vertical"),
        conflicts=pl.concat([r.conflicts for r in results], how="vertical"),
        missing=pl.concat([r.missing for r in results], how="vertical"),
        aggregates=pl.concat([r.aggregates for r in results], how="vertical"),
        notices=tuple(n for r in results for n in r.notices),
        source_problems=problems,
        source_label=label,
        demo=bool(sources) and all(s.demo for s in sources),
    )


def match_registry_ids(
    values: pl.DataFrame, results: Sequence[ReadResult], sources: Sequence[SourceDef]
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """Values ids written without the leading zero of the registry's ids ("3002" beside a
    registry's "03002") are the registry's; a values source none of whose ids is in a
    registry source is a problem naming both."""
    registries = [
        (src, r.registry) for r, src in zip(results, sources, strict=True) if src.role == "registry"
    ]
    if not registries or values.is_empty():
        return values, ()
    known = pl.concat([r.select("jobcenter_id") for _, r in registries]).unique()
    width = int(known.select(pl.col("jobcenter_id").str.len_chars().max()).item() or 0)
    padded = pl.col("jobcenter_id").str.zfill(width)
    short = pl.col("jobcenter_id").str.contains(r"^\d+$") & (
        pl.col("jobcenter_id").str.len_chars() < width
    )
    mended = (
        values.select(pl.col("jobcenter_id").unique())
        .filter(short & ~pl.col("jobcenter_id").is_in(known.to_series().implode()))
        .filter(padded.is_in(known.to_series().implode()))
    )
    if mended.height:
        values = values.with_columns(
            pl.when(pl.col("jobcenter_id").is_in(mended.to_series().implode()))
            .then(padded)
            .otherwise(pl.col("jobcenter_id"))
            .alias("jobcenter_id")
        )
    problems = []
    registry_names = ", ".join(src.name for src, _ in registries)
    for r, src in zip(results, sources, strict=True):
        if src.role != "values" or r.values.is_empty():
            continue
        ids = r.values.get_column("jobcenter_id").unique().sort()
        both = ids.to_frame().with_columns(
            pl.when(pl.col("jobcenter_id").is_in(mended.to_series().implode()))
            .then(padded)
            .otherwise(pl.col("jobcenter_id"))
        )
        if not both.to_series().is_in(known.to_series().implode()).any():
            ours = ", ".join(ids.head(3).to_list())
            theirs = ", ".join(known.to_series().sort().head(3).to_list())
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
