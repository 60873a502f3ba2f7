"""A repeated `jctui show` on unchanged files prints the answer it printed before, without
importing Polars (jctui.session.answers); a changed file, config or argument is answered
anew, and a URL source always asks its server: a 304 prints the kept answer, new data are
read and printed anew."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from jctui.cli import main
from jctui.demo import demo_values_path
from jctui.session import answers, oneshot
from tests.httpserver import LocalServer
from tests.probe import probe

SHOW = ["show", "Kreis Offenbach"]


def test_a_repeated_show_prints_its_answer_without_importing_polars() -> None:
    first, imported = probe(SHOW)
    assert imported == "polars"
    assert "Kreis Offenbach" in first
    again, imported = probe(SHOW)
    assert (again, imported) == (first, "no polars")
    fresh, imported = probe(SHOW, JCTUI_STORE="0")  # computed, store and answers off
    assert (fresh, imported) == (first, "polars")
    other, imported = probe([*SHOW, "--lang", "de"])  # another question: answered anew
    assert imported == "polars"
    assert other != first


class Counted:
    """How many lookups ran (a kept answer runs none)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = oneshot.run_lookup

        def counted(*args: object, **kwargs: object) -> oneshot.Lookup:
            self.calls += 1
            return original(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(oneshot, "run_lookup", counted)


def run(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    assert main(args) == 0
    return capsys.readouterr().out


def test_a_changed_file_or_config_is_answered_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(answers, "RACY_SECONDS", 0)  # files written now count as settled
    data = tmp_path / "values.parquet"
    frame = pl.read_parquet(demo_values_path())
    frame.write_parquet(data)
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setenv("JCTUI_CONFIG", str(config))
    lookups = Counted(monkeypatch)
    args = [*SHOW, "--source", str(data)]
    first = run(capsys, args)
    assert run(capsys, args) == first
    assert lookups.calls == 1  # the repeat printed the kept answer

    frame.with_columns(pl.col("value") * 2).write_parquet(data)  # new data in the same file
    doubled = run(capsys, args)
    assert lookups.calls == 2
    assert doubled != first

    config.write_text('language = "de"\n', encoding="utf-8")
    german = run(capsys, args)
    assert lookups.calls == 3
    assert german != doubled
    assert run(capsys, args) == german
    assert lookups.calls == 3


def test_a_file_changed_just_now_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(answers, "RACY_SECONDS", 3600)  # "just now": however slow the lookup
    data = tmp_path / "values.parquet"
    pl.read_parquet(demo_values_path()).write_parquet(data)
    kept: list[bool] = []
    original = answers.replayed

    def replayed(*args: object, **kwargs: object) -> bool:
        kept.append(original(*args, **kwargs))  # type: ignore[arg-type]
        return kept[-1]

    monkeypatch.setattr(answers, "replayed", replayed)
    args = [*SHOW, "--source", str(data)]
    assert run(capsys, args) == run(capsys, args)
    assert kept == [False, False]  # within RACY_SECONDS of its write: answered anew each time


def test_a_url_source_asks_its_server_every_time(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(answers, "RACY_SECONDS", 0)
    server.mode, server.file = "file", pl.read_parquet(demo_values_path()).write_csv().encode()
    lookups = Counted(monkeypatch)
    args = [*SHOW, "--source", f"{server.origin}/values.csv"]
    first = run(capsys, args)
    assert run(capsys, args) == first
    assert lookups.calls == 2
    assert len(server.requests) == 2


def demo_records(ids: int = 12, factor: float = 1.0) -> list[dict[str, object]]:
    """The demo values of Kreis Offenbach and a few other Jobcenters, as a URL source's
    JSON records (`factor`: the server's data changed)."""
    frame = pl.read_parquet(demo_values_path())
    few = frame.get_column("jobcenter_id").unique().sort().head(ids).to_list()
    wanted = pl.col("jobcenter_id").is_in(few) | pl.col("name").str.contains("Offenbach")
    return (
        frame.filter(wanted)
        .with_columns(pl.col("period").dt.strftime("%Y-%m"), pl.col("value") * factor)
        .to_dicts()
    )


def test_a_url_source_answered_by_a_304_prints_its_kept_answer_and_new_data_anew(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(answers, "RACY_SECONDS", 0)
    server.mode, server.payload = "list", demo_records()
    lookups = Counted(monkeypatch)
    args = [*SHOW, "--source", f"{server.origin}/values.json"]

    def answered() -> list[object]:
        statuses = [r.get("status") for r in server.requests]
        server.requests.clear()
        return statuses

    first = run(capsys, args)  # new data: read, cached, not kept
    assert (lookups.calls, answered()) == (1, [200])
    assert run(capsys, args) == first  # a 304: from the cache, kept
    assert (lookups.calls, answered()) == (2, [304])
    assert run(capsys, args) == first  # a 304: the kept answer, no lookup
    assert (lookups.calls, answered()) == (2, [304])

    server.payload = demo_records(factor=3)  # the server's data changed: another ETag
    tripled = run(capsys, args)
    assert (lookups.calls, answered()) == (3, [200])  # asked once: the lookup took the 200
    assert tripled != first
    monkeypatch.setenv("JCTUI_STORE", "0")  # what a fresh computation of the new data prints
    assert run(capsys, args) == tripled
    monkeypatch.delenv("JCTUI_STORE")
    answered()
    assert run(capsys, args) == tripled  # a 304 for the new data: kept anew
    assert run(capsys, args) == tripled  # and printed from the kept answer
    assert (lookups.calls, answered()) == (5, [304, 304])
    # a process of its own (another output stream: another key): answered from the store's
    # record after the 304 (jctui.views.show_record) and kept, then printed after the 304:
    # neither imports Polars
    assert probe(args) == (tripled, "no polars")
    assert probe(args) == (tripled, "no polars")
    assert answered() == [304, 304]


def test_a_server_that_fails_the_check_of_a_kept_answer_is_asked_once(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the check's failure is the lookup's: no second wait for a server that failed
    monkeypatch.setattr(answers, "RACY_SECONDS", 0)
    server.mode, server.payload = "list", demo_records()
    args = [*SHOW, "--source", f"{server.origin}/values.json"]
    run(capsys, args)
    run(capsys, args)  # a 304: kept
    server.requests.clear()
    server.mode, server.status, server.reason = "status", 500, "Internal Server Error"
    main(args)
    capsys.readouterr()
    assert [r.get("status") for r in server.requests] == [500]
