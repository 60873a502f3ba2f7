"""`jctui show` answered by the figure store's record (jctui.session.show_records): a lookup
of one Jobcenter on a warm store reads the name index and that Jobcenter's line of the
month's record, and prints it with the very renderer of a computed lookup
(jctui.views.show.write_answer): no Polars, no frames, no engine.

A lookup answered from the store's frames writes the month's record for every Jobcenter
(in its language, for the table or for JSON/CSV), so the next lookup of any Jobcenter at
that month is answered from it. Only plain lookups: one query matching one Jobcenter, no
`--compare`, no `--metric`, every source a file (or the demo data) or a plain URL source
whose server answers the conditional request, sent first, with a 304 (its cached copy keys
the store); anything else, and a record that is missing, stale, corrupt or of another
version, goes the usual way."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jctui.config import Config, listed_metrics
from jctui.config.catalogue import config_with_labels
from jctui.errors import JctuiError
from jctui.i18n import Lang
from jctui.session.show_records import NAMES_FILE, read_record, record_path, write_record
from jctui.session.store_link import store_enabled
from jctui.views.show import ShowAnswer, Sparks

if TYPE_CHECKING:
    from jctui.config import SourceDef
    from jctui.session.located import Located
    from jctui.session.oneshot import Lookup
    from jctui.session.store import StoredData

log = logging.getLogger("jctui.store")


def _variant(args: argparse.Namespace) -> str | None:
    """The record a lookup is answered from: "table" (with the sparklines; projections only
    beside targets) or "full" (JSON, CSV); None for a lookup no record answers."""
    if getattr(args, "compare", None) or getattr(args, "metric", None):
        return None
    fmt = getattr(args, "format", "table")
    return {"table": "table", "json": "full", "csv": "full"}.get(fmt)


def lookup_answer(found: Lookup, config: Config, lang: Lang, *, sparks: bool) -> ShowAnswer:
    """The answer of a lookup: its report and, for the table, its sparklines."""
    from jctui.views.report import build_report

    shown, label_of = found.dataset.shown_metrics, found.dataset.label_of
    labelled = config_with_labels(config, shown, label_of)
    report = build_report(found, labelled, lang)
    lines = _sparks(found, labelled) if sparks else {}
    figures = found.figures
    return ShowAnswer(
        report, figures.as_of, figures.latest, lines, list(found.notes), shown, label_of, figures
    )


def _sparks(found: Lookup, config: Config) -> Sparks:
    """The sparklines of the looked-up Jobcenters' figures."""
    from jctui.presentation.policy import SmallCounts
    from jctui.session.prepare import as_sparks, spark_frame

    listed = listed_metrics(config.metrics, found.dataset.shown_metrics)
    keys = found.metric_keys or [*listed, *config.rates]
    return as_sparks(
        spark_frame(
            found.dataset.values, found.figures, [k for k in keys if k in config.metrics],
            SmallCounts.of(config), found.ids, registry=found.dataset.registry,
            rates={k: r for k, r in config.rates.items() if k in keys},
        )
    )  # fmt: skip


# -- writing ---------------------------------------------------------------------------


def keep_record(found: Lookup, config: Config, args: argparse.Namespace, lang: Lang) -> None:
    """Write the month's record of every Jobcenter when the lookup was answered from the
    figure store and the record is not there yet; a failure is logged, never raised."""
    variant = _variant(args)
    data = found.stored
    if data is None or variant is None or not store_enabled():
        return
    from jctui.session.store import month_name

    key = data.folder.name
    path = record_path(data.folder, month_name(found.figures.as_of), lang, variant)
    expected = {"lang": lang, "variant": variant, "as_of": found.figures.as_of.isoformat()}
    if not path.parent.is_dir():
        return
    try:
        _write_names(data, found)
        if read_record(path, key, **expected) is None:
            _write_month(data, found, config, lang, variant, path)
    except Exception as exc:  # the record is a shortcut: the lookup has its answer
        log.warning("could not write the figure store: %s", exc)


def keep_latest_record(config: Config) -> None:
    """After `jctui refresh`: the table's record of the latest month in the configured
    language, so that the first `show` after it is answered from the record too. Only for
    file sources (a URL source's lookup asks its server first); a failure is only logged."""
    from jctui.i18n import resolve_language

    sources = config.sources
    if not store_enabled() or not sources or any(s.is_remote and not s.demo for s in sources):
        return
    from jctui.session.oneshot import run_lookup

    lang = resolve_language(config.language)
    try:
        found = run_lookup(config, at=None, projections=False, lang=lang)
        keep_record(found, config, argparse.Namespace(format="table"), lang)
    except Exception as exc:  # the record is a shortcut: the refresh has done its work
        log.warning("could not write the figure store: %s", exc)


def _write_names(data: StoredData, found: Lookup) -> None:
    """The name index of the stored revision (ids, names, periods), when not there."""
    path, key = data.folder / NAMES_FILE, data.folder.name
    if read_record(path, key) is not None:
        return
    registry = found.dataset.registry
    head = {
        "ids": registry.get_column("jobcenter_id").to_list(),
        "names": registry.get_column("name").to_list(),
        "periods": [p.isoformat() for p in data.periods],
        "frequency": data.frequency,
    }
    write_record(path, key, head)


def _write_month(
    data: StoredData, found: Lookup, config: Config, lang: Lang, variant: str, path: Path
) -> None:
    """The record of the month: every Jobcenter's entry as `show` reports it (the report of
    all of them, made by the lookup's own code), its sparklines, and the references beside
    the Jobcenters of each state."""
    from jctui.session.oneshot import Lookup, lookback
    from jctui.views.report import reference_values

    figures, registry = found.figures, found.dataset.registry
    ids = registry.get_column("jobcenter_id").to_list()
    values = data.lookup_values(ids, figures.as_of, lookback(config, data.frequency))
    every = Lookup(dataclasses.replace(found.dataset, values=values), figures, ids, [], None)
    answer = lookup_answer(every, config, lang, sparks=variant == "table")
    report = answer.report
    labelled = config_with_labels(config, answer.shown_metrics, answer.label_of)
    keys = listed_metrics(labelled.metrics, answer.shown_metrics)
    states = {jc["state"] for jc in report["jobcenters"]}
    references = [
        [state, reference_values(every, keys, {state}, labelled)]
        for state in sorted(states, key=lambda s: (s is None, str(s)))
    ]
    lines: dict[str, list[list[Any]]] = {}
    for (jc, key), line in answer.sparks.items():
        lines.setdefault(jc, []).append([key, list(line)])
    head = {
        "lang": lang,
        "variant": variant,
        "as_of": figures.as_of.isoformat(),
        "latest": figures.latest.isoformat(),
        "report": {k: v for k, v in report.items() if k not in ("jobcenters", "references")},
        "shown_metrics": sorted(answer.shown_metrics),
        "label_of": answer.label_of,
        "references": references,
    }
    entries = {
        jc["id"]: {"jc": jc, "sparks": lines.get(jc["id"], [])} for jc in report["jobcenters"]
    }
    write_record(path, data.folder.name, head, entries)


# -- reading ---------------------------------------------------------------------------


def stored_answer(config: Config, args: argparse.Namespace, lang: Lang) -> ShowAnswer | None:
    """The answer from the figure store's record (no Polars); None when no record answers
    this lookup (then it is looked up as usual). A query matching no Jobcenter is the
    same error as a computed lookup's (the same names, the same search)."""
    variant = _variant(args)
    if variant is None or not store_enabled() or not config.sources:
        return None
    from jctui.config.calendar import resolve_month
    from jctui.session.answers import note_read
    from jctui.session.as_of import check_as_of, parse_month
    from jctui.session.lookup import resolve_names
    from jctui.session.store import month_name, store_key, store_root

    here = _located(config, offline=bool(getattr(args, "offline", False)))
    if here is None:
        return None
    key = store_key(config, here)
    if key is None:
        return None
    folder = store_root(config) / key.name
    names = read_record(folder / NAMES_FILE, key.name)
    if names is None:
        return None
    try:
        periods = [dt.date.fromisoformat(p) for p in names.head["periods"]]
        as_of = check_as_of(periods, parse_month(getattr(args, "at", None)))
        month = resolve_month(periods[-1], str(names.head["frequency"]), as_of)
        known, ids_of = list(names.head["names"]), list(names.head["ids"])
    except (JctuiError, ValueError, KeyError, TypeError, IndexError):
        return None  # the lookup says what is wrong with --at
    try:  # a query matching no Jobcenter: the error of a computed lookup, raised here
        ids, notes = resolve_names(known, ids_of, [args.query], lang)
    except (TypeError, AttributeError, IndexError):  # an index of other types: not read
        return None
    if len(ids) != 1:
        return None
    expected = {"lang": lang, "variant": variant, "as_of": month.isoformat()}
    path = record_path(folder, month_name(month), lang, variant)
    record = read_record(path, key.name, **expected)
    if record is None:
        return None
    entry = record.entry(ids[0])
    if not isinstance(entry, dict):  # not whole: dropped, the lookup writes it again
        with suppress(OSError):
            path.unlink()
        return None
    try:
        head, jc = record.head, entry["jc"]
        report = {**head["report"], "jobcenters": [jc]}
        beside = (refs for state, refs in head["references"] if state == jc["state"])
        references: list[Any] = next(beside, [])
        if references:
            report["references"] = references
        sparks = {(ids[0], figure): line for figure, line in entry["sparks"]}
        answer = ShowAnswer(
            report, month, dt.date.fromisoformat(head["latest"]), sparks, notes,
            frozenset(head["shown_metrics"]), dict(head["label_of"]),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError):
        return None
    note_read(config, here)  # a repeat of this lookup prints its answer (session.answers)
    return answer


def _located(config: Config, *, offline: bool) -> list[Located] | None:
    """Where every source's data are, as the lookup finds them, without Polars: a file as
    it is; a plain URL source (not a template, not a connector; not --offline) by its
    conditional request, sent now, when the server answers a 304. None otherwise: then the
    lookup runs and takes the server's answer asked here (jctui.sources.fetch_ahead), so
    that new data, or a failure, are not asked for a second time."""
    from jctui.session.answers import plain_url
    from jctui.session.located import located_file

    if any(src.is_remote and not src.demo and (offline or not plain_url(src))
           for src in config.sources):  # fmt: skip
        return None  # asked first, by the lookup
    located = []
    for src in config.sources:
        here = located_file(src) or _not_modified(src, config)
        if here is None:
            return None
        located.append(here)
    return located


def _not_modified(src: SourceDef, config: Config) -> Located | None:
    """A URL source's cached copy when its server answers the conditional request with a
    304; None without a cached copy, for new data (a 200) or a failure (the lookup reads
    the one, says the other: the answer is kept for it)."""
    from jctui.locations import cache_dir
    from jctui.session.located import Located
    from jctui.sources import asked_ahead
    from jctui.sources.pointer import data_path, validators

    folder = cache_dir(config.cache_dir)
    known = validators(src, folder=folder)
    if known is None:
        return None  # no cached copy: the lookup fetches the data whole
    try:
        fetched = asked_ahead(
            src, etag=known.etag, last_modified=known.last_modified, folder=folder
        )
    except JctuiError:
        return None
    path = data_path(src, folder=folder)
    if not fetched.not_modified or path is None:
        return None
    return Located(src, path, from_cache=True, scannable=not known.set_aside)
