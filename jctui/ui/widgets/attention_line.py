"""The one attention line: what needs attention for the Jobcenter shown, in words.

On the overview beside the Jobcenter's name; on the kiosk as a banner over every page.
Its text comes from `Session.attention` (the list of `jctui check --attention`); the widget
only picks the clearest variant that fits its width.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from jctui.presentation.tiles import first_fitting


class AttentionLine(Widget):
    """One line, never wrapped: the first of `variants` that fits (clearest first)."""

    DEFAULT_CSS = """
    AttentionLine { height: 1; width: 1fr; text-align: right; padding: 0 1 0 0; }
    AttentionLine.-some { color: $warning; text-style: bold; }
    AttentionLine.-none { color: $text-muted; }
    AttentionLine.-banner { text-align: left; padding: 0 1; background: $warning 30%; }
    AttentionLine.-banner.-none { display: none; }
    """

    variants: reactive[tuple[str, ...]] = reactive(tuple, layout=False)

    def __init__(self, *, banner: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_class(banner, "-banner")

    def watch_variants(self, variants: tuple[str, ...]) -> None:
        # one variant: nothing needs attention (jctui.presentation.attention)
        self.set_class(len(variants) == 1, "-none")
        self.set_class(len(variants) > 1, "-some")

    def render(self) -> Text:
        text = first_fitting(self.variants, max(1, self.content_size.width))
        return Text(text, no_wrap=True, overflow="ellipsis")
