"""Every limit of a read is a key of `[sources.limits]` (jctui/config/limits.py): a file over
it is refused in one line naming the limit and that key, a raised limit lets the same file
through, and a value out of its range is one config line (README "Hostile data")."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from jctui.cli import main
from tests.functional.test_bounded import header_cells, workbook, zipped

CSV = "jobcenter_id,period,metric,value\nJ1,2024-01,integrations,1\nJ2,2024-01,integrations,2\n"


def _folder(path: Path) -> Path:
    path.mkdir()
    for month in (1, 2, 3):
        (path / f"kennzahlen-2024{month:02d}.csv").write_text(
            CSV.replace("2024-01", f"2024-{month:02d}"), encoding="utf-8"
        )
    return path


def _two_sheets(path: Path) -> Path:
    data = workbook("<sheetData>" + header_cells("jobcenter_id") + "</sheetData>")
    import io
    import zipfile

    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/worksheets/sheet2.xml", "<worksheet/>")
    path.write_bytes(buffer.getvalue())
    return path


# limit key -> (its value in the config, a file over it, words of the refusal)
CASES: dict[str, tuple[int, Callable[[Path], Path], str]] = {
    "file_bytes": (1000, lambda p: _write(p / "big.csv", CSV + "J3,2024-01,x,1\n" * 80), "bytes"),
    "unpacked_bytes": (
        50,
        lambda p: _bytes(p / "t.zip", zipped({"t.csv": CSV})),
        f"unpacks to {len(CSV)} bytes, over the limit of 50 bytes",
    ),
    "zip_members": (
        2,
        lambda p: _bytes(p / "t.zip", zipped({"a.csv": CSV, "b.csv": CSV, "c.csv": CSV})),
        "3 members, over the limit of 2 members",
    ),
    "zip_depth": (
        1,
        lambda p: _bytes(p / "t.zip", zipped({"inner.zip": zipped({"t.csv": CSV})})),
        "a ZIP inside a ZIP, over the limit of 1 level",
    ),
    "sheets": (1, lambda p: _two_sheets(p / "t.xlsx"), "2 worksheets, over the limit of 1 sheets"),
    "sheet_cells": (
        20,
        lambda p: _bytes(
            p / "t.xlsx",
            workbook(
                "<sheetData>"
                + header_cells("jobcenter_id")
                + '<row r="10"><c r="D10"><v>1</v></c></row></sheetData>'
            ),
        ),
        "cell D10 spans 10 rows x 4 columns, over the limit of 20 cells",
    ),
    "shared_strings": (
        2,
        lambda p: _bytes(
            p / "t.xlsx",
            workbook(
                '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>',
                "<sst>" + "<si><t>a</t></si>" * 3 + "</sst>",
            ),
        ),
        "3 shared strings, over the limit of 2 shared strings",
    ),
    "cells": (10, lambda p: _write(p / "t.csv", CSV), "4 lines of 4 columns, over the limit of 10"),
    "columns": (3, lambda p: _write(p / "t.csv", CSV), "4 columns, over the limit of 3 columns"),
    "json_depth": (
        2,
        lambda p: _write(p / "t.json", json.dumps([{"a": [1]}])),
        "JSON nested deeper than the limit of 2 levels",
    ),
    "folder_files": (2, lambda p: _folder(p / "downloads"), "3 data files, over the limit of 2"),
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _config(tmp_path: Path, source: Path, limits: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[sources]]\nname = "f"\npath = "{source}"\n[sources.limits]\n{limits}\n',
        encoding="utf-8",
    )
    return config


def _check(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", "--config", str(config)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("key", sorted(CASES))
def test_every_limit_is_a_config_key_named_in_its_one_line_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    value, make, words = CASES[key]
    source = make(tmp_path)
    code, out, err = _check(_config(tmp_path, source, f"{key} = {value}"), capsys)
    text = (out + err).strip()
    assert code == 2, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert str(source) in lines[0], lines[0]
    assert words in lines[0], lines[0]
    assert f"(sources.limits.{key})" in lines[0], lines[0]
    assert "Traceback" not in text


@pytest.mark.parametrize("key", ["zip_depth", "folder_files", "columns", "sheet_cells"])
def test_a_raised_limit_lets_the_same_file_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    """The refusal is the limit's, not the file's: raised, the file is read (or, for the
    one-column workbook, refused for what it lacks, not for its size)."""
    _, make, _ = CASES[key]
    source = make(tmp_path)
    raised = {"zip_depth": 2, "folder_files": 3, "columns": 4, "sheet_cells": 40}[key]
    code, out, err = _check(_config(tmp_path, source, f"{key} = {raised}"), capsys)
    text = out + err
    assert "sources.limits" not in text, text
    assert "Traceback" not in text
    if key != "sheet_cells":
        assert code == 0, text
        assert "J2" in text or "2 Jobcenters" in text or "no problems found" in text, text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("columns = 0", "sources[0].limits.columns: must be from 1 to 1,000,000, got 0"),
        ("json_depth = 5000", "sources[0].limits.json_depth: must be from 1 to 900, got 5,000"),
        ("zip_depth = -1", "sources[0].limits.zip_depth: must be from 1 to 16, got -1"),
        ("cells = 1e9", "sources[0].limits.cells: expected an integer"),
        ("rows = 5", "sources[0].limits.rows: unknown key"),
    ],
)
def test_a_limit_out_of_its_range_is_one_config_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, expected: str
) -> None:
    source = _write(tmp_path / "t.csv", CSV)
    config = _config(tmp_path, source, line)
    code, out, err = _check(config, capsys)
    assert code == 2, err
    assert out == ""
    assert err.splitlines() == [err.strip()], err
    assert err.startswith(f"jctui: error: {config}: {expected}"), err
