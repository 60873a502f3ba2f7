"""A tile per figure on the overview: value, 12-month figure, change, ranks, the group mean
and the state's figure (where the data has it), sparkline, month.

The tile fills the room the grid gives it: at 80x24 each part has a line of its own, on a
large screen the value is drawn in large digits and the sparkline grows into a bar chart.
`lines` decides the room of each part, then lists the parts in screen order; a new line (a
target, say) is one more `Part` there (and one more entry of `bottom` for the last lines).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region
from textual.reactive import reactive
from textual.renderables.digits import Digits
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual
from textual.widget import Widget

from jctui.i18n import Lang, window_label
from jctui.presentation.policy import revised_mark, warning_mark
from jctui.presentation.text import arrow, spark_rows, sparkline, verdict
from jctui.presentation.tiles import (
    TileData,
    first_fitting,
    rank_variants,
    rate_text,
    report_variants,
)
from jctui.ui.messages import FigureChosen
from jctui.ui.widgets.sized import kept_line

VERDICT_STYLE = {"good": "bold green", "bad": "bold red", "neutral": "bold"}
BIG_DIGITS_MIN_SPARE = 5  # rows beyond the compact tile before the value gets large digits
BIG_DIGITS_MIN_SPARE_KIOSK = 3  # a kiosk, read from across a room: before the bar chart grows
MAX_SPARK_ROWS = 12  # a taller bar chart says no more than this one


@dataclass(frozen=True)
class Part:
    """Lines of a tile, in the order they are shown (a part without room has none)."""

    lines: list[Text]


class MetricTile(Widget, can_focus=True):
    """Focusable so that `i` explains the figure under the cursor, `c` copies it and Enter
    charts it."""

    BINDINGS = [Binding("enter", "chart", "Chart this figure", show=False)]

    data: reactive[TileData | None] = reactive(None)  # the tile's size is the grid's
    lang: reactive[Lang] = reactive("en")

    def __init__(
        self, key: str, *, ascii_only: bool = False, large: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.key = key
        self.ascii_only = ascii_only
        self.large = large  # the kiosk: large digits wherever three rows are to spare
        # the strips of the text shown, with what they were made for (see `strips`)
        self.made_lines: tuple[TileData | None, tuple[object, ...], list[Strip]] | None = None
        self.frame_strips: list[Strip] | None = None  # while a frame draws it (render_lines)

    def action_chart(self) -> None:
        self.post_message(FigureChosen(self.key))

    def render_lines(self, crop: Region) -> list[Strip]:
        """The tile's lines for a frame: its strips checked once (`strips`), not for every
        line (the content size alone asks the screen where the tile is)."""
        self.frame_strips = self.strips()
        try:
            return super().render_lines(crop)
        finally:
            self.frame_strips = None

    def render_line(self, y: int) -> Strip:
        """Line `y` of the tile's text, made once for its data, language, size and style: a
        focus move restyles and repaints the tile (its border), not its figures."""
        strips = self.frame_strips if self.frame_strips is not None else self.strips()
        return kept_line(self, strips, y)

    def strips(self) -> list[Strip]:
        """The strips of the text shown, made again when its data, language, size or style
        changed (`line_strips`: as Textual's own render makes them, for lines that fit)."""
        made = self.made_lines
        size, style = self.size, self.visual_style
        key = (self.lang, size, style)
        if made is None or made[0] is not self.data or made[1] != key:
            visual = self._render()
            if isinstance(visual, Content) and self.text_selection is None:
                strips = line_strips(visual, size.height, style, self._get_style)
            else:  # text selected with the mouse: Textual shows the selection
                strips = Visual.to_strips(self, visual, size.width, size.height, style)
            made = self.made_lines = (self.data, key, strips)
        return made[2]

    def render(self) -> Text:
        """The lines that fit the tile, each cut to its width (never wrapped)."""
        width, height = max(8, self.size.width), max(1, self.size.height)
        lines = self.lines(width, height)
        for line in lines:
            line.truncate(width, overflow="ellipsis")
        return Text("\n").join(lines)

    # -- the parts ---------------------------------------------------------------------

    def lines(self, width: int, height: int = 5) -> list[Text]:
        """The tile's lines for a content area of `width` x `height`."""
        d, lang = self.data, self.lang
        if d is None:
            return [Text("…")]
        ranks = rank_variants(d, lang)
        bottom = [line for line in (self.target_line(d, width), self.report_line(d, width)) if line]
        # the compact tile: head, figure, change (+ ranks), sparkline, one bottom line
        compact = 4 + min(1, len(bottom))
        spare = height - compact
        own_rank_line = bool(ranks) and spare >= 1
        spare -= own_rank_line
        # the group mean and the state's figure: after the ranks, before a second bottom line
        beside_line = bool(d.beside_texts) and spare >= 1
        spare -= beside_line
        digits = not self.ascii_only and Digits.get_width(self.value_text(d, lang)) <= width
        # the kiosk, read from across a room: large digits before the lines below
        big = self.large and digits and spare >= BIG_DIGITS_MIN_SPARE_KIOSK
        spare -= 3 if big else 0
        # the declared detail fields (jctui.fields: a 24-month mean), one line, where room is
        detail_line = bool(d.details) and spare >= 1
        spare -= detail_line
        bottom_shown = bottom[: 1 + max(0, min(len(bottom) - 1, spare))]
        spare -= len(bottom_shown) - min(1, len(bottom))
        if not big and not self.large:
            big = digits and spare >= BIG_DIGITS_MIN_SPARE
            spare -= 3 if big else 0
        gap = spare >= 4  # room to breathe: a blank line under the head and over the bottom
        spare -= 2 if gap else 0
        change = self.change_line(d, lang)
        if ranks and not own_rank_line:
            room = width - change.cell_len - 2
            change.append(f"  {first_fitting(ranks, room)}", style="dim")
        parts = [
            Part([self.head_line(d, width)]),
            Part([Text()] if gap else []),
            Part(self.big_value(d, lang) if big else []),
            Part([self.figure_line(d, lang, width, with_value=not big)]),
            Part([change]),
            Part([self.rank_line(ranks, width)] if own_rank_line else []),
            Part([self.beside_line(d, width)] if beside_line else []),
            Part([Text(" · ".join(d.details), style="dim")] if detail_line else []),
            Part(self.spark_lines(d, width, 1 + max(0, spare))),
            Part([Text()] if gap else []),
            Part(bottom_shown),
        ]
        return [line for part in parts for line in part.lines][:height]

    def head_line(self, d: TileData, width: int) -> Text:
        """The label (the short one when the full one does not fit) and the marks."""
        marks = " ".join(
            m
            for m in (warning_mark(d.warnings, ascii_only=self.ascii_only), revised_mark(d.revised))
            if m
        )
        room = width - (len(marks) + 1 if marks else 0)
        label = d.label if len(d.label) <= room else (d.short_label or d.label)
        head = Text(label, style="bold")
        if marks:
            head.append(" " + marks, style="bold yellow")
        return head

    @staticmethod
    def value_text(d: TileData, lang: Lang) -> str:
        """The value as shown ('*' when withheld)."""
        return rate_text(d, "value", lang) if d.kind == "rate" else d.shown("value", lang)

    def big_value(self, d: TileData, lang: Lang) -> list[Text]:
        """The value in large digits (three rows), for a tile with room to spare."""
        rows = big_digits(self.value_text(d, lang))
        return [Text(row, style="bold") for row in rows]

    def figure_line(self, d: TileData, lang: Lang, width: int, *, with_value: bool = True) -> Text:
        """The value and its companion (the window's sum, previous year), shorter where narrow."""
        labels: tuple[str, ...] = ("prev_year_short", "prev_year_tiny")
        if d.kind == "rate":
            figure = rate_text(d, "figure", lang)
        else:
            labels = ("window_short",) if d.kind == "flow" else labels
            figure = d.shown("figure", lang)
        value = self.value_text(d, lang) if with_value else ""
        companions = [f"{window_label(label, lang, d.window)} {figure}" for label in labels]
        if not value:
            return Text(first_fitting(companions, width))
        variants = [f"{value}{gap}{c}" for c in companions for gap in ("  ", " ")]
        line = Text(first_fitting(variants, width))
        line.stylize("bold", 0, len(value))
        return line

    def change_line(self, d: TileData, lang: Lang) -> Text:
        style = VERDICT_STYLE[verdict(d.change, d.better)]
        line = Text(f"{arrow(d.change, ascii_only=self.ascii_only)} ", style=style)
        line.append(d.shown_change(lang), style=style)
        return line

    @staticmethod
    def rank_line(ranks: tuple[str, ...], width: int) -> Text:
        """The rank within the comparison type first (bold), then among all Jobcenters."""
        text = first_fitting(ranks, width)
        head, sep, tail = text.partition(" · ")
        line = Text(head, style="bold")
        if sep:
            line.append(sep + tail, style="dim")
        return line

    @staticmethod
    def beside_line(d: TileData, width: int) -> Text:
        """The comparison group's mean (dim) and the state's published figure."""
        text = first_fitting(d.beside_texts, width)
        head, sep, tail = text.rpartition(" · ")
        if not sep:
            return Text(text)
        line = Text(head + sep, style="dim")
        line.append(tail)
        return line

    def spark_lines(self, d: TileData, width: int, rows: int) -> list[Text]:
        """One sparkline; with room, a bar chart of `rows` rows as wide as the tile."""
        rows = min(rows, MAX_SPARK_ROWS)
        if rows <= 1 or not d.spark:
            return [
                Text(
                    sparkline(list(d.spark), ascii_only=self.ascii_only, width=width), style="cyan"
                )
            ]
        chart = spark_rows(list(d.spark), rows, width, ascii_only=self.ascii_only)
        return [Text(row, style="cyan") for row in chart]

    def target_line(self, d: TileData, width: int) -> Text | None:
        """The target, progress and where the year will end, as long as the width allows
        (green on track, red off); None without a target."""
        if not d.target_texts:
            return None
        style = "" if d.on_track is None else "bold green" if d.on_track else "bold red"
        text = first_fitting(d.target_texts, width)
        return Text(text.replace("→", "->") if self.ascii_only else text, style=style)

    def report_line(self, d: TileData, width: int) -> Text | None:
        """The report month of the data against the publication calendar."""
        variants = report_variants(d, self.lang)
        if not variants:
            return None
        return Text(first_fitting(variants, width), style="yellow" if d.overdue else "dim")


def line_strips(
    content: Content, height: int, style: VisualStyle, get_style: Callable[[Any], VisualStyle]
) -> list[Strip]:
    """The strips of `content`'s lines (each fits the width: cut in `MetricTile.render`), as
    Textual's Content.render_strips makes them for a left-aligned text, less its wrapping,
    link and selection passes, which change nothing here (~2/3 of a tile's rendering)."""
    strips = []
    for y, line in enumerate(content.split(allow_blank=True)[:height]):
        segments = []
        x = 0
        for text, text_style in line.render(style, end="", parse_style=get_style):
            segments.append(Segment(text, (style + text_style).rich_style_with_offset(x, y)))
            x += len(text)
        strips.append(Strip(segments, line.cell_length))
    return strips


def big_digits(text: str) -> tuple[str, str, str]:
    """`text` in Textual's three-row digit font (what the Digits widget draws)."""
    rows: list[list[str]] = [[], [], []]
    from textual.renderables.digits import DIGITS, DIGITS3X3_BOLD

    for character in text:  # "." stays a low dot: in German it groups thousands
        if character in DIGITS:
            at = DIGITS.index(character) * 3
            for row in range(3):
                rows[row].append(DIGITS3X3_BOLD[at + row].ljust(3))
        else:
            rows[0].append(" ")
            rows[1].append(" ")
            rows[2].append(character)
    return ("".join(rows[0]), "".join(rows[1]), "".join(rows[2]))
