"""Shared fixtures. Tests are offline and deterministic: fixed as-of dates, seeded data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

# Fixed as-of month of the demo data used throughout the tests.
DEMO_AS_OF = dt.date(2018, 10, 1)


@pytest.fixture(autouse=True, scope="session")
def _isolated_session_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same for the module- and session-scoped fixtures, which are made before a test's
    own environment (below) is set: they wrote to the developer's ~/.cache/jctui (e.g. the
    kept answers of test_suppression's attack) and could read it."""
    with pytest.MonkeyPatch.context() as m:
        _isolate(m, tmp_path_factory.mktemp("session-home"))
        yield


def _isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
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


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads the developer's own config or cache, or writes to them: each test has
    a home of its own."""
    _isolate(monkeypatch, tmp_path_factory.mktemp("home"))


# The slowest test files of a full run, longest first. They are collected first, and
# `make test` runs `--dist loadfile --no-loadscope-reorder`: xdist hands out files in
# collection order, so the two workers start on the long files and end together on the
# short ones (xdist's default order, most tests first, left the long files with few tests
# for the end, one worker waiting for the other).
SLOW_FIRST = (  # 2026-12-07, each file alone (-p no:xdist): its wall time under load (4-10)
    "tests/functional/test_snapshots.py",  # the dashboards (Pilot) foremost
    "tests/functional/test_ui.py",
    "tests/unit/test_store_sessions.py",  # 117 s
    "tests/functional/test_shared_refresh.py",  # 82 s
    "tests/functional/test_serve_guard.py",  # 72 s
    "tests/functional/test_references.py",  # 62 s
    "tests/functional/test_show_record.py",  # 56 s
    "tests/functional/test_bounded.py",  # 51 s
    "tests/unit/test_suppression.py",  # 51 s
    "tests/functional/test_attention_line.py",  # 49 s
    "tests/functional/test_serve_processes.py",  # 44 s
    "tests/functional/test_hostile.py",  # 42 s
    "tests/functional/test_kiosk_app.py",  # 39 s
    "tests/functional/test_compare_ranking.py",  # 37 s
    "tests/functional/test_finding.py",  # 36 s
    "tests/functional/test_overview_words.py",  # 33 s
    "tests/functional/test_published_dashboard.py",  # 32 s
    "tests/functional/test_chart_figures.py",  # 31 s
    "tests/functional/test_lookup_scan.py",  # 31 s
    "tests/functional/test_declared_figure.py",  # 31 s
    "tests/functional/test_archives.py",  # 29 s
    "tests/functional/test_serve_warm.py",  # 27 s
    "tests/functional/test_http.py",  # 26 s
    "tests/unit/test_suppression_surfaces.py",  # 26 s
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files of SLOW_FIRST first, in its order; the rest as collected."""
    rank = {path: i for i, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
