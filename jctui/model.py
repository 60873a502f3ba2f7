"""The canonical data model every reader produces and the engine consumes.

Values: one long table (jobcenter_id, period, metric, value).
Registry: one row per Jobcenter (jobcenter_id, name, state, carrier, comparison_type, inhabitants).
Rejected rows and conflicts are kept beside the good data so nothing is lost silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

WITHHELD_SIGN = "*"  # a cell the publisher withheld (confidentiality): a value exists

VALUE_SCHEMA: dict[str, pl.DataType] = {
    "jobcenter_id": pl.String(),
    "period": pl.Date(),
    "metric": pl.String(),
    "value": pl.Float64(),
}
REGISTRY_SCHEMA: dict[str, pl.DataType] = {
    "jobcenter_id": pl.String(),
    "name": pl.String(),
    "state": pl.String(),
    "carrier": pl.String(),
    "comparison_type": pl.String(),
    "inhabitants": pl.Float64(),
}
REGISTRY_COLUMNS: tuple[str, ...] = tuple(REGISTRY_SCHEMA)
# the states as the publications name them (casefolded) -> the registry's two-letter code
STATE_NAMES: dict[str, str] = {
    "schleswig-holstein": "SH", "hamburg": "HH", "niedersachsen": "NI", "bremen": "HB",
    "nordrhein-westfalen": "NW", "hessen": "HE", "rheinland-pfalz": "RP",
    "baden-württemberg": "BW", "bayern": "BY", "saarland": "SL", "berlin": "BE",
    "brandenburg": "BB", "mecklenburg-vorpommern": "MV", "sachsen": "SN",
    "sachsen-anhalt": "ST", "thüringen": "TH",
}  # fmt: skip
# two-digit state codes of the official statistics (01 Schleswig-Holstein ... 16 Thüringen)
STATE_CODES: dict[str, str] = {f"{i:02d}": code for i, code in enumerate(STATE_NAMES.values(), 1)}
# the rows of a publication that stand for the whole country (by id or name, lower case)
NATIONAL_IDS: frozenset[str] = frozenset({"d", "dg", "bund"})
NATIONAL_NAMES: frozenset[str] = frozenset({"deutschland", "bundesgebiet", "bund", "insgesamt"})


def aggregate_name_key() -> pl.Expr:
    """An aggregate row's `name` as the lists above write it: "Land Hessen" -> "hessen"."""
    return (
        pl.col("name")
        .str.strip_chars()
        .str.to_lowercase()
        .str.replace(r"^(land|bundesland)\s+", "")
    )


REGISTRY_OPTIONAL: frozenset[str] = frozenset(
    {"comparison_type", "inhabitants", "state", "carrier"}
)
CARRIERS: frozenset[str] = frozenset({"zkT", "gE"})
# A rejected row: where it is (source, 1-based line in the file with the header as line 1,
# column) and what is wrong with it (value, problem).
REJECTED_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String(),
    "line": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "problem": pl.String(),
}
# Same key (jobcenter_id, period, metric) delivered with different values.
CONFLICT_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String(),
    "jobcenter_id": pl.String(),
    "period": pl.Date(),
    "metric": pl.String(),
    "values": pl.List(pl.Float64()),
    "lines": pl.List(pl.Int64()),
}
# A cell that holds a sign instead of a number (withheld `*`, not available `x`, `.`, `...`,
# `/`): a missing value, counted and listed once, never a bad row.
MISSING_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String(),
    "line": pl.Int64(),
    "jobcenter_id": pl.String(),
    "period": pl.Date(),
    "metric": pl.String(),
    "sign": pl.String(),
}
# Rows of a publication that sum up many Jobcenters (Deutschland, West, Ost, the states):
# reference values, never a Jobcenter.
AGGREGATE_SCHEMA: dict[str, pl.DataType] = {**VALUE_SCHEMA, "name": pl.String()}


# Targets agreed per Jobcenter (Zielvereinbarungen): one number per Jobcenter, calendar year
# and figure (a metric or a rate key); flows: the year's total, stocks and rates: the level.
TARGET_SCHEMA: dict[str, pl.DataType] = {
    "jobcenter_id": pl.String(),
    "year": pl.Int32(),
    "metric": pl.String(),
    "target": pl.Float64(),
}


def empty_targets() -> pl.DataFrame:
    return pl.DataFrame(schema=TARGET_SCHEMA)


def empty_values() -> pl.DataFrame:
    return pl.DataFrame(schema=VALUE_SCHEMA)


def empty_registry() -> pl.DataFrame:
    return pl.DataFrame(schema=REGISTRY_SCHEMA)


def empty_rejected() -> pl.DataFrame:
    return pl.DataFrame(schema=REJECTED_SCHEMA)


def empty_conflicts() -> pl.DataFrame:
    return pl.DataFrame(schema=CONFLICT_SCHEMA)


def empty_missing() -> pl.DataFrame:
    return pl.DataFrame(schema=MISSING_SCHEMA)


def empty_aggregates() -> pl.DataFrame:
    return pl.DataFrame(schema=AGGREGATE_SCHEMA)


# a rejected row of a failed cross-check (jctui.readers.published.verify writes it so):
# "<jobcenter_id> <YYYY-MM>: cross-check ... failed: ..."
REFUSED_PROBLEM = r"^(\S+) (\d{4}-\d{2}): (cross-check .+ failed.*)$"


def refused_figures(rejected: pl.DataFrame) -> dict[tuple[str, str, str], str]:
    """(jobcenter_id, YYYY-MM, metric) -> the failed cross-check that left the figure out."""
    parts = (
        rejected.select(
            metric=pl.col("column"), found=pl.col("problem").str.extract_groups(REFUSED_PROBLEM)
        )
        .unnest("found")
        .drop_nulls()
    )
    return {(jc, month, metric): problem for metric, jc, month, problem in parts.iter_rows()}


# figures the catalogue lacks, read under the label their file gives them (metric = the key
# derived from the label: jctui.config.catalogue.label_figure_key)
LABEL_SCHEMA: dict[str, pl.DataType] = {"metric": pl.String(), "label": pl.String()}


def empty_labels() -> pl.DataFrame:
    return pl.DataFrame(schema=LABEL_SCHEMA)


def labels_frame(labels: dict[str, str]) -> pl.DataFrame:
    """Key -> label as a frame of LABEL_SCHEMA."""
    return pl.DataFrame(
        {"metric": list(labels), "label": list(labels.values())}, schema=LABEL_SCHEMA
    )


@dataclass(frozen=True)
class Dataset:
    """Everything loaded from the configured sources, in the canonical model."""

    values: pl.DataFrame
    registry: pl.DataFrame
    rejected: pl.DataFrame = field(default_factory=empty_rejected)
    conflicts: pl.DataFrame = field(default_factory=empty_conflicts)
    source_label: str = ""
    demo: bool = False
    targets: pl.DataFrame = field(default_factory=empty_targets)  # TARGET_SCHEMA
    missing: pl.DataFrame = field(default_factory=empty_missing)  # signs in value cells
    aggregates: pl.DataFrame = field(default_factory=empty_aggregates)  # reference rows
    # what the readers recognised and noticed, one line each ("key-figure table, ...")
    notices: tuple[str, ...] = ()
    # problems of a whole source, one line each (ids that match no registry id)
    source_problems: tuple[str, ...] = ()
    labels: pl.DataFrame = field(default_factory=empty_labels)  # LABEL_SCHEMA

    @property
    def label_of(self) -> dict[str, str]:
        """Key -> label of the figures the catalogue lacks, read under their label."""
        return dict(self.labels.unique("metric", keep="last").iter_rows())

    @property
    def present_metrics(self) -> frozenset[str]:
        """The metric keys the values hold."""
        return frozenset(self.values.get_column("metric").unique().to_list())

    @property
    def shown_metrics(self) -> frozenset[str]:
        """The metric keys to show: those the values hold and those the publisher withheld
        (`*`: a figure exists; a column of `x` or `.` holds none)."""
        withheld = self.missing.filter(pl.col("sign") == WITHHELD_SIGN).get_column("metric")
        return self.present_metrics | frozenset(withheld.unique().to_list())

    def withheld_at(self, period: dt.date) -> pl.DataFrame:
        """The cells the publisher withheld (`*`) in `period`: (jobcenter_id, metric)."""
        return self.missing.filter(
            (pl.col("sign") == WITHHELD_SIGN) & (pl.col("period") == period)
        ).select("jobcenter_id", "metric")

    @property
    def period_range(self) -> tuple[dt.date, dt.date] | None:
        """The first and the last period in the values (None when there are none)."""
        if self.values.is_empty():
            return None
        bounds = self.values.select(first=pl.col("period").min(), last=pl.col("period").max()).row(
            0
        )
        return bounds[0], bounds[1]
