"""What each column of a published table holds: a registry role (id, name, state, carrier,
comparison type, period) or a metric of the catalogue, by the configured mapping, the
header's words (a K-figure's group over "Zähler"/"Nenner"/"in %"), or the cells themselves;
and the tables that are no one-metric-per-column grid (months as columns, labelled rows).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import polars as pl

from jctui.config import MetricDef, SourceDef
from jctui.config.catalogue import SHORT_NAMES, kennzahl_key, kennzahl_part
from jctui.errors import SourceError
from jctui.readers.layout import Layout, clean_label, parse_month, report_month
from jctui.readers.published.column import Column as Column
from jctui.readers.published.periods import YEAR_CELL, holds_periods, year_and_month

ROLES = ("jobcenter_id", "period", "comparison_type", "carrier", "state", "name")
# words of a header that give a column its role (whole words, casefolded)
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "jobcenter_id": ("jobcenter_id", "nr", "nummer", "schlüssel", "regionalschlüssel",
                     "kennziffer", "ags", "id", "kennung", "jc-nr", "code"),
    "period": ("period", "monat", "berichtsmonat", "month", "stichtag", "zeit"),
    "comparison_type": ("comparison_type", "vergleichstyp", "typ", "sgb-ii-typ",
                        "sgb ii-vergleichstyp", "sgb-ii-vergleichstyp"),
    "carrier": ("carrier", "form", "trägerform", "organisationsform", "träger", "trägerschaft",
                "verwaltungsform", "aufgabenwahrnehmung", "modell"),
    "state": ("state", "land", "bundesland"),
    "name": ("name", "jobcenter", "bezeichnung", "region", "regionalbezeichnung", "kreis", "gen", "raumeinheit",
             "gebiet", "jobcenterbezeichnung"),
}  # fmt: skip

_KCODE = re.compile(r"(?i)\bK\s?([123])(?:\s?E\s?(\d))?\b")
_TWELVE_MONTHS = re.compile(r"(?i)(12|zwölf)\s*monat|jahressumme|letzten\s+12")


def _code_of(found: re.Match[str]) -> str:
    """The key figure's code as the ordinance writes it ("K2", "K3E1") of a _KCODE match."""
    return f"K{found.group(1)}" + (f"E{found.group(2)}" if found.group(2) else "")


def _word_key(text: str) -> str:
    return clean_label(text).casefold()


def _words(text: str) -> set[str]:
    """The words of a header, hyphenated ones also in their parts ("SGB II-Vergleichstyp")."""
    words = set(re.split(r"[^\w-]+", _word_key(text))) - {""}
    return words | {part for w in words if "-" in w for part in w.split("-") if part}


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
    code_found = _KCODE.search(group) or _KCODE.search(sub)
    # under a K-figure's group the part is told by its words, not by a name the sub-column
    # shares with another figure ("Summe der Integrationen ..." under K3E1 is K3E1's)
    texts = (full,) if code_found is not None or not sub else (full, sub, group)
    for text in texts:
        key = names.get(_word_key(text))
        if key is not None and text:
            if catalogue[key].kind == "flow" and _TWELVE_MONTHS.search(full):
                return None
            return key, 0
    if code_found is None:
        return None
    code = _code_of(code_found)
    part = kennzahl_part_of(sub if _KCODE.search(group) else _KCODE.sub("", sub))
    if part is None or part == "absolute":
        return None
    if part == "figure":
        key = kennzahl_key(code)
        return (key, 0) if key in catalogue else None
    key, back = kennzahl_part(code, part)
    return (key, back) if key in catalogue else None


# The parts of a K-figure by the words of its sub-column, in this order: the short wording
# ("Zähler", "Nenner"), the figure ("in %", "Veränderung", "Quote"), the ordinance's wording
# of a denominator ("durchschnittlicher Bestand an ELB", "... im Bezugsmonat des Vorjahres",
# "Bestand LZB Vorjahresmonat"), of a numerator ("Summe der Integrationen in den vergangenen
# zwölf Monaten", "Bestand LZB", "Zahl der ...").
_PART_WORDS: tuple[tuple[str, str], ...] = (
    ("numerator", r"z(ä|ae)hler"),
    ("denominator", r"nenner"),
    ("absolute", r"\babsolut|\babs\b"),  # "Veränderung absolut": a difference, not the figure
    ("figure", r"%|ver(ä|ae)nderung|quote|\brate\b|kennzahl|\bwert\b|^(insgesamt|gesamt)$"),
    ("denominator", r"durchschnitt|vorjahr|a year earlier|year before"),
    ("numerator", r"summe|bestand|\bzahl\b|anzahl|integrationen|\bsum\b"),
)


def kennzahl_part_of(sub: str) -> str | None:
    """ "numerator", "denominator" or "figure" of a K-figure's sub-column; None for words
    that name none of them (the column is ignored, not guessed)."""
    text = _word_key(sub)
    if not text.strip(" -:"):
        return "figure"
    for part, pattern in _PART_WORDS:
        if re.search(pattern, text):
            return part
    return None


def column_roles(
    layout: Layout,
    body: pl.DataFrame,
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
    origin: str = "",
) -> list[Column]:
    """The role or metric of every grid column (config mapping first, then the header's
    words, then the cells themselves for the id, name and carrier); `origin` the file's
    name (its report month, `…-201807…`)."""
    names = metric_names(catalogue, source)
    configured = {_word_key(v): k for k, v in source.columns.items()}
    columns: list[Column] = []
    taken: set[str] = set()
    for j in range(len(layout.subs)):
        group, sub = layout.groups[j], layout.subs[j]
        if layout.group is not None and not sub and j and layout.groups[j - 1] == group:
            columns.append(Column(j))  # a group's span runs on over padding: no column
            continue
        texts = [_word_key(t) for t in (layout.name(j), sub, group) if t]
        role = next((configured[t] for t in texts if t in configured), "")
        found = match_metric(group, sub, names, catalogue)
        if not role and not _KCODE.search(group):
            role = _role_by_words(sub, taken, whole=True) or _role_by_words(
                group, taken, whole=True
            )
            if not role and found is None:  # "Integrationen im Monat" is a figure, not the month
                role = _role_by_words(sub, taken) or _role_by_words(group, taken)
            if role == "period" and not holds_periods(body, j):
                role = ""  # "Integrationen im Berichtsmonat": its cells are counts, not months
            if role == "name" and "jobcenter_id" not in taken and _holds_keys(body, j):
                role = "jobcenter_id"  # a column "Jobcenter" of numbers: their keys
        if role and role not in taken:
            taken.add(role)
            columns.append(Column(j, role=role))
            continue
        if found is not None:
            columns.append(Column(j, metric=found[0], back=found[1]))
        else:
            columns.append(Column(j))
    report = report_month(layout.titles, origin, source.month)
    columns = _kennzahl_months(columns, layout, catalogue, report)
    columns = year_and_month(columns, layout, body, source, taken)
    return _roles_by_content(columns, body, taken)


def _kennzahl_months(
    columns: list[Column],
    layout: Layout,
    catalogue: Mapping[str, MetricDef],
    report: dt.date | None,
) -> list[Column]:
    """A K-figure's two levels under month headers ("K3 ..." over "Juli 2017", "Juli 2018"):
    the later month, the report month, is the numerator, the month a year before it the
    denominator. Only two months twelve apart, the later one the file's report month (its
    title's, its name's or the config's); else the columns stay unread, never guessed."""
    by_code: dict[str, list[tuple[int, dt.date]]] = {}
    for c in columns:
        group, sub = layout.groups[c.index], layout.subs[c.index]
        found_code = _KCODE.search(group)
        month = parse_month(sub) if sub else None
        if c.role or c.metric or found_code is None or month is None:
            continue
        by_code.setdefault(_code_of(found_code), []).append((c.index, month))
    out = {c.index: c for c in columns}
    for code, found in by_code.items():
        if len(found) != 2:
            continue
        (early_j, early), (late_j, late) = sorted(found, key=lambda f: f[1])
        if (late.year - early.year) * 12 + late.month - early.month != 12:
            continue
        if report != late:  # the row's period is the report month: it must be the header's
            continue
        for j, part in ((late_j, "numerator"), (early_j, "denominator")):
            key, back = kennzahl_part(code, part)
            if key in catalogue:
                out[j] = Column(j, metric=key, back=back)
    return [out[i] for i in sorted(out)]


def _holds_keys(body: pl.DataFrame, j: int) -> bool:
    """True when most filled cells of column j are Jobcenter numbers or Kreis keys (five
    digits, `t` + five digits), not names."""
    name = f"c{j}"
    if body.is_empty() or name not in body.columns:
        return False
    cells = body.get_column(name).drop_nulls().str.strip_chars()
    cells = cells.filter(cells != "")
    share = cells.str.contains(r"^[tT]?\d{5}$").cast(pl.Float64).mean() if cells.len() else None
    return isinstance(share, float) and share > 0.8


def check_unambiguous(layout: Layout, columns: list[Column], origin: str) -> None:
    """Two columns that would both give one figure (two candidates for K2's numerator) are
    refused with the reason, never one of them guessed; the config's mapping settles it."""
    seen: dict[tuple[str, int, str], int] = {}
    for c in columns:
        if not c.metric or c.metric == ROW_METRIC or c.change:
            continue
        key = (c.metric, c.back, c.period)
        if key in seen:
            a, b = layout.name(seen[key]), layout.name(c.index)
            when = " a year earlier" if c.back == 12 else ""
            raise SourceError(
                f"{origin}: row {layout.header + 1}: columns {a!r} and {b!r} could both be "
                f"{c.metric}{when}; name the right one in [sources.metrics] "
                f'("{a}" = "{c.metric}") and the other as a metric of its own'
            )
        seen[key] = c.index


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
    """Id, name and period columns told by their cells when no header named them: the
    first column of digit-only keys (or D/W/O/DG), the first column of mostly non-numeric
    text, and (a GENESIS table) a column of years or reference dates ("2017", "31.12.2017")."""
    free = [c for c in columns if not c.role and not c.metric]
    if not free or body.is_empty():
        return columns
    stats = body.select(
        *[
            pl.col(f"c{c.index}")
            .str.strip_chars()
            .str.contains(r"^(\d{1,5}|[tT]\d{5}|[DWO]|DG)$")
            .mean()
            .alias(f"id{c.index}")
            for c in free
        ],
        *[
            pl.col(f"c{c.index}")
            .str.strip_chars()
            .str.contains(YEAR_CELL)
            .mean()
            .alias(f"yr{c.index}")
            for c in free
        ],
        *[
            (pl.col(f"c{c.index}").str.contains(r"\p{L}{3}")).mean().alias(f"tx{c.index}")
            for c in free
        ],
    ).row(0, named=True)
    out = {c.index: c for c in columns}
    for role, prefix in (("period", "yr"), ("jobcenter_id", "id"), ("name", "tx")):
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


ROW_METRIC = "@row"  # a value column whose metric is told by each row's label
_LABEL_PREFIX = re.compile(r"(?i)^(dar\.|dav\.|darunter:?|davon:?|und)\s+")
_SGB2_COLUMN = re.compile(r"(?i)sgb\s*ii(?!i)")
_TOTAL_COLUMN = re.compile(r"(?i)^(insgesamt|gesamt|total|zusammen)$")


def label_key(text: str) -> str:
    """A row label as looked up in the catalogue: no footnote marks, no "dav."/"dar."."""
    return _LABEL_PREFIX.sub("", clean_label(text)).casefold()


def share_matching(sample: pl.DataFrame, width: int, pattern: str) -> list[int]:
    """The columns of `sample` more than half of whose cells match `pattern`, in one
    select over all of them (linear in the columns)."""
    if not sample.height or not width:
        return []
    names = set(sample.columns)
    present = [j for j in range(width) if f"c{j}" in names]
    shares = sample.select(
        pl.col(f"c{j}").str.contains(pattern).mean().alias(str(j)) for j in present
    ).row(0)
    return [j for j, share in zip(present, shares, strict=True) if float(share or 0) > 0.5]


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
    kinds = {j: change_kind(layout.name(j)) for j in range(width)}
    month_cols = {j: m for j, m in months.items() if m is not None and not kinds[j]}
    # years as columns (a Regionaldatenbank table) are each its 31 December when the title
    # names the reference date; a year's column can as well be its mean or its sum
    year_end = re.search(r"stichtag|31\.\s?12\.", " ".join(layout.titles), re.IGNORECASE)
    if not month_cols and year_end:
        years = {j: layout.name(j).strip() for j in range(width)}
        month_cols = {
            j: dt.date(int(y), 12, 1) for j, y in years.items() if re.fullmatch(r"(19|20)\d{2}", y)
        }
        month_cols = month_cols if len(month_cols) >= 2 else {}
    latest = max(month_cols.values(), default=None)
    # "Veränderung Juli 2018 zum Vorjahresmonat in %": a change, never the month's level
    changes = {
        j: (kind, months[j] or latest)
        for j, kind in kinds.items()
        if kind and (months[j] or latest)
    }
    texty = share_matching(sample, width, r"\p{L}{3}")
    label = next(iter(texty), None)
    if label is not None:
        labels = sample.get_column(f"c{label}").drop_nulls().to_list()
        if any(label_key(t) in names for t in labels):
            values: list[Column] = [
                Column(j, metric=ROW_METRIC, period=f"{m:%Y-%m}") for j, m in month_cols.items()
            ]
            values += [
                Column(j, metric=ROW_METRIC, period=f"{m:%Y-%m}", change=kind)
                for j, (kind, m) in changes.items()
                if values and m is not None
            ]
            if not values:
                # "Rechtskreis SGB II", not "Insgesamt (SGB II und SGB III)"
                sgb2 = sorted(
                    (j for j in range(width) if _SGB2_COLUMN.search(layout.name(j)) and j != label),
                    key=lambda j: "iii" in layout.name(j).casefold(),
                )
                numeric = [
                    j for j in share_matching(sample, width, r"^\s*[\d.,*x–-]+\s*$") if j != label
                ]
                # one value column, never a guess among several (a month header not
                # recognised would give the first month's values to the report month)
                total = [j for j in numeric if _TOTAL_COLUMN.match(clean_label(layout.name(j)))]
                pick = sgb2[:1] or (numeric if len(numeric) == 1 else total[:1])
                values = [Column(j, metric=ROW_METRIC) for j in pick]
            if values:
                return [Column(label, role="label"), *values]
    # Jobcenters as rows, months as columns: the metric is named in the title; never where
    # the title names a share or change of it ("Anteil der LZB an den ELB in %") or names
    # two figures: that is not the count the name says, and no guess is made
    title = " ".join(layout.titles).casefold()
    named = {
        key
        for text, key in names.items()
        if len(text) > 2 and re.search(rf"(?<!\w){re.escape(text)}(?:n|en|s)?(?!\w)", title)
    }
    shares = re.search(r"anteil|quote|%|prozent|ver(ä|ae)nderung|\b(je|pro)\s+\d", title)
    metric = next(iter(named)) if len(named) == 1 and not shares else None
    if month_cols and metric is not None:
        kept = [c for c in columns if c.role]
        return (
            kept
            + [Column(j, metric=metric, period=f"{m:%Y-%m}") for j, m in month_cols.items()]
            + [
                Column(j, metric=metric, period=f"{m:%Y-%m}", change=kind)
                for j, (kind, m) in changes.items()
                if m is not None
            ]
        )
    return columns


_CHANGE = re.compile(r"(?i)ver(ä|ae)nderung|differenz|gegen(ü|ue)ber|zum vorjahr|\bchange\b")


def change_kind(header: str) -> str:
    """ "pct" or "abs" for a column of changes against a year earlier, "" for any other."""
    if not _CHANGE.search(header):
        return ""
    return "pct" if re.search(r"(?i)%|prozent|percent", header) else "abs"
