"""The kiosk's targets page: Jobcenters ranked by how far their year will reach the target."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from jctui.presentation.targets import TargetsPage
from jctui.presentation.text import fit

COLUMNS = (4, 0, 9, 9, 11, 12)  # rank, name (the rest), target, progress, year end, attainment


class TargetsPane(Widget):
    """A title and one line per Jobcenter, best attainment first, as many as fit."""

    DEFAULT_CSS = """
    TargetsPane { height: 1fr; padding: 0 1; }
    """

    page: reactive[TargetsPage | None] = reactive(None, layout=True)

    def render(self) -> Text:
        page = self.page
        if page is None:
            return Text("–")
        width = max(40, self.size.width)
        name_width = max(8, width - sum(COLUMNS) - len(COLUMNS))
        lines = [Text(fit(page.title, width), style="bold"), self.line(page.header, name_width)]
        lines[-1].stylize("dim")
        for row in page.rows[: max(0, self.size.height - 2)]:
            cells = (f"{row.rank}.", row.name, row.target, row.progress, row.projection,
                     row.attainment)  # fmt: skip
            line = self.line(cells, name_width)
            if row.on_track is not None:
                style = "bold green" if row.on_track else "bold red"
                line.stylize(style, len(line) - COLUMNS[-1], len(line))
            lines.append(line)
        return Text("\n").join(lines)

    @staticmethod
    def line(cells: tuple[str, ...], name_width: int) -> Text:
        rank, name, *numbers = cells
        text = f"{rank:>{COLUMNS[0]}} {fit(name, name_width):<{name_width}}"
        for cell, size in zip(numbers, COLUMNS[2:], strict=True):
            text += f" {cell:>{size}}"
        return Text(text)
