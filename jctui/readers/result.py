"""ReadResult: one source in the canonical model, as every reader returns it.

Its frames are declared once, here: copies from other records with the same frame names
(a normalised table, a published one, the offline cache) go through `ReadResult.of` and
`frames`, so a frame added to ReadResult is carried everywhere without a new field list.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from jctui.model import (
    empty_aggregates,
    empty_conflicts,
    empty_labels,
    empty_missing,
    empty_registry,
    empty_rejected,
    empty_targets,
    empty_values,
)


@dataclass(frozen=True)
class ReadResult:
    """One source in the canonical model (schemas in jctui.model)."""

    values: pl.DataFrame = field(default_factory=empty_values)
    registry: pl.DataFrame = field(default_factory=empty_registry)
    rejected: pl.DataFrame = field(default_factory=empty_rejected)
    conflicts: pl.DataFrame = field(default_factory=empty_conflicts)
    targets: pl.DataFrame = field(default_factory=empty_targets)  # role = "targets"
    missing: pl.DataFrame = field(default_factory=empty_missing)  # MISSING_SCHEMA
    aggregates: pl.DataFrame = field(default_factory=empty_aggregates)  # AGGREGATE_SCHEMA
    labels: pl.DataFrame = field(default_factory=empty_labels)  # figures the catalogue lacks
    notices: tuple[str, ...] = ()  # what was recognised, one line each
    format: str = ""  # the format the bytes were read as
    details: str = ""  # how they were read, e.g. "csv, cp1252, separator ';', decimal ','"

    @classmethod
    def of(cls, parts: object, **changes: Any) -> ReadResult:
        """A result with the frames `parts` has by name (attributes, or the keys of a
        mapping; the others empty), then `changes`."""
        if isinstance(parts, Mapping):
            taken = {name: parts[name] for name in FRAMES if name in parts}
        else:
            taken = {name: getattr(parts, name) for name in FRAMES if hasattr(parts, name)}
        return cls(**{**taken, **changes})

    def frames(self) -> dict[str, pl.DataFrame]:
        """Every frame by its field name (what the offline cache keeps)."""
        return {name: getattr(self, name) for name in FRAMES}


# the frame fields: those made empty by a factory (the others are plain values)
FRAMES: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(ReadResult) if f.default_factory is not dataclasses.MISSING
)
