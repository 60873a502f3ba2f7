"""Screen 3, chart: a plotext line chart of the marked Jobcenters (and their group average)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import plotext as plt
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from jctui.i18n import MONTHS_SHORT, fmt_month, fmt_number
from jctui.presentation.text import safe_text
from jctui.ui.lazy import pl

if TYPE_CHECKING:
    from jctui.ui.app import JctuiApp

SPANS: tuple[tuple[str, int | None], ...] = (("2J", 24), ("5J", 60), ("alle", None))
SPAN_LABELS = {"de": ("2 Jahre", "5 Jahre", "alles"), "en": ("2 years", "5 years", "all")}


class PlotArea(Widget):
    """Renders the plotext figure at the widget's own size (so it follows terminal resizes)."""

    def render(self) -> Text:
        return self.parent.plot(self.size.width, self.size.height)  # type: ignore[union-attr]

    def on_resize(self) -> None:
        self.refresh()


class ChartPane(Vertical, can_focus=True):
    app: JctuiApp  # type: ignore[assignment]

    BINDINGS = [
        Binding("m", "next_metric", "Figure", show=True),
        Binding("p", "next_span", "Span", show=True),
        Binding("a", "toggle_group", "Group avg.", show=True),
        Binding("e", "toggle_per_elb", "Per 1,000 ELB", show=True),
    ]

    metric_index = reactive(0)
    span_index = reactive(0)
    with_group = reactive(True)
    per_elb = reactive(False)

    def compose(self) -> ComposeResult:
        yield Static(id="chart-title")
        yield PlotArea(id="chart-plot")

    def on_mount(self) -> None:
        for attr in ("figures", "lang", "marked", "jobcenter_id"):
            self.watch(self.app, attr, self.redraw, init=False)
        self.redraw()

    def watch_metric_index(self) -> None:
        self.redraw()

    def watch_span_index(self) -> None:
        self.redraw()

    def watch_with_group(self) -> None:
        self.redraw()

    def watch_per_elb(self) -> None:
        self.redraw()

    def action_next_metric(self) -> None:
        self.metric_index = (self.metric_index + 1) % len(self.app.config.metrics)

    def action_next_span(self) -> None:
        self.span_index = (self.span_index + 1) % len(SPANS)

    def action_toggle_group(self) -> None:
        self.with_group = not self.with_group

    def action_toggle_per_elb(self) -> None:
        self.per_elb = not self.per_elb

    @property
    def metric(self) -> str:
        return list(self.app.config.metrics)[self.metric_index]

    def chosen(self) -> list[str]:
        return sorted(self.app.marked) or ([self.app.jobcenter_id] if self.app.jobcenter_id else [])

    def redraw(self, *_: object) -> None:
        if not self.is_mounted:
            return
        app, lang = self.app, self.app.lang
        m = app.config.metrics[self.metric]
        label = m.label(lang)
        span = SPAN_LABELS[lang][self.span_index]
        extra = (" je 1.000 ELB" if lang == "de" else " per 1,000 ELB") if self.per_elb else ""
        title = Text(f"{label}{extra} · {span}", style="bold")
        if app.figures is not None:
            title.append(f" · {fmt_month(app.figures.as_of, lang)}")
        title.append(
            "   m Kennzahl · p Zeitraum · a Gruppe · e je ELB"
            if lang == "de"
            else "   m figure · p span · a group · e per ELB",
            style="dim",
        )
        self.query_one("#chart-title", Static).update(title)
        self.query_one(PlotArea).refresh()

    def data(self) -> pl.DataFrame | None:
        app = self.app
        if app.figures is None or app.dataset is None:
            return None
        ids = self.chosen()
        if not ids:
            return None
        from jctui.engine import series

        frame = series(
            app.dataset.values, app.dataset.registry, metric=self.metric, jobcenter_ids=ids,
            as_of=app.figures.as_of, periods=SPANS[self.span_index][1],
            group_by=app.config.group_by, with_group_mean=self.with_group,
        )  # fmt: skip
        from jctui.engine.series import hide_small_counts

        counts = hide_small_counts(pl.col("value"), app.config.small_count_threshold)
        frame = frame.with_columns(  # group averages are no counts: they stay
            value=pl.when(pl.col("series").str.starts_with("group:"))
            .then(pl.col("value"))
            .otherwise(counts)
        )
        if self.per_elb and self.metric != "elb" and "elb" in app.config.metrics:
            elb = series(
                app.dataset.values, app.dataset.registry, metric="elb", jobcenter_ids=ids,
                as_of=app.figures.as_of, periods=SPANS[self.span_index][1],
                group_by=app.config.group_by, with_group_mean=self.with_group,
            ).rename({"value": "elb"})  # fmt: skip
            frame = frame.join(
                elb.select("series", "period", "elb"), on=["series", "period"], how="left"
            ).with_columns(value=pl.col("value") / pl.col("elb") * 1000)
        return frame

    def plot(self, width: int, height: int) -> Text:
        frame = self.data()
        if frame is None or frame.is_empty() or width < 20 or height < 5:
            return Text("–")
        app, lang = self.app, self.app.lang
        names = {r["jobcenter_id"]: r["name"] for r in app.dataset.registry.iter_rows(named=True)}  # type: ignore[union-attr]
        plt.clear_figure()
        plt.plotsize(width, height)
        plt.theme("clear" if app.no_color else "pro")
        periods = sorted(frame.get_column("period").unique().to_list())
        index = {p: i for i, p in enumerate(periods)}
        for number, key in enumerate(frame.get_column("series").unique(maintain_order=True)):
            part = frame.filter(pl.col("series") == key).drop_nulls("value")
            if part.is_empty():
                continue
            xs = [index[p] for p in part.get_column("period").to_list()]
            if key.startswith("group:"):
                label = ("Ø Gruppe " if lang == "de" else "avg. group ") + key.split(":", 1)[1]
            else:
                label = names.get(key, key)
            plt.plot(
                xs,
                part.get_column("value").to_list(),
                label=safe_text(label)[:28],
                # ASCII: a character per line, so the lines differ without colour too
                marker=ASCII_MARKERS[number % len(ASCII_MARKERS)] if app.ascii_only else "braille",
            )
        values = frame.get_column("value").drop_nulls()
        if values.len():
            low, high = float(values.min()), float(values.max())  # type: ignore[arg-type]
            yticks = nice_ticks(low, high, max(3, height // 3))
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
        if app.ascii_only:
            drawn = drawn.translate(ASCII_CHART)
        return Text.from_ansi(drawn)


# --ascii: plotext's frame and axes in plain characters
ASCII_CHART = str.maketrans("┌┐└┘─│┤├┬┴┼", "++++-|+++++")
ASCII_MARKERS = "*o+x#%@"


def nice_ticks(low: float, high: float, count: int) -> list[float]:
    """About `count` round axis values (steps of 1, 2 or 5 times a power of ten) in
    [low, high]; the axis labels are then ours, in the UI language's number format."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
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
