"""`jctui inspect FILE|URL`: what jctui recognised in a file, column by column, and the
`[[sources]]` block that reproduces the reading (jctui.readers.published.inspection).

Exit 0 when the file reads with no problem, 1 when it reads with problems (a failed
cross-check, a column whose cells disagree), 2 when its layout cannot be read (then: how far
the reading got and the one option that would settle it).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from jctui.config import Config
from jctui.errors import EXIT_DATA, EXIT_OK, EXIT_USAGE, SourceError
from jctui.i18n import Lang, resolve_language
from jctui.presentation.text import safe_text
from jctui.readers import read_bytes
from jctui.readers.base import resolve_format
from jctui.readers.genesis import unwrap
from jctui.readers.published.inspection import Inspection, inspect_bytes
from jctui.sources import Fetched, fetch_source

# the headings of the text output: English, German
WORDS: dict[str, tuple[str, str]] = {
    "file": ("file", "Datei"),
    "kind": ("recognised", "erkannt"),
    "header": ("header", "Kopfzeile"),
    "month": ("report month", "Berichtsmonat"),
    "from": ("from", "aus"),
    "columns": ("columns", "Spalten"),
    "ignored": ("ignored", "nicht verwendet"),
    "back": ("a year earlier", "Vorjahresmonat"),
    "sheet": ("sheet used", "Blatt gelesen"),
    "skipped": ("sheets skipped", "Blätter übersprungen"),
    "signs": ("signs", "Zeichen"),
    "aggregates": ("aggregate rows", "Summenzeilen"),
    "checks": ("cross-checks", "Gegenproben"),
    "problems": ("problems", "Probleme"),
    "values": ("values as read", "gelesene Werte"),
    "config": ("config that reproduces this reading", "Konfiguration für dieses Lesen"),
    "error": ("cannot read the layout", "Aufbau nicht lesbar"),
    "reached": ("got as far as", "gelesen bis"),
    "option": ("set this option", "diese Option setzen"),
    "none": ("none", "keine"),
    "read": ("read", "gelesen"),
    "change": ("change against a year earlier", "Veränderung zum Vorjahresmonat"),
    "checked": ("checked, not used", "geprüft, nicht verwendet"),
}


def word(key: str, lang: Lang) -> str:
    pair = WORDS[key]
    return pair[1] if lang == "de" else pair[0]


def run_inspect(config: Config, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    lang = resolve_language(config.language)
    # a configured source of this file (its options: jobcenter, month, header_row, ...)
    configured = [src for src in config.sources if args.target in (src.path, src.url)]
    source = configured[0] if configured else config.with_source(args.target).sources[0]
    fetched = fetch_source(source)
    parts = fetched.parts or (fetched,)
    found = [_inspect(part, config, source) for part in parts]
    if getattr(args, "format", "text") == "json":
        payload = [f.as_json() for f in found]
        out.write(
            json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2)
            + "\n"
        )
    else:
        out.write("\n\n".join(render(f, lang) for f in found) + "\n")
    if any(f.error for f in found):
        return EXIT_USAGE
    return EXIT_DATA if any(f.problems for f in found) else EXIT_OK


def _inspect(fetched: Fetched, config: Config, source: object) -> Inspection:
    from jctui.config import SourceDef

    assert isinstance(source, SourceDef)
    data, origin, hint = fetched.data, fetched.origin, fetched.format_hint
    wrapped = unwrap(data, origin) if data else None
    if wrapped is not None:
        data, origin, hint = wrapped
    if not data:
        return Inspection(origin=origin, error=f"{origin}: empty file", option="a file with data")
    fmt = resolve_format(data, source, hint)
    try:
        result = read_bytes(data, source, catalogue=config.metrics, origin=origin, format_hint=hint)
    except SourceError:
        result = None
    return inspect_bytes(data, fmt, source, config.metrics, origin, result)


def render(found: Inspection, lang: Lang) -> str:
    """The inspection as text, one part per heading."""
    s = safe_text
    lines = [f"{word('file', lang)}: {s(found.origin)} ({found.format or '?'})"]
    if found.error:
        lines.append(f"{word('error', lang)}: {s(found.error)}")
        if found.reached:
            lines.append(f"{word('reached', lang)}: {s(found.reached)}")
        lines.append(f"{word('option', lang)}: {found.option}")
        return "\n".join(lines)
    lines.append(
        f"{word('kind', lang)}: {s(found.kind)}" + (f", {found.header}" if found.header else "")
    )
    if found.month:
        lines.append(
            f"{word('month', lang)}: {found.month} ({word('from', lang)} {s(found.month_from)})"
        )
    if found.sheet:
        lines.append(f"{word('sheet', lang)}: {s(found.sheet)}")
        skipped = ", ".join(s(n) for n in found.sheets_skipped) or word("none", lang)
        lines.append(f"{word('skipped', lang)}: {skipped}")
    if found.columns:
        lines.append(f"{word('columns', lang)}:")
        for c in found.columns:
            lines.append(f"  {c.index + 1:>3} {s(c.name) or '–':<50.50} {_what(c, lang)}")
    lines += [f"{word('read', lang)}: {s(n.split(': ', 1)[-1])}" for n in found.notices]
    lines.append(f"{word('signs', lang)}: {s(found.signs) or word('none', lang)}")
    lines.append(
        f"{word('aggregates', lang)}: "
        + (", ".join(s(a) for a in found.aggregates) or word("none", lang))
    )
    lines.append(f"{word('checks', lang)}:" + ("" if found.checks else f" {word('none', lang)}"))
    lines += [f"  {s(c)}" for c in found.checks]
    if found.problems:
        lines.append(f"{word('problems', lang)}:")
        lines += [f"  {s(p)}" for p in found.problems]
        if found.option:  # the one option that settles them
            lines.append(f"{word('option', lang)}: {found.option}")
    if found.values:
        lines.append(f"{word('values', lang)}:")
        for metric, shown in found.values.items():
            lines.append(f"  {s(metric)}: " + "; ".join(s(v) for v in shown))
    lines += ["", f"# {word('config', lang)}:", found.config]
    return "\n".join(lines)


def _what(column: object, lang: Lang) -> str:
    from jctui.readers.published.inspection import ColumnReport

    assert isinstance(column, ColumnReport)
    if column.role:
        return column.role
    if column.metric:
        parts = [column.metric]
        if column.unit:
            parts.append(f"[{column.unit}]")
        if column.months_back == 12:
            parts.append(f"({word('back', lang)})")
        if column.period:
            parts.append(column.period)
        if column.change:
            parts.append(f"{word('change', lang)} ({column.change}, {word('checked', lang)})")
        return " ".join(parts)
    return f"{word('ignored', lang)}: {column.ignored}"
