"""Monthly publications by URL template: one file per report month, the month in its URL.

`url = "https://…/Kennzahlen-System-A-{month_de}-{yyyy}-CSV.zip"` with `months = "2017-07"`
(the first report month; every later one follows). Each month's file is downloaded once
and kept (the bytes and their validators, under the cache folder); afterwards it is asked
conditionally (If-None-Match / If-Modified-Since), so an unchanged month costs one 304. A
404 for a month after the last one kept is a month not published yet: no error, the source
is complete up to the last month published. The next month is asked for by the publication
calendar (jctui.config.calendar: from about two months after it on, after a 404 at most once
a day until it appears); once it is due and not out, the fetch says so
(`Fetched.extra["overdue"]`). A month that comes back with other bytes is a revision
(`Fetched.extra["revised"]`).

The months are handed to the readers as the parts of one fetch (oldest first), as a folder
of monthly downloads is: every reader (key-figure tables, ZIPs, GENESIS files, xlsx) works.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jctui.config import SourceDef, redact_url
from jctui.config.calendar import PUBLICATION_CALENDAR, month_start
from jctui.errors import SourceError
from jctui.sources import Fetched
from jctui.sources.cache import DIR_MODE, FILE_MODE

log = logging.getLogger("jctui.sources")

MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
PLACEHOLDER_RE = re.compile(r"\{(yyyymm|yyyy|mm|month_de|month_en)\}")
GERMAN_MONTH_RE = re.compile(r"^\s*([A-Za-zÄÖÜäöü]+)\.?\s+(\d{4})\s*$")


def german_month(label: str) -> str | None:
    """ "Juli 2018" -> "2018-07" (also "Maerz", "Jan. 2018"); None when it is no month."""
    found = GERMAN_MONTH_RE.match(label)
    if not found:
        return None
    word, year = found.group(1).lower(), found.group(2)
    word = word.replace("ae", "ä") if word.startswith("mae") else word
    for number, name in enumerate(MONTHS_DE, 1):
        if name.lower() == word or (len(word) >= 3 and name.lower().startswith(word)):
            return f"{year}-{number:02d}"
    return None


def expand(template: str, month: str) -> str:
    """The URL of one report month ("YYYY-MM") from a template."""
    year, mm = month.split("-")
    values = {
        "yyyymm": f"{year}{mm}",
        "yyyy": year,
        "mm": mm,
        "month_de": MONTHS_DE[int(mm) - 1],
        "month_en": MONTHS_EN[int(mm) - 1],
    }
    return PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], template)


def months_from(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` ("YYYY-MM"), both included."""
    year, month = (int(p) for p in first.split("-"))
    out: list[str] = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True)
class Kept:
    """One month's file as downloaded: its bytes' file, digest, validators and format."""

    file: str
    digest: str
    etag: str = ""
    last_modified: str = ""
    format_hint: str = ""


def _folder(src: SourceDef, folder: Path) -> Path:
    where = f"{src.name}\0{src.url}".encode()
    return folder / "months" / hashlib.sha256(where).hexdigest()[:20]


def _load_index(place: Path) -> dict[str, Kept]:
    try:
        raw = json.loads((place / "index.json").read_text("utf-8"))
        return {month: Kept(**entry) for month, entry in raw.items()}
    except (OSError, ValueError, TypeError):
        return {}


def write_whole(path: Path, data: bytes) -> None:
    """Written whole or not at all (a temporary file replaced into place)."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, FILE_MODE)  # as the offline cache: the group of a shared cache reads
    os.replace(tmp, path)


def clock() -> float:
    """Now, in seconds since the epoch (one place for tests to move time)."""
    return time.time()


def _probe(place: Path) -> tuple[str, float]:
    """The month not yet published that was last asked for, and when (seconds)."""
    try:
        raw = json.loads((place / "probe.json").read_text("utf-8"))
        return str(raw["month"]), float(raw["at"])
    except (OSError, ValueError, TypeError, KeyError):
        return "", 0.0


def fetch_template(
    src: SourceDef,
    *,
    etag: str = "",
    client: Any = None,
    folder: Path,
    now: float | None = None,
) -> Fetched:
    """Every published month of a template source as the parts of one fetch; an unchanged
    source (every month 304, no new one) is `not_modified` when `etag` is its last tag.

    The month after the last one published is asked for by the publication calendar: from
    its `looked_for_from` day on, and after a 404 at most once per `recheck` (a day); once
    it is due and not out, the fetch says so (`Fetched.extra["overdue"]`)."""
    from jctui.sources.http import HttpSourceError, build_client, fetch_http

    place = _folder(src, folder)
    place.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    index = _load_index(place)
    now = clock() if now is None else now
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    calendar = PUBLICATION_CALENDAR
    newest = f"{month_start(f'{today:%Y-%m}', -calendar.looked_for_after):%Y-%m}"
    probed, probed_at = _probe(place)
    own = client is None
    client = client or build_client(src)
    parts: list[Fetched] = []
    done: list[str] = []  # the months of `parts`
    revised: list[str] = []
    changed = False
    try:
        for month in months_from(src.months, newest):
            url = expand(src.url, month)
            one = dataclasses.replace(src, url=url, months="")
            kept = index.get(month)
            if kept is None and month == probed and now - probed_at < calendar.recheck:
                break  # asked for less than a day ago: not yet again
            try:
                got = fetch_http(
                    one,
                    etag=kept.etag if kept else "",
                    last_modified=kept.last_modified if kept else "",
                    client=client,
                )
            except HttpSourceError as exc:
                if exc.status not in (404, 410):
                    raise
                if kept is None:  # not published yet: complete up to the month before
                    write_whole(
                        place / "probe.json", json.dumps({"month": month, "at": now}).encode()
                    )
                    break
                log.info("%s: %s gone (404); the copy kept is used", src.name, month)
                got = Fetched(b"", redact_url(url), not_modified=True)
            if got.not_modified and kept is not None:
                data = (place / kept.file).read_bytes()
                parts.append(Fetched(data, redact_url(url), format_hint=kept.format_hint))
                done.append(month)
                continue
            digest = hashlib.sha256(got.data).hexdigest()
            if kept is not None and kept.digest != digest:
                revised.append(month)
                log.info("%s: %s republished with other content (a revision)", src.name, month)
            if kept is None or kept.digest != digest:
                changed = True
            name = f"{month}.bin"
            write_whole(place / name, got.data)
            index[month] = Kept(name, digest, got.etag, got.last_modified, got.format_hint)
            parts.append(got)
            done.append(month)
    finally:
        if own:
            client.close()
    if not parts:
        first = redact_url(expand(src.url, src.months))
        since = calendar.looked_for_from(src.months)
        why = (
            f"404 for the first, {src.months}"
            if since <= today
            else f"the first, {src.months}, is looked for from {since:%Y-%m-%d} by the "
            "publication calendar"
        )
        raise SourceError(f"{first}: no month published yet ({why})")
    entries = {m: dataclasses.asdict(k) for m, k in index.items()}
    write_whole(place / "index.json", json.dumps(entries).encode())
    seen = "".join(f"{m}{index[m].digest}" for m in done)
    tag = "months:" + hashlib.sha256(seen.encode()).hexdigest()[:24]
    if etag == tag and not changed:
        return Fetched(b"", redact_url(src.url), etag=tag, not_modified=True)
    extra = {"revised": ", ".join(revised)} if revised else {}
    following = f"{month_start(done[-1], 1):%Y-%m}"
    if today >= calendar.due(following):
        extra["overdue"] = f"{following} (due by {calendar.due(following):%Y-%m-%d})"
    return Fetched(b"", redact_url(src.url), etag=tag, extra=extra, parts=tuple(parts))
