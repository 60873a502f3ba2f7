"""A read-only table that draws only the rows on screen (Textual's Line API).

The compare table sorts and filters 407 rows on a key press; Textual's DataTable rebuilds
every row for that (about 250 ms here). This table takes an ordered list of row keys and
renders a line when Textual asks for it, so a sort or a filter costs one list and one repaint
of the visible rows. The first `fixed` columns stay put when scrolling sideways.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarCorner
from textual.strip import Strip
from textual.widget import Widget

from jctui.ui.messages import HeaderClicked, RowChosen, RowHighlighted
from jctui.ui.widgets.sized import SizedByLayout

LINES_KEPT = 400  # lines drawn kept for drawing again: a few screens' worth


class TableScrollBar(ScrollBar, SizedByLayout):
    """A table's scrollbar: shown the first time (a tab's first show), no second layout."""

    def placed(self) -> None:
        """A layout moved or resized the bar: the frame of that layout paints all of it (the
        compositor repaints a widget whose region changed), so a repaint the bar asked for
        until then (its table's, setting its window) would only be a frame of its own."""
        # Textual's private flag (version pinned), read when the bar is next idle, which
        # posts the repaint (Widget._check_refresh); the bar's dirty lines stay marked
        self._repaint_required = False


class TableScrollBarCorner(ScrollBarCorner, SizedByLayout):
    """Where a table's two scrollbars meet (as TableScrollBar)."""


@dataclass(frozen=True)
class TableColumn:
    label: Text
    width: int
    right: bool = False


class RowTable(ScrollView, can_focus=True):
    """Rows of pre-built cells, a header line, a row cursor and zebra stripes."""

    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 1;
        overflow-y: scroll;  /* a filter to a few rows must not relayout the screen */
    }
    RowTable > .row-table--header { text-style: bold; background: $panel; color: $foreground; }
    RowTable > .row-table--odd { background: $surface-lighten-1; }
    RowTable > .row-table--even { background: $surface; }
    RowTable > .row-table--cursor { background: $block-cursor-blurred-background; }
    RowTable > .row-table--own { background: $accent 40%; text-style: bold; }
    /* the cursor while the table has the focus (not a :focus rule: see watch_has_focus) */
    RowTable > .row-table--cursor-focused {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--odd",
        "row-table--even",
        "row-table--cursor",
        "row-table--cursor-focused",
        "row-table--own",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Open", show=False),
        Binding("up", "move(-1)", show=False),  # no description: not worth a help line
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "move(-1000000)", show=False),
        Binding("end", "move(1000000)", show=False),
        Binding("left", "column(-1)", "Scroll by a column", show=False),
        Binding("right", "column(1)", "Scroll by a column", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True)
    # draw only whole scrolled columns (no fragment of a number at either edge); a table
    # whose last column is text (a message) rather shows that cut
    WHOLE_COLUMNS: ClassVar[bool] = False

    def __init__(self, *, fixed: int = 0, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fixed = fixed
        self.columns: list[TableColumn] = []
        self.keys: list[str] = []
        self._header: Strip = Strip([])
        self._strips: dict[str, tuple[Strip, Strip]] = {}
        self._fixed_width = 0
        self._styles: dict[str, Style] = {}
        # the lines drawn, by what they show (row, style, columns, width): a repaint of the
        # table (a tab switch, a focus move) makes again only lines that changed
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(LINES_KEPT)
        self._laid_out: tuple[Size, Size] | None = None  # (size, virtual size) last laid out
        self.own_key: str | None = None  # a row drawn highlighted (your Jobcenter)

    # -- data ------------------------------------------------------------------------

    def row_cells(self, key: str) -> Sequence[Text]:
        """The cells of row `key`, one per column; asked only for rows that are drawn."""
        raise NotImplementedError

    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        """Columns and header; rows are drawn again only when a width changed."""
        columns = list(columns)
        if [(c.width, c.right) for c in columns] != [(c.width, c.right) for c in self.columns]:
            self._strips.clear()
            self._lines.clear()
        self.columns = columns
        self._fixed_width = sum(c.width + 1 for c in self.columns[: self.fixed])
        self._header = self._line([c.label for c in self.columns])
        self._forget_lines({None})
        self._set_virtual_size(Size(sum(c.width + 1 for c in self.columns), len(self.keys) + 1))
        self.refresh_line(0)

    def set_rows(self, keys: Sequence[str], *, keep_cursor: bool = True) -> None:
        """Show these rows in this order.

        The cursor stays on its row if that is still shown (a filter or a refresh), or goes
        back to the top (`keep_cursor=False`, after a sort: the user wants to see the top).
        """
        cursor_key = self.cursor_key if keep_cursor else None
        self.keys = list(keys)
        self._set_virtual_size(Size(self.virtual_size.width, len(self.keys) + 1))
        if cursor_key is None:
            self.scroll_to(y=0, animate=False, immediate=True)
            self.cursor_row = 0
        else:
            self.cursor_row = {key: i for i, key in enumerate(self.keys)}.get(cursor_key, 0)
        self.refresh()

    def prepare(self, count: int) -> None:
        """The cells of the first `count` rows made before they are drawn (a hidden table),
        and their lines as its first show draws them (scrolled to the top, at the screen's
        width, as `_forecast_scrollbars`): that show then only looks them up. The cursor's
        row and your own are left to it (drawn as the focus is then); a wrong width only
        makes lines that are never drawn."""
        width = self.screen.size.width
        if self.show_vertical_scrollbar:
            width -= self.styles.scrollbar_size_vertical
        self._made_line(None, self._style("row-table--header"), 0, width)
        for row, key in enumerate(self.keys[:count]):
            if row != self.cursor_row and key != self.own_key:
                self._made_line(key, self._style(self._zebra(row)), 0, width)
            else:
                self._row_parts(key)

    def forget_rows(self, keys: Iterable[str] | None = None) -> None:
        """The cells of these rows (or of all) changed: draw them again."""
        if keys is None:
            self._strips.clear()
            self._lines.clear()
            self.refresh()
            return
        forgotten = set(keys)
        self._forget_lines(set[str | None](forgotten))
        for key in forgotten:
            self._strips.pop(key, None)
            if key in self.keys:
                self.refresh_line(self.keys.index(key) + 1)

    def _forget_lines(self, keys: set[str | None]) -> None:
        """The lines drawn of these rows (None: the header) made again when next drawn."""
        kept = self._lines.keys()
        for made in [made for made in kept if made[0] in keys]:
            self._lines.discard(made)

    def _set_virtual_size(self, size: Size) -> None:
        """Like setting `virtual_size`, without a layout of the whole screen (~30 ms) each time.

        `virtual_size` is a layout reactive; a new row count only needs the scrollbars
        updated, unless a scrollbar appears or goes away.
        """
        if size == self.virtual_size:
            return
        if not self.is_mounted:
            self.virtual_size = size
            return
        if self._laid_out is None:
            self.set_reactive(RowTable.virtual_size, size)
            self._forecast_scrollbars()
            return
        bars = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        self.set_reactive(RowTable.virtual_size, size)
        self._scroll_update(size)  # Textual's own scrollbar update (version pinned)
        if (self.show_vertical_scrollbar, self.show_horizontal_scrollbar) != bars:
            self.refresh(layout=True)

    def _forecast_scrollbars(self) -> None:
        """Before the table's first layout (its tab not shown yet): the scrollbars it will
        show, at the screen's width (both tables span it), so that the layout that first
        shows the table places them. Textual finds them only in that layout, and lays out
        again for them (a frame more); a wrong forecast costs just that."""
        horizontal = self.styles.overflow_x == "scroll" or (
            self.styles.overflow_x == "auto"
            and self.virtual_size.width
            > self.screen.size.width - self.styles.scrollbar_size_vertical
        )
        vertical = self.styles.overflow_y == "scroll"  # (a table's: see DEFAULT_CSS)
        self.set_reactive(Widget.show_horizontal_scrollbar, horizontal)
        self.set_reactive(Widget.show_vertical_scrollbar, vertical)
        self.horizontal_scrollbar.display = horizontal
        self.vertical_scrollbar.display = vertical

    # Textual makes a widget's scrollbars when first asked for (these properties, with the
    # private `_start_widget`, version pinned): here of the kind that needs no second layout

    def _new_scrollbar(self, vertical: bool) -> TableScrollBar:
        thickness = self.scrollbar_size_vertical if vertical else self.scrollbar_size_horizontal
        name = "vertical" if vertical else "horizontal"
        bar = TableScrollBar(vertical=vertical, name=name, thickness=thickness)
        bar.display = False
        return bar

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:
            self._vertical_scrollbar = bar = self._new_scrollbar(vertical=True)
            self.app._start_widget(self, bar)  # kept before it starts, as Textual does
        return self._vertical_scrollbar

    @property
    def horizontal_scrollbar(self) -> ScrollBar:
        if self._horizontal_scrollbar is None:
            self._horizontal_scrollbar = bar = self._new_scrollbar(vertical=False)
            self.app._start_widget(self, bar)
        return self._horizontal_scrollbar

    @property
    def scrollbar_corner(self) -> ScrollBarCorner:
        if self._scrollbar_corner is None:
            self._scrollbar_corner = TableScrollBarCorner()
            self.app._start_widget(self, self._scrollbar_corner)
        return self._scrollbar_corner

    @property
    def row_count(self) -> int:
        return len(self.keys)

    @property
    def cursor_key(self) -> str | None:
        return self.keys[self.cursor_row] if 0 <= self.cursor_row < len(self.keys) else None

    # -- drawing ---------------------------------------------------------------------

    def _line(self, cells: Sequence[Text]) -> Strip:
        segments: list[Segment] = []
        console = self.app.console
        for column, cell in zip(self.columns, cells, strict=False):
            if cell.spans or cell.cell_len > column.width:  # rare: names that need cutting
                text = cell.copy()
                text.truncate(column.width, overflow="ellipsis")
                parts = list(text.render(console))
                pad = column.width - text.cell_len
            else:  # one style per cell: one segment, no Rich rendering
                style = cell.style
                parts = [Segment(cell.plain, console.get_style(style) if style else None)]
                pad = column.width - cell.cell_len
            if column.right:
                segments.append(Segment(" " * pad))
                segments.extend(parts)
                segments.append(Segment(" "))
            else:
                segments.extend(parts)
                segments.append(Segment(" " * (pad + 1)))
        return Strip(segments)

    def _row_parts(self, key: str) -> tuple[Strip, Strip]:
        parts = self._strips.get(key)
        if parts is None:
            line = self._line(self.row_cells(key))
            parts = (line.crop(0, self._fixed_width), line.crop(self._fixed_width))
            self._strips[key] = parts
        return parts

    def _style(self, component: str) -> Style:
        """The widget's style under a component's, looked up once per theme and focus."""
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self.rich_style + self.get_component_rich_style(
                component
            )
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def watch_has_focus(self, has_focus: bool) -> None:
        """The cursor's row drawn in the focused or the blurred cursor style, the rest kept.

        Textual's own (Widget.watch_has_focus) applies the stylesheet to the table again for
        its :focus rules, which it has none of but the cursor's; that also repaints its
        scrollbars (Textual repaints them whenever their colours are set, changed or not),
        a frame of their own after a tab switch's."""
        del has_focus  # drawn by render_line (your own row, pinned, is never the cursor's)
        self.refresh_line(self.cursor_row + 1)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Textual's ScrollView updates and repaints its scrollbars at every layout of the
        screen (the virtual size it is given is never the one it keeps): here only when the
        table's size or its virtual size changed since (a tab switch back to it: neither)."""
        # a private hook of Textual's (version pinned), as ScrollView overrides it
        laid_out = (size, self.virtual_size)
        if laid_out == self._laid_out and size == self._size:
            return False
        self._laid_out = laid_out
        # a layout of the screen (not of its visible part, scrolled: layout=False) repaints
        # every region that changed; the scrollbars at the table's edges moved or resized
        resized = size != self._size and layout
        updated = super()._size_updated(size, virtual_size, container_size, layout)
        if resized:  # (first shown: placed by this layout) so painted by its frame
            for bar in (self._vertical_scrollbar, self._horizontal_scrollbar):
                if isinstance(bar, TableScrollBar):
                    bar.placed()
        return updated

    def pinned_row(self) -> int | None:
        """The row of `own_key` when it is scrolled out of view: it is drawn on the last line
        instead (pinned), so your Jobcenter is always on screen beside the top of a ranking."""
        if self.own_key is None or self.own_key not in self.keys:
            return None
        lines = self.scrollable_content_region.height - 1
        row, top = self.keys.index(self.own_key), self.scroll_offset.y
        return row if lines >= 2 and not top <= row < top + lines else None

    def render_line(self, y: int) -> Strip:
        """Line `y` (0: the header): a row's cells in its style (cursor, your own row, zebra),
        cut to the columns scrolled to; made once for what it shows (`_lines`)."""
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            key: str | None = None
            style = self._style("row-table--header")
        else:
            row = y - 1 + scroll_y
            pinned = self.pinned_row() if y == self.scrollable_content_region.height - 1 else None
            row = row if pinned is None else pinned
            if row >= len(self.keys):
                return Strip.blank(width, self._style("row-table--even"))
            key = self.keys[row]
            if key == self.own_key and (row != self.cursor_row or not self.has_focus):
                component = "row-table--own"
            elif row == self.cursor_row:
                component = "row-table--cursor-focused" if self.has_focus else "row-table--cursor"
            else:
                component = self._zebra(row)
            style = self._style(component)
        return self._made_line(key, style, scroll_x, width)

    @staticmethod
    def _zebra(row: int) -> str:
        """The component of row `row` (a stripe) when it is neither the cursor's nor yours."""
        return "row-table--odd" if row % 2 else "row-table--even"

    def _made_line(self, key: str | None, style: Style, scroll_x: int, width: int) -> Strip:
        """Row `key`'s line (None: the header's) in `style`, scrolled sideways to `scroll_x`,
        `width` cells wide: made once for what it shows (`_lines`)."""
        room = width - self._fixed_width
        if self.WHOLE_COLUMNS:
            start, end = self._whole_columns(scroll_x, room)
        else:
            start, end = scroll_x, scroll_x + room
        made = (key, style, start, end, width, self._fixed_width)
        line = self._lines.get(made)
        if line is None:
            if key is None:
                fixed, rest = (
                    self._header.crop(0, self._fixed_width),
                    self._header.crop(self._fixed_width),
                )
            else:
                fixed, rest = self._row_parts(key)
            line = Strip.join([fixed, rest.crop(start, end)])
            line = line.adjust_cell_length(width).apply_style(style)
            self._lines.set(made, line)
        return line

    def _whole_columns(self, x: int, room: int) -> tuple[int, int]:
        """The cells of the scrolled columns to draw from `x` in `room` cells: whole columns
        only (from the column at `x`), never a fragment of a number at either edge."""
        edges = [0]
        for column in self.columns[self.fixed :]:
            edges.append(edges[-1] + column.width + 1)
        start = max(edge for edge in edges if edge <= x)
        end = max((edge for edge in edges if edge <= start + room), default=start)
        return start, max(end, start)

    # -- cursor and scrolling ----------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        clamped = max(0, min(new, len(self.keys) - 1))
        if clamped != new:
            self.cursor_row = clamped
            return
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self._scroll_cursor_into_view()
        if self.cursor_key is not None:
            self.post_message(RowHighlighted(self.cursor_key))

    def _scroll_cursor_into_view(self) -> None:
        visible_rows = max(1, self.scrollable_content_region.height - 1)
        if self.own_key in self.keys and visible_rows > 2:
            visible_rows -= 1  # the last line may hold your pinned row
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible_rows:
            self.scroll_to(y=self.cursor_row - visible_rows + 1, animate=False, immediate=True)

    def refresh_line(self, y: int) -> None:
        """Repaint line `y` of the virtual table (0 is the header, which never scrolls)."""
        on_screen = y - self.scroll_offset.y if y else 0
        if 0 <= on_screen < self.size.height:
            self.refresh(Region(0, on_screen, self.size.width, 1))

    def action_move(self, step: int) -> None:
        self.cursor_row = max(0, min(self.cursor_row + step, len(self.keys) - 1))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.scrollable_content_region.height - 1))

    def show_column(self, index: int) -> None:
        """Scroll sideways just enough that column `index` is on screen."""
        if index < self.fixed or index >= len(self.columns):
            return
        start = sum(c.width + 1 for c in self.columns[self.fixed : index])
        end = start + self.columns[index].width
        room = self.scrollable_content_region.width - self._fixed_width
        x = self.scroll_offset.x
        if start < x:
            self.scroll_to(x=start, animate=False)
        elif end > x + room:
            self.scroll_to(x=end - room, animate=False)

    def action_column(self, step: int) -> None:
        """Scroll sideways by one whole column (the fixed columns stay)."""
        edges = [0]
        for column in self.columns[self.fixed :]:
            edges.append(edges[-1] + column.width + 1)
        x = self.scroll_offset.x
        if step > 0:
            target = next((edge for edge in edges if edge > x), x)
        else:
            target = next((edge for edge in reversed(edges) if edge < x), 0)
        self.scroll_to(x=target, animate=False)

    def action_choose(self) -> None:
        if self.cursor_key is not None:
            self.post_message(RowChosen(self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x
            if x >= self._fixed_width:
                x += self.scroll_offset.x
            edge = 0
            for index, column in enumerate(self.columns):
                edge += column.width + 1
                if x < edge:
                    self.post_message(HeaderClicked(index))
                    return
            return
        row = event.y - 1 + self.scroll_offset.y
        pinned = self.pinned_row()
        if pinned is not None and event.y == self.scrollable_content_region.height - 1:
            row = pinned
        if 0 <= row < len(self.keys):
            if row == self.cursor_row and event.chain == 2:
                self.action_choose()
            self.cursor_row = row
