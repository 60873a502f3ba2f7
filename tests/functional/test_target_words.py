"""Issue 22, targets in words: every target line says on or off track in words with the
shortfall or margin, in English and German, in colour, without colour and in ASCII, never
cut; a progress below 100% is floored (99.8% is never '100%').

Kreis Offenbach, October 2018, demo targets: integrations 4,400, the year ends at 4,315
(off track by 85); K2 27.9%, ends at 28.6% (on track by 0.7 points)."""

from __future__ import annotations

import pytest

from jctui.cli import main
from jctui.i18n import Lang
from jctui.presentation.policy import SmallCounts
from jctui.presentation.targets import fmt_progress, target_lines
from tests.functional.test_ui import make_app, ready, tile

OFFENBACH = "Kreis Offenbach"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "off track: -85"), ("de", "nicht auf Kurs: -85")],
)
@pytest.mark.parametrize("ascii_flag", [(), ("--ascii",)])
def test_show_says_off_track_in_words_with_the_shortfall(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    words: str,
    ascii_flag: tuple[str, ...],
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    code, out = run(capsys, "show", OFFENBACH, "--lang", lang, *ascii_flag)
    assert code == 0
    line = next(x for x in out.splitlines() if words in x)
    assert line.startswith(("Integrations", "Integrationen"))
    assert "4,315" in line or "4.315" in line  # the projection stays whole
    assert "…" not in line


def test_every_target_line_variant_has_the_words_and_is_ascii() -> None:
    fields = {"target": 4400, "target_progress_pct": 83.1, "projection": 4315,
              "on_track": False, "year_complete": False}  # fmt: skip
    cases: tuple[tuple[Lang, str], ...] = (("en", "off track"), ("de", "nicht auf Kurs"))
    for lang, words in cases:
        variants = target_lines(fields, "flow", lang, SmallCounts())
        assert len(variants) >= 4
        for variant in variants:
            assert words in variant
            assert "-85" in variant
            assert variant.isascii()
    margin = {**fields, "projection": 4520, "on_track": True}
    assert all(
        "on track" in v and "+120" in v for v in target_lines(margin, "flow", "en", SmallCounts())
    )
    december = {**fields, "year_complete": True}
    lines = target_lines(december, "flow", "en", SmallCounts())
    assert lines[0].endswith("target missed: -85")
    assert lines[-1] == "missed: -85"
    assert target_lines({**december, "on_track": True, "projection": 4520}, "flow", "de",
                        SmallCounts())[-1] == "erreicht: +120"  # fmt: skip


def test_progress_below_100_is_floored_never_rounded_up() -> None:
    assert fmt_progress(99.8, "en") == "99%"
    assert fmt_progress(99.8, "de") == "99 %"
    assert fmt_progress(100.0, "en") == "100%"
    assert fmt_progress(101.6, "en") == "102%"
    fields = {"target": 1000, "target_progress_pct": 99.8, "projection": 998,
              "on_track": False, "year_complete": False}  # fmt: skip
    assert "100%" not in target_lines(fields, "flow", "en", SmallCounts())[0]


@pytest.mark.parametrize("ascii_only", [False, True])
async def test_tiles_at_80x24_say_on_or_off_track_in_words(
    monkeypatch: pytest.MonkeyPatch, ascii_only: bool
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # the words carry it, not the colour
    app = make_app(ascii_only=ascii_only)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        text = tile(app, "integrations")
        assert "off track -85" in text
        assert "on track +0.7 pts" in tile(app, "k2")
        target = text.splitlines()[-1]
        assert "…" not in target
        assert target.isascii()
        await pilot.press("l")
        await pilot.pause()
        assert "Ziel nicht auf Kurs -85" in tile(app, "integrations")  # "Ziel" kept
        assert "Ziel auf Kurs +0,7 Pkt." in tile(app, "k2")
