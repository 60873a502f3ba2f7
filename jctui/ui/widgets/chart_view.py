"""Screen 3, chart: a plotext line chart of the marked Jobcenters (and their group average),
with the published aggregates (Deutschland, the state) as reference lines where they compare."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import plotext as plt
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from jctui.config import MetricDef, RateDef
from jctui.i18n import MONTHS_SHORT, Lang, fmt_month, fmt_number, t
from jctui.presentation.text import safe_text
from jctui.session.chart import SPANS, ChartData, ChartQuery, ChartSource


class PlotArea(Widget):
    """Renders the plotext figure at the widget's own size (so it follows terminal resizes)."""

    def render(self) -> Text:
        return self.query_ancestor(ChartPane).plot(self.size.width, self.size.height)

    def on_resize(self) -> None:
        self.refresh()


class ChartPane(Vertical, can_focus=True):
    """A line chart of the chosen Jobcenters (`jobcenter_ids`) from `source`; `metrics` are
    the figures it can chart (metrics and rates)."""

    BINDINGS = [
        Binding("m", "next_metric", "Figure", show=True),
        Binding("p", "next_span", "Span", show=True),
        Binding("a", "toggle_group", "Group avg.", show=True),
        Binding("e", "toggle_per_elb", "Per 1,000 ELB", show=True),
    ]

    source: reactive[ChartSource | None] = reactive(None, always_update=True)
    jobcenter_ids: reactive[tuple[str, ...]] = reactive(tuple)
    lang: reactive[Lang] = reactive("en")
    metric_index = reactive(0)
    span_index = reactive(0)
    with_group = reactive(True)
    per_elb = reactive(False)

    def __init__(
        self,
        metrics: Mapping[str, MetricDef | RateDef],
        *,
        ascii_only: bool = False,
        no_color: bool = False,
        show_keys: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.metrics = metrics
        self.ascii_only, self.no_color = ascii_only, no_color
        self.show_keys = show_keys  # False in the kiosk: nobody there to press them

    def compose(self) -> ComposeResult:
        yield Static(id="chart-title")
        yield PlotArea(id="chart-plot")

    def on_mount(self) -> None:
        for name in ("source", "jobcenter_ids", "lang", "metric_index", "span_index",
                     "with_group", "per_elb"):  # fmt: skip
            self.watch(self, name, self.redraw, init=False)
        self.redraw()

    def show_figures(self, metrics: Mapping[str, MetricDef | RateDef]) -> None:
        """The figures `m` steps through (those of the data; see `Session.shown_figures`);
        the one charted stays when it is still there, else the first."""
        if list(metrics) == list(self.metrics):
            return
        charted = self.metric
        self.metrics = metrics
        keys = list(metrics)
        self.metric_index = keys.index(charted) if charted in keys else 0
        self.redraw()

    def action_next_metric(self) -> None:
        self.metric_index = (self.metric_index + 1) % len(self.metrics)

    def action_next_span(self) -> None:
        self.span_index = (self.span_index + 1) % len(SPANS)

    def action_toggle_group(self) -> None:
        self.with_group = not self.with_group

    def action_toggle_per_elb(self) -> None:
        self.per_elb = not self.per_elb

    @property
    def metric(self) -> str:
        return list(self.metrics)[self.metric_index]

    def show_metric(self, metric: str) -> None:
        """Chart this figure (the kiosk's playlist names it)."""
        self.metric_index = list(self.metrics).index(metric)

    def redraw(self, *_: object) -> None:
        if not self.is_mounted:
            return
        lang = self.lang
        label = self.metrics[self.metric].label(lang)
        span = t(SPANS[self.span_index][0], lang)
        applies = self.source is None or self.source.per_elb_applies(self.metric)
        extra = f" {t('per_1000_elb', lang)}" if self.per_elb and applies else ""
        title = Text(f"{label}{extra} · {span}", style="bold")
        if self.per_elb and not applies:
            title.append(f" ({t('per_elb_not_here', lang)})", style="bold yellow")
        if self.source is not None:
            title.append(f" · {fmt_month(self.source.as_of, lang)}")
        if self.show_keys:
            title.append(f"   {t('chart_keys', lang)}", style="dim")
        self.query_one("#chart-title", Static).update(title)
        self.query_one(PlotArea).refresh()

    def chart_data(self) -> ChartData | None:
        if self.source is None:
            return None
        query = ChartQuery(
            self.metric, self.jobcenter_ids, self.span_index, self.with_group, self.per_elb
        )
        return self.source.data(query, self.lang)

    def plot(self, width: int, height: int) -> Text:
        data = self.chart_data()
        if data is None or not data.lines or width < 20 or height < 5:
            return Text("–")
        lang, periods = self.lang, data.periods
        values = data.values
        finite = [v for v in values if math.isfinite(v)]
        if finite and not math.isfinite(max(finite) - min(finite)):
            return Text(t("chart_out_of_range", lang))  # plotext cannot scale -1e308 .. 1e308
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
