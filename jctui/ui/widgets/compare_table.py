"""Screen 2, compare: every Jobcenter as a row, sortable, filterable, markable for the chart.

The pane owns the rows, sorting, filtering and marks; the table (jctui.ui.widgets.compare_rows)
its keys and drawing; the `/` filter is jctui.ui.widgets.filter_input."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Input, Static

from jctui.config import MetricDef, RateDef
from jctui.i18n import Lang, fmt_number, fmt_pct, t
from jctui.presentation.policy import sort_arrow
from jctui.presentation.ranking import Standing, natural_order, sorted_rows
from jctui.presentation.text import ascii_cells, safe_text
from jctui.ui.messages import HeaderClicked, JobcenterChosen, MarksChanged, RowChosen
from jctui.ui.widgets.compare_columns import TEXT_COLUMNS, CompareColumns, standing_of
from jctui.ui.widgets.compare_rows import (
    COLUMN_WIDTHS,
    RIGHT_ALIGNED,
    CompareTable,
    header_label,
    name_width,
)
from jctui.ui.widgets.filter_input import FilterInput
from jctui.ui.widgets.row_table import TableColumn
from jctui.ui.widgets.sized import Line, SizedByLayout

__all__ = ["ComparePane", "CompareTable", "natural_order"]


class ComparePane(Vertical, SizedByLayout):
    """The compare table with its filter line, its sort in words and footer; given its rows,
    language and marks. Sorted by a figure, the figure, the rank in the type and the gaps to
    the type's best and mean stand right after the name, so they are always on screen."""

    # drawn by the table and lines, not the pane: none repaints the pane's whole region
    rows: reactive[Sequence[dict[str, Any]]] = reactive(list, always_update=True, repaint=False)
    lang: reactive[Lang] = reactive("en", repaint=False)
    marked: reactive[frozenset[str]] = reactive(frozenset, repaint=False)
    # the Jobcenter shown on the overview: its row is pinned
    jobcenter_id = reactive("", repaint=False)
    sort_key = reactive("")  # a column key; "" (or one not shown): the first figure
    sort_reverse = reactive(False)  # False: best first (largest first, A to Z)
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
        self.own_id = ""  # your Jobcenter: its row is highlighted and pinned in view
        self.metrics, self.rates = metrics, rates
        self.ascii_only = ascii_only
        self.by_id: dict[str, dict[str, Any]] = {}
        self.cells: dict[str, list[Text]] = {}
        self.letters: dict[str, str] = {}  # key -> column: sort by that figure
        self.longest_name = 0  # of the rows: the name column grows to it where room is
        self.name_width = COLUMN_WIDTHS["name"]  # as shown

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="/ Filter", id="compare-filter")
        yield Line(id="compare-filters")
        yield Line(id="compare-sort")
        yield CompareTable(id="compare-table", fixed=2)
        yield Line(id="compare-footer")

    def on_mount(self) -> None:
        self.rebuild()

    def show_figures(self, metrics: Mapping[str, MetricDef], rates: Mapping[str, RateDef]) -> None:
        """The figures to show as columns (those of the data; see `Session.shown_figures`),
        taken in with the next `rows`. Other columns: the sort goes back to the first figure."""
        if list(metrics) == list(self.metrics) and list(rates) == list(self.rates):
            return
        self.metrics, self.rates = metrics, rates
        self.cells = {}
        self.set_reactive(ComparePane.sort_key, "")
        self.set_reactive(ComparePane.sort_reverse, False)

    def watch_rows(self) -> None:
        self.rebuild()

    def watch_lang(self) -> None:
        self.rebuild()

    # -- columns ---------------------------------------------------------------------

    @property
    def spec(self) -> CompareColumns:
        """The columns of the figures shown, in the language shown."""
        return CompareColumns(self.metrics, self.rates, self.lang, self.ascii_only)

    @property
    def current_sort(self) -> str:
        """The column sorted by: `sort_key` if shown, else the first figure."""
        spec = self.spec
        keys = spec.sortable()
        if self.sort_key in keys:
            return self.sort_key
        return next((key for key in spec.figure_keys() if key in keys), "name")

    def first_standing(self, key: str) -> Standing | None:
        """A row's Standing by column `key` with a rank (None: not a ranked figure)."""
        return next(
            (s for row in self.rows if (s := standing_of(row, key)) is not None and s.rank),
            None,
        )

    def columns(self) -> list[tuple[str, str]]:
        """(key, label) of the columns as shown (CompareColumns.shown)."""
        key = self.current_sort
        return self.spec.shown(key, ranked=self.first_standing(key) is not None)

    def rebuild(self) -> None:
        """Cells anew for the current rows and language; the keys to sort by each figure."""
        if not self.is_mounted or not self.rows:
            return
        self.by_id = {row["jobcenter_id"]: row for row in self.rows}
        self.longest_name = max(len(safe_text(row.get("name") or "")) for row in self.rows)
        self.cells = {}
        table = self.query_one(CompareTable)
        first = not table.keys
        if self.show_keys:
            spec = self.spec
            self.letters = table.bind_figures({k: spec.label(k) for k in spec.figure_keys()})
        table.forget_rows()
        self.refill(to_top=first)

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
        key = self.current_sort
        descending = self.spec.descending(key)
        ordered = sorted_rows(rows, key, reverse=self.sort_reverse, descending=descending)
        return cast(list[dict[str, Any]], ordered)

    def row_cells(self, key: str) -> list[Text]:
        """Built once per figures, language and sort column, reused by every filter."""
        cells = self.cells.get(key)
        if cells is None:
            row = self.by_id[key]
            sort_key, marked, spec = self.current_sort, key in self.marked, self.spec
            cells = self.cells[key] = [
                spec.cell(column, row, sort_key=sort_key, marked=marked)
                for column, _ in self.columns()
            ]
        return cells

    def watch_marked(self, marked: frozenset[str]) -> None:
        changed = {
            key for key in self.cells if (key in marked) != (self.cells[key][0].plain != " ")
        }
        for key in changed:
            self.cells[key][0] = self.spec.cell("mark", {}, sort_key="", marked=key in marked)
        if self.is_mounted:
            self.query_one(CompareTable).forget_rows(changed)

    def refill(self, *, to_top: bool = False) -> None:
        """Columns, rows in sort and filter order, footer, filter line and the sort in words."""
        table = self.query_one(CompareTable)
        key = self.current_sort
        descending = key not in TEXT_COLUMNS and self.spec.descending(key)
        arrow = sort_arrow(self.sort_reverse != descending, ascii_only=self.ascii_only)
        columns = self.columns()
        table.fixed = 2 if key == "name" else len(columns) - len(self.spec.base()) + 3
        widths = {column: COLUMN_WIDTHS.get(column, 9) for column, _ in columns}
        widths["name"] = self.name_width = self.fitting_name_width(widths)
        table.set_columns(
            [
                TableColumn(
                    header_label(label, widths[column], arrow if column == key else ""),
                    widths[column],
                    right=column not in COLUMN_WIDTHS or column in RIGHT_ALIGNED,
                )
                for column, label in columns
            ]
        )
        table.own_key = self.own_id or self.jobcenter_id or None
        visible = self.visible_rows()
        table.set_rows([row["jobcenter_id"] for row in visible], keep_cursor=not to_top)
        self.update_footer(visible)
        self.query_one("#compare-filters", Static).update(
            Text(self.filter_line(len(visible)), style="dim"), layout=False
        )
        sort_line = self.query_one("#compare-sort", Static)
        words = self.sort_line(sort_line.size.width or 80)
        sort_line.update(Text(ascii_cells(words) if self.ascii_only else words, style="bold"))

    def fitting_name_width(self, widths: Mapping[str, int]) -> int:
        """The name column's width at the pane's width (`name_width`; the screen's before
        the pane is laid out), less the table's scrollbar."""
        room = (self.size.width or self.screen.size.width) - 1
        return name_width(self.longest_name, room, widths, self.current_sort)

    def on_resize(self) -> None:
        """Another width: the names given the room there is (refilled only if it changed)."""
        if not self.rows or not self.by_id:
            return
        widths = {column: COLUMN_WIDTHS.get(column, 9) for column, _ in self.columns()}
        if self.fitting_name_width(widths) != self.name_width:
            self.refill()

    def sort_line(self, width: int) -> str:
        """The sort in words; then (not on a kiosk, as far as `width` allows) the keys."""
        key, lang = self.current_sort, self.lang
        letter = next((k for k, column in self.letters.items() if column == key), None)
        hints = [t("again_reverse", lang).format(key=letter)] if letter else []
        hints.append(t("sort_again", lang).format(keys="/".join(self.letters)))
        return self.spec.sort_line(
            key,
            self.first_standing(key),
            reverse=self.sort_reverse,
            hints=hints if self.show_keys and self.letters else [],
            width=width,
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
        key, lang, spec = self.current_sort, self.lang, self.spec
        entry = spec.entry(key)
        label = entry.label(lang) if entry is not None else dict(spec.base()).get(key, key)
        values = [r[key] for r in visible if isinstance(r.get(key), (int, float))]
        footer = self.query_one("#compare-footer", Static)
        if not values:
            footer.update("", layout=False)
            return
        percent = spec.is_percent(key)

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

    def show_top(self) -> None:
        """The top of the ranking on screen (the kiosk's ranking page; your row is pinned)."""
        table = self.query_one(CompareTable)
        table.scroll_to(x=0, y=0, animate=False, immediate=True)
        table.cursor_row = 0

    def sort_by(self, key: str, *, reverse: bool = False) -> None:
        """Sort by column `key`, best first (or reversed); the table back at its top."""
        if key != self.current_sort:
            self.cells = {}
            if self.is_mounted:
                self.query_one(CompareTable).forget_rows()
        self.set_reactive(ComparePane.sort_key, key)
        self.set_reactive(ComparePane.sort_reverse, reverse)
        if self.is_mounted and self.rows:
            self.refill(to_top=True)

    def sort_figure(self, key: str) -> None:
        """A figure's key: sort by that figure, best first; again: the other way round."""
        if key == self.current_sort:
            self.sort_by(key, reverse=not self.sort_reverse)
        else:
            self.sort_by(key)

    def watch_sort_key(self) -> None:
        self.sort_by(self.sort_key, reverse=self.sort_reverse)

    def watch_sort_reverse(self) -> None:
        self.sort_by(self.current_sort, reverse=self.sort_reverse)

    def show_ranking(self, filters: dict[str, str], ranked_by: str | None, *, own_id: str) -> None:
        """The kiosk's compare and ranking pages: the rows of `filters` only, sorted by the
        column `ranked_by` best first when given, `own_id`'s row highlighted and pinned."""
        self.filters = filters
        self.own_id = own_id
        if ranked_by is not None:
            self.sort_by(ranked_by)
        else:
            self.refill()

    def open_filter(self) -> None:
        self.query_one(FilterInput).open()

    def type_into_filter(self, character: str) -> bool:
        """A key typed while the filter opens goes into it (True); else the table's."""
        field = self.query_one(FilterInput)
        if not field.opening:
            return False
        field.insert_text_at_cursor(character)
        return True

    def next_sort(self, step: int = 1) -> None:
        """The next (`step` 1) or previous (-1) column to sort by, best first: round the
        columns and back to the first figure."""
        keys = self.spec.sortable()
        at = keys.index(self.current_sort) if self.current_sort in keys else 0
        self.sort_by(keys[(at + step) % len(keys)])

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
        key = self.columns()[event.column][0]
        if key in ("mark", "trend"):
            return
        self.sort_figure(self.current_sort if key.startswith("standing:") else key)
