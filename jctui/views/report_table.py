"""The report as flat rows, one per Jobcenter and figure: CSV, spreadsheets and Parquet.

Columns and types come from the figure fields' declarations (jctui.fields) through the
report's field lists, so a declared field is a column with its label in every format.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from jctui.config import Config
from jctui.i18n import Lang, column_label, kind_name
from jctui.views.report_rows import ROW_TYPES, report_rows, row_types, rows_csv

__all__ = ["ROW_SCHEMA", "labelled_frame", "report_frame", "report_rows", "write_report_csv"]


ROW_SCHEMA: dict[str, pl.DataType] = {k: getattr(pl, v)() for k, v in ROW_TYPES.items()}


def report_frame(report: Mapping[str, Any]) -> pl.DataFrame:
    schema = {k: getattr(pl, v)() for k, v in row_types(report).items()}
    return pl.DataFrame(report_rows(report), schema=schema)


def labelled_frame(frame: pl.DataFrame, config: Config, lang: Lang) -> pl.DataFrame:
    """The report frame as a person reads it in a spreadsheet: headers, figure names and
    kinds as labels in `lang` (the keys stay in the machine formats: plain CSV, JSON, Parquet)."""
    figure_labels = {k: m.label(lang) for k, m in config.metrics.items()}
    figure_labels.update({k: r.label(lang) for k, r in config.rates.items()})
    kinds = frame.get_column("kind").unique().drop_nulls().to_list()
    labelled = frame.with_columns(
        pl.col("figure").replace(figure_labels),
        pl.col("kind").replace({k: kind_name(k, lang) for k in kinds}),
    )
    return labelled.rename({c: column_label(c, lang, config.window) for c in frame.columns})


def write_report_csv(
    frame: pl.DataFrame, config: Config, dialect: str, file: Path | None = None
) -> str | None:
    """CSV of the report frame, by the one writer of `show` and `export`
    (jctui.views.report_rows.rows_csv); None when written to `file`."""
    types = {name: type(dtype).__name__ for name, dtype in frame.schema.items()}
    text = rows_csv(frame.to_dicts(), types, config, dialect)
    if file is None:
        return text
    file.write_text(text, encoding="utf-8", newline="")
    return None
