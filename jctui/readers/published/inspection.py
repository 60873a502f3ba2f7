"""What jctui recognised in one file, for `jctui inspect`: column by column (a registry role,
a figure with its key and unit, or ignored and why), the report month and where it came
from, signs, aggregate rows, sheets, the cross-checks and a few values per figure, and the
`[[sources]]` block that reproduces the reading. For a layout it cannot read: how far it got
and the one option that would settle it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from jctui import formats
from jctui.config import MetricDef, SourceDef
from jctui.config.catalogue import label_figure
from jctui.errors import SourceError
from jctui.readers.layout import find_layout, report_month_from
from jctui.readers.published.checks import SHARE_IN_RANGE, WHOLE_COUNT
from jctui.readers.published.columns import ROW_METRIC, Column
from jctui.readers.published.extract import finish
from jctui.readers.published.grids import head_rows
from jctui.readers.published.recognise import Recognised, recognise
from jctui.readers.published.sheets import no_sheet_error, recognise_sheets
from jctui.readers.raw import GENESIS_DETAILS
from jctui.readers.regionalatlas import unwrap_features
from jctui.readers.result import ReadResult
from jctui.readers.signs import describe_missing
from jctui.textsafe import safe_text


@dataclass(frozen=True)
class ColumnReport:
    """One column: what it was taken for, or why not."""

    index: int
    name: str
    role: str = ""  # jobcenter_id, name, state, carrier, comparison_type, period, label
    metric: str = ""
    unit: str = ""
    months_back: int = 0
    period: str = ""  # a month column of a time series
    change: str = ""  # "abs" / "pct": a change against a year earlier (checked, not used)
    ignored: str = ""  # why the column is not used


@dataclass(frozen=True)
class Inspection:
    """Everything `jctui inspect` prints about one file."""

    origin: str
    format: str = ""
    kind: str = ""
    header: str = ""
    month: str = ""  # YYYY-MM
    month_from: str = ""
    columns: tuple[ColumnReport, ...] = ()
    sheet: str = ""
    sheets_skipped: tuple[str, ...] = ()
    signs: str = ""
    aggregates: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    config: str = ""
    error: str = ""  # the layout could not be read: why
    reached: str = ""  # how far it got
    option: str = ""  # the one option that would settle it

    def as_json(self) -> dict[str, object]:
        """The inspection as plain JSON data."""
        return {
            "file": self.origin,
            "format": self.format,
            "kind": self.kind,
            "header": self.header,
            "report_month": {"month": self.month, "from": self.month_from} if self.month else None,
            "columns": [c.__dict__ for c in self.columns],
            "sheet": self.sheet,
            "sheets_skipped": list(self.sheets_skipped),
            "signs": self.signs,
            "aggregates": list(self.aggregates),
            "checks": list(self.checks),
            "problems": list(self.problems),
            "values": {k: list(v) for k, v in self.values.items()},
            "notices": list(self.notices),
            "config": self.config,
            "error": self.error or None,
            "reached": self.reached or None,
            "option": self.option or None,
        }


def inspect_bytes(
    data: bytes,
    fmt: str,
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
    origin: str,
    result: ReadResult | None,
) -> Inspection:
    """The inspection of one file's bytes in format `fmt`; `result` is what the ordinary
    reader made of it (None when it refused the file)."""
    if result is not None and result.details == GENESIS_DETAILS:  # its own columns: no layout
        kind = "GENESIS flat file: value variables as figures, regions by key"
        return _plain_or_unreadable(data, fmt, source, origin, result, "", kind)
    features = unwrap_features(data, origin)  # the Regionalatlas: inspect its records
    if features is not None:
        records = inspect_bytes(features[0], "csv", source, catalogue, origin, result)
        return dataclasses.replace(records, format=f"{fmt}, the records of its features")
    declared = formats.get(fmt)
    found: Recognised | None = None
    error = ""
    sheets: list[Recognised] = []
    skipped: list[tuple[str, str]] = []
    if declared is not None and declared.published:
        try:
            several = recognise_sheets(data, fmt, source, catalogue, origin)
            if several is not None:
                sheets, skipped = several
                found = sheets[0] if sheets else None
                error = "" if sheets else no_sheet_error(origin, skipped)
            else:
                found = recognise(data, fmt, source, catalogue, origin)
        except SourceError as exc:
            error = str(exc)
    if found is None:
        return _plain_or_unreadable(data, fmt, source, origin, result, error)
    if result is None:
        try:
            result = finish(sheets or [found], source, catalogue, origin)
        except SourceError as exc:
            return _unreadable(data, fmt, source, origin, str(exc), found)
    month, month_from = report_month_from(found.layout.titles, origin, source.month)
    base = Inspection(
        origin=origin,
        format=fmt,
        kind=found.kind,
        header=found.header,
        month=f"{month:%Y-%m}" if month and found.month else "",
        month_from=month_from if found.month else "",
        columns=tuple(
            dataclasses.replace(
                column, name=f"[{one.sheet}] {column.name}" if sheets else column.name
            )
            for one in (sheets or [found])
            for column in (_column(one, c, catalogue) for c in one.columns)
        ),
        sheet=", ".join(one.sheet for one in sheets) if sheets else found.sheet,
        sheets_skipped=tuple(f"{name} ({why})" for name, why in skipped)
        if sheets
        else tuple(s for s in found.sheets if s != found.sheet),
        config=_config_block(found, source, origin, [one.sheet for one in sheets]),
    )
    return _outcome(base, result)


def _outcome(base: Inspection, result: ReadResult) -> Inspection:
    """`base` with the signs, aggregates, checks, problems and sample values of a read file."""
    checks = tuple(n.split(": ", 1)[1] for n in result.notices if ": check " in n)
    samples: dict[str, tuple[str, ...]] = {}
    for (metric,), rows in result.values.group_by("metric", maintain_order=True):
        first = rows.sort("jobcenter_id", "period").head(3)
        samples[str(metric)] = tuple(
            f"{r['jobcenter_id']} {r['period']:%Y-%m} = {_number(r['value'])}"
            for r in first.iter_rows(named=True)
        )
    problems = tuple(
        f"line {r['line']} {r['column']}: {r['problem']}"
        for r in result.rejected.head(20).iter_rows(named=True)
    )
    # a share read a thousand times too large: the file writes a decimal point ("7.125")
    # where its separator says comma; the option that settles it
    too_large = any(SHARE_IN_RANGE in p for p in problems)
    # a count read as a decimal: the file writes a thousands mark ("16.039") where its
    # separator says point
    fraction = any(WHOLE_COUNT in p for p in problems)
    option = 'decimal = "." (the file\'s decimal mark)' if too_large else ""
    option = option or ('decimal = "," (the file\'s decimal mark)' if fraction else "")
    return dataclasses.replace(
        base,
        option=base.option or option,
        signs=describe_missing(result.missing),
        aggregates=tuple(
            str(n) for n in result.aggregates.get_column("name").unique(maintain_order=True)
        ),
        checks=checks,
        problems=problems,
        values=samples,
        notices=tuple(n for n in result.notices if ": check " not in n),
    )


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _column(found: Recognised, column: Column, catalogue: Mapping[str, MetricDef]) -> ColumnReport:
    name = found.layout.name(column.index)
    if column.role:
        return ColumnReport(column.index, name, role=column.role)
    if column.metric == ROW_METRIC:
        return ColumnReport(
            column.index,
            name,
            metric="(each row's label)",
            period=column.period,
            change=column.change,
        )
    if column.metric:
        metric = label_figure(column.label) if column.label else catalogue.get(column.metric)
        return ColumnReport(
            column.index,
            name,
            metric=column.metric,
            unit=(metric.unit if metric else "") or "count",
            months_back=column.back,
            period=column.period,
            change=column.change,
        )
    layout, j = found.layout, column.index
    if not layout.subs[j] and j and layout.groups[j - 1] == layout.groups[j]:
        why = "no header of its own (padding after a group)"
    elif not name:
        why = "no header"
    else:
        why = "names no role and no figure of the catalogue"
    return ColumnReport(column.index, name, ignored=why)


def _toml(text: str) -> str:
    """A TOML string of a header as the file gives it: control and bidi characters as
    escapes (inert on a terminal, the same header when read back)."""
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + safe_text(quoted, escaped=True) + '"'


def _config_block(
    found: Recognised, source: SourceDef, origin: str, sheets: list[str] | None = None
) -> str:
    """The `[[sources]]` block that reproduces this reading, ready to paste and edit."""
    base = re.split(r"[\\/]", origin)[-1]
    lines = [
        "[[sources]]",
        f"name = {_toml(source.name if source.name not in ('', 'cli') else base.split('.')[0])}",
        f"path = {_toml(origin)}",
        f"header_row = {found.layout.header + 1}",
    ]
    if found.month is not None:
        lines.append(f'month = "{found.month:%Y-%m}"')
    if source.jobcenter:
        lines.append(f"jobcenter = {_toml(source.jobcenter)}")
    if sheets:
        lines.append("sheets = [" + ", ".join(_toml(name) for name in sheets) + "]")
    elif found.sheet:
        lines.append(f"sheet = {_toml(found.sheet)}")
    year = next((c for c in found.columns if c.role == "year"), None)
    if year is not None:
        month = next(c for c in found.columns if c.role == "period")
        lines.append(f"year_column = {_toml(found.layout.name(year.index))}")
        lines.append(f"month_column = {_toml(found.layout.name(month.index))}")
    skip = {"label", "breakdown", "year", "period"} if year is not None else {"label", "breakdown"}
    if found.breakdowns:
        shown = ", ".join(
            f"{_toml(found.layout.name(j))} = {_toml(v or 'insgesamt')}"
            for j, v in found.breakdowns
        )
        lines.append(f"filter = {{ {shown} }}" + ("" if source.filter else "  # the totals"))
    # a column without a header (a GENESIS table's ids and years) is found by its cells
    roles = [
        c for c in found.columns if c.role and c.role not in skip and found.layout.name(c.index)
    ]
    if roles:
        lines.append("")
        lines.append("[sources.columns]")
        lines += [f"{c.role} = {_toml(found.layout.name(c.index))}" for c in roles]
    named = [c for c in found.columns if c.metric and c.metric != ROW_METRIC and not c.period]
    if named:
        lines.append("")
        lines.append("# figures, as recognised (uncomment a line to change its key):")
        lines.append("# [sources.metrics]")
        for c in named:
            back = "  # a year earlier, by its group" if c.back else ""
            lines.append(f"# {_toml(found.layout.name(c.index))} = {_toml(c.metric)}{back}")
    return "\n".join(lines)


# the option that settles a refusal, by its words
_OPTIONS: tuple[tuple[str, str], ...] = (
    ("no report month", 'month = "YYYY-MM"'),
    ("could both be", '[sources.metrics] "<column>" = "<key>"'),
    ("no column matches a metric", '[sources.metrics] "<column>" = "<key>"'),
    ("no column of Jobcenter ids", 'jobcenter = "<id>" (a file about one region)'),
    ("no sheet named", 'sheet = "<name>"'),
    ("no column ", "[sources.columns] (the name as in the header row)"),
    ("missing column", "header_row = N (the row of the header)"),
)


def _plain_or_unreadable(
    data: bytes,
    fmt: str,
    source: SourceDef,
    origin: str,
    result: ReadResult | None,
    error: str,
    kind: str = "a table in the canonical layout, read as it is",
) -> Inspection:
    if result is not None and not error:
        base = Inspection(
            origin=origin,
            format=fmt,
            kind=kind,
            config=f"[[sources]]\nname = {_toml('data')}\npath = {_toml(origin)}",
        )
        return _outcome(base, result)
    return _unreadable(data, fmt, source, origin, error or "not a layout jctui knows", None)


def _unreadable(
    data: bytes,
    fmt: str,
    source: SourceDef,
    origin: str,
    error: str,
    found: Recognised | None,
) -> Inspection:
    """How far the reading got, and the option that would settle it."""
    reached = ""
    try:
        rows = head_rows(data, fmt, source, origin)
        layout = find_layout(rows, source.header_row) if rows else None
        if layout is not None:
            names = [layout.name(j) for j in range(len(layout.subs)) if layout.name(j)]
            reached = f"header row {layout.header + 1}: " + ", ".join(names[:12])
    except SourceError:
        reached = ""
    if found is not None:
        reached = f"{found.kind}, {found.header}"
    option = next((o for words, o in _OPTIONS if words in error), "header_row = N")
    return Inspection(origin=origin, format=fmt, error=error, reached=reached, option=option)
