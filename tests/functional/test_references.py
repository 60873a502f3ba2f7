"""The published aggregates as reference values: Deutschland and the Jobcenter's state as
lines in the chart, and the state's figure beside the comparison-group mean on the tiles
and in `jctui show`.

What a user checks: with the publisher's monthly tables (which carry rows for Germany and
the states) the chart of a rate or a count per 1,000 ELB shows "Deutschland" and "Hessen"
as lines of their own, a raw count never does (one Jobcenter beside 2.5 million says
nothing), and a tile says how the group and the state compare.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from jctui.cli import main
from jctui.config import Config, default_config
from jctui.ui.app import JctuiApp
from jctui.ui.widgets.chart_view import REFERENCE_STYLES, ChartPane
from jctui.ui.widgets.metric_tile import MetricTile
from jctui.ui.widgets.overview import OverviewPane
from tests.functional.test_snapshots import SnapCompare
from tests.functional.test_ui import chart_lines, make_app, plot_of, ready, tile

JULY_2018 = dt.date(2018, 7, 1)
# (id, name, state, comparison type, carrier, ELB, LZB, integrations a month): Germany and
# Hessen as the publisher writes them (D, state code 06), then three Jobcenters
ROWS = (
    ("D", "Deutschland", "", "", "", 4_000_000, 2_500_000, 100_000),
    ("06", "Hessen", "", "", "", 300_000, 170_000, 9_000),
    ("6438", "Kreis Offenbach", "Hessen", "IIb", "zugelassener kommunaler Träger", 15_000, 9_000, 350),
    ("06413", "Offenbach am Main", "HE", "IIb", "gemeinsame Einrichtung (gE)", 12_000, 8_000, 300),
    ("03002", "Vorpommern-Greifswald", "MV", "IIIa", "gE", 12_000, 5_000, 250),
)  # fmt: skip
GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
)  # fmt: skip


def monthly_table(year: int, month: int, n: int) -> bytes:
    """One month's table as published (title rows, report month, a two-row header, the
    aggregate rows first, a source line), Windows-1252; month n of the series: ELB and LZB
    fall by 0.2% a month (Germany faster), integrations vary by the month."""
    lines = [
        "Eckwerte und Kennzahlen nach § 48a SGB II;;;;;;;",
        f"Berichtsmonat: {GERMAN_MONTHS[month - 1]} {year};;;;;;;",
        ";;;;;;;",
        "Nr.;Jobcenter;Land;Vergleichstyp;Form der Aufgabenwahrnehmung;"
        "erwerbsfähige Leistungsberechtigte (ELB);Bestand LZB;Integrationen",
    ]
    for ident, name, state, group, carrier, elb, lzb, ints in ROWS:
        fall = 0.996 if ident == "D" else 0.998
        lines.append(
            f"{ident};{name};{state};{group};{carrier};{round(elb * fall**n)};"
            f"{round(lzb * fall**n)};{round(ints * (1 + (n % 3) / 20 + n / 100))}"
        )
    lines.append("Quelle: Statistik der Bundesagentur für Arbeit;;;;;;;")
    return ("\n".join(lines) + "\n").encode("cp1252")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of 25 monthly downloads, July 2016 to July 2018 (K2 needs 24 months)."""
    folder = tmp_path_factory.mktemp("refs") / "downloads"
    folder.mkdir()
    for n in range(25):
        year, month = divmod(2016 * 12 + 6 + n, 12)
        name = f"kennzahlen-{year}{month + 1:02d}.csv"
        (folder / name).write_bytes(monthly_table(year, month + 1, n))
    return folder


def config_of(folder: Path, **changes: Any) -> Config:
    return dataclasses.replace(default_config().with_source(str(folder)), **changes)


def app_on(folder: Path, **changes: Any) -> JctuiApp:
    return make_app(config_of(folder, **changes), as_of=JULY_2018)


async def lines_by_label(pilot: Pilot[None], chart: ChartPane) -> dict[str, tuple[float, ...]]:
    return {line.label: line.ys for line in await chart_lines(pilot, chart)}


async def references_in(pilot: Pilot[None], chart: ChartPane) -> list[str]:
    return [line.label for line in await chart_lines(pilot, chart) if line.reference]


async def chart_of(pilot: Pilot[None], app: JctuiApp, metric: str) -> ChartPane:
    await ready(pilot, app, JULY_2018)
    await pilot.press("3")
    chart = app.query_one(ChartPane)
    while chart.metric != metric:
        await pilot.press("m")
    return chart


async def test_a_rate_has_germany_and_the_state_a_raw_count_none_but_per_1000_elb_has(
    published: Path,
) -> None:
    """One dashboard's chart: K2 with Deutschland and Hessen as lines; LZB, a raw count,
    without them; LZB per 1,000 ELB with them."""
    app = app_on(published)
    async with app.run_test(size=(100, 30)) as pilot:
        chart = await chart_of(pilot, app, "k2")
        assert (await references_in(pilot, chart)) == ["Deutschland", "Hessen"], "K2"
        lines = await lines_by_label(pilot, chart)
        # Hessen, July 2018: 12 months of integrations over the mean ELB of the 12 before
        ints = [round(9_000 * (1 + (n % 3) / 20 + n / 100)) for n in range(13, 25)]
        elb = [round(300_000 * 0.998**n) for n in range(12, 24)]
        assert lines["Hessen"][-1] == pytest.approx(sum(ints) / (sum(elb) / 12) * 100)
        assert len(lines["Deutschland"]) == len(lines["Kreis Offenbach"]) == 13
        await pilot.pause(0.1)
        plot = await plot_of(pilot, app)
        assert "Deutschland" in plot  # in the legend
        assert "Hessen" in plot

        chart = await chart_of(pilot, app, "long_term_recipients")
        # 2.5 million beside 9,000 says nothing
        assert (await references_in(pilot, chart)) == [], "reference lines beside a raw count"
        await pilot.press("e")
        assert (await references_in(pilot, chart)) == ["Deutschland", "Hessen"], "per 1,000 ELB"
        lines = await lines_by_label(pilot, chart)
        assert lines["Hessen"][-1] == pytest.approx(
            round(170_000 * 0.998**24) / round(300_000 * 0.998**24) * 1000
        )
        assert lines["Deutschland"][-1] == pytest.approx(
            round(2_500_000 * 0.996**24) / round(4_000_000 * 0.996**24) * 1000
        )


async def test_no_color_reference_lines_have_markers_of_their_own(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_on(published)
    async with app.run_test(size=(100, 30)) as pilot:
        await chart_of(pilot, app, "k2")
        await pilot.pause(0.1)
        plot = await plot_of(pilot, app)
        (germany, _), (state, _) = REFERENCE_STYLES
        assert f"{germany} Deutschland" in plot
        assert f"{state} Hessen" in plot
        assert not any("\u2800" <= ch <= "\u28ff" for ch in plot)


async def test_tiles_show_the_state_beside_the_group_mean_at_80x24(published: Path) -> None:
    app = app_on(published)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app, JULY_2018)
        k2, lzb = tile(app, "k2"), tile(app, "long_term_recipients")
        assert re.search(r"^Ø \d+\.\d% · (Hessen|HE) \d+\.\d%$", k2, re.M), k2  # levels
        # a count: its change against the previous year, as the group mean of a count is
        assert re.search(r"^Ø -\d\.\d% · (Hessen|HE) -2\.4%$", lzb, re.M), lzb
        widget = app.query_one("#tile-long_term_recipients", MetricTile)
        whole = widget.lines(widget.size.width, widget.size.height)
        assert len(whole) == widget.size.height == 7  # and the report month still there:
        assert whole[-1].plain == "Jul 2018 · overdue"
        shown = [t.key for t in app.query_one(OverviewPane).tiles()]
        assert "customers" not in shown  # no data: no tile (nothing beside it)
        app.choose_jobcenter("03002")  # in MV: the data has no MV row
        await pilot.pause(0.2)
        assert "Ø " not in tile(app, "long_term_recipients")


async def test_with_small_counts_withheld_a_state_count_is_withheld_too(published: Path) -> None:
    app = app_on(published, small_count_threshold=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app, JULY_2018)
        assert "Hessen *" in tile(app, "long_term_recipients")
        chart = await chart_of(pilot, app, "k2")
        assert (
            await references_in(pilot, chart)
        ) == []  # K2 of the state's counts would give them back


def test_show_puts_the_state_beside_the_group_mean(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "Kreis Offenbach", "--source", str(published), "--lang", "de"]) == 0
    out = capsys.readouterr().out
    block = out[out.index("Gruppe und Land") :].splitlines()
    assert block[0].split() == ["Gruppe", "und", "Land", "Ø", "IIb", "Hessen"]
    lzb = next(line for line in block if line.startswith("LZB"))
    assert lzb.split()[3:5] == ["-2,4", "%"]
    assert "Veränd. z. Vorj." in lzb
    assert all(len(line) <= 80 for line in out.splitlines())
    code = main(["show", "06438", "--compare", "06413", "--source", str(published), "--format", "json"])  # fmt: skip
    assert code == 0
    jc, peer = json.loads(capsys.readouterr().out)["jobcenters"]
    lzb_entry = jc["metrics"]["long_term_recipients"]
    assert lzb_entry["state_name"] == "Hessen"
    assert lzb_entry["compares"] == "change"
    assert lzb_entry["state_value"] == pytest.approx(
        (round(170_000 * 0.998**24) / round(170_000 * 0.998**12) - 1) * 100
    )
    both = [e["metrics"]["long_term_recipients"]["change_pct"] for e in (jc, peer)]
    assert lzb_entry["group_mean"] == pytest.approx(sum(both) / 2)  # the two of type IIb
    k2 = jc["rates"]["k2"]
    assert k2["compares"] == "level"
    assert k2["group_mean"] == pytest.approx((k2["value"] + peer["rates"]["k2"]["value"]) / 2)
    assert k2["state_value"] > k2["value"]
    assert "state_name" not in jc["metrics"]["customers"]  # no data: nothing beside it


def test_chart_snapshot_with_reference_lines(
    snap_compare: SnapCompare, published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JCTUI_FROZEN_CLOCK", "2026-11-25 12:00")

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, JctuiApp)
        await ready(pilot, app, JULY_2018)
        await pilot.press("3")
        chart = app.query_one(ChartPane)
        while chart.metric != "k2":
            await pilot.press("m")
        await chart_lines(pilot, chart)  # the worker's lines for K2
        await pilot.pause(0.2)

    config = dataclasses.replace(config_of(published), language="en")
    app = JctuiApp(config, as_of=JULY_2018, today=dt.date(2026, 11, 25))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_overview_snapshot_with_the_state_beside_the_group_mean(
    snap_compare: SnapCompare, published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JCTUI_FROZEN_CLOCK", "2026-11-25 12:00")

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, JctuiApp)
        await ready(pilot, app, JULY_2018)
        await pilot.pause(0.2)

    config = dataclasses.replace(config_of(published), language="de")
    app = JctuiApp(config, as_of=JULY_2018, today=dt.date(2026, 11, 25))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_a_published_level_has_reference_lines_even_with_small_counts_withheld(
    tmp_path: Path,
) -> None:
    from jctui.session.chart import ChartQuery, ChartSource
    from jctui.session.load import load_dataset
    from tests.unit.test_published import KEY_FIGURES

    path = tmp_path / "kennzahlen-201807.csv"
    path.write_bytes(KEY_FIGURES.encode("cp1252"))
    for threshold in (0, 3):
        config = config_of(path, small_count_threshold=threshold)
        source = ChartSource(load_dataset(config), config, JULY_2018, {})
        data = source.data(ChartQuery("k2_published", ("06438",)), "en")
        references = {line.label: line.ys for line in data.lines if line.reference}
        assert references == {"Deutschland": (30.9,), "Hessen": (30.0,)}  # not West, not MV
        lzb = source.data(ChartQuery("long_term_recipients", ("06438",)), "en")
        assert not any(line.reference for line in lzb.lines)


@pytest.fixture(scope="module")
def hessen_withheld(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 25 monthly downloads, but the July 2018 table withholds Hessen's LZB and
    integrations (`*`)."""
    folder = tmp_path_factory.mktemp("refs-withheld") / "downloads"
    folder.mkdir()
    for n in range(25):
        year, month = divmod(2016 * 12 + 6 + n, 12)
        table = monthly_table(year, month + 1, n)
        if n == 24:
            lzb, ints = round(170_000 * 0.998**n), round(9_000 * (1 + (n % 3) / 20 + n / 100))
            table = table.replace(f";{lzb};{ints}\n".encode(), b";*;*\n", 1)  # the Hessen row
            assert b";*;*\n" in table
        (folder / f"kennzahlen-{year}{month + 1:02d}.csv").write_bytes(table)
    return folder


def test_show_names_the_group_the_mean_is_of(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With `group_by = "state"` the mean beside the state is the state's Jobcenters' mean,
    and says so ("Ø HE"), not the comparison type's name."""
    config = tmp_path / "config.toml"
    config.write_text(f'group_by = "state"\n[[sources]]\nname = "k"\npath = "{published}"\n')
    assert main(["show", "Kreis Offenbach", "--config", str(config), "--lang", "de"]) == 0
    out = capsys.readouterr().out
    block = out[out.index("Gruppe und Land") :].splitlines()
    assert block[0].split() == ["Gruppe", "und", "Land", "Ø", "HE", "Hessen"]


def test_show_marks_a_withheld_state_value_with_a_star(
    hessen_withheld: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = ["--source", str(hessen_withheld)]
    assert main(["show", "Kreis Offenbach", *source, "--lang", "de"]) == 0
    out = capsys.readouterr().out
    block = out[out.index("Gruppe und Land") :].splitlines()
    lzb = next(line for line in block if line.startswith("LZB"))
    assert lzb.split()[3] == "*", lzb  # the state's change: withheld by the publisher
    hessen = next(line for line in out.splitlines() if line.startswith("  Hessen:"))
    assert hessen.startswith("  Hessen: Integrationen * · "), hessen  # the value itself
    assert main(["show", "06438", *source, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    entry = report["jobcenters"][0]["metrics"]["long_term_recipients"]
    assert entry["state_name"] == "Hessen"
    assert entry["state_value"] is None
    assert entry["suppressed"] is True
    assert "state_value" in entry["withheld"]
    refs = {ref["name"]: ref for ref in report["references"]}
    assert refs["Hessen"]["metrics"]["long_term_recipients"] is None
    assert refs["Hessen"]["suppressed"] is True
    assert refs["Hessen"]["withheld"] == ["integrations", "long_term_recipients"]
    assert refs["Hessen"]["metrics"]["elb"] > 0  # the rest of the row as published
    assert "withheld" not in refs["Deutschland"]


def test_show_withholds_the_aggregates_counts_with_small_counts_withheld(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A state's count minus its shown Jobcenters' counts would give a withheld count back:
    with the small-count rule on, `show` lists the aggregates' counts as withheld, as the
    tiles do ("Hessen *")."""
    config = tmp_path / "config.toml"
    config.write_text(f'small_count_threshold = 3\n[[sources]]\nname = "k"\npath = "{published}"\n')
    assert main(["show", "06438", "--config", str(config), "--format", "json"]) == 0
    refs = {ref["name"]: ref for ref in json.loads(capsys.readouterr().out)["references"]}
    for ref in refs.values():
        assert set(ref["metrics"].values()) == {None}
        assert ref["suppressed"] is True
        assert ref["withheld"] == list(ref["metrics"])


async def test_a_tile_marks_a_withheld_state_value_with_a_star(hessen_withheld: Path) -> None:
    app = app_on(hessen_withheld)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app, JULY_2018)
        lzb = tile(app, "long_term_recipients")
        assert re.search(r"^Ø( IIb)? -\d\.\d% · (Hessen|HE) \*$", lzb, re.M), lzb
        # K2 is made of the withheld integrations: withheld too
        assert re.search(r"· (Hessen|HE) \*$", tile(app, "k2"), re.M), tile(app, "k2")
        chart = await chart_of(pilot, app, "k2")  # the months before July 2018 still there
        assert (await references_in(pilot, chart)) == ["Deutschland", "Hessen"]
