"""Hardening II (issue 25): exports that no spreadsheet evaluates, config values refused in
one line, secrets that stay out of error lines (README "Hostile data")."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import polars as pl
import pytest

from jctui.cli import main
from jctui.presentation.inert import inert_cell, inert_frame

# What an attacker writes into a name, id, state or comparison type.
FORMULAS = (
    '=HYPERLINK("http://x","a")',
    "\t=1+1",
    "\r=2+2",
    "@SUM(1)",
    "+1",
    "-2+3",
    "https://evil.example",
)
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def months(n: int = 24) -> list[str]:
    return [f"{2017 + m // 12}-{m % 12 + 1:02d}" for m in range(n)]


def formula_csv(path: Path) -> Path:
    """Jobcenters whose id, name, state and comparison type are formulas, one of them
    falling (a negative change: a real number that must stay a number)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["jobcenter_id", "period", "metric", "value", "name", "state", "carrier", "comparison_type"]
    )
    for n, evil in enumerate(FORMULAS):
        ident = evil if n % 2 == 0 else f"J{n:02d}"
        for i, period in enumerate(months()):
            value = 300 - i if n == 0 else 100 + i
            writer.writerow([ident, period, "integrations", value, evil, evil, "zkT", evil])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def cells(text: str, separator: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=separator))


def assert_no_live_cell(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if cell.startswith(DANGEROUS):
                try:
                    float(cell.replace(",", "."))
                except ValueError:
                    pytest.fail(f"a cell a spreadsheet evaluates: {cell!r} in {row!r}")


def test_inert_cell_quotes_formulas_and_leaves_numbers() -> None:
    assert inert_cell('=HYPERLINK("http://x","a")') == '\'=HYPERLINK("http://x","a")'
    assert inert_cell("\t=1+1") == "'\t=1+1"
    assert inert_cell("@SUM(1)") == "'@SUM(1)"
    assert inert_cell("+1") == "'+1"  # we never write a plus sign: from the data
    assert inert_cell("-2+3") == "'-2+3"
    assert inert_cell("-2") == "-2"
    assert inert_cell("-2,5") == "-2,5"
    assert inert_cell("-1.5e-3") == "-1.5e-3"
    assert inert_cell("https://evil.example") == "https://evil.example"  # not a formula in CSV
    frame = pl.DataFrame({"name": ["=1", "-3", None, "ok"], "value": [-1.0, 2.0, None, 3.0]})
    assert inert_frame(frame).to_dict(as_series=False) == {
        "name": ["'=1", "-3", None, "ok"],
        "value": [-1.0, 2.0, None, 3.0],
    }


@pytest.mark.parametrize("dialect", ["plain", "de"])
def test_export_csv_writes_formulas_from_the_data_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dialect: str
) -> None:
    data = formula_csv(tmp_path / "formulas.csv")
    out = tmp_path / f"figures-{dialect}.csv"
    code = main(["export", "-o", str(out), "--source", str(data), "--dialect", dialect])
    assert code == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    rows = cells(text, ";" if dialect == "de" else ",")
    assert_no_live_cell(rows)
    flat = [c for row in rows for c in row]
    for evil in ('=HYPERLINK("http://x","a")', "@SUM(1)", "+1", "-2+3"):
        assert "'" + evil in flat, evil  # kept, as text
    assert "https://evil.example" in flat
    assert not any(c.startswith(("=", "@")) for c in flat)
    # a negative figure is still a number
    change = rows[0].index("Veränderung" if dialect == "de" else "change")
    falling = [row[change] for row in rows[1:] if row[change].startswith("-")]
    assert falling, "no negative change"
    assert all(float(c.replace(",", ".")) < 0 for c in falling), falling


def test_show_csv_writes_formulas_from_the_data_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = formula_csv(tmp_path / "formulas.csv")
    for query in ("HYPERLINK", "SUM", "evil"):
        code = main(["show", query, "--source", str(data), "--format", "csv"])
        out, err = capsys.readouterr()
        assert code == 0, err
        rows = cells(out, ",")
        assert_no_live_cell(rows)
    code = main(["show", "HYPERLINK", "--source", str(data), "--format", "csv", "--dialect", "de"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert_no_live_cell(cells(out, ";"))
    assert '\'=HYPERLINK("http://x","a")' in out.replace('""', '"')


def test_export_xlsx_writes_urls_and_formulas_as_strings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("xlsxwriter")
    data = formula_csv(tmp_path / "formulas.csv")
    out = tmp_path / "figures.xlsx"
    assert main(["export", "-o", str(out), "--source", str(data)]) == 0, capsys.readouterr().err
    with zipfile.ZipFile(out) as book:
        rels = [book.read(n).decode() for n in book.namelist() if n.endswith(".rels")]
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet  # no formula cell
    assert "<hyperlink" not in sheet  # no hyperlink
    assert not any("External" in r or "evil" in r for r in rels)  # no link target
    assert "https://evil.example" in strings  # the text itself is kept
    assert "=HYPERLINK(" in strings.replace("&quot;", '"')
    frame = pl.read_excel(out)
    assert "https://evil.example" in frame.get_column("Jobcenter").to_list()
