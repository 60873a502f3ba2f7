"""`show` and `export` read the figure store: a repeated lookup on unchanged data computes
nothing and prints byte for byte what a fresh computation prints; changed data are
recomputed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from jctui.cli import main
from jctui.engine import Engine

LOOKUPS = [
    ["show", "Kreis Offenbach"],
    ["show", "Kreis Offenbach", "--at", "2017-12", "--lang", "de"],
    ["show", "Kreis Offenbach", "--format", "json"],
    ["show", "stadt", "--format", "csv", "--at", "2018-03"],
    ["show", "Kreis Offenbach", "--compare", "Stadt Offenbach am Main"],
]


@pytest.fixture(autouse=True)
def _no_kept_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the figure store: a repeat is not answered by its kept text
    (jctui.session.answers, tests/functional/test_answers.py)."""
    monkeypatch.setenv("JCTUI_ANSWERS", "0")


def run(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    assert main(args) == 0
    out, _ = capsys.readouterr()
    return out


def no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Computing the Jobcenters' figures fails the test: a lookup must read them all from the
    store (the state's figures beside them are computed from the few aggregate rows)."""
    from jctui.session import store

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("figures computed although they are stored")

    monkeypatch.setattr(Engine, "for_dataset", refuse)
    monkeypatch.setattr(store, "month_figures", refuse)


@pytest.mark.parametrize("args", LOOKUPS, ids=[" ".join(a[1:]) for a in LOOKUPS])
def test_a_repeated_lookup_reads_the_store_and_prints_what_a_fresh_one_prints(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JCTUI_STORE", "0")
    fresh = run(capsys, args)
    monkeypatch.setenv("JCTUI_STORE", "1")
    first = run(capsys, args)  # computes and writes the store
    with monkeypatch.context() as m:
        no_engine(m)
        again = run(capsys, args)
    # byte for byte, JSON too: group means are summed exactly (jctui.engine.ranks)
    assert first == fresh
    assert again == fresh


def test_export_reads_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["export", "--at", "2018-07", "--group", "IIa"]
    monkeypatch.setenv("JCTUI_STORE", "0")
    run(capsys, [*args, "-o", str(tmp_path / "fresh.csv")])
    monkeypatch.setenv("JCTUI_STORE", "1")
    run(capsys, [*args, "-o", str(tmp_path / "first.csv")])
    no_engine(monkeypatch)
    run(capsys, [*args, "-o", str(tmp_path / "again.csv")])
    fresh = (tmp_path / "fresh.csv").read_bytes()
    assert (tmp_path / "first.csv").read_bytes() == fresh
    assert (tmp_path / "again.csv").read_bytes() == fresh


def test_a_file_source_is_keyed_by_its_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from jctui.config import load_config
    from jctui.session.load import load_dataset

    dataset = load_dataset(load_config(None))
    frame = dataset.values.join(dataset.registry, on="jobcenter_id")
    path = tmp_path / "figures.parquet"
    frame.write_parquet(path)
    args = ["show", "Kreis Offenbach", "--source", str(path), "--format", "json"]
    before = run(capsys, args)
    assert run(capsys, args) == before  # from the store
    # the same file name with other figures: recomputed, never the old figures
    changed = frame.with_columns(
        value=pl.when(pl.col("name") == "Kreis Offenbach")
        .then(pl.col("value") + 7)
        .otherwise(pl.col("value"))
    )
    changed.write_parquet(path)
    after = run(capsys, args)
    monkeypatch.setenv("JCTUI_STORE", "0")
    assert after == run(capsys, args)
    assert after != before


def test_the_first_lookup_of_a_file_scans_it_and_the_next_ones_keep_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new file revision: the first lookup reads only its rows (the filter pushed into the
    scan), the next one reads it whole and keeps every Jobcenter's figures, the third reads
    them from the store."""
    from jctui.config import load_config
    from jctui.session import oneshot, store
    from jctui.session.load import load_dataset
    from tests.unit.test_store_sessions import counting

    dataset = load_dataset(load_config(None))
    path = tmp_path / "figures.parquet"
    dataset.values.join(dataset.registry, on="jobcenter_id").write_parquet(path)
    whole = counting(monkeypatch, oneshot, "read_located")  # a whole read of the file
    monkeypatch.setattr(store, "RACY_SECONDS", 0)  # one key, however young the file
    figures = tmp_path / "home" / "jctui" / "sources" / "figures"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    lookup = ["show", "--source", str(path)]
    first = run(capsys, [*lookup, "Kreis Offenbach"])
    assert whole == []
    assert not list(figures.rglob("meta.json"))  # nothing stored yet
    run(capsys, [*lookup, "Stadt Offenbach am Main"])
    assert len(whole) == 1
    assert list(figures.rglob("meta.json"))  # the revision and its month
    with monkeypatch.context() as m:
        no_engine(m)
        assert run(capsys, [*lookup, "Kreis Offenbach"]) == first
