"""The client of a URL source and one request: TLS (a configured CA bundle), redirects
that may be followed, the body limit counted after decompression, the deadline, and every
failure as one HttpSourceError line.
"""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx

from jctui.config import SourceDef, redact_url
from jctui.errors import SourceError
from jctui.sources.http.auth import Credentials, may_follow
from jctui.sources.http.deadline import DEADLINE, DeadlineTransport, DefaultTrust, bounded
from jctui.sources.http.errors import HttpSourceError, parse_retry_after, protocol_problem, short

MAX_REDIRECTS = 5


@dataclass
class Page:
    url: str  # where the body came from (after redirects): relative next links resolve here
    body: bytes
    content_type: str
    etag: str
    last_modified: str
    next_url: str | None
    not_modified: bool = False


def build_client(src: SourceDef) -> httpx.Client:
    """The client of one URL source, kept between refreshes. It holds no secrets: those are
    added per request, and only for the configured origin (see `credentials`)."""
    http = src.http
    where = f"sources.{src.name}.http"
    context = ca_context(http.ca_bundle, where) if http.ca_bundle else DefaultTrust.made()
    return httpx.Client(
        transport=DeadlineTransport(context),
        timeout=http.timeout,
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
            f"{where}.ca_bundle: {path}: not a usable PEM CA bundle ({short(exc)})"
        ) from None


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
                    bounded(None, httpx.ReadTimeout)  # also with a client not from build_client
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
            deadline = DEADLINE.get()
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
            raise HttpSourceError(f"{shown}: cannot connect ({short(exc)})") from None
        except httpx.HTTPError as exc:
            raise HttpSourceError(f"{shown}: {type(exc).__name__} ({short(exc)})") from None
    raise HttpSourceError(f"{redact_url(url)}: more than {MAX_REDIRECTS} redirects")
