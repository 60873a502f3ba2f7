"""Axis values of the chart: round steps, as many as fit, labelled in the UI language."""

from __future__ import annotations

from jctui.ui.widgets.chart_view import nice_ticks, tick_decimals


def test_ticks_are_round_steps_inside_the_range() -> None:
    assert nice_ticks(205.0, 413.0, 6) == [250.0, 300.0, 350.0, 400.0]
    assert nice_ticks(17.3, 26.1, 6) == [18.0, 20.0, 22.0, 24.0, 26.0]
    assert nice_ticks(0.12, 0.48, 4) == [0.2, 0.3, 0.4]
    assert nice_ticks(5.0, 5.0, 4) == [5.0]  # a flat line: one label
    assert nice_ticks(5.0, 5.0 + 1e-11, 6) == [5.0]  # float noise is a flat line too
    assert nice_ticks(-12.0, -3.0, 4) == [-10.0, -5.0]
    assert nice_ticks(0.0, float("inf"), 4) == []  # per-ELB with ELB 0: no labels, no crash
    assert nice_ticks(-1e308, 1e308, 4) == []  # a range beyond the float limits: no crash


def test_decimals_follow_the_step() -> None:
    assert tick_decimals([250.0, 300.0]) == 0
    assert tick_decimals([0.2, 0.3]) == 1
    assert tick_decimals([0.02, 0.04]) == 2
    assert tick_decimals([0.25]) == 2  # a flat line at 0.25 is labelled 0.25
    assert tick_decimals([]) == 0
