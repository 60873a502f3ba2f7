"""`jctui show QUERY`: the figures of one or more Jobcenters, as a table, JSON or CSV.

The quick path for meetings: no Textual, Polars only inside the function, and data
warnings checked only for the Jobcenters shown. The table fits 80 columns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from jctui.config import Config
from jctui.config.catalogue import config_with_labels
from jctui.errors import EXIT_OK, JctuiError
from jctui.fields import FIELDS
from jctui.i18n import (
    Lang,
    column_label,
    fmt_month,
    fmt_number,
    fmt_pct,
    resolve_language,
    t,
    window_label,
)
from jctui.presentation.flow_months import change_pct
from jctui.presentation.policy import SMALL_COUNT_MARK, companion_field
from jctui.presentation.references import fmt_compared
from jctui.presentation.targets import fmt_figure, fmt_progress, on_track_text, target_gap
from jctui.presentation.text import (
    ascii_cells,
    ascii_wanted,
    fit,
    safe_text,
    sparkline,
    wrap_words,
)
from jctui.views.show_compare import COMPARE_LABEL, render_compare, shown_pct, shown_value

if TYPE_CHECKING:
    from jctui.engine import Figures

LABEL_WIDTH = 18  # the short label where the full one is longer ("ELB")
RANK_WIDTH = 15  # " 9/28 ·  99/407": within the comparison type, then among all
MAX_TABLES = 5  # a query matching more Jobcenters prints this many tables and says so
PERCENT_DECIMALS = 1  # rates in % as published: 19,8 stays 19,8


@dataclass(frozen=True)
class ShowAnswer:
    """What `show` prints, as plain data: the report (the JSON contract), its months, the
    sparklines and notes, and the figures the data hold (their labels). Made from a lookup
    or read from the figure store's record (jctui.views.show_record): one renderer."""

    report: dict[str, Any]
    as_of: dt.date
    latest: dt.date
    sparks: Sparks
    notes: list[str]
    shown_metrics: frozenset[str]
    label_of: dict[str, str]
    figures: Figures | None = None  # for --compare --sort (the standings); else not needed


def run_show(config: Config, args: argparse.Namespace, out: TextIO | None = None) -> int:
    from jctui.views.show_record import stored_answer

    out = out or sys.stdout
    lang = resolve_language(config.language)
    fmt = getattr(args, "format", "table")
    dialect = getattr(args, "dialect", None)
    if fmt != "csv" and dialect is not None:
        raise JctuiError(
            f"--dialect {dialect}: only for --format csv (German figures in the table: --lang de)",
            key="err_dialect", dialect=dialect,
        )  # fmt: skip
    if metric_keys := getattr(args, "metric", None):
        from jctui.session.oneshot import check_metrics, in_catalogue

        if in_catalogue(config, metric_keys):  # else once the data are read
            check_metrics(config, metric_keys, lang)
    try:
        answer = stored_answer(config, args, lang)  # a warm store's record: no Polars at all
        if answer is None:
            answer = looked_up(config, args, lang)
    finally:
        from jctui.sources import forget_ahead

        forget_ahead()  # what a server answered ahead is of this lookup only
    write_answer(answer, config, args, lang, out)
    return EXIT_OK


def looked_up(config: Config, args: argparse.Namespace, lang: Lang) -> ShowAnswer:
    """The answer of a lookup (computed, or from the figure store's frames); one from the
    store also keeps the month's record for the next lookup (jctui.views.show_record)."""
    from jctui.session.oneshot import run_lookup
    from jctui.views.show_record import keep_record, lookup_answer

    fmt = getattr(args, "format", "table")
    found = run_lookup(
        config,
        at=getattr(args, "at", None),
        queries=[args.query, *getattr(args, "compare", [])],
        metric_keys=getattr(args, "metric", None),
        offline=getattr(args, "offline", False),
        projections=fmt != "table",
        lang=lang,
    )
    answer = lookup_answer(found, config, lang, sparks=fmt == "table")
    keep_record(found, config, args, lang)
    return answer


def write_answer(
    answer: ShowAnswer, config: Config, args: argparse.Namespace, lang: Lang, out: TextIO
) -> None:
    """Print the answer as the table, JSON or CSV: the one renderer of every path."""
    fmt = getattr(args, "format", "table")
    config = config_with_labels(config, answer.shown_metrics, answer.label_of)
    if fmt in ("json", "csv"):
        for note in answer.notes:
            print(f"jctui: {note}", file=sys.stderr)
        if fmt == "json":
            from jctui.views.report_out import report_json

            out.write(report_json(answer.report))
        else:
            from jctui.views.report_out import inert_report
            from jctui.views.report_rows import report_csv

            dialect = getattr(args, "dialect", None)
            out.write(report_csv(inert_report(answer.report), config, dialect or "plain"))
        return
    ascii_only = ascii_wanted(bool(getattr(args, "ascii", None) or config.ascii), out)
    table = render_table(
        answer.report, answer.as_of, answer.latest, config, lang, answer.sparks, answer.notes,
        ascii_only, compare=bool(getattr(args, "compare", None)),
        sort_key=getattr(args, "sort", None), figures=answer.figures,
    )  # fmt: skip
    out.write(ascii_cells(table) if ascii_only else table)


# --------------------------------------------------------------------------------------
# The table

Sparks = Mapping[tuple[str, str], Sequence[float | None]]


def render_table(
    report: dict[str, Any],
    as_of: dt.date,
    latest: dt.date,
    config: Config,
    lang: Lang,
    sparks: Sparks,
    notes: Sequence[str],
    ascii_only: bool,
    *,
    compare: bool,
    sort_key: str | None = None,
    figures: Figures | None = None,
) -> str:
    """The table of `show` (`figures`: the standings `--compare --sort` orders by)."""
    heading = f"{t('as_of', lang)}: {fmt_month(as_of, lang)}"
    if latest != as_of:
        heading += f" ({t('latest_data', lang)}: {fmt_month(latest, lang)})"
    lines = [heading]
    if report["demo"]:
        lines.append(f"** {report['demo_label']} **")
    for note in notes:  # "'stadt': 112 matches: ...": between words, never inside one
        lines += wrap_words(note, 79)
    label_of = {k: m.label(lang) for k, m in config.metrics.items()}
    label_of.update({k: r.label(lang) for k, r in config.rates.items()})
    decimals = {k: PERCENT_DECIMALS for k, m in config.metrics.items() if m.is_level}
    if compare:
        lines.append("")
        short = {k: m.fitting_label(lang, COMPARE_LABEL) for k, m in config.metrics.items()}
        short.update({k: r.fitting_label(lang, COMPARE_LABEL) for k, r in config.rates.items()})
        lines += render_compare(report, figures, short, lang, decimals, sort_key)
    else:
        fitted = {k: m.fitting_label(lang, LABEL_WIDTH) for k, m in config.metrics.items()}
        fitted.update({k: r.fitting_label(lang, LABEL_WIDTH) for k, r in config.rates.items()})
        jobcenters = report["jobcenters"]
        for jc in jobcenters[:MAX_TABLES]:
            lines.append("")
            lines += render_one(
                jc, fitted, lang, sparks, ascii_only, decimals, year=as_of.year,
                group_by=config.group_by, window=config.window,
            )  # fmt: skip
        if len(jobcenters) > MAX_TABLES:
            more = t("more_matches", lang).format(n=len(jobcenters) - MAX_TABLES)
            lines += ["", *wrap_words(more, 79)]
    if report.get("references"):
        lines += ["", f"{t('references', lang)}:"]
        for ref in report["references"]:
            held = ref.get("withheld", ())  # by the publisher (`*` in the file)
            shown = " · ".join(
                f"{label_of.get(k, k)} "
                + (SMALL_COUNT_MARK if k in held else fmt_number(v, lang, decimals.get(k, 0)))
                for k, v in ref["metrics"].items()
            )
            lines += wrap_words(f"  {safe_text(ref['name'])}: {shown}", 79, indent=4)
    return "\n".join(lines) + "\n"


def _rank(entry: Mapping[str, Any]) -> str:
    """'9/28 · 99/407': the rank within the comparison type, then among all Jobcenters."""
    if "rank" in entry.get("withheld", ()):
        return SMALL_COUNT_MARK
    if entry.get("rank") is None:
        return "–"
    overall = f"{entry['rank']}/{entry['rank_of']}"
    if entry.get("group_rank") is None:
        return overall
    group = f"{entry['group_rank']}/{entry['group_rank_of']}"
    return f"{group:>5} · {overall:>7}"


DECLARED_WIDTH = 36  # "Appr. placements · 24-month mean"


def render_declared(
    jc: Mapping[str, Any],
    label_of: Mapping[str, str],
    lang: Lang,
    decimals: Mapping[str, int],
    window: str,
) -> list[str]:
    """A line per metric and declared field shown in `show` (`detail`, jctui.fields):
    'Integrations · 24-month mean  36', '*' where withheld."""
    lines = []
    for field in (f for f in FIELDS if f.detail and f.table == "metric"):
        name = column_label(field.key, lang, window)
        for key, entry in jc["metrics"].items():
            if field.key in entry:
                label = fit(f"{label_of.get(key, key)} · {name}", DECLARED_WIDTH)
                shown = shown_value(entry, field.key, lang, decimals.get(key, 0) or 1)
                lines.append(f"{label:<{DECLARED_WIDTH}} {shown:>13}")
    return lines


def render_one(
    jc: dict[str, Any],
    label_of: Mapping[str, str],
    lang: Lang,
    sparks: Sparks,
    ascii_only: bool,
    decimals: Mapping[str, int],
    *,
    year: int,
    group_by: str,
    window: str,
) -> list[str]:
    """One Jobcenter: a row per metric (value, the window's sum or previous year, change, rank,
    trend), a row per rate, its targets for `year`, then its warnings. Figures in % keep
    their decimal."""
    sep = "-" if ascii_only else "─"
    comparison = jc["comparison_type"] and f"{t('comparison_type', lang)} {jc['comparison_type']}"
    facts = " · ".join(safe_text(x) for x in (jc["state"], jc["carrier"], comparison) if x)
    lines = [fit(f"{safe_text(jc['name'])} ({safe_text(jc['id'])})", 79), fit(facts, 79)]
    header = (
        f"{t('metric', lang):<{LABEL_WIDTH}} {t('value', lang):>7} {window_label('sum_or_prev', lang, window):>13} "
        f"{t('change_pct', lang):>9} {t('rank_type_all', lang):>{RANK_WIDTH}} {t('trend', lang)}"
    )
    lines += [header, sep * 79]
    for key, entry in jc["metrics"].items():
        places = decimals.get(key, 0)
        value = shown_value(entry, "value", lang, places)
        figure = shown_value(entry, companion_field(entry["kind"]), lang, places)
        change = shown_pct(entry, "change_pct", lang)
        spark = sparkline(sparks.get((jc["id"], key), []), ascii_only=ascii_only, width=12)
        lines.append(
            f"{fit(label_of.get(key, key), LABEL_WIDTH):<{LABEL_WIDTH}} {value:>7} {figure:>13} "
            f"{change:>9} {_rank(entry):>{RANK_WIDTH}} {spark}"
        )
    for key, entry in jc["rates"].items():
        prev = f"{t('prev_year', lang)} {shown_pct(entry, 'value_prev_year', lang, signed=False)}"
        spark = sparkline(sparks.get((jc["id"], key), []), ascii_only=ascii_only, width=12)
        lines.append(
            f"{fit(label_of.get(key, key), LABEL_WIDTH):<{LABEL_WIDTH}} "
            f"{shown_pct(entry, 'value', lang, signed=False):>7} {prev:>23} "
            f"{_rank(entry):>{RANK_WIDTH}} {spark}"
        )
    lines += render_flow_months(jc, label_of, lang)
    lines += render_declared(jc, label_of, lang, decimals, window)
    lines += render_beside_group(jc, label_of, lang, group_by)
    lines += render_targets(jc, label_of, lang, year=year)
    if jc["warnings"]:
        lines.append(f"{t('warnings', lang)}:")
        for w in jc["warnings"][:8]:
            metric = w["metric"] or ""
            where = f"{w['period'] or ''} {label_of.get(metric, metric)}".strip()
            lines += wrap_words(f"  ! {where}: {safe_text(w['message'])}", 79, indent=4)
        if len(jc["warnings"]) > 8:
            lines.append(f"  … +{len(jc['warnings']) - 8}")
    return lines


def render_flow_months(jc: Mapping[str, Any], label_of: Mapping[str, str], lang: Lang) -> list[str]:
    """Flows month by month: the month's own value beside the same month a year earlier
    and the change between them (not only the window's sums); nothing without flows."""
    flows = [(k, e) for k, e in jc["metrics"].items() if e.get("kind") == "flow"]
    if not flows:
        return []
    month = next((e.get("latest_period") for _, e in flows if e.get("latest_period")), None)
    this = earlier = ""
    if month:
        year, number = (int(x) for x in str(month).split("-")[:2])
        this = fmt_month(dt.date(year, number, 1), lang, short=True)
        earlier = fmt_month(dt.date(year - 1, number, 1), lang, short=True)
    lines = [
        f"{t('month_beside_year', lang):<30} {this:>9} {earlier:>9} {t('change_pct', lang):>9}"
    ]
    for key, entry in flows:
        value, before = (
            shown_value(entry, "value", lang),
            shown_value(entry, "value_prev_year", lang),
        )
        hidden = {"value", "value_prev_year"} & set(entry.get("withheld", ()))
        change = (
            SMALL_COUNT_MARK
            if hidden
            else fmt_pct(change_pct(entry.get("value"), entry.get("value_prev_year")), lang)
        )
        label = fit(label_of.get(key, key), 30)
        lines.append(f"{label:<30} {value:>9} {before:>9} {change:>9}")
    return lines


def render_beside_group(
    jc: Mapping[str, Any], label_of: Mapping[str, str], lang: Lang, group_by: str
) -> list[str]:
    """The figures the data has the Jobcenter's state for: the comparison group's mean and
    the state's published figure, of what the rank compares (a level, or a count's change);
    nothing without them."""
    entries = [
        {**entry, "key": key}
        for part in ("metrics", "rates")
        for key, entry in jc[part].items()
        if entry.get("state_name")
    ]
    if not entries:
        return []
    group = f"Ø {safe_text(jc.get(group_by) or '')}".rstrip()  # the group the mean is of
    state = fit(safe_text(entries[0]["state_name"]), 12)
    lines = [f"{t('against_group_state', lang):<{LABEL_WIDTH}} {group:>9} {state:>12}"]
    for entry in entries:
        basis = entry.get("compares") or "level"
        mean = fmt_compared(entry.get("group_mean"), basis, lang)
        value = (
            SMALL_COUNT_MARK
            if "state_value" in entry.get("withheld", ())
            else fmt_compared(entry.get("state_value"), basis, lang)
        )
        label = fit(label_of.get(entry["key"], entry["key"]), LABEL_WIDTH)
        lines.append(
            f"{label:<{LABEL_WIDTH}} {mean:>9} {value:>12}  {t('basis_' + basis, lang)}".rstrip()
        )
    return lines


def render_targets(
    jc: Mapping[str, Any],
    label_of: Mapping[str, str],
    lang: Lang,
    *,
    year: int,
) -> list[str]:
    """The figures with a target: target, progress, where the year will end, on track or why
    there is no projection (nothing when the Jobcenter has no target)."""
    entries = [
        (key, entry)
        for part in ("metrics", "rates")
        for key, entry in jc[part].items()
        if entry.get("target") is not None
    ]
    if not entries:
        return []
    header = (
        f"{t('targets', lang) + ' ' + str(year):<{LABEL_WIDTH}} {t('target', lang):>7} "
        f"{t('progress', lang):>8} {t('year_end', lang):>10}"
    )
    lines = [header]
    for key, entry in entries:
        kind = entry.get("kind", "rate")
        target = fmt_figure(entry["target"], kind, lang)
        progress = fmt_progress(entry["target_progress_pct"], lang)
        projection = (
            SMALL_COUNT_MARK
            if entry["projection"] is None and entry.get("suppressed")
            else fmt_figure(entry["projection"], kind, lang)
        )
        line = (
            f"{fit(label_of.get(key, key), LABEL_WIDTH):<{LABEL_WIDTH}} {target:>7} {progress:>8}"
        )
        if entry.get("projection_reason"):  # no projection: the reason in its place, whole
            said = str(entry["projection_reason"])
            lines += wrap_words(f"{line} {said}", 79, indent=LABEL_WIDTH + 18)
            continue
        status, gap = on_track_text(entry, lang), target_gap(entry, kind, lang)
        said = f"{status}: {gap}" if status and gap else status
        lines += wrap_words(f"{line} {projection:>10} {said}".rstrip(), 79, indent=LABEL_WIDTH + 29)
    return lines
