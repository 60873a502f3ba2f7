"""English templates of the wording (`jctui.presentation.wording`): message id -> template.

Placeholders in braces are filled by the wording; every language names the same ones
(tests/unit/test_wording.py checks it).
"""

from __future__ import annotations

TEMPLATES: dict[str, str] = {
    # the short names of warning kinds
    "kind.gap": "gap",
    "kind.duplicate": "duplicate",
    "kind.conflict": "conflict",
    "kind.negative": "negative",
    "kind.outlier": "outlier",
    "kind.incomplete_window": "incomplete",
    "kind.stated": "stated figure",
    "kind.revision": "revision",
    # a stated check's statistic
    "statistic.mean": "mean per month",
    "statistic.sum": "sum",
    # a gap's unit
    "unit.day": "days",
    "unit.month": "months",
    # warnings
    "warning.gap": "gap: {count} missing {unit} from {since}",
    "warning.negative": "negative value {amount} for a flow",
    "warning.outlier": "outlier: {amount} (usual for this month: {usual})",
    "warning.conflict": "conflict: values {values} on lines {lines}; used: the last",
    "warning.duplicate": "delivered twice, lines {lines}",
    "warning.incomplete_window": (
        "incomplete window: {present} of {length} periods present, no figure computed"
    ),
    "warning.stated": (
        "the data give {given}, stated {stated} "
        "({statistic} of {name} {first} to {last}: {summed} / {span}{label})"
    ),
    "warning.stated_published": (
        "published {published} ({label}), its numerator and denominator give {gives} ({given})"
    ),
    "revision": "revised: {old} {arrow} {new}",
    # explaining a figure (`i`)
    "explain.formula": (
        "Formula: sum of {numerator} over t-{first}..t / mean of {denominator} over "
        "t-{start}..t-{lag} × {scale}"
    ),
    "explain.kind": "Kind: {kind}",
    "explain.flow": (
        "{periods}: sum of the last {window} periods; change: against the same months a year "
        "earlier."
    ),
    "explain.stock": "Change as K3: (value / value 12 months earlier − 1) × 100.",
    "explain.direction": "Direction: {better}",
    "direction.higher": "higher is better",
    "direction.lower": "lower is better",
    "direction.none": "no direction",
    "rank.none": "Rank: none, the figure has no better direction (better = none).",
    "rank.level": "Rank: by the level of the rate (as the official comparison), 1 = best.",
    "rank.change": (
        "Rank: by the change against the previous year, 1 = best; group = comparison type."
    ),
    # explaining the marks of a tile (`i`)
    "marks.warnings": (
        "{mark}: {count} data warning(s) on this figure at the as-of month (listed on 4 Warnings)."
    ),
    "marks.revised": (
        "{mark}: {count} values of this figure were revised by the last load "
        "(listed on 4 Warnings)."
    ),
    "marks.group_rank": (
        "{rank}/{of} {group_mark}: rank {rank} of the {of} Jobcenters of comparison type "
        "{group} (similar Jobcenters: the fair comparison)."
    ),
    "marks.rank": "#{rank}/{of}: rank {rank} of all {of} Jobcenters.",
    "marks.calendar": "published about {months} months after month end",
    "marks.overdue": (
        "overdue: the newest report month in the data is {month}; the next one was due by "
        "{due} ({calendar}): report overdue."
    ),
    "marks.due": (
        "next due: the newest report month in the data is {month}; the next one is due by "
        "{due} ({calendar})."
    ),
    "marks.not_the_fetch": (
        'Not the same as "updated 14:55" / "fetch failed" at the top: that is the fetch of '
        "the source, not the age of the figures."
    ),
    "marks.withheld_rule": "{mark}: a count below {threshold}, withheld (privacy).",
    "marks.withheld_file": "{mark}: withheld by the publisher (* in the file).",
    "marks.refused": "–: left out, its own file contradicts it: {problem}",
    "banner.refused": "figures left out, their file contradicts them: {count} (i)",
    "banner.refused_short": "left out: {count}",
}
