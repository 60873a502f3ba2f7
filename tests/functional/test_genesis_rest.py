"""A GENESIS table downloaded through GENESIS' REST API, against a real server on 127.0.0.1.

What a user configures: the `data/tablefile` URL, `method = "POST"`, the table request as
`form`, `auth = "genesis"` and the names of the variables holding the login. What they
check: the figures arrive, `--offline` answers from the cache, GENESIS' refusals are one
line naming the URL and what GENESIS said, and the password is nowhere: not in the output,
not in an error, not in the cache.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from jctui.cli import main
from jctui.config import load_config, redact_url
from jctui.errors import SourceError
from jctui.session.load import load_dataset
from tests.httpserver import LocalServer
from tests.unit.test_published import GENESIS_NEW

USER = "DE1234567X"
PASSWORD = "pa55-Wort_geheim"
PATH = "/genesisWS/rest/2020/data/tablefile"
FORM = {
    "name": "82111-0001",
    "area": "all",
    "compress": "false",
    "format": "ffcsv",
    "startyear": "2017",
    "language": "de",
}


@pytest.fixture(autouse=True)
def _login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENESIS_USER", USER)
    monkeypatch.setenv("GENESIS_PASSWORD", PASSWORD)


@pytest.fixture
def genesis(server: LocalServer) -> LocalServer:
    server.mode = "genesis"
    server.genesis_login = (USER, PASSWORD)
    server.genesis_table = GENESIS_NEW
    return server


def write_config(
    tmp_path: Path, url: str, form: dict[str, str] | None = None, extra: str = ""
) -> Path:
    """The config a user writes for a GENESIS table (README, "Reading the official
    publications"); its offline cache in tmp_path/cache."""
    fields = ", ".join(f'{k} = "{v}"' for k, v in (form or FORM).items())
    path = tmp_path / "genesis.toml"
    path.write_text(
        f'cache_dir = "{tmp_path / "cache"}"\n'
        "[[sources]]\n"
        'name = "genesis"\n'
        f'url = "{url}"\n'
        "[sources.http]\n"
        'method = "POST"\n'
        'auth = "genesis"\n'
        'username_env = "GENESIS_USER"\n'
        'password_env = "GENESIS_PASSWORD"\n'
        "timeout = 5\n"
        f"form = {{ {fields} }}\n" + extra,
        encoding="utf-8",
    )
    return path


def cache_bytes(tmp_path: Path) -> bytes:
    folder = tmp_path / "cache"
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files, "the offline cache was not written"
    return b"".join(p.read_bytes() for p in files)


@pytest.mark.parametrize(
    ("answer", "inner"),
    [("json", " (Object.Content)"), ("zip", "!82111-0001_flat.csv"), ("csv", "")],
)
def test_a_genesis_table_is_posted_with_the_login_in_headers_and_its_figures_read(
    genesis: LocalServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    answer: str,
    inner: str,
) -> None:
    genesis.genesis_answer = answer  # JSON with the CSV in Object.Content, the ZIP, the file
    config = write_config(tmp_path, genesis.origin + PATH)
    assert main(["check", "--config", str(config), "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    url = genesis.origin + PATH
    assert f"recognised: {url}{inner}: GENESIS flat file, 1 regions, metrics elb" in out
    assert f"missing:    {url}{inner}: 1 not available (x)" in out  # no bad row
    request = genesis.requests[-1]
    assert (request["method"], request["path"]) == ("POST", PATH)
    assert request["form"] == FORM
    assert request["headers"]["username"] == USER
    assert request["headers"]["password"] == PASSWORD
    assert "Authorization" not in request["headers"]
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    dataset = load_dataset(load_config(str(config)))
    elb = {
        (r["jobcenter_id"], f"{r['period']:%Y-%m}"): r["value"]
        for r in dataset.values.filter(pl.col("metric") == "elb").iter_rows(named=True)
    }
    assert elb == {("06438", "2018-07"): 15354.0, ("06438", "2017-12"): 0.0}
    assert main(["show", "06438", "--config", str(config), "--format", "json"]) == 0
    show_out, show_err = capsys.readouterr()
    shown = json.loads(show_out)["jobcenters"][0]
    assert shown["name"] == "Offenbach, Landkreis"
    for text in (out, err, show_out, show_err):
        assert PASSWORD not in text
    assert PASSWORD.encode() not in cache_bytes(tmp_path)


def test_offline_answers_from_the_cache_of_a_post_and_each_fetch_posts_again(
    genesis: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, genesis.origin + PATH)
    args = ["show", "06438", "--config", str(config), "--format", "json"]
    assert main([*args, "--offline"]) == 2
    assert "no offline cache for source 'genesis'" in capsys.readouterr().err
    assert main(args) == 0
    online = json.loads(capsys.readouterr().out)
    # a POST sends no validators (for a POST they mean 412, not 304): it asks again, whole
    assert main(args) == 0
    capsys.readouterr()
    assert [r["method"] for r in genesis.requests] == ["POST", "POST"]
    assert all(
        "If-None-Match" not in r["headers"] and "If-Modified-Since" not in r["headers"]
        for r in genesis.requests
    )
    genesis.mode, genesis.status = "status", 503
    assert main([*args, "--offline"]) == 0
    offline_out, offline_err = capsys.readouterr()
    offline = json.loads(offline_out)
    assert "offline cache of" in offline["source"]
    assert offline["jobcenters"] == online["jobcenters"]
    assert PASSWORD not in offline_out + offline_err
    assert PASSWORD.encode() not in cache_bytes(tmp_path)
    # another table at the same URL is another source: the cache of this one is not its
    other = write_config(tmp_path, genesis.origin + PATH, {**FORM, "name": "82111-0002"})
    assert main(["show", "06438", "--config", str(other), "--offline"]) == 2
    assert "no offline cache for source 'genesis'" in capsys.readouterr().err


def test_genesis_refusals_are_one_line_naming_the_url_and_what_genesis_said(
    genesis: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = genesis.origin + PATH + "?session=abc"  # a query is never shown
    config = write_config(tmp_path, url)
    args = ["show", "06438", "--config", str(config), "--format", "json"]
    assert main(args) == 0  # a good download first: the refusals must not replace it
    capsys.readouterr()
    # a wrong login, GENESIS' words carrying an escape sequence (set the window title)
    genesis.genesis_login = (USER, "another password")
    genesis.genesis_refusal = {
        "Code": -1,
        "Content": "Anmeldung fehlgeschlagen\x1b]2;pwned\x07\nzweite Zeile",
        "Type": "Fehler",
    }
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"jctui: error: {redact_url(url)}: GENESIS answer without a table ")
    assert "session=abc" not in err
    assert "(status -1: Anmeldung fehlgeschlagen?]2;pwned??zweite Zeile)" in err
    assert "\x1b" not in err
    assert "\x07" not in err
    assert PASSWORD not in err
    # a table GENESIS does not have
    genesis.genesis_login = (USER, PASSWORD)
    genesis.genesis_tables = set()
    assert main(args) == 2
    assert "(status 104: Kein passendes Objekt zu Suche)" in capsys.readouterr().err
    assert main(["show", "06438", "--config", str(config), "--offline"]) == 0  # still cached
    assert PASSWORD not in capsys.readouterr().out


def test_a_table_too_big_for_a_direct_answer_says_so(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.mode, server.genesis_login = "genesis", ("", "")  # every login refused ...
    server.genesis_refusal = {  # ... with GENESIS' "too big" status
        "Code": 98,
        "Content": "Die Tabelle ist zu groß. Ein Bearbeitungsauftrag wurde gestartet.",
        "Type": "Warnung",
    }
    config = write_config(tmp_path, server.origin + PATH)
    assert main(["check", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "(status 98: Die Tabelle ist zu groß. Ein Bearbeitungsauftrag wurde gestartet." in err
    assert "too big for a direct answer: ask for fewer years or regions" in err
    assert PASSWORD not in err


def test_the_login_headers_go_only_to_the_configured_origin(
    genesis: LocalServer, second_server: LocalServer, tmp_path: Path
) -> None:
    second_server.mode = "genesis"
    second_server.genesis_login = (USER, PASSWORD)
    second_server.genesis_table = GENESIS_NEW
    genesis.mode, genesis.location = "redirect", second_server.origin + PATH
    config = load_config(str(write_config(tmp_path, genesis.origin + PATH)))
    with pytest.raises(SourceError) as refused:
        load_dataset(config)
    assert f"redirect to another origin ({second_server.origin})" in str(refused.value)
    assert not second_server.requests
    allowed = write_config(
        tmp_path, genesis.origin + PATH, extra='allow_redirect_hosts = ["127.0.0.1"]\n'
    )
    for status, method, form in ((307, "POST", FORM), (302, "GET", None)):
        genesis.redirect_status = status
        with pytest.raises(SourceError, match="status -1: Anmeldung fehlgeschlagen"):
            load_dataset(load_config(str(allowed)))  # followed, without the login
        there = second_server.requests[-1]
        assert (there["method"], there["form"]) == (method, form)
        assert "password" not in {h.lower() for h in there["headers"]}
        assert "username" not in {h.lower() for h in there["headers"]}
        assert genesis.requests[-1]["headers"]["password"] == PASSWORD


def test_a_login_variable_that_is_no_header_value_is_refused_naming_the_variable(
    genesis: LocalServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GENESIS_PASSWORD", PASSWORD + "\r")  # an env file with Windows line ends
    config = write_config(tmp_path, genesis.origin + PATH)
    assert main(["check", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert (
        "sources.genesis.http.password_env: environment variable GENESIS_PASSWORD: the value "
        f"has a control character at position {len(PASSWORD) + 1}" in err
    )
    assert PASSWORD not in err
    assert not genesis.requests
    monkeypatch.delenv("GENESIS_PASSWORD")
    assert main(["check", "--config", str(config)]) == 2
    assert "GENESIS_USER and GENESIS_PASSWORD must be set" in capsys.readouterr().err


def test_a_post_that_trickles_ends_at_the_deadline(
    genesis: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    genesis.mode, genesis.delay = "trickle_body", 0.2
    config = write_config(tmp_path, genesis.origin + PATH, extra="deadline = 1.5\n")
    start = time.monotonic()
    assert main(["check", "--config", str(config)]) == 2
    assert time.monotonic() - start < 5
    err = capsys.readouterr().err
    assert "no complete answer within the deadline of 1.5 s" in err
    assert genesis.requests[-1]["method"] == "POST"
    assert PASSWORD not in err


def test_the_dashboard_keeps_the_last_table_when_genesis_refuses_and_logs_no_login(
    genesis: LocalServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from jctui.session.refresh import Refresher

    caplog.set_level(logging.DEBUG)  # httpx and httpcore too
    clock = [1000.0]
    ref = Refresher(
        load_config(str(write_config(tmp_path, genesis.origin + PATH))), now=lambda: clock[0]
    )
    good, _, changed = ref.refresh()
    assert good is not None
    assert changed
    genesis.genesis_login = (USER, "changed on the portal")
    clock[0] += 301
    dataset, notices, changed = ref.refresh()
    assert not changed
    assert dataset is not None
    assert dataset.values.equals(good.values)  # the last good table stays on screen
    state, reason, _, _ = ref.summary()
    assert state == "stale"
    assert "GENESIS answer without a table (status -1: Anmeldung fehlgeschlagen)" in reason
    assert [n.kind for n in notices] == ["failure"]
    everything = caplog.text + reason + repr(ref.states) + repr(notices) + repr(ref.clients)
    assert PASSWORD not in everything
    assert PASSWORD.encode() not in cache_bytes(tmp_path)
    ref.close()


def test_the_login_read_for_a_request_shows_in_no_repr(
    genesis: LocalServer, tmp_path: Path
) -> None:
    from jctui.sources.http import credentials

    src = load_config(str(write_config(tmp_path, genesis.origin + PATH))).sources[0]
    creds = credentials(src)
    assert creds.headers["password"] == PASSWORD
    assert PASSWORD not in repr(creds)
    assert USER not in repr(creds)


@pytest.mark.parametrize("answer", ["json", "csv"])
def test_a_refusal_that_echoes_the_login_shows_no_login(
    genesis: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], answer: str
) -> None:
    """A server that repeats the credentials it was sent in its refusal: `check`, `show`
    and the dashboard's banner (the same SourceError) print *** where they were."""
    genesis.genesis_answer = answer
    genesis.genesis_login = (USER, "another password")
    genesis.genesis_refusal = {
        "Code": -1,
        "Content": f"Anmeldung fehlgeschlagen für {USER} mit Passwort {PASSWORD}",
        "Type": "Fehler",
    }
    config = write_config(tmp_path, genesis.origin + PATH)
    for command in (["show", "06438"], ["check"]):
        assert main([*command, "--config", str(config)]) == 2
        out, err = capsys.readouterr()
        assert PASSWORD not in out + err
        assert USER not in out + err
        assert "für *** mit Passwort ***" in err
