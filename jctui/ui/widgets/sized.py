"""Widgets sized by the layout that shows them, without a second layout for it.

Textual (8.2.8, pinned) gives every widget whose size a layout changed its new virtual size
through a layout reactive (`Widget._size_updated`, private): each such widget asks for
another layout of the screen, which changes nothing (the layout that sized it already placed
it and its children) but costs a reflow and a frame of its own. A tab switch changes the
footer keys' widths and shows panes whose widgets have not been laid out yet: without this,
every switch drew two or three frames.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static, TabPane


class SizedByLayout(Widget):
    """Takes the size a layout gave it without asking for another layout; scrollbars that
    appear or go away still ask for one (Textual's own `_scroll_update`). A mixin, LAST in
    the bases: Textual takes a widget's CSS (its type name, DEFAULT_CSS, component classes)
    from the first base only."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Textual's private hook (version pinned): layout=False is what it passes itself
        # when it lays out only the visible part of a scrolled screen
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class Line(Static, SizedByLayout):
    """A Static in a pane (a title, a filter line, a footer line)."""


class Pane(TabPane, SizedByLayout):
    """A tab's pane (TabbedContent's TabPane)."""


def kept_line(widget: Widget, strips: list[Strip], y: int) -> Strip:
    """Line `y` of a widget that keeps the strips it made (`strips`, for its size): what
    Textual's own `render_line` returns once it has made them."""
    widget._dirty_regions.clear()  # Textual's private bookkeeping (version pinned), as its own
    if 0 <= y < len(strips):
        return strips[y]
    return Strip.blank(widget.size.width, widget.visual_style.rich_style)
