"""Where one source's data are now (`Located`): kept apart from jctui.session.load so that
a lookup answered by the figure store keys it without importing the readers or Polars."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jctui.config import SourceDef
    from jctui.readers import ReadResult


@dataclass(frozen=True)
class Located:
    """Where one source's data are now: a local file (the source's own, or the offline cache
    of a URL source) that can be read or scanned, or new data of a URL source already read."""

    source: SourceDef
    path: Path | None = None
    from_cache: bool = False  # `path` is the offline cache of a URL source
    scannable: bool = True  # a lookup may scan `path` for what it needs (nothing set aside)
    result: ReadResult | None = None
    cached_at: dt.datetime | None = None  # when the cached data were fetched (--offline)
    repaired: str = ""  # why a broken cached copy was dropped and the data fetched whole


def located_file(src: SourceDef) -> Located | None:
    """A source read from its own file (or the demo data) as `locate` finds it without
    asking anything; None for a URL source (asked first, by `locate`)."""
    if not src.is_remote or src.demo:
        return Located(src, path=Path(src.path))
    return None
