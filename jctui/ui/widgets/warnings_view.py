"""Screen 4, warnings: plausibility warnings of the engine and revised values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive

from jctui.config import MetricDef
from jctui.i18n import Lang, fmt_number, fmt_period, t
from jctui.presentation.policy import SmallCounts
from jctui.presentation.text import safe_text
from jctui.presentation.wording import kind_label, revision_message, warning_message
from jctui.ui.messages import JobcenterChosen, RowChosen, RowHighlighted
from jctui.ui.widgets.row_table import RowTable, TableColumn
from jctui.ui.widgets.sized import Line, SizedByLayout

WIDTH_SAMPLE = 500  # rows whose texts set the column widths (there may be many more)
MESSAGE_MIN = 24  # what is wrong, at least: the rest is in the line below the table


class WarningsTable(RowTable):
    """One warning per row; cells are made only for the rows on screen (there may be many)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(fixed=1, id=id)  # the Jobcenter stays when scrolling sideways
        self.rows: dict[str, dict[str, Any]] = {}

    def show(self, rows: list[dict[str, Any]]) -> None:
        """These warnings, keyed by what they are about: the cursor stays on its warning."""
        keyed: dict[str, dict[str, Any]] = {}
        for row in rows:
            base = f"{row['jobcenter_id']}|{row['period']}|{row['metric']}|{row['kind']}"
            key, n = base, 1
            while key in keyed:
                n += 1
                key = f"{base}|{n}"
            keyed[key] = row
        self.rows = keyed
        self.forget_rows()
        self.set_rows(list(keyed))

    def row_cells(self, key: str) -> list[Text]:
        return self.query_ancestor(WarningsPane).row_cells(self.rows[key])


class WarningsPane(Vertical, SizedByLayout):
    """The engine's warnings and the revised values, worded in the UI language when shown."""

    lang: reactive[Lang] = reactive("en")

    def __init__(
        self,
        metrics: Mapping[str, MetricDef],
        *,
        counts: SmallCounts | None = None,
        ascii_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.metrics = metrics
        self.counts = counts or SmallCounts()
        self.ascii_only = ascii_only
        self.rows: list[dict[str, Any]] = []
        self.daily = False
        self.built_width = 0  # the width the columns were fitted to (`rebuild`)

    def compose(self) -> ComposeResult:
        yield Line(id="warnings-title")
        yield WarningsTable(id="warnings-table")
        yield Line(id="warnings-detail")

    def show(self, rows: list[dict[str, Any]], *, daily: bool = False) -> None:
        """Show these warning rows (structured, with the Jobcenter's name)."""
        self.rows, self.daily = rows, daily
        self.rebuild()

    def watch_lang(self) -> None:
        self.rebuild()

    def metric_label(self, row: Mapping[str, Any]) -> str:
        metric = row["metric"] or ""
        return self.metrics[metric].label(self.lang) if metric in self.metrics else metric

    def message(self, row: Mapping[str, Any]) -> str:
        """What is wrong, in the UI language (a revised value or an engine warning)."""
        if row["kind"] == "revision":
            return revision_message(
                row["old"], row["new"], self.lang, counts=self.counts, ascii_only=self.ascii_only
            )
        return warning_message(row, self.lang, metric_label=self.metric_label(row))

    def row_cells(self, row: dict[str, Any]) -> list[Text]:
        lang = self.lang
        label, message = self.metric_label(row), self.message(row)
        return [
            Text(safe_text(row.get("name") or row["jobcenter_id"] or "")),
            Text(fmt_period(row["period"], lang, short=True, daily=self.daily)),
            Text(kind_label(row["kind"], lang), style="bold yellow"),
            Text(safe_text(message)),
            Text(safe_text(label)),
        ]

    def column_widths(self, labels: list[str]) -> list[int]:
        """Each column as wide as its longest entry (and its heading), within bounds; what is
        wrong gets the rest of the width: whole where the screen has room, else cut, and
        whole in the line below the table."""
        sample, lang = self.rows[:WIDTH_SAMPLE], self.lang

        def longest(texts: Iterable[str], at: int, low: int, high: int) -> int:
            lengths = [len(labels[at]), *(len(text) for text in texts)]
            return max(low, min(high, max(lengths)))

        name = longest(
            (safe_text(r.get("name") or r["jobcenter_id"] or "") for r in sample), 0, 9, 24
        )
        period = longest(
            (fmt_period(r["period"], lang, short=True, daily=self.daily) for r in sample), 1, 8, 10
        )
        kind = longest((kind_label(k, lang) for k in {r["kind"] for r in sample}), 2, 4, 16)
        metric = longest((safe_text(self.metric_label(r)) for r in sample), 4, 6, 26)
        width = self.room() - 1
        room = width - (name + period + kind + metric + 5)
        if room < MESSAGE_MIN:  # the metric beyond the edge (sideways): no column half shown
            room = max(MESSAGE_MIN, width - (name + period + kind + 4))
            return [name, period, kind, room, metric]
        longest_message = max((len(self.message(r)) for r in sample), default=0)
        message = max(MESSAGE_MIN, len(labels[3]), min(room, longest_message))
        return [name, period, kind, message, metric]

    def on_resize(self) -> None:
        """Columns fitted to another width; not when shown again at the same one (a tab
        switch: Textual sends a shown widget a Resize too)."""
        if self.room() != self.built_width:
            self.rebuild()

    def room(self) -> int:
        """The pane's width; hidden (on another tab), the screen's: the pane's when shown."""
        return self.size.width or (self.screen.size.width if self.is_attached else 0) or 80

    def on_row_highlighted(self, event: RowHighlighted) -> None:
        event.stop()
        self.show_detail(event.key)

    def show_detail(self, key: str | None) -> None:
        """The whole message of the warning under the cursor, wrapped below the table: the
        table's column cuts long messages at 80 columns."""
        row = self.query_one(WarningsTable).rows.get(key or "")
        text = Text()
        if row is not None:
            name = safe_text(row.get("name") or row["jobcenter_id"] or "")
            period = fmt_period(row["period"], self.lang, short=True, daily=self.daily)
            text.append(f"{name} · {period} · {safe_text(self.metric_label(row))}: ", style="bold")
            text.append(safe_text(self.message(row)))
        detail = self.query_one("#warnings-detail", Line)
        if text != detail.content:  # the same warning again: no layout for it
            detail.update(text)

    def on_row_chosen(self, event: RowChosen) -> None:
        """Enter on a warning opens its Jobcenter's overview."""
        event.stop()
        jobcenter_id = self.query_one(WarningsTable).rows[event.key]["jobcenter_id"]
        if jobcenter_id:
            self.post_message(JobcenterChosen(jobcenter_id))

    def rebuild(self) -> None:
        if not self.is_mounted:
            return
        lang = self.lang
        table = self.query_one(WarningsTable)
        labels = [  # what is wrong comes before the metric: it is what the reader wants
            t(key, lang) for key in ("jobcenter", "period", "kind", "what_is_wrong", "metric")
        ]
        widths = self.column_widths(labels)
        self.built_width = self.room()
        table.set_columns(
            [TableColumn(Text(label), width) for label, width in zip(labels, widths, strict=True)]
        )
        table.show(self.rows)
        self.show_detail(table.cursor_key)
        title = f"{t('warnings', lang)}: {fmt_number(len(self.rows), lang)}"
        self.query_one("#warnings-title", Line).update(Text(title, style="bold"), layout=False)
