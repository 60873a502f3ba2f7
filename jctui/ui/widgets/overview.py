"""Screen 1, the overview of one Jobcenter: a grid of tiles that wraps with the width."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from jctui.i18n import Lang
from jctui.presentation.text import safe_text
from jctui.presentation.tiles import OverviewData
from jctui.ui.widgets.attention_line import AttentionLine
from jctui.ui.widgets.metric_tile import MetricTile
from jctui.ui.widgets.sized import Line, SizedByLayout


class OverviewPane(VerticalScroll, SizedByLayout):
    """Tiles for the figures of the chosen Jobcenter (`data`); the arrow keys move the focus
    from tile to tile as they stand on screen. `keys` are the tiles before any data; the
    figures of the data then decide (a key-figure table: its K-figures, not the counts it
    lacks), and the tiles follow."""

    BINDINGS = [
        Binding("left", "move_focus(-1, 0)", "Previous/next figure", show=False),
        Binding("right", "move_focus(1, 0)", "Previous/next figure", show=False),
        Binding("up", "move_focus(0, -1)", "Figure above/below", show=False),
        Binding("down", "move_focus(0, 1)", "Figure above/below", show=False),
    ]

    # the pane draws none of these itself (its tiles and lines do): none repaints the
    # pane's whole region (every line of the screen under the tab bar composed again)
    data: reactive[OverviewData | None] = reactive(None, always_update=True, repaint=False)
    attention: reactive[tuple[str, ...]] = reactive(tuple, repaint=False)  # Session.attention
    lang: reactive[Lang] = reactive("en", repaint=False)

    def __init__(
        self, keys: Sequence[str], *, ascii_only: bool = False, large: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.keys = tuple(keys)
        self.ascii_only, self.large = ascii_only, large  # large: the kiosk's tiles

    def compose(self) -> ComposeResult:
        with Horizontal(id="overview-head"):
            yield Line(id="overview-title")
            yield AttentionLine(id="attention")
        with Grid(id="tiles"):
            for key in self.keys:
                yield self.new_tile(key)

    def new_tile(self, key: str) -> MetricTile:
        return MetricTile(
            key, ascii_only=self.ascii_only, large=self.large, id=f"tile-{key}", classes="tile"
        ).data_bind(OverviewPane.lang)

    def tiles(self) -> list[MetricTile]:
        """The tiles on screen, in order (not the hidden ones of figures gone)."""
        return [tile for tile in self.query(MetricTile) if tile.key in self.keys]

    def follow_keys(self, keys: tuple[str, ...]) -> None:
        """The tiles of `keys`, in that order: tiles of figures gone are hidden (kept for
        when the figure comes back: a removal still under way would take a tile mounted
        again for it along), new ones mounted in their place (the others keep their
        widget, and the focus)."""
        if keys == self.keys:
            return
        grid = self.query_one("#tiles", Grid)
        tiles = {tile.key: tile for tile in self.query(MetricTile)}
        for key, tile in tiles.items():
            tile.display = key in keys
        for at, key in enumerate(keys):
            if key not in tiles:
                before = next((tiles[k] for k in keys[at + 1 :] if k in tiles), None)
                tiles[key] = self.new_tile(key)
                if before is None:
                    grid.mount(tiles[key])
                else:
                    grid.mount(tiles[key], before=before)
        self.keys = keys
        self.on_resize()

    def on_resize(self) -> None:
        """Tiles laid out to fill the pane (see `tile_grid`)."""
        title = self.query_one("#overview-head", Horizontal)
        self.fit(self.size.width, self.size.height - title.outer_size.height)

    def fit_before_layout(self, width: int, height: int) -> None:
        """Tiles laid out for a pane of `width` x `height` (the screen's forecast of the room
        it gives the pane), before the first layout: `on_resize` then finds them laid out
        and the first frame needs no second layout and render (~0.1 s of a session's CPU)."""
        self.fit(width, height - HEAD_ROWS)

    def fit(self, width: int, height: int) -> None:
        """Tiles laid out to fill `width` x `height` under the title (see `tile_grid`); a
        style set to the value it has already costs no layout."""
        grid = self.query_one("#tiles", Grid)
        columns, height = tile_grid(len(self.keys), width - 2, height)
        grid.styles.grid_size_columns = columns
        grid.styles.grid_rows = str(height)
        # a narrow tile (80 columns) gives its padding to the text: "Ziel nicht auf Kurs -85"
        narrow = (width - 2 - (columns - 1)) // columns - 4 < TILE_TEXT_MIN
        for tile in self.query(MetricTile):
            tile.styles.height = height
            tile.styles.padding = (0, 0) if narrow else (0, 1)

    def action_move_focus(self, dx: int, dy: int) -> None:
        tiles = self.tiles()
        focused = self.screen.focused
        if not tiles:
            return
        if focused not in tiles:
            tiles[0].focus()
            return
        here = focused.region
        if dx:  # in reading order: the row's end leads to the next row
            at = tiles.index(focused) + dx
            target = tiles[at] if 0 <= at < len(tiles) else None
        else:  # the nearest tile in the next row up or down, by where it stands
            rows = [tile for tile in tiles if (tile.region.y - here.y) * dy > 0]
            target = min(
                rows,
                key=lambda tile: (abs(tile.region.y - here.y), abs(tile.region.x - here.x)),
                default=None,
            )
        if target is not None:
            target.focus()
            target.scroll_visible()

    def watch_attention(self, variants: tuple[str, ...]) -> None:
        if self.is_mounted:
            self.query_one(AttentionLine).variants = variants

    def watch_data(self, data: OverviewData | None) -> None:
        if data is None or not self.is_mounted:
            return
        title = Text(safe_text(data.name), style="bold")
        title.append(f"  {data.facts}")
        # as wide as its text: a layout only when the width changes (a month step mostly
        # keeps it; a layout reflows the whole screen)
        shown = self.query_one("#overview-title", Static)
        shown.update(title, layout=title.cell_len != shown.size.width)
        self.follow_keys(tuple(tile.key for tile in data.tiles))
        tiles = {tile.key: tile for tile in self.query(MetricTile)}
        for tile_data in data.tiles:
            if (tile := tiles.get(tile_data.key)) is not None:
                tile.data = tile_data


HEAD_ROWS = 1  # the title line over the tiles (#overview-head in app.tcss)
TILE_MIN_WIDTH = 24  # a label, "14,879  prev. yr 15,477" and the ranks
TILE_MIN_HEIGHT = 7  # border and five lines: head, figure, change, sparkline, report month
TILE_TEXT_MIN = 23  # the target line in words with its label: "Ziel nicht auf Kurs -85"
TILE_ASPECT = 1.5  # width to height (a cell is about half as wide as high): a bit wide


def tile_grid(count: int, width: int, height: int) -> tuple[int, int]:
    """(columns, tile height) that fill `width` x `height` with `count` tiles: of the column
    counts (2 to 6) whose tiles are at least the minimum size, the one with the shape closest
    to TILE_ASPECT; none fits: as many columns as are wide enough, at the minimum height (the
    pane scrolls)."""
    best: tuple[float, int, int] | None = None
    for columns in range(2, min(6, max(2, count)) + 1):
        rows = math.ceil(count / columns)
        tile_w, tile_h = width // columns, height // rows
        if tile_w < TILE_MIN_WIDTH or tile_h < TILE_MIN_HEIGHT:
            continue
        score = abs(math.log(tile_w / (2 * tile_h) / TILE_ASPECT))
        if best is None or score < best[0]:
            best = (score, columns, tile_h)
    if best is None:
        return max(2, min(6, width // (TILE_MIN_WIDTH + 2))), TILE_MIN_HEIGHT
    return best[1], best[2]
