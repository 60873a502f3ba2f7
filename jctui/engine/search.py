"""Find Jobcenters (and palette commands) by id or part of a name: THE matching rule.

Case- and accent-insensitive ("munster" finds "Stadt Münster", "meissen" and "meißen" find
"Landkreis Meißen", "muenster" too), and ordered by how well a name matches:

0. the id or the whole name
1. the name starts with the query
2. a word of the name starts with the query ("gies" -> "Landkreis Gießen")
3. the query is inside the name (or the id)
4. every word of the query starts a word of the name, in any order ("offenbach kreis")
5. (only where asked for: the command palette) the name looks like the query
   ("Ofenbach"), scored as `closest_names` does, most alike first

`jctui show` and the command palette both use `rank_matches`; a few hundred names are
matched in plain Python (the palette runs on the UI thread, where no Polars query runs).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

EXACT, PREFIX, WORD_PREFIX, INSIDE, ALL_WORDS, FUZZY = range(6)
FUZZY_CUTOFF = 0.75  # below this a "looks like" match is noise ("gies" ~ "wiesen")
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
_WORD_START = re.compile(r"(?:^|[^0-9a-z])(?=[0-9a-z])")


def _fold_char(ch: str, *, umlauts: bool = False) -> str:
    if umlauts and ch in UMLAUTS:
        ch = UMLAUTS[ch]
    decomposed = unicodedata.normalize("NFKD", ch.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_mapped(text: str, *, umlauts: bool = False) -> tuple[str, tuple[int, ...]]:
    """The folded text and, for each of its characters, the index of the original one."""
    if text.isascii():  # most names: nothing to decompose (a one-shot `show` folds 400)
        return text.lower(), tuple(range(len(text)))
    parts, where = [], []
    for index, ch in enumerate(text):
        folded = _fold_char(ch, umlauts=umlauts)
        parts.append(folded)
        where += [index] * len(folded)
    return "".join(parts), tuple(where)


def fold_text(text: str) -> str:
    """ "Landkreis Gießen" -> "landkreis giessen": the form names are matched in."""
    return fold_mapped(text)[0]


@functools.lru_cache(maxsize=4096)  # the palette asks again for every key typed
def _forms(text: str) -> tuple[str, ...]:
    """The folded forms of a name: "Münster" as "munster" and as "muenster"."""
    plain = fold_text(text)
    spelled = fold_mapped(text, umlauts=True)[0]
    return (plain,) if spelled == plain else (plain, spelled)


def _tier(name: str, ident: str, query: str) -> int | None:
    """How well `name` (or `ident`) matches the folded `query`; None: not at all."""
    if query == ident.casefold():
        return EXACT
    best: int | None = None
    for form in _forms(name):
        if form == query:
            return EXACT
        if form.startswith(query):
            tier = PREFIX
        elif any(form.startswith(query, m.end()) for m in _WORD_START.finditer(form)):
            tier = WORD_PREFIX
        elif query in form:
            tier = INSIDE
        elif len(words := query.split()) > 1 and all(
            any(form.startswith(word, m.end()) for m in _WORD_START.finditer(form))
            for word in words
        ):
            tier = ALL_WORDS
        else:
            continue
        best = tier if best is None else min(best, tier)
    if best is None and ident and query in ident.casefold():
        best = INSIDE
    return best


def likeness(name: str, query: str, cutoff: float = 0.0) -> float:
    """0..1: how much `name` looks like the folded `query` (whole, words in any order, or
    for a one-word query its best single word: "Giesen" -> "Landkreis Gießen"). Scores that cannot reach
    `cutoff` are not computed exactly (difflib's quick bounds first: the palette asks for
    a few hundred names at every key)."""
    folded = _forms(name)[0]
    words, wanted_words = folded.split(), sorted(query.split())

    def ratio(a: str, b: str, weight: float = 1.0) -> float:
        matcher = difflib.SequenceMatcher(None, a, b)
        if matcher.real_quick_ratio() * weight < cutoff or matcher.quick_ratio() * weight < cutoff:
            return 0.0
        return matcher.ratio() * weight

    whole = ratio(query, folded)
    any_order = ratio(" ".join(wanted_words), " ".join(sorted(words)))
    best_word = (
        max(  # one word typed: it may name one word of the name
            (ratio(q, w, 0.95) for q in wanted_words[:1] for w in words if len(q) > 3),
            default=0.0,
        )
        if len(wanted_words) == 1
        else 0.0
    )
    return max(whole, any_order, best_word)


@dataclass(frozen=True)
class Match:
    index: int  # into the names given
    tier: int  # EXACT .. FUZZY: lower is better
    alike: float = 1.0  # FUZZY: the likeness (higher first)


def rank_matches(
    names: Sequence[str],
    query: str,
    *,
    ids: Sequence[str] | None = None,
    fuzzy: bool = False,
) -> list[Match]:
    """The names matching `query`, best first (by tier, then name); see the module's rule."""
    wanted = fold_text(query.strip())
    wanted = " ".join(wanted.split())
    if not wanted:
        return []
    idents = ids if ids is not None else [""] * len(names)
    found: list[tuple[int, float, str, int]] = []
    for index, (name, ident) in enumerate(zip(names, idents, strict=True)):
        tier, alike = _tier(name, ident, wanted), 1.0
        if tier is None and fuzzy:
            alike = likeness(name, wanted, FUZZY_CUTOFF)
            tier = FUZZY if alike >= FUZZY_CUTOFF else None
        if tier is not None:
            found.append((tier, -alike, name, index))
    found.sort()
    return [Match(index, tier, -negative) for tier, negative, _, index in found]


def highlight_span(name: str, query: str) -> tuple[int, int] | None:
    """Where the query (folded) stands in `name`, as indexes into `name`; None: nowhere."""
    wanted = " ".join(fold_text(query.strip()).split())
    if not wanted:
        return None
    for umlauts in (False, True):
        folded, where = fold_mapped(name, umlauts=umlauts)
        at = folded.find(wanted)
        if at >= 0:
            return where[at], where[at + len(wanted) - 1] + 1
    return None


def match_indexes(names: Sequence[str | None], ids: Sequence[str], query: str) -> list[int]:
    """The indexes of the names (or ids) matching `query`, best first; only the exact ones
    if there are. Nothing matching by the rule's tiers: the names that look most like the
    query, as the command palette offers them first ("Kreis Offenbch" -> "Kreis Offenbach"):
    one matcher, one answer (for a registry frame or the store's plain name index)."""
    plain = [str(n or "") for n in names]
    matches = rank_matches(plain, query, ids=[str(i) for i in ids])
    if not matches:
        alike = rank_matches(plain, query, ids=[str(i) for i in ids], fuzzy=True)
        matches = [m for m in alike if alike and m.alike >= alike[0].alike]
    if matches and matches[0].tier == EXACT:
        matches = [m for m in matches if m.tier == EXACT]
    return [m.index for m in matches]


def find_jobcenters(registry: pl.DataFrame, query: str) -> pl.DataFrame:
    """The registry rows matching `query`, best first (`match_indexes`)."""
    names = registry.get_column("name").to_list()
    ids = registry.get_column("jobcenter_id").to_list()
    return registry[match_indexes(names, ids, query)]


def closest_of(names: Sequence[str | None], query: str, n: int = 3) -> list[str]:
    """Names that look most like the query, for a "did you mean" line."""
    wanted = " ".join(fold_text(query.strip()).split())
    known = {name for name in names if name is not None}  # a few hundred
    ranked = sorted(((likeness(name, wanted), name) for name in known), key=lambda p: (-p[0], p[1]))
    return [name for s, name in ranked[:n] if s >= 0.5]


def closest_names(registry: pl.DataFrame, query: str, n: int = 3) -> list[str]:
    """Names that look most like the query, for a "did you mean" line (`closest_of`)."""
    return closest_of(registry.get_column("name").to_list(), query, n)
