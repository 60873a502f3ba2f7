"""Readers: bytes of one source -> the canonical model (values, registry, rejected, conflicts).

Contract (everything else in jctui relies on it):
- `read_bytes(data, source, catalogue=..., origin=..., format_hint=...) -> ReadResult`
- `values` has exactly jctui.model.VALUE_SCHEMA; `registry` exactly REGISTRY_SCHEMA (may be empty);
  `rejected` REJECTED_SCHEMA, `conflicts` CONFLICT_SCHEMA.
- A source that cannot be read at all raises jctui.errors.SourceError with one line naming
  `origin` and the problem. Bad rows never raise: they go to `rejected` with their line number
  (header = line 1), column and value; the good rows are kept.
- Imports neither Textual nor httpx.
"""

from __future__ import annotations

from jctui.readers.base import ReadResult, read_bytes, read_many

__all__ = ["ReadResult", "read_bytes", "read_many"]
