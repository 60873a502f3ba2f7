"""Command line: `jctui [app options]`, `jctui check`, `jctui show`, `jctui export`,
`jctui refresh`, `jctui serve`, `jctui regions`, `jctui init`.

The parser (commands, options, help) is `jctui.cli.parser`; here: the config, the dispatch
to the command and the one-line errors. Kept import-light: Polars and Textual are imported only by the subcommand that needs them,
so `jctui --help` and `jctui show` start fast. Errors a user can act on are printed as one
line with a documented exit code (see jctui.errors), never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from jctui.cli.parser import build_parser
from jctui.errors import EXIT_USAGE, ConfigError, JctuiError
from jctui.textsafe import safe_text

if TYPE_CHECKING:
    from jctui.config import Config


def resolve_config(args: argparse.Namespace) -> Config:
    """Config from --config / $JCTUI_CONFIG / user dir / defaults, then --source and --lang."""
    import dataclasses

    from jctui.config import load_config

    config = load_config(getattr(args, "config", None))
    source = getattr(args, "source", None)
    if source is not None:
        if not source.strip():  # an unset shell variable, say: not the demo data
            raise ConfigError("--source: empty (give a file path or URL)")
        config = config.with_source(source)
    lang = getattr(args, "lang", None)
    if lang:
        config = dataclasses.replace(config, language=lang)
    return config


def _dispatch(args: argparse.Namespace) -> int:
    config = resolve_config(args)
    if args.command == "check":
        from jctui.views.check import run_check

        return run_check(config, args)
    if args.command == "show":
        from jctui.views.show import run_show

        return run_show(config, args)
    if args.command == "export":
        from jctui.views.export import run_export

        return run_export(config, args)
    if args.command == "inspect":
        from jctui.views.inspect import run_inspect

        return run_inspect(config, args)
    if args.command == "refresh":
        from jctui.session.shared import refresh_cache

        done = refresh_cache(config)
        for item in done:
            print(f"{item.source}: {item.outcome}" + (f" ({item.detail})" if item.detail else ""))
        if any(item.outcome == "failed" for item in done):
            return EXIT_USAGE
        from jctui.views.show_record import keep_latest_record

        keep_latest_record(config)  # the first `show` after it: from the record, no Polars
        return 0
    if args.command in ("regions", "init"):
        from jctui.views.regions import run_init, run_regions

        return run_regions(config, args) if args.command == "regions" else run_init(config, args)
    if args.command == "serve":
        from jctui.ui.serve import run_serve

        return run_serve(config, args)
    from jctui.ui.run import run_app

    return run_app(config, args)


def error_line(exc: JctuiError, lang_option: str | None) -> str:
    """ "error: ..." in the language of --lang (else the locale's); messages without a
    German template (most name a file, a key and a value) keep their English wording."""
    from jctui.i18n import resolve_language, t

    lang = resolve_language(lang_option or "auto")
    text = str(exc)
    if lang == "de" and exc.key:
        text = t(exc.key, "de").format(**exc.params)
    return f"{t('error', lang)}: {text}"


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # "·", "–", names: never a crash on ASCII output
        if "utf" not in (getattr(stream, "encoding", None) or "utf-8").lower():
            from jctui.presentation.text import ascii_fallback

            ascii_fallback(stream)
    from jctui.session.answers import recording, replayed

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # a repeated `show` on unchanged data (files, URLs answering 304): the answer it printed
        if replayed(argv, lambda: resolve_config(args)):
            return 0
        with recording(argv) as codes:
            codes.append(code := _dispatch(args))
            sys.stdout.flush()  # a full disk shows here, as one line, not at exit as a traceback
        return code
    except JctuiError as exc:
        print(f"jctui: {error_line(exc, getattr(args, 'lang', None))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `jctui show ... | head`: the reader went away; not an error worth a traceback.
        _discard_stdout()
        return 0
    except OSError as exc:  # `jctui show > /dev/full`, a vanished terminal, a failing disk
        if os.environ.get("JCTUI_DEBUG"):
            raise
        where = safe_text(exc.filename) if exc.filename else "standard output"
        print(f"jctui: error: {where}: {exc.strerror or exc}", file=sys.stderr)
        _discard_stdout()
        return EXIT_USAGE
    except Exception as exc:  # last resort: one line, traceback only on request
        if os.environ.get("JCTUI_DEBUG"):
            raise
        print(
            f"jctui: internal error: {type(exc).__name__}: {safe_text(exc)}"
            " (set JCTUI_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_USAGE


def _discard_stdout() -> None:
    """Output that cannot be written is dropped, so that Python's flush at exit does not
    print a second error (and a traceback) after ours."""
    try:
        sys.stdout.flush()
    except OSError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    raise SystemExit(main())
