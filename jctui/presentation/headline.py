"""The kiosk's large figures: which figures, as the small-count rule left them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from jctui.config import Config
from jctui.config.catalogue import kennzahl_key, kennzahl_part
from jctui.i18n import Lang, fmt_pct, window_label
from jctui.presentation.policy import SMALL_COUNT_MARK, SmallCounts, headline_field
from jctui.presentation.tiles import first_fitting

HEADLINE_KEYS = ("integrations", "k2", "long_term_recipients")  # the kiosk's large figures
# a headline figure as the key-figure table publishes it, where the data has only that
HEADLINE_AS_PUBLISHED = {
    "integrations": kennzahl_part("K2", "numerator")[0],  # integrations_12m
    "k2": kennzahl_key("K2"),  # k2_published
}


@dataclass(frozen=True)
class HeadlineFigure:
    """One of the kiosk's large figures, with its labels longest first (for narrow screens)."""

    key: str
    labels: tuple[str, ...]
    text: str

    def fitting_label(self, width: int) -> str:
        return first_fitting(self.labels, width)


def headline_figures(
    config: Config,
    metrics: Mapping[str, Mapping[str, Any]],
    rates: Mapping[str, Mapping[str, Any]],
    lang: Lang,
    shown: Collection[str],
) -> tuple[HeadlineFigure, ...]:
    """The kiosk's large figures: integrations over the configured window, K2, LZB (as the policy left them);
    on data that has only the published key-figure table (`shown`: the metrics the data has
    and the rates it can give), the same figures as published (K2's numerator, K2)."""
    out = []
    for slot in HEADLINE_KEYS:
        key = slot
        published = HEADLINE_AS_PUBLISHED.get(slot)
        if shown and slot not in shown and published is not None and published in shown:
            key = published
        if key in config.metrics:
            m = config.metrics[key]
            labels: tuple[str, ...] = (m.label(lang), m.short_label(lang))
            if m.kind == "flow":  # "Integrations (12 months)" ... "Int. (12 mo)"
                labels = tuple(
                    f"{label} ({window_label(words, lang, config.window)})"
                    for label in labels
                    for words in ("window_sum", "window_short")
                )
            row, field = metrics.get(key, {}), headline_field(m.kind)
            withheld = field in (row.get("withheld") or ())
            if m.is_level:  # K2 as published: a level in %, as the rate below
                text = fmt_pct(row.get(field), lang, signed=False).replace(" %", "%")
                text = SMALL_COUNT_MARK if withheld else text
            else:
                text = SmallCounts().fmt(row.get(field), lang, withheld=withheld)
            out.append(HeadlineFigure(slot, labels, text))
        elif key in config.rates:
            r = config.rates[key]
            row = rates.get(key, {})
            text = fmt_pct(row.get("value"), lang, signed=False).replace(" %", "%")
            if "value" in (row.get("withheld") or ()):
                text = SMALL_COUNT_MARK
            out.append(HeadlineFigure(slot, (r.label(lang), r.short_label(lang)), text))
    return tuple(out)
