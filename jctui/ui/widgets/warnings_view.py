"""Screen 4, warnings: plausibility warnings of the engine and revised values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from jctui.i18n import fmt_number, fmt_period, t
from jctui.ui.lazy import pl
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


class WarningsPane(Vertical):
    app: JctuiApp  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        yield Static(id="warnings-title")
        yield DataTable(id="warnings-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for attr in ("figures", "lang", "revisions"):
            self.watch(self.app, attr, self.rebuild, init=False)
        self.rebuild()

    def rebuild(self, *_: object) -> None:
        app, lang = self.app, self.app.lang
        figures = app.figures
        if figures is None:
            return
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key in ("jobcenter", "period", "metric", "kind", "what"):
            label = {"period": "Periode" if lang == "de" else "Period", "kind": "Art" if lang == "de" else "Kind",
                     "what": "Was ist falsch" if lang == "de" else "What is wrong"}.get(key) or t(key, lang)  # fmt: skip
            table.add_column(label, key=key)
        names = {r["jobcenter_id"]: r["name"] for r in app.dataset.registry.iter_rows(named=True)}  # type: ignore[union-attr]
        labels = {
            k: (m.label_de if lang == "de" else m.label_en) for k, m in app.config.metrics.items()
        }
        message = "message_de" if lang == "de" else "message_en"
        rows = figures.warnings
        if app.revisions is not None and app.revisions.height:
            rows = pl.concat(
                [
                    rows,
                    app.revisions.select(
                        "jobcenter_id",
                        "period",
                        "metric",
                        kind=pl.lit("revision"),
                        message_de=pl.format("revidiert: {} → {}", pl.col("old"), pl.col("new")),
                        message_en=pl.format("revised: {} → {}", pl.col("old"), pl.col("new")),
                        value=pl.col("new"),
                        expected=pl.col("old"),
                    ),
                ],
                how="diagonal_relaxed",
            )
        for i, row in enumerate(rows.iter_rows(named=True)):
            kind = KIND_LABELS.get(row["kind"], (row["kind"], row["kind"]))[
                0 if lang == "de" else 1
            ]
            table.add_row(
                Text(safe_text(names.get(row["jobcenter_id"], row["jobcenter_id"] or ""))),
                Text(
                    fmt_period(row["period"], lang, short=True, daily=figures.frequency == "daily")
                ),
                Text(safe_text(labels.get(row["metric"] or "", row["metric"] or ""))),
                Text(kind, style="bold yellow"),
                Text(safe_text(row[message])),
                key=str(i),
            )
        title = f"{t('warnings', lang)}: {fmt_number(rows.height, lang)}"
        self.query_one("#warnings-title", Static).update(Text(title, style="bold"))
