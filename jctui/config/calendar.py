"""The publication calendar of the monthly figures, declared once.

The BA and the BMAS publish a report month with a waiting time of about three months
(shared/domain/publications.md): report month N is looked for from the first day of month
N + `looked_for_after` on (it may come early), at most once every `recheck` seconds until it
appears, and is overdue once month N + `due_after` begins. The default of
`[refresh] overdue_months` (what the dashboard's "data overdue" says) is `due_after`, and a
URL template (jctui.sources.template) asks for the next month by the same declaration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def month_start(month: str, later: int = 0) -> dt.date:
    """The first day of report month "YYYY-MM", `later` months on."""
    year, mm = (int(p) for p in month.split("-"))
    index = year * 12 + mm - 1 + later
    return dt.date(index // 12, index % 12 + 1, 1)


def resolve_month(latest: dt.date, frequency: str, as_of: dt.date | None) -> dt.date:
    """The as-of period shown for `as_of` (None: the `latest` of the data): a monthly
    figure's month starts on its first day."""
    if as_of is None:
        return latest
    return as_of.replace(day=1) if frequency == "monthly" else as_of


@dataclass(frozen=True)
class PublicationCalendar:
    """When a report month is published: looked for from N + looked_for_after months,
    overdue from N + due_after months, asked again at most every `recheck` seconds."""

    looked_for_after: int
    due_after: int
    recheck: float

    def looked_for_from(self, month: str) -> dt.date:
        """The day from which report month `month` is asked for."""
        return month_start(month, self.looked_for_after)

    def due(self, month: str) -> dt.date:
        """The day from which report month `month` is overdue when not published."""
        return month_start(month, self.due_after)

    def overdue(self, latest: dt.date, today: dt.date) -> bool:
        """Whether data whose newest month is `latest` are overdue on `today` (the month
        after it is due): what "data overdue" says."""
        return today >= self.due(f"{month_start(f'{latest:%Y-%m}', 1):%Y-%m}")


# about three months' waiting time: July is looked for from September 1st and overdue on
# October 1st (then the newest month, June, is more than three months old); once a day.
PUBLICATION_CALENDAR = PublicationCalendar(looked_for_after=2, due_after=3, recheck=24 * 3600.0)
