"""Textual's footer, with the key descriptions in the UI language."""

from __future__ import annotations

from typing import Any, cast

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widgets import Footer

from jctui.i18n import Lang, binding_text


class LocalFooter(Footer):
    """Bindings are described in English in the code; this footer shows them in `lang`."""

    lang: reactive[Lang] = reactive("en")

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            description = getattr(widget, "description", None)  # the keys (FooterKey)
            if isinstance(description, str):
                cast(Any, widget).description = binding_text(description, self.lang)
            yield widget

    def watch_lang(self) -> None:
        if self.is_mounted:
            self.call_after_refresh(self.recompose)
