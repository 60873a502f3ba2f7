"""`?`: the keys of the screen in view first, then those that work everywhere; in the UI
language, with keys named as people name them ("Enter", "←/→", "Strg+P")."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from jctui.i18n import Lang, binding_text, key_name

HelpRow = tuple[str, str]  # (key, description); a key of "" makes the row a section title


def own_bindings(node: DOMNode) -> list[Binding]:
    """The described bindings of jctui's classes of `node` (Textual's generic ones, such as
    "Scroll Up" or "Focus Next", are not what a user looks for here), subclass first, then
    those `node` made for itself (`figure_bindings`: the compare table's key per figure)."""
    found: list[Binding] = []
    for cls in type(node).__mro__:
        if cls.__module__.startswith("textual"):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.description:
                found.append(binding)
    found += getattr(node, "figure_bindings", ())  # made per instance (a key per figure)
    return found


def help_rows(
    chain: Iterable[DOMNode | None], lang: Lang, *, ascii_only: bool = False
) -> list[HelpRow]:
    """Rows for the focus chain (focused widget, its ancestors, the app): the keys of the
    view in focus under "This screen", the screen's and the app's under "Everywhere"; a key bound twice counts where it is
    bound first (as Textual does), and keys with one description share a row ("←/→")."""
    here: dict[str, list[str]] = {}
    everywhere: dict[str, list[str]] = {}
    seen: set[str] = set()
    for node in chain:
        if node is None:
            continue
        rows = everywhere if isinstance(node, (App, Screen)) else here
        for binding in own_bindings(node):
            keys = [k.strip() for k in binding.key.split(",")]
            new = [k for k in keys if k not in seen]
            if not new:
                continue
            seen.update(new)
            shown = binding.key_display or "/".join(
                key_name(k, lang, ascii_only=ascii_only) for k in new
            )
            rows.setdefault(binding_text(binding.description, lang), []).append(shown)
    out: list[HelpRow] = []
    for title, rows in (("This screen", here), ("Everywhere", everywhere)):
        if rows:
            out.append(("", binding_text(title, lang)))
            out += [("/".join(keys), text) for text, keys in rows.items()]
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, rows: list[HelpRow], title: str) -> None:
        super().__init__()
        self.rows = rows
        self.title_text = title

    def compose(self) -> ComposeResult:
        table = Table(title=self.title_text, expand=True, box=None)
        table.add_column("", style="bold cyan", no_wrap=True)
        table.add_column("")
        for key, description in self.rows:
            if key:
                table.add_row(key, description)
            else:
                table.add_row(Text(description, style="bold underline"), "")
        with VerticalScroll(id="help-box"):
            yield Static(table)
