"""A tile per figure on the overview: value, 12-month figure, change, sparkline, ranks."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from jctui.i18n import MONTHS_SHORT, Lang, fmt_number, fmt_pct, t
from jctui.presentation.policy import revised_mark, warning_mark
from jctui.presentation.text import arrow, sparkline, verdict
from jctui.presentation.tiles import TileData

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
            figure_line.append(fmt_pct(d.value, lang, signed=False), style="bold")
            figure_line.append(
                f"  {t('prev_year_short', lang)} {fmt_pct(d.figure, lang, signed=False)}"
            )
        else:
            figure_line.append(d.value_text(lang), style="bold")
            label = t("12_mo_short" if d.kind == "flow" else "prev_year_short", lang)
            figure_line.append(f"  {label} {d.counts.fmt(d.figure, lang)}")
        style = VERDICT_STYLE[verdict(d.change, d.better)]
        change_line = Text(f"{arrow(d.change, ascii_only=self.ascii_only)} ", style=style)
        if d.kind == "rate":
            points = fmt_pct(d.change, lang).rstrip("%").rstrip()
            change_line.append(f"{points} {t('points', lang)}", style=style)
        else:
            change_line.append(fmt_pct(d.change, lang), style=style)
        if d.rank is not None:
            change_line.append(f"  #{d.rank}/{d.rank_of}")
            if d.group_rank is not None:
                change_line.append(f" · {d.group_rank}/{d.group_rank_of}", style="dim")
        spark = Text(
            sparkline(list(d.spark), ascii_only=self.ascii_only, width=width), style="cyan"
        )
        last = self.last_line(d, lang)
        return [head, figure_line, change_line, spark, *([last] if last is not None else [])]

    @staticmethod
    def last_line(d: TileData, lang: Lang) -> Text | None:
        """The target and how far it is reached, else the age of the data."""
        if d.target is not None:
            target = f"{t('target', lang)} {fmt_number(d.target, lang)}"
            if d.kind != "flow":
                return Text(target)
            done = (d.ytd or 0.0) / d.target * 100 if d.target else 0.0
            year = d.year_share * 100
            return Text(
                f"{target}: {done:.0f}/{fmt_pct(year, lang, 0, signed=False)}",
                style="bold green" if done >= year else "bold red",
            )
        if d.latest_period is None:
            return None
        month = f"{MONTHS_SHORT[lang][d.latest_period.month - 1]} {d.latest_period.year % 100:02d}"
        age = Text(f"{t('data_as_of', lang)}: {month}", style="dim")
        if d.overdue:
            age.append(f" {t('overdue', lang)}", style="yellow")
        return age
