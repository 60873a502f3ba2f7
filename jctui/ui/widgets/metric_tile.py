"""A tile per figure on the overview: value, 12-month figure, change, sparkline, ranks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from jctui.i18n import MONTHS_SHORT, Lang, fmt_number, fmt_pct, is_small_count, t
from jctui.presentation.text import arrow, sparkline, verdict

VERDICT_STYLE = {"good": "bold green", "bad": "bold red", "neutral": "bold"}


PREV_YEAR = {"de": "Vorjahr", "en": "prev. yr"}


@dataclass(frozen=True)
class TileData:
    """Everything one tile shows, already chosen by the overview."""

    key: str
    label: str
    kind: str  # flow | stock | rate
    better: str
    value: float | None
    figure: float | None  # flows: 12-month sum; stocks: value a year earlier; rates: prev. year
    change_pct: float | None
    ytd: float | None = None
    rank: int | None = None
    rank_of: int | None = None
    group_rank: int | None = None
    group_rank_of: int | None = None
    spark: tuple[float | None, ...] = ()
    latest_period: dt.date | None = None
    overdue: bool = False
    warnings: int = 0
    revised: int = 0
    target: float | None = None
    year_share: float = 0.0  # how far along the calendar year the as-of month is


class MetricTile(Widget, can_focus=True):
    """Focusable so that `i` explains the figure under the cursor and `c` copies it."""

    data: reactive[TileData | None] = reactive(None, layout=True)
    lang: reactive[Lang] = reactive("en")
    ascii_only = reactive(False)
    small_count_threshold = reactive(0.0)

    def __init__(self, key: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.key = key

    def as_text_line(self) -> str:
        """The figure as one line of plain text (for the clipboard), as the tile shows it."""
        d, lang = self.data, self.lang
        if d is None:
            return ""
        prev_year = PREV_YEAR[lang]
        if d.kind == "rate":
            value = fmt_pct(d.value, lang, signed=False)
            return f"{d.label} {value} ({prev_year} {fmt_pct(d.figure, lang, signed=False)})"
        change = fmt_pct(self.shown_change(), lang)
        if d.kind == "flow":
            twelve = "12 Monate" if lang == "de" else "12 months"
            return f"{d.label} {self._num(d.value)}; {twelve} {self._num(d.figure)} ({change})"
        return f"{d.label} {self._num(d.value)} ({prev_year} {self._num(d.figure)}, {change})"

    def shown_change(self) -> float | None:
        """The change in percent, or None where it would reveal a suppressed small count."""
        d = self.data
        if d is None:
            return None
        threshold = self.small_count_threshold
        if is_small_count(d.figure, threshold) or is_small_count(d.value, threshold):
            return None
        return d.change_pct

    def _num(self, value: float | None) -> str:
        return fmt_number(value, self.lang, small_count_threshold=self.small_count_threshold)

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
        marks = []
        if d.warnings:
            marks.append(f"⚠{d.warnings}" if not self.ascii_only else f"!{d.warnings}")
        if d.revised:
            marks.append(f"rev.{d.revised}")
        if marks:
            head.append(" " + " ".join(marks), style="bold yellow")
        prev_year = PREV_YEAR[lang]
        figure_line = Text()
        if d.kind == "rate":
            figure_line.append(fmt_pct(d.value, lang, signed=False), style="bold")
            figure_line.append(f"  {prev_year} {fmt_pct(d.figure, lang, signed=False)}")
            change = None if d.value is None or d.figure is None else d.value - d.figure
        else:
            figure_line.append(self._num(d.value), style="bold")
            label = ("12 Mon." if lang == "de" else "12 mo") if d.kind == "flow" else prev_year
            figure_line.append(f"  {label} {self._num(d.figure)}")
            change = self.shown_change()  # None where it would reveal suppressed counts
        style = VERDICT_STYLE[verdict(change, d.better)]
        change_line = Text(f"{arrow(change, ascii_only=self.ascii_only)} ", style=style)
        if d.kind == "rate":
            pts = "Pkt." if lang == "de" else "pts"
            change_line.append(f"{fmt_pct(change, lang).rstrip('%').rstrip()} {pts}", style=style)
        else:
            change_line.append(fmt_pct(change, lang), style=style)
        if d.rank is not None:
            change_line.append(f"  #{d.rank}/{d.rank_of}")
            if d.group_rank is not None:
                change_line.append(f" · {d.group_rank}/{d.group_rank_of}", style="dim")
        spark = Text(
            sparkline(list(d.spark), ascii_only=self.ascii_only, width=width), style="cyan"
        )
        lines = [head, figure_line, change_line, spark]
        if d.target is not None:
            if d.kind == "flow":
                done = (d.ytd or 0.0) / d.target * 100 if d.target else 0.0
                year = d.year_share * 100
                lines.append(
                    Text(
                        f"{t('target', lang)} {fmt_number(d.target, lang)}: {done:.0f}/{year:.0f} %"
                        if lang == "de"
                        else f"{t('target', lang)} {fmt_number(d.target, lang)}: {done:.0f}/{year:.0f}%",
                        style="bold green" if done >= year else "bold red",
                    )
                )
            else:
                lines.append(Text(f"{t('target', lang)} {fmt_number(d.target, lang)}"))
        elif d.latest_period is not None:
            month = (
                f"{MONTHS_SHORT[lang][d.latest_period.month - 1]} {d.latest_period.year % 100:02d}"
            )
            age = Text(f"{t('data_as_of', lang)}: {month}", style="dim")
            if d.overdue:
                age.append(f" {t('overdue', lang)}", style="yellow")
            lines.append(age)
        return lines
