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
import textwrap
from pathlib import Path

from jctui.config import Config, SourceDef
from jctui.errors import ConfigError, SourceError
from jctui.locations import cache_dir, config_file
from jctui.sources.connectors.ba_regions import (
    KREIS,
    REGIONS_URL,
    STATE,
    Region,
    as_configured,
    closest,
    matching,
    region_list,
)
from jctui.textsafe import safe_text
from jctui.views.comparison import (
    Group,
    Types,
    find_types,
    group_of,
    plain_name,
    registry_csv,
)

TABLE = "EckwerteZeitreiheGrusiDBL"


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


def find_jobcenter(query: str, regions: list[Region]) -> Region:
    """The one Kreis meant by `query` (AGS, the BA's name, or the name with "Kreis" …); a
    ConfigError naming the candidates otherwise."""
    kreise = [r for r in regions if r.level == "Kreis"]
    text = query.strip()
    if text.isdigit():
        hits = [r for r in kreise if r.ags == text.zfill(5)]
    else:
        hits = [r for r in kreise if r.name.casefold() == text.casefold()]
        hits = hits or [r for r in kreise if plain_name(r.name) == plain_name(text)]
        wanted = plain_name(text)
        hits = hits or [r for r in kreise if wanted and wanted in plain_name(r.name)]
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


def _comment(text: str) -> str:
    """Text from data as one line of a TOML comment."""
    return " ".join(safe_text(text).split())


def regions_lines(jobcenter: Region, regions: list[Region], group: Group | None) -> list[str]:
    """The entries of `regions = [...]`: the Jobcenter, the others of its comparison type,
    its state (an aggregate), the other Kreise of its state (commented when the type is
    known: one request each per refresh), each part under a comment."""
    lines = [f"    {toml_string(jobcenter.name)},"]
    taken = {jobcenter, *(group.found if group else ())}
    if group is not None:
        lines.append(f"    # the others of its comparison type, {_comment(group.kind)}:")
        lines += [f"    {toml_string(r.name)}," for r in group.found]
        if group.not_found:
            missing = _comment(", ".join(group.not_found))
            lines.append(f"    # of the type, not in the BA's list by AGS or name: {missing}")
    kreise = [r for r in regions if r.level == KREIS and r.ags[:2] == jobcenter.ags[:2]]
    others = sorted((r for r in kreise if r not in taken), key=lambda r: r.name.casefold())
    mark = "# " if group is not None else ""
    if others:
        lines.append("    # the other Kreise of its state:")
        lines += [f"    {mark}{toml_string(r.name)}," for r in others]
    state = [r for r in regions if r.level == STATE and r.ident == jobcenter.ags[:2]]
    if state:
        lines.append("    # its state: an aggregate, never ranked among the Jobcenters")
        lines.append(f"    {toml_string(f'{STATE}={state[0].name}')},")
    if group is None:
        lines.append("    # the others of its comparison type: not known (see above)")
    return lines


def types_note(jobcenter: Region, types: Types | None, group: Group | None) -> str:
    """One line on where the comparison type came from, or why it is not known."""
    if group is not None and types is not None:
        count = len(group.found)
        return f"comparison type {group.kind} from {types.origin}: {count} others in the config"
    if types is not None:
        return (
            f"{jobcenter.name} ({jobcenter.ags}) is not in {types.origin} (by AGS or name): "
            "its comparison type is not known; the config lists the Kreise of its state"
        )
    return (
        "the comparison types are not known: jctui has no list of them; they come from the "
        "key-figure tables (sgb2.info, column Vergleichstyp). Pass --types FILE_OR_URL (such a "
        "table) and --force, or enable the key-figure source of the config, run `jctui "
        "refresh`, and run init again; the config lists the Kreise of its state"
    )


def registry_block(path: Path, types: Types) -> str:
    """The source of the registry `init` writes beside the config (types copied from
    `types`), as config lines."""
    return f"""
# The comparison type of these Kreise, copied by `jctui init` from {_comment(types.origin)}
# (the key-figure table's Vergleichstyp column): the dashboard ranks within the type.
[[sources]]
name = "types"
path = {toml_string(path.name)}
role = "registry"
"""


def config_text(
    jobcenter: Region,
    args: argparse.Namespace,
    note: str,
    listed: str,
    registry: str = "",
) -> str:
    """The commented config for `jobcenter`: the BA statistics API for the regions `listed`,
    the registry of their types (if any), the key-figure tables by template (commented:
    check the address)."""
    base = f"base_url = {toml_string(args.base_url)}" if args.base_url else "# base_url = ..."
    regions_url = getattr(args, "regions_url", None)
    rurl = f"regions_url = {toml_string(regions_url)}" if regions_url else "# regions_url = ..."
    wrapped = "\n".join(textwrap.wrap(_comment(note) + ".", 88, initial_indent="# ",
                                      subsequent_indent="# ", break_on_hyphens=False))  # fmt: skip
    return f"""\
# jctui config for {_comment(jobcenter.name)} (AGS {jobcenter.ags}), written by `jctui init`.
# The names below are the BA's own, from its region list; `jctui regions QUERY` lists them.
# Check everything before relying on it: see README, "Live public sources".

# "my Jobcenter": shown first (its AGS is its id in the BA's figures)
default_jobcenter = {toml_string(jobcenter.ags)}

# The statistics API of the Bundesagentur für Arbeit (no login): one request per region
# and refresh. The regions: {_comment(jobcenter.name)}, the others of its comparison type
# and its state.
{wrapped}
[[sources]]
name = "ba"
connector = "ba-statistik"
table = "{TABLE}"
regions = [
{listed}
]
# format = "csv"          # the CSV answer instead of the JSON cells
{base}
{rurl}
# [sources.metrics]      # a metricName of the BA -> a metric of the catalogue
# "Erwerbsfähige Leistungsberechtigte" = "elb"
{registry}
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
    beside = target.with_name(f"{target.stem}-types.csv")  # the types' registry, if any
    for path in (target, beside):
        if path.exists() and not args.force:
            raise ConfigError(f"{path}: exists; not overwritten (use --force to replace it)")
    regions = load_regions(config, args)
    wanted = args.jobcenter
    if not wanted and sys.stdin.isatty():
        wanted = input("Jobcenter (its Kreis as the BA names it, or the AGS): ").strip()
    if not wanted:
        raise ConfigError("--jobcenter: required (a name of the BA's list, or an AGS)")
    jobcenter = find_jobcenter(wanted, regions)
    types = find_types(config, args.types, offline=bool(args.offline))
    group = group_of(jobcenter, types, regions) if types is not None else None
    note = types_note(jobcenter, types, group)
    listed = "\n".join(regions_lines(jobcenter, regions, group))
    registry = registry_block(beside, types) if group is not None and types is not None else ""
    text = config_text(jobcenter, args, note, listed, registry)
    target.parent.mkdir(parents=True, exist_ok=True)
    if group is not None:
        _write(beside, registry_csv(jobcenter, group))
    _write(target, text)
    print(f"wrote {target} for {safe_text(jobcenter.name)} ({jobcenter.ags})")
    print(safe_text(note))
    return 0


def _write(path: Path, text: str) -> None:
    """Written whole or not at all (a temporary file replaced into place)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
