"""Tables as they are published (key-figure tables, time series), read without a config.

`read_published` takes the bytes of a CSV or xlsx file. When the first row already is a
header in the canonical names it returns None (the plain readers take the file). Otherwise
it finds the layout (jctui.readers.layout), gives each column a role (id, name, state,
carrier, comparison type, period, or a metric of the catalogue by key, short name or German
label; a K-figure's group header with "Zähler"/"Nenner"/"in %" below it), splits off the
aggregate rows (Deutschland, West, Ost, the states), and hands the rest, unpivoted to the
canonical long layout, to the normaliser. Every part can be set in the source's config:
`header_row`, `month`, `sheet`, `columns` and `metrics`.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from jctui.config import MetricDef, SourceDef
from jctui.config.catalogue import SHORT_NAMES, kennzahl_key, kennzahl_part
from jctui.errors import SourceError
from jctui.model import (
    AGGREGATE_SCHEMA,
    NATIONAL_IDS,
    NATIONAL_NAMES,
    STATE_CODES,
    STATE_NAMES,
    WITHHELD_SIGN,
    aggregate_name_key,
    empty_aggregates,
)
from jctui.readers.csv import SEPARATORS, decode_to_utf8
from jctui.readers.excel import check_workbook
from jctui.readers.ids import ID_WIDTH, canonical_id
from jctui.readers.layout import (
    FILE_LINES,
    HEAD_ROWS,
    Layout,
    clean_label,
    data_rows,
    find_layout,
    parse_month,
    report_month,
)
from jctui.readers.normalise import normalise, resolve_columns
from jctui.readers.raw import LINE, RawTable, one_line
from jctui.readers.registry import registry_from
from jctui.readers.result import ReadResult

ROLES = ("jobcenter_id", "period", "comparison_type", "carrier", "state", "name")
# words of a header that give a column its role (whole words, casefolded)
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "jobcenter_id": ("jobcenter_id", "nr", "nummer", "schlüssel", "regionalschlüssel",
                     "kennziffer", "ags", "id", "kennung", "jc-nr", "code"),
    "period": ("period", "monat", "berichtsmonat", "month", "stichtag", "zeit"),
    "comparison_type": ("comparison_type", "vergleichstyp", "typ", "sgb-ii-typ"),
    "carrier": ("carrier", "form", "trägerform", "organisationsform", "träger", "trägerschaft",
                "verwaltungsform", "aufgabenwahrnehmung", "modell"),
    "state": ("state", "land", "bundesland"),
    "name": ("name", "jobcenter", "bezeichnung", "region", "regionalbezeichnung", "kreis",
             "gebiet", "jobcenterbezeichnung"),
}  # fmt: skip
AGGREGATE_NAMES: frozenset[str] = frozenset(
    {*NATIONAL_NAMES, "westdeutschland", "ostdeutschland", "west", "ost",
     "westdeutschland (ohne berlin)", "ostdeutschland (mit berlin)", "westdeutschland ohne berlin",
     "ostdeutschland mit berlin", "summe", *STATE_NAMES}
)  # fmt: skip
AGGREGATE_IDS: frozenset[str] = frozenset({*NATIONAL_IDS, "w", "o", "wd", "od"})
_KCODE = re.compile(r"(?i)\bK\s?([123])(?:\s?E\s?(\d))?\b")
_TWELVE_MONTHS = re.compile(r"(?i)(12|zwölf)\s*monat|jahressumme|letzten\s+12")


@dataclass(frozen=True)
class Column:
    """What one grid column holds: a registry role or a metric (months back from the row's
    period: 12 for "a year earlier")."""

    index: int
    role: str = ""
    metric: str = ""  # ROW_METRIC: told by the row's label
    back: int = 0
    period: str = ""  # YYYY-MM of a month column (a time series), else the row's


def _word_key(text: str) -> str:
    return clean_label(text).casefold()


def _words(text: str) -> set[str]:
    return set(re.split(r"[^\w-]+", _word_key(text))) - {""}


_NAMES_CACHE: dict[tuple[int, tuple[tuple[str, str], ...]], tuple[object, dict[str, str]]] = {}


def metric_names(catalogue: Mapping[str, MetricDef], source: SourceDef) -> dict[str, str]:
    """Casefolded label -> metric key: keys, aliases (short names), German and English labels,
    the source's own mapping first. Made once per catalogue and mapping (a folder's files
    all ask)."""
    key = (id(catalogue), tuple(source.metrics.items()))
    cached = _NAMES_CACHE.get(key)
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    names = _metric_names(catalogue, source)
    if len(_NAMES_CACHE) > 16:
        _NAMES_CACHE.clear()
    _NAMES_CACHE[key] = (catalogue, names)
    return names


def _metric_names(catalogue: Mapping[str, MetricDef], source: SourceDef) -> dict[str, str]:
    names: dict[str, str] = {}
    for key, m in catalogue.items():
        for label in (key, m.label_de, m.label_en, *m.aliases):
            names.setdefault(_word_key(label), key)
    for short, key in SHORT_NAMES.items():
        names.setdefault(short, key)
    names.update({_word_key(h): k for h, k in source.metrics.items() if k in catalogue})
    return names


def match_metric(
    group: str, sub: str, names: Mapping[str, str], catalogue: Mapping[str, MetricDef]
) -> tuple[str, int] | None:
    """(metric key, months back) of a column header, None when it is no metric.

    By name first (the full "group | sub", the sub-column, the group); then a K-figure
    group ("K2 - Integrationsquote") and its part: "Zähler"/"Bestand" the numerator,
    "Nenner"/"Vorjahr" the denominator, "in %"/"Veränderung"/"Quote" the figure itself.
    A 12-month sum is never taken for a monthly flow.
    """
    full = f"{group} | {sub}" if group and sub else (sub or group)
    for text in (full, sub, group) if sub else (full,):
        key = names.get(_word_key(text))
        if key is not None and text:
            if catalogue[key].kind == "flow" and _TWELVE_MONTHS.search(full):
                return None
            return key, 0
    code_found = _KCODE.search(group) or _KCODE.search(sub)
    if code_found is None:
        return None
    code = f"K{code_found.group(1)}" + (f"E{code_found.group(2)}" if code_found.group(2) else "")
    part_text = sub.casefold()
    if "zähler" in part_text or "zaehler" in part_text:
        part = "numerator"
    elif "nenner" in part_text or "vorjahr" in part_text:
        part = "denominator"
    elif "bestand" in part_text:
        part = "numerator"
    else:
        part = "figure"
    if part == "figure":
        key = kennzahl_key(code)
        return (key, 0) if key in catalogue else None
    key, back = kennzahl_part(code, part)
    return (key, back) if key in catalogue else None


def column_roles(
    layout: Layout,
    body: pl.DataFrame,
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
) -> list[Column]:
    """The role or metric of every grid column (config mapping first, then the header's
    words, then the cells themselves for the id, name and carrier)."""
    names = metric_names(catalogue, source)
    configured = {_word_key(v): k for k, v in source.columns.items()}
    columns: list[Column] = []
    taken: set[str] = set()
    for j in range(len(layout.subs)):
        group, sub = layout.groups[j], layout.subs[j]
        texts = [_word_key(t) for t in (layout.name(j), sub, group) if t]
        role = next((configured[t] for t in texts if t in configured), "")
        found = match_metric(group, sub, names, catalogue)
        if not role and not _KCODE.search(group):
            role = _role_by_words(sub, taken, whole=True) or _role_by_words(
                group, taken, whole=True
            )
            if not role and found is None:  # "Integrationen im Monat" is a figure, not the month
                role = _role_by_words(sub, taken) or _role_by_words(group, taken)
        if role and role not in taken:
            taken.add(role)
            columns.append(Column(j, role=role))
            continue
        if found is not None:
            columns.append(Column(j, metric=found[0], back=found[1]))
        else:
            columns.append(Column(j))
    return _roles_by_content(columns, body, taken)


def check_mapping(layout: Layout, source: SourceDef, origin: str) -> None:
    """A configured column that is not in the table is an error naming it (a typo must not
    drop a column silently)."""
    found = {
        _word_key(t)
        for j in range(len(layout.subs))
        for t in (layout.name(j), layout.subs[j], layout.groups[j])
        if t
    }
    for canonical, header in source.columns.items():
        if _word_key(header) not in found:
            shown = ", ".join(layout.name(j) for j in range(len(layout.subs)) if layout.name(j))
            raise SourceError(
                f"{origin}: row {layout.header + 1}: no column {header!r} (columns.{canonical}; "
                f"found: {shown})"
            )


def _role_by_words(text: str, taken: set[str], *, whole: bool = False) -> str:
    """The role a header names: as a whole ("Monat"), or (not `whole`) by one of its words
    ("Jobcenter-Nr.")."""
    if not text:
        return ""
    words = _words(text)
    key = _word_key(text)
    for role in ROLES:
        if role in taken:
            continue
        if key in ROLE_WORDS[role] or (not whole and words & set(ROLE_WORDS[role])):
            return role
    return ""


def _roles_by_content(columns: list[Column], body: pl.DataFrame, taken: set[str]) -> list[Column]:
    """Id and name columns told by their cells when no header named them: the first column
    of digit-only keys (or D/W/O), the first column of mostly non-numeric text."""
    free = [c for c in columns if not c.role and not c.metric]
    if not free or body.is_empty():
        return columns
    stats = body.select(
        *[
            pl.col(f"c{c.index}")
            .str.strip_chars()
            .str.contains(r"^(\d{1,5}|[tT]\d{5}|[DWO])$")
            .mean()
            .alias(f"id{c.index}")
            for c in free
        ],
        *[
            (pl.col(f"c{c.index}").str.contains(r"\p{L}{3}")).mean().alias(f"tx{c.index}")
            for c in free
        ],
    ).row(0, named=True)
    out = {c.index: c for c in columns}
    for role, prefix in (("jobcenter_id", "id"), ("name", "tx")):
        if role in taken:
            continue
        pick = next(
            (c for c in free if (stats[f"{prefix}{c.index}"] or 0) > 0.8 and not out[c.index].role),
            None,
        )
        if pick is not None:
            out[pick.index] = Column(pick.index, role=role)
            taken.add(role)
    return [out[i] for i in sorted(out)]


def excel_grid(data: bytes, source: SourceDef, origin: str) -> tuple[pl.DataFrame, str]:
    """Every row of a worksheet as text cells c0, c1, ... (numbers as their text, so an id
    stored as a number keeps its digits), and the sheet's name; LINE is the sheet row."""
    check_workbook(data, origin)
    import fastexcel

    try:
        book = fastexcel.read_excel(data)
        names = book.sheet_names
        if source.sheet:
            if source.sheet not in names:
                raise SourceError(
                    f"{origin}: no sheet named {source.sheet!r} (sheets: {', '.join(names)})"
                )
            sheet = source.sheet
        else:
            # an Eckwerte workbook keeps its figures on "1.1 Eckwerte" behind cover sheets
            sheet = next((n for n in names if n.strip().startswith("1.1")), names[0])
        frame = book.load_sheet(sheet, header_row=None, dtypes="string").to_polars()
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(f"{origin}: cannot read Excel workbook: {one_line(exc)}") from None
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    frame = frame.with_columns([pl.col(c).cast(pl.String) for c in frame.columns]).with_columns(
        pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(LINE)
    )
    return frame, sheet


def _plain(first_row: list[str], source: SourceDef, origin: str) -> bool:
    """True when the first row is a header in the canonical names (or the configured ones):
    the plain readers take such a file as before."""
    try:
        resolved = resolve_columns([c for c in first_row if c], source, origin)
    except SourceError:
        return True  # a configured column is missing: the plain reader says so
    return sum(1 for c in ("jobcenter_id", "period", "metric", "value") if c in resolved) >= 2


ROW_METRIC = "@row"  # a value column whose metric is told by each row's label
_LABEL_PREFIX = re.compile(r"(?i)^(dar\.|dav\.|darunter:?|davon:?|und)\s+")
_SGB2_COLUMN = re.compile(r"(?i)sgb\s*ii(?!i)")
_IDENT_IN_NAME = re.compile(r"(?<![A-Za-z0-9])[tT](\d{5})(?!\d)")


def label_key(text: str) -> str:
    """A row label as looked up in the catalogue: no footnote marks, no "dav."/"dar."."""
    return _LABEL_PREFIX.sub("", clean_label(text)).casefold()


def other_shapes(
    layout: Layout,
    sample: pl.DataFrame,
    columns: list[Column],
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
) -> list[Column]:
    """Columns of the tables that are not one metric per column: months as columns
    (a time series), and metrics as labelled rows (the Eckwerte workbook: labels in the
    first column, the value in the SGB II column or one column per month)."""
    names = metric_names(catalogue, source)
    width = len(layout.subs)
    months = {j: parse_month(layout.name(j)) for j in range(width)}
    month_cols = {j: m for j, m in months.items() if m is not None}
    texty = [
        j
        for j in range(width)
        if sample.height
        and float(sample.select(pl.col(f"c{j}").str.contains(r"\p{L}{3}").mean()).item() or 0) > 0.5
    ]
    label = next(iter(texty), None)
    if label is not None:
        labels = sample.get_column(f"c{label}").drop_nulls().to_list()
        if any(label_key(t) in names for t in labels):
            values: list[Column] = [
                Column(j, metric=ROW_METRIC, period=f"{m:%Y-%m}") for j, m in month_cols.items()
            ]
            if not values:
                # "Rechtskreis SGB II", not "Insgesamt (SGB II und SGB III)"
                sgb2 = sorted(
                    (j for j in range(width) if _SGB2_COLUMN.search(layout.name(j)) and j != label),
                    key=lambda j: "iii" in layout.name(j).casefold(),
                )
                numeric = [
                    j
                    for j in range(width)
                    if j != label
                    and sample.height
                    and float(
                        sample.select(
                            pl.col(f"c{j}").str.contains(r"^\s*[\d.,*x–-]+\s*$").mean()
                        ).item()
                        or 0
                    )
                    > 0.5
                ]
                pick = (sgb2 or numeric)[:1]
                values = [Column(j, metric=ROW_METRIC) for j in pick]
            if values:
                return [Column(label, role="label"), *values]
    # Jobcenters as rows, months as columns: the metric is named in the title
    title = " ".join(layout.titles).casefold()
    metric = next(
        (
            key
            for text, key in sorted(names.items(), key=lambda kv: -len(kv[0]))
            if len(text) > 2 and text in title
        ),
        None,
    )
    if month_cols and metric is not None:
        kept = [c for c in columns if c.role]
        return kept + [Column(j, metric=metric, period=f"{m:%Y-%m}") for j, m in month_cols.items()]
    return columns


def csv_head(data: bytes, source: SourceDef, origin: str) -> tuple[list[list[str]], str]:
    """The first rows of a CSV file as cells (for the plain-table check and the layout), and
    its separator; only the head is decoded, so a plain file costs almost nothing here."""
    end = -1
    for _ in range(HEAD_ROWS):
        end = data.find(b"\n", end + 1)
        if end < 0:
            break
    head, _ = decode_to_utf8(data if end < 0 else data[:end], source.encoding, origin)
    text = head.decode("utf-8", errors="replace").replace("\r", "")
    if source.separator not in ("", "auto"):
        separator = "\t" if source.separator in ("\\t", "tab") else source.separator
    else:
        separator = max(SEPARATORS, key=lambda sep: _unquoted(text).count(sep))
    rows = [next(csv.reader([line], delimiter=separator), []) for line in text.split("\n")]
    return [[c.strip() for c in row] for row in rows], separator


def _unquoted(text: str) -> str:
    return re.sub(r'"[^"]*"', "", text)


def csv_grid(
    data: bytes, source: SourceDef, separator: str, origin: str
) -> tuple[pl.DataFrame, str]:
    """Every row of a CSV file as text cells c0, c1, ... (title rows and footers too) and its
    encoding; LINE is the physical line. The width is the widest of the first and last rows
    (published tables are padded to their width)."""
    text, encoding = decode_to_utf8(data, source.encoding, origin)
    lines = text.split(b"\n", HEAD_ROWS * 2)[: HEAD_ROWS * 2] + text[-8192:].split(b"\n")
    width = max(line.count(separator.encode()) for line in lines) + 1
    try:
        grid = pl.read_csv(
            io.BytesIO(text),
            separator=separator,
            has_header=False,
            infer_schema=False,
            schema={f"c{i}": pl.String for i in range(width)},
            missing_columns="insert",
            extra_columns="ignore",
            truncate_ragged_lines=True,
        )
    except Exception as exc:
        raise SourceError(f"{origin}: not a readable CSV file: {one_line(exc)}") from None
    return grid.with_columns(pl.int_range(1, grid.height + 1, dtype=pl.Int64).alias(LINE)), encoding


@dataclass(frozen=True)
class Recognised:
    """One published file, recognised: its grid of text cells and what each column holds."""

    grid: pl.DataFrame  # c0, c1, ... and LINE
    layout: Layout
    columns: tuple[Column, ...]
    origin: str
    fmt: str
    decimal: str
    separator: str
    encoding: str
    kind: str  # "key-figure table (sheet '1.1')", "published table"
    month: dt.date | None  # the report month (None when the rows have their own periods)
    ident: str = ""  # the Jobcenter of a file about one (t73906 in its name)
    labels: Mapping[str, str] = dataclasses.field(default_factory=dict)  # label -> metric

    @property
    def roles(self) -> dict[str, int]:
        return {c.role: c.index for c in self.columns if c.role}

    @property
    def metrics(self) -> list[Column]:
        return [c for c in self.columns if c.metric]

    @property
    def header(self) -> str:
        two = " (two rows)" if self.layout.group is not None else ""
        return f"header row {self.layout.header + 1}{two}"

    @property
    def unused(self) -> tuple[str, ...]:
        name = self.layout.name
        return tuple(
            name(c.index) for c in self.columns if not c.role and not c.metric and name(c.index)
        )


def recognise(
    data: bytes,
    fmt: str,
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
    origin: str,
) -> Recognised | None:
    """Find the layout of a published CSV or xlsx file; None when it is a plain table."""
    sheet, separator, encoding = "", "", ""
    if fmt == "csv":
        rows, separator = csv_head(data, source, origin)
        grid = None
        decimal = source.decimal
    else:
        grid, sheet = excel_grid(data, source, origin)
        rows = [[(c or "").strip() for c in r] for r in grid.drop(LINE).head(HEAD_ROWS).rows()]
        decimal = source.decimal if source.decimal != "auto" else "."
    if not rows or not any(any(r) for r in rows):
        return None
    if not source.header_row and not source.month and _plain(rows[0], source, origin):
        return None
    layout = find_layout(rows, source.header_row)
    sample = _sample(rows, layout)
    columns = column_roles(layout, sample, source, catalogue)
    check_mapping(layout, source, origin)
    if not any(c.metric for c in columns):
        columns = other_shapes(layout, sample, columns, source, catalogue)
    roles = {c.role: c.index for c in columns if c.role}
    metrics = [c for c in columns if c.metric]
    ident_found = _IDENT_IN_NAME.search(re.split(r"[\\/]", origin)[-1])
    ident = ident_found.group(1) if ident_found else ""
    if not metrics and layout.header == 0 and not source.header_row:
        return None  # nothing published about it: the plain reader names what is missing
    if not metrics:
        shown = ", ".join(layout.name(j) for j in range(len(layout.subs)) if layout.name(j))
        raise SourceError(
            f"{origin}: row {layout.header + 1}: no column matches a metric of the catalogue "
            f"(columns: {shown or 'none'}; map them with [sources.metrics])"
        )
    month = report_month(layout.titles, origin, source.month)
    if "period" not in roles and month is None and not all(c.period for c in metrics):
        raise SourceError(
            f'{origin}: no report month found (no "Berichtsmonat: …" row, no YYYYMM in the '
            f'file name); set month = "YYYY-MM" for this source'
        )
    if "jobcenter_id" not in roles and "name" not in roles and not ident:
        raise SourceError(f"{origin}: row {layout.header + 1}: no column of Jobcenter ids or names")
    if grid is None:
        grid, encoding = csv_grid(data, source, separator, origin)
    kind = "key-figure table" if any(_is_kennzahl(c.metric) for c in metrics) else "published table"
    if "label" in roles:
        kind = "table of labelled rows" + (f" for Jobcenter {ident}" if ident else "")
    if any(c.period for c in metrics):
        kind += ", months as columns"
    return Recognised(
        grid=grid,
        layout=layout,
        columns=tuple(columns),
        origin=origin,
        fmt=fmt,
        decimal=decimal,
        separator=separator,
        encoding=encoding,
        kind=kind + (f" (sheet {sheet!r})" if sheet else ""),
        month=month if "period" not in roles else None,
        ident=ident,
        labels=metric_names(catalogue, source) if "label" in roles else {},
    )


def _sample(rows: list[list[str]], layout: Layout) -> pl.DataFrame:
    """The data rows among the first rows, as a frame c0, c1, ... (for roles by content)."""
    width = len(layout.subs)
    body = [
        r + [""] * (width - len(r))
        for r in rows[layout.first_data :]
        if sum(1 for c in r if c) >= 2
    ]
    return pl.DataFrame(
        [r[:width] for r in body], schema={f"c{i}": pl.String for i in range(width)}, orient="row"
    )


KEY = ["jobcenter_id", "period", "metric"]


def extract(files: Sequence[Recognised]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(long, rows) of the recognised files, file i's lines numbered i * FILE_LINES + line:
    long = LINE, jobcenter_id, period, metric, value, aggregate (text); rows = LINE and the
    registry columns of each data row. Files with the same columns are done together."""
    groups: dict[tuple[Column, ...], list[int]] = {}
    for i, f in enumerate(files):
        groups.setdefault(f.columns, []).append(i)
    longs, all_rows = [], []
    for members in groups.values():
        grids = [
            files[i].grid.with_columns(
                pl.col(LINE) + i * FILE_LINES,
                _file=pl.lit(i, pl.Int32),
                _first=pl.lit(files[i].layout.first_data + 1, pl.Int64),
                _month=pl.lit(files[i].month, pl.Date),
                _ident=pl.lit(files[i].ident or None, pl.String),
            )
            for i in members
        ]
        grid = pl.concat(grids, how="diagonal") if len(grids) > 1 else grids[0]
        body = data_rows(grid)
        first = files[members[0]]
        rows = _registry_columns(body, first.roles).with_columns(aggregate=_is_aggregate())
        if "label" in first.roles:  # each row's metric from its label
            texts = body.get_column(f"c{first.roles['label']}").unique().drop_nulls()
            lookup = {t: first.labels.get(label_key(t)) for t in texts.to_list()}
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
    return long, rows


def finish(
    files: Sequence[Recognised],
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
    origin: str,
) -> ReadResult:
    """The canonical model of one or more recognised files (a folder: oldest publication
    first; a newer publication of a month replaces the older one), normalised at once."""
    first = files[0]
    long, rows = extract(files)
    plain_source = dataclasses.replace(
        source, layout="long", columns={}, metrics={}, decimal=first.decimal, role="values"
    )
    raw_of = functools.partial(
        RawTable,
        format=first.fmt,
        decimal=first.decimal,
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
        parts.insert(0, f"{len(files)} files")
    parts.append(first.header)
    parts.append(f"{values.get_column('jobcenter_id').n_unique()} Jobcenters")
    parts.append(f"{aggregates.get_column('jobcenter_id').n_unique()} aggregate rows")
    withheld = int((missing.get_column("sign") == WITHHELD_SIGN).sum()) if missing.height else 0
    parts.append(f"{withheld} withheld cells")
    if first.unused:
        unused = first.unused
        parts.append("not used: " + ", ".join(unused[:6]) + (", …" if len(unused) > 6 else ""))
    notices = [f"{origin}: " + ", ".join(parts)]
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
    """A published table read into the canonical model; None when the file is a plain table."""
    found = recognise(data, fmt, source, catalogue, origin)
    return None if found is None else finish([found], source, catalogue, origin)


def _is_kennzahl(key: str) -> bool:
    return key.endswith(("_published", "_numerator", "_denominator")) or key in (
        "integrations_12m",
        "elb_mean_12m",
    )


def _registry_columns(body: pl.DataFrame, roles: Mapping[str, int]) -> pl.DataFrame:
    """LINE and the registry columns (text) of the data rows; state names and codes as the
    two-letter code; ids of rows without one from their name."""

    def text(role: str) -> pl.Expr:
        if role in roles:
            return pl.col(f"c{roles[role]}").str.strip_chars().alias(role)
        return pl.lit(None, pl.String).alias(role)

    frame = body.select(pl.col(LINE), *[text(r) for r in ROLES if r != "period"], pl.col("_ident"))
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
    return frame.with_columns(jobcenter_id=pl.coalesce(ident, "name", "_ident"))


def split_aggregates(
    values: pl.DataFrame, registry: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(values, registry, aggregates) of a plain table that carries aggregate rows (a
    key-figure table cleaned by hand): a row named Deutschland, West, Ost or a state, without
    a Jobcenter number, is an aggregate, never a Jobcenter."""
    if registry.is_empty():
        return values, registry, empty_aggregates()
    ident = pl.col("jobcenter_id").str.strip_chars().str.to_lowercase()
    name = aggregate_name_key()
    found = registry.filter(
        ~ident.str.contains(r"^t?\d{3,5}$").fill_null(False)
        & name.is_in(list(AGGREGATE_NAMES)).fill_null(False)
    ).select("jobcenter_id", "name")
    if found.is_empty():
        return values, registry, empty_aggregates()
    ids = found.get_column("jobcenter_id").implode()
    aggregates = (
        values.filter(pl.col("jobcenter_id").is_in(ids))
        .join(found, on="jobcenter_id", how="left")
        .select(list(AGGREGATE_SCHEMA))
        .cast(pl.Schema(AGGREGATE_SCHEMA))
    )
    return (
        values.filter(~pl.col("jobcenter_id").is_in(ids)),
        registry.filter(~pl.col("jobcenter_id").is_in(ids)),
        aggregates,
    )


def _is_aggregate() -> pl.Expr:
    """Rows of Germany, West/East and the states: an id D/W/O or a state code of one or two
    digits, or (without a Jobcenter number) an aggregate's name."""
    ident = pl.col("jobcenter_id").str.strip_chars().str.to_lowercase()
    name = aggregate_name_key()
    jobcenter_number = ident.str.contains(r"^t?\d{3,5}$").fill_null(False)
    return (
        ident.is_in(list(AGGREGATE_IDS)).fill_null(False)
        | ident.str.contains(r"^\d{1,2}$").fill_null(False)
        | (~jobcenter_number & name.is_in(list(AGGREGATE_NAMES)).fill_null(False))
    )


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
        *([pl.col(f"c{roles['period']}").alias("_period")] if "period" in roles else []),
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
        },
        schema={"_col": pl.String, "metric": pl.String, "_back": pl.Int32, "_fixed": pl.String},
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
            LINE, "jobcenter_id", pl.col("_period").alias("period"), "metric", "value", "aggregate"
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
        .select(LINE, "jobcenter_id", "period", "metric", "value", "aggregate")
    )
