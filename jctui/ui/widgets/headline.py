"""Large headline figures (Textual's Digits) for the kiosk overview, readable across a room."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Label

from jctui.i18n import fmt_number, fmt_pct

if TYPE_CHECKING:
    from jctui.ui.app import JctuiApp


class Headline(Horizontal):
    """Integrations over 12 months, the integration rate K2 and the long-term recipients."""

    DEFAULT_CSS = """
    Headline { height: 5; }
    Headline > Vertical { width: 1fr; height: 5; padding: 0 1; }
    Headline Label { color: $text-muted; }
    """

    app: JctuiApp  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        for key in ("integrations", "k2", "long_term_recipients"):
            with Vertical(id=f"headline-{key}"):
                yield Label(id=f"headline-label-{key}")
                yield Digits("–", id=f"headline-digits-{key}")

    def on_mount(self) -> None:
        for attr in ("figures", "jobcenter_id", "lang"):
            self.watch(self.app, attr, self.update_figures, init=False)
        self.update_figures()

    def update_figures(self, *_: object) -> None:
        app, lang = self.app, self.app.lang
        figures, jc = app.figures, app.jobcenter_id
        if figures is None or not jc:
            return
        metrics, rates = app.figures_of(jc)
        threshold = app.config.small_count_threshold
        for key in ("integrations", "k2", "long_term_recipients"):
            if key in app.config.metrics:
                m = app.config.metrics[key]
                row = metrics.get(key, {})
                value = row.get("sum_12") if m.kind == "flow" else row.get("value")
                label = m.label(lang)
                if m.kind == "flow":
                    label += " (12 Monate)" if lang == "de" else " (12 months)"
                text = fmt_number(value, lang, small_count_threshold=threshold)
            elif key in app.config.rates:
                r = app.config.rates[key]
                label = r.label(lang)
                text = fmt_pct(rates.get(key, {}).get("value"), lang, signed=False).replace(
                    " %", "%"
                )
            else:
                continue
            self.query_one(f"#headline-label-{key}", Label).update(label)
            self.query_one(f"#headline-digits-{key}", Digits).update(text)
