"""The tile's detail line: a declared detail field (jctui.fields `detail`, a derived figure
such as a mean) drawn as one dim line on the tile where there is room, none where not."""

from __future__ import annotations

import dataclasses

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region

from jctui.fields import METRIC_FIELDS
from jctui.presentation import tiles
from jctui.presentation.policy import SmallCounts
from jctui.presentation.tiles import TileData, detail_texts
from jctui.ui.widgets.metric_tile import MetricTile

WIDTH = 40


class TileApp(App[None]):
    """One tile of a given height, nothing else on the screen."""

    def __init__(self, height: int) -> None:
        super().__init__()
        self.tile_height = height

    def compose(self) -> ComposeResult:
        tile = MetricTile("integrations")
        tile.styles.width = WIDTH
        tile.styles.height = self.tile_height
        yield tile


@pytest.fixture
def mean_as_detail(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's mean declared a detail field, as a new derived figure would be."""
    fields = tuple(
        dataclasses.replace(f, detail=True) if f.key == "window_mean" else f for f in METRIC_FIELDS
    )
    monkeypatch.setattr(tiles, "METRIC_FIELDS", fields)


def tile_data(window: str, *, withheld: bool = False) -> TileData:
    row = {"window_mean": 38.25, "withheld": ["window_mean"] if withheld else []}
    return TileData(
        key="integrations",
        label="Integrations",
        kind="flow",
        better="higher",
        value=353.0,
        figure=4303.0,
        change=2.0,
        details=detail_texts(row, "en", SmallCounts(3), window),
        window=window,
    )


async def drawn(data: TileData, height: int, colours: dict[str, str] | None = None) -> list[str]:
    """The lines the tile draws on the screen, as text (in `colours`: each line's colour)."""
    app = TileApp(height)
    async with app.run_test(size=(60, 20)) as pilot:
        tile = app.query_one(MetricTile)
        tile.data = data
        await pilot.pause()
        assert tile.size.height == height
        strips = tile.render_lines(Region(0, 0, tile.size.width, tile.size.height))
        lines = ["".join(segment.text for segment in strip).rstrip() for strip in strips]
        for line, strip in zip(lines, strips, strict=True):
            texts = [seg for seg in strip if seg.text.strip() and seg.style and seg.style.color]
            if colours is not None and texts and texts[-1].style and texts[-1].style.color:
                colours[line] = str(texts[-1].style.color.triplet)
        return lines


@pytest.mark.usefixtures("mean_as_detail")
@pytest.mark.parametrize(
    ("window", "withheld", "text"),
    [
        ("12", False, "12-month mean 38.2"),
        ("6", False, "6-month mean 38.2"),
        ("12", True, "12-month mean *"),
    ],
)
async def test_the_detail_line_is_drawn_where_there_is_room(
    window: str, withheld: bool, text: str
) -> None:
    data = tile_data(window, withheld=withheld)
    assert data.details == (text,)
    colours: dict[str, str] = {}
    roomy = await drawn(data, 6, colours)
    assert text in roomy
    figure = next(line for line in roomy if f"  {window} mo " in line)  # the window as set
    assert colours[text] != colours[figure]  # dim: fainter than the figure's companion
    # it comes after the change line and before the sparkline
    assert roomy.index(text) > next(n for n, line in enumerate(roomy) if "+2.0%" in line)
    tight = await drawn(data, 4)  # head, figure, change, sparkline: no room for it
    assert not [line for line in tight if "mean" in line]
    assert any("+2.0%" in line for line in tight)


async def test_no_detail_line_without_a_detail_field() -> None:
    data = tile_data("12")
    assert data.details == ()  # the built-in declarations have no detail field
    assert not [line for line in await drawn(data, 6) if "mean" in line]


@pytest.mark.parametrize("height", [7, 11, 18])
async def test_the_tiles_lines_are_those_textual_would_draw(height: int) -> None:
    """The tile makes its lines' strips itself (MetricTile.strips: a month step redraws
    every tile, and Textual's own pass wraps, links and selects what needs none of it):
    the same text, styles and offsets as Textual's rendering of the tile's text, at a
    compact, a roomy (large digits, a bar chart) and a tall tile."""
    from textual.visual import Visual

    data = dataclasses.replace(
        tile_data("12"),
        spark=(1.0, None, 3.0, 2.0, 5.0, 4.0),
        rank=12,
        rank_of=400,
        group_rank=3,
        group_rank_of=37,
        group="IIb",
        warnings=2,
        target_texts=("Target 4,400 · 98% · ends 4,350", "4,400 98%"),
        on_track=False,
        beside_texts=("Ø IIb 21.3% · Hessen 20.1%",),
    )
    app = TileApp(height)
    async with app.run_test(size=(60, 20)) as pilot:
        tile = app.query_one(MetricTile)
        tile.data = data
        await pilot.pause()
        size, style = tile.size, tile.visual_style
        ours = tile.strips()
        textuals = Visual.to_strips(tile, tile._render(), size.width, size.height, style)
        assert len(ours) == len(textuals) > 4
        for mine, theirs in zip(ours, textuals, strict=True):
            assert list(mine) == list(theirs)
            assert mine.cell_length == theirs.cell_length
