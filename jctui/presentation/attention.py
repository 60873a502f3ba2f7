"""What needs attention for one Jobcenter, in one place: `jctui check --attention` lists it
for cron and mail, and the dashboard can show the same as its attention line.

From the report entries (jctui.views.report) of the month shown and of the month before:
a target newly off track by its projection, a rank in the comparison type that fell out of
the type's upper third, a new month published (newer than the month last seen), revisions,
data overdue by the publication calendar, and withheld figures. Pure Python.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jctui.i18n import Lang, fmt_month, t
from jctui.presentation.policy import is_overdue
from jctui.presentation.text import safe_text

KINDS: tuple[str, ...] = ("off_track", "rank_fell", "new_month", "revision", "overdue", "withheld")


@dataclass(frozen=True)
class Attention:
    """One thing to look at: its kind (KINDS), the figure it is about ('' for the data) and
    the sentence a reader gets."""

    kind: str
    figure: str
    text: str


def _figures(jc: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    if not jc:
        return {}
    return {**jc.get("metrics", {}), **jc.get("rates", {})}


def upper_third(rank: int | None, of: int | None) -> bool | None:
    """Whether `rank` of `of` is in the upper third (9 of 29: yes, 11 of 29: no)."""
    if rank is None or not of:
        return None
    return rank <= math.ceil(of / 3)


def attention_items(
    now: Mapping[str, Any],
    before: Mapping[str, Any] | None,
    labels: Mapping[str, str],
    lang: Lang,
    *,
    latest: dt.date,
    today: dt.date,
    overdue_months: int,
    since: dt.date | None = None,
) -> tuple[Attention, ...]:
    """The things to look at for one Jobcenter (`now`: its report entry of the month shown,
    `before`: of the month before, None without one); () when there is nothing."""
    items: list[Attention] = []
    earlier = _figures(before)
    for key, entry in _figures(now).items():
        label = safe_text(labels.get(key, key))
        was = earlier.get(key, {})
        if entry.get("on_track") is False and was.get("on_track") is not False:
            kind = "target_missed_now" if entry.get("year_complete") else "newly_off_track"
            items.append(Attention("off_track", key, t(kind, lang).format(figure=label)))
        rank, of = entry.get("group_rank"), entry.get("group_rank_of")
        if upper_third(rank, of) is False and upper_third(was.get("group_rank"),
                                                           was.get("group_rank_of")):  # fmt: skip
            text = t("rank_fell", lang).format(
                figure=label, rank=f"{rank}/{of}", was=f"{was['group_rank']}/{was['group_rank_of']}"
            )
            items.append(Attention("rank_fell", key, text))
        if entry.get("withheld"):
            items.append(Attention("withheld", key, t("attention_withheld", lang).format(
                figure=label, fields=", ".join(entry["withheld"]))))  # fmt: skip
    if since is not None and latest > since:
        text = t("new_month", lang).format(month=fmt_month(latest, lang))
        items.append(Attention("new_month", "", text))
    revisions = [w for w in now.get("warnings", ()) if w.get("kind") == "revision"]
    for warning in revisions:
        label = safe_text(labels.get(warning.get("metric") or "", warning.get("metric") or ""))
        text = f"{t('revised', lang)}: {warning.get('period') or ''} {label}: "
        items.append(Attention("revision", warning.get("metric") or "",
                               text + safe_text(warning.get("message") or "")))  # fmt: skip
    if is_overdue(latest, today, overdue_months):
        text = t("data_overdue", lang).format(month=fmt_month(latest, lang))
        items.append(Attention("overdue", "", text))
    return tuple(items)


def figure_entry(row: Mapping[str, Any] | None, targets: Mapping[str, Any]) -> dict[str, Any]:
    """What `attention_items` reads of one figure, from its prepared row (the dashboard's
    look-ups, not the JSON report): its ranks, withheld fields and target fields."""
    row = row or {}
    withheld = [*(row.get("withheld") or ()), *targets.get("withheld", ())]
    entry = {k: row.get(k) for k in ("group_rank", "group_rank_of")}
    entry |= {k: targets.get(k) for k in ("on_track", "year_complete")}
    return entry | ({"withheld": list(dict.fromkeys(withheld))} if withheld else {})


def attention_variants(
    items: Sequence[Attention], short_labels: Mapping[str, str], lang: Lang
) -> tuple[str, ...]:
    """The one attention line of the overview and the kiosk, clearest first (pick the first
    that fits): every item's sentence; the kinds with their figures; the kinds; the count.
    Without items: that nothing needs attention (an answer too)."""
    if not items:
        return (t("attention_none", lang),)
    title = t("attention_title", lang)
    kinds: dict[str, list[str]] = {}
    for item in items:
        names = kinds.setdefault(t(f"attention_kind_{item.kind}", lang), [])
        label = safe_text(short_labels.get(item.figure, item.figure))
        if label and label not in names:
            names.append(label)
    grouped = [f"{kind}: {', '.join(names)}" if names else kind for kind, names in kinds.items()]
    return (
        f"{title}: " + "; ".join(item.text for item in items),
        f"{title}: " + " · ".join(grouped),
        f"{title}: " + " · ".join(kinds),
        f"{title} ({len(items)}): " + ", ".join(kinds),
        f"! {len(items)}: " + ", ".join(kinds),
        f"! {len(items)}",
    )


__all__ = [
    "KINDS",
    "Attention",
    "attention_items",
    "attention_variants",
    "figure_entry",
    "upper_third",
]
