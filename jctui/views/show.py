"""`jctui show QUERY`: the figures of one or more Jobcenters, as a table, JSON or CSV.

The quick path for meetings: no Textual, Polars only inside the function, and data
warnings checked only for the Jobcenters shown. The table fits 80 columns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from jctui.config import Config
from jctui.errors import EXIT_OK, JctuiError, NotFoundError
from jctui.i18n import Lang, fmt_month, fmt_number, fmt_pct, resolve_language, t
from jctui.views.text import SPARK_PERIODS, safe_text, sparkline, utf8_locale

if TYPE_CHECKING:
    import polars as pl

    from jctui.engine import Engine, Figures
    from jctui.model import Dataset

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
LABEL_WIDTH = 25


def parse_month(text: str | None) -> dt.date | None:
    """'2018-07' -> 2018-07-01; a clear error (exit 2) for anything else."""
    if text is None:
        return None
    match = MONTH_RE.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise JctuiError(f"--at: expected a month as YYYY-MM, got {text!r}")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def load_for_cli(config: Config, offline: bool = False) -> Dataset:
    """The dataset from the sources, or with --offline from the offline cache alone."""
    if offline:
        from jctui.sources.cache import load_cached_dataset

        return load_cached_dataset(config)
    from jctui.load import load_dataset

    return load_dataset(config)


def make_engine(config: Config, dataset: Dataset) -> Engine:
    from jctui.engine import Engine

    return Engine.for_dataset(config, dataset)


def check_as_of(engine: Engine, as_of: dt.date | None) -> dt.date | None:
    if as_of is None:
        return None
    periods = engine.periods
    if not periods or as_of < periods[0].replace(day=1) or as_of > periods[-1]:
        first = f"{periods[0]:%Y-%m}" if periods else "–"
        last = f"{periods[-1]:%Y-%m}" if periods else "–"
        raise JctuiError(f"--at {as_of:%Y-%m}: not in the data (periods {first} to {last})")
    return as_of


def resolve_queries(registry: pl.DataFrame, queries: Sequence[str]) -> tuple[list[str], list[str]]:
    """Jobcenter ids for the queries, in order, and notes on queries matching several."""
    from jctui.engine import closest_names, find_jobcenters

    ids: list[str] = []
    notes: list[str] = []
    for query in queries:
        found = find_jobcenters(registry, query)
        if found.is_empty():
            suggestions = closest_names(registry, query)
            hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
            raise NotFoundError(f"no Jobcenter matches {safe_text(query)!r}{hint}")
        if found.height > 1:
            names = ", ".join(safe_text(n) for n in found.get_column("name").to_list())
            notes.append(f"{safe_text(query)!r}: {found.height} matches: {names}")
        ids += [i for i in found.get_column("jobcenter_id").to_list() if i not in ids]
    return ids, notes


def check_metrics(config: Config, keys: Sequence[str] | None) -> list[str] | None:
    if not keys:
        return None
    unknown = [k for k in keys if k not in config.metrics]
    if unknown:
        raise JctuiError(
            f"--metric: unknown metric {unknown[0]!r} (known: {', '.join(config.metrics)})"
        )
    return list(keys)


def spark_values(
    dataset: Dataset, config: Config, ids: Sequence[str], as_of: dt.date, keys: Sequence[str]
) -> dict[tuple[str, str], list[float | None]]:
    """The last 24 values of each (Jobcenter, metric), for the one-line sparklines; small
    counts as None."""
    import polars as pl

    from jctui.engine.series import hide_small_counts

    first = (
        dt.date(as_of.year - 2, as_of.month, 1)
        if as_of.day == 1
        else as_of - dt.timedelta(days=SPARK_PERIODS)
    )
    rows = (
        dataset.values.lazy()
        .filter(
            pl.col("jobcenter_id").is_in(list(ids))
            & pl.col("metric").is_in(list(keys))
            & (pl.col("period") > first)
            & (pl.col("period") <= as_of)
        )
        .sort("period")
        .group_by("jobcenter_id", "metric")
        .agg(hide_small_counts(pl.col("value"), config.small_count_threshold))
        .collect()
    )
    return {(r["jobcenter_id"], r["metric"]): r["value"] for r in rows.iter_rows(named=True)}


def run_show(config: Config, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    lang = resolve_language(config.language)
    as_of_wanted = parse_month(getattr(args, "at", None))
    metric_keys = check_metrics(config, getattr(args, "metric", None))
    dataset = load_for_cli(config, getattr(args, "offline", False))
    engine = make_engine(config, dataset)
    as_of_wanted = check_as_of(engine, as_of_wanted)
    ids, notes = resolve_queries(dataset.registry, [args.query, *getattr(args, "compare", [])])
    figures = engine.figures(as_of_wanted, warnings_for=ids)
    from jctui.views.report import build_report

    report = build_report(
        figures,
        dataset.registry,
        config,
        ids,
        source=dataset.source_label,
        demo=dataset.demo,
        lang=lang,
        metric_keys=metric_keys,
    )
    fmt = getattr(args, "format", "table")
    if fmt == "json":
        for note in notes:
            print(f"jctui: {note}", file=sys.stderr)
        out.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        for note in notes:
            print(f"jctui: {note}", file=sys.stderr)
        from jctui.views.report import report_frame

        out.write(report_frame(report).write_csv())
    else:
        ascii_only = (
            bool(getattr(args, "ascii", None) or config.ascii)
            or not _utf8(out)
            or not utf8_locale()
        )
        keys = metric_keys or list(config.metrics)
        sparks = spark_values(dataset, config, ids, figures.as_of, keys)
        text = render_table(
            report, figures, config, lang, sparks, notes, ascii_only, compare=bool(args.compare)
        )
        out.write(text)
    return EXIT_OK


def _utf8(stream: TextIO) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding in ("utf8", "utf8sig")


# --------------------------------------------------------------------------------------
# The table


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(
    report: dict[str, Any],
    figures: Figures,
    config: Config,
    lang: Lang,
    sparks: dict[tuple[str, str], list[float | None]],
    notes: Sequence[str],
    ascii_only: bool,
    *,
    compare: bool,
) -> str:
    threshold = config.small_count_threshold
    lines: list[str] = []
    as_of = figures.as_of
    heading = f"{t('as_of', lang)}: {fmt_month(as_of, lang)}"
    if figures.latest != as_of:
        latest = "neueste Daten" if lang == "de" else "latest data"
        heading += f" ({latest}: {fmt_month(figures.latest, lang)})"
    lines.append(heading)
    if report["demo"]:
        lines.append(f"** {report['demo_label']} **")
    lines += [f"{note}" for note in notes]
    label_of = {k: m.label(lang) for k, m in config.metrics.items()}
    rate_label = {k: r.label(lang) for k, r in config.rates.items()}
    if compare:
        lines.append("")
        lines += render_compare(report, label_of, rate_label, lang, threshold)
    else:
        for jc in report["jobcenters"]:
            lines.append("")
            lines += render_one(jc, label_of, rate_label, lang, threshold, sparks, ascii_only)
    return "\n".join(lines) + "\n"


def _rank(entry: dict[str, Any]) -> str:
    if entry.get("rank") is None:
        return "–"
    return f"{entry['rank']}/{entry['rank_of']}"


def render_one(
    jc: dict[str, Any],
    label_of: dict[str, str],
    rate_label: dict[str, str],
    lang: Lang,
    threshold: float,
    sparks: dict[tuple[str, str], list[float | None]],
    ascii_only: bool,
) -> list[str]:
    sep = "-" if ascii_only else "─"
    name = safe_text(jc["name"])
    facts = " · ".join(
        safe_text(x)
        for x in (
            jc["state"],
            jc["carrier"],
            f"{t('comparison_type', lang)} {jc['comparison_type']}"
            if jc["comparison_type"]
            else None,
        )
        if x
    )
    lines = [_fit(f"{name} ({jc['id']})", 79), _fit(facts, 79)]
    head_12 = "12 Mon./Vorj." if lang == "de" else "12 mo/prev yr"
    header = (
        f"{t('metric', lang):<{LABEL_WIDTH}} {t('value', lang):>7} {head_12:>13} "
        f"{t('change_pct', lang):>9} {t('rank', lang):>8} {t('trend', lang)}"
    )
    lines += [header, sep * 79]
    for key, entry in jc["metrics"].items():
        value = fmt_number(entry["value"], lang, small_count_threshold=threshold)
        if entry["kind"] == "flow":
            figure = fmt_number(entry["sum_12"], lang, small_count_threshold=threshold)
        else:
            figure = fmt_number(entry["value_prev_year"], lang, small_count_threshold=threshold)
        if entry.get("suppressed") and value == "–":
            value = "*"
        spark = sparkline(sparks.get((jc["id"], key), []), ascii_only=ascii_only, width=12)
        lines.append(
            f"{_fit(label_of.get(key, key), LABEL_WIDTH):<{LABEL_WIDTH}} {value:>7} {figure:>13} "
            f"{fmt_pct(entry['change_pct'], lang):>9} {_rank(entry):>8} {spark}"
        )
    for key, entry in jc["rates"].items():
        prev = "Vorjahr" if lang == "de" else "prev. year"
        lines.append(
            f"{_fit(rate_label.get(key, key), LABEL_WIDTH):<{LABEL_WIDTH}} "
            f"{fmt_pct(entry['value'], lang, signed=False):>7} "
            f"{prev + ' ' + fmt_pct(entry['value_prev_year'], lang, signed=False):>23} {_rank(entry):>8}"
        )
    if jc["warnings"]:
        lines.append(f"{t('warnings', lang)}:")
        for w in jc["warnings"][:8]:
            where = (
                f"{w['period'] or ''} {label_of.get(w['metric'] or '', w['metric'] or '')}".strip()
            )
            lines.append(_fit(f"  ! {where}: {safe_text(w['message'])}", 79))
        if len(jc["warnings"]) > 8:
            lines.append(f"  … +{len(jc['warnings']) - 8}")
    return lines


def render_compare(
    report: dict[str, Any],
    label_of: dict[str, str],
    rate_label: dict[str, str],
    lang: Lang,
    threshold: float,
) -> list[str]:
    """Metrics as rows, Jobcenters side by side: the headline figure and its change."""
    jcs = report["jobcenters"]
    width = max(14, min(24, (79 - 24) // max(1, len(jcs)) - 1))
    lines = [f"{'':<24}" + "".join(f" {_fit(safe_text(jc['name']), width):>{width}}" for jc in jcs)]
    keys = list(dict.fromkeys(k for jc in jcs for k in jc["metrics"]))
    for key in keys:
        cells = []
        for jc in jcs:
            entry = jc["metrics"].get(key)
            if entry is None:
                cells.append("–")
                continue
            headline = entry["sum_12"] if entry["kind"] == "flow" else entry["value"]
            cells.append(
                f"{fmt_number(headline, lang, small_count_threshold=threshold)} {fmt_pct(entry['change_pct'], lang)}"
            )
        lines.append(
            f"{_fit(label_of.get(key, key), 24):<24}" + "".join(f" {c:>{width}}" for c in cells)
        )
    rate_keys = list(dict.fromkeys(k for jc in jcs for k in jc["rates"]))
    for key in rate_keys:
        cells = [fmt_pct(jc["rates"].get(key, {}).get("value"), lang, signed=False) for jc in jcs]
        lines.append(
            f"{_fit(rate_label.get(key, key), 24):<24}" + "".join(f" {c:>{width}}" for c in cells)
        )
    note = (
        "Flüsse: 12-Monats-Summe, Bestände: Monatswert"
        if lang == "de"
        else "flows: 12-month sum, stocks: month value"
    )
    lines.append(f"({note})")
    return lines
