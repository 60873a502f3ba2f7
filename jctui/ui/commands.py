"""The command palette's one provider: find a Jobcenter by part of its name, or run an action."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from jctui.presentation.text import safe_text

if TYPE_CHECKING:
    from jctui.ui.app import JctuiApp


class JctuiCommands(Provider):
    @property
    def jctui(self) -> JctuiApp:
        return self.app  # type: ignore[return-value]

    def actions(self) -> list[tuple[str, str, str]]:
        de = self.jctui.lang == "de"
        return [
            ("Übersicht" if de else "Overview", "show_tab('overview')", ""),
            ("Vergleich" if de else "Compare", "show_tab('compare')", ""),
            ("Diagramm" if de else "Chart", "show_tab('chart')", ""),
            ("Hinweise" if de else "Warnings", "show_tab('warnings')", ""),
            ("Sprache wechseln" if de else "Switch language", "toggle_language", ""),
            ("Farbschema wechseln" if de else "Cycle theme", "cycle_theme", ""),
            ("Jetzt aktualisieren" if de else "Refresh now", "refresh_data", ""),
            ("Bildschirmfoto (SVG)" if de else "Screenshot (SVG)", "screenshot", ""),
        ]

    async def discover(self) -> Hits:
        for name, action, _ in self.actions():
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, _ in self.actions():
            if (score := matcher.match(name)) > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self.app.run_action, action), text=name
                )
        dataset = self.jctui.dataset
        if dataset is None:
            return
        for row in dataset.registry.iter_rows(named=True):
            name = safe_text(row["name"])
            score = matcher.match(name)
            if score > 0 or query.strip() == row["jobcenter_id"]:
                yield Hit(
                    max(score, 0.5),
                    matcher.highlight(name),
                    partial(self.jctui.choose_jobcenter, row["jobcenter_id"]),
                    text=name,
                    help=f"{row['jobcenter_id']} · {row['state'] or ''} · {row['carrier'] or ''}",
                )
