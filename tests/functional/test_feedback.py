"""Every key answers: r when nothing changed, t naming the theme; the header's clock apart."""

from __future__ import annotations

import pytest

from tests.functional.test_ui import header, make_app, ready


async def test_refresh_without_new_data_and_the_theme_key_say_so() -> None:
    """One dashboard: r with nothing new says so; t names the theme it turned on."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        before = len(app.notices)
        await pilot.press("r")
        for _ in range(100):
            await pilot.pause(0.05)
            if len(app.notices) > before:
                break
        severity, text = app.notices[-1]
        assert severity == "information", (severity, text)
        assert text.startswith("Refreshed: no new data ("), f"r answered {text!r}"
        assert "updated" in header(app), header(app)

        await pilot.press("t")
        assert app.notices[-1][1] == "Theme: light", app.notices[-1]
        await pilot.press("t")
        assert app.notices[-1][1] == "Theme: high contrast", app.notices[-1]
        await pilot.press("l", "t")
        assert app.notices[-1][1] == "Farbschema: dunkel", app.notices[-1]


async def test_clock_keeps_its_distance_at_60_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JCTUI_FROZEN_CLOCK", "2026-11-25 14:55")
    app = make_app()
    async with app.run_test(size=(60, 24)) as pilot:
        await ready(pilot, app)
        text = header(app)
        assert "fresh14:55" not in text
        assert "14:55" not in text or " 14:55" in text
