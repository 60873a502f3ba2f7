"""The argument parser of the command line: every command, its options, help and examples.

Kept import-light as the rest of `jctui.cli` (the standard library only), so `jctui --help`
starts fast; what a command does is in `jctui.cli` (`main`, the dispatch).
"""

from __future__ import annotations

import argparse

from jctui import __version__

RANKS_HELP = """\
ranks (1 = best): metrics by their change against the previous year (flows: the sum over
the configured window, 12 months by default; stocks: the level, as K3); rates such as K2
by their level, as the official comparison does; a figure with better = "none"
(customers) has no rank. The JSON field rank_by says which ("change", "level" or null).
small counts: with small_count_threshold, counts below it are shown as * and so is every
figure from which one could be computed (sums, year-to-date, changes, rates, ranks).
"""

EPILOG_MAIN = """\
examples:
  jctui                                  dashboard on your config, or the bundled demo data
  jctui --source figures.csv             dashboard on one file (canonical long layout)
  jctui --kiosk                          rotating kiosk display (see config.toml [kiosk])
  jctui show "Kreis Offenbach"           figures of one Jobcenter as a table
  jctui check --config config.toml       validate config and data

exit codes: 0 ok, 1 data problems or nothing found, 2 unusable config or source
"""


def _common_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="config file (default: $JCTUI_CONFIG, then the user config dir, else demo data)",
    )
    parser.add_argument(
        "--source",
        metavar="PATH_OR_URL",
        default=default,
        help="use this one file or URL (canonical long layout) instead of the configured sources",
    )
    parser.add_argument(
        "--lang",
        choices=["de", "en"],
        default=default,
        help="language of labels and number formats (default: config, else locale)",
    )


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    help: str,
    description: str,
    epilog: str,
) -> argparse.ArgumentParser:
    """A subcommand with its help, an example epilog and the options every command takes."""
    parser = sub.add_parser(
        name,
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common_options(parser, suppress=True)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jctui",
        description="Terminal dashboard for the key figures of German Jobcenters.",
        epilog=EPILOG_MAIN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"jctui {__version__}")
    _common_options(parser, suppress=False)
    parser.add_argument(
        "--kiosk",
        action="store_true",
        help="kiosk mode: full screen rotation, no quitting by q/Esc",
    )
    parser.add_argument(
        "--ascii",
        action="store_true",
        default=None,
        help="ASCII-only sparklines, borders and arrows",
    )
    parser.add_argument("--theme", choices=["dark", "light", "high-contrast"], help="colour theme")
    parser.add_argument(
        "--at", metavar="YYYY-MM", help="start at this as-of month instead of the latest"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = _command(
        sub,
        "check",
        help="validate config and data, print a summary",
        description="Validate the configuration and every source; list rejected rows and conflicts.",
        epilog="examples:\n  jctui check --config config.toml\n"
        '  jctui check --attention "Kreis Offenbach" --since 2018-09\n\n'
        "exit codes: 0 clean, 1 data problems found, 2 unusable config or unreadable source; "
        "with --attention: 0 nothing needs attention, 3 something does (listed)",
    )
    check.add_argument(
        "--limit", type=int, default=50, help="list at most this many rejected rows (default 50)"
    )
    check.add_argument(
        "--attention",
        nargs="?",
        const="",
        metavar="QUERY",
        help="list what needs attention for a Jobcenter (default: the configured one), for "
        "cron and mail: exit 3 when there is something",
    )
    check.add_argument(
        "--since",
        metavar="YYYY-MM",
        help="with --attention: the month last seen (a newer one is listed as published)",
    )
    check.add_argument("--at", metavar="YYYY-MM", help="with --attention: the month to look at")

    show = _command(
        sub,
        "show",
        help="print the figures of one or more Jobcenters",
        description="Print the figures of the Jobcenters matching QUERY (id or part of the name).",
        epilog='examples:\n  jctui show "Kreis Offenbach"\n  jctui show offenb --at 2017-12 --format json\n'
        '  jctui show "Kreis Offenbach" --compare "Stadt Offenbach" "Darmstadt-Dieburg"\n\n'
        f"{RANKS_HELP}\nexit codes: 0 ok, 1 nothing matched, 2 unusable config or source",
    )
    show.add_argument(
        "query", help="Jobcenter id or part of its name (case- and accent-insensitive)"
    )
    show.add_argument("--at", metavar="YYYY-MM", help="as-of month (default: latest in the data)")
    show.add_argument(
        "--metric", action="append", metavar="KEY", help="only this metric (repeatable)"
    )
    show.add_argument(
        "--format", choices=["table", "json", "csv"], default="table", help="output format"
    )
    show.add_argument(
        "--compare", nargs="+", metavar="QUERY", default=[], help="more Jobcenters side by side"
    )
    show.add_argument(
        "--sort",
        metavar="KEY",
        help="with --compare: the figure whose gaps to the best of the type and to its mean "
        "are shown (default: the first)",
    )
    add_dialect(show)
    show.add_argument("--offline", action="store_true", help="answer from the offline cache alone")
    show.add_argument("--ascii", action="store_true", default=None, help="ASCII sparklines")

    export = _command(
        sub,
        "export",
        help="write the computed figures to a file",
        description="Write the computed figures of the chosen Jobcenters and month to a file.",
        epilog="examples:\n  jctui export --format xlsx -o figures.xlsx\n"
        '  jctui export --format csv -o offenbach.csv --jobcenter "Kreis Offenbach" --at 2018-07\n\n'
        "every Jobcenter asked for is listed, one without data at the month with empty figures.\n"
        f"{RANKS_HELP}",
    )
    export.add_argument(
        "--format", choices=["csv", "parquet", "json", "xlsx"], help="default: from the file name"
    )
    add_dialect(export)
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="output file")
    export.add_argument("--at", metavar="YYYY-MM", help="as-of month (default: latest)")
    export.add_argument(
        "--jobcenter", action="append", metavar="QUERY", help="limit to matching Jobcenters"
    )
    export.add_argument(
        "--group", metavar="VALUE", help="limit to one comparison group (e.g. IIa or HE)"
    )
    export.add_argument(
        "--metric", action="append", metavar="KEY", help="only this metric (repeatable)"
    )

    inspect = _command(
        sub,
        "inspect",
        help="show what jctui recognises in a file, column by column",
        description="Show what jctui recognises in FILE or URL: every column (id, name, month, "
        "a figure with its key and unit, or ignored and why), the report month and where it "
        "came from, signs, aggregate rows, sheets, the cross-checks, a few values per figure, "
        "and the [[sources]] block that reproduces the reading.",
        epilog="examples:\n  jctui inspect ~/Downloads/kennzahlen-201807.xlsx\n"
        "  jctui inspect kennzahlen.csv --lang de --format json\n\n"
        "exit codes: 0 read with no problem, 1 read with problems, 2 layout not readable",
    )
    inspect.add_argument("target", metavar="FILE|URL", help="the file, folder or URL to inspect")
    inspect.add_argument("--format", choices=["text", "json"], default="text", help="output format")

    _command(
        sub,
        "refresh",
        help="fetch every source once and update the (shared) offline cache",
        description="Fetch every source once (conditional requests) and update the offline "
        "cache where the data changed: for a systemd timer or cron on a host whose dashboards "
        "set follow_cache = true (see README).",
        epilog="example:\n  jctui refresh --config /etc/jctui/config.toml\n\n"
        "exit codes: 0 every source refreshed, 2 a source failed or unusable config",
    )

    serve = _command(
        sub,
        "serve",
        help="serve the dashboard to a web browser (textual-serve)",
        description="Serve the dashboard to a web browser. Needs the 'serve' extra.",
        epilog="examples:\n  jctui serve\n  jctui serve --host 0.0.0.0 --port 8000 --kiosk",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--kiosk", action="store_true", help="serve the kiosk mode")
    serve.add_argument("--max-sessions", type=int, default=8, help="dashboards at once (default 8)")
    serve.add_argument(
        "--warm-sessions",
        type=int,
        default=None,
        help="dashboards kept started ahead, so a new session's figures show at once "
        "(default 4, at most --max-sessions; 0: none; each holds ~40 MB)",
    )
    _public_commands(sub)
    return parser


def _public_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`regions` and `init`: the BA's region list, and a config written from it."""
    regions = _command(
        sub,
        "regions",
        help="list the region names the BA statistics API takes",
        description="List the BA's regions (id and name; a Bundesland or Agentur as Level=Name), "
        "those matching QUERY. The list is fetched at most once a day and kept in the cache.",
        epilog="examples:\n  jctui regions\n  jctui regions offenbach\n  jctui regions 064\n\n"
        "exit codes: 0 ok, 1 nothing matched, 2 the list could not be had",
    )
    regions.add_argument("query", nargs="?", default="", help="part of a name, or of an AGS")
    init = _command(
        sub,
        "init",
        help="write a commented config for one Jobcenter",
        description="Write a commented config for one Jobcenter: the BA statistics API for it, "
        "the others of its comparison type (from --types or a configured source's copy) and its "
        "state, the key-figure tables by template. Names come from the BA's region list.",
        epilog='examples:\n  jctui init --jobcenter "Kreis Offenbach"\n'
        "  jctui init --jobcenter 06438 -o ba.toml --force --types kennzahlen.csv\n\n"
        "exit codes: 0 written, 2 not written (exists, unknown Jobcenter, no list, bad --types)",
    )
    init.add_argument("--jobcenter", metavar="NAME_OR_AGS", help="the Jobcenter (its Kreis)")
    init.add_argument(
        "-o", "--output", metavar="FILE", help="where to write (default: the user config file)"
    )
    init.add_argument("--force", action="store_true", help="replace an existing file")
    init.add_argument("--base-url", metavar="URL", help="the API's address (a mirror)")
    init.add_argument("--types", metavar="FILE_OR_URL", help="a key-figure table (the types)")
    for command in (regions, init):
        command.add_argument("--regions-url", metavar="URL", help="the region list's address")
        command.add_argument(
            "--offline", action="store_true", help="use the copy of the region list kept"
        )


def add_dialect(command: argparse.ArgumentParser) -> None:
    """The CSV dialect option of `show` and `export`."""
    command.add_argument(
        "--dialect",
        choices=["plain", "de"],
        default=None,
        help="CSV dialect: plain (keys, ',' and full numbers, for scripts) or de "
        "(';', decimal comma, labels: opens as a table in German Excel); default plain. "
        "CSV only: with the table format it is an error",
    )
