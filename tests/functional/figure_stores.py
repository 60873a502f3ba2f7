"""Figure stores of the demo data made once per test process: a dashboard test reads the
months it shows from there instead of computing them again (tests/unit/test_store.py
proves the stored figures equal fresh ones)."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

TODAY = dt.date(2026, 11, 25)
DEMO_AS_OF = dt.date(2018, 10, 1)  # the dashboard tests' month (tests/functional/test_ui.py)

_STORES: dict[tuple[dt.date, ...], Path] = {}


def figure_store(*as_ofs: dt.date) -> Path:
    """The figure store of the demo data (default config) at each of `as_ofs` and the
    months a dashboard prefetches around each, as a dashboard writes it: made once per
    test process, in a folder of its own (the test's XDG cache is set apart meanwhile)."""
    if as_ofs not in _STORES:
        from jctui.config import load_config
        from jctui.locations import cache_dir
        from jctui.session.session import Loaded, RefreshRequest, Session

        home = Path(tempfile.mkdtemp(prefix="jctui-figure-store-"))
        atexit.register(shutil.rmtree, home, True)
        before = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = str(home)
        try:
            for as_of in as_ofs:
                session = Session(load_config(None), as_of=as_of, today=TODAY)
                events = session.refresh_cycle(RefreshRequest())
                loaded = [e for e in events if isinstance(e, Loaded)]
                shown = session.accept_data(loaded[0])
                assert session.accept_figures(session.compute(shown, session.next_compute()))
                session.prefetch()
                session.close()
            figures = cache_dir() / "figures"
        finally:
            if before is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = before
        assert figures.is_dir()
        _STORES[as_ofs] = figures
    return _STORES[as_ofs]


def with_figure_store(*as_ofs: dt.date) -> None:
    """`figure_store(*as_ofs)` in the test's cache, unless it has a store: an app on the
    demo data with the default config (any language, any today) reads the months it
    shows first and prefetches from there."""
    from jctui.locations import cache_dir

    figures = cache_dir() / "figures"
    if not figures.exists():
        with contextlib.suppress(OSError):  # a cache that cannot be made: none
            shutil.copytree(figure_store(*as_ofs), figures)


def with_demo_store() -> None:
    """The demo's figure store at the dashboard tests' month (`with_figure_store`)."""
    with_figure_store(DEMO_AS_OF)
