"""Finding Jobcenters as a user types them: the command palette and `jctui show` agree."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from textual.command import CommandPalette

from jctui.cli import main
from tests.functional.test_ui import make_app, ready

README = Path(__file__).parents[2] / "README.md"


def readme_show_examples() -> list[str]:
    lines = README.read_text(encoding="utf-8").splitlines()
    usage = "jctui show   QUERY"  # the synopsis, not an example
    return [
        line.split("#")[0].strip()
        for line in lines
        if line.startswith("jctui show ") and not line.startswith(usage)
    ]


@pytest.mark.parametrize("example", readme_show_examples())
def test_readme_show_examples_work_on_the_demo_data(
    example: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(shlex.split(example)[1:])
    _, err = capsys.readouterr()
    assert code == 0, err


@pytest.mark.parametrize(
    ("typed", "name"),
    [("munster", "Stadt Münster"), ("meissen", "Landkreis Meißen"), ("offenb", "Kreis Offenbach")],
)
async def test_palette_finds_names_without_their_accents(typed: str, name: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*typed)
        await pilot.pause(0.6)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.session.name_of(app.jobcenter_id) == name


async def test_palette_lists_word_matches_before_look_alikes() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"offenbach")
        await pilot.pause(0.6)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        options = palette.query_one("CommandList").options  # type: ignore[attr-defined]
        shown = [str(option.prompt).split("\n")[0] for option in options]
        assert shown[:2] == ["Kreis Offenbach", "Stadt Offenbach am Main"]
