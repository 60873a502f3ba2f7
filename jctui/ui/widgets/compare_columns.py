"""The compare table's columns: which, in what order, their labels and cells, and the sort
in words; for the pane (jctui.ui.widgets.compare_table), which owns rows, sort and filters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from jctui.config import MetricDef, RateDef
from jctui.i18n import Lang, fmt_number, fmt_pct, t
from jctui.presentation.policy import SMALL_COUNT_MARK, chosen_mark
from jctui.presentation.ranking import (
    Standing,
    best_first_descending,
    gap_text,
    sort_words,
    type_rank_text,
)
from jctui.presentation.text import safe_text, sparkline

TEXT_COLUMNS = ("name", "state", "carrier", "comparison_type")
# the columns beside a ranked figure when sorted by it: its rank in the type and its gaps
STANDING = (
    ("standing:rank", "rank_short"),
    ("standing:best", "gap_best_short"),
    ("standing:mean", "gap_mean_short"),
)


def standing_of(row: Mapping[str, Any], key: str) -> Standing | None:
    """A compare row's Standing by column `key` (None: not ranked by it)."""
    found: Standing | None = (row.get("standing") or {}).get(key)
    return found


@dataclass(frozen=True)
class CompareColumns:
    """The columns of the figures shown, in one language."""

    metrics: Mapping[str, MetricDef]
    rates: Mapping[str, RateDef]
    lang: Lang
    ascii_only: bool = False

    @property
    def tick(self) -> str:
        """The mark of a marked Jobcenter (and the mark column's title)."""
        return chosen_mark(ascii_only=self.ascii_only)

    def base(self) -> list[tuple[str, str]]:
        """(key, label) of the columns in their own order; the first figure is the default
        sort."""
        lang = self.lang
        cols = [("mark", self.tick), ("name", t("jobcenter", lang))]
        for key, m in self.metrics.items():
            label = m.label(lang)
            short = label.split(" (")[-1].rstrip(")") if "(" in label else label.split()[0][:10]
            cols.append((key, short))
        for key, r in self.rates.items():
            label = r.label(lang)
            cols.append((f"rate:{key}", label.split(" (")[-1].rstrip(")")))
        shorts = Counter(label for _, label in cols)  # K2 computed and K2 as published
        published = t("published_short", lang)
        cols = [
            (key, f"{label} {published}" if shorts[label] > 1 and self.is_published(key) else label)
            for key, label in cols
        ]
        cols += [("change", t("change_pct", lang)), ("trend", t("trend", lang)), ("state", t("state", lang)),
                 ("carrier", t("carrier", lang)), ("comparison_type", t("comparison_type", lang)[:4] + ".")]  # fmt: skip
        return cols

    def sortable(self) -> list[str]:
        """The columns `s` steps through (not the marks, not the sparkline)."""
        return [key for key, _ in self.base() if key not in ("mark", "trend")]

    def figure_keys(self) -> list[str]:
        """The columns of figures (metrics and rates), each with a key to sort by it."""
        return [*self.metrics, *(f"rate:{key}" for key in self.rates)]

    def shown(self, key: str, *, ranked: bool) -> list[tuple[str, str]]:
        """(key, label) of the columns as shown when sorted by `key`: mark and name, then the
        sorted column (a ranked figure with its rank in the type and its gaps), then the
        rates (K2: in view at 80 columns whatever the sort), then the rest."""
        cols = self.base()
        front = [col for col in cols if col[0] == key and key != "name"]
        if front and ranked:
            front += [(column, t(label, self.lang)) for column, label in STANDING]
        rest = [col for col in cols[2:] if col[0] != key]
        rates = [col for col in rest if col[0].startswith("rate:")]
        return cols[:2] + front + rates + [col for col in rest if col not in rates]

    def entry(self, key: str) -> MetricDef | RateDef | None:
        return self.metrics.get(key) or self.rates.get(key.removeprefix("rate:"))

    def descending(self, key: str) -> bool:
        """Whether "best first" (unreversed) sorts column `key`'s values descending."""
        entry = self.entry(key)
        return best_first_descending(entry.better) if entry is not None else True

    def is_published(self, key: str) -> bool:
        """A key figure as published (an optional metric the data has)."""
        metric = self.metrics.get(key)
        return metric is not None and metric.optional

    def is_level(self, key: str) -> bool:
        """A key figure as published (K2 in %): shown with its unit and decimal, as a rate."""
        metric = self.metrics.get(key)
        return metric is not None and metric.is_level

    def is_percent(self, key: str) -> bool:
        return key == "change" or key.startswith("rate:") or self.is_level(key)

    def label(self, key: str) -> str:
        """A column's name in words: a figure's label, short where long ("K2", "Integrations")."""
        column = dict(self.base()).get(key, key)
        entry = self.entry(key)
        if entry is None:
            return column
        published = t("published_short", self.lang)
        short = entry.fitting_label(self.lang, 14)  # "Integrations", not "Int."
        return f"{short} {published}" if column.endswith(published) else short

    def cell(self, key: str, row: Mapping[str, Any], *, sort_key: str, marked: bool) -> Text:
        """Column `key`'s cell of `row` (rank and gaps: of the figure sorted by)."""
        lang = self.lang
        value = row.get(key)
        if key == "mark":
            return Text(self.tick if marked else " ", style="bold green")
        if key in TEXT_COLUMNS:
            return Text(safe_text(value or ""))
        if key == "trend":
            return Text(sparkline(value or [], ascii_only=self.ascii_only, width=12), style="cyan")
        if key.startswith("standing:"):
            standing, field = standing_of(row, sort_key), key.removeprefix("standing:")
            text = type_rank_text(standing) if field == "rank" else gap_text(standing, field, lang)
            return Text(text, justify="right")
        if key in (row.get("withheld") or ()):
            return Text(SMALL_COUNT_MARK, justify="right")
        if self.is_percent(key):
            return Text(fmt_pct(value, lang, signed=key == "change"), justify="right")
        return Text(fmt_number(value, lang), justify="right")

    def sort_line(
        self, key: str, standing: Standing | None, *, reverse: bool, hints: list[str], width: int
    ) -> str:
        """The sort in words ('sorted by K2, best first'), a count's basis named ('(change on
        prev. yr)'); then of the key `hints` as many as fit `width`."""
        ranked = standing is not None and standing.rank is not None
        basis = "change" if ranked and standing is not None and standing.basis == "change" else ""
        order = "ranked" if ranked else "text" if key in TEXT_COLUMNS else "value"
        line = sort_words(self.label(key), order, reverse, self.lang, basis)
        for hint in hints:
            if len(line) + 3 + len(hint) > width:
                break
            line = f"{line} · {hint}"
        return line
