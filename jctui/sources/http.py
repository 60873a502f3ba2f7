"""HTTP source (httpx): one GET, or several pages, or one POST of a form (a GENESIS table
request), into the bytes the readers understand.

Safe by default: TLS verified (custom CA bundle possible), a body limit counted after
decompression (a gzip bomb is refused), a page limit, and a total deadline per fetch (a
server that trickles its headers or body, or streams without end, cannot hold a refresh).
Conditional requests (If-None-Match / If-Modified-Since) make an unchanged source cost one
304 (GET only: see fetch_http).

Where secrets go: the configured headers, the bearer token, basic auth and the GENESIS
`username`/`password` headers are sent only to the origin (scheme, host, port) of the
configured URL. A redirect or a next-page link to another origin is refused, unless its
host is listed in `allow_redirect_hosts`: then it is followed without them. An https
source never follows a redirect or link to http. Secrets come from the environment and
never appear in messages: URLs are shown without credentials and query strings
(redact_url), a secret that is no usable header value is refused naming its variable, and
credential headers are never logged.
"""

from __future__ import annotations

import contextvars
import email.utils
import json
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from jctui import formats
from jctui.config import (
    SourceDef,
    header_value_problem,
    redact_url,
    secret_from_env,
    url_problem,
)
from jctui.errors import SourceError
from jctui.sources import Fetched

MAX_REDIRECTS = 5
DEFAULT_PORTS = {"http": 80, "https": 443}

# The monotonic time by which the running fetch must be complete (None: no fetch running).
# A context variable, so that fetches in several threads each have their own.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "jctui_fetch_deadline", default=None
)


class HttpSourceError(SourceError):
    """A failed fetch; `status` and `retry_after` (seconds) tell the scheduler what to do."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def format_hint(src: SourceDef, content_type: str) -> str:
    """The configured format, else the one the Content-Type names (jctui.formats)."""
    if src.format != formats.AUTO:
        return src.format
    return formats.format_from_hint(content_type)


def dig(data: Any, dotted: str) -> Any:
    """data["a"]["b"] for "a.b"; None when any step is missing."""
    for part in dotted.split(".") if dotted else []:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


@dataclass
class Page:
    url: str  # where the body came from (after redirects): relative next links resolve here
    body: bytes
    content_type: str
    etag: str
    last_modified: str
    next_url: str | None
    not_modified: bool = False


# -- the deadline: every socket operation of a fetch ends by the fetch's deadline -------------


def _bounded(timeout: float | None, late: type[Exception]) -> float | None:
    """`timeout` cut to what is left of the running fetch's deadline; `late` once it passed."""
    deadline = _DEADLINE.get()
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
        return self.inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, bounded))

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
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(
            self.inner.connect_tcp(host, port, bounded, local_address, socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


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


def build_client(src: SourceDef) -> httpx.Client:
    """The client of one URL source, kept between refreshes. It holds no secrets: those are
    added per request, and only for the configured origin (see `credentials`)."""
    http = src.http
    where = f"sources.{src.name}.http"
    context = (
        ca_context(http.ca_bundle, where)
        if http.ca_bundle
        else httpx.create_ssl_context(trust_env=False)
    )
    return httpx.Client(
        transport=DeadlineTransport(context),
        timeout=http.timeout,
        follow_redirects=False,
        trust_env=False,
    )


@dataclass(frozen=True)
class Credentials:
    """What only the configured origin receives: the configured headers and the auth
    (secrets: left out of the repr, which a log or a traceback may show)."""

    headers: dict[str, str] = field(default_factory=dict, repr=False)
    auth: httpx.Auth | None = field(default=None, repr=False)


def credentials(src: SourceDef) -> Credentials:
    """The configured headers and the bearer, basic or GENESIS auth, secrets read from the
    environment. A secret sent as a header must be a usable header value: checked here, so
    that no error of the HTTP stack (which quotes the value) can carry it into a message."""
    http = src.http
    headers = dict(http.headers)
    where = f"sources.{src.name}.http"
    if http.auth == "bearer":
        token = secret_from_env(http.token_env)
        if not token:
            raise SourceError(
                f"{where}.token_env: environment variable {http.token_env} is not set"
            )
        _usable_in_header(token, http.token_env, f"{where}.token_env")
        headers["Authorization"] = f"Bearer {token}"
        return Credentials(headers)
    if http.auth in ("basic", "genesis"):
        user, password = secret_from_env(http.username_env), secret_from_env(http.password_env)
        if not user or password is None:
            raise SourceError(
                f"{where}: environment variables {http.username_env} and {http.password_env} must be set"
            )
        if http.auth == "basic":
            return Credentials(headers, httpx.BasicAuth(user, password))
        # GENESIS REST API: user (or token) and password as the headers `username`, `password`
        _usable_in_header(user, http.username_env, f"{where}.username_env")
        _usable_in_header(password, http.password_env, f"{where}.password_env")
        headers.update(username=user, password=password)
    return Credentials(headers)


def _usable_in_header(secret: str, variable: str, where: str) -> None:
    """A SourceError naming the variable (never its value) when `secret` cannot be sent as a
    header value, e.g. a CR left by an env file with Windows line ends."""
    problem = header_value_problem(secret)
    if problem:
        raise SourceError(f"{where}: environment variable {variable}: {problem}")


def ca_context(ca_bundle: str, where: str) -> ssl.SSLContext:
    """TLS verification against a configured CA bundle (PEM), with a clear error if unusable."""
    path = Path(ca_bundle).expanduser()
    if not path.is_file():
        raise SourceError(f"{where}.ca_bundle: {path}: no such file")
    try:
        return ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise SourceError(
            f"{where}.ca_bundle: {path}: not a usable PEM CA bundle ({_short(exc)})"
        ) from None


# -- origins: who may receive the credentials -------------------------------------------------


def origin_of(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL, with the default port filled in; the unit of trust."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(scheme, 0)


def shown_origin(origin: tuple[str, str, int]) -> str:
    """An origin as messages show it; the host comes from a server, so it goes through the
    same redaction as any URL (printable ASCII only)."""
    scheme, host, port = origin
    host = f"[{host}]" if ":" in host else host
    return redact_url(f"{scheme}://{host}:{port}")


def may_follow(src: SourceDef, current: str, target: str, what: str) -> bool:
    """Whether `target` (a redirect or a next-page link) may be fetched, and if so whether
    with the credentials (True: it is the configured origin). Refused with a reason: another
    origin not listed in `allow_redirect_hosts`, and a step from https down to http."""
    home, here, there = origin_of(src.url), origin_of(current), origin_of(target)
    shown = redact_url(current)
    problem = url_problem(target)
    if problem:
        raise HttpSourceError(f"{shown}: {what} to an unusable URL refused ({problem})")
    if there[0] == "http" and "https" in (home[0], here[0]):
        raise HttpSourceError(f"{shown}: {what} from https to http ({shown_origin(there)}) refused")
    if there == home:
        return True
    allowed = {host.lower() for host in src.http.allow_redirect_hosts}
    if there[1] in allowed:
        return False  # followed, but the credentials stay with their origin
    raise HttpSourceError(
        f"{shown}: {what} to another origin ({shown_origin(there)}) refused "
        "(credentials go only to the configured origin; allow_redirect_hosts lists exceptions)"
    )


# -- one page, all pages -----------------------------------------------------------------------


def get_page(
    client: httpx.Client,
    src: SourceDef,
    url: str,
    params: dict[str, str],
    conditional: dict[str, str],
    creds: Credentials,
    with_credentials: bool,
    method: str = "GET",
    form: dict[str, str] | None = None,
) -> Page:
    """One GET (or POST of `form`), following allowed redirects, streaming with the body
    limit and the deadline. A POST redirected by 307/308 is sent again with its form; by
    301, 302 or 303 it becomes a GET without one, as user agents do."""
    limit = src.http.max_bytes
    for _ in range(MAX_REDIRECTS + 1):
        shown = redact_url(url)
        headers = {**(creds.headers if with_credentials else {}), **conditional}
        auth = creds.auth if with_credentials else None
        try:
            with client.stream(
                method,
                url,
                params=params or None,
                data=form if method == "POST" else None,
                headers=headers,
                auth=auth,
            ) as response:
                status = response.status_code
                if status in (301, 302, 303, 307, 308) and "location" in response.headers:
                    target = urljoin(url, response.headers.get("location", ""))
                    with_credentials = may_follow(src, url, target, "redirect")
                    url, params = target, {}
                    if status in (301, 302, 303):
                        method, form = "GET", None
                    continue
                if status == 304:
                    if not conditional:
                        raise HttpSourceError(
                            f"{shown}: the server answered 304 Not Modified although no cached "
                            "copy was asked about (no If-None-Match or If-Modified-Since sent)"
                        )
                    return Page(
                        url,
                        b"",
                        "",
                        conditional.get("If-None-Match", ""),
                        "",
                        None,
                        not_modified=True,
                    )
                if not 200 <= status < 300:
                    retry = parse_retry_after(response.headers.get("retry-after"))
                    # the standard phrase: the server's own is data, and may hold anything
                    reason = httpx.codes.get_reason_phrase(status) or "error"
                    raise HttpSourceError(
                        f"{shown}: HTTP {status} {reason}"
                        + (f" (retry after {retry:.0f} s)" if retry is not None else ""),
                        status=status,
                        retry_after=retry,
                    )
                declared = response.headers.get("content-length")
                if (
                    declared
                    and declared.isdigit()
                    and int(declared) > limit
                    and not response.headers.get("content-encoding")
                ):
                    raise HttpSourceError(
                        f"{shown}: body of {int(declared):,} bytes exceeds the limit of {limit:,}"
                    )
                chunks, total = [], 0
                for chunk in response.iter_bytes():  # decoded: the limit counts decompressed bytes
                    _bounded(None, httpx.ReadTimeout)  # also with a client not from build_client
                    total += len(chunk)
                    if total > limit:
                        raise HttpSourceError(
                            f"{shown}: body exceeds the limit of {limit:,} bytes (after decompression)"
                        )
                    chunks.append(chunk)
                next_url = response.links.get("next", {}).get("url")
                return Page(
                    url,
                    b"".join(chunks),
                    response.headers.get("content-type", ""),
                    response.headers.get("etag", ""),
                    response.headers.get("last-modified", ""),
                    urljoin(url, next_url) if next_url else None,
                )
        except HttpSourceError:
            raise
        except httpx.TimeoutException:
            deadline = _DEADLINE.get()
            if deadline is not None and time.monotonic() >= deadline - 0.05:
                raise HttpSourceError(
                    f"{shown}: no complete answer within the deadline of {src.http.deadline:g} s"
                ) from None
            raise HttpSourceError(f"{shown}: timed out after {src.http.timeout:g} s") from None
        except httpx.RemoteProtocolError as exc:
            raise HttpSourceError(f"{shown}: {protocol_problem(exc)}") from None
        except httpx.DecodingError:
            raise HttpSourceError(f"{shown}: body could not be decompressed") from None
        except httpx.ConnectError as exc:
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):
                reason = str(exc).split("certificate verify failed:")[-1].split("(_ssl")[0]
                raise HttpSourceError(
                    f"{shown}: TLS certificate not trusted ({reason.strip()}); "
                    "for a private CA set ca_bundle"
                ) from None
            raise HttpSourceError(f"{shown}: cannot connect ({_short(exc)})") from None
        except httpx.HTTPError as exc:
            raise HttpSourceError(f"{shown}: {type(exc).__name__} ({_short(exc)})") from None
    raise HttpSourceError(f"{redact_url(url)}: more than {MAX_REDIRECTS} redirects")


def protocol_problem(exc: httpx.RemoteProtocolError) -> str:
    """What a protocol error means, in words that do not blame the body for a bad head.

    h11's messages tell the cases apart; the bytes it quotes come from the server and are
    not repeated here."""
    text = str(exc)
    if "complete message body" in text:
        return "connection closed early (truncated body)"
    if "without sending a response" in text or "status line" in text:
        return "not an HTTP response (no valid status line and headers)"
    if "chunk" in text:
        return "malformed chunked encoding"
    if "header" in text.lower() or "content-length" in text.lower():
        return "malformed header in the response"
    return "HTTP protocol error"


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def fetch_http(
    src: SourceDef, *, etag: str = "", last_modified: str = "", client: httpx.Client | None = None
) -> Fetched:
    """All pages of a URL source as one body the readers understand, within the deadline.

    A POST (`method = "POST"`, e.g. a GENESIS table request) is one request: no next pages,
    and no validators sent: for a POST, If-None-Match asks for 412 instead of 304 and
    If-Modified-Since is to be ignored (RFC 9110), so each fetch downloads the answer."""
    post = src.http.method == "POST"
    conditional = {}
    if etag and not post:
        conditional["If-None-Match"] = etag
    if last_modified and not post:
        conditional["If-Modified-Since"] = last_modified
    creds = credentials(src)
    own = client is None
    client = client or build_client(src)
    running = _DEADLINE.set(time.monotonic() + src.http.deadline)
    try:
        url, params, with_credentials = src.url, dict(src.http.params), True
        pages: list[Page] = []
        while True:
            if len(pages) >= src.http.page_limit:
                raise HttpSourceError(
                    f"{redact_url(src.url)}: more than {src.http.page_limit} pages (page_limit)"
                )
            page = get_page(
                client,
                src,
                url,
                params,
                conditional if not pages else {},
                creds,
                with_credentials,
                src.http.method,
                dict(src.http.form),
            )
            if page.not_modified:
                return Fetched(
                    b"",
                    redact_url(src.url),
                    etag=etag,
                    last_modified=last_modified,
                    not_modified=True,
                )
            pages.append(page)
            next_url = page.next_url
            if src.http.next_path:
                next_url = _body_next(page, src) or next_url
            if not next_url or post:
                break
            with_credentials = may_follow(src, url, next_url, "next-page link")
            url, params = next_url, {}
    finally:
        _DEADLINE.reset(running)
        if own:
            client.close()
    first = pages[0]
    hint = format_hint(src, first.content_type)
    body = first.body if len(pages) == 1 else merge_pages(pages, hint, src)
    if len(pages) > 1 and hint in ("json", ""):
        hint = "json"
    return Fetched(
        data=body,
        origin=redact_url(src.url),
        format_hint=hint,
        etag=first.etag,
        last_modified=first.last_modified,
        pages=len(pages),
    )


def _body_next(page: Page, src: SourceDef) -> str | None:
    """The next-page URL at `next_path` in a JSON body, relative to the page's own URL."""
    try:
        data = json.loads(page.body)
    except ValueError:
        return None
    value = dig(data, src.http.next_path)
    return urljoin(page.url, value) if isinstance(value, str) and value else None


def merge_pages(pages: list[Page], hint: str, src: SourceDef) -> bytes:
    """Several pages as one body: JSON records concatenated, CSV bodies without repeated headers."""
    declared = formats.get(hint)
    if declared is not None and declared.delimited:
        parts = [pages[0].body.rstrip(b"\r\n")]
        for page in pages[1:]:
            _, _, rest = page.body.partition(b"\n")
            if rest.strip():
                parts.append(rest.rstrip(b"\r\n"))
        return b"\n".join(parts) + b"\n"
    records: list[Any] = []
    for number, page in enumerate(pages, 1):
        try:
            data = json.loads(page.body)
        except ValueError as exc:
            raise HttpSourceError(
                f"{redact_url(src.url)}: page {number}: invalid JSON ({exc})"
            ) from None
        found = dig(data, src.records_path) if src.records_path else data
        if not isinstance(found, list):
            where = src.records_path or "the top level"
            raise HttpSourceError(
                f"{redact_url(src.url)}: page {number}: no list of records at {where}"
            )
        records.extend(found)
    return json.dumps(records).encode()
