"""The BA's region list: the names its statistics API takes, and their keys.

A JavaScript file (`var persistListenfelderJSON = {...};`) holding lists of
`{"formValues": {"Filtername": "Kreis", "BA_SCHL": "064380000000", "DESC": "Offenbach"}}`;
`Filtername` is the level (Kreis, Bundesland, Agentur für Arbeit: the parameter the API
takes the name under), DESC the name. A Kreis' id is its AGS (the first five digits of
BA_SCHL), a Bundesland's its two-digit state code (an aggregate, never a Jobcenter), any
other level's the BA's key as given. Fetched once and kept for a day (the BA's own bytes,
under the cache folder); a failed fetch falls back to an older copy. jctui ships no list
of its own: the names come from the BA or nowhere.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jctui.config import SourceDef, redact_url
from jctui.errors import SourceError
from jctui.sources.cache import DIR_MODE
from jctui.textsafe import safe_text

log = logging.getLogger("jctui.sources")

REGIONS_URL = (
    "https://statistik.arbeitsagentur.de/Auswahl/Layout/Statistiktabellen/JS/"
    "DR-LZR-persistListenfelderJSON.js"
)
MAX_AGE = 24 * 3600.0  # seconds: the list is fetched at most once a day
KREIS = "Kreis"
STATE = "Bundesland"
AGENCY = "Agentur für Arbeit"
LEVELS = (KREIS, STATE, AGENCY)  # a name on several levels means the first of them


@dataclass(frozen=True)
class Region:
    """One entry of the list: its level (Kreis, Bundesland, …), key, AGS and name."""

    level: str
    key: str  # BA_SCHL
    name: str  # DESC: what the API takes

    @property
    def ags(self) -> str:
        """The first five digits of the BA's key (the Kreis' AGS)."""
        return self.key[:5]

    @property
    def ident(self) -> str:
        """Its id in the figures: a Kreis' AGS, a state's two-digit code, else the key."""
        if self.level == KREIS:
            return self.ags
        return self.key[:2] if self.level == STATE else self.key

    @property
    def label(self) -> str:
        """Its name in the figures: a Kreis' or a state's name, else with its level before it
        ("Agentur für Arbeit Offenbach" beside the Kreis "Offenbach")."""
        return self.name if self.level in (KREIS, STATE) else f"{self.level} {self.name}"


def parse_regions(data: bytes, origin: str) -> list[Region]:
    """The entries of the BA's JavaScript file; a SourceError when it is no such file."""
    text = data.decode("utf-8-sig", errors="replace").strip()
    start, end = text.find("{"), text.rfind("}")
    if not text.startswith("var") or start < 0 or end < start:
        raise SourceError(f"{origin}: not the BA's region list (no `var … = {{…}};`)")
    try:
        tree = json.loads(text[start : end + 1])
    except ValueError as exc:
        raise SourceError(f"{origin}: region list is not valid JSON ({exc})") from None
    found: list[Region] = []
    _collect(tree, found)
    if not found:
        raise SourceError(f"{origin}: region list holds no formValues entries")
    return list(dict.fromkeys(found))  # the file may hold a level's list twice


def _collect(node: Any, found: list[Region]) -> None:
    if isinstance(node, dict):
        values = node.get("formValues")
        if isinstance(values, dict):
            level, key, name = (values.get(k) for k in ("Filtername", "BA_SCHL", "DESC"))
            if isinstance(level, str) and isinstance(name, str) and name.strip():
                found.append(
                    Region(safe_text(level), safe_text(str(key or "")), safe_text(name.strip()))
                )
            return
        for child in node.values():
            _collect(child, found)
    elif isinstance(node, list):
        for child in node:
            _collect(child, found)


def kept_path(url: str, folder: Path) -> Path:
    """Where the copy of the list from `url` is kept."""
    return folder / f"regions-{hashlib.sha256(url.encode()).hexdigest()[:16]}.js"


def region_list(
    src: SourceDef, folder: Path, client: Any = None, *, offline: bool = False
) -> list[Region]:
    """The BA's list: the copy kept when younger than a day (or `offline`), else fetched
    (and kept); a failed fetch falls back to an older copy."""
    url = src.regions_url or REGIONS_URL
    path = kept_path(url, folder)
    age = time.time() - path.stat().st_mtime if path.is_file() else None
    if age is not None and (age < MAX_AGE or offline):
        return parse_regions(path.read_bytes(), str(path))
    if offline:
        raise SourceError(
            f"no copy of the BA's region list ({redact_url(url)}) in {folder}: "
            "run `jctui regions` once online to fetch it"
        )
    from jctui.sources.http import fetch_http

    # a public file, perhaps on another host: none of the source's headers or credentials
    http = dataclasses.replace(src.http, params={}, headers={}, auth="none", method="GET", form={})
    one = dataclasses.replace(src, url=url, connector="", format="auto", http=http)
    try:
        got = fetch_http(one, client=client)
    except SourceError as exc:
        if age is None:
            raise
        log.warning("region list not refreshed (%s); the copy kept is used", exc)
        return parse_regions(path.read_bytes(), str(path))
    regions = parse_regions(got.data, redact_url(url))  # only a usable list is kept
    from jctui.sources.template import write_whole

    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    write_whole(path, got.data)
    return regions


def _rank(region: Region) -> int:
    return LEVELS.index(region.level) if region.level in LEVELS else len(LEVELS)


def resolve(asked: Sequence[str], regions: Sequence[Region], where: str) -> list[Region]:
    """The regions asked for by name (as the BA writes it; on the level its list gives,
    a Kreis before a Bundesland before an Agentur für Arbeit of the same name; or written
    `Bundesland=Hessen`), by AGS (five digits) or state code (two); a region the list does
    not know is a SourceError naming it and the closest names."""
    by_name: dict[str, Region] = {}
    for region in sorted(regions, key=_rank):
        by_name.setdefault(region.name.casefold(), region)
        by_name.setdefault(f"{region.level}={region.name}".casefold(), region)
    by_number = {r.ident: r for r in regions if r.level in (KREIS, STATE)}
    out: list[Region] = []
    for one in asked:
        text = one.strip()
        level, sep, name = text.partition("=")
        if sep:
            text = f"{level.strip()}={name.strip()}"
        found = by_number.get(text) if text.isdigit() else by_name.get(text.casefold())
        if found is None:
            near = closest(name.strip() if sep else text, regions)
            raise SourceError(f"{where}: region {text!r} is not in the BA's list{near}")
        out.append(found)
    return out


def closest(text: str, regions: Sequence[Region]) -> str:
    """ "; closest: A, B, C" (names like `text`), "" when none is close."""
    names = list(dict.fromkeys(r.name for r in regions))
    near = difflib.get_close_matches(text, names, n=3, cutoff=0.5)
    near += [n for n in names if text.casefold() in n.casefold() and n not in near][: 3 - len(near)]
    return f"; closest: {', '.join(near)}" if near else ""


def matching(query: str, regions: Sequence[Region]) -> list[Region]:
    """The regions whose name holds `query` (or whose id starts with it): the Kreise first,
    then the other levels, each sorted by name."""
    q = query.strip().casefold()
    hits = [r for r in regions if q in r.name.casefold() or (q.isdigit() and r.ident.startswith(q))]
    return sorted(hits, key=lambda r: (_rank(r), r.name.casefold()))


def as_configured(region: Region) -> str:
    """How a config names the region: a Kreis by its name, another level as `Level=Name`."""
    return region.name if region.level == KREIS else f"{region.level}={region.name}"
