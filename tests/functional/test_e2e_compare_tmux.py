"""Against whom: "which Jobcenter of our type has the best K2, and how far behind are we?"
in a real terminal at 80x24, in English and German, on the demo data, in three keys from
the start (2: compare, G: our comparison type, k: sort by K2, best first)."""

from __future__ import annotations

import shutil
import sys
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


@pytest.mark.parametrize(
    ("lang", "start", "sorted_by", "gap"),
    [
        ("en", "4,303", "sorted by K2, best first", "-4.2 pts"),
        ("de", "4.303", "sortiert nach K2, beste zuerst", "-4,2 Pkt."),
    ],
)
def test_best_k2_of_our_type_and_our_gap_in_three_keys(
    tmp_path: Path, lang: str, start: str, sorted_by: str, gap: str
) -> None:
    env = {**ENV, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    with TmuxSession([JCTUI, "--at", "2018-10", "--lang", lang], env=env) as term:
        term.wait_for(start)  # Kreis Offenbach's overview
        term.send("2")  # as a person types: each key once its screen shows
        term.wait_for("407/407")
        term.send("G")
        term.wait_for("29/407")
        term.send("k")
        screen = term.wait_for(sorted_by)
        screen = term.settled()
        lines = screen.splitlines()
        header = next(i for i, line in enumerate(lines) if "K2" in line and "Jobcenter" in line)
        best = lines[header + 1]
        # the best of type IIb on the first row: K2 32.5 %, rank 1 of 29, no gap to itself
        assert "Landkreis Falkenwald" in best
        assert "1/29" in best
        ours = next(line for line in lines if "Kreis Offenbach" in line)
        assert "5/29" in ours  # 5th of 29 in the type ...
        assert gap in ours  # ... 4.2 points behind the best
        assert "Filter: " in screen
        assert "IIb" in screen  # the filter to our type, stated
