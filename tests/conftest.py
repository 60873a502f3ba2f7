"""Shared fixtures. Tests are offline and deterministic: fixed as-of dates, seeded data."""

from __future__ import annotations

import datetime as dt

import pytest

# Fixed as-of month of the demo data used throughout the tests.
DEMO_AS_OF = dt.date(2018, 10, 1)


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads the developer's own config or cache, or writes to them."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("JCTUI_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    # a UTF-8 locale whatever the machine has (LANG=C would switch the app to --ascii)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_CTYPE", raising=False)
