"""Large headline figures (Textual's Digits) for the kiosk overview, readable across a room."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Digits, Label, Static

from jctui.presentation.headline import HEADLINE_KEYS, HeadlineFigure


class Headline(Horizontal):
    """Integrations over 12 months, the integration rate K2 and the long-term recipients."""

    DEFAULT_CSS = """
    Headline { height: 5; }
    Headline > Vertical { width: 1fr; height: 5; padding: 0 1; }
    Headline Label { text-style: bold; }
    Headline .-ascii-figure { text-style: bold; padding: 1 0; }
    """

    figures: reactive[tuple[HeadlineFigure, ...]] = reactive(tuple)

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only  # Digits draws box lines: plain bold text instead

    def compose(self) -> ComposeResult:
        for key in HEADLINE_KEYS:
            with Vertical(id=f"headline-{key}"):
                yield Label(id=f"headline-label-{key}")
                if self.ascii_only:
                    yield Static("-", id=f"headline-digits-{key}", classes="-ascii-figure")
                else:
                    yield Digits("–", id=f"headline-digits-{key}")

    def watch_figures(self, figures: tuple[HeadlineFigure, ...]) -> None:
        if not self.is_mounted:
            return
        for figure in figures:
            shown = self.query_one(f"#headline-digits-{figure.key}")
            if isinstance(shown, (Digits, Static)):
                shown.update(figure.text)
        self.update_labels()

    def on_resize(self) -> None:
        self.update_labels()

    def update_labels(self) -> None:
        """Each label whole: the short one where the full one does not fit its column."""
        for figure in self.figures:
            column = self.query_one(f"#headline-{figure.key}", Vertical)
            room = column.content_size.width or self.size.width // max(1, len(HEADLINE_KEYS))
            label = self.query_one(f"#headline-label-{figure.key}", Label)
            label.update(figure.fitting_label(room))
