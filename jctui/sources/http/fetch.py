"""All pages of a URL source as one body the readers understand: conditional requests
(If-None-Match / If-Modified-Since, GET only), next pages from Link headers or the body,
pages merged (JSON records concatenated, CSV bodies without repeated headers), and the
format hint from the Content-Type (jctui.formats).
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urljoin

import httpx

from jctui import formats
from jctui.config import SourceDef, redact_url
from jctui.sources import Fetched
from jctui.sources.http.auth import credentials, may_follow
from jctui.sources.http.client import Page, build_client, get_page
from jctui.sources.http.deadline import DEADLINE
from jctui.sources.http.errors import HttpSourceError


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
    running = DEADLINE.set(time.monotonic() + src.http.deadline)
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
        DEADLINE.reset(running)
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
