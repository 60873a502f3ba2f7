"""Load every configured source into one canonical Dataset: source -> reader -> Dataset.

Used by the CLI and (in a worker thread) by the UI. Several sources are combined: their
values are concatenated (a later source wins on the same key), their registries merged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import polars as pl

from jctui.config import Config, SourceDef
from jctui.model import REGISTRY_SCHEMA, Dataset, empty_registry
from jctui.readers import ReadResult, read_bytes
from jctui.sources import fetch_source


def read_source(src: SourceDef, config: Config) -> ReadResult:
    """Fetch one source and parse it (raises SourceError when it is unusable)."""
    fetched = fetch_source(src)
    if fetched.pages > 1:  # the HTTP source merged its pages into one top-level list
        src = dataclasses.replace(src, records_path="")
    return read_bytes(
        fetched.data,
        src,
        catalogue=config.metrics,
        origin=fetched.origin,
        format_hint=fetched.format_hint,
    )


def load_dataset(config: Config) -> Dataset:
    results = [read_source(src, config) for src in config.sources]
    return combine(results, config.sources)


def combine(results: Sequence[ReadResult], sources: Sequence[SourceDef]) -> Dataset:
    """Merge the results of several sources into one Dataset."""
    values = pl.concat([r.values for r in results], how="vertical")
    if len(results) > 1:
        values = values.unique(
            subset=["jobcenter_id", "period", "metric"], keep="last", maintain_order=True
        )
    registry = merge_registries([r.registry for r in results], values)
    label = ", ".join(src.name if src.name != "cli" else src.location for src in sources)
    return Dataset(
        values=values,
        registry=registry,
        rejected=pl.concat([r.rejected for r in results], how="vertical"),
        conflicts=pl.concat([r.conflicts for r in results], how="vertical"),
        source_label=label,
        demo=bool(sources) and all(s.demo for s in sources),
    )


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
