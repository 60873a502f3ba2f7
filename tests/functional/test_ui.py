"""The dashboard driven by keys (Textual's Pilot): what a manager sees after each key press."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from jctui.cli import main
from jctui.config import Config, load_config
from jctui.session.chart import ChartData, ChartLine
from jctui.ui.app import JctuiApp
from jctui.ui.messages import (
    DataLoaded,
    FiguresReady,
    FiguresShown,
    JobcenterChosen,
    LoadFailed,
    MarksChanged,
    RefreshState,
)
from jctui.ui.screens.help import HelpScreen
from jctui.ui.screens.info import InfoScreen
from jctui.ui.widgets.chart_view import ChartPane
from jctui.ui.widgets.compare_table import ComparePane, CompareTable
from jctui.ui.widgets.metric_tile import MetricTile
from jctui.ui.widgets.status_header import StatusHeader
from jctui.ui.widgets.warnings_view import WarningsTable

AS_OF = dt.date(2018, 10, 1)
TODAY = dt.date(2026, 11, 25)


class RecordingApp(JctuiApp):
    """The real app, keeping every message posted to it and every notification it shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[Message] = []
        self.notices: list[tuple[str, str]] = []  # (severity, text)

    def post_message(self, message: Message) -> bool:
        self.seen.append(message)  # workers and bubbling widgets both post here
        return super().post_message(message)

    def notify(self, message: str, **kwargs: Any) -> None:
        self.notices.append((kwargs.get("severity", "information"), message))
        super().notify(message, **kwargs)

    def seen_of(self, kind: type[Message]) -> list[Message]:
        return [m for m in self.seen if isinstance(m, kind)]


_DEMO_STORE: list[Path] = []


def demo_store() -> Path:
    """The figure store of the demo data (default config) at AS_OF and the months a
    dashboard prefetches around it, as a dashboard writes it: made once per test process,
    in a folder of its own (the XDG cache of a test is set apart for the time)."""
    if not _DEMO_STORE:
        import atexit
        import os
        import shutil
        import tempfile

        from jctui.locations import cache_dir
        from jctui.session.session import Loaded, RefreshRequest, Session

        home = Path(tempfile.mkdtemp(prefix="jctui-demo-store-"))
        atexit.register(shutil.rmtree, home, True)
        before = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = str(home)
        try:
            session = Session(load_config(None), as_of=AS_OF, today=TODAY)
            loaded = [e for e in session.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
            as_of = session.accept_data(loaded[0])
            assert session.accept_figures(session.compute(as_of, session.next_compute()))
            session.prefetch()
            figures = cache_dir() / "figures"
        finally:
            if before is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = before
        assert figures.is_dir()
        _DEMO_STORE.append(figures)
    return _DEMO_STORE[0]


def with_demo_store() -> None:
    """The demo's figure store (`demo_store`) in the test's cache, unless it has one: an
    app on the demo data with the default config (any language) reads the figures of the
    months it shows first instead of every test computing them again
    (tests/unit/test_store.py proves the stored figures equal fresh ones)."""
    import shutil

    from jctui.locations import cache_dir

    figures = cache_dir() / "figures"
    if not figures.exists():
        with contextlib.suppress(OSError):  # a cache that cannot be made: none
            shutil.copytree(demo_store(), figures)


def make_app(config: Config | None = None, **kwargs: Any) -> RecordingApp:
    """The app; on the demo data with the default config with the demo's figure store."""
    if config is None:
        config = load_config(None)
        with_demo_store()
    return RecordingApp(config, as_of=kwargs.pop("as_of", AS_OF), today=TODAY, **kwargs)


async def ready(pilot: Pilot[None], app: JctuiApp, as_of: dt.date | None = AS_OF) -> None:
    """Wait until the workers have loaded the data and computed the figures."""
    for _ in range(200):
        await pilot.pause(0.05)
        if app.figures is not None and (as_of is None or app.figures.as_of == as_of):
            await pilot.pause(0.05)
            return
    raise AssertionError("figures never arrived")


async def open_compare(pilot: Pilot[None], app: JctuiApp) -> tuple[ComparePane, CompareTable]:
    """Key 2: the compare screen, its pane and its table."""
    await pilot.press("2")
    return app.query_one(ComparePane), app.query_one("#compare-table", CompareTable)


async def chart_drawn(pilot: Pilot[None], chart: ChartPane) -> ChartData | None:
    """The chart's lines, once its worker has computed them for the current settings."""
    for _ in range(250):
        if (data := chart.chart_data()) is not None:
            return data
        await pilot.pause(0.02)
    return None


async def plot_of(pilot: Pilot[None], app: JctuiApp) -> str:
    """The chart as drawn, once its lines are those of its current settings."""
    await chart_drawn(pilot, app.query_one(ChartPane))
    return str(app.query_one("#chart-plot").render())


async def chart_lines(pilot: Pilot[None], chart: ChartPane) -> tuple[ChartLine, ...]:
    data = await chart_drawn(pilot, chart)
    return data.lines if data is not None else ()


async def chart_line(pilot: Pilot[None], chart: ChartPane, label: str) -> ChartLine:
    return next(line for line in await chart_lines(pilot, chart) if line.label == label)


def tile(app: JctuiApp, key: str) -> str:
    """A tile's text at its width, at most 7 lines high (a taller tile draws the value in
    large digits)."""
    widget = app.query_one(f"#tile-{key}", MetricTile)
    height = min(7, widget.size.height)
    return "\n".join(line.plain for line in widget.lines(widget.size.width, height))


def header(app: JctuiApp) -> str:
    return str(app.query_one(StatusHeader).render())


async def test_starts_on_demo_data_and_shows_offenbach() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        # loaded: from the demo's figure store before the screen was made (no DataLoaded)
        assert app.session.data is not None
        assert app.session.data.from_store
        assert app.seen_of(FiguresShown)  # the screen showed the figures
        assert app.jobcenter_id == "06438"
        title = str(app.query_one("#overview-title").render())
        assert "Kreis Offenbach" in title
        text = header(app)
        assert "Demo data, synthetic figures" in text
        assert "Oct 2018" in text
        assert "updated" in text
        integrations = tile(app, "integrations")
        assert "Integrations" in integrations
        assert "4,303" in integrations  # the 12-month sum
        row = app.session.lookups.metrics["06438"]["integrations"]
        assert f"#{row['rank']}/{row['rank_of']}" in integrations  # rank among all
        assert f"{row['group_rank']}/{row['group_rank_of']} IIb" in integrations
        lzb = tile(app, "long_term_recipients")
        assert "8,989" in lzb
        assert "-4.8%" in lzb
        k2 = tile(app, "k2")
        assert "28.4%" in k2


async def test_number_keys_switch_screens() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        tabs = app.query_one(TabbedContent)
        for key, tab in (("2", "compare"), ("3", "chart"), ("4", "warnings"), ("1", "overview")):
            await pilot.press(key)
            assert tabs.active == tab


async def test_time_travel_steps_months_and_says_not_latest() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("left_square_bracket")
        await ready(pilot, app, dt.date(2018, 9, 1))
        assert "Sep 2018" in header(app)
        assert "not latest month" in header(app)
        for _ in range(9):
            await pilot.press("left_square_bracket")
            await pilot.pause(0.05)
        await ready(pilot, app, dt.date(2017, 12, 1))
        assert "4,236" in tile(app, "integrations")  # 2017's placements in the 12-month figure
        await pilot.press("right_square_bracket")
        await ready(pilot, app, dt.date(2018, 1, 1))
        for _ in range(20):  # beyond the newest month: stays at the latest
            await pilot.press("right_square_bracket")
        await ready(pilot, app, AS_OF)
        assert "not latest month" not in header(app)


async def test_help_lists_every_key_and_closes() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = [k for k, _ in app.screen.rows]
        for key in ("1", "2", "3", "4", "[", "]", "?", "i", "l", "t", "r", "q", "Ctrl+P"):
            assert key in keys, key
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_info_explains_the_focused_figure_in_the_ui_language() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        app.query_one("#tile-k2", MetricTile).focus()
        await pilot.press("i")
        assert isinstance(app.screen, InfoScreen)
        text = app.screen.text.plain
        assert "Integration rate (K2)" in text
        assert "t-12..t-1" in text
        await pilot.press("escape")
        app.lang = "de"
        app.query_one("#tile-elb", MetricTile).focus()
        await pilot.press("i")
        text = app.screen.text.plain
        assert "Bestandsgröße" in text
        assert "niedriger ist besser" in text


async def test_language_switch_changes_labels_and_numbers() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert "4,303" in tile(app, "integrations")
        await pilot.press("l")
        await pilot.pause(0.1)
        assert app.lang == "de"
        text = tile(app, "integrations")
        assert "Integrationen" in text
        assert "4.303" in text
        assert "+2,0 %" in text
        assert "Demodaten, synthetische Zahlen" in header(app)
        assert str(app.query_one(TabbedContent).get_tab("compare").label) == "Vergleich"


async def test_theme_switch_cycles_dark_light_high_contrast() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        seen = [app.theme]
        for _ in range(3):
            await pilot.press("t")
            seen.append(app.theme)
        assert seen == ["textual-dark", "jctui-light", "jctui-high-contrast", "textual-dark"]


async def test_compare_sort_filter_mark_and_open() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        pane, table = await open_compare(pilot, app)
        assert table.row_count == 407

        def column(key: str) -> list[Any]:
            return [r[key] for r in pane.visible_rows()]

        def ranks(key: str) -> list[int]:
            return [s.rank for r in pane.visible_rows() if (s := r["standing"].get(key)) and s.rank]

        # default: the first figure by its rank (its change on the previous year), best first
        assert pane.current_sort == "integrations"
        assert ranks("integrations") == sorted(ranks("integrations"))
        assert ranks("integrations")[0] == 1
        await pilot.press("n")  # the figure's own key again: worst first
        assert ranks("integrations") == sorted(ranks("integrations"), reverse=True)
        await pilot.press("s")  # next column, best first again (the reversal does not stick)
        assert pane.current_sort == "apprenticeships"
        assert not pane.sort_reverse
        await pilot.press("S")  # and back
        assert pane.current_sort == "integrations"
        await pilot.press("s")  # next column: apprenticeships
        assert pane.current_sort == "apprenticeships"
        # filters: state (f) cycles through the states from the user's own (Kreis Offenbach: HE)
        await pilot.press("f")
        assert {r["state"] for r in pane.visible_rows()} == {"HE"}
        assert table.row_count == len(pane.visible_rows()) < 407
        await pilot.press("f")
        assert {r["state"] for r in pane.visible_rows()} == {"HH"}
        await pilot.press("b")
        assert {r["carrier"] for r in pane.visible_rows()} <= {"gE"}
        pane.filters = {}
        pane.refill()
        # quick text filter
        await pilot.press("slash")
        await pilot.press(*"offenb")
        await pilot.press("enter")
        names = [r["name"] for r in pane.visible_rows()]
        assert sorted(names) == ["Kreis Offenbach", "Stadt Offenbach am Main"]
        # mark both with space, then the chart shows them
        table.cursor_row = 0
        await pilot.press("space")
        await pilot.press("space")
        assert app.dashboard.marked == frozenset({"06438", "06888"})
        assert app.seen_of(MarksChanged)
        await pilot.press("3")
        chart = app.query_one("#chart-pane", ChartPane)
        assert sorted(chart.jobcenter_ids) == ["06438", "06888"]
        plot = await plot_of(pilot, app)
        assert "Kreis Offenbach" in plot
        assert "Stadt Offenbach am Main" in plot
        # Enter on a row opens its overview
        await pilot.press("2")
        table.cursor_row = 1
        await pilot.press("enter")
        assert app.seen_of(JobcenterChosen)
        assert app.query_one(TabbedContent).active == "overview"
        assert app.jobcenter_id == table.keys[1]


async def test_compare_header_click_sorts_and_the_screen_follows() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        pane, table = await open_compare(pilot, app)
        footer = app.query_one("#compare-footer")

        def screen_line(y: int) -> str:
            return table.render_line(y).text

        def header_x(key: str) -> int:  # inside the column's header cell
            at = [k for k, _ in pane.columns()].index(key)
            return sum(c.width + 1 for c in table.columns[:at]) + 2

        await pilot.click(table, offset=(header_x("rate:k2"), 0))  # K2: in view at 80
        await pilot.pause()
        assert pane.current_sort == "rate:k2"
        values = [r["rate:k2"] for r in pane.visible_rows() if r["rate:k2"] is not None]
        assert values == sorted(values, reverse=True)  # a level: ranked by its value
        top = pane.visible_rows()[0]["name"]
        assert top in screen_line(1)
        assert "▼" in screen_line(0)
        assert str(footer.render()).startswith("Integration rate (K2): Group mean")
        # the same header again (now beside the name): worst first
        await pilot.click(table, offset=(header_x("rate:k2"), 0))
        await pilot.pause()
        assert pane.visible_rows()[0]["rate:k2"] == min(values)
        assert "▲" in screen_line(0)
        # sideways: the name and the sorted block stay, the first column after them leaves
        assert "Integr" in screen_line(0)
        await pilot.press("right")
        await pilot.pause()
        assert "Integr" not in screen_line(0)
        assert "K2" in screen_line(0)
        assert pane.visible_rows()[0]["name"][:15] in screen_line(1)
        # a click on a row moves the cursor there
        await pilot.click(table, offset=(5, 3))
        assert table.cursor_row == 2


async def test_chart_keys_change_figure_span_and_scale() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("3")
        chart = app.query_one(ChartPane)
        assert len((await chart_line(pilot, chart, "Kreis Offenbach")).ys) == 24  # two years
        await pilot.press("p")
        assert len((await chart_line(pilot, chart, "Kreis Offenbach")).ys) == 60  # five years
        await pilot.press("m")
        assert chart.metric == "apprenticeships"
        await pilot.press("a")
        assert [line.label for line in (await chart_lines(pilot, chart))] == [  # no average
            "Kreis Offenbach",
            "Kreis Offenbach: Projection",
            "Target per month",
        ]
        await pilot.press("e")
        assert (
            max((await chart_line(pilot, chart, "Kreis Offenbach")).ys) < 100
        )  # per 1,000 ELB, not counts
        assert "per 1,000 ELB" in str(app.query_one("#chart-title").render())


async def test_chart_draws_the_target_and_the_projected_path_of_the_year() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("3")
        chart = app.query_one(ChartPane)
        data = await chart_drawn(pilot, chart)
        assert data is not None
        assert data.periods[-1] == dt.date(2018, 12, 1)  # the axis runs to the year's end
        path = await chart_line(pilot, chart, "Kreis Offenbach: Projection")
        months = [data.periods[x] for x in path.xs]
        assert months == [dt.date(2018, m, 1) for m in (10, 11, 12)]
        # from October's 353 on, last year's November and December (336, 309) scaled by
        # Jan-Oct 2018 / Jan-Oct 2017 = 3,658 / 3,591
        assert path.ys == pytest.approx((353, 336 * 3658 / 3591, 309 * 3658 / 3591))
        target = await chart_line(
            pilot, chart, "Target per month"
        )  # 4,400 in the year: a twelfth a month
        assert [data.periods[x] for x in target.xs] == [dt.date(2018, m, 1) for m in range(1, 13)]
        assert target.ys == pytest.approx([4400 / 12] * 12)
        await pilot.press("m", "m")  # ELB, a stock: the target is the level
        assert set((await chart_line(pilot, chart, "Target")).ys) == {15130}
        await pilot.pause(0.2)
        plot = await plot_of(pilot, app)
        assert "Projection" in plot
        assert "Nov 18" in plot  # ticks every six months from Nov 16: into the projection


async def test_chart_axis_numbers_follow_the_ui_language() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("3", "m", "m")  # people on benefits (ELB): five-digit numbers
        assert app.query_one("#chart-pane", ChartPane).metric == "elb"
        await pilot.pause(0.2)
        plot = await plot_of(pilot, app)
        axis = re.findall(r"^ *([\d.,]+)┤", plot, flags=re.MULTILINE)
        assert len(axis) >= 3
        assert all(re.fullmatch(r"\d{1,3}(,\d{3})+", label) for label in axis), axis
        await pilot.press("l")  # German: 14.500, not 14,500
        await pilot.pause(0.2)
        plot = await plot_of(pilot, app)
        axis = re.findall(r"^ *([\d.,]+)┤", plot, flags=re.MULTILINE)
        assert all(re.fullmatch(r"\d{1,3}(\.\d{3})+", label) for label in axis), axis


async def test_small_counts_leave_gaps_in_sparklines_and_charts() -> None:
    import dataclasses

    from jctui.config import demo_source

    # without targets: an agreed target is no count and would be drawn
    config = dataclasses.replace(
        load_config(None), small_count_threshold=1000, sources=(demo_source(),)
    )
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        # Kreis Offenbach's monthly integrations are all below 1,000: nothing to draw,
        # neither the months nor their projection
        assert set(app.session.lookups.sparks[("06438", "integrations")]) == {None}
        # head, figure, change, ranks, the group and the state (its count withheld), ...
        lines = tile(app, "integrations").splitlines()
        assert "Hessen *" in lines[4]
        assert lines[5].strip() == ""  # ... the sparkline row
        await pilot.press("3", "a")  # chart of Offenbach alone
        assert (await chart_lines(pilot, app.query_one(ChartPane))) == ()  # every value withheld
        plot = await plot_of(pilot, app)
        assert not re.search("[\u2801-\u28ff]", plot)  # no braille dots: no line drawn


async def test_warnings_screen_lists_the_stated_figure_check() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("4")
        table = app.query_one("#warnings-table", WarningsTable)
        rows = [[str(c) for c in table.row_cells(key)] for key in table.keys]
        assert app.figures is not None
        assert table.row_count == len(app.figures.warnings)
        stated = [r for r in rows if r[2] == "stated figure"]
        assert stated
        assert stated[0][0] == "Kreis Offenbach"
        assert "the data give 361.5" in stated[0][3]
        assert stated[0][4] == "Integrations"
        assert "Kreis Offenbach" in table.render_line(1 + rows.index(stated[0])).text
        await pilot.press("down", "down")
        detail = str(app.query_one("#warnings-detail").render())
        assert detail.startswith(f"{rows[2][0]} · {rows[2][1]} · {rows[2][4]}: {rows[2][3]}")
        chosen = table.cursor_key
        await pilot.press("l")  # the screen is rebuilt in German: the cursor stays
        assert table.cursor_key == chosen
        assert table.cursor_row == 2
        table.cursor_row = rows.index(stated[0])
        await pilot.press("enter")  # opens the overview of the warning's Jobcenter
        assert app.query_one(TabbedContent).active == "overview"
        assert app.jobcenter_id == "06438"


async def test_check_lists_the_warnings_the_dashboard_lists(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One definition of a warning: `jctui check` counts and lists what screen 4 shows."""
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("4")
        table = app.query_one("#warnings-table", WarningsTable)
        listed = [str(table.row_cells(key)[0]) for key in table.keys]
    assert listed
    assert main(["check", "--lang", "en", "--limit", "1000"]) == 0
    out = capsys.readouterr().out
    assert f"warnings:   {len(listed)}\n" in out
    section = out.split("warnings (as on the dashboard's warnings screen):")[1]
    items = [line.strip() for line in section.splitlines() if line.startswith("  ")]
    assert sorted(item.split(" (")[0] for item in items) == sorted(listed)
    assert out.rstrip().endswith(
        f"OK: no problems found; {len(listed)} warnings to look at (listed above)"
    )


async def test_warnings_screen_shows_the_whole_message_at_80_columns() -> None:
    """The message column is cut at 80x24; the line below the table gives the whole message
    of the warning under the cursor, wrapped, key figures first."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("4")
        table = app.query_one("#warnings-table", WarningsTable)
        stated = next(key for key in table.keys if str(table.row_cells(key)[2]) == "stated figure")
        table.cursor_row = table.keys.index(stated)
        await pilot.pause()
        detail = app.query_one("#warnings-detail")
        rendered = " ".join(
            line.text.strip() for line in detail.render_lines(detail.region.reset_offset)
        )
        assert detail.region.width == 80
        assert "the data give 361.5, stated 310" in rendered
        assert "Pressemitteilung 11/2018" in rendered  # wrapped, not cut


async def test_command_palette_finds_a_jobcenter_by_part_of_its_name() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"wuppertal")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.session.registry_row(app.jobcenter_id)["name"] == "Stadt Wuppertal"
        assert "Stadt Wuppertal" in str(app.query_one("#overview-title").render())


async def test_command_palette_runs_the_screens_actions() -> None:
    """ "Compare" in the palette shows the compare tab (an action of the dashboard screen)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"Compare")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.query_one(TabbedContent).active == "compare"


async def test_strings_from_data_are_shown_literally(tmp_path: Path) -> None:
    data = tmp_path / "evil.csv"
    rows = ["jobcenter_id,period,metric,value,name,state,carrier"]
    rows += [
        f'X1,2018-{m:02d},integrations,{m},"[bold red]X[/] \x1b[2J",HE,zkT' for m in range(1, 13)
    ]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    app = make_app(load_config(None).with_source(str(data)), as_of=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app, None)
        title = str(app.query_one("#overview-title").render())
        assert "[bold red]X[/] ?[2J" in title
        _, table = await open_compare(pilot, app)
        assert str(table.row_cells(table.keys[0])[1]) == "[bold red]X[/] ?[2J"


async def test_unreadable_source_shows_error_state_and_does_not_crash(tmp_path: Path) -> None:
    app = make_app(load_config(None).with_source(str(tmp_path / "missing.csv")), as_of=None)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
            if app.seen_of(LoadFailed):
                break
        await pilot.pause(0.1)
        assert app.seen_of(LoadFailed)
        assert "error" in header(app)
        assert "missing.csv: file not found" in header(app)
        await pilot.press(
            "2", "3", "4", "1", "left_square_bracket"
        )  # nothing to show, nothing breaks


async def test_refresh_keeps_data_and_goes_back_to_fresh() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        before = len(app.seen_of(DataLoaded))
        states: list[str] = []
        app.watch(
            app.query_one(StatusHeader), "state", lambda value: states.append(value), init=False
        )
        await pilot.press("r")
        for _ in range(100):
            await pilot.pause(0.05)
            if len(app.seen_of(DataLoaded)) > before:
                break
        await pilot.pause(0.2)
        assert states == ["refreshing", "fresh"]
        assert "updated" in header(app)
        assert app.figures is not None
        assert app.figures.as_of == AS_OF  # the month the user chose is kept


async def test_refresh_requests_in_a_burst_are_merged() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        before = len(app.seen_of(DataLoaded))
        cycles_before = len(app.seen_of(RefreshState))
        for _ in range(5):  # five requests before the worker got going (r, timer, watcher)
            app.load_data()
        for _ in range(100):
            await pilot.pause(0.05)
            if not app.session.loop.queue.running:
                break
        await pilot.pause(0.2)
        assert len(app.seen_of(RefreshState)) - cycles_before == 1  # merged into one refresh
        assert len(app.seen_of(DataLoaded)) == before  # the same data: nothing to recompute
        assert "updated" in header(app)


async def test_figures_of_an_older_request_that_finish_late_are_not_shown() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        data = app.session.data
        assert data is not None
        shown = app.figures
        late = app.session.compute(dt.date(2018, 5, 1), app.session.months.seq - 1)
        app.dashboard.post_message(FiguresReady(late))  # the screen computes and shows
        await pilot.pause(0.2)
        assert app.figures is shown
        assert "Oct 2018" in header(app)
        await pilot.press("left_square_bracket")  # a real step back still works
        await ready(pilot, app, dt.date(2018, 9, 1))
        assert "Sep 2018" in header(app)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_layout_holds_at_small_and_large_sizes(size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await ready(pilot, app)
        tiles = list(app.query(MetricTile))
        assert len(tiles) == 6
        for t in tiles:
            assert t.region.width >= 20
            assert t.region.right <= size[0]
        if size == (200, 60):
            assert len({t.region.y for t in tiles}) <= 2  # the room is used: tiles side by side


async def test_tiles_show_target_progress_and_projection_at_80x24() -> None:
    """Kreis Offenbach, October 2018, demo targets: 4,400 integrations. Jan-Oct 3,658 is
    83% of it; the year ends at 3,658 + (336 + 309, Nov and Dec 2017) x 3,658 / 3,591
    (Jan-Oct 2017) = 4,315.0, short of the target (red)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        text = tile(app, "integrations")
        # compact: the tile is 23 columns wide (its padding given to the text), in words
        assert "Tgt 4,400 off track -85" in text
        widget = app.query_one("#tile-integrations", MetricTile)
        assert widget.data is not None
        last = widget.target_line(widget.data, 80)  # the whole line where the tile is wide
        assert last is not None
        assert last.plain == "Target 4,400 | 83% | ends 4,315 | off track: -85"
        assert "red" in str(last.style)  # off track
        assert "Tgt on track +0.7 pts" in tile(app, "k2")  # a rate, from its projected parts
        await pilot.press("l")
        await pilot.pause()
        assert "Ziel nicht auf Kurs -85" in tile(app, "integrations")  # German keeps "Ziel"


async def test_config_target_for_everybody_and_small_counts_hidden() -> None:
    import dataclasses

    from jctui.config import demo_source

    config = load_config(None)
    metrics = dict(config.metrics)
    metrics["integrations"] = dataclasses.replace(metrics["integrations"], target=5000)
    config = dataclasses.replace(
        config, metrics=metrics, small_count_threshold=100_000, sources=(demo_source(),)
    )
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        text = tile(app, "integrations")
        # the one target of the config, for every Jobcenter; progress (YTD / 5,000) and
        # the projection would give the withheld counts back
        assert "Target 5,000 | * | ends *" in text
        assert "4,303" not in text  # below the (absurd) threshold: suppressed ...
        assert "*  12 mo *" in text  # ... and shown as "*"
        assert "+2.0%" not in text  # nor revealed by its change
        await pilot.press("c")  # nor by the copied line
        assert "4,303" not in app.clipboard
        assert "+2.0%" not in app.clipboard
        assert "12 months *" in app.clipboard


async def test_copy_key_puts_the_focused_figure_on_the_clipboard_with_its_context() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert isinstance(app.focused, MetricTile)  # a figure has the focus from the start
        await pilot.press("c")
        assert app.clipboard == (
            "Kreis Offenbach, October 2018: Integrations 353; 12 months 4,303 (+2.0%)"
            " (Demo data, synthetic figures)"
        )
        await pilot.press("l", "tab", "c")  # German, next figure
        assert app.clipboard.startswith("Kreis Offenbach, Oktober 2018: Ausbildungsvermittlungen")
        assert app.clipboard.endswith("(Demodaten, synthetische Zahlen)")
        await pilot.press("2", "c")  # the compare table is not a figure: nothing copied, a hint
        assert "Ausbildungsvermittlungen" in app.clipboard


async def test_screenshot_key_saves_an_svg_and_says_where(tmp_path: Path) -> None:
    import dataclasses

    config = dataclasses.replace(load_config(None), screenshot_dir=str(tmp_path / "shots"))
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        files = list((tmp_path / "shots").glob("*.svg"))
        assert len(files) == 1
        assert "Demo data" in files[0].read_text(encoding="utf-8").replace("&#160;", " ")
        assert any(str(files[0]) in text for _, text in app.notices)


async def test_compare_sorts_comparison_types_as_people_count_them() -> None:
    """Sorted by type: Ia, Ib, ..., IIa, ..., IIIe, as the g filter steps them (not IIIa
    before IIa, the order of the letters)."""
    from jctui.ui.widgets.compare_table import natural_order

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot, app)
        pane, _ = await open_compare(pilot, app)
        while pane.current_sort != "comparison_type":
            await pilot.press("s")
        await pilot.pause(0.1)
        types = [r["comparison_type"] for r in pane.visible_rows()]
        ascending = sorted(types, key=natural_order)
        assert types in (ascending, ascending[::-1])
        assert sorted(set(types), key=natural_order)[:3] == ["Ia", "Ib", "Ic"]


async def test_the_chart_lines_are_computed_in_a_worker_not_when_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Drawing only draws: the lines (a Polars query) come from the screen's worker."""
    import threading

    from jctui.session.chart import ChartSource

    threads: list[bool] = []  # per query: on the UI thread?
    query = ChartSource.data

    def recorded(self: ChartSource, *args: Any) -> ChartData:
        threads.append(threading.current_thread() is threading.main_thread())
        return query(self, *args)

    monkeypatch.setattr(ChartSource, "data", recorded)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("3", "p")
        assert "Kreis Offenbach" in await plot_of(pilot, app)
        asked = len(threads)
        for _ in range(3):  # redrawn, never queried again
            app.query_one("#chart-plot").refresh()
            await pilot.pause(0.05)
        assert asked
        assert len(threads) == asked
        assert not any(threads)
