"""The figures of chosen Jobcenters as plain data: the JSON contract of `jctui show`.

Shared by `jctui show --format json|csv|table` and `jctui export`, so every output says the
same. The JSON contract (stable; fields are only ever added):

    {
      "as_of": "YYYY-MM",            # the as-of month (YYYY-MM-DD for daily data)
      "latest": "YYYY-MM",           # the newest period in the data
      "source": "...",               # the source label (names or paths, never credentials)
      "demo": true|false,            # true: synthetic demo data
      "demo_label": "...",           # present when demo: the label to show with the figures
      "jobcenters": [{
        "id", "name", "state", "carrier", "comparison_type",
        "metrics": {KEY: {
            "kind": "flow"|"stock", "value",
            flows:  "sum_12", "sum_12_prev", "change", "change_pct",
                    "ytd", "ytd_prev", "ytd_change_pct",
            stocks: "value_prev_year", "change", "change_pct",
            "rank", "rank_of", "group_rank", "group_rank_of",
            "latest_period": "YYYY-MM",
            "suppressed": true        # only when small counts were withheld, or the
                                      # publisher withheld the cell (`*`); fields are null
        }},
        "rates": {KEY: {"value", "value_prev_year", "rank", "rank_of", "group_rank", "group_rank_of"}},
        "warnings": [{"kind", "period", "metric", "message"}]
      }],
      "references": [{               # present when the data has published aggregates:
        "id", "name",                # Deutschland, West, Ost and the states of the
        "aggregate": true,           # Jobcenters shown; never a Jobcenter, never ranked
        "metrics": {KEY: value}      # their values at the as-of month
      }]
    }

Numbers are plain JSON numbers (no formatting), null where there is no value. Ranks compare
the change against the previous year (1 = best by the metric's better direction); `group_*`
is within the configured comparison group (comparison type by default).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from jctui.config import Config, listed_metrics
from jctui.i18n import Lang
from jctui.presentation.policy import SmallCounts
from jctui.presentation.wording import warning_message
from jctui.readers.published import STATE_NAMES
from jctui.readers.signs import WITHHELD
from jctui.session.oneshot import Lookup

FLOW_FIELDS: tuple[str, ...] = (
    "value", "sum_12", "sum_12_prev", "change", "change_pct", "ytd", "ytd_prev", "ytd_change_pct",
)  # fmt: skip
STOCK_FIELDS: tuple[str, ...] = ("value", "value_prev_year", "change", "change_pct")
RANK_FIELDS: tuple[str, ...] = ("rank", "rank_of", "group_rank", "group_rank_of")
RATE_FIELDS: tuple[str, ...] = ("value", "value_prev_year", *RANK_FIELDS)


def period_text(period: dt.date | None, frequency: str = "monthly") -> str | None:
    if period is None:
        return None
    return period.isoformat() if frequency == "daily" else f"{period.year:04d}-{period.month:02d}"


def clean(value: Any) -> Any:
    """NaN and infinities are not JSON: they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def metric_entry(row: Mapping[str, Any], counts: SmallCounts, frequency: str) -> dict[str, Any]:
    """One metric of one Jobcenter as in the JSON contract, small counts withheld."""
    fields = FLOW_FIELDS if row["kind"] == "flow" else STOCK_FIELDS
    entry: dict[str, Any] = {"kind": row["kind"]}
    entry.update({f: clean(row[f]) for f in fields})
    suppressed = counts.withhold(entry)
    entry.update({f: row[f] for f in RANK_FIELDS})
    entry["latest_period"] = period_text(row["latest_period"], frequency)
    if suppressed:
        entry["suppressed"] = True
    return entry


def build_report(found: Lookup, config: Config, lang: Lang) -> dict[str, Any]:
    """The JSON-contract dict for the Jobcenters looked up (in their order)."""
    from jctui.demo import DEMO_LABEL

    figures, registry = found.figures, found.dataset.registry
    source, demo = found.dataset.source_label, found.dataset.demo
    ids = list(found.ids)
    keys = found.metric_keys or listed_metrics(config.metrics, found.dataset.present_metrics)
    metric_keys = found.metric_keys
    counts = SmallCounts(config.small_count_threshold)
    metrics = figures.metrics.filter(
        pl.col("jobcenter_id").is_in(ids) & pl.col("metric").is_in(keys)
    )
    rates = figures.rates.filter(pl.col("jobcenter_id").is_in(ids))
    warnings = figures.warnings.filter(pl.col("jobcenter_id").is_in(ids))
    if metric_keys:
        warnings = warnings.filter(pl.col("metric").is_null() | pl.col("metric").is_in(keys))
    by_jc_metrics: dict[str, dict[str, Any]] = {i: {} for i in ids}
    order = {k: n for n, k in enumerate(keys)}
    for row in sorted(metrics.iter_rows(named=True), key=lambda r: order[r["metric"]]):
        by_jc_metrics[row["jobcenter_id"]][row["metric"]] = metric_entry(
            row, counts, figures.frequency
        )
    # cells the publisher withheld (`*`) at the as-of month: shown as "*", not as missing
    withheld = found.dataset.missing.filter(
        (pl.col("sign") == WITHHELD) & (pl.col("period") == figures.as_of)
    )
    for jc, metric in withheld.select("jobcenter_id", "metric").iter_rows():
        if jc not in by_jc_metrics or metric not in keys:
            continue
        kind = config.metrics[metric].kind
        fields = FLOW_FIELDS if kind == "flow" else STOCK_FIELDS
        entry = by_jc_metrics[jc].setdefault(
            metric, {"kind": kind, **dict.fromkeys((*fields, *RANK_FIELDS, "latest_period"))}
        )
        if entry.get("value") is None:
            entry["suppressed"] = True
    by_jc_rates: dict[str, dict[str, Any]] = {i: {} for i in ids}
    for row in rates.iter_rows(named=True):
        by_jc_rates[row["jobcenter_id"]][row["rate"]] = {f: clean(row[f]) for f in RATE_FIELDS}
    by_jc_warnings: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in warnings.iter_rows(named=True):
        metric = config.metrics.get(row["metric"] or "")
        by_jc_warnings[row["jobcenter_id"]].append(
            {
                "kind": row["kind"],
                "period": period_text(row["period"], figures.frequency),
                "metric": row["metric"],
                "message": warning_message(
                    row, lang, metric_label=metric.label(lang) if metric else None
                ),
            }
        )
    reg = {
        r["jobcenter_id"]: r
        for r in registry.filter(pl.col("jobcenter_id").is_in(ids)).iter_rows(named=True)
    }
    report: dict[str, Any] = {
        "as_of": period_text(figures.as_of, figures.frequency),
        "latest": period_text(figures.latest, figures.frequency),
        "source": source,
        "demo": demo,
    }
    if demo:
        report["demo_label"] = DEMO_LABEL[lang]
    report["jobcenters"] = [
        {
            "id": jc,
            "name": reg.get(jc, {}).get("name", jc),
            "state": reg.get(jc, {}).get("state"),
            "carrier": reg.get(jc, {}).get("carrier"),
            "comparison_type": reg.get(jc, {}).get("comparison_type"),
            "metrics": by_jc_metrics[jc],
            "rates": by_jc_rates[jc],
            "warnings": by_jc_warnings[jc],
        }
        for jc in ids
    ]
    references = reference_values(found, keys, {r.get("state") for r in reg.values()})
    if references:
        report["references"] = references
    return report


def reference_values(found: Lookup, keys: Sequence[str], states: set[Any]) -> list[dict[str, Any]]:
    """The published aggregates at the as-of month beside the Jobcenters: Germany, West and
    East, and the states of the Jobcenters shown. Never a Jobcenter: `"aggregate": true`."""
    aggregates = found.dataset.aggregates.filter(
        (pl.col("period") == found.figures.as_of) & pl.col("metric").is_in(list(keys))
    )
    if aggregates.is_empty():
        return []
    state_of = (
        pl.col("name")
        .str.to_lowercase()
        .replace_strict(STATE_NAMES, default=None, return_dtype=pl.String)
    )
    wanted = aggregates.filter(state_of.is_null() | state_of.is_in([s for s in states if s]))
    out: list[dict[str, Any]] = []
    order = {k: n for n, k in enumerate(keys)}
    for (ident, name), rows in wanted.group_by("jobcenter_id", "name", maintain_order=True):
        metrics = {
            r["metric"]: clean(r["value"])
            for r in sorted(rows.iter_rows(named=True), key=lambda r: order[r["metric"]])
        }
        out.append({"id": ident, "name": name, "aggregate": True, "metrics": metrics})
    return out


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
            rows.append({**base, "figure": key, **{f: entry.get(f) for f in ALL_FIELDS}})
        for key, entry in jc["rates"].items():
            rows.append(
                {**base, "figure": key, "kind": "rate", **{f: entry.get(f) for f in RATE_FIELDS}}
            )
    if report["demo"]:
        for row in rows:
            row["demo"] = True
    return rows


ALL_FIELDS: tuple[str, ...] = (
    "kind", "value", "value_prev_year", "sum_12", "sum_12_prev", "change", "change_pct",
    "ytd", "ytd_prev", "ytd_change_pct", *RANK_FIELDS, "latest_period", "suppressed",
)  # fmt: skip
ROW_SCHEMA: dict[str, pl.DataType] = {
    "as_of": pl.String(), "jobcenter_id": pl.String(), "name": pl.String(), "state": pl.String(),
    "carrier": pl.String(), "comparison_type": pl.String(), "figure": pl.String(), "kind": pl.String(),
    "value": pl.Float64(), "value_prev_year": pl.Float64(), "sum_12": pl.Float64(),
    "sum_12_prev": pl.Float64(), "change": pl.Float64(), "change_pct": pl.Float64(),
    "ytd": pl.Float64(), "ytd_prev": pl.Float64(), "ytd_change_pct": pl.Float64(),
    "rank": pl.Int64(), "rank_of": pl.Int64(), "group_rank": pl.Int64(), "group_rank_of": pl.Int64(),
    "latest_period": pl.String(), "suppressed": pl.Boolean(),
}  # fmt: skip


def report_frame(report: Mapping[str, Any]) -> pl.DataFrame:
    schema = dict(ROW_SCHEMA)
    if report["demo"]:
        schema["demo"] = pl.Boolean()
    return pl.DataFrame(report_rows(report), schema=schema)
