"""`i`: what a figure means, in plain language: what is counted, formula, flow or stock, window."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from jctui.config import MetricDef, RateDef
from jctui.i18n import Lang, t
from jctui.presentation.wording import explain_figure


def explain(
    definition: MetricDef | RateDef, lang: Lang, window: str, marks: list[str] | None = None
) -> Text:
    """The explanation of a figure, its name in bold, then what the marks on its tile mean."""
    title, text = explain_figure(definition, lang, window)
    out = Text(title + "\n\n", style="bold")
    out.append(text)
    if marks:
        out.append(f"\n{t('on_the_tile', lang)}:\n", style="bold")
        out.append("\n".join(f"• {line}" for line in marks) + "\n")
    return out


class InfoScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape,i,q", "dismiss", "Close"),
        *(
            Binding(str(n), f"leave_to('{tab}')", tab.capitalize(), show=False)
            for n, tab in enumerate(("overview", "compare", "chart", "warnings"), 1)
        ),
    ]

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def action_leave_to(self, tab: str) -> None:
        """A screen's key (1-4) closes the explanation with that screen as its answer: the
        dashboard goes there, as it would without the explanation open."""
        self.dismiss(tab)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="info-box"):
            yield Static(self.text)
