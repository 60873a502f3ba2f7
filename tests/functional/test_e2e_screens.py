"""The screens in a real terminal (tmux) the way issue 13 tried them: NO_COLOR, LANG=C,
--ascii and German; typed keys, the screen as read."""

from __future__ import annotations

import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tmux_session import TmuxSession

pytestmark = [
    pytest.mark.tmux,  # make test-e2e
    pytest.mark.skipif(
        shutil.which("tmux") is None, reason="tmux is not installed (make test-e2e)"
    ),
]

JCTUI = str(Path(sys.executable).parent / "jctui")
ENV = {"JCTUI_FROZEN_CLOCK": "2026-11-25 12:00", "LANG": "C.UTF-8", "TERM": "xterm-256color"}
# box drawing, blocks, braille, arrows, marks, the palette's emoji
GLYPHS = re.compile(
    "[\u2190-\u21ff\u2500-\u259f\u25a0-\u25ff\u2713\u26a0\u2800-\u28ff\U0001f300-\U0001faff]"
)


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **ENV,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        **extra,
    }


def test_no_color_chart_lines_have_their_own_markers(tmp_path: Path) -> None:
    command = [JCTUI, "--at", "2018-10", "--lang", "en"]
    with TmuxSession(command, env=env_for(tmp_path, NO_COLOR="1"), width=100, height=30) as term:
        term.wait_for("4,303")
        term.send("3")
        screen = term.wait_for("avg. group IIb")
        assert "* Kreis Offenbach" in screen  # the legend shows each line's marker
        assert "o avg. group IIb" in screen
        assert not re.search("[\u2800-\u28ff]", screen), screen  # no braille: no colour to tell


def escape(term: TmuxSession) -> None:
    """Escape alone (a key right after it would make it Alt+key)."""
    term.send("Escape")
    time.sleep(0.4)


def walk_the_screens(term: TmuxSession, check: Callable[[str], None]) -> None:
    """Overview, help, explain box, a toast, the palette, the name filter, compare and chart; `check`
    each screen."""
    check(term.wait_for("4,303"))
    term.send("?")
    check(term.wait_for("Everywhere"))
    escape(term)
    term.wait_until_gone("Everywhere")
    term.send("i")  # the explain box
    check(term.wait_for("summed over a window"))
    escape(term)
    term.wait_until_gone("summed over a window")
    term.send("t")  # a toast
    check(term.wait_for("Theme: light"))
    term.send("C-p")
    time.sleep(0.4)
    term.send(*"munster")
    check(term.wait_for("Stadt M"))  # "Stadt Münster", as the terminal can show it
    escape(term)
    term.wait_until_gone("Stadt M")
    term.send("2")
    term.wait_for("407/407")
    time.sleep(0.5)  # the table has the focus
    term.send("/")
    check(term.wait_for("|  / Filter"))  # the input box (the footer says "/ Filter" too)
    term.send(*"offenb")
    check(term.wait_for('name "offenb"'))
    escape(term)
    term.send("x")  # back in the table: x clears the filter, it is not typed into it
    check(term.wait_for("407/407"))
    term.send("3")
    check(term.wait_for("2 years"))


def test_lang_c_sends_nothing_but_ascii(tmp_path: Path) -> None:
    """A non-UTF-8 terminal: every character on every screen is ASCII, also the "·" and
    "…" of our texts and the names' umlauts."""

    def check(screen: str) -> None:
        assert screen.isascii(), sorted({ch for ch in screen if not ch.isascii()})

    command = [JCTUI, "--at", "2018-10", "--lang", "en"]
    with TmuxSession(command, env=env_for(tmp_path, LANG="C")) as term:
        walk_the_screens(term, check)


def test_ascii_option_draws_no_glyphs_on_any_screen(tmp_path: Path) -> None:
    def check(screen: str) -> None:
        assert not GLYPHS.findall(screen), screen

    command = [JCTUI, "--at", "2018-10", "--lang", "en", "--ascii"]
    with TmuxSession(command, env=env_for(tmp_path)) as term:
        walk_the_screens(term, check)


def test_german_throughout(tmp_path: Path) -> None:
    command = [JCTUI, "--at", "2018-10", "--lang", "de"]
    with TmuxSession(command, env=env_for(tmp_path), width=120, height=40) as term:
        screen = term.wait_for("4.303")
        assert "^p Suche" in screen
        term.send("2")
        screen = term.wait_for("407/407")
        assert "s/S sortieren · f/b/g/G filtern · x alle aus" in screen
        time.sleep(0.5)  # the table has the focus
        term.send("?")
        screen = term.wait_for("Dieser Bildschirm")
        assert "Leertaste" in screen
        assert "Enter" in screen
        assert "Um eine Spalte schieben" in screen
        for english in ("Scroll Up", "Focus Next", "Copy selected text", "slash"):
            assert english not in screen
        term.send("Escape")
        term.wait_until_gone("Dieser Bildschirm")
        term.send("g")
        screen = term.wait_for("Vergleichstyp=IIb")
        assert "Filter: Vergleichstyp=IIb" in screen
