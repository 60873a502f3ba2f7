"""The report as flat rows, one per Jobcenter and figure, and their CSV: stdlib only, so
that `show --format csv` answered from the figure store's record imports no Polars. The one
CSV writer of `show` and `export` (jctui.views.report_table writes its frames with it): the
bytes Polars' `write_csv` wrote before (quoting where needed, `""` for an empty text,
nothing for a null, its float forms), so scripts reading them see no change.

Columns and types come from the figure fields' declarations (jctui.fields) through the
report's field lists, so a declared field is a column with its label in every format.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from jctui.config import Config
from jctui.fields import FIELDS, FLOW, RANK_KEYS, RATE, STOCK, reported
from jctui.i18n import Lang, column_label, kind_name
from jctui.presentation.inert import inert_cell
from jctui.presentation.targets import TARGET_FIELDS

# every field below is declared once, in jctui.fields: which kinds report it, its
# type and its label
FLOW_FIELDS: tuple[str, ...] = reported("metric", FLOW)
STOCK_FIELDS: tuple[str, ...] = reported("metric", STOCK)
RANK_FIELDS: tuple[str, ...] = RANK_KEYS
RATE_FIELDS: tuple[str, ...] = (*reported("rate", RATE), *RANK_FIELDS)
ALL_FIELDS: tuple[str, ...] = (
    "kind", *dict.fromkeys((*FLOW_FIELDS, *STOCK_FIELDS)), *RANK_FIELDS, "rank_by",
    "latest_period", "suppressed", *TARGET_FIELDS,
)  # fmt: skip

# the types of the declared fields by Polars' names (the first declaration of a key wins)
_TYPES: dict[str, str] = {f.key: f.dtype for f in reversed(FIELDS)} | {
    "kind": "String", "rank_by": "String", "latest_period": "String", "suppressed": "Boolean",
}  # fmt: skip
ROW_TYPES: dict[str, str] = {
    **dict.fromkeys(
        ("as_of", "jobcenter_id", "name", "state", "carrier", "comparison_type", "figure"),
        "String",
    ),
    **{f: _TYPES[f] for f in ALL_FIELDS[: ALL_FIELDS.index("suppressed") + 1]},
    "withheld": "String",
    **{f: _TYPES[f] for f in TARGET_FIELDS},
}


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


def row_types(report: Mapping[str, Any]) -> dict[str, str]:
    """The columns of the report's rows and their types (Polars' names)."""
    return {**ROW_TYPES, "demo": "Boolean"} if report["demo"] else dict(ROW_TYPES)


def report_csv(report: Mapping[str, Any], config: Config, dialect: str) -> str:
    """CSV of the report (see `rows_csv`)."""
    return rows_csv(report_rows(report), row_types(report), config, dialect)


def rows_csv(
    rows: Sequence[Mapping[str, Any]], types: Mapping[str, str], config: Config, dialect: str
) -> str:
    """CSV of the rows. `plain`: keys, `,` and full floats, for scripts. `de`: what German
    Excel opens as a table: `;`, decimal comma, one decimal, labels, UTF-8 with BOM. Every
    text cell inert (jctui.presentation.inert)."""
    de = dialect == "de"
    sep = ";" if de else ","
    if de:
        lang: Lang = "de"
        figures = {k: m.label(lang) for k, m in config.metrics.items()}
        figures.update({k: r.label(lang) for k, r in config.rates.items()})
        header = [column_label(c, lang, config.window) for c in types]
    else:
        figures, header = {}, list(types)
    out = io.StringIO()
    out.write("\ufeff" if de else "")
    out.write(sep.join(_quoted(h, sep) for h in header) + "\n")
    for row in rows:
        cells = []
        for column, dtype in types.items():
            value = row.get(column)
            if value is None:
                cells.append("")
            elif dtype == "String":
                text = inert_cell(value)
                if de and column == "figure":
                    text = figures.get(text, text)
                elif de and column == "kind":
                    text = kind_name(text, "de")
                cells.append(_quoted(text, sep))
            elif dtype == "Float64":
                cells.append(_decimal(float(value)) if de else _float(float(value)))
            elif dtype == "Boolean":
                cells.append(("ja" if value else "nein") if de else str(bool(value)).lower())
            else:
                cells.append(str(int(value)))
        out.write(sep.join(cells) + "\n")
    return out.getvalue()


def _quoted(text: str, sep: str) -> str:
    """A text cell quoted where CSV needs it (and an empty text, unlike a null)."""
    if not text or sep in text or any(c in text for c in '"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _float(value: float) -> str:
    """A float as Polars writes it: the shortest form that reads back; positional down to
    1e-5, an exponent without leading zeros below and from 1e16."""
    if value != value:
        return "NaN"
    text = repr(value)
    if "e" not in text:
        return text
    mantissa, _, exp = text.partition("e")
    power = int(exp)
    if power == -5:
        sign, digits = ("-", mantissa[1:]) if mantissa.startswith("-") else ("", mantissa)
        return f"{sign}0.0000{digits.replace('.', '')}"
    return f"{mantissa}e{power:+d}" if power > 0 else f"{mantissa}e{power}"


def _decimal(value: float) -> str:
    """A float with one decimal and a decimal comma (rounded as Polars does: exactly)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return f"{value:.1f}".replace(".", ",")
