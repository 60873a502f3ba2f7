"""The publication calendar, declared once (jctui.config.calendar): what a URL template
asks for when, and what the dashboard calls overdue, agree."""

from __future__ import annotations

import datetime as dt

from jctui.config import default_config
from jctui.config.calendar import PUBLICATION_CALENDAR as CAL
from jctui.presentation.policy import is_overdue


def test_a_month_is_looked_for_two_months_after_it_and_due_three_months_after() -> None:
    assert CAL.looked_for_from("2018-07") == dt.date(2018, 9, 1)
    assert CAL.due("2018-07") == dt.date(2018, 10, 1)
    assert CAL.due("2018-11") == dt.date(2019, 2, 1)  # across the year
    assert CAL.recheck == 24 * 3600.0  # at most once a day until it appears


def test_overdue_agrees_with_the_dashboards_rule_on_every_day_of_three_years() -> None:
    months = default_config().refresh.overdue_months
    assert months == CAL.due_after
    for year, month in [(2024, m) for m in range(1, 13)] + [(2025, 1), (2025, 12)]:
        latest = dt.date(year, month, 1)
        for offset in range(0, 3 * 365, 3):
            today = latest + dt.timedelta(days=offset)
            assert CAL.overdue(latest, today) == is_overdue(latest, today, months), (latest, today)
