"""Screen 3, chart: a plotext line chart of the marked Jobcenters (and their group average),
with the published aggregates (Deutschland, the state) as reference lines where they compare.

The pane asks for its lines by a `ChartWanted` message when its settings change while it
is shown (and when it is shown); the screen computes them in a worker (Polars) and hands
them back by `show_lines`: rendering only draws them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget

from jctui.config import MetricDef, RateDef
from jctui.i18n import Lang, fmt_month, t
from jctui.session.chart import SPANS, ChartData, ChartQuery, ChartSource
from jctui.ui.messages import ChartWanted
from jctui.ui.widgets.plot_area import (
    ASCII_MARKERS,
    REFERENCE_STYLES,
    PlotArea,
    nice_ticks,
    tick_decimals,
)
from jctui.ui.widgets.sized import Line, SizedByLayout

__all__ = ["ASCII_MARKERS", "REFERENCE_STYLES", "ChartPane", "nice_ticks", "tick_decimals"]


class ChartPane(Vertical, SizedByLayout, can_focus=True):
    """A line chart of the chosen Jobcenters (`jobcenter_ids`) from `source`; `metrics` are
    the figures it can chart (metrics and rates); its plot draws the lines of `drawn`."""

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
        self.wanted: ChartWanted | None = None  # the lines asked for last
        self.drawn: ChartWanted | None = None  # the request `lines` answer

    def compose(self) -> ComposeResult:
        yield Line(id="chart-title")
        yield PlotArea(
            ascii_only=self.ascii_only, no_color=self.no_color, id="chart-plot"
        ).data_bind(ChartPane.lang)

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
        shown = self.query_one("#chart-title", Line)
        if title != shown.content:  # one line as wide as the pane: never a layout
            shown.update(title, layout=False)
        source, query, wanted = self.source, self.chart_query(), self.wanted
        if source is None:
            self.wanted = self.drawn = None
            self.query_one(PlotArea).data = None
        elif not self.displayed():
            pass  # asked for once shown (on_show): a hidden chart costs no query
        elif (
            wanted is None
            or wanted.source is not source
            or wanted.query != query
            or wanted.lang != lang
        ):  # other lines than those asked for last: the screen computes them
            self.wanted = ChartWanted(source, query, lang)
            self.post_message(self.wanted)

    def displayed(self) -> bool:
        """On the tab in view (a hidden tab's pane is not displayed)."""
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    def on_show(self) -> None:
        self.redraw()

    def chart_query(self) -> ChartQuery:
        """What the chart is set to show."""
        return ChartQuery(
            self.metric, self.jobcenter_ids, self.span_index, self.with_group, self.per_elb
        )

    def show_lines(self, wanted: ChartWanted, data: ChartData) -> None:
        """The lines a worker computed; taken only for the chart's latest request."""
        if wanted is self.wanted:
            self.drawn = wanted
            self.query_one(PlotArea).data = data

    def chart_data(self) -> ChartData | None:
        """The lines on screen, when they are those of the current settings."""
        current = self.drawn is not None and self.drawn is self.wanted
        return self.query_one(PlotArea).data if current else None
