"""The installed `jctui` in a real terminal (tmux, 80x24): typed keys, the screen as read.

What a manager over SSH sees: the Jobcenter, its figures, the state line, the demo marker;
and the kiosk rotating on its own. Skipped (with the reason) where tmux is not installed;
`make test-e2e` installs it.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
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


def test_the_80x24_overview_in_german_shows_every_label_whole(tmp_path: Path) -> None:
    """Labels whole (short ones where narrow), the rank within the comparison type on every
    tile, the report month against the calendar, and help and quit in the footer."""
    env = {**ENV, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    with TmuxSession([JCTUI, "--at", "2018-09", "--lang", "de"], env=env) as term:
        screen = term.wait_for("4.316")
        assert "…" not in screen  # nothing cut
        for label in ("Integrationen", "Ausb.-Verm.", "ELB", "LZB", "Kunden", "Integrationsquote"):
            assert label in screen, label
        # each ranked tile: its rank in the type (customers have no direction, so no rank)
        assert len(re.findall(r"\d+/\d+ IIb", screen)) == 5
        assert "Berichtsmonat Sep 2018" in screen  # a past month: neither due nor overdue
        assert "Sep 2018 · überfällig" not in screen
        header = screen.splitlines()[0]
        assert "Demodaten, synthetische Zahlen" in header
        assert "Sep 2018 (nicht neuester" in header  # a past month ...
        assert "aktualisiert 12:00" in header  # ... keeps the fetch state
        assert "? Hilfe" in screen
        assert "q Beenden" in screen
        lines = screen.splitlines()
        assert lines[-2].strip() == ""  # one spare row at most: the tiles use the height
        term.send("i")
        screen = term.wait_for("Auf der Kachel")
        assert "⚠1: 1 Datenhinweis" in screen  # the marks of the focused tile, explained


def test_dashboard_at_80x24_by_keyboard(tmp_path: Path) -> None:
    env = {**ENV, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    with TmuxSession([JCTUI, "--at", "2018-10", "--lang", "en"], env=env) as term:
        screen = term.wait_for("4,303")  # Kreis Offenbach's integrations over 12 months
        assert "Kreis Offenbach" in screen
        assert "Demo data, synthetic figures" in screen
        assert "Oct 2018 · updated 12:00" in screen  # the fetch state of the source
        assert "? Help" in screen  # key hints in the footer: help and quit always
        assert "q Quit" in screen
        term.send("c")  # copy the focused figure: OSC 52 reaches the terminal's clipboard
        term.wait_for("Sent to the terminal's clipboard:")
        assert term.clipboard().startswith("Kreis Offenbach, October 2018: Integrations 353;")
        term.send("2")
        screen = term.wait_for("407/407")
        assert "Jobcenter" in screen
        term.send("[")
        screen = term.wait_for("Sep 2018")
        assert "not latest month" in screen
        term.send("1")
        term.wait_for("Comparison type IIb")
        term.send("l")
        screen = term.wait_for("Integrationen")
        assert "Demodaten, synthetische Zahlen" in screen
        term.send("?")
        term.wait_for("Tasten")
        term.send("Escape")
        term.wait_until_gone("Tasten")
        term.send("q")
        for _ in range(50):
            if term.pane_dead():
                break
            time.sleep(0.1)
        assert term.pane_dead()


def test_kiosk_rotates_and_q_does_not_end_it(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        'language = "en"\n[kiosk]\nsite_label = "Foyer"\nidle_resume = 2\n'
        '[[kiosk.playlist]]\nview = "overview"\njobcenter = "Kreis Offenbach"\ndwell = 2\n'
        '[[kiosk.playlist]]\nview = "chart"\njobcenters = ["Stadt Offenbach am Main"]\nmetric = "integrations"\ndwell = 2\n',
        encoding="utf-8",
    )
    env = {**ENV, "XDG_CACHE_HOME": str(tmp_path)}
    with TmuxSession([JCTUI, "--kiosk", "--config", str(config)], env=env) as term:
        screen = term.wait_for("Kreis Offenbach")
        assert "Foyer" in screen
        assert "Overview  2" not in screen  # no key hints on a kiosk
        screen = term.wait_for("Stadt Offenbach am Main", timeout=15)  # the chart's legend
        term.send("q", "Escape")
        term.wait_for("Kreis Offenbach", timeout=15)  # still rotating after q and Escape
        assert not term.pane_dead()
        term.send("C-q")
        for _ in range(50):
            if term.pane_dead():
                break
            time.sleep(0.1)
        assert term.pane_dead()


def test_footer_follows_the_language(tmp_path: Path) -> None:
    env = {**ENV, "XDG_CACHE_HOME": str(tmp_path)}
    with TmuxSession([JCTUI, "--at", "2018-10", "--lang", "de"], env=env) as term:
        screen = term.wait_for("Integrationen")
        assert "? Hilfe" in screen  # at 80 columns help and quit stay, the screen numbers go
        assert "q Beenden" in screen
        assert "Monat zurück" in screen
        term.send("l")
        screen = term.wait_for("q Quit")
        assert "Month back" in screen


@pytest.mark.parametrize(
    ("args", "locale"),
    [(["--ascii"], "C.UTF-8"), ([], "C")],
    ids=["--ascii", "non-UTF-8 locale"],
)
def test_ascii_mode_draws_no_box_block_or_arrow_glyphs(
    tmp_path: Path, args: list[str], locale: str
) -> None:
    """A terminal or font without those glyphs: borders, sparklines, arrows, marks, tab bar
    and scrollbars in plain ASCII (strings from the data and the '·'/'…' of text stay)."""
    env = {**ENV, "LANG": locale, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    glyphs = re.compile("[\u2190-\u21ff\u2500-\u259f\u25a0-\u25ff\u2713\u26a0\u2800-\u28ff]")
    command = [JCTUI, "--at", "2018-10", "--lang", "en", *args]
    with TmuxSession(command, env=env) as term:
        screen = term.wait_for("4,303")
        assert "+-----" in screen  # tile borders
        assert "^ +2.0%" in screen  # the arrow of a change
        assert not glyphs.findall(screen), screen
        term.send("2")
        screen = term.wait_for("407/407")
        assert "Integr" in screen
        assert " v " in screen  # the sort arrow
        term.send("space")
        screen = term.wait_for("x Landkreis Haselsee")  # the mark, on the top row (the best)
        assert not glyphs.findall(screen), screen
        term.send("3")
        term.wait_for("2 years")  # the chart of the marked Jobcenter
        screen = term.settled()  # its lines come from a worker
        assert "*" in screen  # the line, in asterisks
        assert not glyphs.findall(screen), screen


def test_marks_typed_in_one_burst_all_reach_the_chart(tmp_path: Path) -> None:
    """A user types space twice quickly in the compare table: both Jobcenters are charted."""
    env = {**ENV, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    with TmuxSession(
        [JCTUI, "--at", "2018-10", "--lang", "en"], env=env, width=100, height=30
    ) as term:
        term.wait_for("4,303")
        term.send("2")
        term.wait_for("407/407")
        screen = term.settled()  # the table opens at its top: the cursor on the first row
        first, second = (line[2:28].strip() for line in screen.splitlines()[6:8])
        term.send("Space", "Space", "3")  # one burst, as fast as tmux types
        term.wait_for("avg. group")
        screen = term.settled()  # the lines come from a worker: those of both marks last
        assert first in screen
        assert second in screen
