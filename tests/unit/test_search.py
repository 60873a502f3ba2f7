"""THE matching rule (jctui.engine.search): what `show` and the command palette find."""

from __future__ import annotations

import polars as pl

from jctui.engine.search import (
    ALL_WORDS,
    EXACT,
    FUZZY,
    INSIDE,
    PREFIX,
    WORD_PREFIX,
    find_jobcenters,
    highlight_span,
    rank_matches,
)

NAMES = [
    "Stadt Münster",
    "Landkreis Meißen",
    "Landkreis Gießen",
    "Landkreis Schmalkalden-Meiningen",
    "Kreis Offenbach",
    "Stadt Offenbach am Main",
    "Landkreis Wiesenhof",
    "Giesental",
]


def found(query: str, *, fuzzy: bool = False) -> list[tuple[str, int]]:
    return [(NAMES[m.index], m.tier) for m in rank_matches(NAMES, query, fuzzy=fuzzy)]


def test_accents_case_and_sharp_s_do_not_matter() -> None:
    assert found("munster") == [("Stadt Münster", WORD_PREFIX)]
    assert found("MUENSTER") == [("Stadt Münster", WORD_PREFIX)]
    assert found("meissen") == [("Landkreis Meißen", WORD_PREFIX)]
    assert found("Meißen")[0] == ("Landkreis Meißen", WORD_PREFIX)


def test_prefix_and_word_matches_come_before_substrings_and_look_alikes() -> None:
    assert found("gies") == [("Giesental", PREFIX), ("Landkreis Gießen", WORD_PREFIX)]
    assert found("offenbach") == [
        ("Kreis Offenbach", WORD_PREFIX),
        ("Stadt Offenbach am Main", WORD_PREFIX),
    ]
    assert found("kreis") == [
        ("Kreis Offenbach", PREFIX),
        ("Landkreis Gießen", INSIDE),
        ("Landkreis Meißen", INSIDE),
        ("Landkreis Schmalkalden-Meiningen", INSIDE),
        ("Landkreis Wiesenhof", INSIDE),
    ]
    assert found("meiningen") == [("Landkreis Schmalkalden-Meiningen", WORD_PREFIX)]
    assert found("offenbach kreis") == [("Kreis Offenbach", ALL_WORDS)]
    assert found("Kreis Offenbach") == [("Kreis Offenbach", EXACT)]


def test_look_alikes_only_where_asked_and_not_as_noise() -> None:
    assert found("Ofenbach") == []
    assert found("Ofenbach", fuzzy=True)[0][1] == FUZZY
    assert {name for name, _ in found("Ofenbach", fuzzy=True)} == {
        "Kreis Offenbach",
        "Stadt Offenbach am Main",
    }
    assert found("gxqz", fuzzy=True) == []


def test_ids_match_exactly_or_inside() -> None:
    ids = [f"0{i}" for i in range(len(NAMES))]
    assert [m.tier for m in rank_matches(NAMES, "04", ids=ids)] == [EXACT]
    registry = pl.DataFrame({"jobcenter_id": ["06438", "06888"], "name": NAMES[4:6]})
    assert find_jobcenters(registry, "06438").get_column("name").to_list() == ["Kreis Offenbach"]
    assert find_jobcenters(registry, "064").height == 1


def test_the_matched_part_is_marked_in_the_name_as_written() -> None:
    assert highlight_span("Stadt Münster", "munster") == (6, 13)
    assert highlight_span("Landkreis Gießen", "giessen") == (10, 16)
    assert highlight_span("Stadt Münster", "muens") == (6, 10)  # "Müns"
    assert highlight_span("Stadt Münster", "x") is None


def test_a_shared_word_alone_does_not_make_a_look_alike() -> None:
    names = ["Kreis Offenbach", "Kreis Otterhof", "Kreis Ahornau"]
    found_names = [names[m.index] for m in rank_matches(names, "kreis of", fuzzy=True)]
    assert found_names == ["Kreis Offenbach"]  # not every "Kreis ..." (nor "Otterhof")
