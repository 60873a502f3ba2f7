"""Large headline figures (Textual's Digits) for the kiosk overview, readable across a room."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Digits, Label

from jctui.presentation.tiles import HEADLINE_KEYS


class Headline(Horizontal):
    """Integrations over 12 months, the integration rate K2 and the long-term recipients."""

    DEFAULT_CSS = """
    Headline { height: 5; }
    Headline > Vertical { width: 1fr; height: 5; padding: 0 1; }
    Headline Label { color: $text-muted; }
    """

    figures: reactive[tuple[tuple[str, str, str], ...]] = reactive(tuple)  # (key, label, text)

    def compose(self) -> ComposeResult:
        for key in HEADLINE_KEYS:
            with Vertical(id=f"headline-{key}"):
                yield Label(id=f"headline-label-{key}")
                yield Digits("–", id=f"headline-digits-{key}")

    def watch_figures(self, figures: tuple[tuple[str, str, str], ...]) -> None:
        if not self.is_mounted:
            return
        for key, label, text in figures:
            self.query_one(f"#headline-label-{key}", Label).update(label)
            self.query_one(f"#headline-digits-{key}", Digits).update(text)
