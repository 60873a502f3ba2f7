"""HTTPS with a custom CA bundle (`http.ca_bundle`) against a real TLS server on 127.0.0.1.

No mocks: trustme makes a throwaway CA and a certificate for 127.0.0.1, the test server of
tests/httpserver.py listens behind that certificate, and httpx verifies it for real. The CA is
never in the default trust store (certifi), so without `ca_bundle` the fetch must fail.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import httpx
import pytest

from jctui.config import Config, HttpDef, SourceDef, load_config
from jctui.errors import SourceError
from jctui.session.refresh import Refresher
from jctui.sources.http import HttpSourceError, fetch_http
from tests.httpserver import TlsServer


@pytest.fixture
def server(tls_server: TlsServer) -> TlsServer:
    """The HTTPS test server of tests/functional/conftest.py."""
    return tls_server


@pytest.fixture
def ca_pem(tls_ca_pem: Path) -> Path:
    """The CA that signed the server certificate, as a PEM file (conftest)."""
    return tls_ca_pem


def source(server: TlsServer, ca_bundle: str = "") -> SourceDef:
    http = HttpDef(timeout=2.0, max_bytes=1_000_000, ca_bundle=ca_bundle)
    return SourceDef(name="api", url=server.url, records_path="data.items", http=http)


def config_for(src: SourceDef) -> Config:
    return dataclasses.replace(load_config(None), sources=(src,), checks=())


def refresher(src: SourceDef) -> Refresher:
    """The refresh path the app uses: one kept httpx client per source, then the readers."""
    return Refresher(config_for(src), now=lambda: 1000.0, use_cache=False)


def test_ca_bundle_makes_the_https_fetch_succeed(server: TlsServer, ca_pem: Path) -> None:
    """With the signing CA as `ca_bundle`, the HTTPS source is fetched and its rows read."""
    ref = refresher(source(server, str(ca_pem)))
    try:
        dataset, notices, changed = ref.refresh()
    finally:
        ref.close()
    assert ref.summary()[0] == "fresh", ref.summary()
    assert dataset is not None
    assert changed
    assert notices == []
    assert dataset.values.height == 24  # 2 Jobcenters x 12 months
    assert set(dataset.registry.get_column("name")) == {"Kreis A", "Stadt B"}
    assert [r["path"] for r in server.requests] == ["/data"]  # it really went over TLS


def test_without_ca_bundle_the_unknown_ca_is_a_clear_one_line_error(
    server: TlsServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Default verification rejects the private CA: a SourceError naming the URL, no traceback."""
    src = source(server)
    with pytest.raises(SourceError) as info:
        fetch_http(src)
    err = info.value
    message = str(err)
    assert isinstance(err, HttpSourceError)
    assert not isinstance(err, httpx.HTTPError)
    assert err.__cause__ is None
    assert err.__suppress_context__  # raised `from None`: no httpx/ssl chain in a traceback
    assert message.startswith(f"{server.url}: ")
    assert "\n" not in message
    assert "TLS certificate not trusted" in message
    assert "ca_bundle" in message  # says what to do about it
    assert "_ssl.c" not in message  # no OpenSSL internals
    assert len(server.requests) == 0  # refused during the handshake, before any HTTP request

    # the same through the app's refresh path: an error state with that reason, no crash
    caplog.set_level(logging.DEBUG)
    ref = refresher(src)
    try:
        dataset, notices, changed = ref.refresh()
    finally:
        ref.close()
    assert dataset is None
    assert not changed
    state, reason, _, _ = ref.summary()
    assert state == "error"
    assert reason.startswith(f"{server.url}: ")
    assert "certificate" in reason.lower()
    assert [n.kind for n in notices] == ["failure"]
    assert "failed unexpectedly" not in caplog.text  # handled as a JctuiError, not a surprise


def test_missing_ca_bundle_is_a_clear_error_naming_the_path(
    server: TlsServer, tmp_path: Path
) -> None:
    """A `ca_bundle` that does not exist: a one-line SourceError naming the path."""
    missing = tmp_path / "no-such-ca.pem"
    with pytest.raises(SourceError) as info:
        fetch_http(source(server, str(missing)))
    message = str(info.value)
    assert str(missing) in message
    assert "no such file" in message
    assert "\n" not in message
    assert len(server.requests) == 0


def test_a_file_that_is_not_a_ca_bundle_is_a_clear_error(server: TlsServer, tmp_path: Path) -> None:
    garbage = tmp_path / "ca.pem"
    garbage.write_text("not a certificate\n")
    with pytest.raises(SourceError, match="not a usable PEM CA bundle") as info:
        fetch_http(source(server, str(garbage)))
    assert str(garbage) in str(info.value)


def test_a_relative_ca_bundle_is_relative_to_the_config_file(tmp_path: Path) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    config = folder / "config.toml"
    config.write_text(
        '[[sources]]\nname = "api"\nurl = "https://127.0.0.1:1/x"\n'
        '[sources.http]\nca_bundle = "certs/ca.pem"\n'
    )
    loaded = load_config(str(config))
    assert loaded.sources[0].http.ca_bundle == str(folder / "certs" / "ca.pem")


def test_missing_ca_bundle_does_not_take_the_refresher_down(
    server: TlsServer, tmp_path: Path
) -> None:
    """Whatever the message, the app's refresh path survives a missing `ca_bundle`."""
    ref = refresher(source(server, str(tmp_path / "no-such-ca.pem")))
    try:
        dataset, notices, _ = ref.refresh()
    finally:
        ref.close()
    assert dataset is None
    assert ref.summary()[0] == "error"
    assert [n.kind for n in notices] == ["failure"]
    assert len(server.requests) == 0
