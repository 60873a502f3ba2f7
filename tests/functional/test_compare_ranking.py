"""Against whom, in the compare table (Pilot): a key per figure sorts by it best first and
again reverses; `s`/`S` step on and back without a sticky reversal; the sort in words; your
row pinned in view; whole columns when scrolled sideways; the keys in the help."""

from __future__ import annotations

import datetime as dt
import re

from textual.pilot import Pilot

from jctui.config import Language, load_config
from jctui.presentation.ranking import sort_letters
from jctui.ui.app import JctuiApp
from jctui.ui.screens.help import HelpScreen, help_rows
from jctui.ui.widgets.compare_table import ComparePane, CompareTable
from tests.functional.figure_stores import with_demo_store

AS_OF = dt.date(2018, 10, 1)
OURS = "06438"  # Kreis Offenbach


def make_app(lang: Language = "en") -> JctuiApp:
    import dataclasses

    config = dataclasses.replace(load_config(None), language=lang)
    with_demo_store()
    return JctuiApp(config, as_of=AS_OF, today=dt.date(2026, 11, 25))


async def compare(pilot: Pilot[None], app: JctuiApp) -> tuple[ComparePane, CompareTable]:
    for _ in range(200):
        await pilot.pause(0.05)
        if app.figures is not None:
            break
    await pilot.press("2")
    await pilot.pause(0.05)
    return app.query_one(ComparePane), app.query_one(CompareTable)


def sort_line(app: JctuiApp) -> str:
    return str(app.query_one("#compare-sort").render())


def k2_values(pane: ComparePane) -> list[float]:
    return [r["rate:k2"] for r in pane.visible_rows() if r.get("rate:k2") is not None]


async def test_sorting_the_pinned_row_sideways_scrolling_and_the_rank_beside_the_name() -> None:
    """One compare table at 80x24, in the order a user might go: `s`/`S` step on and
    back best first each time; your row is pinned while out of view and a click there
    selects it; scrolling sideways never draws a fragment of a number; a figure's key
    sorts best first and again reverses; the sorted figure's rank and gaps stand beside
    the name."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pane, table = await compare(pilot, app)
        await s_steps_on_and_back_best_first_each_time(pilot, pane)
        await your_row_is_pinned_while_out_of_view_and_a_click_there_selects_it(pilot, table)
        await scrolling_sideways_never_draws_a_fragment_of_a_number(pilot, pane, table)
        await a_figures_key_sorts_best_first_and_again_reverses(pilot, app, pane, table)
        await the_sorted_figure_rank_and_gaps_stand_beside_the_name(pilot, pane, table)


async def s_steps_on_and_back_best_first_each_time(pilot: Pilot[None], pane: ComparePane) -> None:
    first = pane.current_sort
    await pilot.press("n")  # reverse the first figure (its key is n)
    assert pane.sort_reverse, "n did not reverse the sort by its figure"
    await pilot.press("s")
    second = pane.current_sort
    assert second != first, "s did not step on to the next figure"
    assert not pane.sort_reverse, "the reversal stuck to the next figure's sort"
    await pilot.press("S")
    assert pane.current_sort == first, "S did not step back"
    assert not pane.sort_reverse, "S stepped back to a reversed sort"
    steps = len(pane.spec.sortable())
    for _ in range(steps):  # round all the columns: back at the first
        await pilot.press("s")
    assert pane.current_sort == first, "s round all the figures did not come back"


async def your_row_is_pinned_while_out_of_view_and_a_click_there_selects_it(
    pilot: Pilot[None], table: CompareTable
) -> None:
    last = table.scrollable_content_region.height - 1
    row = table.keys.index(OURS)
    assert row > last  # further down than the screen ...
    pinned = table.render_line(last).text
    assert "Kreis Offenbach" in pinned, f"your row is not pinned in view: {pinned!r}"
    assert table.pinned_row() == row
    await pilot.click(table, offset=(5, last))
    assert table.cursor_key == OURS, "a click on the pinned row did not select it"
    assert table.pinned_row() is None  # scrolled to: in its place, no longer pinned
    await pilot.press("home")
    assert table.pinned_row() == row, "home did not pin your row again"
    assert "Kreis Offenbach" in table.render_line(last).text
    assert table.cursor_row == 0


async def scrolling_sideways_never_draws_a_fragment_of_a_number(
    pilot: Pilot[None], pane: ComparePane, table: CompareTable
) -> None:
    key = table.keys[0]
    whole = {cell.plain.strip() for cell in pane.row_cells(key)}
    fixed = sum(c.width + 1 for c in table.columns[: table.fixed])
    for x in range(0, 40, 3):  # mid-column offsets too (a mouse wheel's)
        table.scroll_to(x=x, animate=False, immediate=True)
        await pilot.pause()
        scrolled = table.render_line(1).text[fixed:]
        for token in scrolled.split():
            assert token in whole, (x, token, scrolled)
    table.scroll_to(x=0, animate=False, immediate=True)
    await pilot.pause()


async def a_figures_key_sorts_best_first_and_again_reverses(
    pilot: Pilot[None], app: JctuiApp, pane: ComparePane, table: CompareTable
) -> None:
    line = sort_line(app)
    assert line.startswith("sorted by Integrations (change on prev. yr), best first"), line
    await pilot.press("k")
    assert pane.current_sort == "rate:k2", "k did not sort by K2"
    assert k2_values(pane) == sorted(k2_values(pane), reverse=True), "K2 not best first"
    assert sort_line(app).startswith("sorted by K2, best first · k again: reverse")
    assert table.cursor_row == 0
    assert table.scroll_offset.y == 0
    await pilot.press("k")
    assert k2_values(pane) == sorted(k2_values(pane)), "k again did not reverse"
    assert sort_line(app).startswith("sorted by K2, worst first")
    await pilot.press("e")  # ELB: lower is better; ranked by the change on the year
    ranks = [r["standing"]["elb"].rank for r in pane.visible_rows()]
    assert ranks == sorted(ranks), "ELB not sorted by its rank"
    assert ranks[0] == 1
    assert not pane.sort_reverse  # a new figure starts best first


async def the_sorted_figure_rank_and_gaps_stand_beside_the_name(
    pilot: Pilot[None], pane: ComparePane, table: CompareTable
) -> None:
    await pilot.press("G", "k")  # our comparison type, by K2
    header = table.render_line(0).text
    assert re.search(r"Jobcenter +K2 ▼ +Rank +Gap best +Gap mean", header), header
    top = table.render_line(1).text
    assert "Landkreis Falkenwald" in top, top
    assert re.search(r"32\.5% +1/29 +0\.0 pts +\+9\.0 pts", top), top
    ours = next(
        table.render_line(y).text
        for y in range(1, table.size.height)
        if "Kreis Offenbach" in table.render_line(y).text
    )
    assert re.search(r"28\.4% +5/29 +-4\.2 pts +\+4\.8 pts", ours), ours
    # the rank column is the type's rank: the same as the tile's "5/29 IIb"
    standing = pane.by_id[OURS]["standing"]["rate:k2"]
    assert (standing.group_rank, standing.group_rank_of) == (5, 29)


async def test_the_help_lists_a_key_per_figure_in_german() -> None:
    app = make_app("de")
    async with app.run_test(size=(100, 50)) as pilot:
        _, table = await compare(pilot, app)
        rows = {key: text for key, text in help_rows([table, *table.ancestors], "de") if key}
        assert rows["k"] == "Sortieren nach K2"
        assert rows["e"] == "Sortieren nach ELB"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


def test_sort_letters_are_the_figures_own_and_free_of_bound_keys() -> None:
    keys = ["integrations", "apprenticeships", "elb", "long_term_recipients", "rate:k2"]
    letters = sort_letters(keys, taken="ilcs")
    assert letters == {"a": "apprenticeships", "e": "elb", "k": "rate:k2", "n": "integrations",
                       "o": "long_term_recipients"}  # fmt: skip
    # two K2 (computed and as published): the second takes the next free letter of its key
    assert sort_letters(["k2", "k2_published"], taken="") == {"k": "k2", "p": "k2_published"}


async def test_names_whole_at_160_columns_and_as_before_at_80() -> None:
    """At 160 columns the longest demo name stands whole beside the figures (the columns
    after them give way); at 80 the name column keeps its 26 cells and the figures."""
    import csv
    from pathlib import Path

    import jctui.demo

    demo = Path(jctui.demo.__file__).parent / "zkt_jobcenters.csv"
    with demo.open(encoding="utf-8") as handle:
        longest = max((row["name"] for row in csv.DictReader(handle)), key=len)
    for size, whole in (((160, 48), True), ((80, 24), False)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            pane, table = await compare(pilot, app)
            await pilot.press("slash", *longest.split("-")[-1])  # the name filter finds it
            await pilot.pause(0.1)
            await pilot.press("enter")
            await pilot.pause(0.1)
            lines = [table.render_line(y).text for y in range(1, 4)]
            shown = [line for line in lines if longest[:20] in line]
            assert shown, lines
            assert (longest in shown[0]) == whole, shown[0]
            if whole:  # every figure still in view: up to the change on the previous year
                header = table.render_line(0).text
                assert "Change %" in header, header
                assert pane.name_width == pane.longest_name >= len(longest)
            else:
                assert pane.name_width == 26
