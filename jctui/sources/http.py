"""HTTP source (httpx): one GET, or several pages, into the bytes the readers understand.

Safe by default: TLS verified (custom CA bundle possible), redirects only to the same host
unless allowed, a body limit counted after decompression (a gzip bomb is refused), a page
limit. Conditional requests (If-None-Match / If-Modified-Since) make an unchanged source cost
one 304. Secrets come from the environment and never appear in messages: URLs are shown
without credentials and query strings, and Authorization headers are never logged.
"""

from __future__ import annotations

import email.utils
import json
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from jctui.config import SourceDef, redact_url, secret_from_env
from jctui.errors import SourceError
from jctui.sources import Fetched

MAX_REDIRECTS = 5
CONTENT_TYPES = (
    ("ndjson", "ndjson"),
    ("jsonl", "ndjson"),
    ("json", "json"),
    ("parquet", "parquet"),
    ("csv", "csv"),
    ("spreadsheetml", "xlsx"),
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
    if src.format != "auto":
        return src.format
    lowered = content_type.lower()
    for needle, fmt in CONTENT_TYPES:
        if needle in lowered:
            return fmt
    return ""


def dig(data: Any, dotted: str) -> Any:
    """data["a"]["b"] for "a.b"; None when any step is missing."""
    for part in dotted.split(".") if dotted else []:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


@dataclass
class Page:
    body: bytes
    content_type: str
    etag: str
    last_modified: str
    next_url: str | None
    not_modified: bool = False


def build_client(src: SourceDef) -> httpx.Client:
    http = src.http
    headers = dict(http.headers)
    auth: httpx.Auth | None = None
    where = f"sources.{src.name}.http"
    if http.auth == "bearer":
        token = secret_from_env(http.token_env)
        if not token:
            raise SourceError(
                f"{where}.token_env: environment variable {http.token_env} is not set"
            )
        headers["Authorization"] = f"Bearer {token}"
    elif http.auth == "basic":
        user, password = secret_from_env(http.username_env), secret_from_env(http.password_env)
        if not user or password is None:
            raise SourceError(
                f"{where}: environment variables {http.username_env} and {http.password_env} must be set"
            )
        auth = httpx.BasicAuth(user, password)
    verify: ssl.SSLContext | bool = ca_context(http.ca_bundle, where) if http.ca_bundle else True
    return httpx.Client(
        headers=headers,
        auth=auth,
        timeout=http.timeout,
        verify=verify,
        follow_redirects=False,
        trust_env=False,
    )


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


def get_page(
    client: httpx.Client,
    src: SourceDef,
    url: str,
    params: dict[str, str],
    conditional: dict[str, str],
) -> Page:
    """One GET, following same-host redirects, streaming with the body limit."""
    origin_host = urlsplit(src.url).hostname
    allowed = {origin_host, *src.http.allow_redirect_hosts}
    limit = src.http.max_bytes
    for _ in range(MAX_REDIRECTS + 1):
        shown = redact_url(url)
        try:
            with client.stream("GET", url, params=params or None, headers=conditional) as response:
                if response.status_code == 304:
                    return Page(
                        b"", "", conditional.get("If-None-Match", ""), "", None, not_modified=True
                    )
                if (
                    response.status_code in (301, 302, 303, 307, 308)
                    and "location" in response.headers
                ):
                    target = urljoin(url, response.headers.get("location", ""))
                    host = urlsplit(target).hostname
                    if host not in allowed:
                        raise HttpSourceError(f"{shown}: redirect to another host ({host}) refused")
                    url, params = target, {}
                    continue
                if response.status_code == 304:
                    return Page(
                        b"", "", conditional.get("If-None-Match", ""), "", None, not_modified=True
                    )
                if response.status_code >= 400:
                    retry = parse_retry_after(response.headers.get("retry-after"))
                    reason = response.reason_phrase or "error"
                    raise HttpSourceError(
                        f"{shown}: HTTP {response.status_code} {reason}"
                        + (f" (retry after {retry:.0f} s)" if retry is not None else ""),
                        status=response.status_code,
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
                    total += len(chunk)
                    if total > limit:
                        raise HttpSourceError(
                            f"{shown}: body exceeds the limit of {limit:,} bytes (after decompression)"
                        )
                    chunks.append(chunk)
                next_url = response.links.get("next", {}).get("url")
                return Page(
                    b"".join(chunks),
                    response.headers.get("content-type", ""),
                    response.headers.get("etag", ""),
                    response.headers.get("last-modified", ""),
                    urljoin(url, next_url) if next_url else None,
                )
        except HttpSourceError:
            raise
        except httpx.TimeoutException:
            raise HttpSourceError(f"{shown}: timed out after {src.http.timeout:g} s") from None
        except httpx.RemoteProtocolError:
            raise HttpSourceError(f"{shown}: connection closed early (truncated body)") from None
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


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def fetch_http(
    src: SourceDef, *, etag: str = "", last_modified: str = "", client: httpx.Client | None = None
) -> Fetched:
    """All pages of a URL source as one body the readers understand."""
    conditional = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    own = client is None
    client = client or build_client(src)
    try:
        url, params = src.url, dict(src.http.params)
        pages: list[Page] = []
        while True:
            if len(pages) >= src.http.page_limit:
                raise HttpSourceError(
                    f"{redact_url(src.url)}: more than {src.http.page_limit} pages (page_limit)"
                )
            page = get_page(client, src, url, params, conditional if not pages else {})
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
            if not next_url:
                break
            url, params = next_url, {}
    finally:
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
    try:
        data = json.loads(page.body)
    except ValueError:
        return None
    value = dig(data, src.http.next_path)
    return urljoin(src.url, value) if isinstance(value, str) and value else None


def merge_pages(pages: list[Page], hint: str, src: SourceDef) -> bytes:
    """Several pages as one body: JSON records concatenated, CSV bodies without repeated headers."""
    if hint == "csv":
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
