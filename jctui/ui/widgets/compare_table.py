"""Screen 2, compare: every Jobcenter as a row, sortable, filterable, markable for the chart.

The pane owns the rows, sorting, filtering and marks; the table (jctui.ui.widgets.compare_rows)
its keys and drawing; the `/` filter is jctui.ui.widgets.filter_input."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Input, Static

from jctui.config import MetricDef, RateDef
from jctui.i18n import Lang, fmt_number, fmt_pct, t
from jctui.presentation.policy import SMALL_COUNT_MARK, chosen_mark, sort_arrow
from jctui.presentation.text import safe_text, sparkline
from jctui.ui.messages import HeaderClicked, JobcenterChosen, MarksChanged, RowChosen
from jctui.ui.widgets.compare_rows import COLUMN_WIDTHS, CompareTable, header_label
from jctui.ui.widgets.filter_input import FilterInput
from jctui.ui.widgets.row_table import TableColumn

__all__ = ["ComparePane", "CompareTable", "natural_order"]


def natural_order(value: str) -> tuple[int, str]:
    """Comparison types as people count them: Ia, Ib, IIa, ..., IIIe, IV, V (not IIIa < IIa)."""
    match = re.match(r"(IV|V|I{1,3})(?![IVX])(.*)", value)
    if match is None:
        return 99, value
    return ROMAN[match.group(1)], match.group(2)


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


class ComparePane(Vertical):
    """The compare table with its filter line and footer; given its rows, language and marks."""

    rows: reactive[list[dict[str, Any]]] = reactive(list, always_update=True)
    lang: reactive[Lang] = reactive("en")
    marked: reactive[frozenset[str]] = reactive(frozenset)
    jobcenter_id = reactive("")  # the Jobcenter shown on the overview: the table opens on it
    sort_index = reactive(2)
    sort_reverse = reactive(True)
    text_filter = reactive("")
    filters: reactive[dict[str, str]] = reactive(dict)

    def __init__(
        self,
        metrics: Mapping[str, MetricDef],
        rates: Mapping[str, RateDef],
        *,
        ascii_only: bool = False,
        show_keys: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.show_keys = show_keys  # False in the kiosk: nobody there to press them
        self.own_id = ""  # your Jobcenter: its row is highlighted
        self.metrics, self.rates = metrics, rates
        self.ascii_only = ascii_only
        self.by_id: dict[str, dict[str, Any]] = {}
        self.cells: dict[str, list[Text]] = {}

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="/ Filter", id="compare-filter")
        yield Static(id="compare-filters")
        yield CompareTable(id="compare-table", fixed=2)
        yield Static(id="compare-footer")

    def on_mount(self) -> None:
        self.rebuild()

    def show_figures(self, metrics: Mapping[str, MetricDef], rates: Mapping[str, RateDef]) -> None:
        """The figures to show as columns (those of the data; see `Session.shown_figures`),
        taken in with the next `rows`. Other columns: the sort goes back to the first figure."""
        if list(metrics) == list(self.metrics) and list(rates) == list(self.rates):
            return
        self.metrics, self.rates = metrics, rates
        self.cells = {}
        self.set_reactive(ComparePane.sort_index, 2)

    def watch_rows(self) -> None:
        self.rebuild()

    def watch_lang(self) -> None:
        self.rebuild()

    # -- columns ---------------------------------------------------------------------

    @property
    def tick(self) -> str:
        """The mark of a marked Jobcenter (and the mark column's title)."""
        return chosen_mark(ascii_only=self.ascii_only)

    def columns(self) -> list[tuple[str, str]]:
        """(key, label) of the columns; the first figure after the name is the default sort."""
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

    def rebuild(self) -> None:
        """Cells anew for the current rows and language."""
        if not self.is_mounted or not self.rows:
            return
        self.by_id = {row["jobcenter_id"]: row for row in self.rows}
        self.cells = {}
        table = self.query_one(CompareTable)
        first = not table.keys
        table.forget_rows()
        self.refill()
        if first:
            table.move_to(self.jobcenter_id)

    def watch_jobcenter_id(self, jobcenter_id: str) -> None:
        if self.is_mounted and self.rows:
            self.query_one(CompareTable).move_to(jobcenter_id)

    def own(self, field: str) -> str | None:
        """The value of `field` for the user's Jobcenter (its state, carrier, type)."""
        value = self.by_id.get(self.own_id or self.jobcenter_id, {}).get(field)
        return str(value) if value else None

    def visible_rows(self) -> list[dict[str, Any]]:
        rows = [r for r in self.rows if all(r.get(f) == v for f, v in self.filters.items())]
        if self.text_filter.strip():
            from jctui.engine.search import rank_matches  # THE rule, as in the palette

            names = [str(r["name"] or "") for r in rows]
            ids = [str(r["jobcenter_id"]) for r in rows]
            found = {m.index for m in rank_matches(names, self.text_filter, ids=ids)}
            rows = [r for i, r in enumerate(rows) if i in found]
        key = self.columns()[self.sort_index][0]
        if key in ("mark", "trend"):
            key = "name"
        present = [r for r in rows if r.get(key) is not None]
        missing = [r for r in rows if r.get(key) is None]
        order = (lambda r: natural_order(str(r[key]))) if key == "comparison_type" else None
        present.sort(key=order or (lambda r: r[key]), reverse=self.sort_reverse)
        return present + missing

    def cell(self, key: str, row: dict[str, Any]) -> Text:
        lang = self.lang
        value = row.get(key)
        if key == "mark":
            return Text(
                self.tick if row["jobcenter_id"] in self.marked else " ", style="bold green"
            )
        if key in ("name", "state", "carrier", "comparison_type"):
            return Text(safe_text(value or ""))
        if key == "trend":
            return Text(sparkline(value or [], ascii_only=self.ascii_only, width=12), style="cyan")
        if key in (row.get("withheld") or ()):
            return Text(SMALL_COUNT_MARK, justify="right")
        if key == "change" or key.startswith("rate:") or self.is_level(key):
            return Text(fmt_pct(value, lang, signed=key == "change"), justify="right")
        return Text(fmt_number(value, lang), justify="right")

    def is_published(self, key: str) -> bool:
        """A key figure as published (an optional metric the data has)."""
        metric = self.metrics.get(key)
        return metric is not None and metric.optional

    def is_level(self, key: str) -> bool:
        """A key figure as published (K2 in %): shown with its unit and decimal, as a rate."""
        metric = self.metrics.get(key)
        return metric is not None and metric.is_level

    def row_cells(self, key: str) -> list[Text]:
        """Built once per figures and language, reused by every sort and filter."""
        cells = self.cells.get(key)
        if cells is None:
            row = self.by_id[key]
            cells = self.cells[key] = [self.cell(column, row) for column, _ in self.columns()]
        return cells

    def watch_marked(self, marked: frozenset[str]) -> None:
        changed = {
            key for key in self.cells if (key in marked) != (self.cells[key][0].plain != " ")
        }
        for key in changed:
            self.cells[key][0] = self.cell("mark", {"jobcenter_id": key})
        if self.is_mounted:
            self.query_one(CompareTable).forget_rows(changed)

    def refill(self, *, to_top: bool = False) -> None:
        """Columns, rows in sort and filter order, footer and filter line."""
        table = self.query_one(CompareTable)
        table.set_columns(
            [
                TableColumn(
                    header_label(
                        label,
                        width,
                        sort_arrow(self.sort_reverse, ascii_only=self.ascii_only)
                        if i == self.sort_index
                        else "",
                    ),
                    width,
                    right=key not in COLUMN_WIDTHS or key == "change",
                )
                for i, (key, label) in enumerate(self.columns())
                for width in [COLUMN_WIDTHS.get(key, 9)]
            ]
        )
        table.show_column(self.sort_index)
        table.own_key = self.own_id or None
        visible = self.visible_rows()
        table.set_rows([row["jobcenter_id"] for row in visible], keep_cursor=not to_top)
        self.update_footer(visible)
        self.query_one("#compare-filters", Static).update(
            Text(self.filter_line(len(visible)), style="dim"), layout=False
        )

    def filter_line(self, shown: int) -> str:
        """How many rows, every filter in force (the name filter too), and the keys (not on
        a kiosk)."""
        lang = self.lang
        active = [f"{t(f, lang)}={v}" for f, v in self.filters.items()]
        if self.text_filter.strip():
            active.append(f'{t("name", lang)} "{self.text_filter.strip()}"')
        shown_filters = ", ".join(active) or t("all", lang)
        keys = f" · {t('compare_keys', lang)}" if self.show_keys else ""
        return f"{shown}/{len(self.rows)} · {t('filter', lang)}: {safe_text(shown_filters)}{keys}"

    def update_footer(self, visible: list[dict[str, Any]]) -> None:
        key, label = self.columns()[self.sort_index]
        lang = self.lang
        entry = self.metrics.get(key) or self.rates.get(key.removeprefix("rate:"))
        if entry is not None:
            label = entry.label(lang)
        values = [r[key] for r in visible if isinstance(r.get(key), (int, float))]
        footer = self.query_one("#compare-footer", Static)
        if not values:
            footer.update("", layout=False)
            return
        percent = key.startswith("rate:") or key == "change" or self.is_level(key)

        def fmt(value: float) -> str:
            return fmt_pct(value, lang, signed=False) if percent else fmt_number(value, lang, 1)

        footer.update(
            Text(
                f"{label}: {t('group_mean', lang)} {fmt(statistics.fmean(values))} · "
                f"{t('group_median', lang)} {fmt(statistics.median(values))} ({len(values)})"
            ),
            layout=False,
        )

    # -- actions ---------------------------------------------------------------------

    def show_own_row(self) -> None:
        """Bring your Jobcenter's row and the sort column on screen (the kiosk's ranking)."""
        table = self.query_one(CompareTable)
        table.show_column(self.sort_index)
        if self.own_id in table.keys:
            table.cursor_row = table.keys.index(self.own_id)

    def watch_sort_index(self) -> None:
        if self.is_mounted and self.rows:
            self.refill(to_top=True)

    def watch_sort_reverse(self) -> None:
        if self.is_mounted and self.rows:
            self.refill(to_top=True)

    def show_ranking(
        self, filters: dict[str, str], ranked_by: tuple[str, bool] | None, *, own_id: str
    ) -> None:
        """The kiosk's compare and ranking pages: the rows of `filters` only, sorted by
        `ranked_by` (column key, descending) when given, `own_id`'s row highlighted."""
        self.filters = filters
        if ranked_by is not None:
            key, reverse = ranked_by
            self.sort_index = [k for k, _ in self.columns()].index(key)
            self.sort_reverse = reverse
        self.own_id = own_id
        self.refill()

    def reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse

    def open_filter(self) -> None:
        self.query_one(FilterInput).open()

    def type_into_filter(self, character: str) -> bool:
        """A key typed while the filter opens goes into it (True); else the table's."""
        field = self.query_one(FilterInput)
        if not field.opening:
            return False
        field.insert_text_at_cursor(character)
        return True

    def next_sort(self) -> None:
        cols = self.columns()
        nxt = (self.sort_index + 1) % len(cols)
        while cols[nxt][0] in ("mark", "trend"):
            nxt = (nxt + 1) % len(cols)
        self.sort_index = nxt

    def cycle_filter(self, field: str) -> None:
        """The next value of a filter: first the user's own, then on in natural order,
        then none."""
        choices = sorted({str(r[field]) for r in self.rows if r.get(field)}, key=natural_order)
        own = self.own(field)
        if own in choices:
            at = choices.index(own)
            choices = choices[at:] + choices[:at]
        current = self.filters.get(field)
        options = [None, *choices]
        nxt = options[(options.index(current) + 1) % len(options)] if current in options else None
        filters = dict(self.filters)
        if nxt is None:
            filters.pop(field, None)
        else:
            filters[field] = nxt
        self.filters = filters
        self.refill()

    def my_type(self) -> None:
        """Only the user's comparison type (again: all types)."""
        own = self.own("comparison_type")
        filters = dict(self.filters)
        if own is None or filters.get("comparison_type") == own:
            filters.pop("comparison_type", None)
        else:
            filters["comparison_type"] = own
        self.filters = filters
        self.refill()

    def clear_filters(self) -> None:
        """Every filter off: state, carrier, type and name."""
        self.filters = {}
        self.text_filter = ""
        field = self.query_one(FilterInput)
        if field.value:
            field.value = ""  # its Changed message refills
        else:
            self.refill()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.text_filter = event.value
        self.refill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(CompareTable).focus()

    def toggle_mark(self) -> None:
        """Mark or unmark the Jobcenter under the cursor; the app keeps the marks."""
        table = self.query_one(CompareTable)
        jc = table.cursor_key
        if jc is None:
            return
        self.marked = self.marked ^ {jc}  # at once: the next key may come before the app's echo
        self.post_message(MarksChanged(self.marked))
        table.action_move(1)

    def on_row_chosen(self, event: RowChosen) -> None:
        event.stop()
        self.post_message(JobcenterChosen(event.key))

    def on_header_clicked(self, event: HeaderClicked) -> None:
        event.stop()
        if self.columns()[event.column][0] in ("mark", "trend"):
            return
        if event.column == self.sort_index:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_index = event.column
