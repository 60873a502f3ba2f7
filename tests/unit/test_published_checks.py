"""A published figure is right or it is refused: number formats per column, cross-checks of a
file against itself, and columns that could be two things (issue 21)."""

from __future__ import annotations

import pytest

from jctui.errors import SourceError
from tests.unit.test_published import JULY_2017, KEY_FIGURES, cell, read, values_of


def test_the_plain_reader_takes_no_sign_for_a_decimal_point() -> None:
    data = "jobcenter_id;period;metric;value\n06438;2018-07;elb;16.039\n06438;2018-08;elb;.\n"
    result = read(data, "plain.csv")
    assert values_of(result) == {("06438", "elb"): 16039}


def test_a_column_whose_cells_disagree_is_a_problem_naming_it_and_two_cells() -> None:
    table = KEY_FIGURES.replace("4.236;21.394;19,8", "4.236;21.394;19.8")
    result = read(table.encode("cp1252"), "kennzahlen.csv")
    problems = result.rejected.filter(result.rejected["problem"].str.contains("disagree"))
    assert problems.height == 1, result.rejected
    row = problems.row(0, named=True)
    assert row["column"] == "K2 - Integrationsquote | in %"
    assert "'30,9' (line 9) has a decimal comma, '19.8' (line 12) a decimal point" in row["problem"]
    assert ("06438", "k2_published") not in values_of(result)  # none of its cells is used
    assert values_of(result)[("06438", "k3_published")] == -4.7


def test_a_k2_its_parts_do_not_give_is_refused_with_its_parts() -> None:
    table = KEY_FIGURES.replace("4.236;21.394;19,8", "4.236;21.394;21,8")
    result = read(table.encode("cp1252"), "kennzahlen.csv")
    (problem,) = result.rejected["problem"].to_list()
    assert problem == (
        "06438 2018-07: cross-check K2 = numerator / denominator x 100 failed: "
        "4236 / 21394 gives 19.8, published 21.8"
    )
    assert result.rejected["line"].to_list() == [12]
    got = values_of(result)
    for key in ("k2_published", "integrations_12m", "elb_mean_12m"):
        assert ("06438", key) not in got
    assert got[("06438", "k3_published")] == -4.7


def test_a_k3_its_two_stocks_do_not_give_is_refused() -> None:
    table = KEY_FIGURES.replace("9.096;9.549;-4,7", "9.096;9.549;-5,7")
    result = read(table.encode("cp1252"), "kennzahlen.csv")
    (problem,) = result.rejected["problem"].to_list()
    assert (
        "cross-check K3 = (numerator / denominator - 1) x 100 failed: 9096 / 9549 gives -4.7"
        in problem
    )
    assert ("06438", "k3_published") not in values_of(result)
    notices = " ".join(result.notices)
    assert "check K3 = (numerator / denominator - 1) x 100: 2 compared, 1 failed" in notices
    assert "check K2 = numerator / denominator x 100: 1 compared, ok" in notices


def test_a_negative_count_is_refused() -> None:
    table = KEY_FIGURES.replace("9.096;9.549;-4,7", "-9.096;9.549;-195,3")
    result = read(table.encode("cp1252"), "kennzahlen.csv")
    problems = result.rejected["problem"].to_list()
    assert any("cross-check counts never negative failed: -9096" in p for p in problems), problems
    assert cell(result, "06438", "long_term_recipients") is None
    assert cell(result, "06438", "long_term_recipients", JULY_2017) == 9549


def test_two_candidates_for_one_figure_are_refused_with_the_reason() -> None:
    table = KEY_FIGURES.replace(
        "Nenner: durchschnittlicher Bestand ELB", "Zähler: Integrationen insgesamt"
    )
    with pytest.raises(SourceError) as info:
        read(table.encode("cp1252"), "kennzahlen.csv")
    message = str(info.value)
    assert message.startswith("kennzahlen.csv: row 7: columns ")
    assert "could both be integrations_12m" in message
    assert "[sources.metrics]" in message
