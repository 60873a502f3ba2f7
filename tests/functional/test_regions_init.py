"""`jctui regions` and `jctui init` against the BA stand-in on 127.0.0.1 (tests/ba_server).

The names come from the BA's list (served as JavaScript), fetched or the copy kept; with
neither, the commands say so and how to get one. `init` writes a config that loads and
answers, and never overwrites a file without --force.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from jctui.cli import main
from jctui.config import load_config
from jctui.sources.connectors.ba_regions import parse_regions
from jctui.views.comparison import region_of
from tests.ba_server import BAServer, region_js, series
from tests.published_tables import key_figure_table


@pytest.fixture
def ba() -> Iterator[BAServer]:
    srv = BAServer()
    elb: dict[str, int | None] = {f"2017-{m:02d}": 15000 + m for m in range(1, 13)}
    elb.update({f"2018-{m:02d}": 16000 + m for m in range(1, 8)})
    names = ("Offenbach", "Offenbach am Main, Stadt", "Frankfurt am Main, Stadt", "Hessen")
    for name in (*names, "München, Landeshauptstadt"):
        srv.tables[name] = series(elb)
    yield srv
    srv.stop()


def cache_config(tmp_path: Path) -> Path:
    path = tmp_path / "base.toml"
    path.write_text(
        f'cache_dir = "{tmp_path / "cache"}"\n[[sources]]\nname = "x"\npath = "x.csv"\n',
        encoding="utf-8",
    )
    return path


def test_regions_lists_the_bas_names_and_keeps_the_list(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--config", str(cache_config(tmp_path)), "--regions-url", f"{ba.url}/regions.js"]
    assert main(["regions", "offenbach", *base]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "06438  Offenbach",
        "06413  Offenbach am Main, Stadt",
        "945000000000  Agentur für Arbeit=Offenbach",  # as a config names it
    ]
    assert main(["regions", *base]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 6  # the Kreise, then the others
    assert main(["regions", "hess", *base]) == 0
    assert capsys.readouterr().out == "06  Bundesland=Hessen\n"
    assert main(["regions", "offenbak", *base]) == 1
    assert "no region matches 'offenbak'; closest: Offenbach" in capsys.readouterr().out
    ba.stop()
    assert main(["regions", "064", *base, "--offline"]) == 0  # the copy kept
    assert len(ba.paths("/regions.js")) == 1


def test_without_a_list_regions_says_how_to_get_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--config", str(cache_config(tmp_path)), "--regions-url", "http://127.0.0.1:9/r.js"]
    assert main(["regions", *base, "--offline"]) == 2
    err = capsys.readouterr().err.strip()
    assert "no copy of the BA's region list (http://127.0.0.1:9/r.js)" in err
    assert "run `jctui regions` once online" in err
    assert main(["regions", *base]) == 2
    err = capsys.readouterr().err.strip()
    assert "could not be fetched and no copy is kept" in err
    assert "\n" not in err


def test_init_writes_a_config_that_answers_and_never_overwrites(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "ba.toml"
    args = [
        "init", "--jobcenter", "Kreis Offenbach", "-o", str(target),
        "--config", str(cache_config(tmp_path)),
        "--regions-url", f"{ba.url}/regions.js", "--base-url", f"{ba.url}/bids",
    ]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"wrote {target} for Offenbach (06438)" in out
    assert "the comparison types are not known: jctui has no list of them" in out
    assert "Pass --types FILE_OR_URL" in out
    text = target.read_text("utf-8")
    assert 'default_jobcenter = "06438"' in text
    config = load_config(str(target))
    assert config.sources[0].connector == "ba-statistik"
    assert config.sources[0].regions == (  # no types: the Kreise of its state, and the state
        "Offenbach",
        "Frankfurt am Main, Stadt",
        "Offenbach am Main, Stadt",
        "Bundesland=Hessen",
    )
    assert "# the others of its comparison type: not known (see above)" in text
    assert main(["show", "06438", "--config", str(target), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)["jobcenters"][0]
    assert shown["metrics"]["elb"]["value"] == 16007.0
    target.write_text("# mine\n", encoding="utf-8")
    assert main(args) == 2
    assert "exists; not overwritten (use --force" in capsys.readouterr().err
    assert target.read_text("utf-8") == "# mine\n"
    assert main([*args, "--force"]) == 0
    assert "ba-statistik" in target.read_text("utf-8")


def init_args(ba: BAServer, tmp_path: Path, target: Path, config: Path) -> list[str]:
    return [
        "init", "--jobcenter", "Kreis Offenbach", "-o", str(target), "--config", str(config),
        "--regions-url", f"{ba.url}/regions.js", "--base-url", f"{ba.url}/bids",
    ]  # fmt: skip


def test_init_adds_the_others_of_the_comparison_type_from_a_key_figure_table(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "kennzahlen-201710.csv"
    table.write_bytes(key_figure_table(3))  # Offenbach, Offenbach (Stadt), München: IIb
    target = tmp_path / "ba.toml"
    args = [*init_args(ba, tmp_path, target, cache_config(tmp_path)), "--types", str(table)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"comparison type IIb from {table}: 2 others in the config" in out
    text = target.read_text("utf-8")
    assert "# the others of its comparison type, IIb:" in text
    assert '    # "Frankfurt am Main, Stadt",' in text  # of its state, not of its type
    config = load_config(str(target))
    assert config.sources[0].regions == (
        "Offenbach",
        "München, Landeshauptstadt",
        "Offenbach am Main, Stadt",
        "Bundesland=Hessen",
    )  # not Vorpommern-Greifswald (IIIa)
    assert (tmp_path / "ba-types.csv").read_text("utf-8").splitlines() == [
        "jobcenter_id,name,comparison_type",
        "06438,Offenbach,IIb",
        '09162,"München, Landeshauptstadt",IIb',
        '06413,"Offenbach am Main, Stadt",IIb',
    ]  # copied from the table, by the AGS and name of the BA's figures
    assert main(["show", "06438", "--config", str(target), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)["jobcenters"][0]
    assert (shown["comparison_type"], shown["metrics"]["elb"]["value"]) == ("IIb", 16007.0)
    assert shown["metrics"]["elb"]["group_rank_of"] == 3  # ranked within its type
    assert len(ba.paths("/bids/")) == 4  # one request per region
    assert main(args) == 2  # neither file is overwritten without --force
    assert "ba.toml: exists; not overwritten" in capsys.readouterr().err
    target.unlink()
    assert main(args) == 2
    assert "ba-types.csv: exists; not overwritten" in capsys.readouterr().err
    assert not target.exists()


def test_init_takes_the_types_from_the_kept_copy_of_a_configured_source(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ba.months["K-Juli-2017.csv"] = key_figure_table(0)
    ba.months["K-August-2017.csv"] = key_figure_table(1)
    mine = tmp_path / "mine.toml"
    mine.write_text(
        f'cache_dir = "{tmp_path / "cache"}"\n[[sources]]\nname = "kennzahlen"\n'
        f'url = "{ba.url}/monthly/K-{{month_de}}-{{yyyy}}.csv"\nmonths = "2017-07"\n',
        encoding="utf-8",
    )
    assert main(["refresh", "--config", str(mine)]) == 0  # fetched once, kept
    capsys.readouterr()
    ba.months.clear()  # init reads the copy kept, downloads nothing
    asked = len(ba.requests)
    target = tmp_path / "ba.toml"
    assert main(init_args(ba, tmp_path, target, mine)) == 0
    assert "comparison type IIb from source 'kennzahlen' of the config" in capsys.readouterr().out
    assert '"München, Landeshauptstadt",' in target.read_text("utf-8")
    assert [p for p, _ in ba.requests[asked:] if "/monthly/" in p] == []
    bad = [*init_args(ba, tmp_path, target, mine), "--force", "--types", str(tmp_path / "no.csv")]
    assert main(bad) == 2
    err = capsys.readouterr().err.strip()
    assert "no.csv" in err
    assert "\n" not in err
    assert "München" in target.read_text("utf-8")  # not overwritten: nothing written


def test_init_names_the_candidates_of_an_unclear_jobcenter(
    ba: BAServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "init", "-o", str(tmp_path / "x.toml"), "--config", str(cache_config(tmp_path)),
        "--regions-url", f"{ba.url}/regions.js", "--jobcenter",
    ]  # fmt: skip
    assert main([*args, "Main"]) == 2
    err = capsys.readouterr().err
    assert "matches several: Offenbach am Main, Stadt (06413), Frankfurt am Main, Stadt" in err
    assert main([*args, "Offenbak"]) == 2
    assert "'Offenbak' is not in the BA's list; closest: Offenbach" in capsys.readouterr().err
    assert not (tmp_path / "x.toml").exists()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_init_asks_for_the_jobcenter_on_a_terminal(
    ba: BAServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("06413\n"))
    target = tmp_path / "asked.toml"
    args = ["init", "-o", str(target), "--config", str(cache_config(tmp_path))]
    assert main([*args, "--regions-url", f"{ba.url}/regions.js"]) == 0
    assert 'default_jobcenter = "06413"' in target.read_text("utf-8")


def test_a_tables_jobcenter_is_matched_to_the_list_by_name_before_a_number() -> None:
    regions = parse_regions(region_js(), "regions.js")
    offenbach = next(r for r in regions if r.level == "Kreis" and r.name == "Offenbach")
    assert region_of("45108", "Offenbach, JC", regions) == offenbach  # a Jobcenter number
    assert region_of("06438", "Kreis Offenbach", regions) == offenbach
    assert region_of("06438", "Kreis Offenbach (Pro Arbeit)", regions) == offenbach  # by AGS
    assert region_of("06413", "Vorpommern-Greifswald", regions) is None  # a number, not an AGS
