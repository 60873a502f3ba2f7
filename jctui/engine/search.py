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
    """Names that look most like the query, for a "did you mean" line.

    Scored on the whole name, on the words in any order ("Ofenbach Kreis"), and on the best
    single word ("Giesen" -> "Landkreis Gießen"); the registry is a few hundred names.
    """
    wanted = fold_text(query)
    wanted_words = sorted(wanted.split())

    def score(name: str) -> float:
        folded = fold_text(name)
        words = folded.split()
        whole = difflib.SequenceMatcher(None, wanted, folded).ratio()
        any_order = difflib.SequenceMatcher(
            None, " ".join(wanted_words), " ".join(sorted(words))
        ).ratio()
        best_word = max(
            (
                difflib.SequenceMatcher(None, q, w).ratio()
                for q in wanted_words
                for w in words
                if len(q) > 3
            ),
            default=0.0,
        )
        return max(whole, any_order, best_word * 0.95)

    names = registry.get_column("name").drop_nulls().unique().to_list()
    ranked = sorted(((score(name), name) for name in names), key=lambda p: (-p[0], p[1]))
    return [name for s, name in ranked[:n] if s >= 0.5]
