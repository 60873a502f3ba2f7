"""`jctui export`: the computed figures for a spreadsheet or a slide (csv, parquet, json, xlsx).

One row per Jobcenter and figure (metric or rate), with the registry columns, the as-of
month and, for demo data, a `demo` column; the same fields and small-count suppression as
`jctui show` (they share jctui.views.report).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jctui.config import Config
from jctui.config.catalogue import config_with_labels
from jctui.errors import EXIT_OK, JctuiError, MissingExtraError
from jctui.i18n import resolve_language, t

if TYPE_CHECKING:
    import polars as pl

FORMATS = {".csv": "csv", ".parquet": "parquet", ".json": "json", ".xlsx": "xlsx"}


def export_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    fmt = FORMATS.get(Path(args.output).suffix.lower())
    if fmt is None:
        raise JctuiError(
            f"{args.output}: cannot tell the format from the name; use --format csv|parquet|json|xlsx",
            key="err_export_format",
            output=str(args.output),
        )
    return fmt


def run_export(config: Config, args: argparse.Namespace) -> int:
    from jctui.session.oneshot import run_lookup
    from jctui.views.report import build_report, report_json
    from jctui.views.report_table import labelled_frame, report_frame, write_report_csv

    lang = resolve_language(config.language)
    fmt = export_format(args)
    found = run_lookup(
        config, at=args.at, queries=args.jobcenter or (), metric_keys=args.metric, group=args.group
    )
    for note in found.notes:
        print(f"jctui: {note}", file=sys.stderr)
    config = config_with_labels(config, found.dataset.shown_metrics, found.dataset.label_of)
    report = build_report(found, config, lang)
    out = Path(args.output)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "json":
            out.write_text(report_json(report), encoding="utf-8")
            rows = sum(len(j["metrics"]) + len(j["rates"]) for j in report["jobcenters"])
        else:
            frame = report_frame(report)
            rows = frame.height
            if fmt == "csv":
                write_report_csv(frame, config, args.dialect or "plain", out)
            elif fmt == "parquet":
                frame.write_parquet(out)
            else:
                write_xlsx(labelled_frame(frame, config, lang), out)
    except OSError as exc:
        raise JctuiError(f"{out}: cannot write ({exc.strerror or exc})") from None
    demo = f" ({t('demo', 'en').lower()})" if found.dataset.demo else ""
    print(
        f"wrote {rows} figures of {len(found.ids)} Jobcenters for {report['as_of']} to {out}{demo}"
    )
    return EXIT_OK


# Every string a string: never a formula (`=...`), never a hyperlink (`https://...`, which
# xlsxwriter makes a link by default and polars leaves on), never a number.
XLSX_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}


def write_xlsx(frame: pl.DataFrame, out: Path) -> None:
    """The labelled frame as one worksheet, every text cell an inert string."""
    try:
        import xlsxwriter
    except ImportError:
        raise MissingExtraError(
            "xlsx export needs the 'excel' extra: pip install 'jctui[excel]'"
        ) from None
    workbook = xlsxwriter.Workbook(str(out), XLSX_OPTIONS)
    try:
        frame.write_excel(workbook, worksheet="figures", autofit=True, header_format={"bold": True})
    finally:
        try:
            workbook.close()
        except xlsxwriter.exceptions.XlsxFileError as exc:  # a FileCreateError's OSError
            raise JctuiError(f"{out}: cannot write ({exc})") from None
