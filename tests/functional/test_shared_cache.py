"""One host, many sessions: `jctui refresh` fetches once for the host, dashboards with
follow_cache read the shared cache (and follow it) without asking the API themselves."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from jctui.cli import main
from jctui.config import load_config
from jctui.session.refresh import Refresher
from jctui.session.shared import watched_sources
from jctui.session.watch import FileWatcher
from tests.httpserver import LocalServer, records


def write_config(tmp_path: Path, server: LocalServer, *, follow: bool) -> Path:
    (tmp_path / "registry.csv").write_text(
        "jobcenter_id,name\nA1,Kreis A\nB2,Stadt B\n", encoding="utf-8"
    )
    config = tmp_path / ("follow.toml" if follow else "refresh.toml")
    config.write_text(
        'cache_dir = "cache"\n'
        f"[refresh]\nfollow_cache = {'true' if follow else 'false'}\n"
        f'[[sources]]\nname = "api"\nurl = "{server.url}"\nrecords_path = "data.items"\n'
        '[[sources]]\nname = "reg"\npath = "registry.csv"\nrole = "registry"\n',
        encoding="utf-8",
    )
    return config


def test_refresh_fetches_once_and_then_only_asks_whether_anything_changed(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server, follow=False)
    assert main(["refresh", "--config", str(config)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "api: updated (24 values)",
        "reg: updated (0 values)",
        "figure store: updated (12 as-of months)",  # every month, once per data revision
    ]
    assert main(["refresh", "--config", str(config)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "api: unchanged (not modified (304))",
        "reg: unchanged (file not modified)",
        "figure store: unchanged",
    ]
    assert [r["status"] for r in server.requests] == [200, 304]
    server.mode, server.status = "status", 503
    assert main(["refresh", "--config", str(config)]) == 2
    assert "api: failed" in capsys.readouterr().out


def test_dashboards_following_the_cache_never_ask_the_api_and_see_each_refresh(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refresh = write_config(tmp_path, server, follow=False)
    follow = load_config(str(write_config(tmp_path, server, follow=True)))
    dashboards = [Refresher(follow, now=time.monotonic) for _ in range(3)]
    for dash in dashboards:  # nothing cached yet: an error naming what to run
        assert dash.refresh(force=True)[0] is None
        assert "run jctui refresh" in dash.summary()[1]
    assert main(["refresh", "--config", str(refresh)]) == 0
    for dash in dashboards:
        dataset, _, changed = dash.refresh(force=True)
        assert changed
        assert dataset is not None
        assert dataset.values.height == 24
        assert sorted(dataset.registry.get_column("name")) == ["Kreis A", "Stadt B"]
        assert dash.refresh(force=True)[2] is False  # the pointer did not change
    assert len(server.requests) == 1  # the host's one fetch

    seen = threading.Event()
    stop = threading.Event()
    watcher = FileWatcher(watched_sources(follow), lambda names: seen.set(), stop)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    time.sleep(0.5)
    server.payload = records({"A1-2018-12": 99.0})
    assert main(["refresh", "--config", str(refresh)]) == 0
    try:
        assert seen.wait(10), "the watcher did not see the refreshed cache"
    finally:
        stop.set()
        thread.join(10)
    dataset, _, changed = dashboards[0].refresh(force=True)
    assert changed
    assert dataset is not None
    assert 99.0 in dataset.values.get_column("value").to_list()
    assert len(server.requests) == 2
    capsys.readouterr()
