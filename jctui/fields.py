"""Every figure field, declared once: what it is made of, where it applies, its label and type.

A field is either a window of the figure's own series (`span`: the months it sums or
averages, relative to the as-of month t), a value computed from other fields (`parts`,
with `op`), or a field the engine's rate, rank or target code computes (`base` fields:
their spans name the series they are made of). Everything else is derived from this table:

- the engine's metric columns and their expressions (`jctui.engine.figures`);
- which periods each field is made of, and so the small-count rule's secondary
  suppression: a field is withheld when any period it is made of holds a withheld count,
  and so is every field computed from it (`jctui.presentation.suppression`);
- the fields of `jctui show --format json` and `jctui export`, their column labels and
  types (`jctui.views.report`), and the detail lines in `show` and on the tiles (`detail`).

Adding a derived figure (say a 24-month mean) is one entry here: a span and a statistic.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

FLOW, STOCK, RATE = "flow", "stock", "rate"
METRIC_KINDS = frozenset({FLOW, STOCK})  # a level in % is a metric too, of kind flow or stock
ALL = frozenset({FLOW, STOCK, RATE})


@dataclass(frozen=True)
class At:
    """A period relative to the as-of period t: an anchor plus whole periods, configured
    windows and (for a rate's denominator) its lag.

    Anchors: "t"; "prev_t" (t a year earlier); "year" (the first period of t's year);
    "prev_year" (the first period of the year before)."""

    anchor: str
    periods: int = 0
    windows: int = 0
    lags: int = 0


@dataclass(frozen=True)
class Span:
    """The periods `first`..`last` of one series: the figure's own ("self"), or a rate's
    "numerator" or "denominator"."""

    first: At
    last: At
    series: str = "self"


T = At("t")
PREV_T = At("prev_t")
WINDOW = Span(At("t", 1, -1), T)  # the configured window ending in t (`window`, "12")
PREV_WINDOW = Span(At("prev_t", 1, -1), PREV_T)
YTD = Span(At("year"), T)
PREV_YTD = Span(At("prev_year"), PREV_T)


@dataclass(frozen=True)
class FigureField:
    """One field of a figure, as the engine computes it and every front end shows it.

    `kinds`: the kinds of figure it has a value for ("flow", "stock", "rate"); a published
    level in % is a metric of its kind. `span` and `statistic` ("value", "sum", "mean"):
    a window of the figure's own series. `parts` (per kind, or "*" for any) and `op`
    ("diff", "pct", "same"): a field computed from others. `spans` (per kind): what a
    `base` field the engine computes elsewhere is made of."""

    key: str
    # (German, English) column label; "{window}" is the configured window in words
    # ("12-Monats", "12-month": jctui.i18n.labels.window_words)
    label: tuple[str, str]
    dtype: str = "Float64"  # the Polars type by name: the table is read without Polars
    kinds: frozenset[str] = ALL
    span: Span | None = None
    statistic: str = "value"
    parts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    op: str = ""
    spans: Mapping[str, tuple[Span, ...]] = field(default_factory=dict)
    base: bool = False
    table: str = "metric"  # metric | rate | target: the frame of `Figures` it is in
    reported: bool = True  # in `show --format json` and `export`
    detail: bool = False  # a line of its own in `show` and on the tile (derived figures)
    # the engine's columns the field is worded from (withheld with it)
    columns: tuple[str, ...] = ()

    def parts_of(self, kind: str) -> tuple[str, ...]:
        return tuple(self.parts.get(kind, self.parts.get("*", ())))

    def spans_of(self, kind: str) -> tuple[Span, ...]:
        if self.span is not None:
            return (self.span,)
        return tuple(self.spans.get(kind, self.spans.get("*", ())))

    def applies(self, kind: str) -> bool:
        return kind in self.kinds


def _metric(key: str, label: tuple[str, str], **kw: object) -> FigureField:
    return FigureField(key, label, table="metric", **kw)  # type: ignore[arg-type]


# -- metric fields (Figures.metrics): windows of the figure's own series, then changes --
METRIC_FIELDS: tuple[FigureField, ...] = (
    _metric("value", ("Wert", "Value"), kinds=METRIC_KINDS, span=Span(T, T)),
    _metric(
        "value_prev_year", ("Wert Vorjahr", "Value previous year"), kinds=METRIC_KINDS,
        span=Span(PREV_T, PREV_T),
    ),
    _metric(
        "window_sum", ("{window}-Summe", "{window} sum"), kinds=frozenset({FLOW}), span=WINDOW,
        statistic="sum",
    ),
    _metric(
        "window_sum_prev", ("{window}-Summe Vorjahr", "{window} sum previous year"),
        kinds=frozenset({FLOW}), span=PREV_WINDOW, statistic="sum",
    ),
    _metric(
        "window_mean", ("{window}-Mittel", "{window} mean"), kinds=METRIC_KINDS, span=WINDOW,
        statistic="mean", reported=False,
    ),
    _metric(
        "ytd", ("Summe seit Jahresbeginn", "Year to date"), kinds=frozenset({FLOW}), span=YTD,
        statistic="sum",
    ),
    _metric(
        "ytd_prev", ("Summe seit Jahresbeginn Vorjahr", "Year to date previous year"),
        kinds=frozenset({FLOW}), span=PREV_YTD, statistic="sum",
    ),
    _metric(
        "change", ("Veränderung", "Change"), kinds=METRIC_KINDS,
        parts={FLOW: ("window_sum", "window_sum_prev"), STOCK: ("value", "value_prev_year")}, op="diff",
    ),
    _metric(
        "change_pct", ("Veränderung %", "Change %"), kinds=METRIC_KINDS,
        parts={FLOW: ("window_sum", "window_sum_prev"), STOCK: ("value", "value_prev_year")}, op="pct",
    ),
    _metric(
        "ytd_change", ("Veränderung seit Jahresbeginn", "Change year to date"),
        kinds=frozenset({FLOW}), parts={FLOW: ("ytd", "ytd_prev")}, op="diff", reported=False,
    ),
    _metric(
        "ytd_change_pct", ("Veränderung seit Jahresbeginn %", "Change year to date %"),
        kinds=frozenset({FLOW}), parts={FLOW: ("ytd", "ytd_prev")}, op="pct",
    ),
)  # fmt: skip

NUMERATOR = Span(At("t", 1, -1), T, "numerator")
DENOMINATOR = Span(At("t", 1, -1, -1), At("t", 0, 0, -1), "denominator")
NUMERATOR_PREV = Span(At("prev_t", 1, -1), PREV_T, "numerator")
DENOMINATOR_PREV = Span(At("prev_t", 1, -1, -1), At("prev_t", 0, 0, -1), "denominator")


def _rate(key: str, label: tuple[str, str], **kw: object) -> FigureField:
    return FigureField(key, label, kinds=frozenset({RATE}), table="rate", **kw)  # type: ignore[arg-type]


# -- rate fields (Figures.rates): K2-style rates from a numerator's sum and a denominator's
# mean over lagged windows (jctui.engine.figures.rate_figures computes them)
RATE_FIELDS: tuple[FigureField, ...] = (
    _rate("numerator_sum", ("Zähler", "Numerator"), spans={RATE: (NUMERATOR,)}, base=True,
          reported=False),
    _rate("denominator_mean", ("Nenner", "Denominator"), spans={RATE: (DENOMINATOR,)},
          base=True, reported=False),
    _rate("numerator_sum_prev", ("Zähler Vorjahr", "Numerator previous year"),
          spans={RATE: (NUMERATOR_PREV,)}, base=True, reported=False),
    _rate("denominator_mean_prev", ("Nenner Vorjahr", "Denominator previous year"),
          spans={RATE: (DENOMINATOR_PREV,)}, base=True, reported=False),
    _rate("value", ("Wert", "Value"), parts={RATE: ("numerator_sum", "denominator_mean")},
          op="ratio"),
    _rate("value_prev_year", ("Wert Vorjahr", "Value previous year"),
          parts={RATE: ("numerator_sum_prev", "denominator_mean_prev")}, op="ratio"),
)  # fmt: skip

# -- rank fields: computed over the shown figures by what the figure is ranked by (a
# metric's change_pct, a rate's or a level's value); withheld together, as "rank"
RANK_KEYS: tuple[str, ...] = ("rank", "rank_of", "group_rank", "group_rank_of")
_RANK_LABELS: Mapping[str, tuple[str, str]] = {
    "rank": ("Rang", "Rank"),
    "rank_of": ("Rang von", "Rank of"),
    "group_rank": ("Rang im Vergleichstyp", "Rank in comparison type"),
    "group_rank_of": ("Rang im Vergleichstyp von", "Rank in comparison type of"),
}
RANK_FIELDS: tuple[FigureField, ...] = tuple(
    FigureField(key, _RANK_LABELS[key], dtype="Int64", table="rank", base=True) for key in RANK_KEYS
)

# -- target fields (Figures.targets, jctui.engine.targets): progress from the current
# figure, the year-end projection from the months its formula takes
PROJECTION_SPANS: Mapping[str, tuple[Span, ...]] = {
    # this year's months and all of last year's (P = YTD x last year / YTD a year earlier)
    FLOW: (Span(At("prev_year"), T),),
    # the value now, a year earlier and last December (P = v(t) x v(Dec) / v(t-12))
    STOCK: (Span(T, T), Span(PREV_T, PREV_T), Span(At("year", -1), At("year", -1))),
    # the numerator's and denominator's months from a window before January to t (the
    # months of the windows ending in December, and the same months a year earlier)
    RATE: (
        Span(At("year", 0, -1), T, "numerator"),
        Span(At("year", 0, -1, -1), T, "denominator"),
    ),
}
TARGET_FIELDS: tuple[FigureField, ...] = (
    FigureField("target", ("Ziel", "Target"), table="target", base=True),
    FigureField(
        "current", ("Stand", "Current"), table="target", reported=False,
        parts={FLOW: ("ytd",), STOCK: ("value",), RATE: ("value",)}, op="same",
    ),
    FigureField(
        "target_progress_pct", ("Zielerreichung %", "Target progress %"), table="target",
        parts={"*": ("current",)}, op="target",
    ),
    FigureField(
        "projection", ("Hochrechnung Jahresende", "Projected year end"), table="target",
        spans=PROJECTION_SPANS, base=True,
    ),
    FigureField(
        "projection_pct", ("Hochrechnung / Ziel %", "Projection / target %"), table="target",
        parts={"*": ("projection",)}, op="target",
    ),
    FigureField(
        "on_track", ("Auf Kurs", "On track"), dtype="Boolean", table="target",
        parts={"*": ("projection",)}, op="target",
    ),
    FigureField(
        "year_complete", ("Jahr abgeschlossen", "Year complete"), dtype="Boolean",
        table="target", base=True,
    ),
    # why there is no projection: "last year's months are 0" tells a withheld zero
    FigureField(
        "projection_reason", ("Ohne Hochrechnung, weil", "No projection because"),
        dtype="String", table="target", parts={"*": ("projection",)}, op="target",
        columns=("projection_problem", "projection_missing"),
    ),
)  # fmt: skip

FIELDS: tuple[FigureField, ...] = (*METRIC_FIELDS, *RATE_FIELDS, *RANK_FIELDS, *TARGET_FIELDS)


def fields_of(table: str) -> tuple[FigureField, ...]:
    return tuple(f for f in FIELDS if f.table == table)


def field_labels() -> dict[str, tuple[str, str]]:
    """(German, English) label of every declared field, first declaration of a key wins."""
    out: dict[str, tuple[str, str]] = {}
    for f in FIELDS:
        out.setdefault(f.key, f.label)
    return out


def reported(table: str, kind: str) -> tuple[str, ...]:
    """The fields of `table` ("metric", "rate", "target") a figure of `kind` reports."""
    return tuple(f.key for f in fields_of(table) if f.reported and f.applies(kind))


def span_fields(table: str = "metric") -> Iterator[FigureField]:
    """The fields of `table` that are windows of the figure's own series."""
    return (f for f in fields_of(table) if f.span is not None)


__all__ = [
    "ALL",
    "FIELDS",
    "FLOW",
    "RANK_KEYS",
    "RATE",
    "STOCK",
    "At",
    "FigureField",
    "Span",
    "field_labels",
    "fields_of",
    "reported",
    "span_fields",
]
