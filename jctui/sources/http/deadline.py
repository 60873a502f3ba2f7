"""The deadline of a fetch: every socket operation (connect, TLS, read, write) of a fetch
ends by it, so a server that trickles its headers or body, or streams without end, cannot
hold a refresh. httpcore's socket backend with its streams wrapped; a context variable, so
that fetches in several threads each have their own.
"""

from __future__ import annotations

import contextvars
import ssl
import threading
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

# The monotonic time by which the running fetch must be complete (None: no fetch running).
# A context variable, so that fetches in several threads each have their own.
DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "jctui_fetch_deadline", default=None
)


def bounded(timeout: float | None, late: type[Exception]) -> float | None:
    """`timeout` cut to what is left of the running fetch's deadline; `late` once it passed."""
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise late("the deadline of the fetch has passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose reads and writes end by the deadline: a server sending one byte
    a second passes every per-read timeout, but not this."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = bounded(timeout, httpcore.ConnectTimeout)
        if isinstance(ssl_context, DefaultTrust):
            ssl_context.load_once()
        return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with DeadlineStream connections."""

    def __init__(self) -> None:
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(
            self.inner.connect_tcp(host, port, left, local_address, socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class DefaultTrust(ssl.SSLContext):
    """httpx's default TLS verification (certifi's CA bundle, hostname checked), the bundle
    loaded at the first TLS handshake (`start_tls` above): an `http://` source never pays
    for it (0.18 s of CPU a lookup, measured). Without it loaded no certificate verifies."""

    def load_once(self) -> None:
        with _TRUST_LOCK:
            if not getattr(self, "loaded", False):
                import certifi

                self.load_verify_locations(certifi.where())
                self.loaded = True

    @classmethod
    def made(cls) -> DefaultTrust:
        context = cls(ssl.PROTOCOL_TLS_CLIENT)  # as ssl.create_default_context does
        context.verify_mode = ssl.CERT_REQUIRED
        context.check_hostname = True
        return context


_TRUST_LOCK = threading.Lock()


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport on a connection pool that uses DeadlineBackend (httpx has no option
    for the network backend, so the pool is built here; the rest is httpx's own)."""

    def __init__(self, ssl_context: ssl.SSLContext) -> None:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=DeadlineBackend(),
        )
