"""Figures the catalogue lacks: a column of numbers under a header that names no role and
no figure of the catalogue is read as a figure of its own under that header, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

from jctui.config import MetricDef
from jctui.config.catalogue import label_figure_key
from jctui.readers.layout import Layout, clean_label
from jctui.readers.published.column import Column
from jctui.readers.published.columns import ROW_METRIC, share_matching

# numbered columns of a GIS layer (the Regionalatlas' features): ids and areas, no figures
_NO_FIGURE = re.compile(r"(?i)^(objectid|fid|gid|id|shape_?_?(area|length|len))$")
# a second key column beside the id ("Nr." and "Regionalschlüssel"): a key, no figure
_KEY_HEADER = re.compile(
    r"(?i)(schl(ü|ue)ssel|kennziffer|\bags\b|\bars\b|\bnr\.?$|nummer|\bcode\b|\bkennung\b)"
)
_NUMBER_CELL = r"^\s*([+-]?[\d.,]*\d|[*x./–-]|\.\.\.)\s*$"


def own_figures(
    columns: list[Column], layout: Layout, body: pl.DataFrame, catalogue: Mapping[str, MetricDef]
) -> list[Column]:
    """Columns of numbers under a header that names no role and no figure of the catalogue
    ("SGB II-Quote", a Regionalatlas indicator): figures of their own under that header
    (jctui.config.catalogue.label_figure_key), never dropped. Only where the table has a
    figure of the catalogue or a period column: a table of unknown columns alone stays
    unread (the plain reader names what is missing)."""
    if any(c.role == "label" for c in columns) or not any(
        (c.metric and c.metric != ROW_METRIC) or c.role == "period" for c in columns
    ):
        return columns
    numeric = set(share_matching(body, len(layout.subs), _NUMBER_CELL))
    out = []
    for c in columns:
        label = clean_label(layout.name(c.index))
        if (
            c.role
            or c.metric
            or not label
            or c.index not in numeric
            or _NO_FIGURE.match(label)
            or _KEY_HEADER.search(label)
        ):
            out.append(c)
            continue
        key = label_figure_key(label, catalogue)
        out.append(Column(c.index, metric=key, label=label))
    return out


def read_labels(columns: list[Column], rows: dict[str, str], long: pl.DataFrame) -> dict[str, str]:
    """Key -> label of the figures the catalogue lacks that a file gives values of: its
    columns read under their header, and `rows` under their label (a heading row without
    numbers gives none)."""
    labels = {c.metric: c.label for c in columns if c.label} | rows
    if not labels:
        return labels
    filled = long.filter(pl.col("value").str.strip_chars().str.len_chars() > 0)
    present = set(filled.get_column("metric").unique().to_list())
    return {key: label for key, label in labels.items() if key in present}
