"""Fixtures shared by the functional tests: real servers on 127.0.0.1 (no mocks), and the
heap frozen before each test's apps start."""

from __future__ import annotations

import gc
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.httpserver import LocalServer, TlsServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1, stopped after the test."""
    srv = LocalServer()
    yield srv
    srv.stop()


@pytest.fixture
def second_server() -> Iterator[LocalServer]:
    """Another origin: the same kind of server on another port of 127.0.0.1."""
    srv = LocalServer()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def tls_ca() -> trustme.CA:
    """A throwaway CA, never in any trust store."""
    return trustme.CA()


@pytest.fixture
def tls_server(tls_ca: trustme.CA) -> Iterator[TlsServer]:
    """The test server behind HTTPS with a certificate for 127.0.0.1 signed by `tls_ca`."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert("127.0.0.1").configure_cert(context)
    srv = TlsServer(context)
    yield srv
    srv.stop()


@pytest.fixture
def tls_ca_pem(tls_ca: trustme.CA, tmp_path: Path) -> Path:
    """`tls_ca` as a PEM file, for `ca_bundle`."""
    path = tmp_path / "test-ca.pem"
    tls_ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture(autouse=True)
def frozen_heap() -> Iterator[None]:
    """The heap frozen before the app starts, as `jctui serve`'s warm parent leaves it: the
    app (HeapFreezer) then skips the full collection at its first figures. In a dashboard's
    own process that pass is 25-45 ms; in a test process it walks pytest's heap and every
    earlier test's, ~0.13 s of CPU per app, and no test here looks at the collector. The
    app thaws the heap when it ends; so does this fixture (an app that never started)."""
    gc.freeze()
    yield
    gc.unfreeze()
