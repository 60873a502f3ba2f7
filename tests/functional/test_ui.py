"""The dashboard driven by keys (Textual's Pilot): what a manager sees after each key press."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList, CommandPalette
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
from tests.functional.figure_stores import with_demo_store

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


async def until(
    pilot: Pilot[None], condition: Callable[[], bool], what: str, seconds: float = 10
) -> None:
    """Let the app run until `condition` holds (at most `seconds`): a wait for what a person
    would wait for, not a fixed sleep. `what`: what the user would see wrong otherwise."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        await asyncio.sleep(0.02)  # not pilot.pause: that drains every widget's queue
    await pilot.pause()  # the screens updated from the new state


async def palette_choose(pilot: Pilot[None], app: JctuiApp, text: str) -> None:
    """Ctrl+P, type `text`, Enter once the palette has listed its matches for it."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette), "Ctrl+P opens no palette")
    await pilot.press(*text)
    palette = app.screen
    hits = palette.query_one(CommandList)

    def listed() -> bool:
        searching = any(
            w.is_running and w.group == CommandPalette._GATHER_COMMANDS_GROUP for w in app.workers
        )
        return (
            not searching
            and hits.option_count > 0
            and text.lower() in str(hits.get_option_at_index(0).prompt).lower()
        )

    await until(pilot, listed, f"the palette lists nothing for {text!r}")
    await pilot.press("enter")


async def test_overview_at_80x24_in_english_then_german() -> None:
    """Start-up on the demo data: Kreis Offenbach in October 2018, its tiles (figures, ranks,
    targets), the layout at 80x24 and the copy key; then `l`: the same in German."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        focused = app.focused
        assert isinstance(focused, MetricTile), "no figure has the focus at start (c, i need Tab)"
        # loaded: from the demo's figure store before the screen was made (no DataLoaded)
        assert app.session.data is not None, "the demo data were never loaded"
        assert app.session.data.from_store, "the data were not read from the figure store"
        assert app.seen_of(FiguresShown), "the screen never showed the figures"
        assert app.jobcenter_id == "06438", "not Kreis Offenbach at start"
        title = str(app.query_one("#overview-title").render())
        assert "Kreis Offenbach" in title, f"overview title: {title!r}"
        text = header(app)
        assert "Demo data, synthetic figures" in text, f"header does not say demo: {text!r}"
        assert "Oct 2018" in text, f"header not at the as-of month: {text!r}"
        assert "updated" in text, f"header gives no update time: {text!r}"
        integrations = tile(app, "integrations")
        assert "Integrations" in integrations, integrations
        assert "4,303" in integrations, f"not the 12-month sum: {integrations}"
        row = app.session.lookups.metrics["06438"]["integrations"]
        rank = f"#{row['rank']}/{row['rank_of']}"
        assert rank in integrations, f"no rank among all {rank}: {integrations}"
        group = f"{row['group_rank']}/{row['group_rank_of']} IIb"
        assert group in integrations, f"no rank in the comparison type {group}: {integrations}"
        lzb = tile(app, "long_term_recipients")
        assert "8,989" in lzb, f"long-term recipients: {lzb}"
        assert "-4.8%" in lzb, f"long-term recipients' change: {lzb}"
        assert "28.4%" in tile(app, "k2"), f"K2: {tile(app, 'k2')}"

        # the layout holds at 80x24: six tiles, none too narrow, none cut at the right
        tiles = list(app.query(MetricTile))
        assert len(tiles) == 6, f"{len(tiles)} tiles at 80x24"
        for t in tiles:
            assert t.region.width >= 20, f"tile {t.key} {t.region.width} columns wide"
            assert t.region.right <= 80, f"tile {t.key} cut at the right: {t.region}"

        # Kreis Offenbach, October 2018, demo targets: 4,400 integrations. Jan-Oct 3,658 is
        # 83% of it; the year ends at 3,658 + (336 + 309, Nov and Dec 2017) x 3,658 / 3,591
        # (Jan-Oct 2017) = 4,315.0, short of the target (red).
        integrations = tile(app, "integrations")
        # compact: the tile is 23 columns wide (its padding given to the text), in words
        assert "Tgt 4,400 off track -85" in integrations, f"target line: {integrations}"
        widget = app.query_one("#tile-integrations", MetricTile)
        assert widget.data is not None
        last = widget.target_line(widget.data, 80)  # the whole line where the tile is wide
        assert last is not None, "a wide tile has no target line"
        assert last.plain == "Target 4,400 | 83% | ends 4,315 | off track: -85", last.plain
        assert "red" in str(last.style), f"off track but not red: {last.style}"
        k2 = tile(app, "k2")  # a rate, from its projected parts
        assert "Tgt on track +0.7 pts" in k2, f"K2's target line: {k2}"

        await pilot.press("c")  # the focused figure (the first) to the clipboard
        assert app.clipboard == (
            "Kreis Offenbach, October 2018: Integrations 353; 12 months 4,303 (+2.0%)"
            " (Demo data, synthetic figures)"
        ), f"copied: {app.clipboard!r}"

        await pilot.press("l")
        await pilot.pause(0.1)
        assert app.lang == "de", "l does not switch to German"
        integrations = tile(app, "integrations")
        assert "Integrationen" in integrations, f"label not German: {integrations}"
        assert "4.303" in integrations, f"number not in German form: {integrations}"
        assert "+2,0 %" in integrations, f"change not in German form: {integrations}"
        assert "Ziel nicht auf Kurs -85" in integrations, f"German target: {integrations}"
        assert "Demodaten, synthetische Zahlen" in header(app), header(app)
        compare_label = str(app.query_one(TabbedContent).get_tab("compare").label)
        assert compare_label == "Vergleich", f"tab label: {compare_label!r}"

        await pilot.press("tab", "c")  # the next figure, copied in German
        assert app.clipboard.startswith(
            "Kreis Offenbach, Oktober 2018: Ausbildungsvermittlungen"
        ), f"copied: {app.clipboard!r}"
        assert app.clipboard.endswith("(Demodaten, synthetische Zahlen)"), app.clipboard
        await pilot.press("2", "c")  # the compare table is not a figure: nothing copied, a hint
        assert "Ausbildungsvermittlungen" in app.clipboard, f"copied: {app.clipboard!r}"


async def test_keys_clicks_help_palette_theme_and_info_at_80x24() -> None:
    """The number keys, a click on a compare header (sorts; the screen follows), the help,
    the themes, the whole warning message under the warnings table, the command palette (a
    screen's action, a Jobcenter by part of its name), `i` in the UI language."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        tabs = app.query_one(TabbedContent)
        for key, tab in (("2", "compare"), ("3", "chart"), ("4", "warnings"), ("1", "overview")):
            await pilot.press(key)
            assert tabs.active == tab, f"key {key} shows {tabs.active}, not {tab}"

        # a click on a compare header sorts by it, and the screen follows
        pane, table = await open_compare(pilot, app)
        footer = app.query_one("#compare-footer")

        def screen_line(y: int) -> str:
            return table.render_line(y).text

        def header_x(key: str) -> int:  # inside the column's header cell
            at = [k for k, _ in pane.columns()].index(key)
            return sum(c.width + 1 for c in table.columns[:at]) + 2

        await pilot.click(table, offset=(header_x("rate:k2"), 0))  # K2: in view at 80
        await pilot.pause()
        assert pane.current_sort == "rate:k2", f"a click on K2 sorts by {pane.current_sort}"
        values = [r["rate:k2"] for r in pane.visible_rows() if r["rate:k2"] is not None]
        assert values == sorted(values, reverse=True), "K2 (a level) not ranked by its value"
        top = pane.visible_rows()[0]["name"]
        assert top in screen_line(1), f"the top row {top!r} is not on screen: {screen_line(1)!r}"
        assert "▼" in screen_line(0), f"no sort mark in the header: {screen_line(0)!r}"
        said = str(footer.render())
        assert said.startswith("Integration rate (K2): Group mean"), f"footer: {said!r}"
        # the same header again (now beside the name): worst first
        await pilot.click(table, offset=(header_x("rate:k2"), 0))
        await pilot.pause()
        assert pane.visible_rows()[0]["rate:k2"] == min(values), "a second click: not worst first"
        assert "▲" in screen_line(0), f"no reversed sort mark: {screen_line(0)!r}"
        # sideways: the name and the sorted block stay, the first column after them leaves
        assert "Integr" in screen_line(0), f"header: {screen_line(0)!r}"
        await pilot.press("right")
        await pilot.pause()
        assert "Integr" not in screen_line(0), f"right did not scroll: {screen_line(0)!r}"
        assert "K2" in screen_line(0), f"the sorted column left the screen: {screen_line(0)!r}"
        name = pane.visible_rows()[0]["name"][:15]
        assert name in screen_line(1), f"the name left the screen: {screen_line(1)!r}"
        # a click on a row moves the cursor there
        await pilot.click(table, offset=(5, 3))
        assert table.cursor_row == 2, f"a click on row 2 puts the cursor on {table.cursor_row}"

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen), "? opens no help"
        keys = [k for k, _ in app.screen.rows]
        for key in ("1", "2", "3", "4", "[", "]", "?", "i", "l", "t", "r", "q", "Ctrl+P"):
            assert key in keys, f"the help does not list {key}"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen), "Escape does not close the help"

        seen = [app.theme]
        for _ in range(3):
            await pilot.press("t")
            seen.append(app.theme)
        expected = ["textual-dark", "jctui-light", "jctui-high-contrast", "textual-dark"]
        assert seen == expected, f"t cycles through {seen}"

        # the message column is cut at 80x24; the line below the table gives the whole
        # message of the warning under the cursor, wrapped, key figures first
        await pilot.press("4")
        table = app.query_one("#warnings-table", WarningsTable)
        stated = next(key for key in table.keys if str(table.row_cells(key)[2]) == "stated figure")
        table.cursor_row = table.keys.index(stated)
        await pilot.pause()
        detail = app.query_one("#warnings-detail")
        rendered = " ".join(
            line.text.strip() for line in detail.render_lines(detail.region.reset_offset)
        )
        assert detail.region.width == 80, f"detail {detail.region.width} columns wide"
        assert "the data give 361.5, stated 310" in rendered, f"detail: {rendered!r}"
        assert "Pressemitteilung 11/2018" in rendered, f"detail cut, not wrapped: {rendered!r}"

        # "Compare" in the palette shows the compare tab (an action of the dashboard screen)
        await palette_choose(pilot, app, "Compare")
        await until(pilot, lambda: tabs.active == "compare", "the palette's Compare does nothing")
        # a Jobcenter by part of its name
        await palette_choose(pilot, app, "wuppertal")
        await until(
            pilot,
            lambda: app.session.registry_row(app.jobcenter_id)["name"] == "Stadt Wuppertal",
            "the palette does not open Stadt Wuppertal",
        )
        await pilot.pause()
        title = str(app.query_one("#overview-title").render())
        assert "Stadt Wuppertal" in title, f"overview title: {title!r}"

        app.query_one("#tile-k2", MetricTile).focus()
        await pilot.press("i")
        assert isinstance(app.screen, InfoScreen), "i opens no explanation"
        text = app.screen.text.plain
        assert "Integration rate (K2)" in text, f"not K2's explanation: {text!r}"
        assert "t-12..t-1" in text, f"no window in the explanation: {text!r}"
        await pilot.press("escape")
        app.lang = "de"
        app.query_one("#tile-elb", MetricTile).focus()
        await pilot.press("i")
        assert isinstance(app.screen, InfoScreen), "i opens no explanation"
        text = app.screen.text.plain
        assert "Bestandsgröße" in text, f"not in German: {text!r}"
        assert "niedriger ist besser" in text, f"not in German: {text!r}"


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


async def test_refresh_late_figures_and_time_travel() -> None:
    """`r` keeps the data and goes back to fresh; a burst of refresh requests is one
    refresh; figures of an older request that finish late are not shown; `[` and `]` step
    the months (the header says "not latest month") and stop at the newest."""
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
        assert states == ["refreshing", "fresh"], f"the header went through {states} after r"
        assert "updated" in header(app), f"no update time after r: {header(app)!r}"
        assert app.figures is not None, "r lost the figures"
        assert app.figures.as_of == AS_OF, "r lost the month the user chose"

        before = len(app.seen_of(DataLoaded))
        cycles_before = len(app.seen_of(RefreshState))
        for _ in range(5):  # five requests before the worker got going (r, timer, watcher)
            app.load_data()
        for _ in range(100):
            await pilot.pause(0.05)
            if not app.session.loop.queue.running:
                break
        await pilot.pause(0.2)
        cycles = len(app.seen_of(RefreshState)) - cycles_before
        assert cycles == 1, f"a burst of five refresh requests ran {cycles} refreshes"
        loads = len(app.seen_of(DataLoaded)) - before
        assert loads == 0, f"the same data loaded again {loads} times (recomputed)"
        assert "updated" in header(app), f"no update time after the burst: {header(app)!r}"

        data = app.session.data
        assert data is not None
        shown = app.figures
        late = app.session.compute(dt.date(2018, 5, 1), app.session.months.seq - 1)
        app.dashboard.post_message(FiguresReady(late))  # the screen computes and shows
        await pilot.pause(0.2)
        assert app.figures is shown, "figures of an older request replaced the shown ones"
        assert "Oct 2018" in header(app), f"a late older month shown: {header(app)!r}"

        await pilot.press("left_square_bracket")  # a real step back still works
        await ready(pilot, app, dt.date(2018, 9, 1))
        assert "Sep 2018" in header(app), f"[ did not step to Sep 2018: {header(app)!r}"
        assert "not latest month" in header(app), f"no 'not latest month': {header(app)!r}"
        for _ in range(9):
            await pilot.press("left_square_bracket")
            await pilot.pause(0.05)
        await ready(pilot, app, dt.date(2017, 12, 1))
        integrations = tile(app, "integrations")  # 2017's placements in the 12-month figure
        assert "4,236" in integrations, f"December 2017's 12 months: {integrations}"
        await pilot.press("right_square_bracket")
        await ready(pilot, app, dt.date(2018, 1, 1))
        for _ in range(20):  # beyond the newest month: stays at the latest
            await pilot.press("right_square_bracket")
        await ready(pilot, app, AS_OF)
        assert "not latest month" not in header(app), f"at the newest month: {header(app)!r}"


async def test_chart_lines_from_a_worker_and_the_chart_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The chart's keys change the figure (m), the span (p), the average (a) and the scale
    (e); drawing only draws: the lines (a Polars query) come from the screen's worker."""
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
        await pilot.press("3")
        chart = app.query_one(ChartPane)
        points = len((await chart_line(pilot, chart, "Kreis Offenbach")).ys)
        assert points == 24, f"the chart starts with {points} months, not two years"
        await pilot.press("p")
        points = len((await chart_line(pilot, chart, "Kreis Offenbach")).ys)
        assert points == 60, f"p shows {points} months, not five years"
        assert "Kreis Offenbach" in await plot_of(pilot, app), "the chart draws no Offenbach"
        asked = len(threads)
        for _ in range(3):  # redrawn, never queried again
            app.query_one("#chart-plot").refresh()
            await pilot.pause(0.05)
        assert asked, "the chart's lines were never queried"
        assert len(threads) == asked, "a redraw queried the lines again"
        await pilot.press("m")
        assert chart.metric == "apprenticeships", f"m shows {chart.metric}"
        await pilot.press("a")
        labels = [line.label for line in (await chart_lines(pilot, chart))]
        assert labels == [  # no average
            "Kreis Offenbach",
            "Kreis Offenbach: Projection",
            "Target per month",
        ], f"a leaves the lines {labels}"
        await pilot.press("e")
        top = max((await chart_line(pilot, chart, "Kreis Offenbach")).ys)
        assert top < 100, f"e: {top} is a count, not per 1,000 ELB"
        title = str(app.query_one("#chart-title").render())
        assert "per 1,000 ELB" in title, f"chart title: {title!r}"
        assert threads, "the chart's lines were never queried"
        assert not any(threads), "the chart's lines were queried on the UI thread"


async def test_chart_draws_target_and_projection_and_axis_numbers_in_the_ui_language() -> None:
    """The target and the projected path of the year in the chart; the axis numbers in the
    UI language (14,500 in English, 14.500 in German)."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("3")
        chart = app.query_one(ChartPane)
        data = await chart_drawn(pilot, chart)
        assert data is not None, "the chart was never drawn"
        last = data.periods[-1]
        assert last == dt.date(2018, 12, 1), f"the axis ends at {last}, not the year's end"
        path = await chart_line(pilot, chart, "Kreis Offenbach: Projection")
        months = [data.periods[x] for x in path.xs]
        assert months == [dt.date(2018, m, 1) for m in (10, 11, 12)], f"projection: {months}"
        # from October's 353 on, last year's November and December (336, 309) scaled by
        # Jan-Oct 2018 / Jan-Oct 2017 = 3,658 / 3,591
        expected = (353, 336 * 3658 / 3591, 309 * 3658 / 3591)
        assert path.ys == pytest.approx(expected), f"projected path {path.ys}"
        # 4,400 in the year: a twelfth a month
        target = await chart_line(pilot, chart, "Target per month")
        months = [data.periods[x] for x in target.xs]
        assert months == [dt.date(2018, m, 1) for m in range(1, 13)], f"target months {months}"
        assert target.ys == pytest.approx([4400 / 12] * 12), f"target per month {target.ys}"
        await pilot.press("m", "m")  # ELB, a stock: the target is the level
        assert chart.metric == "elb", f"m m shows {chart.metric}, not people on benefits"
        levels = set((await chart_line(pilot, chart, "Target")).ys)
        assert levels == {15130}, f"ELB's target drawn at {levels}"
        await pilot.pause(0.2)
        plot = await plot_of(pilot, app)
        assert "Projection" in plot, "the plot has no projection"
        assert "Nov 18" in plot, "no tick into the projection"  # every six months from Nov 16
        # people on benefits (ELB): five-digit numbers, in English 14,500
        axis = re.findall(r"^ *([\d.,]+)┤", plot, flags=re.MULTILINE)
        assert len(axis) >= 3, f"axis labels {axis}"
        assert all(re.fullmatch(r"\d{1,3}(,\d{3})+", label) for label in axis), axis
        await pilot.press("l")  # German: 14.500, not 14,500
        await pilot.pause(0.2)
        plot = await plot_of(pilot, app)
        axis = re.findall(r"^ *([\d.,]+)┤", plot, flags=re.MULTILINE)
        assert axis, "no axis labels in German"
        assert all(re.fullmatch(r"\d{1,3}(\.\d{3})+", label) for label in axis), axis


async def test_warnings_screen_lists_what_check_lists_and_the_stated_figure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Screen 4 lists the stated-figure check of Kreis Offenbach, its detail line follows the
    cursor, the cursor stays when the language changes, Enter opens the warning's Jobcenter;
    and one definition of a warning: `jctui check` counts and lists what screen 4 shows."""
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("4")
        table = app.query_one("#warnings-table", WarningsTable)
        listed = [str(table.row_cells(key)[0]) for key in table.keys]
        rows = [[str(c) for c in table.row_cells(key)] for key in table.keys]
        assert app.figures is not None
        count = len(app.figures.warnings)
        assert table.row_count == count, f"{table.row_count} rows for {count} warnings"
        stated = [r for r in rows if r[2] == "stated figure"]
        assert stated, "no stated-figure warning listed"
        assert stated[0][0] == "Kreis Offenbach", f"stated figure of {stated[0][0]}"
        assert "the data give 361.5" in stated[0][3], f"message: {stated[0][3]!r}"
        assert stated[0][4] == "Integrations", f"figure: {stated[0][4]!r}"
        line = table.render_line(1 + rows.index(stated[0])).text
        assert "Kreis Offenbach" in line, f"the row on screen: {line!r}"
        await pilot.press("down", "down")
        detail = str(app.query_one("#warnings-detail").render())
        expected = f"{rows[2][0]} · {rows[2][1]} · {rows[2][4]}: {rows[2][3]}"
        assert detail.startswith(expected), f"detail {detail!r} is not of the third row"
        chosen = table.cursor_key
        await pilot.press("l")  # the screen is rebuilt in German: the cursor stays
        assert table.cursor_key == chosen, "the cursor moved when the language changed"
        assert table.cursor_row == 2, f"the cursor is on row {table.cursor_row}, not 2"
        table.cursor_row = rows.index(stated[0])
        await pilot.press("enter")  # opens the overview of the warning's Jobcenter
        tab = app.query_one(TabbedContent).active
        assert tab == "overview", f"Enter on a warning shows {tab}"
        assert app.jobcenter_id == "06438", f"Enter opened {app.jobcenter_id}"
    assert listed, "screen 4 lists no warnings"
    assert main(["check", "--lang", "en", "--limit", "1000"]) == 0
    out = capsys.readouterr().out
    assert f"warnings:   {len(listed)}\n" in out, f"check counts otherwise than screen 4: {out}"
    section = out.split("warnings (as on the dashboard's warnings screen):")[1]
    items = [line.strip() for line in section.splitlines() if line.startswith("  ")]
    assert sorted(item.split(" (")[0] for item in items) == sorted(listed), (
        "check lists other warnings than screen 4"
    )
    assert out.rstrip().endswith(
        f"OK: no problems found; {len(listed)} warnings to look at (listed above)"
    ), out


async def test_layout_uses_the_room_at_200x60() -> None:
    """At 200x60 the six tiles stand side by side (at most two rows), none cut or narrow
    (80x24: test_overview_at_80x24_in_english_then_german)."""
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await ready(pilot, app)
        tiles = list(app.query(MetricTile))
        assert len(tiles) == 6, f"{len(tiles)} tiles at 200x60"
        for t in tiles:
            assert t.region.width >= 20, f"tile {t.key} {t.region.width} columns wide"
            assert t.region.right <= 200, f"tile {t.key} cut at the right: {t.region}"
        rows = len({t.region.y for t in tiles})
        assert rows <= 2, f"tiles in {rows} rows: the room is not used"


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


async def test_screenshot_key_saves_an_svg_and_says_where(tmp_path: Path) -> None:
    import dataclasses

    config = dataclasses.replace(load_config(None), screenshot_dir=str(tmp_path / "shots"))
    with_demo_store()  # the screenshot folder is no part of the figures: the demo's store
    app = make_app(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(app.notices), "Ctrl+S says nothing")
        files = list((tmp_path / "shots").glob("*.svg"))
        assert len(files) == 1, f"Ctrl+S saved {files}"
        text = files[0].read_text(encoding="utf-8").replace("&#160;", " ")
        assert "Demo data" in text, "the saved SVG is not of the screen"
        assert any(str(files[0]) in text for _, text in app.notices), (
            f"the notice does not say where: {app.notices}"
        )
