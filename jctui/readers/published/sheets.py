"""Workbooks with cover, contents and notes sheets first, then one sheet per figure: every
sheet that holds figures is read, the others are skipped, and both are listed. `sheets =
[...]` names the sheets to read, `sheet = "..."` one sheet; an Eckwerte workbook ("1.1
Eckwerte" behind its cover sheets) keeps its one sheet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import polars as pl

from jctui import formats
from jctui.config import MetricDef, SourceDef
from jctui.config.limits import LIMITS, LimitsDef
from jctui.errors import SourceError
from jctui.readers.excel import check_workbook
from jctui.readers.published.recognise import Recognised, recognise
from jctui.readers.raw import one_line


def sheet_names(data: bytes, origin: str, limits: LimitsDef = LIMITS) -> list[str]:
    """The names of a workbook's sheets, in their order."""
    data = check_workbook(data, origin, limits)
    import fastexcel

    try:
        return list(fastexcel.read_excel(data).sheet_names)
    except Exception as exc:
        raise SourceError(f"{origin}: cannot read Excel workbook: {one_line(exc)}") from None


def recognise_sheets(
    data: bytes,
    fmt: str,
    source: SourceDef,
    catalogue: Mapping[str, MetricDef],
    origin: str,
) -> tuple[list[Recognised], list[tuple[str, str]]] | None:
    """(the sheets with figures, recognised; the skipped sheets with the reason) of a
    workbook of several sheets; None where one sheet is read (a CSV, `sheet` set, a single
    sheet, an Eckwerte workbook)."""
    declared = formats.get(fmt)
    if declared is None or declared.delimited or source.sheet:
        return None
    names = sheet_names(data, origin, source.limits)
    if not source.sheets and (len(names) < 2 or any(n.strip().startswith("1.1") for n in names)):
        return None
    for name in source.sheets:
        if name not in names:
            raise SourceError(
                f"{origin}: sheets: no sheet named {name!r} (sheets: {', '.join(names)})"
            )
    found: list[Recognised] = []
    skipped: list[tuple[str, str]] = []
    for name in source.sheets or names:
        try:
            one = recognise(data, fmt, dataclasses.replace(source, sheet=name), catalogue, origin)
        except SourceError as exc:
            reason = str(exc).split(": ", 2)[-1]
            skipped.append((name, reason[:120]))
            continue
        if one is None or not _has_numbers(one):
            skipped.append((name, "no figures (text, contents or notes)"))
            continue
        found.append(dataclasses.replace(one, origin=f"{origin} (sheet {name!r})"))
    return found, skipped


def no_sheet_error(origin: str, skipped: list[tuple[str, str]]) -> str:
    """The refusal of a workbook none of whose sheets has figures: each sheet's reason (the
    one that tells what a data sheet lacks names the option that settles it)."""
    reasons = "; ".join(f"{name!r}: {why}" for name, why in skipped[:4])
    return f'{origin}: no sheet with figures ({reasons}); set sheet = "..." for this source'


def _has_numbers(found: Recognised) -> bool:
    """True when a figure column of the sheet holds a number below its header."""
    cells = [f"c{c.index}" for c in found.metrics if f"c{c.index}" in found.grid.columns]
    if not cells:
        return False
    below = found.grid.slice(found.layout.first_data)
    number = r"^\s*[+-]?\d[\d.,]*\s*%?\s*$"
    return bool(below.select(pl.any_horizontal(pl.col(cells).str.contains(number)).any()).item())
