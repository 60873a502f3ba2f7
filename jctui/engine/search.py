"""Find Jobcenters by id or by part of the name: case- and accent-insensitive."""

from __future__ import annotations

import difflib
import unicodedata

import polars as pl


def fold_text(text: str) -> str:
    """ "Landkreis Gießen" -> "landkreis giessen": the form names are matched in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """The same folding as `fold_text`, as a Polars expression over a column."""
    return (
        expr.str.to_lowercase()
        .str.replace_all("ß", "ss", literal=True)
        .str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
    )


def find_jobcenters(registry: pl.DataFrame, query: str) -> pl.DataFrame:
    """Exact id match first; else every name containing the query (folded), sorted by name."""
    query = query.strip()
    if not query:
        return registry.clear()
    exact = registry.filter(pl.col("jobcenter_id") == query)
    if not exact.is_empty():
        return exact
    needle = fold_text(query)
    by_name = registry.filter(fold_expr(pl.col("name")) == needle)
    if not by_name.is_empty():
        return by_name
    return registry.filter(
        fold_expr(pl.col("name")).str.contains(needle, literal=True)
        | fold_expr(pl.col("jobcenter_id")).str.contains(needle, literal=True)
    ).sort("name")


def closest_names(registry: pl.DataFrame, query: str, n: int = 3) -> list[str]:
    """Names that look most like the query, for a "did you mean" line."""
    names = registry.get_column("name").drop_nulls().to_list()
    folded = {fold_text(name): name for name in names}
    hits = difflib.get_close_matches(fold_text(query), list(folded), n=n, cutoff=0.4)
    if len(hits) < n:  # also match single words ("giesen" -> "Landkreis Gießen")
        words: dict[str, str] = {}
        for key in folded:
            for word in key.split():
                words.setdefault(word, key)
        for word in difflib.get_close_matches(fold_text(query), list(words), n=n, cutoff=0.6):
            if words[word] not in hits:
                hits.append(words[word])
    return [folded[h] for h in hits[:n]]
