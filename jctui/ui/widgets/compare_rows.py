"""The compare screen's table: its keys, column widths and header labels; the pane around
it (ComparePane, jctui.ui.widgets.compare_table) owns the rows, sorting, filters, marks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, cast

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingsMap

from jctui.presentation.ranking import sort_letters
from jctui.ui.messages import MakeMine
from jctui.ui.widgets.row_table import RowTable

COLUMN_WIDTHS = {
    "mark": 1,
    "name": 26,
    "trend": 12,
    "state": 5,
    "carrier": 7,
    "comparison_type": 5,
    "change": 8,
    "standing:rank": 5,
    "standing:best": 10,
    "standing:mean": 10,
}
RIGHT_ALIGNED = frozenset({"change", "standing:rank", "standing:best", "standing:mean"})
NAME_WIDTH_MAX = 40  # a name longer than this is cut even on the widest screen
# the columns after the figures: on a wide screen they give way to whole names (and are
# scrolled to sideways), unless sorted by (then they stand right after the name)
GIVE_WAY = frozenset({"trend", "state", "carrier", "comparison_type"})


def name_width(longest: int, room: int, widths: Mapping[str, int], sort_key: str) -> int:
    """The name column's width in a table `room` cells wide: 26 (80 columns: the name beside
    the figures), or as much of the `longest` name as fits beside the other columns, of which
    those after the figures (GIVE_WAY, but the sorted one) may be pushed out of view."""
    kept = sum(
        width + 1
        for column, width in widths.items()
        if column != "name" and (column not in GIVE_WAY or column == sort_key)
    )
    return max(COLUMN_WIDTHS["name"], min(longest, NAME_WIDTH_MAX, room - kept - 1))


def header_label(label: str, width: int, arrow: str) -> Text:
    """The column label cut to fit, so that the sort arrow always shows."""
    if not arrow:
        return Text(label)
    room = width - 2
    if len(label) > room:
        label = label[: room - 1] + "…"
    return Text(f"{label} {arrow}")


class CompareHost(Protocol):
    """What the table asks of the pane around it."""

    def my_type(self) -> None: ...
    def clear_filters(self) -> None: ...
    def toggle_mark(self) -> None: ...
    def next_sort(self, step: int = 1) -> None: ...
    def sort_figure(self, key: str) -> None: ...
    def cycle_filter(self, field: str) -> None: ...
    def open_filter(self) -> None: ...
    def type_into_filter(self, character: str) -> bool: ...
    def row_cells(self, key: str) -> list[Text]: ...


class CompareTable(RowTable):
    """The table itself; the pane owns the rows, sorting, filtering and marks."""

    WHOLE_COLUMNS = True  # figures: never a fragment of a number when scrolled sideways

    BINDINGS = [
        Binding("space", "toggle_mark", "Mark", show=True),
        Binding("s", "next_sort(1)", "Sort", show=True),
        Binding("S", "next_sort(-1)", "Sort back", show=False),
        Binding("f", "cycle_filter('state')", "State filter", show=False),
        Binding("b", "cycle_filter('carrier')", "Carrier filter", show=False),
        Binding("g", "cycle_filter('comparison_type')", "Type filter", show=False),
        Binding("G", "my_type", "My comparison type", show=False),
        Binding("x", "clear_filters", "Clear filters", show=False),
        Binding("slash", "focus_filter", "Filter", show=True),
        Binding("h", "make_mine", "Set as my Jobcenter", show=False),
    ]

    def __init__(self, *, fixed: int = 0, id: str | None = None) -> None:
        super().__init__(fixed=fixed, id=id)
        self.figure_bindings: list[Binding] = []  # a key per figure: bind_figures

    @property
    def pane(self) -> CompareHost:
        return cast(CompareHost, self.parent)

    def action_my_type(self) -> None:
        self.pane.my_type()

    def action_clear_filters(self) -> None:
        self.pane.clear_filters()

    def action_make_mine(self) -> None:
        if self.cursor_key is not None:
            self.post_message(MakeMine(self.cursor_key))

    def action_toggle_mark(self) -> None:
        self.pane.toggle_mark()

    def action_next_sort(self, step: int) -> None:
        self.pane.next_sort(step)

    def action_sort_figure(self, key: str) -> None:
        self.pane.sort_figure(key)

    def bind_figures(self, labels: Mapping[str, str]) -> dict[str, str]:
        """A key per figure (column key -> label) to sort by it, where letters are free of
        every key bound on the way up (the same letters in every language); returns the
        bindings made (letter -> column key), shown in the help as "Sort by K2"."""
        taken: set[str] = set()
        for node in self.ancestors_with_self:
            merged = type(node)._merged_bindings
            if merged is not None:
                taken.update(merged.key_to_bindings)
        letters = sort_letters(list(labels), taken)
        merged = type(self)._merged_bindings
        self._bindings = merged.copy() if merged is not None else BindingsMap()
        self.figure_bindings = [
            Binding(letter, f"sort_figure({key!r})", f"Sort by {labels[key]}", show=False)
            for letter, key in letters.items()
        ]
        for binding in self.figure_bindings:
            self._bindings.key_to_bindings.setdefault(binding.key, []).append(binding)
        self.refresh_bindings()
        return letters

    def action_cycle_filter(self, field: str) -> None:
        self.pane.cycle_filter(field)

    def action_focus_filter(self) -> None:
        self.pane.open_filter()

    def on_key(self, event: events.Key) -> None:
        """Letters typed right after `/`, before the filter has the focus (it must be shown
        first), belong to the filter: they are handed on, never lost or taken as keys."""
        if event.is_printable and event.character and self.pane.type_into_filter(event.character):
            event.stop()
            event.prevent_default()

    def row_cells(self, key: str) -> list[Text]:
        return self.pane.row_cells(key)
