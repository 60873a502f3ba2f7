"""Every theme's text/background pairs meet WCAG AA: 4.5:1 for text, 3:1 for UI parts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme

from jctui.ui.themes import ANSI_DARK, ANSI_LIGHT, HIGH_CONTRAST, LIGHT, THEMES

TEXT, UI_PART = 4.5, 3.0
ANSI_NAMES = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
# a string literal made of Rich style words only: "bold green", "dim", "bold reverse magenta"
STYLE_LITERAL = r'"((?:(?:bold|dim|italic|underline|reverse|' + "|".join(ANSI_NAMES) + r') ?)+)"'
UI_SOURCES = Path(__file__).resolve().parents[2] / "jctui" / "ui"


def contrast(a: Color, b: Color) -> float:
    """The WCAG 2 contrast ratio of two colours."""

    def luminance(c: Color) -> float:
        def channel(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def theme_of(name: str) -> Theme:
    return {LIGHT.name: LIGHT, HIGH_CONTRAST.name: HIGH_CONTRAST}.get(name) or BUILTIN_THEMES[name]


def as_colour(value: str) -> Color | None:
    """A theme variable's colour; None for the ones that are not colours (text styles)."""
    try:
        return Color.parse(value)
    except Exception:
        return None


def ansi_colours_in_widgets() -> set[str]:
    """The ANSI colour names the widgets put into Rich styles (style="bold green")."""
    found: set[str] = set()
    for path in UI_SOURCES.rglob("*.py"):
        for style in re.findall(STYLE_LITERAL, path.read_text(encoding="utf-8")):
            words = style.split()
            if "reverse" not in words:  # reversed: the colour is the background
                found |= {w for w in words if w in ANSI_NAMES}
    return found


@pytest.mark.parametrize("key", sorted(THEMES))
def test_text_and_ui_parts_meet_wcag_aa(key: str) -> None:
    theme = theme_of(THEMES[key])
    v = theme.to_color_system().generate()
    colour = {name: parsed for name, value in v.items() if (parsed := as_colour(value))}
    backgrounds = ("background", "surface", "panel")
    failures = [
        f"foreground on {bg}: {contrast(colour['foreground'], colour[bg]):.2f}"
        for bg in backgrounds
        if contrast(colour["foreground"], colour[bg]) < TEXT
    ]
    pairs_text = [
        ("footer-key-foreground", "footer-background"),
        ("footer-foreground", "footer-background"),
    ]
    failures += [
        f"{fg} on {bg}: {contrast(colour[fg], colour[bg]):.2f}"
        for fg, bg in pairs_text
        if contrast(colour[fg], colour[bg]) < TEXT
    ]
    # the focus border of a tile is $accent on the screen's background
    if contrast(colour["accent"], colour["background"]) < UI_PART:
        failures.append(
            f"accent (focus border): {contrast(colour['accent'], colour['background']):.2f}"
        )
    ansi = ANSI_DARK if theme.dark else ANSI_LIGHT
    for name in sorted(ansi_colours_in_widgets()):
        triplet = ansi.ansi_colors[ANSI_NAMES.index(name)]
        fg = Color(triplet.red, triplet.green, triplet.blue)
        for bg in ("background", "surface"):
            if contrast(fg, colour[bg]) < TEXT:
                failures.append(f"ANSI {name} on {bg}: {contrast(fg, colour[bg]):.2f}")
    assert not failures, f"{key}: " + "; ".join(failures)


def test_the_widgets_use_the_colours_measured_here() -> None:
    """The measurement above covers what the widgets use: change arrows, marks, sparklines."""
    assert {"green", "red", "yellow", "cyan"} <= ansi_colours_in_widgets()


async def test_the_app_shows_these_themes_and_palettes() -> None:
    from tests.functional.test_ui import make_app, ready

    app = make_app(theme_name="light")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert app.current_theme.name == LIGHT.name
        assert app.ansi_theme is ANSI_LIGHT
        app.theme = THEMES["dark"]
        await pilot.pause()
        assert app.ansi_theme is ANSI_DARK
