"""Finding Jobcenters as a user types them: the command palette and `jctui show` agree."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from jctui.cli import main
from jctui.locations import state_file
from jctui.ui.app import JctuiApp
from jctui.ui.widgets.compare_table import CompareTable, natural_order
from tests.functional.test_ui import make_app, open_compare, ready, until

README = Path(__file__).parents[2] / "README.md"


def readme_show_examples() -> list[str]:
    lines = README.read_text(encoding="utf-8").splitlines()
    usage = "jctui show   QUERY"  # the synopsis, not an example
    return [
        line.split("#")[0].strip()
        for line in lines
        if line.startswith("jctui show ")
        and not line.startswith(usage)
        and "--source" not in line  # an example on the user's own files
        and "--config" not in line  # or with a config for them
    ]


@pytest.mark.parametrize("example", readme_show_examples())
def test_readme_show_examples_work_on_the_demo_data(
    example: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(shlex.split(example)[1:])
    _, err = capsys.readouterr()
    assert code == 0, err


def plain(text: str) -> str:
    """`text` as typed without its accents: Münster -> munster, Meißen -> meissen."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


async def typed_in_palette(pilot: Pilot[None], app: JctuiApp, typed: str) -> CommandList:
    """Ctrl+P and `typed`, until the palette has listed its matches for it (its search
    done, the first match one of `typed`): a wait for the list, not a fixed pause."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette), "Ctrl+P opens no palette")
    await pilot.press(*typed)
    hits = app.screen.query_one(CommandList)

    def listed() -> bool:
        searching = any(
            w.is_running and w.group == CommandPalette._GATHER_COMMANDS_GROUP for w in app.workers
        )
        first = str(hits.get_option_at_index(0).prompt) if hits.option_count else ""
        return not searching and typed in plain(first)

    await until(pilot, listed, f"the palette lists no match for {typed!r}")
    return hits


async def test_palette_finds_names_without_their_accents_word_matches_first() -> None:
    """One dashboard: names typed without their accents are found and chosen; a whole
    word's matches are listed before look-alikes."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        for typed, name in (
            ("munster", "Stadt Münster"),
            ("meissen", "Landkreis Meißen"),
            ("offenb", "Kreis Offenbach"),
        ):
            await typed_in_palette(pilot, app, typed)
            await pilot.press("enter")
            await until(
                pilot,
                lambda: not isinstance(app.screen, CommandPalette),
                f"Enter on {typed!r} left the palette open",
            )
            chosen = app.session.name_of(app.jobcenter_id)
            assert chosen == name, f"typing {typed!r} in the palette chose {chosen!r}"
        options = (await typed_in_palette(pilot, app, "offenbach")).options
        shown = [str(option.prompt).split("\n")[0] for option in options]
        assert shown[:2] == ["Kreis Offenbach", "Stadt Offenbach am Main"], (
            f"typing 'offenbach' listed {shown[:2]} first, not the whole word's matches"
        )


def status_line(app: JctuiApp) -> str:
    return str(app.query_one("#compare-filters").render())


async def test_compare_table_opens_at_the_top_then_filters_by_type_and_name() -> None:
    """One dashboard's compare table: it opens with the best ones first and Kreis
    Offenbach (9th of its type, further down among all) on the table's last line, not
    scrolled to with the better ones hidden above it; the type filter starts at the
    user's type in natural order; escape leaves the name filter, which stays in the
    status line."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("2")
        table = app.query_one(CompareTable)
        assert table.cursor_row == 0, "the compare table did not open on its first row"
        assert table.scroll_offset.y == 0, "the compare table opened scrolled down"
        assert table.keys.index("06438") >= table.scrollable_content_region.height
        last = table.render_line(table.scrollable_content_region.height - 1).text
        assert "Kreis Offenbach" in last, f"the user's own row is not pinned last: {last!r}"

        pane, _ = await open_compare(pilot, app)
        types = []
        for _ in range(5):
            await pilot.press("g")
            types.append(pane.filters["comparison_type"])
        assert types == ["IIb", "IIc", "IId", "IIe", "IIIa"], "g did not start at IIb"
        await pilot.press("f", "b")
        assert set(pane.filters) == {"state", "carrier", "comparison_type"}
        assert pane.filters["state"] == "HE", "the state filter did not start at its own"
        assert "Comparison type=IIIa" in status_line(app)
        await pilot.press("x")  # one key: every filter off
        assert pane.filters == {}, "x left a filter on"
        assert status_line(app).startswith("407/407 · Filter: all")
        await pilot.press("G")  # one key: my comparison type
        assert pane.filters == {"comparison_type": "IIb"}, "G did not filter my type"
        await pilot.press("G")
        assert pane.filters == {}, "a second G did not take my type's filter off"

        await pilot.press("2", "slash", *"offenb")
        await pilot.pause(0.1)
        assert status_line(app).startswith('2/407 · Filter: name "offenb"'), status_line(app)
        await pilot.press("escape")
        assert isinstance(app.focused, CompareTable), "escape did not leave the name filter"
        await pilot.press("1")  # a key for the app again, not a letter of the filter
        assert app.query_one(TabbedContent).active == "overview", "1 went into the filter"
        await pilot.press("2")
        assert app.query_one("#compare-filter", Input).value == "offenb", "the filter was lost"


def test_comparison_types_count_as_people_count_them() -> None:
    shuffled = ["IIIa", "V", "Ib", "IIa", "IV", "Ia", "IIIe", "IIb"]
    assert sorted(shuffled, key=natural_order) == [
        "Ia", "Ib", "IIa", "IIb", "IIIa", "IIIe", "IV", "V",
    ]  # fmt: skip


async def test_my_jobcenter_is_set_from_the_table_and_kept_across_starts() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("2", "slash", *"meissen", "escape", "h")
        await pilot.pause(0.1)
        assert app.session.name_of(app.jobcenter_id) == "Landkreis Meißen"
        assert any("My Jobcenter is now: Landkreis Meißen" in text for _, text in app.notices)
    assert json.loads(state_file().read_text(encoding="utf-8"))["name"] == "Landkreis Meißen"
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await ready(pilot, again)
        assert again.session.name_of(again.jobcenter_id) == "Landkreis Meißen"
        assert "Landkreis Meißen" in str(again.query_one("#overview-title").render())
