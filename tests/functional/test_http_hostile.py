"""A misbehaving HTTP server, as an attacker or a broken proxy would run it (no mocks).

Real servers on 127.0.0.1: the source's own origin, a second origin (another port, or the
name localhost), and an HTTPS port (trustme). What is checked is what a user or an
operator could check: which server received the token, what the message says, how long a
fetch may take, and that the last good data stays.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import pytest

from jctui.config import Config, HttpDef, SourceDef, load_config
from jctui.session.refresh import Refresher
from jctui.sources.http import HttpSourceError, fetch_http
from tests.httpserver import LocalServer, TlsServer

TOKEN = "s3cr3t-t0ken-value"
API_KEY = "k3y-in-a-header"


@pytest.fixture(autouse=True)
def _token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JCTUI_TEST_TOKEN", TOKEN)


def source(url: str, **http: Any) -> SourceDef:
    base: dict[str, Any] = {
        "auth": "bearer",
        "token_env": "JCTUI_TEST_TOKEN",
        "headers": {"X-Api-Key": API_KEY},
        "timeout": 2.0,
        "max_bytes": 1_000_000,
    }
    return SourceDef(
        name="api", url=url, records_path="data.items", http=HttpDef(**{**base, **http})
    )


def config_for(src: SourceDef) -> Config:
    return dataclasses.replace(load_config(None), sources=(src,), checks=())


def credentials_seen(server: LocalServer) -> list[bool]:
    """Per request the server received: did it carry the token or the configured header?"""
    return ["Authorization" in r["headers"] or "X-Api-Key" in r["headers"] for r in server.requests]


# -- where the token goes ---------------------------------------------------------------------


def test_a_redirect_to_another_port_of_the_same_host_is_refused(
    server: LocalServer, second_server: LocalServer
) -> None:
    """Same host name, other port: another origin. The old host-only check sent it the token."""
    server.mode, server.location = "redirect", second_server.url
    with pytest.raises(HttpSourceError) as info:
        fetch_http(source(server.url))
    message = str(info.value)
    assert f"redirect to another origin ({second_server.origin})" in message
    assert "refused" in message
    assert len(second_server.requests) == 0
    assert TOKEN not in message


def test_a_redirect_to_an_allowed_host_is_followed_without_credentials(
    server: LocalServer, second_server: LocalServer
) -> None:
    """allow_redirect_hosts lets the fetch go on, but the token and headers stay at home."""
    other = f"http://localhost:{second_server.server_port}/data"
    server.mode, server.location = "redirect", other
    fetched = fetch_http(source(server.url, allow_redirect_hosts=("localhost",)))
    assert b"Kreis A" in fetched.data
    assert credentials_seen(server) == [True]  # the configured origin got them
    assert credentials_seen(second_server) == [False]  # the other one did not


def test_an_https_source_never_follows_a_redirect_to_http(
    tls_server: TlsServer, second_server: LocalServer, tls_ca_pem: Path
) -> None:
    """Not even to the same host listed in allow_redirect_hosts: nothing goes out in clear."""
    tls_server.mode, tls_server.location = "redirect", second_server.url
    src = source(tls_server.url, ca_bundle=str(tls_ca_pem), allow_redirect_hosts=("127.0.0.1",))
    with pytest.raises(HttpSourceError, match=r"redirect from https to http .* refused"):
        fetch_http(src)
    assert credentials_seen(tls_server) == [True]  # over TLS, to its own origin
    assert len(second_server.requests) == 0


@pytest.mark.parametrize(
    ("location", "problem"),
    [
        ("file:///etc/passwd", "must start with http:// or https://, got file:///etc/passwd"),
        ("http://127.0.0.1:99999/data", "the port is not a number"),
    ],
)
def test_a_redirect_to_an_unusable_url_is_refused(
    server: LocalServer, location: str, problem: str
) -> None:
    server.mode, server.location = "redirect", location
    with pytest.raises(HttpSourceError, match="redirect to an unusable URL refused") as info:
        fetch_http(source(server.url))
    assert problem in str(info.value)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("mode", "http"), [("paginate_body", {"next_path": "links.next"}), ("paginate_link", {})]
)
def test_a_next_page_link_to_another_origin_is_refused(
    server: LocalServer, second_server: LocalServer, mode: str, http: dict[str, object]
) -> None:
    """Body `next` and Link header alike: page 2 on another origin is refused with a reason."""
    server.mode, server.next_base = mode, second_server.origin
    second_server.mode = mode
    ref = Refresher(config_for(source(server.url, **http)), now=lambda: 1000.0, use_cache=False)
    dataset, _, _ = ref.refresh()
    assert dataset is None
    state, reason, _, _ = ref.summary()
    assert state == "error"
    assert f"next-page link to another origin ({second_server.origin}) refused" in reason
    assert len(second_server.requests) == 0
    assert TOKEN not in reason


@pytest.mark.parametrize(
    ("mode", "http"), [("paginate_body", {"next_path": "links.next"}), ("paginate_link", {})]
)
def test_a_next_page_link_to_an_allowed_host_gets_no_credentials(
    server: LocalServer, second_server: LocalServer, mode: str, http: dict[str, object]
) -> None:
    server.mode, server.next_base = mode, second_server.origin
    second_server.mode = mode  # its own next links are relative: they stay on its origin
    src = source(server.url, allow_redirect_hosts=("127.0.0.1",), **http)
    ref = Refresher(config_for(src), now=lambda: 1000.0, use_cache=False)
    dataset, _, _ = ref.refresh()
    assert dataset is not None, ref.summary()
    assert dataset.values.height == 24  # page 1 from home, pages 2 and 3 from the other origin
    assert credentials_seen(server) == [True]
    assert credentials_seen(second_server) == [False, False]


def test_same_origin_pages_all_carry_the_token(server: LocalServer) -> None:
    server.mode = "paginate_link"
    fetched = fetch_http(source(server.url))
    assert fetched.pages == 3
    assert credentials_seen(server) == [True, True, True]


def test_a_reason_phrase_from_the_server_does_not_reach_messages(server: LocalServer) -> None:
    """The server's own phrase is data (here with C1 controls, U+009B is CSI): the message
    carries the standard phrase of the status instead. (Header values with such bytes, a
    Location say, are refused by h11 as a malformed header before they get anywhere.)"""
    server.mode, server.status, server.reason = "status", 500, "\x9b31mBoom\x9b0m"
    with pytest.raises(HttpSourceError) as info:
        fetch_http(source(server.url))
    assert str(info.value).endswith("HTTP 500 Internal Server Error")
    server.mode, server.location = "redirect", "http://\x9b2Jevil.example/x"
    with pytest.raises(HttpSourceError, match="malformed header"):
        fetch_http(source(server.url))


def test_credentials_in_a_source_url_reach_no_output(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """check, show (table, JSON), export (JSON, CSV) and the error line of a failure."""
    from jctui.cli import main

    server.mode = "csv"
    url = f"http://alice:pw-S3CRET@127.0.0.1:{server.server_port}/data?api_key=Q-T0KEN"
    runs = [["check"], ["show", "Kreis A"], ["show", "Kreis A", "--format", "json"]]
    runs += [["export", "-o", str(tmp_path / "x.json")], ["export", "-o", str(tmp_path / "x.csv")]]
    shown = ""
    for argv in runs:
        assert main([*argv, "--source", url]) == 0
        shown += capsys.readouterr().out
    assert f'"source": "{server.url}"' in shown  # the JSON names the source, redacted
    shown += (tmp_path / "x.json").read_text() + (tmp_path / "x.csv").read_text()
    server.mode, server.status = "status", 500
    assert main(["check", "--source", url]) == 2
    shown += capsys.readouterr().err
    assert f"{server.url}: HTTP 500" in shown
    for secret in ("alice", "pw-S3CRET", "Q-T0KEN", "api_key"):
        assert secret not in shown
    assert server.requests[0]["headers"]["Authorization"].startswith("Basic ")  # yet used


# -- the deadline -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["trickle_body", "trickle_headers", "endless_chunked"])
def test_a_fetch_ends_at_its_deadline_however_the_server_trickles(
    server: LocalServer, mode: str
) -> None:
    """A byte every 0.1 s passes every per-read timeout (2 s); the deadline (1 s) still holds."""
    server.mode, server.delay = mode, 0.1
    started = time.monotonic()
    with pytest.raises(HttpSourceError) as info:
        fetch_http(source(server.url, deadline=1.0))
    elapsed = time.monotonic() - started
    assert "no complete answer within the deadline of 1 s" in str(info.value)
    assert 0.9 <= elapsed < 2.0


def test_the_deadline_holds_over_tls(tls_server: TlsServer, tls_ca_pem: Path) -> None:
    tls_server.mode, tls_server.delay = "trickle_headers", 0.1
    started = time.monotonic()
    with pytest.raises(HttpSourceError, match="within the deadline of 1 s"):
        fetch_http(source(tls_server.url, deadline=1.0, ca_bundle=str(tls_ca_pem)))
    assert time.monotonic() - started < 2.0


def test_the_deadline_covers_all_pages_together(server: LocalServer) -> None:
    """Three pages of 0.4 s each fit no deadline of 1 s, though each page alone would."""
    server.mode, server.pause = "paginate_link", 0.4
    with pytest.raises(HttpSourceError, match="within the deadline of 1 s"):
        fetch_http(source(server.url, deadline=1.0))
    assert len(server.requests) == 3


def test_refresh_after_the_deadline_keeps_the_last_good_data(server: LocalServer) -> None:
    ref = Refresher(config_for(source(server.url, deadline=1.0)), now=lambda: 1000.0)
    good, _, _ = ref.refresh()
    assert good is not None
    server.mode, server.delay = "trickle_body", 0.1
    dataset, notices, changed = ref.refresh(force=True)
    assert not changed
    assert dataset is not None
    assert dataset.values.equals(good.values)
    state, reason, _, _ = ref.summary()
    assert state == "stale"
    assert "within the deadline of 1 s" in reason
    assert [n.kind for n in notices] == ["failure"]


def write_config(tmp_path: Path, url: str, **http: object) -> Path:
    lines = ["[[sources]]", 'name = "api"', f'url = "{url}"', 'records_path = "data.items"']
    lines += ["[sources.http]", 'auth = "bearer"', 'token_env = "JCTUI_TEST_TOKEN"']
    lines += [f"{key} = {value}" for key, value in http.items()]
    path = tmp_path / "api.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("mode", ["trickle_body", "trickle_headers", "endless_chunked"])
@pytest.mark.parametrize("command", [["check"], ["show", "Kreis A"]])
def test_show_and_check_end_at_the_deadline_with_one_line(
    server: LocalServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    mode: str,
    command: list[str],
) -> None:
    from jctui.cli import main

    config = write_config(tmp_path, server.url, deadline=1, timeout=5)
    server.mode, server.delay = mode, 0.1
    started = time.monotonic()
    code = main([*command, "--config", str(config)])
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2
    assert elapsed < 3.0
    assert err.count("\n") == 1
    assert err.startswith(f"jctui: error: {server.url}: no complete answer within the deadline")


# -- reasons that say what happened -----------------------------------------------------------


def test_a_304_to_a_first_request_is_not_called_an_empty_file(server: LocalServer) -> None:
    server.mode = "not_modified"
    ref = Refresher(config_for(source(server.url)), now=lambda: 1000.0, use_cache=False)
    dataset, _, _ = ref.refresh()
    assert dataset is None
    state, reason, _, _ = ref.summary()
    assert state == "error"
    assert "304 Not Modified" in reason
    assert "no cached copy" in reason
    assert "empty" not in reason
    assert "If-None-Match" not in server.requests[0]["headers"]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("not_http", "not an HTTP response"), ("bad_header", "malformed header")],
)
def test_a_bad_reply_is_not_called_a_truncated_body(
    server: LocalServer, mode: str, expected: str
) -> None:
    server.mode = mode
    with pytest.raises(HttpSourceError) as info:
        fetch_http(source(server.url))
    message = str(info.value)
    assert expected in message
    assert "truncated" not in message
    assert "bytearray" not in message  # no bytes of the server's reply in the message


def test_a_short_body_is_still_called_truncated(server: LocalServer) -> None:
    server.mode = "truncated"
    with pytest.raises(HttpSourceError, match="truncated body"):
        fetch_http(source(server.url))
