"""The command palette's one provider: find a Jobcenter by part of its name, or run an action."""

from __future__ import annotations

from functools import partial
from typing import Protocol, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from jctui.i18n import Lang, t
from jctui.presentation.text import safe_text
from jctui.session.views import PaletteEntry

# (label key, action): the actions the palette offers besides finding a Jobcenter
PALETTE_ACTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "screen.show_tab('overview')"),
    ("compare", "screen.show_tab('compare')"),
    ("chart", "screen.show_tab('chart')"),
    ("warnings_tab", "screen.show_tab('warnings')"),
    ("switch_language", "toggle_language"),
    ("cycle_theme", "cycle_theme"),
    ("refresh_now", "refresh_data"),
    ("set_my_jobcenter", "make_mine"),
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
        """Commands, then Jobcenters, each ranked by THE matching rule (jctui.engine.search):
        accent- and case-insensitive, whole and prefix matches first, look-alikes last."""
        from jctui.engine.search import rank_matches  # loaded with the data, not at start

        actions = self.actions()
        for rank, match in enumerate(rank_matches([name for name, _ in actions], query)):
            name, action = actions[match.index]
            yield Hit(
                hit_score(match.tier, rank) + 1.0,  # a command named so comes before names
                highlighted(name, query),
                partial(self.app.run_action, action),
                text=name,
            )
        entries = self.host.palette_entries()
        names = [safe_text(entry.name) for entry in entries]
        ids = [entry.jobcenter_id for entry in entries]
        for rank, match in enumerate(rank_matches(names, query, ids=ids, fuzzy=True)):
            entry, name = entries[match.index], names[match.index]
            yield Hit(
                hit_score(match.tier, rank),
                highlighted(name, query),
                partial(self.host.choose_jobcenter, entry.jobcenter_id),
                text=name,
                help=safe_text(entry.help),
            )


def hit_score(tier: int, rank: int) -> float:
    """The palette sorts by score: better tiers first, and within one the rule's order."""
    return 0.9 - tier / 10 - min(rank, 9999) / 1e6


def highlighted(name: str, query: str) -> Text:
    """The name with the matched part in bold (folded: "munster" marks "Münster")."""
    from jctui.engine.search import highlight_span

    text = Text(name)
    span = highlight_span(name, query)
    if span is not None:
        text.stylize("bold reverse", *span)
    return text
