"""Where a Jobcenter stands in its comparison type: its rank and its gaps to the best of the
type and to the type's mean, of the figure its rank compares (a count's change on the
previous year, a level such as K2 as it is). One rule for `show --compare` and the
dashboard's compare table; and which way is "best first" when sorting by a figure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from jctui.i18n import Lang, fmt_number, fmt_pct, t
from jctui.presentation.policy import SMALL_COUNT_MARK

if TYPE_CHECKING:
    from jctui.engine import Figures


@dataclass(frozen=True)
class Standing:
    """One Jobcenter's place by one figure. `rank` is among all Jobcenters (the order of a
    sort by the figure), `group_rank` of `group_rank_of` within its comparison type; `best`
    and `mean` are the gaps (own minus the type's best, own minus the type's mean) in the
    unit of `basis` ("level": points of a %-level; "change": points of the change in %).
    Withheld (small counts): no rank and no gaps are shown."""

    rank: int | None
    group_rank: int | None
    group_rank_of: int | None
    best: float | None
    mean: float | None
    basis: str = "change"
    withheld: bool = False


def standings(
    figures: Figures, key: str, ids: Iterable[str] | None = None, *, rate: bool | None = None
) -> dict[str, Standing]:
    """Per Jobcenter (of `ids`, else all): its Standing by figure `key`, a rate if `rate`
    (None: a rate if the figures have one of that key). Empty when the figure is not there."""
    if rate is None:
        rate = key in set(figures.rates.get_column("rate"))
    return standings_by_figure(figures, [key], ids, rate=rate).get(key, {})


def standings_by_figure(
    figures: Figures, keys: Sequence[str], ids: Iterable[str] | None = None, *, rate: bool
) -> dict[str, dict[str, Standing]]:
    """Per figure of `keys` (rates if `rate`, else metrics) and Jobcenter: its Standing, in
    one query (the compare rows ask for every figure shown at each month)."""
    import polars as pl

    frame, column = (figures.rates, "rate") if rate else (figures.metrics, "metric")
    rows = frame.filter(pl.col(column).is_in(list(keys))).select(
        column, "jobcenter_id", "group", "rank", "group_rank", "group_rank_of",
        "dev_group_mean", "rank_by", "withheld",
    )  # fmt: skip
    best = (
        rows.filter(pl.col("group_rank") == 1)
        .group_by(column, "group")
        .agg(pl.col("dev_group_mean").first().alias("best_dev"))
    )
    if ids is not None:
        rows = rows.filter(pl.col("jobcenter_id").is_in(list(ids)))
    out: dict[str, dict[str, Standing]] = {}
    for row in rows.join(best, on=[column, "group"], how="left").iter_rows(named=True):
        hidden = "rank" in (row.get("withheld") or ())
        own, top = row.get("dev_group_mean"), row.get("best_dev")
        out.setdefault(row[column], {})[row["jobcenter_id"]] = Standing(
            rank=None if hidden else row.get("rank"),
            group_rank=None if hidden else row.get("group_rank"),
            group_rank_of=row.get("group_rank_of"),
            best=None if hidden or own is None or top is None else own - top,
            mean=None if hidden else own,
            basis=row.get("rank_by") or "change",
            withheld=hidden,
        )
    return out


def gap_text(standing: Standing | None, field: str, lang: Lang) -> str:
    """A gap (`field` "best" or "mean") signed, in its unit: '-4.2 pts' of a level, '+1.3%'
    of a change; '*' withheld, '–' none."""
    if standing is None:
        return "–"
    if standing.withheld:
        return SMALL_COUNT_MARK
    value = standing.best if field == "best" else standing.mean
    if value is None:
        return "–"
    if standing.basis == "level":
        return f"{fmt_number(value, lang, 1, signed=True)} {t('points', lang)}"
    return fmt_pct(value, lang, 1, signed=True)


def type_rank_text(standing: Standing | None) -> str:
    """'9/29': the rank within the comparison type; '*' withheld, '–' without one."""
    if standing is not None and standing.withheld:
        return SMALL_COUNT_MARK
    if standing is None or standing.group_rank is None:
        return "–"
    return f"{standing.group_rank}/{standing.group_rank_of}"


def best_first_descending(better: str) -> bool:
    """Whether "best first" sorts a figure's values descending (higher is better, or no
    direction: the largest first) or ascending (lower is better)."""
    return better != "lower"


def sort_words(column: str, order: str, reverse: bool, lang: Lang, basis: str = "") -> str:
    """The sort stated in words: 'sorted by K2 (level), best first'. `order` is how the
    column sorts: "ranked" (best first), "value" (largest first) or "text" (A to Z)."""
    by = f"{column} ({t('basis_' + basis, lang)})" if basis else column
    words = {"ranked": ("best_first", "worst_first"), "value": ("largest_first", "smallest_first")}
    first, then = words.get(order, ("a_to_z", "z_to_a"))
    return f"{t('sorted_by', lang)} {by}, {t(then if reverse else first, lang)}"


def sort_letters(keys: Sequence[str], taken: Iterable[str]) -> dict[str, str]:
    """One lower-case letter per figure to sort by it (letter -> key): the first letter of
    each figure's key where free, then the next free letter of its key, then any free one;
    the same letters in every language (the keys, not the labels, name the figures)."""
    free = [c for c in "abcdefghijklmnopqrstuvwxyz" if c not in set(taken)]
    names = {key: [c for c in key.removeprefix("rate:").lower() if c in free] for key in keys}
    letters: dict[str, str] = {}
    for stage in ("first", "any of the key", "any"):
        for key in keys:
            if key in letters.values():
                continue
            candidates = names[key][:1] if stage == "first" else names[key]
            if stage == "any":
                candidates = free
            letter = next((c for c in candidates if c not in letters), None)
            if letter is not None:
                letters[letter] = key
    return letters


def natural_order(value: str) -> tuple[int, str]:
    """Comparison types as people count them: Ia, Ib, IIa, ..., IIIe, IV, V (not IIIa < IIa)."""
    match = re.match(r"(IV|V|I{1,3})(?![IVX])(.*)", value)
    if match is None:
        return 99, value
    return ROMAN[match.group(1)], match.group(2)


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
TEXT_COLUMNS = ("name", "state", "carrier", "comparison_type")


def sorted_rows(
    rows: Sequence[Mapping[str, Any]], key: str, *, reverse: bool, descending: bool
) -> list[Mapping[str, Any]]:
    """Rows in the order of a sort by column `key`: a ranked figure (rows with a `standing`
    for it) by its rank, best first; another figure by value, largest first when
    `descending`; a text column A to Z (comparison types in natural order). `reverse` turns
    the order round; rows without a value stay last either way."""

    def standing(row: Mapping[str, Any]) -> Standing | None:
        found: Standing | None = (row.get("standing") or {}).get(key)
        return found

    if any(s is not None and s.rank is not None for s in map(standing, rows)):
        present = [r for r in rows if (s := standing(r)) is not None and s.rank is not None]
        missing = [r for r in rows if (s := standing(r)) is None or s.rank is None]
        present.sort(key=lambda r: (cast(Standing, standing(r)).rank, str(r.get("name") or "")))
        return (present[::-1] if reverse else present) + missing
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    if key == "comparison_type":
        present.sort(key=lambda r: natural_order(str(r[key])), reverse=reverse)
    elif key in TEXT_COLUMNS:
        present.sort(key=lambda r: str(r[key]), reverse=reverse)
    else:
        present.sort(key=lambda r: r[key], reverse=descending != reverse)
    return present + missing
