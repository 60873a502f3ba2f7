"""File source: read the bytes of a local file with a one-line error when that fails."""

from __future__ import annotations

from pathlib import Path

from jctui.config import SourceDef
from jctui.errors import SourceError
from jctui.sources import Fetched


def fetch_file(src: SourceDef) -> Fetched:
    path = Path(src.path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory, not a data file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return Fetched(data=data, origin=str(path), format_hint=path.suffix.lower().lstrip("."))
