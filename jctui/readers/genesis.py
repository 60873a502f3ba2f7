"""GENESIS-Online / regionalstatistik.de flat files ("ffcsv"), their ZIP and the REST answer.

New format columns: statistics_code, time, 1_variable_code, 1_variable_attribute_code,
1_variable_attribute_label, ..., value, value_variable_code, value_variable_label, value_q.
Old format: Statistik_Code, Zeit, 1_Merkmal_Code, 1_Auspraegung_Code, 1_Auspraegung_Label,
..., then one column per value variable `CODE__Label__Einheit` (and `CODE__Label__q`).
Monthly tables put the year in `time`/`Zeit` and the month in a variable MONAT
(attribute MONAT01 ... MONAT12); the region (Kreis, Jobcenter) is the variable whose
attribute codes are keys of digits. Value cells may hold signs (jctui.readers.signs);
quality marks (`_q`) are not values. Rows are unsorted; `;`-separated, decimal comma.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping

import polars as pl

from jctui.config import MetricDef, SourceDef
from jctui.config.catalogue import label_figure_key
from jctui.errors import SourceError
from jctui.readers.csv import decode_to_utf8
from jctui.readers.limits import LIMITS, Limits, json_depth_within, open_zip, read_member
from jctui.readers.published.periods import year_end
from jctui.readers.raw import LINE, RawTable, one_line
from jctui.textsafe import names_shown

_NEW = re.compile(r"^(\d+)_variable_(code|attribute_code|attribute_label)$")
_OLD = re.compile(r"^(\d+)_(Merkmal_Code|Auspraegung_Code|Auspraegung_Label)$")
_OLD_VALUE = re.compile(r"^([A-Z0-9]+)__(.+)__(.+)$")
TOO_BIG = 98  # GENESIS' status code of a table too big for a direct answer
STATUS_CHARS = 300  # GENESIS' message is shown up to this length


def unwrap(data: bytes, origin: str, limits: Limits = LIMITS) -> tuple[bytes, str, str] | None:
    """The table inside a ZIP that is not an xlsx workbook (GENESIS ships its flat file in
    one), or inside a GENESIS REST answer (`Object.Content`): (bytes, origin, format hint);
    None when the bytes are no such wrapper. A GENESIS answer without a table (a `Status`
    and no `Object.Content`: wrong credentials, a table too big, a job started) is a
    SourceError quoting GENESIS' status. What a ZIP unpacks to is bounded (`limits`): its
    members, their size, and at most `zip_depth` levels of ZIPs."""
    if data.startswith(b"PK\x03\x04"):
        return _unzip(data, origin, limits)
    head = data[:200].lstrip()
    if (head.startswith(b"{") and b'"Status"' in data[:4096]) or b'"Object"' in data[:200]:
        json_depth_within(data, origin, limits)
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            return None
        if not isinstance(document, dict):
            return None
        found = document.get("Object")
        content_text = found.get("Content") if isinstance(found, dict) else None
        if isinstance(content_text, str):
            return content_text.encode("utf-8"), f"{origin} (Object.Content)", "csv"
        status = document.get("Status")
        if "Object" in document or "Ident" in document or _is_status(status):
            raise SourceError(f"{origin}: GENESIS answer without a table ({status_text(status)})")
    return None


def _unzip(data: bytes, origin: str, limits: Limits) -> tuple[bytes, str, str] | None:
    """The first table of a ZIP (not a workbook), through at most `zip_depth` levels of
    ZIPs, one at a time (no recursion: 2000 nested ZIPs are one line)."""
    for level in range(1, limits.zip_depth + 1):
        try:
            archive = open_zip(data, origin, limits)
            names = [n for n in archive.namelist() if not n.endswith("/")]
        except zipfile.BadZipFile:
            return None
        if any(n.startswith("xl/") or n == "[Content_Types].xml" for n in names):
            return None if level == 1 else (data, origin, "xlsx")  # an xlsx workbook
        tables = [n for n in names if n.lower().endswith((".csv", ".txt", ".json", ".zip"))]
        if not tables:
            raise SourceError(f"{origin}: ZIP without a CSV file (holds: {names_shown(names, 5)})")
        inner = tables[0]
        data = read_member(archive, inner, origin, limits.unpacked_bytes)
        origin = f"{origin}!{inner}"
        if not data.startswith(b"PK\x03\x04"):
            return data, origin, inner.rsplit(".", 1)[-1]
        if level == limits.zip_depth:
            break
    raise SourceError(
        f"{origin}: a ZIP inside a ZIP, over the limit of {limits.zip_depth} level"
        f"{'s' if limits.zip_depth > 1 else ''} of archives ({limits.key('zip_depth')})"
    )


def _is_status(status: object) -> bool:
    """A GENESIS status: {"Code": ..., "Content": ..., "Type": ...}."""
    return isinstance(status, dict) and {"Code", "Content", "Type"} <= status.keys()


def status_text(status: object) -> str:
    """GENESIS' own words for an answer without a table (wrong credentials, a table too big
    for a direct answer, a job started), shortened; the error line makes them inert."""
    if isinstance(status, dict) and ("Code" in status or "Content" in status):
        text = f"status {status.get('Code')}: {status.get('Content')}"
    elif isinstance(status, str):
        text = status
    else:
        text = "no status"
    text = text if len(text) <= STATUS_CHARS else text[: STATUS_CHARS - 1] + "…"
    if isinstance(status, dict) and status.get("Code") == TOO_BIG:
        text += " — the table is too big for a direct answer: ask for fewer years or regions"
    return text


def is_genesis(header: list[str]) -> bool:
    """True for the header of a GENESIS flat file (new or old format)."""
    names = {h.strip().lstrip("\ufeff") for h in header}
    new = {"time", "value"} <= names and any(_NEW.match(n) for n in names)
    old = ("Zeit" in names or "Zeit_Code" in names) and any(_OLD.match(n) for n in names)
    return new or old


def read_genesis(
    data: bytes, source: SourceDef, catalogue: Mapping[str, MetricDef], origin: str
) -> RawTable | None:
    """A GENESIS flat file as a RawTable in the canonical long names (text), or None when
    the bytes are not one."""
    end = data.find(b"\n")
    head, _ = decode_to_utf8(data if end < 0 else data[:end], source.encoding, origin)
    header = head.decode("utf-8", errors="replace").rstrip("\r").split(";")
    if not is_genesis(header):
        return None  # only the first line was decoded: other files pay nothing here
    text, encoding = decode_to_utf8(data, source.encoding, origin)
    try:
        frame = pl.read_csv(io.BytesIO(text), separator=";", infer_schema=False)
    except Exception as exc:
        raise SourceError(f"{origin}: not a readable GENESIS flat file: {one_line(exc)}") from None
    frame = frame.rename({c: c.strip().lstrip("\ufeff") for c in frame.columns})
    frame = frame.with_columns(pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias(LINE))
    new = "value" in frame.columns
    variables: dict[str, tuple[str, str, str]] = {}  # n -> (code col, attribute col, label col)
    for column in frame.columns:
        found = _NEW.match(column) or _OLD.match(column)
        if found:
            n, part = found.group(1), found.group(2)
            code, attr, label = variables.get(n, ("", "", ""))
            if part in ("code", "Merkmal_Code"):
                code = column
            elif part in ("attribute_code", "Auspraegung_Code"):
                attr = column
            else:
                label = column
            variables[n] = (code, attr, label)
    month_var = region_var = None
    for code_col, attr_col, label_col in variables.values():
        codes = frame.get_column(code_col).drop_nulls().unique().to_list() if code_col else []
        attrs = (
            frame.get_column(attr_col).drop_nulls() if attr_col else pl.Series([], dtype=pl.String)
        )
        if any(str(c).upper() == "MONAT" for c in codes) or bool(
            attrs.str.contains(r"^MONAT\d{2}$").all() and attrs.len()
        ):
            month_var = (attr_col, label_col)
        elif (
            attrs.len()
            and attrs.str.contains(r"^(\d{1,8}|[tT]\d{5}|DG)$").sum() > 0.9 * attrs.len()
        ):
            region_var = region_var or (attr_col, label_col)
    if region_var is None:
        raise SourceError(
            f"{origin}: GENESIS flat file without a region variable (Kreise, Jobcenter)"
        )
    time_col = "time" if new else ("Zeit" if "Zeit" in frame.columns else "Zeit_Code")
    year = pl.col(time_col).str.extract(r"(\d{4})")
    if month_var is not None:
        month = pl.col(month_var[0]).str.extract(r"(\d{2})$")
        period = pl.format("{}-{}", year, month)
    else:  # a year, or a reference date (`STAG`, "31.12.2017"): the month of its day
        period = year_end(pl.col(time_col))
    region_attr, region_label = region_var
    base = {
        LINE: pl.col(LINE),
        "jobcenter_id": pl.col(region_attr).str.strip_chars(),
        "period": period,
        "name": pl.col(region_label).str.strip_chars() if region_label else pl.lit(None, pl.String),
    }
    metric_of = _metric_names(catalogue, source)
    labels: dict[str, str] = {}  # value variables the catalogue lacks: key -> label
    if new:
        code_expr = pl.col("value_variable_code").str.strip_chars()
        label_expr = (
            pl.col("value_variable_label").str.strip_chars()
            if "value_variable_label" in frame.columns
            else code_expr
        )
        value_variables = frame.select(code=code_expr, label=label_expr).unique().drop_nulls("code")
        for code_text, label_text in value_variables.iter_rows():
            label_text = label_text or code_text
            key = metric_of.get(_fold(code_text)) or metric_of.get(_fold(label_text))
            if key is None:
                key = label_figure_key(label_text, catalogue)
                labels[key] = label_text
            metric_of[code_text.lower()] = key
        long = frame.select(
            **base,
            metric=code_expr.str.to_lowercase().replace_strict(
                metric_of, default=None, return_dtype=pl.String
            ),
            value=pl.col("value"),
        )
    else:
        value_columns = [c for c in frame.columns if _OLD_VALUE.match(c) and not c.endswith("__q")]
        if not value_columns:
            raise SourceError(
                f"{origin}: GENESIS flat file without value columns (CODE__Label__Unit)"
            )
        wide = frame.select(*[e.alias(k) for k, e in base.items()], *value_columns)
        long = wide.unpivot(
            index=list(base), on=value_columns, variable_name="_col", value_name="value"
        )
        names = {}
        for c in value_columns:
            found = _OLD_VALUE.match(c)
            assert found is not None
            # the old format writes its label with "_" for blanks and "ae" for "ä"
            code_text, label_text = found.group(1), " ".join(found.group(2).split("_"))
            key = metric_of.get(_fold(code_text)) or metric_of.get(_fold(label_text))
            if key is None:
                key = label_figure_key(label_text, catalogue)
                labels[key] = label_text
            names[c] = key
        long = long.with_columns(
            metric=pl.col("_col").replace_strict(names, return_dtype=pl.String)
        ).drop("_col")
    long = long.filter(pl.col("value").is_not_null()).sort(LINE, maintain_order=True)
    # a value variable the catalogue lacks is a figure of its own, under its label
    return RawTable(
        frame=long,
        format="genesis",
        decimal=source.decimal if source.decimal != "auto" else ",",
        separator=";",
        encoding=encoding,
        labels=labels,
    )


def _metric_names(catalogue: Mapping[str, MetricDef], source: SourceDef) -> dict[str, str]:
    """Lower-case code or label -> metric key (keys, aliases, labels; the source's own first)."""
    names: dict[str, str] = {}
    for key, m in catalogue.items():
        for label in (key, m.label_de, m.label_en, *m.aliases):
            names.setdefault(_fold(label), key)
    names.update({_fold(k): v for k, v in source.metrics.items() if v in catalogue})
    return names


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _fold(text: str) -> str:
    """A code or label as looked up: lower case, single blanks, umlauts as the old flat
    format spells them ("Erwerbsfaehige Leistungsberechtigte")."""
    return " ".join(text.lower().translate(_UMLAUTS).split())
