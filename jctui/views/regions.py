"""`jctui regions [QUERY]` and `jctui init --jobcenter NAME`: the BA's region list, and a
commented config for one Jobcenter written from it.

Both take the names from the BA's own list (jctui.sources.connectors.ba_regions: fetched,
or the copy kept under the cache folder); jctui ships no list of its own, so without
either they say so and how to get one. `init` never overwrites a config without --force.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import unicodedata
from pathlib import Path

from jctui.config import Config, SourceDef
from jctui.errors import ConfigError, SourceError
from jctui.locations import cache_dir, config_file
from jctui.sources.connectors.ba_regions import (
    REGIONS_URL,
    Region,
    as_configured,
    closest,
    matching,
    region_list,
)
from jctui.textsafe import safe_text

TABLE = "EckwerteZeitreiheGrusiDBL"
# words a user puts before a Kreis' name that the BA's list leaves out
PREFIXES = ("jobcenter", "landkreis", "kreis", "stadt", "region", "lk", "kr.")


def connector_source(config: Config, args: argparse.Namespace) -> SourceDef:
    """The configured ba-statistik source (its regions_url and HTTP options), else one with
    the defaults; --regions-url overrides the list's address."""
    src = next(
        (s for s in config.sources if s.connector == "ba-statistik"),
        SourceDef(name="regions", connector="ba-statistik"),
    )
    if getattr(args, "regions_url", None):
        src = dataclasses.replace(src, regions_url=args.regions_url)
    return src


def load_regions(config: Config, args: argparse.Namespace) -> list[Region]:
    """The BA's list: fetched (kept a day) or the copy kept; a SourceError saying how to get
    it when there is neither."""
    src = connector_source(config, args)
    folder = cache_dir(config.cache_dir)
    offline = bool(getattr(args, "offline", False))
    try:
        return region_list(src, folder, offline=offline)
    except SourceError as exc:
        if offline:
            raise
        url = src.regions_url or REGIONS_URL
        raise SourceError(
            f"the BA's region list could not be fetched and no copy is kept ({exc}); "
            f"fetch it with `jctui regions` when online, or pass --regions-url (now {url})"
        ) from None


def run_regions(config: Config, args: argparse.Namespace) -> int:
    """List the regions the API takes (id and name as a config writes it), those matching
    QUERY if given."""
    regions = load_regions(config, args)
    hits = matching(args.query or "", regions)
    for region in hits:  # a Kreis by its AGS, a state by its code: as `show` finds them
        print(f"{region.ident}  {safe_text(as_configured(region))}")
    if not hits:
        print(f"no region matches {safe_text(args.query)!r}{closest(args.query, regions)}")
        return 1
    return 0


def _plain(text: str) -> str:
    """Lower case, without accents and the words the BA's names leave out."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace(",", " ")
    words = [w for w in text.split() if w not in PREFIXES]
    return " ".join(words)


def find_jobcenter(query: str, regions: list[Region]) -> Region:
    """The one Kreis meant by `query` (AGS, the BA's name, or the name with "Kreis" …); a
    ConfigError naming the candidates otherwise."""
    kreise = [r for r in regions if r.level == "Kreis"]
    text = query.strip()
    if text.isdigit():
        hits = [r for r in kreise if r.ags == text.zfill(5)]
    else:
        hits = [r for r in kreise if r.name.casefold() == text.casefold()]
        hits = hits or [r for r in kreise if _plain(r.name) == _plain(text)]
        wanted = _plain(text)
        hits = hits or [r for r in kreise if wanted and wanted in _plain(r.name)]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise ConfigError(f"--jobcenter: {text!r} is not in the BA's list{closest(text, kreise)}")
    names = ", ".join(f"{r.name} ({r.ags})" for r in hits[:6])
    raise ConfigError(f"--jobcenter: {text!r} matches several: {names}; give the AGS or the name")


def toml_string(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c >= " " else f"\\u{ord(c):04x}" for c in escaped) + '"'


def config_text(jobcenter: Region, regions: list[Region], args: argparse.Namespace) -> str:
    """The commented config for `jobcenter`: the BA statistics API for it and the other
    Kreise of its state, the key-figure tables by template (commented: check the address)."""
    state = [r for r in regions if r.level == "Kreis" and r.ags[:2] == jobcenter.ags[:2]]
    others = sorted((r for r in state if r != jobcenter), key=lambda r: r.name.casefold())
    names = [jobcenter.name, *(r.name for r in others)]
    listed = ",\n".join(f"    {toml_string(n)}" for n in names)
    base = f"base_url = {toml_string(args.base_url)}" if args.base_url else "# base_url = ..."
    regions_url = getattr(args, "regions_url", None)
    rurl = f"regions_url = {toml_string(regions_url)}" if regions_url else "# regions_url = ..."
    return f"""\
# jctui config for {jobcenter.name} (AGS {jobcenter.ags}), written by `jctui init`.
# The names below are the BA's own, from its region list; `jctui regions QUERY` lists them.
# Check everything before relying on it: see README, "Live public sources".

# "my Jobcenter": shown first (its AGS is its id in the BA's figures)
default_jobcenter = {toml_string(jobcenter.ags)}

# The statistics API of the Bundesagentur für Arbeit (no login): one request per region
# and refresh. The regions: {jobcenter.name} and the other Kreise of its state.
# The comparison type of a Jobcenter is not in the BA's region list: to compare with the
# Jobcenters of its type, add their names here (the key-figure tables below list the types).
[[sources]]
name = "ba"
connector = "ba-statistik"
table = "{TABLE}"
regions = [
{listed},
]
# format = "csv"          # the CSV answer instead of the JSON cells
{base}
{rurl}
# [sources.metrics]      # a metricName of the BA -> a metric of the catalogue
# "Erwerbsfähige Leistungsberechtigte" = "elb"

# The key figures under §48a, one download per report month (sgb2.info). The address is
# an example of the pattern: check the current one on sgb2.info before enabling it.
# [[sources]]
# name = "kennzahlen"
# url = "https://www.sgb2.info/SharedDocs/Downloads/DE/Kennzahlen/Kennzahlen-System-A-{{month_de}}-{{yyyy}}-CSV.zip"
# months = "2017-07"      # the first report month; every later one follows
"""


def run_init(config: Config, args: argparse.Namespace) -> int:
    """Write the commented config for one Jobcenter (--jobcenter, else asked on a
    terminal); never over an existing file without --force."""
    target = Path(args.output).expanduser() if args.output else config_file()
    if target.exists() and not args.force:
        raise ConfigError(f"{target}: exists; not overwritten (use --force to replace it)")
    regions = load_regions(config, args)
    wanted = args.jobcenter
    if not wanted and sys.stdin.isatty():
        wanted = input("Jobcenter (its Kreis as the BA names it, or the AGS): ").strip()
    if not wanted:
        raise ConfigError("--jobcenter: required (a name of the BA's list, or an AGS)")
    jobcenter = find_jobcenter(wanted, regions)
    text = config_text(jobcenter, regions, args)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    print(f"wrote {target} for {safe_text(jobcenter.name)} ({jobcenter.ags})")
    return 0
