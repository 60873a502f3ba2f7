"""Screen 4, warnings: plausibility warnings of the engine and revised values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from jctui.i18n import fmt_number, fmt_period, t
from jctui.presentation.wording import warning_message
from jctui.ui.lazy import pl
from jctui.ui.messages import JobcenterChosen, RowChosen
from jctui.ui.widgets.row_table import RowTable, TableColumn
from jctui.views.text import safe_text

if TYPE_CHECKING:
    from jctui.ui.app import JctuiApp

KIND_LABELS = {
    "gap": ("Lücke", "gap"),
    "duplicate": ("doppelt", "duplicate"),
    "conflict": ("Widerspruch", "conflict"),
    "negative": ("negativ", "negative"),
    "outlier": ("Ausreißer", "outlier"),
    "incomplete_window": ("unvollständig", "incomplete"),
    "stated": ("Angabe", "stated figure"),
    "revision": ("Revision", "revision"),
}


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

    def message(self, row: dict[str, Any]) -> str:
        lang = self.app.lang
        if row["kind"] != "revision":
            metric = self.app.config.metrics.get(row["metric"] or "")
            return warning_message(row, lang, metric_label=metric.label(lang) if metric else None)
        threshold = self.app.config.small_count_threshold
        old, new = (
            fmt_number(
                value, lang, 0 if float(value).is_integer() else 1, small_count_threshold=threshold
            )
            for value in (row["old"], row["new"])
        )
        arrow = "->" if self.app.ascii_only else "→"
        return f"{'revidiert' if lang == 'de' else 'revised'}: {old} {arrow} {new}"

    def row_cells(self, key: str) -> list[Text]:
        app, lang = self.app, self.app.lang
        row = self.rows[key]
        metric = row["metric"] or ""
        config_metric = app.config.metrics.get(metric)
        label = config_metric.label(lang) if config_metric else metric
        kind = KIND_LABELS.get(row["kind"], (row["kind"], row["kind"]))[0 if lang == "de" else 1]
        name = app.registry_row(row["jobcenter_id"] or "").get("name") or row["jobcenter_id"] or ""
        daily = app.figures is not None and app.figures.frequency == "daily"
        return [
            Text(safe_text(name)),
            Text(fmt_period(row["period"], lang, short=True, daily=daily)),
            Text(kind, style="bold yellow"),
            Text(safe_text(self.message(row))),
            Text(safe_text(label)),
        ]


class WarningsPane(Vertical):
    app: JctuiApp  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        yield Static(id="warnings-title")
        yield WarningsTable(id="warnings-table")

    def on_mount(self) -> None:
        self.revision_rows: list[dict[str, Any]] = []
        for attr in ("figures", "lang"):
            self.watch(self.app, attr, self.rebuild, init=False)
        self.watch(self.app, "revisions", self.revisions_changed, init=False)
        self.rebuild()

    def revisions_changed(self, revisions: pl.DataFrame | None) -> None:
        """Revised values as warning rows, made once per refresh that brought revisions."""
        self.revision_rows = [] if revisions is None else revision_rows(revisions)
        self.rebuild()

    def on_row_chosen(self, event: RowChosen) -> None:
        """Enter on a warning opens its Jobcenter's overview."""
        event.stop()
        jobcenter_id = self.query_one(WarningsTable).rows[event.key]["jobcenter_id"]
        if jobcenter_id:
            self.post_message(JobcenterChosen(jobcenter_id))

    def rebuild(self, *_: object) -> None:
        app, lang = self.app, self.app.lang
        if app.figures is None:
            return
        table = self.query_one(WarningsTable)
        de = lang == "de"
        labels = [  # what is wrong comes before the metric: it is what the reader wants
            t("jobcenter", lang),
            "Periode" if de else "Period",
            "Art" if de else "Kind",
            "Was ist falsch" if de else "What is wrong",
            t("metric", lang),
        ]
        widths = [24, 8, 12, 72, 24]
        table.set_columns(
            [TableColumn(Text(label), width) for label, width in zip(labels, widths, strict=True)]
        )
        rows = app.views.warning_rows + self.revision_rows
        table.show(rows)
        title = f"{t('warnings', lang)}: {fmt_number(len(rows), lang)}"
        self.query_one("#warnings-title", Static).update(Text(title, style="bold"))


def revision_rows(revisions: pl.DataFrame) -> list[dict[str, Any]]:
    """Revised values as warning rows (revisions are few: a handful per refresh); their
    message is made when shown, in the UI language and with small counts hidden."""
    return revisions.select(
        "jobcenter_id", "period", "metric", "old", "new", kind=pl.lit("revision")
    ).to_dicts()
