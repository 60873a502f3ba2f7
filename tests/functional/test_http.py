"""HTTP source, refresh and offline cache against a real server on 127.0.0.1 (no mocks).

For each way a server can misbehave: no crash, the last good data kept, the right state,
retries on schedule (a fake clock), recovery when the server recovers, and the token never
in any message, log record or repr.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jctui.config import Config, HttpDef, SourceDef, load_config, redact_url
from jctui.errors import SourceError
from jctui.locations import cache_dir
from jctui.session.refresh import Refresher, backoff_delay
from jctui.sources import cache
from jctui.sources.http import HttpSourceError, fetch_http, parse_retry_after
from tests.httpserver import LocalServer, records

TOKEN = "s3cr3t-t0ken-value"


@pytest.fixture(autouse=True)
def _token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JCTUI_TEST_TOKEN", TOKEN)


def source(server: LocalServer, **http: Any) -> SourceDef:
    base: dict[str, Any] = {
        "auth": "bearer",
        "token_env": "JCTUI_TEST_TOKEN",
        "timeout": 2.0,
        "max_bytes": 1_000_000,
    }
    return SourceDef(
        name="api", url=server.url, records_path="data.items", http=HttpDef(**{**base, **http})
    )


def config_for(*sources: SourceDef) -> Config:
    cfg = load_config(None)
    return dataclasses.replace(cfg, sources=sources, checks=())


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def refresher(server: LocalServer, **http: object) -> tuple[Refresher, Clock]:
    clock = Clock()
    return Refresher(config_for(source(server, **http)), now=clock), clock


def test_fetch_sends_the_token_and_reads_records(server: LocalServer) -> None:
    fetched = fetch_http(source(server))
    assert fetched.format_hint == "json"
    assert fetched.etag.startswith('"')
    assert server.requests[0]["headers"]["Authorization"] == f"Bearer {TOKEN}"
    ref, _ = refresher(server)
    dataset, notices, changed = ref.refresh()
    assert dataset is not None
    assert changed
    assert notices == []
    assert dataset.values.height == 24
    assert set(dataset.registry.get_column("name")) == {"Kreis A", "Stadt B"}
    assert ref.summary()[0] == "fresh"


def test_304_costs_no_recomputation(server: LocalServer) -> None:
    ref, clock = refresher(server)
    first, _, changed = ref.refresh()
    assert changed
    clock.t += 301
    second, _, changed = ref.refresh()
    assert not changed  # nothing new: the app does not recompute
    assert server.requests[-1]["headers"]["If-None-Match"] == ref.states["api"].etag
    assert first is not None
    assert second is not None
    assert second.values.equals(first.values)


@pytest.mark.parametrize(
    ("mode", "setup", "expected"),
    [
        ("status", {"status": 500}, "HTTP 500"),
        ("hang", {"delay": 3.0}, "timed out after 2 s"),
        ("invalid_json", {}, "invalid JSON"),
        ("truncated", {}, "truncated body"),
        ("huge", {"huge_bytes": 3_000_000}, "exceeds the limit of 1,000,000"),
        (
            "gzip_bomb",
            {"huge_bytes": 50_000_000},
            "exceeds the limit of 1,000,000 bytes (after decompression)",
        ),
        ("redirect_other_host", {}, "redirect to another origin (http://localhost:"),
    ],
)
def test_failures_keep_the_last_good_data_and_recover(
    server: LocalServer,
    caplog: pytest.LogCaptureFixture,
    mode: str,
    setup: dict[str, object],
    expected: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    ref, clock = refresher(server)
    good, _, _ = ref.refresh()
    assert good is not None
    server.mode = mode
    for key, value in setup.items():
        setattr(server, key, value)
    clock.t += 301
    dataset, notices, changed = ref.refresh()
    assert not changed
    assert dataset is not None
    assert dataset.values.equals(good.values)  # the last good data stays
    state, reason, since, retry = ref.summary()
    assert state == "stale"
    assert expected in reason
    assert since is not None
    assert retry is not None
    assert 0 < retry <= ref.config.refresh.backoff_initial
    assert [n.kind for n in notices] == ["failure"]  # one notice on the first failure
    # retries on schedule: not before the backoff, and no second notice
    clock.t += retry / 2 if retry > 0.1 else 0
    assert ref.due() == [] or retry <= 0.1
    clock.t += ref.config.refresh.backoff_max
    _, notices, _ = ref.refresh()
    assert notices == []
    # the server recovers, so does jctui
    server.mode = "ok"
    clock.t += ref.config.refresh.backoff_max * 4
    dataset, notices, _ = ref.refresh()
    assert [n.kind for n in notices] == ["recovery"]
    assert ref.summary()[0] == "fresh"
    everything = caplog.text + reason + repr(ref.states) + repr(notices)
    assert TOKEN not in everything


def test_retry_after_is_honoured_for_429_and_503(server: LocalServer) -> None:
    ref, clock = refresher(server)
    ref.refresh()
    for status in (429, 503):
        server.mode, server.status, server.retry_after = "status", status, "120"
        clock.t += 10_000
        ref.refresh()
        state = ref.states["api"]
        assert state.next_due - clock.t >= 120
        assert f"HTTP {status}" in state.reason
        assert "retry after 120 s" in state.reason
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0) == 0.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412420.0) == 60.0
    assert parse_retry_after("soon") is None


def test_backoff_grows_with_jitter_up_to_the_ceiling() -> None:
    import random

    rng = random.Random(1)
    delays = [backoff_delay(n, 5, 1800, rng) for n in range(1, 15)]
    assert 2.5 <= delays[0] <= 5
    assert delays[3] > delays[0]
    assert max(delays) <= 1800
    assert delays[-1] >= 900  # at the ceiling: between half and all of it
    assert len(set(delays)) == len(delays)  # jitter: no two retries in lockstep


def test_pagination_by_body_link_and_by_link_header(server: LocalServer) -> None:
    for mode, http in (("paginate_body", {"next_path": "links.next"}), ("paginate_link", {})):
        server.mode = mode
        ref, _ = refresher(server, **http)
        dataset, _, _ = ref.refresh()
        assert dataset is not None, ref.summary()
        assert dataset.values.height == 24  # 3 pages of 8 records
    assert sum(1 for r in server.requests if "page=3" in r["path"]) == 2
    server.mode = "paginate_link"
    ref, _ = refresher(server, page_limit=2)
    ref.refresh()
    assert "more than 2 pages" in ref.states["api"].reason


def test_same_host_redirect_is_followed(server: LocalServer) -> None:
    server.mode = "redirect_same_host"
    ref, _ = refresher(server)
    dataset, _, _ = ref.refresh()
    assert dataset is not None
    assert server.requests[-1]["path"] == "/moved"


def test_german_csv_endpoint(server: LocalServer) -> None:
    server.mode = "csv"
    src = dataclasses.replace(source(server), records_path="")
    ref = Refresher(config_for(src), now=Clock())
    dataset, _, _ = ref.refresh()
    assert dataset is not None
    assert dataset.values.filter(pl.col("jobcenter_id") == "A1").get_column("value").sum() == sum(
        10 + m for m in range(1, 13)
    )


def test_revised_history_is_detected(server: LocalServer) -> None:
    from jctui.engine import detect_revisions

    ref, clock = refresher(server)
    before, _, _ = ref.refresh()
    server.payload = records({"A1-2018-03": 99.0})
    clock.t += 301
    after, _, changed = ref.refresh()
    assert changed
    assert before is not None
    assert after is not None
    revisions = detect_revisions(before.values, after.values)
    assert revisions.to_dicts() == [
        {
            "jobcenter_id": "A1",
            "period": dt.date(2018, 3, 1),
            "metric": "integrations",
            "old": 13.0,
            "new": 99.0,
        }
    ]


def test_missing_token_is_a_clear_error_naming_the_variable(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JCTUI_TEST_TOKEN")
    with pytest.raises(SourceError, match="environment variable JCTUI_TEST_TOKEN is not set"):
        fetch_http(source(server))


def test_urls_are_shown_without_credentials() -> None:
    assert (
        redact_url("https://user:pw@api.example.org:8443/v1/figures?token=abc")
        == "https://api.example.org:8443/v1/figures"
    )


def test_offline_cache_round_trip_and_atomic_pointer(server: LocalServer, tmp_path: Path) -> None:
    ref, _ = refresher(server)
    dataset, _, _ = ref.refresh()
    src = ref.states["api"].source
    cached = cache.load(src)
    assert cached is not None
    assert dataset is not None
    assert cached.values.sort("jobcenter_id", "period").equals(
        dataset.values.sort("jobcenter_id", "period")
    )
    assert cached.etag == ref.states["api"].etag
    # a second save replaces the data file and removes the old one
    folder = cache_dir()
    before = sorted(p.name for p in folder.glob("*.arrow"))
    cache.save(src, cached.values, cached.registry)
    after = sorted(p.name for p in folder.glob("*.arrow"))
    assert len(after) == 1
    assert after != before
    # a broken pointer is ignored with a warning, not fatal
    (folder / f"{cache.source_key(src)}.json").write_text("{not json", encoding="utf-8")
    assert cache.load(src) is None


def test_start_with_the_api_down_shows_the_cache_as_stale(server: LocalServer) -> None:
    ref, _ = refresher(server)
    ref.refresh()
    server.mode, server.status = "status", 500
    again, _ = refresher(server)
    cached = again.load_cache()
    assert cached is not None
    assert cached.values.height == 24
    assert again.summary()[0] == "stale"
    dataset, _, _ = again.refresh()
    assert dataset is not None  # still the cached data
    assert again.summary()[0] == "stale"
    assert "HTTP 500" in again.summary()[1]


def test_kill_9_while_writing_leaves_a_readable_cache(server: LocalServer, tmp_path: Path) -> None:
    """Kill a process that writes the cache in a loop at random moments; the cache always reads."""
    ref, _ = refresher(server)
    ref.refresh()
    src = ref.states["api"].source
    script = (
        "import sys, polars as pl\n"
        "from jctui.config import SourceDef, HttpDef\n"
        "from jctui.sources import cache\n"
        f"src = SourceDef(name='api', url={src.url!r})\n"
        "c = cache.load(src)\n"
        "print('ready', flush=True)\n"
        "i = 0\n"
        "while True:\n"
        "    i += 1\n"
        "    cache.save(src, c.values.with_columns(value=pl.col('value') + i), c.registry)\n"
    )
    for delay in (0.05, 0.13, 0.31):
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        import time

        time.sleep(delay)
        proc.kill()
        proc.wait()
        cached = cache.load(src)
        assert cached is not None
        assert cached.values.height == 24


def test_show_offline_answers_from_the_cache(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jctui.cli import main

    config = tmp_path / "api.toml"
    config.write_text(
        f'[[sources]]\nname = "api"\nurl = "{server.url}"\nrecords_path = "data.items"\n'
        '[sources.http]\nauth = "bearer"\ntoken_env = "JCTUI_TEST_TOKEN"\n',
        encoding="utf-8",
    )
    assert main(["show", "Kreis A", "--config", str(config), "--offline"]) == 2
    assert "no offline cache for source 'api'" in capsys.readouterr().err
    ref = Refresher(load_config(str(config)), now=Clock())
    ref.refresh()
    server.mode, server.status = "status", 500
    assert main(["show", "Kreis A", "--config", str(config), "--offline", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"window_sum": 198.0' in out
    assert "offline cache of" in out
    assert TOKEN not in out


def test_http_error_carries_status_and_retry_after() -> None:
    err = HttpSourceError("x: HTTP 503", status=503, retry_after=30.0)
    assert (err.status, err.retry_after, err.exit_code) == (503, 30.0, 2)


def test_half_written_file_does_not_replace_good_data(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    rows = ["jobcenter_id,period,metric,value,name"] + [
        f"A1,2018-{m:02d},integrations,{m},Kreis A" for m in range(1, 13)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    src = SourceDef(name="file", path=str(path))
    ref = Refresher(config_for(src), now=Clock(), use_cache=False)
    good, _, _ = ref.refresh(force=True)
    assert good is not None
    path.write_text("jobcenter_id,period,metric,va", encoding="utf-8")  # the writer is mid-way
    dataset, notices, changed = ref.refresh(force=True, only=frozenset({"file"}))
    assert not changed
    assert dataset is not None
    assert dataset.values.equals(good.values)
    assert ref.summary()[0] == "stale"
    assert [n.kind for n in notices] == ["failure"]
    path.write_text("\n".join(rows) + "\nA1,2019-01,integrations,99,Kreis A\n", encoding="utf-8")
    dataset, notices, changed = ref.refresh(force=True)
    assert changed
    assert dataset is not None
    assert dataset.values.height == 13
    assert [n.kind for n in notices] == ["recovery"]


def test_values_from_one_url_and_the_registry_from_another(server: LocalServer) -> None:
    other = LocalServer()
    try:
        other.mode = "csv"
        other.payload = [dict(r, name=f"Registry {r['jobcenter_id']}") for r in records()]
        values = source(server)
        registry = SourceDef(
            name="registry",
            url=other.url.replace("/data", "/registry"),
            role="registry",
            format="csv",
        )
        ref = Refresher(config_for(values, registry), now=Clock(), use_cache=False)
        dataset, _, _ = ref.refresh(force=True)
        assert dataset is not None, ref.summary()
        names = dict(dataset.registry.select("jobcenter_id", "name").iter_rows())
        assert names == {"A1": "Registry A1", "B2": "Registry B2"}
        assert dataset.values.height == 24
    finally:
        other.stop()


def test_a_slow_answer_within_the_timeout_is_fine(server: LocalServer) -> None:
    server.mode, server.delay = "slow", 0.8
    ref, _ = refresher(server)  # timeout 2 s
    dataset, notices, _ = ref.refresh()
    assert dataset is not None
    assert notices == []
    assert ref.summary()[0] == "fresh"


def test_repeated_show_sends_a_conditional_request_and_answers_from_the_cache(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jctui.cli import main

    config = tmp_path / "api.toml"
    config.write_text(
        f'[[sources]]\nname = "api"\nurl = "{server.url}"\nrecords_path = "data.items"\n',
        encoding="utf-8",
    )
    assert main(["show", "Kreis A", "--config", str(config)]) == 0
    first = capsys.readouterr().out
    assert "If-None-Match" not in server.requests[-1]["headers"]
    assert server.requests[-1]["status"] == 200
    assert main(["show", "Kreis A", "--config", str(config)]) == 0
    second = capsys.readouterr().out
    assert len(server.requests) == 2
    assert server.requests[-1]["headers"]["If-None-Match"].startswith('"')
    assert server.requests[-1]["status"] == 304
    assert second == first
    assert "198" in second  # the 12-month sum of Kreis A


def test_offline_show_works_after_any_online_show_also_with_source_url(
    server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from jctui.cli import main

    url = server.url
    assert main(["show", "Kreis A", "--source", url, "--offline"]) == 2
    assert "no offline cache for source 'cli'" in capsys.readouterr().err
    server.mode = "list"  # the canonical records as a top-level array
    assert main(["show", "Stadt B", "--source", url, "--format", "json"]) == 0
    online = capsys.readouterr().out
    server.mode, server.status = "status", 500
    assert main(["show", "Stadt B", "--source", url, "--offline", "--format", "json"]) == 0
    offline = capsys.readouterr().out
    assert "offline cache of" in offline
    assert _figures(offline) == _figures(online)


def _figures(report: str) -> object:
    import json

    return json.loads(report)["jobcenters"]


def test_cache_dir_setting_holds_a_group_readable_cache(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import stat

    from jctui.cli import main

    config = tmp_path / "api.toml"
    config.write_text(
        f'cache_dir = "shared/cache"\n[[sources]]\nname = "api"\nurl = "{server.url}"\n'
        'records_path = "data.items"\n',
        encoding="utf-8",
    )
    assert main(["show", "Kreis A", "--config", str(config)]) == 0
    folder = tmp_path / "shared" / "cache"  # relative to the config file
    files = sorted(folder.iterdir())
    # the data, its pointer, and the lock one writer at a time holds (jctui.sources.cachelock)
    assert [p.suffix for p in files] == [".lock", ".arrow", ".json"]
    assert files[0].name == ".write.lock"
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o640}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750
    capsys.readouterr()
    server.mode, server.status = "status", 500
    assert main(["show", "Kreis A", "--config", str(config), "--offline"]) == 0
    assert "198" in capsys.readouterr().out


def test_check_after_a_304_still_lists_the_rows_set_aside(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jctui.cli import main

    server.payload = [*records(), {"jobcenter_id": "A1", "period": "2018-13", "metric": "integrations", "value": 1}]  # fmt: skip
    config = tmp_path / "api.toml"
    config.write_text(
        f'[[sources]]\nname = "api"\nurl = "{server.url}"\nrecords_path = "data.items"\n',
        encoding="utf-8",
    )
    assert main(["check", "--config", str(config)]) == 1
    first = capsys.readouterr().out
    assert main(["check", "--config", str(config)]) == 1
    second = capsys.readouterr().out
    assert [r["status"] for r in server.requests] == [200, 304]
    assert second == first
    assert "2018-13" in second


def test_a_published_table_keeps_its_aggregates_and_stars_through_the_cache(
    server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key-figure table served over HTTP: its Deutschland row and the publisher's `*` are
    kept with the cached copy, so `--offline` (and a 304) shows the same as online."""
    from jctui.cli import main
    from tests.published_tables import WITHHELD, key_figure_table

    server.mode, server.file = "file", key_figure_table(12, last=True)
    args = ["show", WITHHELD[0], "--source", server.url, "--format", "json"]
    assert main(args) == 0
    online = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in online["references"]] == ["Deutschland"]
    k2 = online["jobcenters"][0]["metrics"]["k2_published"]
    assert k2["value"] is None
    assert "value" in k2["withheld"]  # the publisher's `*`
    server.mode = "not_modified"
    assert main(args) == 0
    assert _without_cache_note(json.loads(capsys.readouterr().out)) == _without_cache_note(online)
    server.mode, server.status = "status", 500
    assert main([*args, "--offline"]) == 0
    offline = json.loads(capsys.readouterr().out)
    assert offline["references"] == online["references"]
    assert offline["jobcenters"] == online["jobcenters"]


def _without_cache_note(report: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in report.items() if k not in ("notes", "source")}


def test_a_cache_another_build_wrote_is_fetched_anew_not_confirmed_by_a_304(
    server: LocalServer,
) -> None:
    """Data parsed by another revision of the readers are asked for whole (no validators), so
    a fixed reader reads them again; until then they are still shown (offline cache)."""
    ref, _ = refresher(server)
    first, _, _ = ref.refresh()
    assert first is not None
    pointer = next(cache_dir().glob("*.json"))
    meta = json.loads(pointer.read_text())
    assert meta["build"]
    pointer.write_text(json.dumps({**meta, "build": "0.0.1+another"}))

    again, _ = refresher(server)
    cached = again.load_cache()  # the old parse is still there meanwhile
    assert cached is not None
    assert cached.values.equals(first.values)
    dataset, _, _ = again.refresh()
    assert "If-None-Match" not in server.requests[-1]["headers"]
    assert dataset is not None
    assert dataset.values.equals(first.values)
    assert json.loads(pointer.read_text())["build"] == meta["build"]  # read and kept anew

    confirmed, _ = refresher(server)
    confirmed.load_cache()
    confirmed.refresh()
    assert server.requests[-1]["headers"]["If-None-Match"] == meta["etag"]
