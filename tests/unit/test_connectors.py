"""The BA connector's parsing (JSON cells, the CSV answer, the region list) and the
config keys of connector and URL-template sources, without a network."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jctui.config import parse_config
from jctui.errors import ConfigError, SourceError
from jctui.sources.connectors.ba_regions import Region, parse_regions, resolve
from jctui.sources.connectors.ba_statistik import csv_records, german_number, json_records
from tests.ba_server import region_js

BA = {"name": "ba", "connector": "ba-statistik", "table": "T", "regions": ["Offenbach"]}


def config_with(source: dict[str, Any]) -> None:
    parse_config({"sources": [source]})


def test_json_cells_use_value_and_show_value_only_for_a_sign() -> None:
    cells = [
        {"index": 0, "metricName": "Erwerbsfähige Leistungsberechtigte", "value": 16039,
         "showValue": "16.039", "attributes": {"0": {"DESC": "Juli 2018"}}},
        {"index": 1, "metricName": "Erwerbsfähige Leistungsberechtigte", "value": None,
         "showValue": "*", "attributes": {"0": {"DESC": "Juni 2018"}}},
        {"index": 2, "metricName": "X\x1b]2;t\x07", "value": None, "showValue": None,
         "attributes": {"0": {"DESC": "Mai 2018"}}},
        {"index": 3, "metricName": "Arbeitslose", "value": None, "showValue": "2.100",
         "attributes": {"0": {"DESC": "April 2018"}}},
        {"index": 4, "metricName": "Arbeitslose\x1b[2J", "value": "2.100", "showValue": "2.100",
         "attributes": {"0": {"DESC": "März 2018"}}},
    ]  # fmt: skip
    rows = list(json_records(json.dumps(cells).encode(), "here"))
    assert rows == [
        ("Juli 2018", "Erwerbsfähige Leistungsberechtigte", 16039),
        ("Juni 2018", "Erwerbsfähige Leistungsberechtigte", "*"),
        ("März 2018", "Arbeitslose?[2J", 2100.0),  # made inert; a number as text read German
    ]
    with pytest.raises(SourceError, match="here: invalid JSON"):
        list(json_records(b"[1,", "here"))


def test_the_csv_of_a_current_table_has_months_as_columns() -> None:
    text = (
        "Kreis:;Offenbach\nBerichtsmonat:;Februar 2026\nDatenstand:;\nHinweis:;\n\n"
        "Ausgewählte Merkmale;Februar 2026;Januar 2026;Februar 2025;"
        "Veränderung gegenüber Vorjahresmonat absolut;in %;\n"
        "Erwerbsfähige Leistungsberechtigte;16.039;15.990;15.800;239;1,5;\n"
        "Arbeitslose;*;2.100;2.000;-;-;\n\n"
        "© Statistik der Bundesagentur für Arbeit\n"
    )
    rows = list(csv_records(text.encode("cp1252"), "here"))
    assert ("Februar 2026", "Erwerbsfähige Leistungsberechtigte", 16039.0) in rows
    assert ("Februar 2025", "Erwerbsfähige Leistungsberechtigte", 15800.0) in rows
    assert ("Februar 2026", "Arbeitslose", "*") in rows
    assert len(rows) == 6  # the change columns are no months
    assert german_number("1,5") == 1.5


def test_the_region_list_and_an_unknown_region() -> None:
    regions = parse_regions(region_js(), "list")
    assert Region("Kreis", "064380000000", "Offenbach") in regions
    assert [r.ags for r in resolve(["Offenbach", "06413"], regions, "w")] == ["06438", "06413"]
    with pytest.raises(SourceError, match="w: region 'Ofenbach' is not in the BA's list; closest"):
        resolve(["Ofenbach"], regions, "w")
    with pytest.raises(SourceError, match="list: not the BA's region list"):
        parse_regions(b"<html>", "list")
    entry = {"formValues": {"Filtername": "Kreis", "BA_SCHL": "064380000000", "DESC": "Offenbach"}}
    lists = json.dumps({"a": [entry], "b": [entry]})  # the Kreis list twice, as the BA has it
    twice = f"var persistListenfelderJSON = {lists};".encode()
    assert parse_regions(twice, "list") == [Region("Kreis", "064380000000", "Offenbach")]


def test_connector_keys_are_checked() -> None:
    config_with(BA)
    with pytest.raises(ConfigError, match=r"sources\[0\].table: required with connector"):
        config_with({**BA, "table": ""})
    with pytest.raises(ConfigError, match=r"sources\[0\]: a connector source has no 'path'"):
        config_with({**BA, "url": "https://x.example/a"})
    with pytest.raises(ConfigError, match=r"sources\[0\].format: a connector answers"):
        config_with({**BA, "format": "xlsx"})
    with pytest.raises(ConfigError, match=r"sources\[0\].regions_url: must start with http"):
        config_with({**BA, "regions_url": "ftp://x"})
    with pytest.raises(ConfigError, match=r"sources\[0\].table: only with connector"):
        config_with({"name": "f", "path": "x.csv", "table": "T"})


def test_template_keys_are_checked() -> None:
    config_with({"name": "t", "url": "https://x.example/K-{yyyymm}.csv", "months": "2017-07"})
    with pytest.raises(ConfigError, match=r"sources\[0\].months: expected YYYY-MM"):
        config_with({"name": "t", "url": "https://x.example/{yyyy}.csv", "months": "2017"})
    with pytest.raises(ConfigError, match=r"sources\[0\].months: needs a url with a month"):
        config_with({"name": "t", "url": "https://x.example/K.csv", "months": "2017-07"})


def test_the_configs_the_readme_shows_are_accepted() -> None:
    import tomllib
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Live public sources", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```toml\n")[1:]]
    assert len(blocks) == 2
    ba, template = (parse_config(tomllib.loads(b)).sources[0] for b in blocks)
    assert (ba.connector, ba.table, ba.regions) == (
        "ba-statistik",
        "EckwerteZeitreiheGrusiDBL",
        ("Offenbach", "06413", "Hessen"),
    )
    assert (template.months, "{month_de}" in template.url) == ("2017-07", True)


def test_a_connector_sends_no_login_in_clear_text_to_another_host() -> None:
    http = {"auth": "bearer", "token_env": "BA_TOKEN"}
    config_with({**BA, "base_url": "http://127.0.0.1:8080/bids", "http": http})
    with pytest.raises(ConfigError, match=r"sources\[0\].http.auth: .* clear text over http://"):
        config_with({**BA, "base_url": "http://mirror.example/bids", "http": http})
