"""Public sources built in, registered like readers: one module and one entry each.

A connector is a record (`Connector`): its name (what `connector = "…"` in a source
names), the config keys it reads, and its fetch function, which turns the configured
source into one `Fetched` the readers understand (the network through jctui.sources.http,
so every connector has the deadline, limits, TLS and redaction every URL source has; the
scheduler's retries and backoff and the offline cache apply as to any URL source). A third
public source is one more module and one more line in CONNECTORS.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jctui.config import SourceDef
from jctui.errors import SourceError
from jctui.sources import Fetched

FetchFn = Callable[..., Fetched]  # (src, *, etag, client, folder) -> Fetched


@dataclass(frozen=True)
class Connector:
    """One public source built in: its name, the config keys it reads, its fetch function."""

    name: str
    keys: tuple[str, ...]
    fetch: FetchFn
    description: str = ""


# name -> the module defining CONNECTOR (imported when a source of that name is fetched)
CONNECTORS: dict[str, str] = {
    "ba-statistik": "jctui.sources.connectors.ba_statistik",
}


def get(name: str) -> Connector:
    """The connector of that name; a SourceError listing the known ones otherwise."""
    module = CONNECTORS.get(name)
    if module is None:
        known = ", ".join(sorted(CONNECTORS))
        raise SourceError(f"connector {name!r} is not known (known: {known})")
    connector: Connector = importlib.import_module(module).CONNECTOR
    return connector


def fetch_connector(
    src: SourceDef, *, etag: str = "", client: Any = None, folder: Path | None = None
) -> Fetched:
    """The data of a connector source, fetched by its connector."""
    from jctui.locations import cache_dir

    return get(src.connector).fetch(src, etag=etag, client=client, folder=folder or cache_dir(""))
