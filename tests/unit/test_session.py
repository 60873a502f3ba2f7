"""The session layer without a terminal: what the dashboard shows, decided in plain Python."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from jctui.config import load_config
from jctui.errors import JctuiError
from jctui.presentation.policy import SmallCounts, headline_field
from jctui.presentation.tiles import tile_text_line
from jctui.session.as_of import check_as_of, parse_month, step_as_of
from jctui.session.session import (
    Loaded,
    RefreshFailed,
    RefreshQueue,
    RefreshRequest,
    Session,
    SourcesState,
)

AS_OF = dt.date(2018, 10, 1)


@pytest.fixture(scope="module")
def session() -> Session:
    """A session on the demo data, loaded and computed as the dashboard's workers do."""
    session = Session(load_config(None), as_of=AS_OF, today=dt.date(2026, 11, 25))
    events = list(session.refresh_cycle(RefreshRequest()))
    loaded = [e for e in events if isinstance(e, Loaded)]
    assert len(loaded) == 1
    as_of = session.accept_data(loaded[0])
    assert session.accept_figures(session.compute(as_of, session.next_compute()))
    return session


def test_a_refresh_cycle_reports_the_data_then_its_state() -> None:
    events = list(Session(load_config(None)).refresh_cycle(RefreshRequest()))
    assert [type(e) for e in events] == [Loaded, SourcesState]
    state = events[-1]
    assert isinstance(state, SourcesState)
    assert state.state == "fresh"


def test_the_default_jobcenter_and_the_requested_month_are_shown(session: Session) -> None:
    assert session.jobcenter_id == "06438"
    assert session.name_of("06438") == "Kreis Offenbach"
    assert session.figures is not None
    assert session.figures.as_of == AS_OF
    assert session.demo


def test_overview_tiles_carry_the_published_reference_figures(session: Session) -> None:
    overview = session.overview("en")
    assert overview is not None
    assert overview.name == "Kreis Offenbach"
    assert overview.facts == "HE · zkT · Comparison type IIb"
    tiles = {tile.key: tile for tile in overview.tiles}
    assert tiles["integrations"].figure == 4303  # the 12-month sum beside the month value
    assert (
        tile_text_line(tiles["integrations"], "en") == "Integrations 353; 12 months 4,303 (+2.0%)"
    )
    german = session.overview("de")
    assert german is not None
    lzb = next(tile for tile in german.tiles if tile.key == "long_term_recipients")
    assert (
        tile_text_line(lzb, "de")
        == "Langzeitleistungsbeziehende (LZB) 8.989 (Vorjahr 9.438, -4,8 %)"
    )
    assert tiles["k2"].kind == "rate"


def test_time_travel_steps_within_the_data(session: Session) -> None:
    assert session.stepped(-1) == dt.date(2018, 9, 1)
    assert session.stepped(+1) is None  # October 2018 is the latest month


def test_only_the_newest_compute_request_is_taken(session: Session) -> None:
    assert session.data is not None
    shown = session.figures
    old = session.compute(dt.date(2018, 5, 1), session.months.seq - 1)
    assert not session.accept_figures(old)
    assert session.figures is shown


def test_header_state_after_failures_keeps_the_data_stale(session: Session) -> None:
    since = dt.datetime(2026, 11, 25, 9, 0)
    assert session.shown_state(SourcesState("stale", "timeout", since, 30.0)) == (
        "stale",
        "timeout",
        since,
    )
    assert session.failure_state("boom")[:2] == ("stale", "boom")
    fresh = Session(load_config(None))
    assert fresh.failure_state("boom") == ("error", "boom", None)  # nothing to show yet
    assert fresh.shown_state(SourcesState("fresh", "", since, None)) is None


def test_a_source_that_is_gone_fails_without_data(tmp_path: Path) -> None:
    config = load_config(None).with_source(str(tmp_path / "gone.csv"))
    events = list(Session(config).refresh_cycle(RefreshRequest()))
    assert isinstance(events[0], RefreshFailed)
    assert "gone.csv" in events[0].reason


def test_refresh_requests_that_come_while_one_runs_are_merged() -> None:
    queue = RefreshQueue()
    assert queue.put(RefreshRequest(force=False, only=frozenset({"a"})))  # start a worker
    assert not queue.put(RefreshRequest(force=False, only=frozenset({"b"})))  # merged
    assert not queue.put(RefreshRequest(force=True, only=frozenset({"c"}), from_cache=True))
    assert queue.take() == RefreshRequest(True, frozenset({"a", "b", "c"}), True)
    assert queue.take() is None  # done: the next request starts a worker again
    assert queue.put(RefreshRequest())


def test_as_of_month_is_parsed_and_checked_once() -> None:
    assert parse_month("2018-07") == dt.date(2018, 7, 1)
    for bad in ("2018-13", "07/2018", "2018-7"):
        with pytest.raises(JctuiError, match="--at: expected a month as YYYY-MM"):
            parse_month(bad)
    periods = [dt.date(2018, m, 1) for m in range(1, 11)]
    with pytest.raises(
        JctuiError, match=r"--at 2019-01: not in the data \(periods 2018-01 to 2018-10\)"
    ):
        check_as_of(periods, dt.date(2019, 1, 1))
    assert step_as_of(periods, dt.date(2018, 1, 1), -5) is None  # clamped at the first month
    assert step_as_of(periods, dt.date(2018, 3, 1), 100) == dt.date(2018, 10, 1)


def test_the_primary_rule_withholds_1_and_2_and_zero_only_when_configured() -> None:
    counts = SmallCounts(3)
    assert [counts.hides(v) for v in (0, 1, 2, 2.5, 3, -1)] == [
        False,
        True,
        True,
        True,
        False,
        False,
    ]
    assert SmallCounts(3, include_zero=True).hides(0)
    assert not SmallCounts(0).hides(1)  # 0: off
    assert not counts.hides(None)
    assert not counts.hides(float("nan"))
    assert counts.fmt(2, "de", withheld=True) == "*"
    assert counts.fmt(1234, "de") == "1.234"
    assert counts.fmt_count(2, "de") == "*"
    assert counts.fmt_count(0, "de") == "0"
    assert counts.fmt(None, "en") == counts.fmt(float("nan"), "en") == "–"


def test_headline_is_the_12_month_sum_of_a_flow_and_the_level_of_a_stock() -> None:
    assert headline_field("flow") == "window_sum"
    assert headline_field("stock") == "value"


def test_a_url_source_is_labelled_without_credentials_or_query() -> None:
    from jctui.config import SourceDef
    from jctui.model import empty_registry, empty_values
    from jctui.readers import ReadResult
    from jctui.session.load import combine

    source = SourceDef(name="cli", url="https://user:pw@api.example.org:8443/v1/x?api_key=s3cr3t")
    dataset = combine([ReadResult(values=empty_values(), registry=empty_registry())], [source])
    assert dataset.source_label == "https://api.example.org:8443/v1/x"


def test_the_copied_line_is_inert_whatever_the_name_holds(session: Session) -> None:
    from jctui.presentation.tiles import copy_line

    overview = session.overview("en")
    assert overview is not None
    hostile = "Kreis \x1b]52;c;ZXZpbA==\x07Offenbach\u202e"
    line = copy_line(hostile, "October 2018", overview.tiles[0], "en", demo=True)
    assert line == (
        "Kreis ?]52;c;ZXZpbA==?Offenbach?, October 2018: Integrations 353; 12 months 4,303 "
        "(+2.0%) (Demo data, synthetic figures)"
    )
    assert session.copy_line(overview.tiles[0], "en") == line.replace(
        "Kreis ?]52;c;ZXZpbA==?Offenbach?", "Kreis Offenbach"
    )


def test_a_value_the_publisher_withheld_shows_as_a_star_on_its_tile(tmp_path: Path) -> None:
    from tests.unit.test_published import KEY_FIGURES

    path = tmp_path / "kennzahlen-201807.csv"
    # Vorpommern-Greifswald's LZB stock withheld in the table
    path.write_bytes(KEY_FIGURES.replace("12.000;*;5.000;", "12.000;*;*;").encode("cp1252"))
    config = load_config(None).with_source(str(path))
    session = Session(config, as_of=dt.date(2018, 7, 1), today=dt.date(2018, 10, 1))
    loaded = [e for e in session.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
    as_of = session.accept_data(loaded[0])
    assert session.accept_figures(session.compute(as_of, session.next_compute()))
    session.choose("03002")
    overview = session.overview("en")
    assert overview is not None
    tile = {t.key: t for t in overview.tiles}["long_term_recipients"]
    assert tile.shown("value", "en") == "*"
    assert tile_text_line(tile, "en").startswith("Long-term recipients (LZB) * ")


def test_the_neighbouring_months_are_prepared_ahead_and_dropped_with_new_data() -> None:
    """After a month is shown, [ and ] find their figures ready (the same ones a fresh
    computation gives); new data drops them, so no step shows figures of the old data."""
    session = Session(load_config(None), as_of=dt.date(2018, 6, 1), today=dt.date(2026, 11, 25))
    (loaded,) = [e for e in session.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
    as_of = session.accept_data(loaded)
    assert session.accept_figures(session.compute(as_of, session.next_compute()))
    session.prefetch()
    # May and July, and April: the month a step to May compares with (its attention line)
    assert sorted(session.months.prepared) == [dt.date(2018, m, 1) for m in (4, 5, 6, 7)]
    before, after = (
        session.months.prepared[dt.date(2018, 5, 1)],
        session.months.prepared[dt.date(2018, 7, 1)],
    )

    stepped = session.compute(session.stepped(-1), session.next_compute())
    assert stepped.figures is before[0]  # taken, not computed again
    fresh = Session(load_config(None), as_of=dt.date(2018, 5, 1))
    fresh.accept_data(loaded)
    keys = ["jobcenter_id", "metric"]  # group means are sums in parallel: equal to 1e-12
    assert_frame_equal(
        stepped.figures.metrics.sort(keys),
        fresh.compute(dt.date(2018, 5, 1), 1).figures.metrics.sort(keys),
        check_exact=False,
    )
    assert session.compute(dt.date(2018, 7, 1), session.next_compute()).figures is after[0]

    session.accept_data(Loaded(loaded.dataset, loaded.engine, loaded.jobcenters, {}, []))
    assert session.months.prepared == {}


def test_the_jobcenters_the_config_names_are_found_while_loading() -> None:
    """The kiosk's pages name Jobcenters by text; they are looked up in the load (worker),
    so a page turn runs no search on the UI thread, and a query that fits none says so."""
    from jctui.config.loading import parse_config

    config = parse_config(
        {
            "default_jobcenter": "Offenbach",
            "kiosk": {
                "playlist": [
                    {"view": "overview", "jobcenter": "darmstadt-dieburg"},
                    {"view": "chart", "jobcenters": ["Kreis Offenbach", "Nirgendwo"]},
                ]
            },
        }
    )
    session = Session(config)
    (loaded,) = [e for e in session.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
    assert loaded.matches == {
        "Offenbach": "06438",
        "darmstadt-dieburg": "06898",
        "Kreis Offenbach": "06438",
        "Nirgendwo": None,
    }
    session.accept_data(loaded)
    assert session.first_match("darmstadt-dieburg") == "06898"
    with pytest.raises(LookupError):
        session.first_match("Nirgendwo")


def test_a_read_that_changes_only_the_targets_is_new_data() -> None:
    """An edited targets file (or only the publisher's signs, or the aggregates) is a change
    the screen must take in, not 'no new data'."""
    from dataclasses import replace

    import polars as pl

    from jctui.model import AGGREGATE_SCHEMA
    from jctui.session.load import load_dataset
    from jctui.session.session import same_data

    dataset = load_dataset(load_config(None))
    assert not dataset.targets.is_empty()
    assert same_data(dataset, replace(dataset))
    assert not same_data(dataset, replace(dataset, targets=dataset.targets.head(1)))
    hessen = pl.DataFrame(
        {"jobcenter_id": ["06"], "period": [dt.date(2018, 10, 1)], "metric": ["elb"],
         "value": [300000.0], "name": ["Hessen"]},
        schema=AGGREGATE_SCHEMA,
    )  # fmt: skip
    assert not same_data(dataset, replace(dataset, aggregates=hessen))


def test_the_chosen_and_my_jobcenter_are_kept_once_and_survive_new_data() -> None:
    """`choose` shows a Jobcenter; `make_mine` makes it the user's, and a new load (which
    no longer has the shown one) falls back to it, not to the configured default."""
    session = Session(load_config(None), as_of=AS_OF)
    (loaded,) = [e for e in session.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
    session.accept_data(loaded)
    assert session.jobcenter_id == "06438"  # default_jobcenter
    session.choose("06888")
    session.accept_data(loaded)  # the same data again: the choice stays
    assert session.jobcenter_id == "06888"
    session.make_mine("06888")
    assert session.my_jobcenter == "06888"
    session.choose("gone")  # not in the data: the next load shows the user's own
    session.accept_data(loaded)
    assert session.jobcenter_id == "06888"
    mine = Session(load_config(None), my_jobcenter="06888")  # kept from an earlier run
    mine.accept_data(loaded)
    assert mine.jobcenter_id == "06888"


def test_a_new_configuration_is_read_by_the_next_refresh(tmp_path: Path) -> None:
    session = Session(load_config(None))
    assert [type(e) for e in session.refresh_cycle(RefreshRequest())] == [Loaded, SourcesState]
    session.use_config(session.config.with_source(str(tmp_path / "gone.csv")))
    events = list(session.refresh_cycle(RefreshRequest()))
    failed = [e for e in events if isinstance(e, RefreshFailed)]
    assert failed, events
    assert "gone.csv" in failed[0].reason


def test_a_month_prepared_for_an_attention_line_alone_is_kept_small() -> None:
    """The month before a neighbour is prepared for the attention line of a step there: it
    keeps what that line reads, the line is the same as against the whole month, and a step
    to it shows it whole."""
    session = Session(load_config(None), as_of=dt.date(2018, 6, 1), today=dt.date(2026, 11, 25))
    (loaded,) = [e for e in session.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
    session.accept_data(loaded)
    session.choose("06438")
    assert session.accept_figures(session.compute(dt.date(2018, 6, 1), session.next_compute()))
    session.prefetch()
    april = session.months.prepared[dt.date(2018, 4, 1)][1]
    assert (april.compare_rows, april.sparks, april.target_rankings) == ([], {}, {})
    assert april.metrics
    may = dt.date(2018, 5, 1)
    assert session.accept_figures(session.compute(may, session.next_compute(may)))
    line = session.attention("en")
    assert line != ()
    shown = session.shown_figures()[0]
    whole = session.months.month(session.config, loaded, dt.date(2018, 4, 1), shown)[1]
    assert whole.compare_rows
    assert whole.for_attention() == april
    assert session.attention("en") == line  # now against the whole April
