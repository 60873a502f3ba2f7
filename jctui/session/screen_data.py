"""Screen data: what the screens show of the session's data, figures and Jobcenter.

Plain-Python look-ups prepared by the compute worker (jctui.session.prepare):
the UI thread only reads dicts here. `Session` has these as methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from jctui.i18n import Lang, fmt_period
from jctui.presentation.headline import HeadlineFigure, headline_figures
from jctui.presentation.tiles import (
    OverviewData,
    TileData,
    copy_line,
    jobcenter_facts,
    metric_tile,
    rate_tile,
    told_apart,
)
from jctui.presentation.wording import refused_banner
from jctui.session.lookups import FigureLookups, PaletteEntry

if TYPE_CHECKING:
    from jctui.config import Config
    from jctui.engine import Figures
    from jctui.presentation.targets import TargetsPage
    from jctui.session.chart import ChartSource
    from jctui.session.loop import Loaded
    from jctui.session.months import MonthCache

Row = dict[str, Any]


class ScreenData:
    """The look-ups of the screens; the state they read is the session's (one copy)."""

    config: Config
    data: Loaded | None
    figures: Figures | None
    lookups: FigureLookups
    jobcenter_id: str
    months: MonthCache

    def today(self) -> dt.date:
        raise NotImplementedError

    def registry_row(self, jobcenter_id: str) -> Row:
        return self.data.jobcenters.get(jobcenter_id, {}) if self.data is not None else {}

    def name_of(self, jobcenter_id: str) -> str:
        return str(self.registry_row(jobcenter_id).get("name") or jobcenter_id)

    def shown_figures(self, data: Loaded | None = None) -> tuple[list[str], list[str]]:
        """(metric keys, rate keys) of the tiles, compare columns and chart figures: those
        the data (the current, or `data`) has, then the key figures as published (see
        `dashboard_figures`)."""
        from jctui.config import dashboard_figures

        data = data or self.data
        present = data.present if data is not None else frozenset()
        return dashboard_figures(self.config.metrics, self.config.rates, present)

    @property
    def demo(self) -> bool:
        return self.data.dataset.demo if self.data is not None else self.config.is_demo

    def overview(self, lang: Lang, jobcenter_id: str | None = None) -> OverviewData | None:
        """The chosen (or the given) Jobcenter's name, facts and tiles."""
        from jctui.presentation.policy import SmallCounts
        from jctui.presentation.references import reference_of

        jc, figures = jobcenter_id or self.jobcenter_id, self.figures
        if figures is None or not jc or self.data is None:
            return None
        config, lookups = self.config, self.lookups
        counts = SmallCounts.of(config)
        metrics, rates = lookups.metrics.get(jc, {}), lookups.rates.get(jc, {})
        targets = lookups.targets.get(jc, {})
        warnings, revised = lookups.warning_counts.get(jc, {}), self.data.revised.get(jc, {})
        withheld = lookups.published_withheld.get(jc, frozenset())
        month = f"{figures.as_of:%Y-%m}"
        row = self.registry_row(jc)
        state = row.get("state")
        metric_keys, rate_keys = self.shown_figures()
        tiles: list[TileData] = [
            metric_tile(
                key,
                m,
                metrics.get(key, {}),
                lang=lang,
                counts=counts,
                spark=lookups.sparks.get((jc, key), ()),
                warnings=warnings.get(key, 0),
                revised=revised.get(key, 0),
                today=self.today(),
                overdue_months=config.refresh.overdue_months,
                target_row=targets.get(key),
                published_withheld=key in withheld,
                reference=reference_of(lookups.states, state, key),
                window=config.window,
                refused=self.data.refused.get((jc, month, key), ""),
                newest=figures.latest,
            )
            for key in metric_keys
            for m in [config.metrics[key]]
        ]
        tiles += [
            rate_tile(
                key,
                r,
                rates.get(key, {}),
                lang=lang,
                counts=counts,
                spark=lookups.sparks.get((jc, key), ()),
                target_row=targets.get(key),
                reference=reference_of(lookups.states, state, key),
                latest=metrics.get(r.numerator, {}).get("latest_period"),
                newest=figures.latest,
                today=self.today(),
                overdue_months=config.refresh.overdue_months,
            )
            for key in rate_keys
            for r in [config.rates[key]]
        ]
        published = [k for k in metric_keys if config.metrics[k].optional]
        return OverviewData(
            jc,
            self.name_of(jc),
            jobcenter_facts(row, lang),
            tuple(told_apart(tiles, published, lang)),
        )

    def refused_banner(self, lang: Lang) -> tuple[str, ...]:
        """The header's line when a failed cross-check left figures out (longest first);
        () when none did."""
        count = len(self.data.refused) if self.data is not None else 0
        return refused_banner(count, lang) if count else ()

    def attention(self, lang: Lang, jobcenter_id: str | None = None) -> tuple[str, ...]:
        """The attention line of the chosen (or given) Jobcenter, clearest first: the same
        list as `jctui check --attention` (jctui.presentation.attention), against the month
        before (prepared by the prefetch, `Session.prefetch`); () before any figures."""
        from jctui.presentation.attention import attention_items, attention_variants
        from jctui.session.as_of import step_as_of

        jc, figures, data = jobcenter_id or self.jobcenter_id, self.figures, self.data
        if figures is None or data is None or not jc:
            return ()
        config = self.config
        previous = step_as_of(data.periods, figures.as_of, -1)
        before = None if previous is None else self.months.prepared_lookups(data, previous)
        if previous is not None and before is None:
            return ()  # until the month before is prepared: no line that flips
        labels = {k: m.label(lang) for k, m in config.metrics.items()}
        labels |= {k: r.label(lang) for k, r in config.rates.items()}
        shorts = {k: m.short_label(lang) for k, m in config.metrics.items()}
        shorts |= {k: r.short_label(lang) for k, r in config.rates.items()}
        now = attention_entry(self.lookups, jc, lang)
        was = None if before is None else attention_entry(before, jc, lang)
        items = attention_items(
            now, was, labels, lang,
            latest=figures.latest, today=self.today(),
            overdue_months=config.refresh.overdue_months,
        )  # fmt: skip
        return attention_variants(items, shorts, lang)

    def copy_line(self, tile: TileData, lang: Lang, jobcenter_id: str | None = None) -> str | None:
        """The figure of a tile (of the chosen or the given Jobcenter) as one line for the
        clipboard; None before any figures."""
        if self.figures is None:
            return None
        daily = self.figures.frequency == "daily"
        period = fmt_period(self.figures.as_of, lang, daily=daily)
        name = self.name_of(jobcenter_id or self.jobcenter_id)
        return copy_line(name, period, tile, lang, demo=self.demo)

    def figure_lines(self, key: str, jobcenter_ids: Sequence[str], lang: Lang) -> list[str]:
        """The figure `key` of each of these Jobcenters as clipboard lines (the chart's)."""
        lines = []
        for jc in jobcenter_ids:
            data = self.overview(lang, jc)
            tile = next((d for d in data.tiles if d.key == key), None) if data else None
            if tile is not None and (line := self.copy_line(tile, lang, jc)) is not None:
                lines.append(line)
        return lines

    def headline(self, lang: Lang) -> tuple[HeadlineFigure, ...]:
        jc = self.jobcenter_id
        metrics, rates = self.lookups.metrics.get(jc, {}), self.lookups.rates.get(jc, {})
        present = self.data.present if self.data is not None else frozenset()
        rate_keys = self.shown_figures()[1]
        return headline_figures(self.config, metrics, rates, lang, [*present, *rate_keys])

    def targets_page(
        self, metric: str, lang: Lang, *, group_by: str = "", group: str = ""
    ) -> TargetsPage | None:
        """The kiosk's targets page: Jobcenters (of `group` by `group_by`, else all) ranked
        by how far their year will reach `metric`'s target; None before any figures."""
        from jctui.presentation.policy import SmallCounts
        from jctui.presentation.targets import targets_page

        if self.figures is None:
            return None
        config = self.config
        definition = config.metrics.get(metric) or config.rates.get(metric)
        if definition is None:
            raise LookupError(f"unknown metric {metric!r}")
        kind = config.metrics[metric].kind if metric in config.metrics else "rate"
        rows = self.lookups.target_rankings.get(metric, [])
        if group:
            rows = [r for r in rows if r.get(group_by or config.group_by) == group]
        counts = SmallCounts.of(config)
        label = definition.label(lang)
        return targets_page(label, kind, self.figures.as_of.year, rows, counts, lang)

    def chart_source(self) -> ChartSource | None:
        from jctui.session.chart import ChartSource

        if self.data is None or self.figures is None:
            return None
        names = {k: str(r.get("name") or k) for k, r in self.data.jobcenters.items()}
        data = self.data
        return ChartSource(data.dataset, self.config, self.figures.as_of, names, data.shown_data)

    def warning_rows(self) -> list[Row]:
        """The engine's warnings at the as-of month and the revised values of the last load."""
        revisions = self.data.revision_rows if self.data is not None else []
        return self.lookups.warning_rows + revisions

    def palette_entries(self) -> list[PaletteEntry]:
        """What the command palette can find: every Jobcenter, with its facts."""
        if self.data is None:
            return []
        return [
            PaletteEntry(jc, str(r["name"]), f"{jc} · {r['state'] or ''} · {r['carrier'] or ''}")
            for jc, r in self.data.jobcenters.items()
        ]

    def first_match(self, query: str) -> str:
        """The id of the first Jobcenter matching `query`; the chosen one for no query."""
        from jctui.session.lookup import first_match

        if not query or self.data is None:
            return self.jobcenter_id
        matches = self.data.matches
        found = (
            matches[query] if query in matches else first_match(self.data.dataset.registry, query)
        )
        if found is None:
            raise LookupError(f"no Jobcenter matches {query!r}")
        return found


def attention_entry(lookups: FigureLookups, jc: str, lang: Lang) -> Row:
    """One Jobcenter's figures as `attention_items` reads them (what the report entry of
    `check --attention` has): ranks, withheld fields, target fields, revisions."""
    from jctui.presentation.attention import figure_entry
    from jctui.presentation.targets import target_fields
    from jctui.presentation.wording import warning_message

    targets = lookups.targets.get(jc, {})
    figures = {
        kind: {
            key: figure_entry(row, target_fields(targets.get(key), lang))
            for key, row in rows.get(jc, {}).items()
        }
        for kind, rows in (("metrics", lookups.metrics), ("rates", lookups.rates))
    }
    warnings = [
        {
            "kind": "revision",
            "metric": row.get("metric"),
            "period": fmt_period(row.get("period"), lang, short=True),
            "message": warning_message(row, lang),
        }
        for row in lookups.warning_rows
        if row.get("jobcenter_id") == jc and row.get("kind") == "revision"
    ]
    return {**figures, "warnings": warnings}
