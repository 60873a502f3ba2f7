"""Tables as they are published (key-figure tables, time series), read without a config.

`read_published` takes the bytes of a CSV or xlsx file. When the first row already is a
header in the canonical names it returns None (the plain readers take the file). Otherwise
it finds the layout (jctui.readers.layout), gives each column a role (id, name, state,
carrier, comparison type, period, or a metric of the catalogue by key, short name or German
label; a K-figure's group header with "Zähler"/"Nenner"/"in %" below it), splits off the
aggregate rows (Deutschland, West, Ost, the states), and hands the rest, unpivoted to the
canonical long layout, to the normaliser. Every part can be set in the source's config:
`header_row`, `month`, `sheet`, `columns` and `metrics`.

The modules: `grids` (a file as text cells), `columns` (what each column holds),
`recognise` (one file's layout, month and kind), `extract` (recognised files -> the
canonical model) and `aggregates` (Deutschland, West, Ost, the states).
"""

from __future__ import annotations

from jctui.readers.published.aggregates import AGGREGATE_IDS, AGGREGATE_NAMES, split_aggregates
from jctui.readers.published.columns import Column, match_metric, metric_names
from jctui.readers.published.extract import extract, finish, read_published
from jctui.readers.published.recognise import Recognised, recognise

__all__ = [
    "AGGREGATE_IDS",
    "AGGREGATE_NAMES",
    "Column",
    "Recognised",
    "extract",
    "finish",
    "match_metric",
    "metric_names",
    "read_published",
    "recognise",
    "split_aggregates",
]
