"""The compare screen's `/` name filter: shown while typed in, hidden when left."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from jctui.ui.widgets.row_table import RowTable


class FilterInput(Input):
    """The `/` name filter; Escape (or Enter) goes back to the table, keeping the filter."""

    BINDINGS = [Binding("escape", "leave", "Back to the table", show=False)]

    def open(self) -> None:
        """Shown first, then focused: a hidden widget cannot take the focus, and keys typed
        meanwhile would go to the table."""
        self.add_class("-visible")
        self.call_after_refresh(self.focus)

    @property
    def opening(self) -> bool:
        """Shown and about to take the focus (keys typed now are the filter's)."""
        return self.has_class("-visible")

    def action_leave(self) -> None:
        if self.parent is not None:
            self.parent.query_one(RowTable).focus()  # the table beside it

    def on_blur(self) -> None:
        self.remove_class("-visible")
