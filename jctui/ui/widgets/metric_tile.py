"""A tile per figure on the overview: value, 12-month figure, change, sparkline, ranks."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from jctui.i18n import MONTHS_SHORT, Lang, t
from jctui.presentation.policy import revised_mark, warning_mark
from jctui.presentation.text import arrow, sparkline, verdict
from jctui.presentation.tiles import TileData, rate_text

VERDICT_STYLE = {"good": "bold green", "bad": "bold red", "neutral": "bold"}


class MetricTile(Widget, can_focus=True):
    """Focusable so that `i` explains the figure under the cursor and `c` copies it."""

    data: reactive[TileData | None] = reactive(None, layout=True)
    lang: reactive[Lang] = reactive("en")

    def __init__(self, key: str, *, ascii_only: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key
        self.ascii_only = ascii_only

    def render(self) -> Text:
        """Five short lines, each cut to the tile's width (never wrapped: the grid stays even)."""
        width = max(8, self.size.width)
        lines = self.lines(width)
        for line in lines:
            line.truncate(width, overflow="ellipsis")
        return Text("\n").join(lines)

    def lines(self, width: int) -> list[Text]:
        d, lang = self.data, self.lang
        if d is None:
            return [Text("…")]
        head = Text(d.label, style="bold")
        marks = [warning_mark(d.warnings, ascii_only=self.ascii_only), revised_mark(d.revised)]
        if any(marks):
            head.append(" " + " ".join(m for m in marks if m), style="bold yellow")
        figure_line = Text()
        if d.kind == "rate":
            figure_line.append(rate_text(d, "value", lang), style="bold")
            figure_line.append(f"  {t('prev_year_short', lang)} {rate_text(d, 'figure', lang)}")
        else:
            figure_line.append(d.shown("value", lang), style="bold")
            label = t("12_mo_short" if d.kind == "flow" else "prev_year_short", lang)
            figure_line.append(f"  {label} {d.shown('figure', lang)}")
        style = VERDICT_STYLE[verdict(d.change, d.better)]
        change_line = Text(f"{arrow(d.change, ascii_only=self.ascii_only)} ", style=style)
        change_line.append(d.shown_change(lang), style=style)
        rank, _, group_rank = d.shown_rank().partition(" · ")
        if rank:
            change_line.append(f"  {rank}")
        if group_rank:
            change_line.append(f" · {group_rank}", style="dim")
        spark = Text(
            sparkline(list(d.spark), ascii_only=self.ascii_only, width=width), style="cyan"
        )
        last = self.last_line(d, lang, width, ascii_only=self.ascii_only)
        return [head, figure_line, change_line, spark, *([last] if last is not None else [])]

    @staticmethod
    def last_line(
        d: TileData, lang: Lang, width: int = 80, *, ascii_only: bool = False
    ) -> Text | None:
        """The target, progress and projection, as long as the width allows (green on track,
        red off), else the data's age."""
        if d.target_texts:
            style = "" if d.on_track is None else "bold green" if d.on_track else "bold red"
            text = next((x for x in d.target_texts if len(x) <= width), d.target_texts[-1])
            return Text(text.replace("→", "->") if ascii_only else text, style=style)
        if d.latest_period is None:
            return None
        month = f"{MONTHS_SHORT[lang][d.latest_period.month - 1]} {d.latest_period.year % 100:02d}"
        age = Text(f"{t('data_as_of', lang)}: {month}", style="dim")
        if d.overdue:
            age.append(f" {t('overdue', lang)}", style="yellow")
        return age
