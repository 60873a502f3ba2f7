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
from jctui.fields import FIELDS
from jctui.i18n import Lang, column_label, kind_name
from jctui.presentation.inert import inert_frame
from jctui.presentation.targets import TARGET_FIELDS
from jctui.views.report import ALL_FIELDS, RATE_FIELDS


def report_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One flat row per (Jobcenter, metric or rate): for CSV, spreadsheets and Parquet."""
    rows = []
    for jc in report["jobcenters"]:
        base = {
            "as_of": report["as_of"],
            "jobcenter_id": jc["id"],
            "name": jc["name"],
            "state": jc["state"],
            "carrier": jc["carrier"],
            "comparison_type": jc["comparison_type"],
        }
        for key, entry in jc["metrics"].items():
            rows.append(
                {**base, "figure": key, **{f: entry.get(f) for f in ALL_FIELDS},
                 "withheld": " ".join(entry.get("withheld", ())) or None}
            )  # fmt: skip
        for key, entry in jc["rates"].items():
            fields = (*RATE_FIELDS, "rank_by", "suppressed", *TARGET_FIELDS)
            rows.append(
                {**base, "figure": key, "kind": "rate", **{f: entry.get(f) for f in fields},
                 "withheld": " ".join(entry.get("withheld", ())) or None}
            )  # fmt: skip
    if report["demo"]:
        for row in rows:
            row["demo"] = True
    return rows


# the types of the declared fields (the first declaration of a key wins), then the rest
_TYPES: dict[str, pl.DataType] = {f.key: getattr(pl, f.dtype)() for f in reversed(FIELDS)} | {
    "kind": pl.String(), "rank_by": pl.String(), "latest_period": pl.String(),
    "suppressed": pl.Boolean(),
}  # fmt: skip
ROW_SCHEMA: dict[str, pl.DataType] = {
    **dict.fromkeys(
        ("as_of", "jobcenter_id", "name", "state", "carrier", "comparison_type", "figure"),
        pl.String(),
    ),
    **{f: _TYPES[f] for f in ALL_FIELDS[: ALL_FIELDS.index("suppressed") + 1]},
    "withheld": pl.String(),
    **{f: _TYPES[f] for f in TARGET_FIELDS},
}


def report_frame(report: Mapping[str, Any]) -> pl.DataFrame:
    schema = dict(ROW_SCHEMA)
    if report["demo"]:
        schema["demo"] = pl.Boolean()
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
    """CSV of the report frame. `plain`: keys, `,` and full floats, for scripts. `de`: what
    German Excel opens as a table: `;`, decimal comma, one decimal, labels, UTF-8 with BOM."""
    frame = inert_frame(frame)  # no formulas from the data (jctui.presentation.inert)
    if dialect == "de":
        flags = [c for c, dtype in frame.schema.items() if dtype == pl.Boolean]
        yes_no = [
            pl.col(c).replace_strict({True: "ja", False: "nein"}, default=None) for c in flags
        ]
        return labelled_frame(frame.with_columns(yes_no), config, "de").write_csv(
            file, separator=";", decimal_comma=True, float_precision=1, include_bom=True
        )
    return frame.write_csv(file)
