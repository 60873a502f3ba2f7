"""`show` of any Jobcenter on a warm figure store is answered from the month's record
(jctui.views.show_record): no lookup runs, no Polars is imported, and what it prints is
byte for byte what a fresh computation prints; a record that is missing, corrupt, stale or
of another version is not read (the lookup computes, and writes it again)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl
import pytest

from jctui.cli import main
from jctui.session import show_records
from tests.functional.figure_stores import with_demo_store
from tests.functional.test_answers import Counted, demo_records
from tests.httpserver import LocalServer
from tests.probe import probe

WARM = "Kreis Offenbach"  # the lookup that keeps the store and the month's record
CASES = [
    ["Stadt Münster"],
    ["Landkreis Meißen", "--lang", "de"],
    ["05884", "--at", "2017-12"],  # an id
    ["Kreis Offenbch", "--ascii"],  # a close name: the Jobcenter it looks like
    ["meissen", "--at", "2018-03", "--lang", "de", "--ascii"],
    ["Stadt Münster", "--format", "json", "--at", "2018-03"],
    ["Landkreis Meißen", "--format", "json", "--lang", "de"],
    ["Stadt Münster", "--format", "csv"],
    ["Landkreis Meißen", "--format", "csv", "--dialect", "de", "--at", "2017-12"],
]


@pytest.fixture(autouse=True)
def _no_kept_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """About the record, not the kept answer of a repeat (jctui.session.answers)."""
    monkeypatch.setenv("JCTUI_ANSWERS", "0")


def run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    code = main(["show", *args])
    out, err = capsys.readouterr()
    return code, out, err


def fresh(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> tuple[int, str, str]:
    """What a fresh computation (no store) prints."""
    with monkeypatch.context() as m:
        m.setenv("JCTUI_STORE", "0")
        return run(capsys, args)


def warm(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    """Another Jobcenter looked up twice with the same options: the store and the record."""
    for _ in range(2):
        assert run(capsys, [WARM, *args[1:]])[0] == 0


def records(home: Path) -> list[Path]:
    return sorted((home / "cache").rglob("show-*.jsonl"))


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the cases below, as one user's: the demo's figure store is computed
    (or copied) once and each case's months are added to it; each case still writes and
    reads the record of its own options."""
    return tmp_path_factory.mktemp("shared-cache")


@pytest.mark.parametrize("args", CASES, ids=[" ".join(a) for a in CASES])
def test_another_jobcenter_is_answered_from_the_record_as_a_fresh_lookup_prints_it(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    shared_cache: Path,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    with_demo_store()
    warm(capsys, args)
    lookups = Counted(monkeypatch)
    answer = run(capsys, args)
    assert lookups.calls == 0  # from the record
    assert answer == fresh(capsys, monkeypatch, args)
    assert answer[0] == 0
    assert answer[1]


def test_a_lookup_on_a_warm_store_imports_no_polars() -> None:
    with_demo_store()  # the store as a dashboard or an earlier lookup left it
    probe(["show", WARM])
    probe(["show", WARM])
    for query in ("Stadt Münster", "Landkreis Meißen"):
        answer, imported = probe(["show", query, "--lang", "en"])
        assert imported == "no polars"
        assert answer == probe(["show", query, "--lang", "en"], JCTUI_STORE="0")[0]
    answer, imported = probe(["show", "Stadt Münster", "--format", "json"])  # another record
    assert imported == "polars"  # written now
    assert probe(["show", "Landkreis Meißen", "--format", "json"])[1] == "no polars"


def test_the_name_search_answers_as_a_fresh_lookup_does(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_demo_store()
    warm(capsys, [WARM])
    queries = ("zzzqqq", "Stadt Offenbch am Mian", "06438", "Offenbach", "stadt")
    expected = [fresh(capsys, monkeypatch, [query]) for query in queries]
    lookups = Counted(monkeypatch)
    assert [run(capsys, [query]) for query in queries] == expected
    assert lookups.calls == 2  # several Jobcenters: looked up; none: the same error
    assert run(capsys, ["zzzqqq"])[0] != 0
    assert "matches" in run(capsys, ["Offenbach"])[1]


def test_a_corrupt_or_other_version_record_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with_demo_store()
    warm(capsys, [WARM])
    expected = fresh(capsys, monkeypatch, ["Stadt Münster"])
    (record,) = records(tmp_path)
    names = next((tmp_path / "cache").rglob(show_records.NAMES_FILE))
    lookups = Counted(monkeypatch)

    # a figure changed in the Jobcenter's line: its digest tells, the lookup computes
    text = record.read_bytes()
    at = text.index(b'"id":"05884"')
    record.write_bytes(text[:at] + text[at:].replace(b'"value":', b'"value":9', 1))
    assert run(capsys, ["Stadt Münster"]) == expected
    assert lookups.calls == 1  # and written again by that lookup
    assert run(capsys, ["Stadt Münster"]) == expected
    assert lookups.calls == 1

    # a head that is not whole, a name index that is not whole: each looked up once
    for calls, path in enumerate((record, names), 2):
        text = path.read_bytes()
        path.write_bytes(text[:50] + b"x" + text[51:])
        assert run(capsys, ["Stadt Münster"]) == expected
        assert run(capsys, ["Stadt Münster"]) == expected
        assert lookups.calls == calls

    # a record of another format: not read, and replaced by one of this format
    monkeypatch.setattr(show_records, "RECORD_FORMAT", show_records.RECORD_FORMAT + 1)
    assert run(capsys, ["Stadt Münster"]) == expected
    assert run(capsys, ["Stadt Münster"]) == expected
    assert lookups.calls == 4


def demo_frame(monkeypatch: pytest.MonkeyPatch) -> pl.DataFrame:
    """The demo data as one long frame (to write as a file of their own), the store taking a
    file's key however young it is."""
    from jctui.config import load_config
    from jctui.session import store
    from jctui.session.load import load_dataset

    monkeypatch.setattr(store, "RACY_SECONDS", 0)  # one key, however young the file
    dataset = load_dataset(load_config(None))
    return dataset.values.join(dataset.registry, on="jobcenter_id")


def test_changed_data_are_never_answered_from_the_old_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = demo_frame(monkeypatch)
    path = tmp_path / "figures.parquet"
    frame.write_parquet(path)
    source = ["--source", str(path)]
    for _ in range(3):  # a scan, the store kept, the record kept
        run(capsys, [WARM, *source])
    lookups = Counted(monkeypatch)
    before = run(capsys, ["Stadt Münster", *source])
    assert lookups.calls == 0
    frame.with_columns(pl.col("value") + 7).write_parquet(path)
    after = run(capsys, ["Stadt Münster", *source])
    assert lookups.calls == 1  # another revision: looked up
    assert after != before
    assert after == fresh(capsys, monkeypatch, ["Stadt Münster", *source])


def test_the_record_holds_no_withheld_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("small_count_threshold = 1000\n", encoding="utf-8")
    monkeypatch.setenv("JCTUI_CONFIG", str(config))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from jctui.config import load_config

    counts = {k for k, m in load_config(None).metrics.items() if not m.is_level}
    warm(capsys, [WARM])
    (record,) = records(tmp_path)
    lines = record.read_text(encoding="utf-8").splitlines()[1:]
    entries = [json.loads(line) for line in lines]
    assert len(entries) > 400
    withheld = 0
    for entry in entries:
        for figure in entry["jc"]["metrics"].values():
            for field in figure.get("withheld", ()):
                if field in figure:
                    assert figure[field] is None
                    withheld += 1
        for key, line in entry["sparks"]:
            if key in counts:
                assert all(v is None or v == 0 or v >= 1000 for v in line)
    assert withheld > 100
    answer = run(capsys, ["Stadt Münster"])
    assert answer == fresh(capsys, monkeypatch, ["Stadt Münster"])
    assert "*" in answer[1]


def test_refresh_keeps_the_latest_months_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = demo_frame(monkeypatch)
    latest = frame.get_column("period").max()
    path = tmp_path / "figures.parquet"  # the last months: a short refresh
    frame.filter(pl.col("period") > pl.lit(latest).dt.offset_by("-14mo")).write_parquet(path)
    source = ["--source", str(path)]
    assert main(["refresh", *source]) == 0
    capsys.readouterr()
    lookups = Counted(monkeypatch)
    answer = run(capsys, ["Stadt Münster", *source])
    assert lookups.calls == 0  # the first `show` after the refresh: from the record
    assert answer == fresh(capsys, monkeypatch, ["Stadt Münster", *source])


def url_source(server: LocalServer, factor: float = 1.0) -> list[str]:
    """A plain URL source serving the demo values of a few Jobcenters (`factor`: the
    server's data changed), as `--source` arguments."""
    server.mode, server.payload = "list", demo_records(factor=factor)
    return ["--source", f"{server.origin}/values.json"]


def answered(server: LocalServer) -> list[object]:
    """The statuses the server answered since the last call."""
    statuses = [r.get("status") for r in server.requests]
    server.requests.clear()
    return statuses


OTHERS = [["01889"], ["01893", "--format", "json"], ["Stadt Adlerdorf", "--lang", "de"]]


def test_another_jobcenter_of_a_url_source_after_a_304_is_answered_from_the_record(
    server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    source = url_source(server)
    assert run(capsys, [WARM, *source])[0] == 0  # new data, cached
    assert answered(server) == [200]
    for args in OTHERS:
        warm(capsys, [*args, *source])  # 304s: the store, and the record of its format
        assert answered(server) == [304, 304]
        answer, imported = probe(["show", *args, *source])
        assert imported == "no polars"
        assert answered(server) == [304]  # asked once
        fresh, _ = probe(["show", *args, *source], JCTUI_STORE="0")
        assert answer == fresh
        assert answered(server) == [304]


def test_new_data_of_a_url_source_are_looked_up_after_asking_the_server_once(
    server: LocalServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = url_source(server)
    for _ in range(3):
        run(capsys, [WARM, *source])
    old = run(capsys, ["01889", *source])
    answered(server)
    lookups = Counted(monkeypatch)
    source = url_source(server, factor=3)  # the server's data changed: another ETag
    new = run(capsys, ["01889", *source])
    assert (lookups.calls, answered(server)) == (1, [200])  # the lookup took the 200
    assert new[0] == 0
    assert new != old
    assert new == fresh(capsys, monkeypatch, ["01889", *source])  # the new figures
    answered(server)
    server.mode, server.status, server.reason = "status", 500, "Internal Server Error"
    failed = run(capsys, ["01889", *source])
    assert failed[0] != 0
    assert "500" in failed[2]
    assert answered(server) == [500]  # the lookup says it: not asked a second time


def test_a_url_source_with_a_token_is_answered_from_the_record_and_the_token_kept_nowhere(
    server: LocalServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = "s3cr3t-t0ken-of-the-record"
    monkeypatch.setenv("JCTUI_TEST_TOKEN", token)
    monkeypatch.setenv("JCTUI_ANSWERS", "1")  # the kept answers too: nothing of the token
    url_source(server)
    config = tmp_path / "api.toml"
    config.write_text(
        f'[[sources]]\nname = "api"\nurl = "{server.origin}/values.json"\n'
        '[sources.http]\nauth = "bearer"\ntoken_env = "JCTUI_TEST_TOKEN"\n',
        encoding="utf-8",
    )
    args = ["--config", str(config)]
    for _ in range(3):
        assert run(capsys, [WARM, *args])[0] == 0
    lookups = Counted(monkeypatch)
    answer = run(capsys, ["01889", *args])
    assert lookups.calls == 0  # from the record, after a 304
    sent = {r["headers"].get("Authorization") for r in server.requests}
    assert sent == {f"Bearer {token}"}  # the token went to the server, and nowhere else
    assert answered(server)[-1] == 304
    assert answer[0] == 0
    assert token not in answer[1] + answer[2]
    home = Path(os.environ["XDG_CACHE_HOME"]).parent
    written = [p for p in home.rglob("*") if p.is_file()]
    assert written
    assert not [p for p in written if token.encode() in p.read_bytes()]


def test_a_servers_answer_asked_ahead_is_of_its_lookup_only(
    server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # a lookup that fails after the request (a malformed --at) leaves no answer behind for
    # the next lookup in the same process: that one asks the server itself
    source = url_source(server)
    for _ in range(3):
        run(capsys, [WARM, *source])
    old = run(capsys, ["01889", *source])
    assert run(capsys, ["01889", "--at", "kein Monat", *source])[0] != 0
    answered(server)
    source = url_source(server, factor=3)  # the server's data changed
    new = run(capsys, ["01889", *source])
    assert answered(server) == [200]
    assert new[0] == 0
    assert new != old
