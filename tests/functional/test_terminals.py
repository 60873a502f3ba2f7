"""Issue 22, terminals as they are, read in a real terminal (tmux, 80x24): the first screen
answers "on track?" in words, in English and German; `--ascii` (under a UTF-8 locale) and
the Linux console (TERM=linux) put nothing but ASCII on any screen, nor does `show`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.functional.figure_stores import with_demo_store
from tests.tmux_session import TmuxSession

JCTUI = str(Path(sys.executable).parent / "jctui")
ENV = {"JCTUI_FROZEN_CLOCK": "2026-11-25 12:00", "LANG": "C.UTF-8", "TERM": "xterm-256color"}
needs_tmux = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (make test-e2e)"
)


def above_127(text: str) -> list[str]:
    return sorted({c for c in text if ord(c) > 127})


@needs_tmux
@pytest.mark.tmux
@pytest.mark.parametrize(
    ("lang", "figure", "words"),
    [
        ("en", "4,303", ("Tgt 498 on track +28", "off track -85", "Needs attention")),
        ("de", "4.303", ("Ziel 498 auf Kurs +28", "nicht auf Kurs", "Zu beachten")),
    ],
)
def test_the_first_screen_says_on_track_in_words(
    tmp_path: Path, lang: str, figure: str, words: tuple[str, ...]
) -> None:
    """No key pressed: the targets say on or off track in words, and what needs attention."""
    env = {**ENV, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    with TmuxSession([JCTUI, "--at", "2018-10", "--lang", lang], env=env) as term:
        term.wait_for(figure)
        screen = term.wait_for(words[-1])  # the attention line, once the month before is in
        for text in words:
            assert text in screen, screen
        target = words[0].split()[0]  # "Tgt" / "Ziel": on every target line, none cut
        assert screen.count(f"{target} ") == 5, screen
        assert "yr ago" not in screen  # one term for the previous year


SCREENS = (("2", "407"), ("3", "2 "), ("4", "2018"), ("?", "[ "), ("Escape", ""))


@needs_tmux
@pytest.mark.tmux
@pytest.mark.parametrize(
    ("args", "env"),
    [(["--ascii"], {"LANG": "C.UTF-8"}), ([], {"TERM": "linux"})],
    ids=["--ascii", "TERM=linux"],
)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_nothing_but_ascii_on_any_screen(
    tmp_path: Path, args: list[str], env: dict[str, str], lang: str
) -> None:
    """The overview, compare, chart, warnings, help and the palette: no byte above 127
    (German umlauts, '·', '…', '•', braille and box lines included)."""
    env = {**ENV, **env, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    command = [JCTUI, "--at", "2018-10", "--lang", lang, *args]
    with TmuxSession(command, env=env) as term:
        term.wait_for("4,303" if lang == "en" else "4.303")
        screen = term.settled()
        assert not above_127(screen), screen
        for key, text in SCREENS:
            term.send(key)
            term.wait_for(text)
            screen = term.settled()
            assert not above_127(screen), screen
        term.send("C-p")
        term.wait_for("Jobcenter")  # the placeholder says what it mostly finds
        term.send("o", "f", "f")
        screen = term.settled()
        assert "Offenbach" in screen
        assert not above_127(screen), screen


@needs_tmux
@pytest.mark.tmux
def test_the_kiosk_in_ascii_at_120x36(tmp_path: Path) -> None:
    """The headline figures as plain text, the banners and the tiles: ASCII only."""
    env = {
        **ENV,
        "TERM": "linux",
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path),
    }
    command = [JCTUI, "--kiosk", "--at", "2018-10", "--lang", "de"]
    with TmuxSession(command, width=120, height=36, env=env) as term:
        screen = term.wait_for("4.303")
        screen = term.settled()
        assert "28,4 %" in screen  # K2 in the headline, as text
        assert not above_127(screen), screen


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--ascii"], {"LANG": "C.UTF-8"}),
        ([], {"LANG": "C.UTF-8", "TERM": "linux"}),
        ([], {"LANG": "C", "LC_ALL": "", "TERM": "xterm"}),
    ],
    ids=["--ascii", "TERM=linux", "LANG=C"],
)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_show_writes_pure_ascii(args: list[str], env: dict[str, str], lang: str) -> None:
    with_demo_store()  # the figures read, not computed: this is about the bytes written
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    environ |= {"PYTHONIOENCODING": "", "NO_COLOR": "1", **env}
    out = subprocess.run(
        [JCTUI, "show", "Kreis Offenbach", "--at", "2018-10", "--lang", lang, *args],
        capture_output=True, env=environ, check=True, timeout=120,
    ).stdout  # fmt: skip
    assert b"Kreis Offenbach" in out
    assert max(out) < 128, sorted({chr(b) for b in out if b > 127})
