"""`?`: every key of the dashboard, from the BINDINGS descriptions, in the UI language."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


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
