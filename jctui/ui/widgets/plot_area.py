"""The chart's plot: the lines a worker computed (`ChartData`), drawn by plotext at the
widget's own size (so it follows terminal resizes), axis numbers in the UI language."""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text
from textual.reactive import reactive

from jctui.i18n import MONTHS_SHORT, Lang, fmt_number, t
from jctui.presentation.text import safe_text
from jctui.session.chart import ChartData
from jctui.ui.widgets.sized import SizedByLayout


class PlotArea(SizedByLayout):
    """Draws `data`; given its lines by the chart pane, never computing them."""

    data: reactive[ChartData | None] = reactive(None)
    lang: reactive[Lang] = reactive("en")

    def __init__(self, *, ascii_only: bool = False, no_color: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ascii_only, self.no_color = ascii_only, no_color
        # the last plot and what it was drawn from: shown again (the tab shown once more, a
        # layout of the screen) without plotext drawing it anew (~20 ms a plot under load)
        self.drawn: tuple[ChartData | None, tuple[int, int, str], Text] | None = None

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        drawn, data, shape = self.drawn, self.data, (width, height, self.lang)
        if drawn is None or drawn[0] is not data or drawn[1] != shape:
            drawn = self.drawn = (data, shape, self.plot(width, height))
        return drawn[2].copy()

    def on_resize(self) -> None:
        """Drawn again at another size; not when shown again at the size drawn (a tab
        switch: Textual sends a shown widget a Resize too, and the switch's frame drew it)."""
        if self.drawn is None or self.drawn[1][:2] != (self.size.width, self.size.height):
            self.refresh()

    def plot(self, width: int, height: int) -> Text:
        data = self.data
        if data is None or not data.lines or width < 20 or height < 5:
            return Text("–")
        lang, periods = self.lang, data.periods
        values = data.values
        finite = [v for v in values if math.isfinite(v)]
        if finite and not math.isfinite(max(finite) - min(finite)):
            return Text(t("chart_out_of_range", lang))  # plotext cannot scale -1e308 .. 1e308
        import plotext as plt  # here: a dashboard whose chart is never drawn holds none of it

        plt.clear_figure()
        plt.plotsize(width, height)
        plt.theme("clear" if self.no_color else "pro")
        plain = self.ascii_only or self.no_color
        own = [line for line in data.lines if not line.reference]
        for number, line in enumerate(own):
            plt.plot(
                list(line.xs),
                list(line.ys),
                label=safe_text(line.label)[:28],
                # ASCII or no colour: a character per line, so the lines (and the legend's
                # entries) differ without colour too
                marker=ASCII_MARKERS[number % len(ASCII_MARKERS)] if plain else "braille",
            )
        # published aggregates (Deutschland, the state): dotted, in colours no Jobcenter line
        # gets (of the 16), a character of their own without colour
        references = [line for line in data.lines if line.reference]
        for number, line in enumerate(references):
            marker, color = REFERENCE_STYLES[number % len(REFERENCE_STYLES)]
            style: dict[str, str] = {} if self.no_color else {"color": color}
            plt.plot(
                list(line.xs), list(line.ys), label=safe_text(line.label)[:28], marker=marker,
                **style,
            )  # fmt: skip
        if values:
            yticks = nice_ticks(min(values), max(values), max(3, height // 3))
            if yticks:
                decimals = tick_decimals(yticks)
                plt.yticks(yticks, [fmt_number(v, lang, decimals) for v in yticks])
        # few enough labels that plotext never has to drop colliding ones (it does so unstably)
        step = max(1, -(-len(periods) // max(1, (width - 12) // 16)))
        ticks = list(range(0, len(periods), step))
        plt.xticks(
            ticks,
            [
                f"{MONTHS_SHORT[lang][periods[i].month - 1]} {periods[i].year % 100:02d}"
                for i in ticks
            ],
        )
        drawn = plt.build()
        if self.ascii_only:
            drawn = drawn.translate(ASCII_CHART)
        return Text.from_ansi(drawn)


# --ascii: plotext's frame and axes in plain characters
ASCII_CHART = str.maketrans("┌┐└┘─│┤├┬┴┼", "++++-|+++++")
ASCII_MARKERS = "*o+x#%@"
# (marker, colour) of the reference lines: characters apart from ASCII_MARKERS, and colours
# of the 16 that plotext's line sequence (blue+, green+, red+, cyan+, magenta+, ...) leaves
REFERENCE_STYLES: tuple[tuple[str, str], ...] = ((".", "gray+"), (":", "orange"))


def nice_ticks(low: float, high: float, count: int) -> list[float]:
    """About `count` round axis values (steps of 1, 2 or 5 times a power of ten) in
    [low, high]; the axis labels are then ours, in the UI language's number format."""
    if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(high - low)):
        return []  # infinities, or a range beyond the float limits (-1e308 .. 1e308)
    if high - low <= 1e-9 * max(1.0, abs(high)):  # a flat line (or float noise): one label
        return [low]
    raw = (high - low) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(i * step, 10) for i in range(first, min(last, first + 4 * count) + 1)] or [low]


def tick_decimals(ticks: list[float]) -> int:
    """Decimals the labels need: 0 for whole steps, else enough for the step (0.25 -> 2)."""
    if len(ticks) < 2:
        return 0 if not ticks or float(ticks[0]).is_integer() else 2
    step = ticks[1] - ticks[0]
    if step <= 0 or step >= 1:
        return 0
    return max(1, -math.floor(math.log10(step)))
