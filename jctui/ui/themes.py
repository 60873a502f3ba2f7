"""Colour themes and the ASCII look (--ascii, non-UTF-8 locales) of Textual's chrome."""

from __future__ import annotations

from typing import ClassVar

from textual.scrollbar import ScrollBarRender
from textual.theme import Theme

THEMES = {"dark": "textual-dark", "light": "textual-light", "high-contrast": "jctui-high-contrast"}
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


class AsciiScrollBarRender(ScrollBarRender):
    """Scrollbars without block glyphs (--ascii): the thumb is its colour alone."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8
