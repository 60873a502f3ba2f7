"""Textual's footer, with the key descriptions in the UI language and `? Help`/`q Quit` always.

Textual's footer cuts the keys off at the right edge, so at 80 columns the help and quit
keys were the first to go. This footer leaves out whole groups of less important keys until
the rest fits: the screen's own keys and the month keys before the screen numbers (the tab
bar names the screens), and never help and quit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar, cast

from textual import events
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widgets import Footer

from jctui.i18n import Lang, binding_text

# Actions in the order they are kept; an action not listed is a key of the focused screen.
ALWAYS = ("help", "quit")
KEEP_ORDER = (ALWAYS, ("<screen>",), ("step_month",), ("<palette>",), ("show_tab",))


def key_priority(action: str, palette: bool) -> int:
    """The rank of a key's group in KEEP_ORDER (0 is kept first)."""
    if palette:
        return KEEP_ORDER.index(("<palette>",))
    name = action.split("(")[0].removeprefix("app.")
    for rank, group in enumerate(KEEP_ORDER):
        if name in group:
            return rank
    return KEEP_ORDER.index(("<screen>",))


def key_width(widget: Any) -> int:
    """The cells a footer key takes (Textual's FooterKey, not compact: ' k ' + 'text ')."""
    description = str(getattr(widget, "description", "") or "")
    width = len(str(getattr(widget, "key_display", ""))) + 2
    return width + len(description) + 1 if description else width


class FooterItem(Protocol):
    """What fitting_keys needs of a footer widget (a Widget has it; `action`, `key_display`
    and `description`, where a FooterKey has them, are read with getattr)."""

    def has_class(self, name: str, /) -> bool: ...


ItemT = TypeVar("ItemT", bound=FooterItem)


def fitting_keys(widgets: Iterable[ItemT], width: int) -> list[ItemT]:
    """The footer keys to show in `width` cells: whole groups by priority, in their order."""
    items = list(widgets)
    ranks = [
        key_priority(str(getattr(w, "action", "")), w.has_class("-command-palette")) for w in items
    ]
    keep: set[int] = set()
    used = 0
    for rank in range(len(KEEP_ORDER)):
        group = [i for i, r in enumerate(ranks) if r == rank]
        need = sum(key_width(items[i]) for i in group) + (2 if rank and group else 0)
        if rank == 0 or used + need <= width:
            keep.update(group)
            used += need
    return [w for i, w in enumerate(items) if i in keep]


class LocalFooter(Footer):
    """Bindings are described in English in the code; this footer shows them in `lang`."""

    lang: reactive[Lang] = reactive("en")

    def compose(self) -> ComposeResult:
        widgets = []
        for widget in super().compose():
            description = getattr(widget, "description", None)  # the keys (FooterKey)
            if isinstance(description, str):
                cast(Any, widget).description = binding_text(description, self.lang)
            widgets.append(widget)
        yield from fitting_keys(widgets, (self.size.width or self.screen.size.width) - 1)

    def watch_lang(self) -> None:
        if self.is_mounted:
            self.call_after_refresh(self.recompose)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.recompose)
