"""`jctui show --compare`: Jobcenters side by side in blocks that fit 80 columns, with the
rank in the comparison type and the gaps to the best of the type and to its mean."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from jctui.i18n import Lang, fmt_pct, t, window_label
from jctui.presentation.policy import SMALL_COUNT_MARK, SmallCounts, headline_field
from jctui.presentation.ranking import Standing, gap_text, standings, type_rank_text
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
    figures: Figures | None,
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
    ids = [jc["id"] for jc in jcs]
    gaps = standings(figures, sort_key, ids) if sort_key and figures is not None else {}
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
                    f"{headline} {shown_pct(entry, 'change_pct', lang)} {type_rank_text(_entry_standing(entry))}"
                )
            lines.append(_compare_row(label_of.get(key, key), cells))
        for key in rates:
            cells = [
                f"{shown_pct(jc['rates'].get(key, {}), 'value', lang, signed=False)} "
                f"{type_rank_text(_entry_standing(jc['rates'].get(key, {})))}"
                for jc in block
            ]
            lines.append(_compare_row(label_of.get(key, key), cells))
        if sort_key:
            for field, label in (("best", "gap_to_best"), ("mean", "gap_to_mean")):
                cells = [gap_text(gaps.get(jc["id"]), field, lang) for jc in block]
                lines.append(_compare_row(t(label, lang), cells))
    if sort_key:
        basis = next((g.basis for g in gaps.values()), "change")
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


def _entry_standing(entry: Mapping[str, Any]) -> Standing:
    """A report entry's rank in its type as a Standing (its gaps are not in the entry)."""
    return Standing(
        rank=entry.get("rank"),
        group_rank=entry.get("group_rank"),
        group_rank_of=entry.get("group_rank_of"),
        best=None,
        mean=None,
        withheld="rank" in entry.get("withheld", ()),
    )
