"""Finding Jobcenters for the user: queries of `show`/`export`, the default, the kiosk's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from jctui.engine.search import closest_of, find_jobcenters, match_indexes
from jctui.errors import NotFoundError
from jctui.i18n import Lang, t
from jctui.presentation.text import safe_text

if TYPE_CHECKING:
    import polars as pl

NAMES_IN_NOTE = 8  # a note on a query matching many Jobcenters names this many


def resolve_queries(
    registry: pl.DataFrame, queries: Sequence[str], lang: Lang = "en"
) -> tuple[list[str], list[str]]:
    """Jobcenter ids for the queries, in order, and notes (in `lang`) on queries matching
    several (`resolve_names` on the registry's names and ids)."""
    names = registry.get_column("name").to_list()
    ids = registry.get_column("jobcenter_id").to_list()
    return resolve_names(names, ids, queries, lang)


def resolve_names(
    names: Sequence[str | None], ids: Sequence[str], queries: Sequence[str], lang: Lang = "en"
) -> tuple[list[str], list[str]]:
    """Jobcenter ids for the queries, in order, and notes (in `lang`) on queries matching
    several; an error naming the closest names for a query matching none. Plain lists (the
    registry's, or the figure store's name index): the same answer either way."""
    found_ids: list[str] = []
    notes: list[str] = []
    for query in queries:
        found = match_indexes(names, ids, query)
        if not found:
            suggestions = ", ".join(safe_text(n) for n in closest_of(names, query))
            hint = f"; closest: {suggestions}" if suggestions else ""
            raise NotFoundError(
                f"no Jobcenter matches {safe_text(query)!r}{hint}",
                key="err_not_found_closest" if suggestions else "err_not_found",
                query=repr(safe_text(query)), closest=suggestions,
            )  # fmt: skip
        if len(found) > 1:
            shown = [safe_text(names[i]) for i in found[:NAMES_IN_NOTE]]
            more = len(found) - len(shown)
            listed = ", ".join(shown) + (t("and_more", lang).format(count=more) if more else "")
            note = t("matches_note", lang).format(count=len(found), names=listed)
            notes.append(f"{safe_text(query)!r}: {note}")
        found_ids += [ids[i] for i in found if ids[i] not in found_ids]
    return found_ids, notes


def first_match(registry: pl.DataFrame, query: str) -> str | None:
    """The id of the first Jobcenter matching `query`, or None."""
    found = find_jobcenters(registry, query)
    return None if found.is_empty() else str(found.item(0, "jobcenter_id"))


def default_jobcenter(registry: pl.DataFrame, wanted: str) -> str:
    """The configured default Jobcenter if it matches, else the first in the registry."""
    if wanted and (found := first_match(registry, wanted)) is not None:
        return found
    return str(registry.item(0, "jobcenter_id")) if registry.height else ""
