"""`?`: every key of the dashboard, from the BINDINGS descriptions, in the UI language."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from jctui.i18n import Lang, binding_text


def help_rows(chain: Iterable[DOMNode | None], lang: Lang) -> list[tuple[str, str]]:
    """(key, description) of every described binding along the focus chain, first wins."""
    rows = []
    seen = set()
    for node in chain:
        for binding in getattr(node, "BINDINGS", []) if node is not None else []:
            if isinstance(binding, Binding) and binding.description and binding.key not in seen:
                seen.add(binding.key)
                rows.append(
                    (binding.key_display or binding.key, binding_text(binding.description, lang))
                )
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, rows: list[tuple[str, str]], title: str) -> None:
        super().__init__()
        self.rows = rows
        self.title_text = title

    def compose(self) -> ComposeResult:
        table = Table(title=self.title_text, expand=True, box=None)
        table.add_column("", style="bold cyan", no_wrap=True)
        table.add_column("")
        for key, description in self.rows:
            table.add_row(key, description)
        with VerticalScroll(id="help-box"):
            yield Static(table)
