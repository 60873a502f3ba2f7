"""The comparison types (SGB II-Vergleichstypen) `jctui init` groups a Jobcenter with.

They come from a published source the user has, never from a list of jctui's own: the
key-figure table's "Vergleichstyp" column, read from `--types FILE_OR_URL` (any form the
readers take: the CSV, the ZIP, the workbook), else from the cached copy of a configured
source that has the column (a URL template of the key-figure tables, a file). Its
Jobcenters are matched to the BA's region list by name, else by AGS.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from jctui.config import Config, SourceDef
from jctui.errors import JctuiError
from jctui.session.load import load_dataset
from jctui.sources.connectors.ba_regions import KREIS, Region

# words a name carries in one list and not in the other ("Kreis Offenbach", "Offenbach, JC")
PREFIXES = ("jobcenter", "jc", "landkreis", "kreis", "stadt", "region", "lk", "kr.")


def plain_name(text: str) -> str:
    """Lower case, without accents, commas and the words one list leaves out."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace(",", " ")
    return " ".join(w for w in text.split() if w not in PREFIXES)


@dataclass(frozen=True)
class Types:
    """A published table's Jobcenters with their comparison type, and where it came from."""

    rows: pl.DataFrame  # jobcenter_id, name, comparison_type
    origin: str


def _typed(config: Config, src: SourceDef, *, offline: bool) -> pl.DataFrame:
    registry = load_dataset(dataclasses.replace(config, sources=(src,)), offline=offline).registry
    return registry.filter(pl.col("comparison_type").is_not_null()).select(
        "jobcenter_id", "name", "comparison_type"
    )


def find_types(config: Config, given: str | None, *, offline: bool) -> Types | None:
    """The types of `--types` (a SourceError when it cannot be read), else of the first
    configured source whose kept copy has them; None when there is no such source."""
    if given:
        if "://" in given:
            src = SourceDef(name="types", url=given)
        else:
            src = SourceDef(name="types", path=str(Path(given).expanduser()))
        return Types(_typed(config, src, offline=offline), given)
    for src in config.sources:
        if src.connector or src.role != "values" or src.demo:
            continue
        try:
            rows = _typed(config, src, offline=True)  # the copy kept: no download for this
        except JctuiError:
            continue
        if rows.height:
            return Types(rows, f"source {src.name!r} of the config")
    return None


def region_of(ident: str, name: str, regions: list[Region]) -> Region | None:
    """The Kreis of the BA's list a table's row stands for: by name (one match), else by
    AGS when the names begin alike (a table's Jobcenter number may look like an AGS)."""
    kreise = [r for r in regions if r.level == KREIS]
    wanted = plain_name(name)
    named = [r for r in kreise if plain_name(r.name) == wanted]
    if len(named) == 1:
        return named[0]
    first = wanted.split()[:1]
    by_ags = [r for r in kreise if r.ags == ident.strip()]
    return by_ags[0] if by_ags and plain_name(by_ags[0].name).split()[:1] == first else None


@dataclass(frozen=True)
class Group:
    """The Jobcenter's comparison type and the others of it: those found in the BA's list,
    and the names not found there."""

    kind: str
    found: tuple[Region, ...]
    not_found: tuple[str, ...]


def group_of(jobcenter: Region, types: Types, regions: list[Region]) -> Group | None:
    """The others of `jobcenter`'s comparison type; None when the table does not have it."""
    mine = [
        row
        for row in types.rows.iter_rows(named=True)
        if region_of(row["jobcenter_id"], row["name"], regions) == jobcenter
    ]
    if not mine:
        return None
    kind = str(mine[0]["comparison_type"])
    found: list[Region] = []
    not_found: list[str] = []
    for row in types.rows.filter(pl.col("comparison_type") == kind).iter_rows(named=True):
        region = region_of(row["jobcenter_id"], row["name"], regions)
        if region is None:
            not_found.append(str(row["name"]))
        elif region != jobcenter and region not in found:
            found.append(region)
    found.sort(key=lambda r: r.name.casefold())
    return Group(kind, tuple(found), tuple(sorted(not_found)))


def registry_csv(jobcenter: Region, group: Group) -> str:
    """The comparison type of the Jobcenter and the others of its type, by AGS and the BA's
    name: a registry beside the config (the ids of the BA's figures), so the dashboard
    ranks within the type."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["jobcenter_id", "name", "comparison_type"])
    for region in (jobcenter, *group.found):
        writer.writerow([region.ags, region.name, group.kind])
    return out.getvalue()
