"""A folder of monthly downloads read as one series, and followed when a new file arrives.

What a user does: saves every month's key-figure table from the publisher into one folder
and points jctui at the folder; a newer publication of a month replaces the older one.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from pathlib import Path

import polars as pl
import pytest

from jctui.cli import main
from jctui.config import SourceDef, default_config
from jctui.session.load import load_dataset
from jctui.session.watch import FileWatcher

JOBCENTERS = (
    ("06438", "Kreis Offenbach", "HE", "zkT"),
    ("03002", "Vorpommern-Greifswald", "MV", "gE"),
)
GERMAN_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


def key_figure_table(year: int, month: int, lzb_a_year_earlier: int | None = None) -> bytes:
    """One month's key-figure table as the BA publishes it (title rows, two-row header,
    aggregate rows, footer), Windows-1252. LZB of month k is 9000 + k."""
    k = year * 12 + month
    rows = [
        "Kennzahlen nach § 48a SGB II;;;;;;",
        f"Berichtsmonat: {GERMAN_MONTHS[month - 1]} {year};;;;;;",
        ";;;;;;",
        "Nr.;Jobcenter;Land;Form;K3 - Veränderung LZB;;",
        ";;;;Bestand LZB;Bestand LZB Vorjahresmonat;Veränderung in %",
        f"D;Deutschland;;;{2_500_000 + k};{2_500_000 + k - 12};0,0",
    ]
    for i, (jc, name, state, carrier) in enumerate(JOBCENTERS):
        now = 9000 + k + i
        before = lzb_a_year_earlier if lzb_a_year_earlier is not None else 9000 + k - 12 + i
        rows.append(
            f"{jc};{name};{state};{carrier};{now};{before};{(now / before - 1) * 100:.1f}".replace(
                ".", ","
            )
        )
    rows += ["Quelle: Statistik der Bundesagentur für Arbeit;;;;;;"]
    return ("\n".join(rows) + "\n").encode("cp1252")


def write_folder(folder: Path) -> None:
    folder.mkdir()
    for n in range(13):  # July 2017 .. July 2018
        year, month = divmod(2017 * 12 + 6 + n, 12)
        (folder / f"kennzahlen-{year}{month + 1:02d}.csv").write_bytes(
            key_figure_table(year, month + 1)
        )


def test_folder_of_13_monthly_tables_is_one_series(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    write_folder(folder)
    config = default_config().with_source(str(folder))
    dataset = load_dataset(config)
    lzb = dataset.values.filter(
        (pl.col("jobcenter_id") == "06438") & (pl.col("metric") == "long_term_recipients")
    ).sort("period")
    assert lzb.height == 25  # July 2016 (a year before the first table) .. July 2018
    assert lzb["period"][-1] == dt.date(2018, 7, 1)
    assert dataset.registry["jobcenter_id"].sort().to_list() == ["03002", "06438"]
    assert dataset.aggregates["name"].unique().to_list() == ["Deutschland"]
    assert dataset.rejected.is_empty()


def test_a_newer_publication_revises_an_older_month(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "downloads"
    write_folder(folder)
    # the July 2018 table gives a corrected LZB for July 2017 (both Jobcenters)
    (folder / "kennzahlen-201807.csv").write_bytes(
        key_figure_table(2018, 7, lzb_a_year_earlier=9999)
    )
    code = main(["check", "--source", str(folder), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "13 files" in out
    assert "2 values revised by a later publication" in out
    dataset = load_dataset(default_config().with_source(str(folder)))
    july_2017 = dataset.values.filter(
        (pl.col("metric") == "long_term_recipients") & (pl.col("period") == dt.date(2017, 7, 1))
    )
    assert july_2017["value"].to_list() == [9999.0, 9999.0]


def test_the_watcher_picks_up_a_new_file_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "kennzahlen-201807.csv").write_bytes(key_figure_table(2018, 7))
    seen: list[frozenset[str]] = []
    stop = threading.Event()
    watcher = FileWatcher([SourceDef(name="kennzahlen", path=str(folder))], seen.append, stop)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        time.sleep(0.5)
        (folder / "kennzahlen-201808.csv").write_bytes(key_figure_table(2018, 8))
        deadline = time.monotonic() + 6
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(5)
    assert frozenset({"kennzahlen"}) in seen


def test_show_gives_published_figures_withheld_cells_and_references(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.unit.test_published import KEY_FIGURES

    path = tmp_path / "kennzahlen-201807.csv"
    path.write_bytes(KEY_FIGURES.encode("cp1252"))
    assert main(["show", "03002", "--source", str(path), "--format", "json", "--lang", "en"]) == 0
    report = json.loads(capsys.readouterr().out)
    jc = report["jobcenters"][0]
    assert jc["metrics"]["k2_published"]["suppressed"] is True  # "*" in the file
    assert jc["metrics"]["k2_published"]["value"] is None
    assert jc["metrics"]["k3_published"]["value"] == -3.8
    references = {r["name"]: r for r in report["references"]}
    assert set(references) == {"Deutschland", "Westdeutschland"}  # not Hessen: 03002 is in MV
    assert all(r["aggregate"] is True for r in references.values())
    assert references["Deutschland"]["metrics"]["k2_published"] == 30.9
    assert main(["show", "Kreis Offenbach", "--source", str(path), "--lang", "de"]) == 0
    table = capsys.readouterr().out
    assert "19,8" in table  # a rate keeps its decimal
    assert "Hessen: " in table
    assert "Deutschland: " in table


def test_a_published_figure_its_own_file_contradicts_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.unit.test_published import KEY_FIGURES

    # 4.236 / 21.394 = 19.8 %; a figure of 25,0 beside these counts: the file contradicts
    # itself, so neither the figure nor its parts are shown and check exits 1
    path = tmp_path / "kennzahlen-201807.csv"
    path.write_bytes(KEY_FIGURES.replace("21.394;19,8", "21.394;25,0").encode("cp1252"))
    assert main(["check", "--source", str(path), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert (
        "k2_published '': 06438 2018-07: cross-check K2 = numerator / denominator x 100 "
        "failed: 4236 / 21394 gives 19.8, published 25" in out
    ), out
    assert "check K2 = numerator / denominator x 100: 1 compared, 1 failed" in out
    assert (
        main(["show", "Kreis Offenbach", "--source", str(path), "--format", "json", "--lang", "en"])
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    metrics = report["jobcenters"][0]["metrics"]
    assert metrics.get("k2_published", {}).get("value") is None
    assert metrics.get("integrations_12m", {}).get("value") is None
    assert metrics["k3_published"]["value"] is not None  # the other figures stand


def with_row_repeated(table: bytes, jobcenter: str, change: tuple[str, str] | None = None) -> bytes:
    """`table` with the row of `jobcenter` given twice: the second time with the text
    `change[0]` replaced by `change[1]` (a different value), or as it is (the same values)."""
    lines = table.decode("cp1252").split("\n")
    row = next(line for line in lines if line.startswith(f"{jobcenter};"))
    again = row.replace(*change) if change else row
    lines.insert(lines.index(row) + 1, again)
    return "\n".join(lines).encode("cp1252")


def test_a_key_repeated_inside_one_file_of_a_folder_is_a_conflict_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "downloads"
    write_folder(folder)
    # July 2018 (the newest file): 06438 twice, the second time with another LZB
    july = folder / "kennzahlen-201807.csv"
    lzb = str(9000 + 2018 * 12 + 7)
    july.write_bytes(with_row_repeated(key_figure_table(2018, 7), "06438", (lzb, "12345")))
    # December 2017: 03002 twice with the same values
    december = folder / "kennzahlen-201712.csv"
    december.write_bytes(with_row_repeated(key_figure_table(2017, 12), "03002"))
    code = main(["check", "--source", str(folder), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1, out  # a conflict is a problem, as in a single file
    assert f"{july}: 06438 2018-07-01 long_term_recipients: values [{lzb}.0, 12345.0]" in out
    assert "revised by a later publication" not in out  # a repeat is no revision
    dataset = load_dataset(default_config().with_source(str(folder)))
    conflicts = dataset.conflicts.sort("source", "jobcenter_id", "period", "metric")
    # each file's repeats exactly as that file alone reports them: same rule, same rows
    alone = [
        load_dataset(default_config().with_source(str(path))).conflicts for path in (december, july)
    ]
    expected = pl.concat(alone).sort("source", "jobcenter_id", "period", "metric")
    assert conflicts.height == expected.height > 0
    assert conflicts.equals(expected), (conflicts, expected)
    assert set(conflicts["source"]) == {str(december), str(july)}
    same = conflicts.filter(pl.col("source") == str(december))
    assert all(len(set(v)) == 1 for v in same["values"])  # same values twice: listed too


def test_two_glob_sources_in_one_folder_both_follow_their_files(tmp_path: Path) -> None:
    """`downloads/kennzahlen-*.csv` and `downloads/eckwerte-*.csv`: a new file in the folder
    reaches both sources (one folder, one watch; before, the second hid the first)."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "kennzahlen-201807.csv").write_bytes(key_figure_table(2018, 7))
    seen: list[frozenset[str]] = []
    stop = threading.Event()
    sources = [
        SourceDef(name="kennzahlen", path=str(folder / "kennzahlen-*.csv")),
        SourceDef(name="eckwerte", path=str(folder / "eckwerte-*.csv")),
    ]
    watcher = FileWatcher(sources, seen.append, stop)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        time.sleep(0.5)
        (folder / "kennzahlen-201808.csv").write_bytes(key_figure_table(2018, 8))
        deadline = time.monotonic() + 6
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(5)
    assert "kennzahlen" in frozenset().union(*seen)
