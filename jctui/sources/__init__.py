"""Sources: get the bytes of a file or URL. Nothing here parses data (that is jctui.readers).

`fetch_source(src)` is the one entry point; the HTTP client (httpx) is imported only when a
URL source is actually fetched, so file-only runs and `jctui show` start fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jctui.config import SourceDef, secrets_sent
from jctui.errors import JctuiError


@dataclass(frozen=True)
class Fetched:
    """Raw bytes of one source plus what is needed for the next conditional request."""

    data: bytes
    origin: str  # file path or URL (without credentials) used in messages
    format_hint: str = ""  # from Content-Type or file extension, "" if unknown
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False  # HTTP 304: keep the previous data, nothing to recompute
    pages: int = 1
    extra: dict[str, str] = field(default_factory=dict)
    # a folder (or glob) of monthly downloads: one Fetched per file, oldest publication first
    parts: tuple[Fetched, ...] = ()


# conditional requests sent ahead of a lookup (a kept answer's check), by source and the
# validators sent: the lookup's own fetch_source with the same validators takes the answer
_AHEAD: dict[tuple[str, str, str], Fetched | JctuiError] = {}


def fetch_ahead(
    src: SourceDef, *, etag: str = "", last_modified: str = "", folder: Path | None = None
) -> Fetched:
    """`fetch_source` now, its answer (a 304 or new data) kept for the lookup that follows
    in this process, so that the server is asked once per lookup."""
    key = (repr(src), etag, last_modified)
    _AHEAD.pop(key, None)  # never an answer of an earlier lookup
    try:
        fetched = fetch_source(src, etag=etag, last_modified=last_modified, folder=folder)
    except JctuiError as exc:  # the lookup says it at once, not after a second deadline
        _AHEAD[key] = exc
        raise
    _AHEAD[key] = fetched
    return fetched


def asked_ahead(
    src: SourceDef, *, etag: str = "", last_modified: str = "", folder: Path | None = None
) -> Fetched:
    """The answer fetched ahead for this lookup with these validators (a kept answer's
    check asked first), else `fetch_ahead` now: the server is asked once per lookup."""
    ahead = _AHEAD.get((repr(src), etag, last_modified))
    if ahead is None:
        return fetch_ahead(src, etag=etag, last_modified=last_modified, folder=folder)
    if isinstance(ahead, JctuiError):
        raise ahead
    return ahead


def forget_ahead() -> None:
    """Drop the answers fetched ahead (no lookup follows: the kept answer was printed)."""
    _AHEAD.clear()


def fetch_source(
    src: SourceDef,
    *,
    etag: str = "",
    last_modified: str = "",
    client: Any = None,
    folder: Path | None = None,
) -> Fetched:
    """The bytes of one source; `client` (an httpx.Client) is reused between refreshes.
    A connector (jctui.sources.connectors) or a URL template (jctui.sources.template) keeps
    what it needs between fetches under `folder` (the cache folder; default: the user's).
    An answer fetched ahead with the same validators (`fetch_ahead`) is used once."""
    ahead = _AHEAD.pop((repr(src), etag, last_modified), None)
    if ahead is not None and client is None:
        if isinstance(ahead, JctuiError):
            raise ahead
        return ahead
    try:
        return _fetch(src, etag=etag, last_modified=last_modified, client=client, folder=folder)
    except JctuiError as exc:  # no message repeats a secret the source sent
        raise exc.without(secrets_sent(src.http)) from None


def _fetch(
    src: SourceDef, *, etag: str, last_modified: str, client: Any, folder: Path | None
) -> Fetched:
    if src.connector:
        from jctui.sources.connectors import fetch_connector

        return fetch_connector(src, etag=etag, client=client, folder=folder)
    if src.url and src.months:
        from jctui.locations import cache_dir
        from jctui.sources.template import fetch_template

        return fetch_template(src, etag=etag, client=client, folder=folder or cache_dir(""))
    if src.url:
        from jctui.sources.http import fetch_http

        return fetch_http(src, etag=etag, last_modified=last_modified, client=client)
    from jctui.sources.file import fetch_file

    return fetch_file(src)
