"""From recognised files to the canonical model: their data rows unpivoted to the long
layout (one file or a folder, a newer publication of a month replacing the older one),
normalised at once, aggregates and withheld cells split off, what was found in notices.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping, Sequence

import polars as pl

from jctui.config import MetricDef, SourceDef
from jctui.config.catalogue import describe_labels, label_figure_key, with_label_figures
from jctui.errors import SourceError
from jctui.model import (
    AGGREGATE_SCHEMA,
    STATE_CODES,
    STATE_NAMES,
    WITHHELD_SIGN,
    empty_aggregates,
    labels_frame,
)
from jctui.readers.ids import ID_WIDTH, canonical_id
from jctui.readers.layout import FILE_LINES, clean_label, data_rows
from jctui.readers.normalise import normalise
from jctui.readers.published.aggregates import ALL, SUBTOTAL, SUBTOTAL_TYPE, is_aggregate
from jctui.readers.published.breakdowns import keep_rows
from jctui.readers.published.columns import ROLES, ROW_METRIC, Column, label_key
from jctui.readers.published.numbers import COLUMN
from jctui.readers.published.own import read_labels
from jctui.readers.published.periods import row_period
from jctui.readers.published.recognise import Recognised, recognise
from jctui.readers.published.verify import check_cells, number_formats
from jctui.readers.raw import LINE, RawTable
from jctui.readers.registry import registry_from
from jctui.readers.result import ReadResult

KEY = ["jobcenter_id", "period", "metric"]
YEARLY = r"(?i)durchschnitt|jahresmittel|jahressumme|jahreswert"


def extract(
    files: Sequence[Recognised],
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, str], list[str]]:
    """(long, rows) of the recognised files, file i's lines numbered i * FILE_LINES + line:
    long = LINE, jobcenter_id, period, metric, value, aggregate (text); rows = LINE and the
    registry columns of each data row; the row labels that name no figure of the catalogue
    (key -> label: figures of their own); and the breakdowns kept apart. Files with the same
    columns are done together."""
    groups: dict[tuple[Column, ...], list[int]] = {}
    for i, f in enumerate(files):
        groups.setdefault(f.columns, []).append(i)
    longs, all_rows, apart = [], [], []
    own: dict[str, str] = {}  # row labels the catalogue lacks: key -> label
    for members in groups.values():
        grids = [
            files[i].grid.with_columns(
                pl.col(LINE) + i * FILE_LINES,
                _file=pl.lit(i, pl.Int32),
                _first=pl.lit(files[i].layout.first_data + 1, pl.Int64),
                _month=pl.lit(files[i].month, pl.Date),
                _ident=pl.lit(files[i].ident or None, pl.String),
                _region=pl.lit(files[i].region or None, pl.String),
            )
            for i in members
        ]
        grid = pl.concat(grids, how="diagonal") if len(grids) > 1 else grids[0]
        body = data_rows(grid)
        first = files[members[0]]
        if first.breakdowns:  # the totals (or the filtered rows); the breakdowns apart
            keep = keep_rows(body, first.breakdowns)
            for j, wanted in first.breakdowns:  # each column's own rows kept apart
                own_keep = keep_rows(body, ((j, wanted),))
                values = body.filter(~own_keep).get_column(f"c{j}").drop_nulls().unique().sort()
                name = first.layout.name(j)
                apart += [f"{name} {v}" for v in values.to_list() if f"{name} {v}" not in apart]
            body = body.filter(keep)
        rows = _registry_columns(body, first.roles).with_columns(
            aggregate=is_aggregate() | pl.col("_subtotal").is_not_null()
        )
        if "label" in first.roles:  # each row's metric from its label
            texts = body.get_column(f"c{first.roles['label']}").unique().drop_nulls()
            lookup = {t: first.labels.get(label_key(t)) for t in texts.to_list()}
            for text, key in lookup.items():  # a figure of its own, under its label
                if key is None and re.search(YEARLY, text) and re.search(r"(19|20)\d{2}", text):
                    apart.append(f"{text} (a yearly mean)")  # "Jahresdurchschnitt 2017"
                elif key is None:
                    label = clean_label(text)
                    lookup[text] = label_figure_key(label, first.labels.values())
                    own[lookup[text] or ""] = label
            body = body.with_columns(
                _row_metric=pl.col(f"c{first.roles['label']}").replace_strict(
                    lookup, default=None, return_dtype=pl.String
                )
            )
        longs.append(_unpivot(rows, body, first.metrics, first.roles))
        all_rows.append(rows)
    long = pl.concat(longs, how="vertical") if len(longs) > 1 else longs[0]
    rows = pl.concat(all_rows, how="vertical") if len(all_rows) > 1 else all_rows[0]
    if len(longs) > 1:
        long, rows = long.sort(LINE, maintain_order=True), rows.sort(LINE)
    return long, rows, own, apart


def finish(
    files: Sequence[Recognised],
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
    origin: str,
) -> ReadResult:
    """The canonical model of one or more recognised files (a folder: oldest publication
    first; a newer publication of a month replaces the older one), normalised at once."""
    first = files[0]
    long, rows, own_rows, apart = extract(files)
    labels = read_labels([c for f in files for c in f.metrics], own_rows, long)
    catalogue = with_label_figures(catalogue, labels, labels)
    # "Jahresdurchschnitt 2017" in a column of months: a yearly mean, kept apart (not a month)
    yearly = long.get_column("period").str.contains(YEARLY).fill_null(False)
    yearly_rows = long.filter(yearly).get_column("period").unique(maintain_order=True).to_list()
    long = long.filter(~yearly)
    long, format_problems = number_formats(long, files, source)
    long, failed, results = check_cells(long, rows, catalogue)
    plain_source = dataclasses.replace(
        source, layout="long", columns={}, metrics={}, decimal=".", role="values"
    )
    raw_of = functools.partial(
        RawTable,
        format=first.fmt,
        decimal=".",
        separator=first.separator,
        encoding=first.encoding,
    )

    def normalised(part: pl.DataFrame) -> tuple[pl.DataFrame, ...]:
        return normalise(raw_of(part.drop("aggregate")), plain_source, catalogue, origin)

    revised = 0
    if len(files) > 1:
        # the same key from several files: the newest publication's rows of it are kept,
        # the older values they changed are revisions (keys and periods are canonical text
        # already). A key repeated inside one file is not resolved here: its rows stay for
        # normalise, which reports them as a conflict, as it does for a single file.
        file_no = pl.col(LINE) // FILE_LINES
        newest = file_no == file_no.max().over(KEY)
        older = long.filter(~newest)
        if older.height:
            long = long.filter(newest)
            kept = long.unique(subset=KEY, keep="last", maintain_order=True)
            changed = older.join(kept.select(*KEY, "value"), on=KEY, suffix="_kept").filter(
                pl.col("value").str.strip_chars() != pl.col("value_kept").str.strip_chars()
            )
            revised = changed.select(KEY).unique().height
    values, _, rejected, conflicts, missing = normalised(long.filter(~pl.col("aggregate")))
    if format_problems.height:
        rejected = pl.concat([format_problems, rejected]).sort("line", maintain_order=True)
    registry, _ = registry_from(
        rows.filter(~pl.col("aggregate")).unique("jobcenter_id", keep="last", maintain_order=True),
        {c: c for c in ("jobcenter_id", "name", "state", "carrier", "comparison_type")},
        raw_of(rows),
        origin,
        report=False,
    )
    aggregates = empty_aggregates()
    agg_rows = long.filter(pl.col("aggregate"))
    if agg_rows.height:
        # an aggregate's withheld cells stay in `missing` under its id, as a Jobcenter's do
        # (the plain reader's too): a reference value the publisher withheld shows as "*"
        agg_values, _, _, _, agg_missing = normalised(agg_rows)
        missing = pl.concat([missing, agg_missing], how="vertical").sort("line")
        names = (
            rows.filter(pl.col("aggregate"))
            .unique("jobcenter_id", keep="last")
            .select("jobcenter_id", "name")
        )
        aggregates = (
            agg_values.join(names, on="jobcenter_id", how="left")
            .select(list(AGGREGATE_SCHEMA))
            .cast(pl.Schema(AGGREGATE_SCHEMA))
        )
    if failed.height:
        rejected = pl.concat([rejected, failed]).sort("line", maintain_order=True)
    # each row's own file and line again
    files_of = pl.Series([f.origin for f in files], dtype=pl.String)
    rejected, missing = (
        frame.with_columns(
            source=pl.col("line")
            .floordiv(FILE_LINES)
            .map_batches(lambda i: files_of.gather(i), return_dtype=pl.String),
            line=pl.col("line") % FILE_LINES,
        )
        for frame in (rejected, missing)
    )
    # a conflict's rows are all from one file (see above): it is named with its lines
    conflicts = conflicts.with_columns(
        source=pl.col("lines")
        .list.first()
        .floordiv(FILE_LINES)
        .map_batches(lambda i: files_of.gather(i), return_dtype=pl.String),
        lines=pl.col("lines").list.eval(pl.element() % FILE_LINES),
    )
    parts = [first.kind]
    months = sorted({f.month for f in files if f.month is not None})
    if months:
        span = f"{months[0]:%B %Y}" + (f" – {months[-1]:%B %Y}" if len(months) > 1 else "")
        parts.append(("report months " if len(months) > 1 else "report month ") + span)
    if len(files) > 1:
        unit = "sheets" if all(f.sheet for f in files) else "files"
        parts.insert(0, f"{len(files)} {unit}")
    parts.append(first.header)
    parts.append(f"{values.get_column('jobcenter_id').n_unique()} Jobcenters")
    parts.append(f"{aggregates.get_column('jobcenter_id').n_unique()} aggregate rows")
    withheld = int((missing.get_column("sign") == WITHHELD_SIGN).sum()) if missing.height else 0
    parts.append(f"{withheld} withheld cells")
    if first.unused:
        unused = first.unused
        parts.append("not used: " + ", ".join(unused[:6]) + (", …" if len(unused) > 6 else ""))
    if apart:
        parts.append("breakdowns kept apart: " + ", ".join(apart[:6]))
    if yearly_rows:
        parts.append("yearly means kept apart: " + ", ".join(yearly_rows[:4]))
    if labels:
        parts.append(describe_labels(labels))
    notices = [f"{origin}: " + ", ".join(parts)]
    notices += [f"{origin}: {r.describe()}" for r in results]
    if revised:
        notices.append(f"{origin}: {revised} values revised by a later publication")
    separator = f"separator {first.separator!r}" if first.separator else ""
    details = ", ".join(p for p in (first.fmt, first.encoding, separator) if p)
    return ReadResult(
        values=values,
        registry=registry,
        rejected=rejected,
        conflicts=conflicts,
        missing=missing,
        aggregates=aggregates,
        labels=labels_frame(labels),
        notices=tuple(notices),
        details=details,
    )


def read_published(
    data: bytes,
    fmt: str,
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
    origin: str,
) -> ReadResult | None:
    """A published table read into the canonical model; None when the file is a plain table.
    A workbook of several sheets: every sheet with figures (jctui.readers.published.sheets)."""
    from jctui.readers.published.sheets import no_sheet_error, recognise_sheets

    several = recognise_sheets(data, fmt, source, catalogue, origin)
    if several is not None:
        found_sheets, skipped = several
        if not found_sheets:
            raise SourceError(no_sheet_error(origin, skipped))
        result = finish(found_sheets, source, catalogue, origin)
        used = ", ".join(repr(f.sheet) for f in found_sheets)
        left = ", ".join(f"{name!r} ({why})" for name, why in skipped) or "none"
        notice = f"{origin}: sheets read: {used}; skipped: {left}"
        return dataclasses.replace(result, notices=(*result.notices, notice))
    found = recognise(data, fmt, source, catalogue, origin)
    return None if found is None else finish([found], source, catalogue, origin)


def _registry_columns(body: pl.DataFrame, roles: Mapping[str, int]) -> pl.DataFrame:
    """LINE and the registry columns (text) of the data rows; state names and codes as the
    two-letter code; ids of rows without one from their name."""

    def text(role: str) -> pl.Expr:
        if role in roles:
            return pl.col(f"c{roles[role]}").str.strip_chars().alias(role)
        return pl.lit(None, pl.String).alias(role)

    frame = body.select(
        pl.col(LINE), *[text(r) for r in ROLES if r != "period"], "_ident", "_region", "_heading"
    )
    label = pl.concat_str(
        [pl.col("jobcenter_id"), pl.col("name")], separator=" ", ignore_nulls=True
    )
    frame = frame.with_columns(
        # "II b" and "IIb" are one type (written with a blank in some tables)
        comparison_type=pl.coalesce(
            pl.col("comparison_type")
            .replace("", None)
            .str.replace(r"^(I{1,3})\s+([a-e])$", "$1$2"),
            pl.col("_heading").str.replace(" ", ""),
        ),
        # "Summe Vergleichstyp IIb" (its type), "Insgesamt" (everyone): a subtotal row
        _subtotal=pl.when(label.str.contains(SUBTOTAL))
        .then(pl.coalesce(label.str.extract(SUBTOTAL_TYPE, 1).str.replace(" ", ""), pl.lit(ALL)))
        .otherwise(None),
        _label=label,
    )
    state_key = pl.col("state").str.to_lowercase()
    frame = frame.with_columns(
        state=pl.coalesce(
            state_key.replace_strict(STATE_NAMES, default=None, return_dtype=pl.String),
            pl.col("state").replace_strict(STATE_CODES, default=None, return_dtype=pl.String),
            pl.col("state"),
        ),
        name=pl.col("name").str.replace(r"(\s*(\d{1,2}\)|\*+))+\s*$", ""),
    )
    # a published table's Jobcenter numbers and Kreis keys have five digits: a number of
    # three or four digits lost its zeros in Excel (one or two digits: a state code)
    ident = canonical_id(pl.col("jobcenter_id"), ID_WIDTH)
    subtotal = pl.col("_subtotal").is_not_null()
    return frame.with_columns(
        jobcenter_id=pl.when(subtotal)
        .then("_label")
        .otherwise(pl.coalesce(ident, "name", "_ident")),
        # a file about one region: its name from the metadata ("Kreis:;Offenbach")
        name=pl.when(subtotal).then("_label").otherwise(pl.coalesce("name", "_region")),
    ).drop("_label", "_heading", "_region")


def _unpivot(
    rows: pl.DataFrame,
    body: pl.DataFrame,
    metrics: list[Column],
    roles: Mapping[str, int],
) -> pl.DataFrame:
    """One row per (data row, metric column) in the canonical long names, all text; the
    period is the column's month (a time series), the row's own (a period column), or its
    file's report month less the column's months back; the metric is the column's or, for
    labelled rows, the row's (rows whose label is no metric are left out)."""
    cells = body.select(
        pl.col(LINE),
        pl.col("_month"),
        *[pl.col(f"c{c.index}").alias(f"_m{i}") for i, c in enumerate(metrics)],
        *([row_period(roles)] if "period" in roles else []),
        *([pl.col("_row_metric")] if "_row_metric" in body.columns else []),
    )
    wide = rows.select(LINE, "jobcenter_id", "aggregate").join(cells, on=LINE, how="left")
    index = [c for c in wide.columns if not c.startswith("_m") or c in ("_month",)]
    index = [c for c in wide.columns if c in index or c == "_row_metric"]
    long = wide.unpivot(
        index=index,
        on=[f"_m{i}" for i in range(len(metrics))],
        variable_name="_col",
        value_name="value",
    ).filter(pl.col("value").is_not_null() & (pl.col("value").str.strip_chars() != ""))
    mapping = pl.DataFrame(
        {
            "_col": [f"_m{i}" for i in range(len(metrics))],
            "metric": [c.metric for c in metrics],
            "_back": [c.back for c in metrics],
            "_fixed": [c.period or None for c in metrics],
            COLUMN: [c.index for c in metrics],
            "_change": [c.change or None for c in metrics],
        },
        schema={
            "_col": pl.String,
            "metric": pl.String,
            "_back": pl.Int32,
            "_fixed": pl.String,
            COLUMN: pl.Int32,
            "_change": pl.String,
        },
    )
    long = long.join(mapping, on="_col", how="left", maintain_order="left")
    if "_row_metric" in long.columns:
        long = long.with_columns(
            metric=pl.when(pl.col("metric") == ROW_METRIC)
            .then(pl.col("_row_metric"))
            .otherwise(pl.col("metric"))
        ).filter(pl.col("metric").is_not_null())
    if "period" in roles:
        return long.select(
            LINE,
            "jobcenter_id",
            pl.col("_period").alias("period"),
            "metric",
            "value",
            "aggregate",
            COLUMN,
            "_change",
        )
    # the period of each (report month, months back): a small table, joined on
    periods = (
        long.select("_month", "_back")
        .unique()
        .with_columns(
            period=pl.col("_month")
            .dt.offset_by(pl.format("-{}mo", pl.col("_back")))
            .dt.strftime("%Y-%m")
        )
    )
    # rows stay in column-major order: a file's later column (a year earlier) and a later
    # file come after what they replace, so "the last row of a key wins" keeps the newest
    return (
        long.join(
            periods, on=["_month", "_back"], how="left", maintain_order="left", nulls_equal=True
        )
        .with_columns(period=pl.coalesce("_fixed", "period"))
        .select(LINE, "jobcenter_id", "period", "metric", "value", "aggregate", COLUMN, "_change")
    )
