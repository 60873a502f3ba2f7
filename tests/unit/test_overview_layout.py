"""The rules behind the 80x24 overview: short labels, ranks and report month by width, the
tile grid, the footer's key priority, the header's drop order, and `i` on a tile's marks."""

from __future__ import annotations

import datetime as dt

from jctui.config import default_config
from jctui.presentation.policy import is_overdue, next_report_due
from jctui.presentation.tiles import TileData, first_fitting, rank_variants, report_variants
from jctui.presentation.wording import explain_marks
from jctui.ui.widgets.footer import fitting_keys
from jctui.ui.widgets.overview import TILE_MIN_HEIGHT, tile_grid
from jctui.ui.widgets.status_header import Part, fit_parts

TILE = TileData(
    key="integrations",
    label="Integrations",
    kind="flow",
    better="higher",
    value=353,
    figure=4303,
    change=2.0,
    group="IIb",
    rank=99,
    rank_of=407,
    group_rank=9,
    group_rank_of=28,
    latest_period=dt.date(2018, 10, 1),
    next_due=dt.date(2019, 2, 1),
    overdue=True,
    warnings=1,
)


def test_every_figure_has_a_short_label_and_long_labels_give_way_when_narrow() -> None:
    config = default_config()
    shorts = {k: m.short_label("en") for k, m in config.metrics.items()}
    assert shorts["elb"] == "ELB"
    assert shorts["long_term_recipients"] == "LZB"
    assert config.metrics["apprenticeships"].short_label("de") == "Ausb.-Verm."
    assert config.rates["k2"].short_label("de") == "K2"
    elb = config.metrics["elb"]
    assert elb.fitting_label("en", 21) == "ELB"
    assert elb.fitting_label("en", 60) == "People able to work on benefits (ELB)"


def test_a_label_without_a_short_one_gives_its_abbreviation() -> None:
    from jctui.config import MetricDef

    metric = MetricDef(
        label_de="Bedarfsgemeinschaften (BG)", label_en="Households (BG)", kind="stock"
    )
    assert metric.short_label("de") == "BG"
    plain = MetricDef(label_de="Zugänge", label_en="Inflows", kind="flow")
    assert plain.short_label("en") == "Inflows"


def test_the_rank_within_the_comparison_type_survives_any_width() -> None:
    variants = rank_variants(TILE, "en")
    assert first_fitting(variants, 21) == "9/28 IIb · #99/407"
    assert first_fitting(variants, 12) == "9/28 IIb"
    assert first_fitting(variants, 60).startswith("Rank 9/28 in IIb · 99/407")
    assert all("9/28" in v for v in variants)


def test_the_report_month_names_the_publication_calendar_not_the_fetch() -> None:
    assert next_report_due(dt.date(2018, 10, 1), 3) == dt.date(2019, 2, 1)
    assert not is_overdue(dt.date(2018, 10, 1), dt.date(2019, 1, 31), 3)
    assert is_overdue(dt.date(2018, 10, 1), dt.date(2019, 2, 1), 3)
    assert first_fitting(report_variants(TILE, "en"), 21) == "Oct 2018 · overdue"
    assert first_fitting(report_variants(TILE, "de"), 30) == "Okt 2018 · überfällig"
    assert report_variants(TILE, "de")[0] == "Berichtsmonat Okt 2018 · überfällig"
    on_time = TileData(**{**TILE.__dict__, "overdue": False})
    assert first_fitting(report_variants(on_time, "en"), 25) == "Oct 2018 · next due Feb"


def test_tiles_fill_the_pane_at_each_size() -> None:
    # 80x24: the pane is 78x19 -> 3 columns of 2 rows, 9 high (no empty rows but one)
    assert tile_grid(6, 78, 19) == (3, 9)
    # 160x48: tiles grow with the screen instead of leaving 36 rows empty
    columns, height = tile_grid(6, 158, 43)
    assert columns * 26 <= 158
    assert 2 * height >= 40
    # too little room: the minimum height, and the pane scrolls
    assert tile_grid(6, 78, 10)[1] == TILE_MIN_HEIGHT


class Key:
    """A stand-in for Textual's FooterKey: what the footer measures and ranks."""

    def __init__(self, key: str, description: str, action: str, palette: bool = False) -> None:
        self.key_display, self.description, self.action = key, description, action
        self.palette = palette

    def has_class(self, name: str) -> bool:
        return self.palette and name == "-command-palette"


def fitting(keys: list[Key], width: int) -> list[Key]:
    """fitting_keys on the stand-ins: it reads only what a Key has (has_class, action,
    key_display, description) and returns some of the keys it was given."""
    return fitting_keys(keys, width)


def test_the_footer_keeps_help_and_quit_and_drops_whole_groups() -> None:
    keys = [
        Key("1", "Overview", "app.show_tab('overview')"),
        Key("2", "Compare", "app.show_tab('compare')"),
        Key("3", "Chart", "app.show_tab('chart')"),
        Key("4", "Warnings", "app.show_tab('warnings')"),
        Key("[", "Month back", "app.step_month(-1)"),
        Key("]", "Month fwd", "app.step_month(1)"),
        Key("?", "Help", "app.help"),
        Key("q", "Quit", "app.quit"),
        Key("^p", "palette", "app.command_palette", palette=True),
    ]
    shown = [k.description for k in fitting(keys, 79)]
    assert "Help" in shown
    assert "Quit" in shown
    assert "Month back" in shown
    assert "Overview" not in shown  # the tab bar names the screens
    assert [k.description for k in fitting(keys, 20)] == ["Help", "Quit"]
    assert len(fitting(keys, 200)) == len(keys)


def test_the_header_drops_parts_by_priority_and_never_the_state() -> None:
    def parts() -> list[Part]:
        return [
            Part("brand", [" jctui ", ""]),
            Part("demo", [" Demodaten, synthetische Zahlen ", " Demodaten "]),
            Part("as_of", [" Sep 2018"]),
            Part("not_latest", [" (nicht neuester Monat)", " (nicht neuester)"]),
            Part("since", [" · Abruf fehlgeschlagen seit 14:55", " · Abruf fehlgeschlagen"]),
            Part("reason", [": https://api.example/x: HTTP 503 Service Unavailable", ""]),
            Part("retry", [" (neuer Versuch 15:00)", " (erneut 15:00)"]),
            Part("clock", ["  12:00 ", ""]),
        ]

    for width in (200, 120, 80, 60):
        line = "".join(p.text for p in fit_parts(parts(), width))
        assert len(line) <= width or width < 75, (width, line)
        assert "Sep 2018" in line
        assert "Abruf fehlgeschlagen" in line
        assert "15:00)" in line
        assert "nicht neuester" in line
    line = "".join(p.text for p in fit_parts(parts(), 120))
    assert "503 Service Unavailable" in line  # the end of the reason stays
    assert "12:00 " not in line  # the clock went first


def test_i_explains_every_mark_on_the_tile() -> None:
    text = "\n".join(explain_marks(TILE, "en", ascii_only=False, overdue_months=3))
    for mark in ("⚠1", "9/28 IIb", "#99/407", "overdue", "fetch failed"):
        assert mark in text, mark
    from jctui.presentation.policy import SmallCounts

    assert "*: a count below" not in text  # nothing withheld, no word about it
    assert "Rank: by the change against the previous year" in text  # a count's ranks
    rate = TileData(**{**TILE.__dict__, "kind": "rate"})
    rate_text_ = "\n".join(explain_marks(rate, "en", ascii_only=False, overdue_months=3))
    assert "Rank: by the level of the rate" in rate_text_  # K2's ranks
    assert "by the change" not in rate_text_
    by_publisher = TileData(**{**TILE.__dict__, "value": None, "withheld": frozenset({"value"})})
    assert "*: withheld by the publisher (* in the file)." in "\n".join(
        explain_marks(by_publisher, "en", ascii_only=True, overdue_months=3)
    )  # no rule of ours is on (threshold 0): not "a count below 0"
    # the month's value withheld by the policy: null, named in `withheld`, shown as *
    withheld = TileData(
        **{**TILE.__dict__, "value": None, "withheld": frozenset({"value"})}
        | {"counts": SmallCounts(3)}
    )
    assert "*: a count below 3" in "\n".join(
        explain_marks(withheld, "en", ascii_only=True, overdue_months=3)
    )
    german = "\n".join(explain_marks(TILE, "de", ascii_only=True, overdue_months=3))
    assert "!1" in german
    assert "Vergleichstyps IIb" in german


def test_a_published_key_figure_tile_is_a_level_in_percent() -> None:
    """K2 as published: its decimal and unit, the change in points (not +10 %), '–' without
    a previous year (not '– pts'), '*' for value and change where the publisher withheld it."""
    from jctui.presentation.policy import SmallCounts
    from jctui.presentation.tiles import metric_tile, rate_text

    k2 = default_config().metrics["k2_published"]

    def k2_tile(row: dict[str, object], *, withheld: bool = False) -> TileData:
        return metric_tile(
            "k2_published", k2, row, lang="de", counts=SmallCounts(), spark=(), warnings=0,
            revised=0, today=dt.date(2018, 9, 1), overdue_months=3, published_withheld=withheld,
            window="12",
        )  # fmt: skip

    tile = k2_tile({"value": 19.8, "value_prev_year": 18.0, "change": 1.8, "change_pct": 10.0})
    assert tile.kind == "rate"
    assert rate_text(tile, "value", "de") == "19,8 %"
    assert rate_text(tile, "figure", "de") == "18,0 %"
    assert tile.shown_change("de") == "+1,8 Pkt."
    assert k2_tile({"value": 19.8}).shown_change("de") == "–"
    hidden = k2_tile({"value": None, "value_prev_year": 18.0}, withheld=True)
    assert rate_text(hidden, "value", "de") == "*"
    assert hidden.shown_change("de") == "*"
