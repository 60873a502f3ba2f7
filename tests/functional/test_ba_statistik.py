"""The BA statistics API as a connector, against a stand-in on 127.0.0.1 (tests/ba_server).

What a user configures (README, "Live public sources"): `connector = "ba-statistik"`, the
table and the regions, with `base_url` and `regions_url` pointed at the stand-in. What they
check: `jctui show` gives the ELB as served, with one data request per region; `--offline`
answers from the cache afterwards; the CSV answer gives the same figures; a region the list
does not know, a region the API refuses and a slow answer are one line each.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from jctui.cli import main
from jctui.config import load_config
from jctui.errors import SourceError
from jctui.session.load import load_dataset
from jctui.session.refresh import Refresher
from jctui.sources.connectors import CONNECTORS, get
from tests.ba_server import BAServer, series

TABLE = "EckwerteZeitreiheGrusiDBL"


@pytest.fixture
def ba() -> Iterator[BAServer]:
    srv = BAServer()
    elb: dict[str, int | None] = {f"2017-{m:02d}": 15000 + m for m in range(1, 13)}
    elb.update({f"2018-{m:02d}": 16000 + m for m in range(1, 8)})
    elb["2017-07"], elb["2018-07"] = 15800, 16039
    srv.tables["Offenbach"] = series(elb)
    srv.tables["Offenbach am Main, Stadt"] = series({k: (v or 0) * 2 for k, v in elb.items()})
    yield srv
    srv.stop()


def write_config(
    tmp_path: Path, srv: BAServer, regions: str = '["Offenbach", "06413"]', extra: str = ""
) -> Path:
    path = tmp_path / "ba.toml"
    path.write_text(
        f'cache_dir = "{tmp_path / "cache"}"\n'
        "[[sources]]\n"
        'name = "ba"\n'
        'connector = "ba-statistik"\n'
        f'table = "{TABLE}"\n'
        f"regions = {regions}\n"
        f'base_url = "{srv.url}/bids"\n'
        f'regions_url = "{srv.url}/regions.js"\n' + extra,
        encoding="utf-8",
    )
    return path


def shown_elb(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict[str, object]:
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    jobcenter = out["jobcenters"][0]
    return {"id": jobcenter["id"], "name": jobcenter["name"], **jobcenter["metrics"]["elb"]}


@pytest.mark.parametrize("answer", ["json", "csv"])
def test_show_gives_the_elb_as_served_with_one_request_per_region_and_offline_after(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], answer: str
) -> None:
    config = write_config(tmp_path, ba, extra='format = "csv"\n' if answer == "csv" else "")
    args = ["show", "06438", "--config", str(config), "--format", "json"]
    elb = shown_elb(capsys, args)
    assert (elb["id"], elb["name"]) == ("06438", "Offenbach")
    assert (elb["value"], elb["value_prev_year"], elb["latest_period"]) == (
        16039.0,
        15800.0,
        "2018-07",
    )
    kind = "ct/v1/tableFetch/csv" if answer == "csv" else "pc/v1/tableFetch/dia"
    assert ba.paths("/bids/") == [
        f"/bids/{kind}/{TABLE}?Kreis=Offenbach",
        f"/bids/{kind}/{TABLE}?Kreis=Offenbach+am+Main%2C+Stadt",
    ]
    assert ba.paths("/regions.js") == ["/regions.js"]
    ba.stop()  # nothing answers any more: the offline cache does
    assert shown_elb(capsys, [*args, "--offline"])["value"] == 16039.0


def test_the_region_list_is_fetched_once_a_day(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, ba)
    args = ["show", "06438", "--config", str(config), "--format", "json"]
    shown_elb(capsys, args)
    shown_elb(capsys, args)
    assert len(ba.paths("/regions.js")) == 1
    assert len(ba.paths("/bids/")) == 4  # one request per region and refresh


def test_a_region_not_in_the_list_is_one_line_naming_it_and_the_closest(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, ba, regions='["Offenbak"]')
    assert main(["show", "06438", "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip()
    assert "region 'Offenbak' is not in the BA's list; closest: Offenbach" in err
    assert "\n" not in err
    assert "Traceback" not in err
    assert ba.paths("/bids/") == []


def test_a_region_the_api_refuses_and_a_slow_answer_are_one_line(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    del ba.tables["Offenbach"]  # in the list, but the API refuses it
    config = write_config(tmp_path, ba)
    assert main(["show", "06438", "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip()
    assert f"{ba.url}/bids/pc/v1/tableFetch/dia/{TABLE}: HTTP 400 Bad Request" in err
    assert "the API refused Kreis 'Offenbach'; closest: Offenbach am Main, Stadt" in err
    assert "Kreis=" not in err
    assert "\n" not in err
    ba.delay = 1.5
    slow = write_config(tmp_path, ba, extra="[sources.http]\ntimeout = 0.5\n")
    assert main(["show", "06438", "--config", str(slow)]) == 2
    err = capsys.readouterr().err.strip()
    assert "timed out after 0.5 s" in err
    assert "\n" not in err


def test_each_region_is_asked_for_on_the_level_the_list_gives_and_a_state_is_an_aggregate(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elb = {f"2018-{m:02d}": 16000 + m for m in range(1, 8)}
    ba.tables["Hessen"] = series({k: v * 20 for k, v in elb.items()})
    ba.tables[("Agentur für Arbeit", "Offenbach")] = series({k: v * 2 for k, v in elb.items()})
    regions = '["Offenbach", "06413", "Hessen", "Agentur für Arbeit=Offenbach"]'
    config = write_config(tmp_path, ba, regions=regions)
    assert main(["show", "06438", "--config", str(config), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["jobcenters"][0]["metrics"]["elb"]["value"] == (
        16039.0
    )  # "Offenbach" is the Kreis, the Agentur of that name only when asked for as one
    assert ba.paths("/bids/") == [
        f"/bids/pc/v1/tableFetch/dia/{TABLE}?Kreis=Offenbach",
        f"/bids/pc/v1/tableFetch/dia/{TABLE}?Kreis=Offenbach+am+Main%2C+Stadt",
        f"/bids/pc/v1/tableFetch/dia/{TABLE}?Bundesland=Hessen",
        f"/bids/pc/v1/tableFetch/dia/{TABLE}?Agentur+f%C3%BCr+Arbeit=Offenbach",
    ]
    dataset = load_dataset(load_config(str(config)))
    assert sorted(dataset.registry.select("jobcenter_id", "name").rows()) == [
        ("06413", "Offenbach am Main, Stadt"),
        ("06438", "Offenbach"),
        ("945000000000", "Agentur für Arbeit Offenbach"),
    ]  # the state is no Jobcenter
    hessen = dataset.aggregates.filter(pl.col("jobcenter_id") == "06")
    assert set(hessen.get_column("name")) == {"Hessen"}
    assert hessen.get_column("value").max() == 16007 * 20


def test_a_name_asked_for_on_a_level_the_list_does_not_give_is_refused(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, ba, regions='["Bundesland=Offenbach"]')
    assert main(["show", "06438", "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip()
    assert "region 'Bundesland=Offenbach' is not in the BA's list; closest: Offenbach" in err
    assert ba.paths("/bids/") == []


def test_connectors_are_registered_like_readers() -> None:
    connector = get("ba-statistik")
    assert connector.name == "ba-statistik"
    assert "table" in connector.keys
    assert set(CONNECTORS) == {"ba-statistik"}
    with pytest.raises(SourceError, match="connector 'nope' is not known"):
        get("nope")


def test_a_dashboard_keeps_the_last_good_data_when_the_api_fails(
    ba: BAServer, tmp_path: Path
) -> None:
    config = load_config(str(write_config(tmp_path, ba)))
    clock = [0.0]
    refresher = Refresher(config, now=lambda: clock[0])
    try:
        dataset, _, changed = refresher.refresh(force=True)
        assert dataset is not None
        assert changed
        good = dataset.values
        dataset, _, changed = refresher.refresh(force=True)  # the same answers: nothing new
        assert not changed
        del ba.tables["Offenbach am Main, Stadt"]  # now refused
        dataset, notices, changed = refresher.refresh(force=True)
        assert dataset is not None
        assert dataset.values.equals(good)
        state = refresher.states["ba"]
        assert state.state == "stale"
        assert "HTTP 400 Bad Request" in state.reason
        assert state.next_due > clock[0]  # retried after a backoff
        assert [n.kind for n in notices] == ["failure"]
    finally:
        refresher.close()


def test_a_metric_name_the_catalogue_lacks_is_a_figure_of_its_own_listed_by_check(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        (month, {**values, "Bedarfsgemeinschaften (BG)": 10512, "Quote\u202e SGB II": 6.4})
        for month, values in ba.tables["Offenbach"]
    ]
    ba.tables["Offenbach"] = ba.tables["Offenbach am Main, Stadt"] = rows
    config = write_config(tmp_path, ba)
    assert main(["check", "--config", str(config), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "bedarfsgemeinschaften_bg" in out.split("metrics:")[1].splitlines()[0]
    assert (
        "figures the catalogue lacks, read under their label: "
        "'Bedarfsgemeinschaften (BG)' (bedarfsgemeinschaften_bg), "
        "'Quote? SGB II' (quote_sgb_ii)"
    ) in out  # its label as given, made inert by the one sanitiser
    assert "\u202e" not in out
    assert main(["show", "06438", "--config", str(config), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)["jobcenters"][0]["metrics"]
    assert shown["bedarfsgemeinschaften_bg"]["value"] == 10512
