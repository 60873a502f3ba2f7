"""One integrity rule for every path that takes new data (the dashboard's refresher,
`jctui refresh`, `check`/`show`): read when held still, whole (a CSV ends at a row end),
a read that shrinks the data under 90% taken only when a second read after a quiet period
brings the same bytes, and only then written to the cache; a cached copy that cannot be
read is dropped and fetched whole (no validators), and `refresh` says so.

Real files on disk, a real server on 127.0.0.1, writer threads as producers.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from jctui.cli import main
from jctui.config import load_config
from jctui.session.refresh import Refresher
from jctui.session.shared import refresh_cache
from jctui.sources import cache
from tests.functional.test_hostile import figures_csv
from tests.httpserver import LocalServer


def cached_jobcenters(config) -> int:  # type: ignore[no-untyped-def]
    cached = cache.load(config.sources[0])
    assert cached is not None
    return int(cached.registry.height)


# -- jctui refresh: the shrink guard it lacked ---------------------------------------------


def test_refresh_never_puts_a_half_written_file_into_the_shared_cache(tmp_path: Path) -> None:
    """Today a file caught mid-rewrite went into the shared cache as "updated" (12 of 40
    Jobcenters for every follow_cache dashboard). Now the shrunk read waits a quiet period;
    the producer finishes meanwhile, and the cache gets the whole file."""
    data = tmp_path / "figures.csv"
    data.write_text(figures_csv(40), encoding="utf-8")
    config = load_config(None).with_source(str(data))
    first, *_ = refresh_cache(config, quiet=1.0)  # then the figure store
    assert first.outcome == "updated"
    assert cached_jobcenters(config) == 40

    data.write_text(figures_csv(12), encoding="utf-8")  # caught at a line end
    time.sleep(0.15)

    def producer() -> None:  # pauses, then finishes the file
        time.sleep(0.5)
        data.write_text(figures_csv(40).replace(",100,", ",101,"), encoding="utf-8")

    thread = threading.Thread(target=producer)
    thread.start()
    second, *_ = refresh_cache(config, quiet=1.0)  # then the figure store
    thread.join()
    assert cached_jobcenters(config) == 40  # never 12
    assert second.outcome == "updated", second


def test_refresh_takes_a_shrunk_file_only_after_a_quiet_second_read(tmp_path: Path) -> None:
    """A producer that died leaves 12 Jobcenters: taken after the quiet period (the same
    bytes twice), said so; a file still changing is refused and the cache keeps 40."""
    data = tmp_path / "figures.csv"
    data.write_text(figures_csv(40), encoding="utf-8")
    config = load_config(None).with_source(str(data))
    refresh_cache(config, quiet=0.5)

    stop = threading.Event()

    def writer() -> None:  # keeps rewriting a shrunk file with other bytes
        n = 0
        while not stop.is_set():
            n += 1
            tmp = data.with_suffix(".tmp")  # whole files, each other bytes
            tmp.write_text(figures_csv(12).replace(",100,", f",{100 + n},"), encoding="utf-8")
            os.replace(tmp, data)
            stop.wait(0.2)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.3)
        busy, *_ = refresh_cache(config, quiet=0.5)  # then the figure store
    finally:
        stop.set()
        thread.join()
    assert busy.outcome == "failed", busy
    assert "only 12 of 40 Jobcenters" in busy.detail
    assert cached_jobcenters(config) == 40

    time.sleep(0.15)
    started = time.monotonic()
    dead, *_ = refresh_cache(config, quiet=0.5)  # then the figure store
    assert time.monotonic() - started >= 0.5
    assert dead.outcome == "updated", dead
    assert "confirmed by a second read" in dead.detail
    assert cached_jobcenters(config) == 12


# -- the dashboard: a retry is no confirmation ---------------------------------------------


def test_the_dashboard_takes_a_shrunk_read_only_after_a_quiet_period(tmp_path: Path) -> None:
    """Today the dashboard's retry counted as the confirming read: a producer pausing 4 s
    got 12 of 40 Jobcenters shown as fresh. Now the same bytes must hold for the quiet
    period; the producer resuming within it never has its half file shown."""
    data = tmp_path / "figures.csv"
    data.write_text(figures_csv(40), encoding="utf-8")
    ref = Refresher(load_config(None).with_source(str(data)), now=time.monotonic, quiet=2.0)
    ref.refresh(force=True)
    data.write_text(figures_csv(12), encoding="utf-8")  # the producer pauses here
    time.sleep(0.15)
    for _ in range(3):  # retries within the pause: the same bytes, not yet quiet long enough
        dataset, _, changed = ref.refresh(force=True)
        assert dataset is not None
        assert dataset.registry.height == 40
        assert not changed
        assert "only 12 of 40 Jobcenters" in ref.summary()[1]
        time.sleep(0.3)
    data.write_text(figures_csv(40), encoding="utf-8")  # the producer finishes
    time.sleep(0.15)
    dataset, _, _ = ref.refresh(force=True)
    assert dataset is not None
    assert dataset.registry.height == 40
    assert ref.summary()[0] == "fresh"
    # a producer that died: the same 12 after the quiet period are taken, and said so
    data.write_text(figures_csv(12), encoding="utf-8")
    time.sleep(0.15)
    ref.refresh(force=True)
    assert ref.seconds_to_next() <= 2.1  # read again when the quiet period is over
    time.sleep(2.05)
    dataset, notices, changed = ref.refresh(force=True)
    assert dataset is not None
    assert dataset.registry.height == 12
    assert changed
    assert any("confirmed by a second read" in n.message for n in notices)


# -- check and show: whole files only ------------------------------------------------------


def test_check_and_show_refuse_a_csv_cut_in_the_middle_of_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file caught while written line by line ends in the middle of a row: one line,
    exit 2, not a table of the rows so far with exit 0."""
    text = figures_csv(40)
    data = tmp_path / "figures.csv"
    data.write_text(text[: text.index("\n", len(text) // 2) + 9], encoding="utf-8")
    time.sleep(0.15)
    for command in (["check"], ["show", "J01"]):
        code = main([*command, "--source", str(data)])
        _, err = capsys.readouterr()
        assert code == 2, err
        assert "ends in the middle of a row" in err
        assert str(data) in err
        assert len(err.strip().splitlines()) == 1


# -- a broken cache is dropped and fetched whole -------------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_broken_cached_arrow_is_dropped_and_fetched_whole(
    server: LocalServer, tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Today the server's 304 kept a truncated or garbage .arrow for ever: `show` failed
    every time and `refresh` said "unchanged (304)". Now the broken copy is dropped, the
    data fetched whole (no If-None-Match), and `refresh` says so."""
    config = tmp_path / "refresh.toml"
    config.write_text(
        f'cache_dir = "cache"\n[[sources]]\nname = "api"\nurl = "{server.url}"\n'
        'records_path = "data.items"\n',
        encoding="utf-8",
    )
    assert main(["refresh", "--config", str(config)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "api: updated (24 values)"
    [arrow] = (tmp_path / "cache").glob("*.arrow")
    whole = arrow.read_bytes()
    arrow.write_bytes(whole[: len(whole) // 2] if damage == "truncated" else b"\x00junk" * 99)

    assert main(["refresh", "--config", str(config)]) == 0
    line = capsys.readouterr().out.splitlines()[0]  # then the figure store's line
    assert line.startswith("api: updated (24 values; offline cache of source 'api' is broken")
    assert line.endswith("dropped and fetched whole)")
    assert "If-None-Match" not in server.requests[-1]["headers"]
    assert main(["show", "A1", "--config", str(config)]) == 0
    capsys.readouterr()
    assert main(["refresh", "--config", str(config)]) == 0  # intact: a conditional request
    assert capsys.readouterr().out.splitlines()[0] == "api: unchanged (not modified (304))"
