"""The dashboard's session reads the figure store (jctui.session.store_link): a new session
on a stored revision, an as-of step and a change of Jobcenter compute no figure of the
load's engine; a store of other data under the same key is not used."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from jctui.config import Config, load_config
from jctui.engine import Engine
from jctui.presentation.policy import SmallCounts
from jctui.session import store
from jctui.session.session import Loaded, RefreshRequest, Session

AS_OF = dt.date(2018, 10, 1)


def demo_config(tmp_path: Path) -> Config:
    return dataclasses.replace(load_config(None), cache_dir=str(tmp_path / "cache"))


def counted(monkeypatch: pytest.MonkeyPatch) -> list[Engine]:
    """Every engine that computes figures, once per computation."""
    calls: list[Engine] = []
    original = Engine.figures

    def figures(self: Engine, *args: Any, **kwargs: Any) -> Any:
        calls.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Engine, "figures", figures)
    return calls


def started(config: Config, *, prefetch: bool = False) -> Session:
    """A session loaded and showing AS_OF, as the dashboard's workers do it."""
    session = Session(config, as_of=AS_OF, today=dt.date(2026, 11, 25))
    loads = [e for e in session.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
    as_of = session.accept_data(loads[0])
    assert session.accept_figures(session.compute(as_of, session.next_compute(as_of)))
    if prefetch:
        session.prefetch()
    return session


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Session, Path]:
    """A session that computed AS_OF and the months it prefetches and stored them (made
    once for the tests below that compare a stored session with a computing one), and its
    cache folder: `warm_config` gives a test a copy of that store of its own."""
    home = tmp_path_factory.mktemp("computed")
    with pytest.MonkeyPatch.context() as m:  # as _isolated_env: nothing of the developer's
        for name in ("CONFIG", "CACHE", "DATA", "STATE"):
            m.setenv(f"XDG_{name}_HOME", str(home / name.lower()))
        m.delenv("JCTUI_CONFIG", raising=False)
        first = started(demo_config(home), prefetch=True)
    return first, home / "cache"


def warm_config(tmp_path: Path, computed: tuple[Session, Path]) -> Config:
    """`demo_config(tmp_path)` on a copy of the store `computed` wrote (as a second session
    after the first finds it)."""
    shutil.copytree(computed[1], tmp_path / "cache")
    return demo_config(tmp_path)


def own(calls: list[Engine], session: Session) -> int:
    """How many figure computations the session's own load made (the state's figures
    beside a Jobcenter are computed from the few aggregate rows by an engine of their own)."""
    assert session.data is not None
    return sum(1 for engine in calls if engine is session.data.engine)


def test_a_second_session_a_month_step_and_a_jobcenter_change_compute_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = demo_config(tmp_path)
    calls = counted(monkeypatch)
    # computes AS_OF, the month before and the one before that (the attention line of a
    # step back compares with it), and stores them
    first = started(config, prefetch=True)
    assert own(calls, first) == 3  # AS_OF is the latest month: one neighbour
    assert first.data is not None
    assert first.data.store is not None

    calls.clear()
    prepared = counted_views(monkeypatch)
    second = started(config)  # a new session (another dashboard, a `serve` session)
    assert second.data is not None
    assert second.data.store is not None
    assert second.figures is not None
    assert first.figures is not None
    for part in store.MONTH_FRAMES:
        assert_frame_equal(getattr(second.figures, part), getattr(first.figures, part))
    assert second.overview("en") == first.overview("en")
    assert repr(second.lookups) == repr(first.lookups)  # the screens' look-ups, kept as JSON
    ours = next(r for r in second.lookups.compare_rows if r["jobcenter_id"] == "06438")
    k2 = ours["standing"]["rate:k2"]  # the compare table's rank and gaps, kept too
    assert (k2.group_rank, k2.group_rank_of, round(k2.best, 1)) == (5, 29, -4.2)
    month = second.stepped(-1)  # `[`
    assert month == dt.date(2018, 9, 1)
    assert second.accept_figures(second.compute(month, second.next_compute(month)))
    assert second.figures.as_of == month
    second.choose("01887")  # another Jobcenter: read from the prepared look-ups
    overview = second.overview("en")
    assert overview is not None
    assert overview.name == "Stadt Falkendorf"
    assert own(calls, second) == 0
    assert prepared == []  # nor were the look-ups of the screens prepared again


def counted_views(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Every preparation of the screens' look-ups."""
    from jctui.session import prepare

    return counting(monkeypatch, prepare, "prepare_views")


def counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[tuple[object, ...]]:
    """The arguments of every call of `owner.name` from now on (it still runs)."""
    calls: list[tuple[object, ...]] = []
    original = getattr(owner, name)

    def counted(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(owner, name, counted)
    return calls


def counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Every parse of a source's bytes (the refresher's and a deferred read alike).

    The load module imports the readers when it reads (a lookup the store answers imports
    none), so the readers' own entry points are counted."""
    import jctui.readers as readers

    calls: list[tuple[object, ...]] = []
    for name in ("read_bytes", "read_many"):
        original = getattr(readers, name)

        def counted(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            calls.append(args)
            return _original(*args, **kwargs)

        monkeypatch.setattr(readers, name, counted)
    return calls


def test_a_session_on_a_warm_store_reads_no_source_until_a_month_is_not_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = demo_config(tmp_path)
    reads = counted_reads(monkeypatch)
    first = started(config, prefetch=True)  # reads the sources, stores three months
    assert reads != []
    assert first.figures is not None

    reads.clear()
    calls = counted(monkeypatch)
    second = started(config, prefetch=True)
    assert second.data is not None
    assert second.data.from_store
    assert reads == []  # neither the values nor the targets were read
    assert second.figures is not None
    for part in store.MONTH_FRAMES:
        assert_frame_equal(getattr(second.figures, part), getattr(first.figures, part))
    assert second.overview("en") == first.overview("en")
    assert second.lookups == first.lookups
    assert first.data is not None
    assert second.data.periods == first.data.periods
    assert second.data.present == first.data.present
    assert second.data.refused == first.data.refused
    month = second.stepped(-1)  # stored by the first session's prefetch
    assert second.accept_figures(second.compute(month, second.next_compute(month)))
    assert reads == []
    assert calls == []

    # a month no session stored: the sources are read now, and the month computed from them
    early = dt.date(2015, 3, 1)
    assert second.accept_figures(second.compute(early, second.next_compute(early)))
    assert reads != []
    assert own(calls, second) == 1
    fresh = first.data.engine
    expected = store.month_figures(fresh, early, SmallCounts.of(config))
    for part in store.MONTH_FRAMES:
        assert_frame_equal(getattr(second.figures, part), getattr(expected, part))
    assert second.lookups == first.months.month(config, first.data, early, shown(first))[1]


def shown(session: Session) -> list[str]:
    assert session.data is not None
    return session.shown_figures(session.data)[0]


def copied_demo(tmp_path: Path) -> Config:
    """The demo configuration reading a copy of the demo files (which a test may change)."""
    config = demo_config(tmp_path)
    sources = []
    for src in config.sources:
        copy = tmp_path / Path(src.path).name
        shutil.copyfile(src.path, copy)
        sources.append(dataclasses.replace(src, path=str(copy)))
    return dataclasses.replace(config, sources=tuple(sources))


def few_demo(tmp_path: Path, every: int) -> Config:
    """`copied_demo` with every `every`-th Jobcenter's values and targets (and those of
    06438, 08899 and 01887, which the tests name; Germany's and the states' rows whole):
    `jctui refresh` stores its 82 months in a third of the time of all 407."""
    config = copied_demo(tmp_path)
    values_path, targets_path = (Path(src.path) for src in config.sources)
    values = pl.read_parquet(values_path)
    ids = values.get_column("jobcenter_id").unique().sort()
    kept = set(ids.filter(ids.str.len_chars() == 5).gather_every(every).to_list())
    kept |= {"06438", "08899", "01887", *ids.filter(ids.str.len_chars() != 5).to_list()}
    values.filter(pl.col("jobcenter_id").is_in(kept)).write_parquet(values_path)
    targets = pl.read_csv(targets_path, schema_overrides={"jobcenter_id": pl.String})
    targets.filter(pl.col("jobcenter_id").is_in(kept)).write_csv(targets_path)
    return config


def changed_values(config: Config) -> None:
    """Another value in the values file: 08899's integrations in January 2012 doubled."""
    path = Path(config.sources[0].path)
    values = pl.read_parquet(path)
    one = (pl.col("jobcenter_id") == "08899") & (pl.col("period") == dt.date(2012, 1, 1))
    one &= pl.col("metric") == "integrations"
    values.with_columns(
        value=pl.when(one).then(pl.col("value") * 2).otherwise("value")
    ).write_parquet(path)


def test_a_missing_or_stale_store_falls_back_to_reading_the_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = copied_demo(tmp_path)
    reads = counted_reads(monkeypatch)
    started(config)  # no store yet: read and computed, then stored
    assert reads != []
    reads.clear()
    assert started(config).data is not None  # the store as the files are: nothing read
    assert reads == []

    changed_values(config)  # the values file changes: the store is not of it any more
    calls = counted(monkeypatch)
    third = started(config)
    assert reads != []
    assert third.data is not None
    assert not third.data.from_store
    assert own(calls, third) == 1  # computed from the file as it is now
    value = third.data.dataset.values.filter(
        (pl.col("jobcenter_id") == "08899") & (pl.col("period") == dt.date(2012, 1, 1))
    ).filter(pl.col("metric") == "integrations")
    assert value.get_column("value").to_list() == [288.0]


def test_a_file_changed_under_a_stored_load_is_read_whole_on_the_watchers_reload(
    tmp_path: Path,
) -> None:
    config = copied_demo(tmp_path)
    started(config)  # stores the revision
    session = started(config)
    assert session.data is not None
    assert session.data.from_store
    changed_values(config)
    # the file watcher asks for the changed source alone; the others were never read
    events = list(session.refresh_cycle(RefreshRequest(only=frozenset({"demo"}))))
    loads = [e for e in events if isinstance(e, Loaded)]
    assert len(loads) == 1
    assert not loads[0].from_store
    # the changed value is reported as a revision, as on a session that read the file
    assert [(r["jobcenter_id"], r["period"], r["metric"]) for r in loads[0].revision_rows] == [
        ("08899", dt.date(2012, 1, 1), "integrations")
    ]
    assert loads[0].revised == {"08899": {"integrations": 1}}
    session.accept_data(loads[0])
    assert session.data is not None
    assert session.data.dataset.values.filter(pl.col("value") == 288.0).height >= 1
    # read again unchanged: no new load
    again = list(session.refresh_cycle(RefreshRequest()))
    assert not any(isinstance(e, Loaded) for e in again)


# make test: every 20th of the demo's Jobcenters (24); make test-slow: all of them
QUICK_OR_ALL = pytest.mark.parametrize(
    "every",
    [
        pytest.param(20, id="quick"),
        pytest.param(1, id="full", marks=[pytest.mark.slow, pytest.mark.timeout(900)]),
    ],
)


@QUICK_OR_ALL
def test_after_jctui_refresh_a_new_session_reads_no_source_and_prepares_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, every: int
) -> None:
    from jctui.session.store_link import store_all

    config = few_demo(tmp_path, every)
    assert store_all(config) > 0  # what `jctui refresh` runs: every month, the latest' views
    reads, prepared = counted_reads(monkeypatch), counted_views(monkeypatch)
    calls = counted(monkeypatch)
    session = started(config, prefetch=True)  # the latest month and the two before it
    assert session.data is not None
    assert session.data.from_store
    assert (reads, prepared, calls) == ([], [], [])
    assert session.figures is not None
    fresh = Session(config, as_of=AS_OF, today=dt.date(2026, 11, 25))
    monkeypatch.setenv("JCTUI_STORE", "0")  # the same session computing everything
    loads = [e for e in fresh.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
    as_of = fresh.accept_data(loads[0])
    assert fresh.accept_figures(fresh.compute(as_of, fresh.next_compute(as_of)))
    assert fresh.lookups == session.lookups
    assert fresh.overview("en") == session.overview("en")
    # the month before September is kept for September's attention line: its look-ups as
    # stored (each Jobcenter's decoded when looked up), its figures not read
    august = dt.date(2018, 8, 1)
    figures, kept, _ = session.months.prepared[august]
    assert figures is None
    assert fresh.data is not None
    computed = fresh.months.month(config, fresh.data, august, shown(fresh))[1]
    assert kept.for_attention() == computed.for_attention()
    # a step to September, then to August: August's figures read, its look-ups not again
    from jctui.session import store_link

    opened = counting(monkeypatch, store_link.StoreLink, "views")
    september = dt.date(2018, 9, 1)
    for counts in (reads, prepared, calls):
        counts.clear()  # of the fresh session
    for month in (september, august):
        assert session.accept_figures(session.compute(month, session.next_compute(month)))
        session.prefetch()
        if month == september:  # the step back from the latest month: all kept by refresh
            assert (reads, prepared, calls) == ([], [], []), "a step back prepared a month"
    assert session.lookups is kept
    assert session.figures is not None
    assert session.figures.as_of == august
    assert fresh.accept_figures(fresh.compute(august, fresh.next_compute(august)))
    fresh.prefetch()  # July, which August's attention line compares with
    assert fresh.figures is not None
    for part in store.MONTH_FRAMES:
        assert_frame_equal(getattr(session.figures, part), getattr(fresh.figures, part))
    assert session.overview("en") == fresh.overview("en")
    assert session.attention("en") == fresh.attention("en")
    # July and June opened (the months before August and July), August not again
    assert dt.date(2018, 7, 1) in [call[1] for call in opened]
    assert august not in [call[1] for call in opened]


def test_a_session_on_the_store_decodes_only_what_its_screens_show(
    tmp_path: Path, computed: tuple[Session, Path]
) -> None:
    """A session shown from the store holds the look-ups of one Jobcenter decoded, not the
    month's whole (its overview is the same), reads the compare rows when the compare tab
    needs them and every value when the chart draws (the same lines)."""
    from jctui.session.chart import ChartQuery
    from jctui.session.lazy_views import DECODED_KEPT, ByJobcenter

    config = warm_config(tmp_path, computed)
    first = computed[0]  # computed and stored the months and look-ups
    second = started(config, prefetch=True)
    assert first.data is not None
    assert second.data is not None
    assert second.data.from_store
    metrics = second.lookups.metrics
    assert isinstance(metrics, ByJobcenter)
    lines = metrics.lines
    assert second.overview("en") == first.overview("en")
    assert second.attention("en") == first.attention("en")
    assert list(lines.kept) == [second.jobcenter_id]  # one Jobcenter's line decoded
    assert lines.whole_kept == {}  # the compare rows not yet
    assert lines.orders is None  # nor the keys' order: looked up, not listed
    assert list(second.lookups.rates) == list(first.lookups.rates)  # listed: in order
    assert list(second.lookups.sparks) == list(first.lookups.sparks)
    assert lines.orders is not None
    # the values: a row of every metric, until the chart draws
    assert second.data.dataset.values.height <= len(second.data.present)
    assert first.data.dataset.values.height > 1000
    key = shown(second)[0]
    query = ChartQuery(key, (second.jobcenter_id, "01887"))
    source, fresh = second.chart_source(), first.chart_source()
    assert source is not None
    assert fresh is not None
    assert source.data(query, "en") == fresh.data(query, "en")
    assert source.frames.values.height == first.data.dataset.values.height
    # the compare tab: every row, as computed
    assert list(second.lookups.compare_rows) == first.lookups.compare_rows
    assert set(lines.whole_kept) == {"compare_rows"}
    # every Jobcenter's overview in turn: the same, and only the last few kept decoded
    for jc in list(first.lookups.metrics)[:40]:
        assert second.overview("en", jc) == first.overview("en", jc)
    assert len(lines.kept) == DECODED_KEPT


def test_the_dashboards_prefetch_decodes_the_compare_rows_before_the_compare_key(
    tmp_path: Path, computed: tuple[Session, Path]
) -> None:
    """The dashboard's prefetch (worker thread) decodes a stored month's compare rows, so
    the compare screen's key decodes none on the UI thread; they are the rows computed."""
    from jctui.session.lazy_views import ByJobcenter

    config = warm_config(tmp_path, computed)
    first = computed[0]  # computed and stored the months and look-ups
    second = started(config)
    metrics = second.lookups.metrics
    assert isinstance(metrics, ByJobcenter)
    assert metrics.lines.whole_kept == {}
    second.prefetch(compare_rows=True)
    assert set(metrics.lines.whole_kept) == {"compare_rows"}
    assert list(second.lookups.compare_rows) == first.lookups.compare_rows


def test_look_ups_read_later_are_those_checked_and_a_damaged_file_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, computed: tuple[Session, Path]
) -> None:
    """A Jobcenter's look-ups are read from the file as checked when the month was read,
    even when the store is removed meanwhile; a damaged views file is not used (the
    look-ups are prepared again, the same figures shown)."""
    config = warm_config(tmp_path, computed)
    first = computed[0]
    second = started(config)
    assert second.data is not None
    assert second.data.store is not None
    folder = second.data.store.data.folder
    files = sorted(folder.glob("months/*/views-*.json"))
    assert files
    texts = {path: path.read_bytes() for path in files}
    for path in files:
        path.unlink()  # a store discarded meanwhile (renamed aside and removed)
    second.choose("01887")
    assert second.overview("en") == first.overview("en", "01887")
    for path, text in texts.items():  # a byte changed in a Jobcenter's line
        at = text.index(b"\n@") + 20
        path.write_bytes(text[:at] + (b"0" if text[at : at + 1] != b"0" else b"1") + text[at + 1 :])
    prepared = counted_views(monkeypatch)
    third = started(config)
    assert prepared  # not read: prepared again
    assert third.overview("en") == first.overview("en")


def test_a_views_file_changed_in_its_last_line_or_cut_short_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check line covers the whole views file, the last Jobcenter's line too (read
    only when looked up, found by the index line): a change there or a file cut short
    is found when the month is read, and the look-ups are prepared again."""
    config = demo_config(tmp_path)
    first = started(config)
    assert first.data is not None
    assert first.data.store is not None
    folder = first.data.store.data.folder
    (path,) = folder.glob(f"months/{AS_OF.isoformat()}/views-*.json")
    text = path.read_bytes()
    last = text.rindex(b"\n@")
    assert b"\n$spans " in text[:last]  # where the Jobcenters' lines are, before them
    at = len(text) - 5  # a digit of the last Jobcenter's line
    for damaged in (text[:at] + (b"1" if text[at : at + 1] == b"0" else b"0") + text[at + 1 :],
                    text[:-40]):  # fmt: skip
        path.write_bytes(damaged)
        prepared = counted_views(monkeypatch)
        again = started(config)
        assert len(prepared) == 1  # not read: prepared again (and kept again, whole)
        assert again.overview("en", "08899") == first.overview("en", "08899")
        prepared.clear()
        assert started(config).overview("en", "08899") == first.overview("en", "08899")
        assert prepared == []  # kept again as it was prepared: read


@QUICK_OR_ALL
def test_a_session_following_the_shared_cache_shows_the_store_while_the_cache_is_of_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, every: int
) -> None:
    """With follow_cache, after `jctui refresh` a new session reads neither a file nor the
    cache: the store has the figures of the files the cache holds. A file changed since the
    refresh (the cache is not of it): the session reads the cache, as before."""
    from jctui.session.shared import refresh_cache

    config = few_demo(tmp_path, every)
    sources = tuple(dataclasses.replace(src, demo=False) for src in config.sources)
    refresh = dataclasses.replace(config.refresh, follow_cache=True)
    config = dataclasses.replace(config, sources=sources, refresh=refresh)
    assert all(done.outcome == "updated" for done in refresh_cache(config))
    reads = counted_reads(monkeypatch)
    followed = started(config)
    assert followed.data is not None
    assert followed.data.from_store
    assert reads == []
    changed_values(config)  # the cache still holds the files as refreshed
    again = started(config)
    assert again.data is not None
    assert not again.data.from_store  # the cache is read (it may keep older data)
    assert reads == []  # the cache, not the file: no parse of a source's bytes
    assert again.overview("en") == followed.overview("en")
