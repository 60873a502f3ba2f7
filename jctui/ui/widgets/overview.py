"""Screen 1, the overview of one Jobcenter: a grid of tiles that wraps with the width."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static

from jctui.i18n import t
from jctui.presentation.text import safe_text
from jctui.ui.widgets.metric_tile import MetricTile, TileData

if TYPE_CHECKING:
    from jctui.ui.app import JctuiApp


def months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


class OverviewPane(VerticalScroll):
    """Tiles for every metric and rate of the chosen Jobcenter."""

    app: JctuiApp  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        yield Static(id="overview-title")
        with Grid(id="tiles"):
            for key in self.app.config.metrics:
                yield MetricTile(key, id=f"tile-{key}", classes="tile")
            for key in self.app.config.rates:
                yield MetricTile(key, id=f"tile-{key}", classes="tile rate")

    def on_resize(self) -> None:
        """As many tiles a row as fit (26 columns each, 2 to 6): one row on a wide screen."""
        grid = self.query_one("#tiles", Grid)
        grid.styles.grid_size_columns = max(2, min(6, self.size.width // 26))

    def on_mount(self) -> None:
        self.watch(self.app, "figures", self.update_tiles, init=False)
        self.watch(self.app, "jobcenter_id", self.update_tiles, init=False)
        self.watch(self.app, "lang", self.update_tiles, init=False)
        self.update_tiles()

    def update_tiles(self, *_: object) -> None:
        app = self.app
        figures, jc = app.figures, app.jobcenter_id
        if figures is None or not jc:
            return
        lang = app.lang
        reg = app.registry_row(jc)
        title = Text(safe_text(reg.get("name", jc)), style="bold")
        facts = [reg.get("state"), reg.get("carrier")]
        if reg.get("comparison_type"):
            facts.append(f"{t('comparison_type', lang)} {reg['comparison_type']}")
        title.append("  " + " · ".join(safe_text(f) for f in facts if f))
        self.query_one("#overview-title", Static).update(title)
        metrics, rates = app.figures_of(jc)
        warn_count = app.views.warning_counts.get(jc, {})
        revised = app.revised_counts(jc)
        today = app.today()
        overdue_after = app.config.refresh.overdue_months
        year_share = figures.as_of.month / 12
        for tile in self.query(MetricTile):
            tile.lang = lang
            tile.ascii_only = app.ascii_only
            tile.small_count_threshold = app.config.small_count_threshold
            key = tile.key
            if key in app.config.metrics:
                m = app.config.metrics[key]
                row = metrics.get(key, {})
                latest = row.get("latest_period")
                tile.data = TileData(
                    key=key,
                    label=m.label(lang),
                    kind=m.kind,
                    better=m.better,
                    value=row.get("value"),
                    figure=row.get("sum_12") if m.kind == "flow" else row.get("value_prev_year"),
                    change_pct=row.get("change_pct"),
                    ytd=row.get("ytd"),
                    rank=row.get("rank"),
                    rank_of=row.get("rank_of"),
                    group_rank=row.get("group_rank"),
                    group_rank_of=row.get("group_rank_of"),
                    spark=tuple(app.views.sparks.get((jc, key), ())),
                    latest_period=latest,
                    overdue=latest is not None and months_between(latest, today) > overdue_after,
                    warnings=warn_count.get(key, 0),
                    revised=revised.get(key, 0),
                    target=m.target,
                    year_share=year_share,
                )
            else:
                r = app.config.rates[key]
                row = rates.get(key, {})
                tile.data = TileData(
                    key=key,
                    label=r.label(lang),
                    kind="rate",
                    better=r.better,
                    value=row.get("value"),
                    figure=row.get("value_prev_year"),
                    change_pct=None,
                    rank=row.get("rank"),
                    rank_of=row.get("rank_of"),
                    group_rank=row.get("group_rank"),
                    group_rank_of=row.get("group_rank_of"),
                    spark=tuple(app.views.sparks.get((jc, key), ())),
                )
