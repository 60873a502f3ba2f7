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

The modules: `fetch` (fetch_http: all pages, conditional requests, the format hint),
`client` (the client, one request with its redirects and limits), `auth` (credentials and
the origins that may receive them), `deadline` (the total deadline of a fetch), `errors`
(HttpSourceError and the words for failures).
"""

from __future__ import annotations

# first: httpx without the modules it would import for nothing (jctui.sources.http.lean)
from jctui.sources.http import lean  # noqa: F401  # isort: skip
from jctui.sources.http.auth import Credentials, credentials, may_follow, origin_of
from jctui.sources.http.client import MAX_REDIRECTS, Page, build_client, ca_context, get_page
from jctui.sources.http.errors import HttpSourceError, parse_retry_after, protocol_problem
from jctui.sources.http.fetch import fetch_http, format_hint, merge_pages

__all__ = [
    "MAX_REDIRECTS",
    "Credentials",
    "HttpSourceError",
    "Page",
    "build_client",
    "ca_context",
    "credentials",
    "fetch_http",
    "format_hint",
    "get_page",
    "may_follow",
    "merge_pages",
    "origin_of",
    "parse_retry_after",
    "protocol_problem",
]
