"""A new derived figure is one declaration, and is withheld right with no code of its own.

The README says: to add a derived figure, add an entry to `METRIC_FIELDS` in
`jctui/fields.py`. This test does exactly that to a copy of the package (a 24-month
mean, shown by `show`) and runs the copy: the field is computed, in `show`'s JSON and
table, in the export with its label, and withheld with the months it is made of; the
differential attack of tests/unit/test_suppression_attack.py finds nothing it leaks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

import jctui
from tests.unit.test_suppression import MONTHS, make_data, month
from tests.unit.test_suppression_attack import (
    CONFIG,
    QUICK_MONTHS,
    TARGETS,
    leaks,
    perturbed,
    write_variant,
)

# every as-of month: minutes on a busy machine (make test-slow)
SLOW = [pytest.mark.slow, pytest.mark.timeout(900)]

DECLARATION = """    _metric(
        "mean_24", ("Mittel 24 Monate", "24-month mean"), kinds=METRIC_KINDS,
        span=Span(At("t", -23), T), statistic="mean", detail=True,
    ),
"""
TILES = """
import datetime as dt, sys
from jctui.config import load_config
from jctui.session.session import Loaded, RefreshRequest, Session
config = load_config(sys.argv[1]).with_source(sys.argv[2])
session = Session(config, as_of=dt.date(2018, 12, 1), today=dt.date(2019, 1, 15))
loaded = [e for e in session.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
as_of = session.accept_data(loaded[0])
assert session.accept_figures(session.compute(as_of, session.next_compute()))
for jc in ("L0", "S4"):
    session.choose(jc)
    overview = session.overview("en")
    assert overview is not None
    tile = next(t for t in overview.tiles if t.key == "integrations")
    print(jc, "|".join(tile.details))
"""
RUNNER = """
import contextlib, io, sys
import jctui
from jctui.cli import main
config, out, months = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
assert jctui.__file__.startswith(sys.argv[4]), jctui.__file__
for i, m in enumerate(months):
    args = ["export", "--config", config, "--format", "json", "-o", f"{out}/export-{i}.json"]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main([*args, "--at", m, "--lang", "en"]) == 0
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of jctui with one entry added to METRIC_FIELDS, and nothing else changed."""
    root = tmp_path_factory.mktemp("declared")
    copy = root / "jctui"
    shutil.copytree(Path(jctui.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    fields = copy / "fields.py"
    text = fields.read_text(encoding="utf-8")
    opening = "METRIC_FIELDS: tuple[FigureField, ...] = (\n"
    assert text.count(opening) == 1
    fields.write_text(text.replace(opening, opening + DECLARATION), encoding="utf-8")
    return root


def run(package: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=package,
        timeout=300,
        check=False,
    )


def jctui_cli(package: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(package, "-m", "jctui", *args)


def test_the_new_figure_is_shown_exported_and_withheld_with_its_months(
    package: Path, tmp_path: Path
) -> None:
    data, _, _ = make_data(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text("small_count_threshold = 45\n", encoding="utf-8")
    common = ["--config", str(config), "--source", str(data), "--at", "2018-12", "--lang", "en"]
    shown = jctui_cli(package, "show", "L0", "--compare", "S4", *common, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    by_id = {jc["id"]: jc["metrics"] for jc in json.loads(shown.stdout)["jobcenters"]}
    # L0's months are all above 45: the mean of its 24 months is shown, and right
    frame = pl.read_csv(data).filter(
        (pl.col("jobcenter_id") == "L0") & (pl.col("metric") == "integrations")
    )
    expected = frame.sort("period").tail(24).get_column("value").mean()
    assert isinstance(expected, float)
    assert by_id["L0"]["integrations"]["mean_24"] == pytest.approx(expected)
    # S4 has a month of 2 in the last 24 (and every month of ~40 is below 45): the
    # 12-month sum is withheld, and so is the new mean, with no code written for it
    s4 = by_id["S4"]["integrations"]
    assert s4["window_sum"] is None
    assert s4["mean_24"] is None
    assert "mean_24" in s4["withheld"]
    table = jctui_cli(package, "show", "S4", *common)
    assert table.returncode == 0, table.stderr
    (line,) = [ln for ln in table.stdout.splitlines() if "24-month mean" in ln and "Integr" in ln]
    assert line.rstrip().endswith("*")
    export = tmp_path / "export.csv"
    done = jctui_cli(
        package, "export", *common, "--format", "csv", "--dialect", "de", "-o", str(export)
    )
    assert done.returncode == 0, done.stderr
    header = export.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert "Mittel 24 Monate" in header
    # on its tile: the dashboard's integrations tile of each Jobcenter, as the session
    # prepares it (the tile widget draws TileData.details as one line where there is room)
    script = tmp_path / "tiles.py"
    script.write_text(TILES, encoding="utf-8")
    tiles = run(package, str(script), str(config), str(data))
    assert tiles.returncode == 0, tiles.stderr
    details = dict(line.split(" ", 1) for line in tiles.stdout.splitlines())
    # after the flow's own month beside a year earlier ('Dec 153 · prev. yr 141 (+8.5%)')
    assert details["L0"].split("|")[-1] == f"24-month mean {expected:,.1f}"
    assert details["S4"].split("|")[-1] == "24-month mean *"


@pytest.mark.parametrize(
    "attacked",
    [
        pytest.param(QUICK_MONTHS, id="quick"),  # make test
        pytest.param(tuple(range(MONTHS)), id="every-month", marks=SLOW),
    ],
)
def test_the_attack_finds_nothing_the_new_figure_leaks(
    package: Path, tmp_path: Path, attacked: tuple[int, ...]
) -> None:
    data, _, truth = make_data(tmp_path)
    base = pl.read_csv(data, schema_overrides={"value": pl.Float64, "period": pl.String})
    months = ",".join(month(i).strftime("%Y-%m") for i in attacked)
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    reports: dict[str, list[dict[str, Any]]] = {}
    for name, values in (("truth", truth), ("a", perturbed(truth, np.random.default_rng(11)))):
        folder = tmp_path / name
        config = write_variant(folder, base, values, CONFIG)
        (folder / "targets.csv").write_text(TARGETS, encoding="utf-8")
        done = run(package, str(runner), str(config), str(folder), months, str(package))
        assert done.returncode == 0, done.stderr
        reports[name] = [
            json.loads((folder / f"export-{i}.json").read_text(encoding="utf-8"))
            for i in range(len(attacked))
        ]
    means = [
        e["mean_24"]
        for r in reports["truth"]
        for jc in r["jobcenters"]
        for e in jc["metrics"].values()
    ]
    assert any(m is not None for m in means)  # shown where its months are
    assert any(m is None for m in means)
    assert leaks(reports["truth"], reports["a"]) == []


def test_the_json_contract_names_every_reported_field() -> None:
    """The JSON contract written in jctui/views/report.py lists every field the
    declarations report, so the documentation cannot drift from what `show` prints."""
    from jctui.fields import FIELDS
    from jctui.views import report

    contract = report.__doc__ or ""
    missing = sorted({f.key for f in FIELDS if f.reported and f'"{f.key}"' not in contract})
    assert missing == []
