"""The Regionalatlas answer (ArcGIS REST of the statistical offices) as a table: its records
are the features' `properties` (GeoJSON, `f=geojson`) or `attributes` (`f=json`), a row per
region and year (`ags`, `gen`, `jahr`, indicator columns such as `ai2102`). The records are
handed on as a CSV, read like the atlas' own CSV export (jctui.readers.published): the
region key, its name, the year (31 December of it) and each indicator a figure, under its
catalogue key or, where the catalogue lacks it, under its own name.
"""

from __future__ import annotations

import json

import polars as pl

from jctui.errors import SourceError
from jctui.readers.limits import LIMITS, Limits, json_depth_within


def _records(document: object) -> list[dict[str, object]] | None:
    """The features' records, or None when the document is no feature collection."""
    if not isinstance(document, dict) or not isinstance(document.get("features"), list):
        return None
    records = []
    for feature in document["features"]:
        record = (
            (feature.get("properties") or feature.get("attributes"))
            if isinstance(feature, dict)
            else None
        )
        if isinstance(record, dict):
            records.append(record)
    return records


def unwrap_features(
    data: bytes, origin: str, limits: Limits = LIMITS
) -> tuple[bytes, str, str] | None:
    """(the records as a `,`-separated CSV, origin, "csv") of a Regionalatlas answer; None
    when the bytes are not a collection of features. Nested values (geometry aside) are no
    figures: only text and numbers are kept."""
    head = data[:4096].lstrip()
    if not head.startswith(b"{") or b'"features"' not in data[:1_000_000]:
        return None
    json_depth_within(data, origin, limits)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    records = _records(document)
    if records is None:
        return None
    if not records:
        raise SourceError(f"{origin}: Regionalatlas answer without features (no regions)")
    names = list(dict.fromkeys(k for r in records for k in r))
    columns = {
        name: [
            None if isinstance(v, (dict, list, bool)) or v is None else str(v)
            for v in (r.get(name) for r in records)
        ]
        for name in names
    }
    frame = pl.DataFrame(columns, schema=dict.fromkeys(names, pl.String))
    frame = frame.select(
        c for c in frame.columns if frame.get_column(c).null_count() < frame.height
    )
    return frame.write_csv(separator=",").encode("utf-8"), f"{origin} (features)", "csv"
