"""Colour themes and the ASCII look (--ascii, non-UTF-8 locales) of Textual's chrome.

Every text/background pair a theme puts on screen meets WCAG AA (4.5:1 for text, 3:1 for
UI parts such as the focus border); tests/unit/test_themes.py measures them. Textual's own
light theme does not (its accent, the focus border, is 1.5:1 on its background), nor do
the ANSI colours the widgets use (green, red, yellow, cyan: the change arrows, marks and
sparklines) as Textual maps them for light themes; hence a light theme and ANSI palettes
of our own.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from rich.terminal_theme import TerminalTheme
from textual._ansi_theme import ALABASTER, MONOKAI
from textual.scrollbar import ScrollBarRender
from textual.theme import BUILTIN_THEMES, Theme

THEMES = {"dark": "textual-dark", "light": "jctui-light", "high-contrast": "jctui-high-contrast"}
LIGHT = dataclasses.replace(
    BUILTIN_THEMES["textual-light"],
    name="jctui-light",
    accent="#8a4b00",  # the focus border: 5.2:1 on the background (Textual's: 1.5:1)
    warning="#8a4b00",
    variables={"footer-key-foreground": "#004578"},  # key names in the footer: 6.4:1
)
HIGH_CONTRAST = Theme(
    name="jctui-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    dark=True,
)


def _with_colours(base: TerminalTheme, colours: dict[int, str]) -> TerminalTheme:
    """`base` with some of its 16 ANSI colours replaced (index: "#rrggbb")."""
    palette = [(c.red, c.green, c.blue) for c in (base.ansi_colors[i] for i in range(16))]
    for index, hex_colour in colours.items():
        palette[index] = (
            int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)
        )  # fmt: skip
    background, foreground = base.background_color, base.foreground_color
    return TerminalTheme(
        (background.red, background.green, background.blue),
        (foreground.red, foreground.green, foreground.blue),
        palette[:8],
        palette[8:],
    )


# The ANSI colours (0 black, 1 red, 2 green, 3 yellow, 4 blue, 6 cyan) as shown on light
# and dark themes: darker on light backgrounds, a lighter red on dark ones.
ANSI_LIGHT = _with_colours(
    ALABASTER,
    {1: "#a12b2b", 2: "#1d6b2e", 3: "#7a5200", 4: "#2a4fa8", 6: "#005f73", 8: "#5e5e5e"},
)
ANSI_DARK = _with_colours(MONOKAI, {1: "#ff5c8a", 9: "#ff5c8a"})


class AsciiScrollBarRender(ScrollBarRender):
    """Scrollbars without block glyphs (--ascii): the thumb is its colour alone."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8
