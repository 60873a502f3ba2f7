"""The figure store (jctui.session.store): stored figures equal fresh ones at every as-of
month; a missing, stale, corrupt or other-version store is recomputed; two writers at once
leave one whole store; withheld values never reach the store files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from jctui.config import Config, load_config
from jctui.engine import Engine, Figures
from jctui.model import Dataset
from jctui.presentation.policy import SmallCounts
from jctui.session import store
from jctui.session.load import combine, locate, read_located
from jctui.session.located import Located

THRESHOLD = 3.0  # withholds some of the demo's small monthly counts


Demo = tuple[Config, list[Located], Dataset, Engine]


def demo_of(folder: Path, every: int) -> Demo:
    """The demo data (every `every`-th Jobcenter by id, each with all its months and
    targets; the state and Germany rows whole) with its config, sources and engine."""
    config = dataclasses.replace(
        load_config(None), small_count_threshold=THRESHOLD, cache_dir=str(folder)
    )
    located = [locate(src, config) for src in config.sources]
    dataset = combine([read_located(loc, config) for loc in located], config.sources)
    ids = dataset.registry.get_column("jobcenter_id").sort().gather_every(every)
    kept = pl.col("jobcenter_id").is_in(ids.implode())
    dataset = dataclasses.replace(
        dataset,
        values=dataset.values.filter(kept),
        registry=dataset.registry.filter(kept),
        targets=dataset.targets.filter(kept),
        missing=dataset.missing.filter(kept),
    )
    return config, located, dataset, Engine.for_dataset(config, dataset)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """Every 20th Jobcenter of the demo data (21 of 407, in 13 states, all 82 months): a
    month of figures is ~0.1 s of CPU instead of ~0.25 s (the whole demo: `whole_demo`)."""
    return demo_of(tmp_path_factory.mktemp("cache"), 20)


@pytest.fixture(scope="module")
def whole_demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """All 407 Jobcenters of the demo data."""
    return demo_of(tmp_path_factory.mktemp("cache"), 1)


@pytest.fixture(scope="module")
def computed() -> dict[dt.date, Figures]:
    """The month figures computed in this module, by as-of month (see `once`)."""
    return {}


def compute_once(
    demo: Demo, computed: dict[dt.date, Figures], monkeypatch: pytest.MonkeyPatch
) -> dict[dt.date, Figures]:
    """`store.month_figures` of the demo engine computes each month once into `computed`
    (the engine is deterministic; there are 82 months): what `write_store` computed is
    what a test compares the stored figures with."""
    config, _, _, engine = demo
    fresh = store.month_figures

    def month_figures(of: Engine, as_of: dt.date, counts: SmallCounts) -> Figures:
        assert of is engine
        assert counts == SmallCounts.of(config)
        if as_of not in computed:
            computed[as_of] = fresh(of, as_of, counts)
        return computed[as_of]

    monkeypatch.setattr(store, "month_figures", month_figures)
    return computed


@pytest.fixture
def once(
    demo: Demo, computed: dict[dt.date, Figures], monkeypatch: pytest.MonkeyPatch
) -> dict[dt.date, Figures]:
    """`compute_once` of `demo`, kept for the whole module."""
    return compute_once(demo, computed, monkeypatch)


def key_of(demo: Demo) -> store.StoreKey:
    key = store.store_key(demo[0], demo[1])
    assert key is not None
    return key


def test_stored_figures_equal_fresh_ones_at_every_as_of_month(
    demo: Demo, once: dict[dt.date, Figures]
) -> None:
    """The fresh figures of each month are the ones `write_store` computed and wrote
    (`once`): each month is computed once, not once for the store and again for the
    comparison."""
    assert_stored_equal_fresh(demo, once)


@pytest.mark.slow
@pytest.mark.timeout(900)  # every as-of month of all 407 Jobcenters
def test_stored_figures_of_the_whole_demo_equal_fresh_ones_at_every_as_of_month(
    whole_demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As above, on all the demo data (make test-slow)."""
    assert_stored_equal_fresh(whole_demo, compute_once(whole_demo, {}, monkeypatch))


def assert_stored_equal_fresh(demo: Demo, once: dict[dt.date, Figures]) -> None:
    """`write_store` stores every month of `demo`, and each reads back as computed."""
    config, _, dataset, engine = demo
    key = key_of(demo)
    _, written = store.write_store(config, key, dataset, engine)
    assert written == len(engine.periods) > 12
    assert tuple(sorted(once)) == engine.periods  # every month computed by write_store
    again = store.read_data(config, key)
    assert again is not None
    assert again.periods == engine.periods
    for as_of in engine.periods:
        stored = store.read_month(again, key, as_of)
        assert stored is not None, as_of
        fresh = once[as_of]
        for part in store.MONTH_FRAMES:
            assert_frame_equal(canonical(getattr(stored, part)), canonical(getattr(fresh, part)))
        assert (stored.as_of, stored.latest, stored.periods, stored.frequency) == (
            fresh.as_of, fresh.latest, fresh.periods, fresh.frequency,
        )  # fmt: skip
    assert store.write_store(config, key, dataset, engine)[1] == 0  # nothing new to write


def canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows in one order (the engine's row order is not part of its contract)."""
    keys = [c for c, t in frame.schema.items() if not isinstance(t, pl.List | pl.Struct)]
    return frame.sort(keys, nulls_last=True) if keys else frame


def test_withheld_values_are_not_in_the_store_files(
    demo: Demo,
) -> None:
    import pyarrow.ipc as ipc

    config, _, dataset, engine = demo
    key = key_of(demo)
    small = dataset.values.filter((pl.col("value") > 0) & (pl.col("value") < THRESHOLD))
    assert small.height > 0  # the demo data has small counts to withhold
    data, _ = store.write_store(config, key, dataset, engine)
    values = pl.from_arrow(ipc.open_file(str(data.folder / "values.arrow")).read_all())
    assert isinstance(values, pl.DataFrame)
    assert values.filter((pl.col("value") > 0) & (pl.col("value") < THRESHOLD)).is_empty()
    hidden = values.join(
        small.select("jobcenter_id", "metric", "period"), on=["jobcenter_id", "metric", "period"]
    )
    assert hidden.height == small.height
    assert hidden.get_column("value").null_count() == small.height
    for month in (data.folder / "months").iterdir():
        for part in ("metrics", "rates"):
            frame = pl.from_arrow(ipc.open_file(str(month / f"{part}.arrow")).read_all())
            assert isinstance(frame, pl.DataFrame)
            for field in ("value", "window_sum", "value_prev_year", "change"):
                if field not in frame.columns:
                    continue
                leaked = frame.filter(
                    pl.col("withheld").list.contains(field) & pl.col(field).is_not_null()
                )
                assert leaked.is_empty(), (month.name, part, field)


def test_a_missing_or_stale_store_is_not_read(
    demo: Demo,
) -> None:
    config, _, dataset, engine = demo
    key = key_of(demo)
    store.discard(store.store_root(config) / key.name)
    assert store.read_data(config, key) is None  # missing
    store.write_data(config, key, dataset, engine)
    other = store.StoreKey(key.slot, "0" * 24)  # another revision of the data
    assert store.read_data(config, other) is None
    store.write_data(config, other, dataset, engine)
    assert not (store.store_root(config) / key.name).exists()  # older revisions dropped
    other_config = dataclasses.replace(config, window="6")
    assert store.store_key(other_config, demo[1]) != key  # config that changes figures


def test_a_corrupt_store_or_one_of_another_version_is_recomputed(
    demo: Demo, once: dict[dt.date, Figures]
) -> None:
    config, _, dataset, engine = demo
    key = key_of(demo)
    as_of = engine.periods[-1]
    cases: dict[str, Callable[[Path], object]] = {
        "truncated values": lambda f: _truncate(f / "values.arrow"),
        "flipped byte": lambda f: _flip(f / "registry.arrow"),
        "broken meta": lambda f: (f / "meta.json").write_text("{", encoding="utf-8"),
        "other version": lambda f: _meta(f, version="0.0.0-other"),
        "other format": lambda f: _meta(f, format=store.STORE_FORMAT + 1),
        "broken month": lambda f: _truncate(f / "months" / as_of.isoformat() / "metrics.arrow"),
    }
    for what, spoil in cases.items():
        store.discard(store.store_root(config) / key.name)
        data = store.write_data(config, key, dataset, engine)
        store.write_month(data, key, store.month_figures(engine, as_of, SmallCounts.of(config)))
        spoil(data.folder)
        read = store.read_data(config, key)
        if what == "broken month":
            assert read is not None, what
            assert store.read_month(read, key, as_of) is None, what
        else:
            assert read is None, what
            assert not data.folder.exists(), what  # removed: the next writer replaces it
    assert store.write_store(config, key, dataset, engine)[1] >= 1  # and it is written again
    assert store.read_data(config, key) is not None


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _meta(folder: Path, **changes: object) -> None:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    (folder / "meta.json").write_text(json.dumps({**meta, **changes}), encoding="utf-8")


def test_two_writers_at_once_leave_one_whole_store(
    demo: Demo, once: dict[dt.date, Figures]
) -> None:
    config, _, dataset, engine = demo
    key = key_of(demo)
    store.discard(store.store_root(config) / key.name)
    as_of = engine.periods[-1]
    figures = store.month_figures(engine, as_of, SmallCounts.of(config))
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            start.wait()
            data = store.write_data(config, key, dataset, engine)
            store.write_month(data, key, figures)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    root = store.store_root(config)
    folders = [p.name for p in root.iterdir() if p.name != ".revisions"]  # the files' digests
    assert folders == [key.name]  # no temp folder left
    data = store.read_data(config, key)
    assert data is not None
    month = store.read_month(data, key, as_of)
    assert month is not None
    assert_frame_equal(canonical(month.metrics), canonical(figures.metrics))


def test_a_file_rewritten_with_its_old_size_and_time_gets_another_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import time

    path = tmp_path / "figures.csv"
    path.write_text("a,1\n", encoding="utf-8")
    before = path.stat()
    young = store._file_revision(path)  # just written: by its content, read each time
    time.sleep(0.05)
    path.write_text("a,2\n", encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the old time set back
    assert store._file_revision(path) != young
    monkeypatch.setattr(store, "RACY_SECONDS", 0)  # old files: by content, remembered by identity
    old = store._file_revision(path, tmp_path / "memo")
    time.sleep(0.05)
    path.write_text("a,3\n", encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert store._file_revision(path, tmp_path / "memo") != old  # the change time tells


def test_a_file_keeps_its_revision_as_it_ages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyed by content, a file just written and the same file a minute later are one
    revision (by identity they were two, and the store was computed twice)."""
    path, memo = tmp_path / "figures.csv", tmp_path / "memo"
    path.write_text("a,1\n", encoding="utf-8")
    young = store._file_revision(path, memo)
    monkeypatch.setattr(store, "RACY_SECONDS", 0)  # as if two seconds had passed
    assert store._file_revision(path, memo) == young  # read once more, and remembered
    assert len(list(memo.iterdir())) == 1
    assert store._file_revision(path, memo) == young
