"""The command palette's one provider: find a Jobcenter by part of its name, or run an action."""

from __future__ import annotations

from functools import partial
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from jctui.i18n import Lang, t
from jctui.presentation.text import safe_text
from jctui.session.views import PaletteEntry

# (label key, action): the actions the palette offers besides finding a Jobcenter
PALETTE_ACTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "show_tab('overview')"),
    ("compare", "show_tab('compare')"),
    ("chart", "show_tab('chart')"),
    ("warnings_tab", "show_tab('warnings')"),
    ("switch_language", "toggle_language"),
    ("cycle_theme", "cycle_theme"),
    ("refresh_now", "refresh_data"),
    ("screenshot_svg", "save_svg"),
)


class PaletteHost(Protocol):
    """What the provider needs of the app (and nothing else)."""

    lang: Lang

    def palette_entries(self) -> list[PaletteEntry]: ...

    def choose_jobcenter(self, jobcenter_id: str) -> None: ...


class JctuiCommands(Provider):
    @property
    def host(self) -> PaletteHost:
        return cast(PaletteHost, self.app)

    def actions(self) -> list[tuple[str, str]]:
        lang = self.host.lang
        return [(t(key, lang), action) for key, action in PALETTE_ACTIONS]

    async def discover(self) -> Hits:
        for name, action in self.actions():
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action in self.actions():
            if (score := matcher.match(name)) > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self.app.run_action, action), text=name
                )
        for entry in self.host.palette_entries():
            name = safe_text(entry.name)
            score = matcher.match(name)
            if score > 0 or query.strip() == entry.jobcenter_id:
                yield Hit(
                    max(score, 0.5),
                    matcher.highlight(name),
                    partial(self.host.choose_jobcenter, entry.jobcenter_id),
                    text=name,
                    help=safe_text(entry.help),
                )
