"""Which terminals get ASCII: the locale a user set, seen through Python's C-locale coercion;
and each language's number and date style."""

from __future__ import annotations

import datetime as dt

import pytest

from jctui.i18n import (
    LANGS,
    MONTHS,
    MONTHS_SHORT,
    STYLES,
    Lang,
    fmt_moment,
    fmt_number,
    fmt_pct,
    fmt_period,
)
from jctui.presentation.text import utf8_locale


@pytest.mark.parametrize(
    ("env", "utf8"),
    [
        ({"LANG": "de_DE.UTF-8"}, True),
        ({"LANG": "C.UTF-8"}, True),
        ({"LANG": "en_US.utf8"}, True),
        ({"LANG": "de_DE.ISO-8859-1"}, False),
        ({"LC_ALL": "de_DE.UTF-8", "LANG": "C"}, True),  # LC_ALL wins
        ({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, False),
        # what Python leaves in the environment after coercing the C locale (PEP 538)
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, False),
        ({"LC_CTYPE": "C.UTF-8"}, False),  # LANG unset: the C locale
        ({"LANG": "de_DE.UTF-8", "LC_CTYPE": "C.UTF-8"}, True),  # LANG not installed here
        ({"LANG": "de_DE.ISO-8859-1", "LC_CTYPE": "C.UTF-8"}, False),
    ],
)
def test_utf8_locale(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], utf8: bool) -> None:
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert utf8_locale() is utf8


def test_every_language_has_a_number_style_and_month_names() -> None:
    """Adding a language to `Lang` without its number style or month names fails here."""
    assert set(STYLES) == set(LANGS)
    for lang in LANGS:
        assert len(MONTHS[lang]) == len(MONTHS_SHORT[lang]) == 12


@pytest.mark.parametrize(
    ("lang", "number", "pct", "day", "moment"),
    [
        ("de", "-1.234,5", "-4,7 %", "03.07.2018", "25.11. 09:30"),
        ("en", "-1,234.5", "-4.7%", "2018-07-03", "2026-11-25 09:30"),
    ],
)
def test_number_and_date_formats(lang: Lang, number: str, pct: str, day: str, moment: str) -> None:
    assert fmt_number(-1234.5, lang, 1) == number
    assert fmt_pct(-4.7, lang) == pct
    assert fmt_period(dt.date(2018, 7, 3), lang, daily=True) == day
    assert fmt_moment(dt.datetime(2026, 11, 25, 9, 30), lang) == moment
