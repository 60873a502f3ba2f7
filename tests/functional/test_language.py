"""German throughout, ASCII where the terminal needs it: help, compare line, CLI errors."""

from __future__ import annotations

import pytest

from jctui.cli import main
from jctui.i18n import key_name
from jctui.presentation.text import ascii_cells
from jctui.ui.screens.help import HelpScreen
from jctui.ui.widgets.compare_table import ComparePane
from jctui.ui.widgets.row_table import RowTable
from tests.functional.test_ui import make_app, ready


@pytest.mark.parametrize(
    ("args", "german"),
    [
        (["show", "xyzzy"], "jctui: Fehler: kein Jobcenter passt zu 'xyzzy'"),
        (["show", "Offenbk"], "jctui: Fehler: kein Jobcenter passt zu 'Offenbk'; am ähnlichsten: Kreis Offenbach"),
        (["show", "offenb", "--at", "2018-13"], "jctui: Fehler: --at: erwartet einen Monat als JJJJ-MM"),
        (["show", "offenb", "--at", "2030-01"], "jctui: Fehler: --at 2030-01: nicht in den Daten (Monate 2012-01 bis 2018-10)"),
        (["show", "offenb", "--metric", "x"], "jctui: Fehler: --metric: unbekannte Kennzahl 'x'; keine ähnliche der"),
        (["export", "-o", "x.ods"], "jctui: Fehler: x.ods: Format nicht am Namen erkennbar"),
    ],
)  # fmt: skip
def test_cli_errors_in_german_with_lang_de(
    args: list[str], german: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*args, "--lang", "de"])
    err = capsys.readouterr().err
    assert code in (1, 2)
    assert err.startswith(german), err
    main(args)  # and in English without it (the test locale is C.UTF-8)
    assert capsys.readouterr().err.startswith("jctui: error: ")


def test_keys_are_named_as_people_name_them() -> None:
    assert key_name("enter", "de") == "Enter"
    assert key_name("left", "en") == "←"
    assert key_name("left", "de", ascii_only=True) == "links"
    assert key_name("ctrl+p", "de") == "Strg+P"
    assert key_name("slash", "de") == "/"
    assert key_name("space", "de") == "Leertaste"
    assert key_name("escape,q", "en") == "Esc/q"


def test_ascii_cells_keep_the_width_of_what_they_replace() -> None:
    text = "Okt 2018 · aktuell … Münster, Meißen – ⚠1 ╭─╮ 🔎"
    plain = ascii_cells(text)
    assert plain == "Okt 2018 - aktuell . Munster, Meisen - ?1 ??? ??"
    assert plain.isascii()


async def test_help_in_german_starts_with_the_screens_keys() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("l", "2", "question_mark")
        await pilot.pause(0.2)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = help_screen.rows
        assert rows[0] == ("", "Dieser Bildschirm")
        assert ("Leertaste", "Markieren") in rows[:3]
        assert ("Enter", "Öffnen") in rows
        assert ("←/→", "Um eine Spalte schieben") in rows
        assert rows.index(("", "Überall")) > rows.index(("Enter", "Öffnen"))
        assert ("Strg+P", "Jobcenter suchen, Befehle") in rows
        texts = " ".join(text for _, text in rows)
        for english in ("Scroll", "Focus", "Copy selected text", "slash"):
            assert english not in texts
        await pilot.press("escape")
        line = str(app.query_one(ComparePane).query_one("#compare-filters").render())
        assert "s/S sortieren · f/b/g/G filtern · x alle aus" in line
        assert "sort ·" not in line


async def test_every_screen_follows_the_language_and_month_chosen_elsewhere() -> None:
    """`l` and `[` on the overview change the overview at once; every other screen shows
    the new language and month when it is shown (each is given them then)."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("l", "left_square_bracket")
        for _ in range(200):  # the month before: prepared by the prefetch, or computed
            await pilot.pause(0.05)
            if app.session.months.pending_as_of is None:
                break
        await pilot.pause(0.1)
        header = app.query_one("#header")
        assert "Sep" in str(header.render()), str(header.render())
        await pilot.press("2")
        pane = app.query_one(ComparePane)
        assert pane.lang == "de"
        assert pane.rows is app.session.lookups.compare_rows  # September's rows
        assert str(app.query_one("#compare-sort").render()).startswith("sortiert nach")
        await pilot.press("3")
        await pilot.pause(0.2)
        assert "September 2018" in str(app.query_one("#chart-title").render())
        await pilot.press("4")
        head = app.query_one("#warnings-table", RowTable).render_line(0).text
        assert head.startswith("Jobcenter"), head
        assert "Periode" in head, head
