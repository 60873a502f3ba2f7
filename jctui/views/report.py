"""The figures of chosen Jobcenters as plain data: the JSON contract of `jctui show`.

Shared by `jctui show --format json|csv|table` and `jctui export`, so every output says the
same. The JSON contract (stable; fields are only ever added, except: "sum_12" and
"sum_12_prev" were renamed "window_sum" and "window_sum_prev", as they hold the configured
`window`, which "window" names):

    {
      "as_of": "YYYY-MM",            # the as-of month (YYYY-MM-DD for daily data)
      "latest": "YYYY-MM",           # the newest period in the data
      "window": "12",                # the configured window of "window_sum" ("6", "30d")
      "source": "...",               # the source label (names or paths, never credentials)
      "demo": true|false,            # true: synthetic demo data
      "demo_label": "...",           # present when demo: the label to show with the figures
      "jobcenters": [{
        "id", "name", "state", "carrier", "comparison_type",
        "metrics": {KEY: {
            "kind": "flow"|"stock", "value",
            flows:  "value_prev_year", "window_sum", "window_sum_prev", "change", "change_pct",
                    "ytd", "ytd_prev", "ytd_change_pct",
            stocks: "value_prev_year", "change", "change_pct",
            "rank", "rank_of", "group_rank", "group_rank_of",
            "rank_by": "change"|null,  # what the rank compares; null: no rank
            "compares", "group_mean", "state_name", "state_value":  # only when the data
                                      # has the published figure of the Jobcenter's state:
                                      # the comparison group's mean and the state's figure
                                      # of what ranks compare ("compares": "level", or
                                      # "change": a count's change in %); "state_value" is
                                      # withheld while small counts are, unless a level in %
            "latest_period": "YYYY-MM",
            "suppressed": true,       # only when something was withheld (by the policy, or
                                      # by the publisher: `*` in the file), and then
            "withheld": ["value", …]  # the fields withheld (null); "rank": the rank fields
            targets (see below): "target", "target_progress_pct", "projection",
                    "projection_pct", "on_track", "year_complete", "projection_reason"
        }},
        "rates": {KEY: {"value", "value_prev_year", "rank", "rank_of", "group_rank",
                        "group_rank_of", "rank_by": "level"|null, "suppressed", "withheld",
                        "compares", "group_mean", "state_name", "state_value" (as metrics),
                        and the target fields}},
        "warnings": [{"kind", "period", "metric", "message"}]
      }],
      "references": [{               # present when the data has published aggregates:
        "id", "name",                # Deutschland, West, Ost and the states of the
        "aggregate": true,           # Jobcenters shown; never a Jobcenter, never ranked
        "metrics": {KEY: value},     # their values at the as-of month
        "suppressed": true,          # only when the publisher withheld some (`*`), and
        "withheld": [KEY, …]         # then the figures withheld (null in "metrics")
      }]
    }

Numbers are plain JSON numbers (no formatting), null where there is no value. Every
Jobcenter asked for is listed, with every metric (and rate) of the catalogue: one without
data at the as-of month has its figures null.

Ranks (1 = best by the figure's better direction; `group_*` within the configured
comparison group, comparison type by default) compare what `rank_by` says:
- "change": metrics, by their change against the previous year (`change_pct`: flows of the
  window's sum, stocks of the month's level, as K3), so large and small Jobcenters compare fairly;
- "level": rates such as K2, by the rate itself, as the official comparison does;
- null: no rank, the figure has no better direction (`better = "none"`, e.g. customers).

Small counts (`small_count_threshold`) are withheld, and so is every figure from which a
withheld count could be computed at any as-of month (sums, year-to-date values, changes,
rates and ranks over a window with a withheld month, and a target's progress and
projection made from a withheld figure; jctui.presentation.suppression).

Targets are for the calendar year of the as-of month (jctui.engine.targets): `target`
(from a targets source, else the metric's `target` in the config; null: none),
`target_progress_pct` (flows: year-to-date / target; stocks and rates: the value against the
target level; in percent), `projection` (where the year will end: flows the year's total,
stocks the December level, rates the December rate), `projection_pct` (projection / target
in percent), `on_track` (the projection meets the target in the figure's better direction;
null without a direction, target or projection; with `year_complete`, as-of December, the
projection is the year's own figure, so `on_track` says the target was reached) and
`projection_reason` (why there is no
projection, e.g. "no projection: May 2018 missing"; null when there is one).
Numbers are plain JSON numbers (no formatting), null where there is no value. Ranks compare
the change against the previous year (1 = best by the metric's better direction); `group_*`
is within the configured comparison group (comparison type by default). `--metric KEY`
keeps only the figures named, metrics and rates alike (`--metric elb` has no "rates").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from jctui.config import Config, listed_metrics
from jctui.engine.ranks import RANK_BY
from jctui.i18n import Lang, finite_or_none
from jctui.presentation.policy import SmallCounts
from jctui.presentation.references import (
    beside,
    reference_of,
    state_figures,
    withheld_references,
)
from jctui.presentation.suppression import WITHHELD
from jctui.presentation.targets import target_fields
from jctui.presentation.wording import warning_message
from jctui.session.oneshot import Lookup
from jctui.views.report_out import inert_report as inert_report
from jctui.views.report_out import report_json as report_json
from jctui.views.report_rows import ALL_FIELDS as ALL_FIELDS
from jctui.views.report_rows import FLOW_FIELDS, RANK_FIELDS, STOCK_FIELDS
from jctui.views.report_rows import RATE_FIELDS as RATE_FIELDS

# every field is declared once, in jctui.fields (the lists: jctui.views.report_rows)


def period_text(period: dt.date | None, frequency: str = "monthly") -> str | None:
    if period is None:
        return None
    return period.isoformat() if frequency == "daily" else f"{period.year:04d}-{period.month:02d}"


def mark_withheld(entry: dict[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """`suppressed` and `withheld` of an entry, from the row's withheld fields (those the
    suppression policy nulled) that the entry shows."""
    withheld = [f for f in row.get(WITHHELD) or () if f in entry or f == "rank"]
    if withheld:
        entry["suppressed"] = True
        entry["withheld"] = withheld
    return entry


def with_targets(entry: dict[str, Any], targets: Mapping[str, Any]) -> dict[str, Any]:
    """A figure's entry with its target fields; the withheld fields of both named."""
    withheld = [*entry.get("withheld", ()), *targets.get("withheld", ())]
    merged = {**entry, **targets}
    if withheld:
        merged |= {"suppressed": True, "withheld": list(dict.fromkeys(withheld))}
    return merged


def metric_entry(row: Mapping[str, Any], frequency: str) -> dict[str, Any]:
    """One metric of one Jobcenter as in the JSON contract (the row as the policy left it)."""
    fields = FLOW_FIELDS if row["kind"] == "flow" else STOCK_FIELDS
    entry: dict[str, Any] = {"kind": row["kind"]}
    entry.update({f: finite_or_none(row[f]) for f in fields})
    entry.update({f: row[f] for f in RANK_FIELDS})
    entry["rank_by"] = row["rank_by"]
    entry["latest_period"] = period_text(row["latest_period"], frequency)
    return mark_withheld(entry, row)


def rate_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    entry = {f: finite_or_none(row[f]) for f in RATE_FIELDS}
    entry["rank_by"] = row["rank_by"]
    return mark_withheld(entry, row)


def no_data_row(kind: str, better: str, jobcenter_id: str) -> dict[str, Any]:
    """The row of a figure without data at the as-of month: every field null."""
    ranked = better in ("higher", "lower")
    rank_by = RANK_BY["metric" if kind != "rate" else "rate"][1] if ranked else None
    row: dict[str, Any] = dict.fromkeys((*ALL_FIELDS, *RATE_FIELDS))
    return {**row, "jobcenter_id": jobcenter_id, "kind": kind, "rank_by": rank_by, WITHHELD: []}


def build_report(found: Lookup, config: Config, lang: Lang) -> dict[str, Any]:
    """The JSON-contract dict for the Jobcenters looked up (in their order)."""
    from jctui.demo import DEMO_LABEL

    figures, registry = found.figures, found.dataset.registry
    source, demo = found.dataset.source_label, found.dataset.demo
    ids = list(found.ids)
    metric_keys = found.metric_keys  # --metric names rates (k2) as it names metrics
    listed = listed_metrics(config.metrics, found.dataset.shown_metrics)
    keys = [k for k in metric_keys if k in config.metrics] if metric_keys else list(listed)
    rate_keys = [k for k in config.rates if not metric_keys or k in metric_keys]
    metrics = figures.metrics.filter(
        pl.col("jobcenter_id").is_in(ids) & pl.col("metric").is_in(keys)
    )
    rates = figures.rates.filter(pl.col("jobcenter_id").is_in(ids))
    rates = rates.filter(pl.col("rate").is_in(rate_keys))
    warnings = figures.warnings.filter(pl.col("jobcenter_id").is_in(ids))
    targets = {
        (r["jobcenter_id"], r["metric"]): r
        for r in figures.targets.filter(pl.col("jobcenter_id").is_in(ids)).iter_rows(named=True)
    }
    if metric_keys:
        warnings = warnings.filter(pl.col("metric").is_null() | pl.col("metric").is_in(metric_keys))
    # every Jobcenter with every figure: one without data at the as-of month shows empty ones
    metric_rows = {(r["jobcenter_id"], r["metric"]): r for r in metrics.iter_rows(named=True)}
    rate_rows = {(r["jobcenter_id"], r["rate"]): r for r in rates.iter_rows(named=True)}
    by_jc_metrics = {
        jc: {
            key: with_targets(
                metric_entry(
                    metric_rows.get((jc, key))
                    or no_data_row(config.metrics[key].kind, config.metrics[key].better, jc),
                    figures.frequency,
                ),
                target_fields(targets.get((jc, key)), lang),
            )
            for key in keys
        }
        for jc in ids
    }
    by_jc_rates = {
        jc: {
            key: with_targets(
                rate_entry(rate_rows.get((jc, key)) or no_data_row("rate", rate.better, jc)),
                target_fields(targets.get((jc, key)), lang),
            )
            for key, rate in config.rates.items()
            if key in rate_keys
        }
        for jc in ids
    }
    # cells the publisher withheld (`*`) at the as-of month: shown as "*", not as missing
    for jc, metric in found.dataset.withheld_at(figures.as_of).iter_rows():
        entry = by_jc_metrics.get(jc, {}).get(metric)
        if entry is not None and entry.get("value") is None:
            entry["suppressed"] = True
            entry["withheld"] = sorted({*entry.get("withheld", ()), "value"})
    reg = {
        r["jobcenter_id"]: r
        for r in registry.filter(pl.col("jobcenter_id").is_in(ids)).iter_rows(named=True)
    }
    # the state's published figure beside the group mean, where the data has the state
    states = state_figures(found.dataset, config, figures.as_of)
    for jc in ids:
        state = reg.get(jc, {}).get("state")
        for entries, rows in ((by_jc_metrics, metric_rows), (by_jc_rates, rate_rows)):
            for key, entry in entries[jc].items():
                reference = reference_of(states, state, key)
                if reference is not None:
                    beside_group(entry, rows.get((jc, key)), reference)
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
    report: dict[str, Any] = {
        "as_of": period_text(figures.as_of, figures.frequency),
        "latest": period_text(figures.latest, figures.frequency),
        "window": config.window,
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
    shown_states = {r.get("state") for r in reg.values()}
    references = reference_values(found, keys, shown_states, config)
    if references:
        report["references"] = references
    return report


def beside_group(
    entry: dict[str, Any], row: Mapping[str, Any] | None, reference: Mapping[str, Any]
) -> None:
    """Add the comparison-group mean and the state's published figure (both of what
    `rank_by` compares) to a figure's entry; a state figure made of counts is withheld
    while the small-count rule is on (jctui.presentation.references)."""
    entry["compares"] = reference["rank_by"]
    entry["group_mean"] = finite_or_none((row or {}).get("group_mean"))
    entry["state_name"] = reference["name"]
    entry["state_value"] = finite_or_none(reference["value"])
    if reference["withheld"]:
        entry["suppressed"] = True
        entry["withheld"] = [*entry.get("withheld", ()), "state_value"]


def reference_values(
    found: Lookup, keys: Sequence[str], states: set[Any], config: Config
) -> list[dict[str, Any]]:
    """The published aggregates at the as-of month beside the Jobcenters: Germany, West and
    East, and the states of the Jobcenters shown. Never a Jobcenter: `"aggregate": true`.
    With small counts withheld, their counts are withheld too (a state minus its shown
    Jobcenters would give a withheld count back); levels in % stay."""
    hidden = SmallCounts.of(config).active
    as_of = found.figures.as_of
    # the cells the publisher withheld (`*`): null, and named in `withheld` (as a Jobcenter's)
    withheld = withheld_references(found.dataset, as_of).with_columns(
        period=pl.lit(as_of), value=pl.lit(None, pl.Float64), by_publisher=pl.lit(True)
    )
    columns = ("jobcenter_id", "name", "period", "metric", "value", "by_publisher")
    aggregates = pl.concat(
        [
            found.dataset.aggregates.with_columns(by_publisher=pl.lit(False)).select(columns),
            withheld.select(columns),
        ]
    ).filter((pl.col("period") == as_of) & pl.col("metric").is_in(list(keys)))
    if aggregates.is_empty():
        return []
    wanted = beside(aggregates, states)
    out: list[dict[str, Any]] = []
    order = {k: n for n, k in enumerate(keys)}
    for (ident, name), rows in wanted.group_by("jobcenter_id", "name", maintain_order=True):
        ordered = sorted(rows.iter_rows(named=True), key=lambda r: order[r["metric"]])
        held = [
            r["metric"]
            for r in ordered
            if r["by_publisher"] or (hidden and not is_level(config, r["metric"]))
        ]
        metrics = {
            r["metric"]: None if r["metric"] in held else finite_or_none(r["value"])
            for r in ordered
        }
        entry = {"id": ident, "name": name, "aggregate": True, "metrics": metrics}
        if held:
            entry |= {"suppressed": True, "withheld": held}
        out.append(entry)
    return out


def is_level(config: Config, key: str) -> bool:
    """A metric that is a level in % (a key figure as published), not a count."""
    metric = config.metrics.get(key)
    return metric is not None and metric.is_level
