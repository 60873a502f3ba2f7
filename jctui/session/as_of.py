"""The as-of month: parsed once from `--at`, checked against the data, stepped by `[` / `]`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from jctui.errors import JctuiError

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str | None) -> dt.date | None:
    """'2018-07' -> 2018-07-01; a clear error (exit 2) for anything else."""
    if text is None:
        return None
    match = MONTH_RE.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise JctuiError(
            f"--at: expected a month as YYYY-MM, got {text!r}", key="err_at_format", got=repr(text)
        )
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def check_as_of(periods: Sequence[dt.date], as_of: dt.date | None) -> dt.date | None:
    """`as_of` if the data reach it, else a clear error naming the periods there are."""
    if as_of is None:
        return None
    if not periods or as_of < periods[0].replace(day=1) or as_of > periods[-1]:
        first = f"{periods[0]:%Y-%m}" if periods else "–"
        last = f"{periods[-1]:%Y-%m}" if periods else "–"
        raise JctuiError(
            f"--at {as_of:%Y-%m}: not in the data (periods {first} to {last})",
            key="err_at_missing", at=f"{as_of:%Y-%m}", first=first, last=last,
        )  # fmt: skip
    return as_of


def usable_as_of(periods: Sequence[dt.date], wanted: dt.date | None) -> dt.date | None:
    """The month to show after a load: `wanted` while the data still reach it, else the latest."""
    if wanted is not None and periods and wanted > periods[-1]:
        return None
    return wanted


def step_as_of(periods: Sequence[dt.date], current: dt.date, step: int) -> dt.date | None:
    """The period `step` periods from `current` (clamped to the data); None if it is the same."""
    if not periods:
        return None
    i = periods.index(current) if current in periods else len(periods) - 1
    j = min(max(0, i + step), len(periods) - 1)
    return periods[j] if j != i else None
