"""Shared-refresh scripts (issue 25): `jctui refresh` run by cron or a systemd timer on one
shared cache. Two started at once (a run overlapping the last), one killed in the middle of
its write, and readers (a `follow_cache` dashboard, `show`) reading while it writes: the
cache is always one whole copy, the old or the new, never half, never dropped as "broken".

Real `jctui refresh` processes on real files, a reader thread in the test process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest

from jctui.config import load_config_file
from jctui.sources import cache

JOBCENTERS = 40

# `make test` runs a quick set of rounds; `make test-slow` (marker `slow`) all of them
SLOW = [pytest.mark.slow, pytest.mark.timeout(900)]


def version_csv(version: int) -> str:
    """40 Jobcenters over 24 months whose every value carries `version` (value // 10,000)."""
    rows = ["jobcenter_id,period,metric,value,name,state,carrier"]
    for n in range(JOBCENTERS):
        rows += [
            f"J{n:02d},{2017 + m // 12}-{m % 12 + 1:02d},integrations,"
            f"{version * 10_000 + 100 + m},Jobcenter {n:02d},HE,zkT"
            for m in range(24)
        ]
    return "\n".join(rows) + "\n"


def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(the data file, the refresher's config, a follow_cache reader's config)."""
    data = tmp_path / "figures.csv"
    data.write_text(version_csv(1), encoding="utf-8")
    shared = tmp_path / "shared-cache"
    body = f'cache_dir = "{shared}"\n[[sources]]\nname = "figures"\npath = "{data}"\n'
    refresher = tmp_path / "refresh.toml"
    refresher.write_text(body, encoding="utf-8")
    reader = tmp_path / "follow.toml"
    reader.write_text(body + "[refresh]\nfollow_cache = true\n", encoding="utf-8")
    return data, refresher, reader


def refresh(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "jctui", "refresh", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "JCTUI_DEBUG": ""},
    )


def cached_version(config: Path) -> tuple[int | None, str]:
    """(the one version of the whole cached copy, or None; why it could not be read)."""
    cfg = load_config_file(config)
    found, problem = cache.load_checked(cfg.sources[0], folder=Path(cfg.cache_dir))
    if found is None:
        return None, problem
    values = found.values
    versions = values.select((pl.col("value") // 10_000).unique()).to_series().to_list()
    assert values.get_column("jobcenter_id").n_unique() == JOBCENTERS, values.height
    assert values.height == JOBCENTERS * 24, values.height
    assert len(versions) == 1, versions  # never half of one and half of another
    return int(versions[0]), ""


@pytest.mark.parametrize(
    "rounds",
    [pytest.param(2, id="quick"), pytest.param(5, id="full", marks=SLOW)],
)
def test_two_refreshes_at_once_while_dashboards_read_leave_one_whole_cache(
    tmp_path: Path, rounds: int
) -> None:
    """Each round the file gets a new version and two `jctui refresh` start at once, while
    a reader loads the cache again and again: both exit 0, every read is one whole version
    (never a copy dropped as broken because the other refresh replaced it meanwhile), and
    the cache ends at the file's version. (2 rounds in `make test`, 5 in `make test-slow`.)"""
    data, refresher, reader = setup(tmp_path)
    first = refresh(refresher)
    assert first.wait(120) == 0, first.communicate()[0]
    stop = threading.Event()
    seen: list[int] = []
    problems: list[str] = []

    def read_again_and_again() -> None:
        while not stop.is_set():
            try:
                version, problem = cached_version(reader)
            except AssertionError as exc:
                problems.append(f"half: {exc}")
                continue
            if problem:
                problems.append(problem)
            elif version is not None:
                seen.append(version)

    thread = threading.Thread(target=read_again_and_again, daemon=True)
    thread.start()
    try:
        for version in range(2, 2 + rounds):
            data.write_text(version_csv(version), encoding="utf-8")
            time.sleep(0.15)  # held still
            both = [refresh(refresher), refresh(refresher)]
            for proc in both:
                output = proc.communicate(timeout=180)[0]
                assert proc.returncode == 0, output
                assert "Traceback" not in output
            assert cached_version(reader) == (version, "")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert problems == []
    assert len(seen) > 10
    assert set(seen) <= set(range(1, 2 + rounds))
    leftovers = [p.name for p in (tmp_path / "shared-cache").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize(
    "delays",
    [
        pytest.param((0.4, 1.2, 2.0, 3.0), id="quick"),
        pytest.param((0.4, 0.8, 1.2, 1.6, 2.0, 2.5, 3.0, 4.0), id="full", marks=SLOW),
    ],
)
def test_a_refresh_killed_mid_write_leaves_the_old_or_the_new_cache(
    tmp_path: Path, delays: tuple[float, ...]
) -> None:
    """`kill -9` at moments spread over a refresh (reading, computing, writing the cache and
    the figure store): the cache is the old or the new version, whole, every time; the next
    refresh completes, and a `follow_cache` `show` reads it. (4 moments in `make test`, 8 in
    `make test-slow`.)"""
    data, refresher, reader = setup(tmp_path)
    first = refresh(refresher)
    assert first.wait(120) == 0, first.communicate()[0]
    newest = 1
    for round_, delay in enumerate(delays, start=2):
        data.write_text(version_csv(round_), encoding="utf-8")
        time.sleep(0.15)
        proc = refresh(refresher)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        output = proc.communicate(timeout=60)[0]
        version, problem = cached_version(reader)
        assert problem == "", problem
        assert version is not None
        assert version in (newest, round_), (version, output)
        newest = version
    last = refresh(refresher)
    output = last.communicate(timeout=180)[0]
    assert last.returncode == 0, output
    assert cached_version(reader) == (len(delays) + 1, "")  # the last round's
    shown = subprocess.run(
        [sys.executable, "-m", "jctui", "show", "J07", "--config", str(reader), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "Jobcenter 07" in shown.stdout


def test_readers_and_repair_checks_never_see_half_or_drop_a_copy_being_replaced(
    tmp_path: Path,
) -> None:
    """A writer replaces the cached copy 150 times while a reader loads it and a `show`
    checks it for damage (the check that drops a broken copy) again and again: the reader
    never finds it broken or half, and the check never drops a copy just saved."""
    from jctui.config import default_metrics
    from jctui.readers import read_bytes
    from jctui.session.load import cached_result
    from jctui.sources.cache import drop_if_broken, load_checked, save

    _, refresher, _ = setup(tmp_path)
    cfg = load_config_file(refresher)
    src, folder = cfg.sources[0], Path(cfg.cache_dir)
    read = {
        version: read_bytes(
            version_csv(version).encode(), src, catalogue=default_metrics(), origin="figures.csv"
        )
        for version in (1, 2)
    }

    def save_version(version: int) -> None:
        save(src, read[version].values, read[version].registry, folder=folder)

    save_version(1)
    stop = threading.Event()
    problems: list[str] = []
    reads = 0

    def reader() -> None:
        nonlocal reads
        while not stop.is_set():
            found, problem = load_checked(src, folder=folder)
            if found is None or problem:
                problems.append(problem or "no copy")
                continue
            result = cached_result(found)
            if result.values.height != JOBCENTERS * 24:
                problems.append(f"half: {result.values.height} rows")
            reads += 1

    def checker() -> None:
        while not stop.is_set():
            dropped = drop_if_broken(src, folder=folder)
            if dropped:
                problems.append(f"dropped: {dropped}")

    threads = [threading.Thread(target=reader), threading.Thread(target=checker)]
    for thread in threads:
        thread.start()
    try:
        for n in range(150):
            save_version(1 + n % 2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert problems == [], problems[:5]
    assert reads > 20


def test_a_reader_who_may_not_write_the_shared_cache_still_reads_it(tmp_path: Path) -> None:
    """A follower whose cache folder is read-only to it (no lock file yet, none creatable;
    a link planted as the lock): the check and the read go on without the lock."""
    from jctui.sources.cache import drop_if_broken, load_checked
    from jctui.sources.cachelock import WRITE_LOCK, locked

    _, refresher, reader = setup(tmp_path)
    first = refresh(refresher)
    assert first.wait(120) == 0, first.communicate()[0]
    cfg = load_config_file(reader)
    folder = Path(cfg.cache_dir)
    for lock in folder.glob(".*.lock"):
        lock.unlink()
    folder.chmod(0o500)
    try:
        with locked(folder):  # taken or not, never an error
            pass
        if os.geteuid() != 0:  # root writes anyway
            assert not (folder / WRITE_LOCK).exists()
        assert drop_if_broken(cfg.sources[0], folder=folder) == ""
        found, problem = load_checked(cfg.sources[0], folder=folder)
        assert problem == ""
        assert found is not None
    finally:
        folder.chmod(0o750)
    (folder / WRITE_LOCK).unlink(missing_ok=True)
    (folder / WRITE_LOCK).symlink_to(tmp_path / "elsewhere")
    with locked(folder):
        pass
    assert not (tmp_path / "elsewhere").exists()  # the link was not followed
