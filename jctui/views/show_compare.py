"""`jctui show --compare`: Jobcenters side by side in blocks that fit 80 columns, with the
rank in the comparison type and the gaps to the best of the type and to its mean."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from jctui.i18n import Lang, fmt_number, fmt_pct, t, window_label
from jctui.presentation.policy import SMALL_COUNT_MARK, SmallCounts, headline_field
from jctui.presentation.text import fit, safe_text

if TYPE_CHECKING:
    from jctui.engine import Figures


def shown_value(entry: Mapping[str, Any], field: str, lang: Lang, places: int = 0) -> str:
    """A figure of a report entry as shown: '4.236' ('19,8' with `places`), '–' when missing,
    '*' when withheld (by the policy or the publisher)."""
    withheld = field in entry.get("withheld", ())
    return SmallCounts().fmt(entry.get(field), lang, places, withheld=withheld)


def shown_pct(entry: Mapping[str, Any], field: str, lang: Lang, *, signed: bool = True) -> str:
    """A percentage of a report entry as shown: '+2,5 %', '*' when withheld."""
    if field in entry.get("withheld", ()):
        return SMALL_COUNT_MARK
    return fmt_pct(entry.get(field), lang, signed=signed)


COMPARE_LABEL = 16  # the figure's short label in `show --compare`
COMPARE_CELL = 20  # a Jobcenter's cell: '4,303 +2.0% 9/29'
COMPARE_PER_BLOCK = 3  # 16 + 3 x 21 = 79 columns; more Jobcenters: a second block below


def render_compare(
    report: dict[str, Any],
    figures: Figures,
    label_of: Mapping[str, str],
    lang: Lang,
    decimals: Mapping[str, int],
    sort_key: str | None = None,
) -> list[str]:
    """Metrics as rows, Jobcenters side by side in blocks of three (80 columns for six):
    the headline figure, its change and the rank in the comparison type; then, for the
    sorted figure (the first without `sort_key`), the gap to the best of the type and to
    the type's mean."""
    jcs = report["jobcenters"]
    keys = [*dict.fromkeys(k for jc in jcs for k in jc["metrics"])]
    rates = [*dict.fromkeys(k for jc in jcs for k in jc["rates"])]
    sort_key = sort_key if sort_key in (*keys, *rates) else (keys or rates or [None])[0]
    gaps = compare_gaps(figures, sort_key, [jc["id"] for jc in jcs]) if sort_key else {}
    lines: list[str] = []
    for first in range(0, len(jcs), COMPARE_PER_BLOCK):
        block = jcs[first : first + COMPARE_PER_BLOCK]
        if first:
            lines.append("")
        lines.append(_compare_row("", [safe_text(jc["name"]) for jc in block]))
        for key in keys:
            cells = []
            for jc in block:
                entry = jc["metrics"].get(key)
                if entry is None:
                    cells.append("–")
                    continue
                headline = shown_value(
                    entry, headline_field(entry["kind"]), lang, decimals.get(key, 0)
                )
                cells.append(
                    f"{headline} {shown_pct(entry, 'change_pct', lang)} {_type_rank(entry)}"
                )
            lines.append(_compare_row(label_of.get(key, key), cells))
        for key in rates:
            cells = [
                f"{shown_pct(jc['rates'].get(key, {}), 'value', lang, signed=False)} "
                f"{_type_rank(jc['rates'].get(key, {}))}"
                for jc in block
            ]
            lines.append(_compare_row(label_of.get(key, key), cells))
        if sort_key:
            for field, label in (("best", "gap_to_best"), ("mean", "gap_to_mean")):
                cells = [_gap_text(gaps.get(jc["id"], {}), field, lang) for jc in block]
                lines.append(_compare_row(t(label, lang), cells))
    if sort_key:
        basis = next((g["basis"] for g in gaps.values()), "change")
        lines.append(
            f"({t('compare_gaps_of', lang)}: {label_of.get(sort_key, sort_key)}, "
            f"{t('basis_' + basis, lang)})"
        )
    lines.append(
        f"({window_label('headline_note', lang, report['window'])}; {t('rank_in_type', lang)})"
    )
    return [line.rstrip() for line in lines]


def _compare_row(label: str, cells: Sequence[str]) -> str:
    return f"{fit(label, COMPARE_LABEL):<{COMPARE_LABEL}}" + "".join(
        f" {fit(c, COMPARE_CELL):>{COMPARE_CELL}}" for c in cells
    )


def _type_rank(entry: Mapping[str, Any]) -> str:
    """'9/29': the rank within the comparison type; '*' withheld, '–' without one."""
    if "rank" in entry.get("withheld", ()):
        return SMALL_COUNT_MARK
    if entry.get("group_rank") is None:
        return "–"
    return f"{entry['group_rank']}/{entry['group_rank_of']}"


def compare_gaps(figures: Figures, key: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per Jobcenter: the gap of the figure its rank compares to the best of its type
    (`best`) and to the type's mean (`mean`), and the `basis` ('change' or 'level');
    None where the rank is withheld or there is no group."""
    import polars as pl

    frame, column = (
        (figures.rates, "rate") if key in set(figures.rates.get_column("rate")) else
        (figures.metrics, "metric")
    )  # fmt: skip
    rows = frame.filter(pl.col(column) == key).select(
        "jobcenter_id", "group", "group_rank", "dev_group_mean", "rank_by", "withheld"
    )
    best = (
        rows.filter(pl.col("group_rank") == 1)
        .group_by("group")
        .agg(pl.col("dev_group_mean").first().alias("best_dev"))
    )
    found = rows.filter(pl.col("jobcenter_id").is_in(list(ids))).join(best, on="group", how="left")
    gaps: dict[str, dict[str, Any]] = {}
    for row in found.iter_rows(named=True):
        hidden = "rank" in (row.get("withheld") or ())
        own, top = row.get("dev_group_mean"), row.get("best_dev")
        gaps[row["jobcenter_id"]] = {
            "basis": row.get("rank_by") or "change",
            "withheld": hidden,
            "mean": None if hidden else own,
            "best": None if hidden or own is None or top is None else own - top,
        }
    return gaps


def _gap_text(gap: Mapping[str, Any], field: str, lang: Lang) -> str:
    """A gap as the figure is compared: a level's in points, a change's in percent."""
    if gap.get("withheld"):
        return SMALL_COUNT_MARK
    value = gap.get(field)
    if value is None:
        return "–"
    if gap.get("basis") == "level":
        return f"{fmt_number(value, lang, 1, signed=True)} {t('points', lang)}"
    return fmt_pct(value, lang, 1, signed=True)
