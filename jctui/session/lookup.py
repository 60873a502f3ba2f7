"""Finding Jobcenters for the user: queries of `show`/`export`, the default, the kiosk's."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from jctui.engine import closest_names, find_jobcenters
from jctui.errors import NotFoundError
from jctui.i18n import Lang, t
from jctui.presentation.text import safe_text

NAMES_IN_NOTE = 8  # a note on a query matching many Jobcenters names this many


def resolve_queries(
    registry: pl.DataFrame, queries: Sequence[str], lang: Lang = "en"
) -> tuple[list[str], list[str]]:
    """Jobcenter ids for the queries, in order, and notes (in `lang`) on queries matching
    several."""
    ids: list[str] = []
    notes: list[str] = []
    for query in queries:
        found = find_jobcenters(registry, query)
        if found.is_empty():
            suggestions = ", ".join(safe_text(n) for n in closest_names(registry, query))
            hint = f"; closest: {suggestions}" if suggestions else ""
            raise NotFoundError(
                f"no Jobcenter matches {safe_text(query)!r}{hint}",
                key="err_not_found_closest" if suggestions else "err_not_found",
                query=repr(safe_text(query)), closest=suggestions,
            )  # fmt: skip
        if found.height > 1:
            names = [safe_text(n) for n in found.get_column("name").head(NAMES_IN_NOTE)]
            more = found.height - len(names)
            listed = ", ".join(names) + (t("and_more", lang).format(count=more) if more else "")
            note = t("matches_note", lang).format(count=found.height, names=listed)
            notes.append(f"{safe_text(query)!r}: {note}")
        ids += [i for i in found.get_column("jobcenter_id").to_list() if i not in ids]
    return ids, notes


def first_match(registry: pl.DataFrame, query: str) -> str | None:
    """The id of the first Jobcenter matching `query`, or None."""
    found = find_jobcenters(registry, query)
    return None if found.is_empty() else str(found.item(0, "jobcenter_id"))


def default_jobcenter(registry: pl.DataFrame, wanted: str) -> str:
    """The configured default Jobcenter if it matches, else the first in the registry."""
    if wanted and (found := first_match(registry, wanted)) is not None:
        return found
    return str(registry.item(0, "jobcenter_id")) if registry.height else ""
