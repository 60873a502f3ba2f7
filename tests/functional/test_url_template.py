"""Monthly publications followed by URL template, against a stand-in on 127.0.0.1.

`url` with `{month_de}` and `{yyyy}`, `months = "2025-01"`: twelve months published, then a
thirteenth. What a user checks: every published month is read, a 404 for the month not yet
out is no error, the next refresh finds the new month and downloads none of the earlier
ones again (304s), a republished month with other values is read as a revision, and
`--offline` answers from the cache afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from jctui.cli import main
from jctui.config import load_config
from jctui.engine import detect_revisions
from jctui.presentation.policy import is_overdue
from jctui.session.load import locate
from jctui.session.refresh import Refresher
from jctui.sources.template import expand, german_month, months_from
from tests.ba_server import MONTHS_DE, BAServer
from tests.published_tables import key_figure_table


def month_file(month: str, elb: int) -> bytes:
    """One month's download: canonical long CSV, two Jobcenters."""
    return (
        "jobcenter_id;period;metric;value;name\n"
        f"06438;{month};elb;{elb};Offenbach\n"
        f"06413;{month};elb;{elb * 2};Offenbach am Main, Stadt\n"
    ).encode()


def publish(srv: BAServer, month: str, elb: int) -> None:
    year, mm = month.split("-")
    srv.months[f"Kennzahlen-{MONTHS_DE[int(mm) - 1]}-{year}.csv"] = month_file(month, elb)


@pytest.fixture
def site() -> Iterator[BAServer]:
    srv = BAServer()
    for m in range(1, 13):
        publish(srv, f"2025-{m:02d}", 16000 + m)
    yield srv
    srv.stop()


class Clock:
    """The time the template source sees (jctui.sources.template.clock), moved by hand."""

    def __init__(self, day: dt.date) -> None:
        self.now = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()

    def __call__(self) -> float:
        return self.now

    def days(self, count: float) -> None:
        self.now += count * 24 * 3600


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """March 15th, 2026: January 2026 is looked for (from March 1st), not yet overdue."""
    at = Clock(dt.date(2026, 3, 15))
    monkeypatch.setattr("jctui.sources.template.clock", at)
    return at


def write_config(tmp_path: Path, srv: BAServer) -> Path:
    path = tmp_path / "monthly.toml"
    path.write_text(
        f'cache_dir = "{tmp_path / "cache"}"\n'
        "[[sources]]\n"
        'name = "kennzahlen"\n'
        f'url = "{srv.url}/monthly/Kennzahlen-{{month_de}}-{{yyyy}}.csv"\n'
        'months = "2025-01"\n',
        encoding="utf-8",
    )
    return path


def elb(capsys: pytest.CaptureFixture[str], config: Path, *more: str) -> dict[str, object]:
    args = ["show", "06438", "--config", str(config), "--format", "json", *more]
    assert main(args) == 0
    shown: dict[str, object] = json.loads(capsys.readouterr().out)["jobcenters"][0]["metrics"][
        "elb"
    ]
    return shown


def downloads(srv: BAServer) -> list[str]:
    """The month files answered with their bytes (200), not a 304 or 404."""
    with srv.lock:
        return [p.rsplit("/", 1)[1] for p, status in srv.requests if status == 200]


def test_placeholders_and_months() -> None:
    url = "https://x.example/{yyyy}/{mm}/K-{month_de}-{month_en}-{yyyymm}.zip"
    assert expand(url, "2018-07") == "https://x.example/2018/07/K-Juli-July-201807.zip"
    assert months_from("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert german_month("Juli 2018") == "2018-07"
    assert german_month("März 2026") == "2026-03"
    assert german_month("Veränderung") is None


def test_a_new_month_is_shown_and_no_earlier_month_downloaded_again(
    site: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], clock: Clock
) -> None:
    config = write_config(tmp_path, site)
    first = elb(capsys, config)
    assert (first["latest_period"], first["value"]) == ("2025-12", 16012.0)
    assert len(downloads(site)) == 12
    assert site.requests[-1] == ("/monthly/Kennzahlen-Januar-2026.csv", 404)  # not yet out
    site.requests.clear()
    publish(site, "2026-01", 17001)
    clock.days(1)  # a month not yet out is asked for once a day
    second = elb(capsys, config)
    assert (second["latest_period"], second["value"]) == ("2026-01", 17001.0)
    assert downloads(site) == ["Kennzahlen-Januar-2026.csv"]  # the others answered 304
    assert sum(status == 304 for _, status in site.requests) == 12
    assert len(site.requests) == 13  # February 2026 is not looked for before April 1st
    earlier = [f"/monthly/Kennzahlen-{MONTHS_DE[m]}-2025.csv" for m in range(12)]
    assert sorted(site.conditional) == sorted(earlier)  # each asked with its ETag
    site.stop()
    offline = elb(capsys, config, "--offline")
    assert (offline["latest_period"], offline["value"]) == ("2026-01", 17001.0)


def asked_for(srv: BAServer, name: str) -> int:
    """How often the file `name` was asked for."""
    return len(srv.paths(f"/monthly/{name}"))


def test_the_next_month_is_asked_for_by_the_calendar_and_at_most_daily(
    site: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], clock: Clock
) -> None:
    january = "Kennzahlen-Januar-2026.csv"
    config = write_config(tmp_path, site)
    clock.days(-23)  # February 20th: January 2026 is looked for from March 1st
    assert elb(capsys, config)["latest_period"] == "2025-12"
    assert asked_for(site, january) == 0
    clock.days(9)  # March 1st
    assert elb(capsys, config)["latest_period"] == "2025-12"
    assert asked_for(site, january) == 1  # a 404: not yet out, no error
    clock.days(0.9)  # the same day: not asked again
    assert elb(capsys, config)["latest_period"] == "2025-12"
    assert asked_for(site, january) == 1
    publish(site, "2026-01", 17001)
    clock.days(0.2)  # a day after the 404
    assert elb(capsys, config)["latest_period"] == "2026-01"
    assert asked_for(site, january) == 2
    assert sum(status == 404 for _, status in site.requests) == 1


def test_a_month_overdue_by_the_calendar_is_stated(
    site: BAServer, tmp_path: Path, clock: Clock
) -> None:
    url = f"{site.url}/monthly/Kennzahlen-{{month_de}}-{{yyyy}}.csv"
    (tmp_path / "march").mkdir()
    cfg = load_config(str(write_config(tmp_path / "march", site)))
    on_time = locate(cfg.sources[0], cfg).result
    assert on_time is not None
    assert not [n for n in on_time.notices if "overdue" in n]  # March 15th: not yet due
    assert not is_overdue(dt.date(2025, 12, 1), dt.date(2026, 3, 31), cfg.refresh.overdue_months)
    clock.days(18)  # April 2nd: January 2026 was due by April 1st
    late = locate(cfg.sources[0], load_config(str(write_config(tmp_path, site)))).result
    assert late is not None
    assert f"{url}: overdue: 2026-01 (due by 2026-04-01) not published yet" in late.notices
    # the dashboard's "data overdue" (presentation.attention) follows the same calendar
    assert is_overdue(dt.date(2025, 12, 1), dt.date(2026, 4, 2), cfg.refresh.overdue_months)


def test_a_republished_month_is_a_revision(
    site: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], clock: Clock
) -> None:
    config = write_config(tmp_path, site)
    elb(capsys, config)
    publish(site, "2025-12", 15999)  # the same month, other values
    cfg = load_config(str(config))
    revised = locate(cfg.sources[0], cfg).result
    assert revised is not None
    url = f"{site.url}/monthly/Kennzahlen-{{month_de}}-{{yyyy}}.csv"
    assert f"{url}: revision: 2025-12 republished with other content" in revised.notices
    assert elb(capsys, config)["value"] == 15999.0


def test_a_dashboard_marks_the_values_of_a_republished_month_as_revised(
    site: BAServer, tmp_path: Path, clock: Clock
) -> None:
    refresher = Refresher(load_config(str(write_config(tmp_path, site))), now=time.monotonic)
    try:
        before, _, _ = refresher.refresh(force=True)
        publish(site, "2025-12", 15999)
        after, _, changed = refresher.refresh(force=True)  # the same day: kept months
        assert changed  # are asked every refresh
        assert before is not None
        assert after is not None
        revised = detect_revisions(before.values, after.values)
        assert revised.select("jobcenter_id", "metric", "old", "new").rows() == [
            ("06413", "elb", 32024.0, 31998.0),
            ("06438", "elb", 16012.0, 15999.0),
        ]  # what the dashboard marks as revised (jctui.session.loop)
        assert any("revision: 2025-12 republished" in n for n in after.notices)
    finally:
        refresher.close()


def test_an_unchanged_source_is_not_modified(site: BAServer, tmp_path: Path, clock: Clock) -> None:
    cfg = load_config(str(write_config(tmp_path, site)))
    assert locate(cfg.sources[0], cfg).result is not None  # read and cached
    site.requests.clear()
    again = locate(cfg.sources[0], cfg)
    assert again.result is None  # every month 304 and none new: the cached copy answers
    assert again.from_cache
    assert all(status in (304, 404) for _, status in site.requests)


def test_no_month_published_yet_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clock: Clock
) -> None:
    srv = BAServer()
    try:
        config = write_config(tmp_path, srv)
        assert main(["show", "06438", "--config", str(config)]) == 2
        err = capsys.readouterr().err.strip()
        assert "Kennzahlen-Januar-2025.csv: no month published yet (404 for the first" in err
        assert "\n" not in err
        clock.days(-365)  # March 2025: January 2025 is looked for from March 1st; not February
        config.write_text(config.read_text("utf-8").replace("2025-01", "2025-02"), "utf-8")
        assert main(["show", "06438", "--config", str(config)]) == 2
        err = capsys.readouterr().err.strip()
        assert "the first, 2025-02, is looked for from 2025-04-01 by the publication" in err
        assert not srv.paths("/monthly/Kennzahlen-Februar")
    finally:
        srv.stop()


def latest(values: pl.DataFrame) -> str:
    """The latest period of the values, as YYYY-MM."""
    return str(values.get_column("period").max())[:7]


def test_a_dashboard_shows_a_new_month_within_one_refresh(
    site: BAServer, tmp_path: Path, clock: Clock
) -> None:
    cfg = load_config(str(write_config(tmp_path, site)))
    refresher = Refresher(cfg, now=time.monotonic)
    try:
        clock.days(-23)  # February 20th: January 2026 is not looked for yet
        dataset, _, changed = refresher.refresh(force=True)
        assert dataset is not None
        assert changed
        assert latest(dataset.values) == "2025-12"
        dataset, _, changed = refresher.refresh(force=True)  # nothing new: 304s
        assert not changed
        publish(site, "2026-01", 17001)  # appears before the day it is looked for
        clock.days(9)  # March 1st
        dataset, _, changed = refresher.refresh(force=True)
        assert changed
        assert dataset is not None
        assert latest(dataset.values) == "2026-01"
        clock.days(31)  # April 1st: February is looked for and not out (a 404)
        dataset, _, changed = refresher.refresh(force=True)
        assert not changed
        publish(site, "2026-02", 17002)  # appears; the next look, a day later, shows it
        clock.days(1)
        dataset, _, changed = refresher.refresh(force=True)
        assert changed
        assert dataset is not None
        assert latest(dataset.values) == "2026-02"
    finally:
        refresher.close()


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("packed", [False, True])
def test_published_key_figure_tables_by_template_with_every_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], packed: bool, clock: Clock
) -> None:
    srv = BAServer()
    ext = "zip" if packed else "csv"

    def publish_table(number: int, *, last: bool) -> None:
        year, index = divmod(2017 * 12 + 6 + number, 12)
        table = key_figure_table(number, last=last)
        name = f"dl_48a_daten_statistikba_{year}{index + 1:02d}.csv"
        data = zipped(name, table) if packed else table
        srv.months[f"K-System-A-{MONTHS_DE[index]}-{year}.{ext}"] = data

    try:
        for number in range(12):
            publish_table(number, last=False)
        config = tmp_path / "k.toml"
        config.write_text(
            f'cache_dir = "{tmp_path / "cache"}"\n[[sources]]\nname = "kennzahlen"\n'
            f'url = "{srv.url}/monthly/K-System-A-{{month_de}}-{{yyyy}}.{ext}"\n'
            'months = "2017-07"\n',
            encoding="utf-8",
        )
        args = ["show", "06438", "--config", str(config), "--format", "json"]
        assert main(args) == 0
        assert json.loads(capsys.readouterr().out)["as_of"] == "2018-06"
        publish_table(12, last=True)
        clock.days(1)
        assert main(args) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["as_of"] == "2018-07"
        k2 = shown["jobcenters"][0]["metrics"]["k2_published"]
        assert k2["value"] == pytest.approx(18 + 0.15 * 12, abs=0.05)
        assert len([p for p, status in srv.requests if status == 200]) == 13
    finally:
        srv.stop()
