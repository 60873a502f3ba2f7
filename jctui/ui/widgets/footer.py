"""Textual's footer, with the key descriptions in the UI language and `? Help`/`q Quit` always.

Textual's footer cuts the keys off at the right edge, so at 80 columns the help and quit
keys were the first to go. This footer leaves out whole groups of less important keys until
the rest fits: the screen's own keys and the month keys before the screen numbers (the tab
bar names the screens), and never help and quit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.reactive import reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.visual import Visual
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from jctui.i18n import Lang, binding_text
from jctui.ui.widgets.sized import SizedByLayout, kept_line

KEYS_KEPT = 4  # the texts a footer key keeps the lines of: a few tabs' keys at its place

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


@dataclass(frozen=True)
class KeySpec:
    """What a footer key shows (a FooterKey's arguments): compared with those on screen
    before any widget is made or changed."""

    key: str
    key_display: str
    description: str
    action: str
    disabled: bool
    tooltip: str
    palette: bool  # the command palette's key (Textual's class -command-palette)

    def has_class(self, name: str, /) -> bool:
        return name == "-command-palette" and self.palette


class LocalFooterKey(FooterKey, SizedByLayout):
    """A footer key whose new width (other keys for another focused widget) costs no second
    layout and frame, and which draws a key it showed before (the same tab's keys again)
    from the lines it made then."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the lines of the keys shown lately, by what they showed in what style and size
        self.made_lines: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(KEYS_KEPT)

    def render_line(self, y: int) -> Strip:
        """Line `y` of the key, made once for its texts, size and style (a tab switch gives
        the footer's keys other texts, and back)."""
        made = (self.key_display, self.description, self.size, self.rich_style, self.classes,
                self.get_component_rich_style("footer-key--key"),  # the theme's colours
                self.get_component_rich_style("footer-key--description"))  # fmt: skip
        strips = self.made_lines.get(made)
        if strips is None:
            width, height = self.size
            strips = Visual.to_strips(self, self._render(), width, height, self.visual_style)
            self.made_lines.set(made, strips)
        return kept_line(self, strips, y)


class LocalFooter(Footer):
    """Bindings are described in English in the code; this footer shows them in `lang`.

    It is composed anew only when the keys it shows change: Textual's footer recomposes on
    every change of the bindings (a focus move, a rebinding), ~100 ms of a key's time under
    load for widgets the same as before."""

    lang: reactive[Lang] = reactive("en")

    def __init__(self) -> None:
        super().__init__()
        self.shown_keys: tuple[KeySpec, ...] | None = None  # what is on screen

    def keys(self) -> list[KeySpec]:
        """The footer's keys (Textual's Footer.compose without binding groups, which jctui
        has none of), described in `lang`, as many as fit: what each key shows, not yet a
        widget (most focus moves change none, and a FooterKey costs a widget's making)."""
        active = self.screen.active_bindings
        by_action: dict[str, tuple[Any, bool, str]] = {}
        for _, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action.setdefault(binding.action, (binding, enabled, tooltip))
        specs = [
            self.key_spec(binding, enabled, tooltip)
            for binding, enabled, tooltip in by_action.values()
        ]
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            _, binding, enabled, _ = palette
            tooltip = binding.tooltip or binding.description
            specs.append(self.key_spec(binding, enabled, tooltip, palette=True))
        return fitting_keys(specs, (self.size.width or self.screen.size.width) - 1)

    def key_spec(self, binding: Any, enabled: bool, tooltip: str, palette: bool = False) -> KeySpec:
        return KeySpec(
            binding.key,
            self.app.get_key_display(binding),
            binding_text(binding.description, self.lang),
            binding.action,
            not enabled,
            str(tooltip or ""),
            palette,
        )

    def key_widget(self, spec: KeySpec) -> FooterKey:
        classes = "-command-palette" if spec.palette else ""
        widget = LocalFooterKey(
            spec.key,
            spec.key_display,
            spec.description,
            spec.action,
            disabled=spec.disabled,
            tooltip=spec.tooltip,
            classes=classes,
        )
        if not spec.palette:  # the footer's style set before mounting (Textual binds it:
            # one more restyle of each key); the palette key keeps its own, as in Textual's
            widget.set_reactive(FooterKey.compact, self.compact)
            widget.set_class(self.compact, "-compact", update=False)
        return widget

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        specs = self.keys()
        self.shown_keys = tuple(specs)
        yield from (self.key_widget(spec) for spec in specs)

    def on_mount(self, event: events.Mount | None = None) -> None:
        """Told of a change of the keys when it happens (Textual's footer: at its next turn,
        after the frame of a screen switch was drawn, and its keys in a frame of their own)."""
        if event is not None:
            event.prevent_default()  # not Footer.on_mount's subscription as well
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed, immediate=True)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            # at once, in the frame of the change (a screen switch moves the focus in its
            # key's handler): not in a frame of its own after it
            self.recompose_if_changed()

    def recompose_if_changed(self) -> None:
        """The keys shown made those to show, in place: the keys there take the new texts,
        those left over are hidden and only missing ones are mounted (after the first
        switch through the tabs, none). In the frame of the change: a recompose removed
        and mounted every key over several frames, each laying out and rendering again."""
        if not self.is_attached:
            return
        specs = tuple(self.keys())
        if specs == self.shown_keys:
            return
        missing: list[FooterKey] = []
        for palette in (False, True):
            shown = [
                w
                for w in self.query_children(FooterKey)
                if w.has_class("-command-palette") == palette
            ]
            wanted = [spec for spec in specs if spec.palette == palette]
            for old, new in zip(shown, wanted, strict=False):
                self.update_key(old, new)
            for old in shown[len(wanted) :]:
                old.display = False
            missing += [self.key_widget(spec) for spec in wanted[len(shown) :]]
        self.shown_keys = specs
        if missing:
            self.mount_all(missing)

    @staticmethod
    def update_key(shown: FooterKey, new: KeySpec) -> None:
        """`shown` made to show what `new` says: its key, texts, state and tooltip."""
        width = key_width(shown)
        text = (shown.key_display, shown.description)
        shown.key, shown.key_display, shown.description = new.key, new.key_display, new.description
        shown.action = new.action
        shown._disabled = new.disabled
        if str(shown.tooltip or "") != new.tooltip:
            shown.tooltip = new.tooltip or None
        # its other classes are those of its kind (-command-palette, -compact: the palette
        # key's is set when mounted), the same as before
        shown.set_class(new.disabled, "-disabled")
        if key_width(shown) != width or not shown.display:
            shown.display = True
            shown.refresh(layout=True)
        elif (shown.key_display, shown.description) != text:
            shown.refresh()

    def watch_lang(self) -> None:
        if self.is_mounted:  # in the frame of the language's other texts, not one after it
            self.call_next(self.recompose_if_changed)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.recompose_if_changed)
