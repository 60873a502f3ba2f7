"""`jctui check`: validate config and data, print a summary, list rejected rows and conflicts.

Exit 0 when clean (warnings, the same as the dashboard's, are listed but are not problems),
1 when data problems (rejected rows, conflicts) were found, 2 when the config is unusable or a
source unreadable (raised as ConfigError/SourceError before anything is printed here).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any, TextIO

from jctui.config import Config
from jctui.config.catalogue import config_with_labels
from jctui.engine import Engine
from jctui.errors import EXIT_DATA, EXIT_OK, JctuiError
from jctui.i18n import Lang, fmt_month, fmt_number, resolve_language, t
from jctui.model import Dataset
from jctui.presentation.policy import SmallCounts
from jctui.presentation.suppression import withhold
from jctui.presentation.text import safe_text
from jctui.presentation.wording import warning_message
from jctui.readers.signs import describe_missing
from jctui.session.load import load_dataset
from jctui.session.prepare import with_names

EXIT_ATTENTION = 3  # `check --attention`: something needs attention (listed)


def run_check(config: Config, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    lang = resolve_language(config.language)
    if getattr(args, "attention", None) is not None:
        return run_attention(config, args, out, lang)
    dataset = load_dataset(config)
    config = config_with_labels(config, dataset.shown_metrics, dataset.label_of)
    values = dataset.values
    config_label = config.path or t("built_in_defaults", lang)
    lines = [
        f"config:     {config_label}",
        f"sources:    {safe_text(dataset.source_label)}",
    ]
    if dataset.demo:
        lines.append(f"            {t('demo', lang)}")
    rng = dataset.period_range
    period_text = f"{fmt_month(rng[0], lang)} – {fmt_month(rng[1], lang)}" if rng else "–"
    metric_keys = sorted(values.get_column("metric").unique().to_list())
    lines += [
        f"rows:       {fmt_number(values.height, lang)}",
        f"jobcenters: {fmt_number(values.get_column('jobcenter_id').n_unique(), lang)}"
        f" (registry: {fmt_number(dataset.registry.height, lang)})",
        f"metrics:    {', '.join(metric_keys) or '–'}",
        f"periods:    {period_text}",
        f"targets:    {fmt_number(dataset.targets.height, lang)}",
        f"rejected:   {fmt_number(dataset.rejected.height, lang)}",
        f"conflicts:  {fmt_number(dataset.conflicts.height, lang)}",
    ]
    warnings = data_warnings(config, dataset)
    lines.append(f"warnings:   {fmt_number(len(warnings), lang)}")
    lines += [f"recognised: {safe_text(notice)}" for notice in dataset.notices]
    lines += [f"problem:    {safe_text(problem)}" for problem in dataset.source_problems]
    stray = unknown_target_line(dataset)
    if stray:
        lines.append(f"problem:    {stray}")
    # signs in value cells are missing values, not problems: one line per source
    for (source,), signs in dataset.missing.group_by("source", maintain_order=True):
        lines.append(f"missing:    {safe_text(str(source))}: {describe_missing(signs)}")
    limit = max(0, getattr(args, "limit", 50))
    for title, frame, line in (
        ("rejected rows (file:line column value: problem):", dataset.rejected, rejected_line),
        ("conflicts (same jobcenter, period and metric more than once):", dataset.conflicts, conflict_line),
    ):  # fmt: skip
        shown = [line(row) for row in frame.head(limit).iter_rows(named=True)]
        lines += listing(title, shown, frame.height)
    shown = [warning_line(row, config, lang) for row in warnings[:limit]]
    lines += listing("warnings (as on the dashboard's warnings screen):", shown, len(warnings))
    problems = dataset.rejected.height + dataset.conflicts.height + len(dataset.source_problems)
    problems += bool(stray)
    if values.is_empty():  # a header-only file, or every row rejected: nothing to show
        problems += 1
        lines += ["", "no data rows: the sources hold no usable figures"]
    lines.append("")
    if problems:
        lines.append(f"PROBLEMS: {problems} found")
    elif warnings:
        lines.append(f"OK: no problems found; {len(warnings)} warnings to look at (listed above)")
    else:
        lines.append("OK: no problems found")
    out.write("\n".join(lines) + "\n")
    return EXIT_DATA if problems else EXIT_OK


def run_attention(config: Config, args: argparse.Namespace, out: TextIO, lang: Lang) -> int:
    """`jctui check --attention [QUERY]`: one line per thing that needs attention for the
    Jobcenter (default: the configured one), for cron and mail; exit 3 when there is
    something, 0 when there is nothing (and one line saying so)."""
    from jctui.presentation.attention import attention_items
    from jctui.session.oneshot import run_lookup
    from jctui.views.report import build_report

    query = args.attention or config.default_jobcenter
    if not query:
        raise JctuiError("--attention: name a Jobcenter (or set default_jobcenter in the config)")
    since = parse_month(args.since, "--since") if getattr(args, "since", None) else None
    found = run_lookup(config, at=getattr(args, "at", None), queries=[query])
    report = build_report(found, config, lang)
    now = report["jobcenters"][0]
    as_of = found.figures.as_of
    before = None
    earlier = [p for p in found.figures.periods if p < as_of]
    if earlier:
        previous = run_lookup(config, at=earlier[-1].strftime("%Y-%m"), queries=[now["id"]])
        before = build_report(previous, config, lang)["jobcenters"][0]
    labels = {k: m.label(lang) for k, m in config.metrics.items()}
    labels.update({k: r.label(lang) for k, r in config.rates.items()})
    items = attention_items(
        now, before, labels, lang,
        latest=found.figures.latest, today=dt.date.today(),
        overdue_months=config.refresh.overdue_months, since=since,
    )  # fmt: skip
    title = f"{t('attention_title', lang)}: {safe_text(now['name'])} ({safe_text(now['id'])}), "
    lines = [title + fmt_month(as_of, lang)]
    if report["demo"]:
        lines.append(f"** {report['demo_label']} **")
    lines += [f"  {item.kind}: {item.text}" for item in items]
    if not items:
        lines.append(f"  {t('attention_none', lang)}")
    out.write("\n".join(lines) + "\n")
    return EXIT_ATTENTION if items else EXIT_OK


def parse_month(text: str, option: str) -> dt.date:
    """'2018-09' -> 2018-09-01; anything else is a usage error."""
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise JctuiError(
            f"{option}: expected a month as YYYY-MM, got {safe_text(text)!r}"
        ) from None


def unknown_target_line(dataset: Dataset) -> str:
    """One line for the targets that name a Jobcenter neither the registry nor the values
    have (a typo in an id, a Jobcenter merged away): they would be ignored without a word."""
    known = set(dataset.registry.get_column("jobcenter_id").to_list())
    known |= set(dataset.values.get_column("jobcenter_id").unique().to_list())
    ids = dataset.targets.get_column("jobcenter_id") if dataset.targets.height else None
    if ids is None:
        return ""
    stray = sorted({i for i in ids.unique().to_list() if i not in known}, key=str)
    if not stray:
        return ""
    shown = ", ".join(safe_text(i) for i in stray[:5]) + (" …" if len(stray) > 5 else "")
    return (
        f"targets: {len(stray)} Jobcenter id(s) not in the data, their targets are not used: "
        f"{shown} (targets.jobcenter_id must be an id of the registry)"
    )


def data_warnings(config: Config, dataset: Dataset) -> list[dict[str, Any]]:
    """The engine's warnings at the newest month: the same rows the dashboard lists, small
    counts withheld as there."""
    if not dataset.values.height:
        return []
    engine = Engine.for_dataset(config, dataset)
    figures = withhold(engine.figures(with_targets=False), engine, SmallCounts.of(config))
    return with_names(figures.warnings, dataset.registry)


def warning_line(row: dict[str, Any], config: Config, lang: Lang) -> str:
    metric = config.metrics.get(row["metric"] or "")
    label = metric.label(lang) if metric else (row["metric"] or "")
    name = safe_text(row.get("name") or row["jobcenter_id"] or "")
    period = row["period"].strftime("%Y-%m") if row["period"] is not None else ""
    where = " ".join(x for x in (period, safe_text(label)) if x)
    return f"{name} ({safe_text(row['jobcenter_id'])}) {where}: " + safe_text(
        warning_message(row, lang, metric_label=label)
    )


def listing(title: str, shown: list[str], total: int) -> list[str]:
    """A titled, indented list of problems, saying how many more there are."""
    if not total:
        return []
    lines = ["", title, *(f"  {line}" for line in shown)]
    if total > len(shown):
        lines.append(f"  … {total - len(shown)} more (use --limit)")
    return lines


def rejected_line(row: dict[str, Any]) -> str:
    return (
        f"{safe_text(row['source'])}:{row['line']} {safe_text(row['column'])}"
        f" {safe_text(repr(row['value']))}: {safe_text(row['problem'])}"
    )


def conflict_line(row: dict[str, Any]) -> str:
    return (
        f"{safe_text(row['source'])}: {safe_text(row['jobcenter_id'])} {row['period']}"
        f" {safe_text(row['metric'])}: values {row['values']} on lines {row['lines']}"
    )
