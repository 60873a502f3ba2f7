"""`jctui check`: validate config and data, print a summary, list rejected rows and conflicts.

Exit 0 when clean, 1 when data problems were found, 2 when the config is unusable or a
source unreadable (raised as ConfigError/SourceError before anything is printed here).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from jctui.config import Config
from jctui.errors import EXIT_DATA, EXIT_OK
from jctui.i18n import fmt_month, fmt_number, resolve_language, t
from jctui.presentation.text import safe_text
from jctui.readers.signs import describe_missing
from jctui.session.load import load_dataset


def run_check(config: Config, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    lang = resolve_language(config.language)
    dataset = load_dataset(config)
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
        f"rejected:   {fmt_number(dataset.rejected.height, lang)}",
        f"conflicts:  {fmt_number(dataset.conflicts.height, lang)}",
    ]
    lines += [f"recognised: {safe_text(notice)}" for notice in dataset.notices]
    lines += [f"problem:    {safe_text(problem)}" for problem in dataset.source_problems]
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
    problems = dataset.rejected.height + dataset.conflicts.height + len(dataset.source_problems)
    lines.append("")
    lines.append("OK: no problems found" if not problems else f"PROBLEMS: {problems} found")
    out.write("\n".join(lines) + "\n")
    return EXIT_DATA if problems else EXIT_OK


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
