"""Which terminals get ASCII: the locale a user set, seen through Python's C-locale coercion."""

from __future__ import annotations

import pytest

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
