"""The configuration schema: frozen dataclasses, one per TOML table.

The type hints are the schema: jctui.config.validation checks every key of a config file
against them, so a field added here is a key users can set (and must document in config.toml).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote, urlsplit, urlunsplit

from jctui.config.calendar import PUBLICATION_CALENDAR
from jctui.config.limits import LimitsDef
from jctui.errors import ConfigError

URL_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

Kind = Literal["flow", "stock"]
Better = Literal["higher", "lower", "none"]
Layout = Literal["long", "wide"]
Role = Literal["values", "registry", "targets"]
# "auto" or a format declared in jctui.formats (checked by config.validation against it)
FileFormat = str
Language = Literal["auto", "de", "en"]
ThemeName = Literal["dark", "light", "high-contrast"]
GroupBy = Literal["comparison_type", "state", "carrier"]
Auth = Literal["none", "bearer", "basic", "genesis"]
Method = Literal["GET", "POST"]
ViewName = Literal["overview", "compare", "chart", "ranking", "targets"]


class _Bilingual:
    """The label switch shared by MetricDef and RateDef (both have label_de and label_en, and
    optional short labels for narrow places: tiles at 80 columns, the kiosk headline)."""

    label_de: str
    label_en: str
    short_de: str
    short_en: str

    def label(self, lang: str) -> str:
        """The label in `lang` ("de", else English)."""
        return self.label_de if lang == "de" else self.label_en

    def short_label(self, lang: str) -> str:
        """The short label in `lang`; without one, the abbreviation in the label's last
        parentheses ("... (ELB)" -> "ELB"), else the label itself."""
        short = self.short_de if lang == "de" else self.short_en
        if short:
            return short
        label = self.label(lang)
        head, sep, tail = label.rpartition(" (")
        return tail.rstrip(")") if sep and head and tail.endswith(")") else label

    def fitting_label(self, lang: str, width: int) -> str:
        """The label if it fits `width` characters, else the short label."""
        label = self.label(lang)
        return label if len(label) <= width else self.short_label(lang)


# the configured window of sums and rates by default: 12 periods (months)
DEFAULT_WINDOW = "12"


@dataclass(frozen=True)
class MetricDef(_Bilingual):
    """One metric of the catalogue: how to label it and how to aggregate it."""

    label_de: str
    label_en: str
    kind: Kind
    better: Better = "none"
    unit: str = ""
    target: float | None = None  # flows: per calendar year; stocks: level to reach
    description_de: str = ""
    description_en: str = ""
    short_de: str = ""  # for narrow places; "" = derived (see short_label)
    short_en: str = ""
    # other names the publications give it: BA/GENESIS short names, German column labels
    aliases: tuple[str, ...] = ()
    optional: bool = False  # listed (show, tiles) only where the data has it

    @property
    def is_level(self) -> bool:
        """A level in % (a key figure as published: K2 = 19,8 %), not a count: shown as a
        rate, with its decimal and its change in points; never summed, never per 1,000 ELB."""
        return self.unit == "%"


@dataclass(frozen=True)
class RateDef(_Bilingual):
    """A rate from a flow and a stock, K2-style: sum(flow, window) / mean(stock, lagged window)."""

    label_de: str
    label_en: str
    numerator: str
    denominator: str
    better: Better = "higher"
    window: str = DEFAULT_WINDOW
    denominator_lag: int = 1  # K2: denominator is the mean of t-12..t-1
    scale: float = 100.0
    description_de: str = ""
    description_en: str = ""
    short_de: str = ""  # for narrow places; "" = derived (see short_label)
    short_en: str = ""


@dataclass(frozen=True)
class HttpDef:
    """HTTP details of a URL source. Secrets are read from the named environment variables."""

    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    method: Method = "GET"
    # POST: the form body (application/x-www-form-urlencoded), e.g. a GENESIS table request
    form: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0  # seconds for each connect, read or write
    deadline: float = 60.0  # seconds for a whole fetch: every page, redirect and byte
    auth: Auth = "none"  # genesis: `username` and `password` headers (GENESIS REST API)
    token_env: str = ""
    username_env: str = ""
    password_env: str = ""
    next_path: str = ""  # dotted path of a "next page" URL in a JSON body
    page_limit: int = 100
    max_bytes: int = 100_000_000
    allow_redirect_hosts: tuple[str, ...] = ()
    ca_bundle: str = ""


@dataclass(frozen=True)
class SourceDef:
    """One file or URL and how to map it onto the canonical model."""

    name: str
    path: str = ""
    url: str = ""
    format: FileFormat = "auto"
    layout: Layout = "long"
    role: Role = "values"
    encoding: str = "auto"  # auto | utf-8 | cp1252 ...
    separator: str = "auto"  # auto | ; | , | \t
    decimal: str = "auto"  # auto | , | .
    sheets: tuple[str, ...] = ()  # Excel: the sheets to read (default: every sheet with figures)
    sheet: str = ""  # Excel sheet name (default: first sheet; "1.1 …" of an Eckwerte workbook)
    # published layouts (found without these; set them for a layout not seen yet):
    header_row: int = 0  # 1-based row of the (last) header row; 0 = find it
    month: str = ""  # YYYY-MM: the report month when neither a title row nor the file name has it
    jobcenter: str = ""  # the Jobcenter (id) of a file about one region that does not say it
    year_column: str = ""  # the header of a column of years (with month_column: the period)
    month_column: str = ""  # the header of a column of months 1..12 (with year_column)
    # rows to use of a file with breakdowns ({ Geschlecht = "insgesamt" }); default: totals
    filter: dict[str, str] = field(default_factory=dict)
    records_path: str = ""  # dotted path of the records in a JSON body, e.g. data.items
    refresh: float = -1  # seconds; -1: default (HTTP 300 s, files: on change)
    demo: bool = False
    # canonical name -> header in the file (jobcenter_id = "Jobcenter", period = "Monat")
    columns: dict[str, str] = field(default_factory=dict)
    # wide layout: header -> metric key; long layout: metric label in the file -> key
    metrics: dict[str, str] = field(default_factory=dict)
    http: HttpDef = field(default_factory=HttpDef)
    limits: LimitsDef = field(default_factory=LimitsDef)  # bounds of one read (config/limits.py)
    # a public source built in (jctui.sources.connectors), e.g. "ba-statistik": no path or url
    connector: str = ""
    table: str = ""  # the connector's table, e.g. EckwerteZeitreiheGrusiDBL
    regions: tuple[str, ...] = ()  # the BA's region names, or AGS keys resolved through its list
    base_url: str = ""  # "" = the connector's default (set for a mirror or a test server)
    regions_url: str = ""  # "" = the connector's default region list
    # a URL template ({yyyymm}, {yyyy}, {mm}, {month_de}, {month_en}): the first report month
    months: str = ""

    @property
    def is_remote(self) -> bool:
        """Fetched over the network: a URL (or URL template) or a connector."""
        return bool(self.url or self.connector)

    @property
    def location(self) -> str:
        """The URL of a URL source, the connector and what it asks for, else the file path."""
        if self.connector:
            asked = "|".join(self.regions)
            return f"{self.connector}:{self.base_url}:{self.table}:{self.format}:{asked}"
        return self.url or self.path

    @property
    def shown_location(self) -> str:
        """The location as it may be shown anywhere: a URL without credentials or query."""
        if self.connector:
            return f"{self.connector} {self.table}"
        return redact_url(self.url) if self.url else self.path


def redact_url(url: str) -> str:
    """The URL as it may be shown: no user:password, no query string (tokens hide there).

    A URL that cannot be parsed is shown as its scheme alone: its other parts may hold a
    secret, and no part of it is trustworthy. Anything but printable ASCII is shown
    percent-encoded, as in the URL on the wire: a URL from a server (a redirect) cannot
    carry control characters into a message."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        scheme = URL_SCHEME_RE.match(url)
        return f"{scheme.group(0) if scheme else ''}(unparseable URL)"
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port:
        host = f"{host}:{port}"
    shown = urlunsplit((parts.scheme, host, parts.path, "", ""))
    return "".join(c if "!" <= c <= "~" else quote(c, safe="") for c in shown)


def url_problem(url: str) -> str | None:
    """What makes `url` unusable as the URL of a source, None when nothing does. The message
    never repeats credentials or the query (redact_url), nor a part that did not parse."""
    if not URL_SCHEME_RE.match(url):
        return "must start with http:// or https://"
    if not url.lower().startswith(("http://", "https://")):
        return f"must start with http:// or https://, got {redact_url(url)}"
    try:
        parts = urlsplit(url)
    except ValueError:
        return (
            "not a valid URL (its host part cannot be read, e.g. an unclosed [ of an IPv6 address)"
        )
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number from 0 to 65535
    except ValueError:
        return "not a valid URL (the port is not a number from 0 to 65535)"
    if not parts.hostname:
        return "not a valid URL (no host)"
    return None


@dataclass(frozen=True)
class StatedCheck:
    """A figure stated elsewhere (a report) that should follow from the data."""

    jobcenter: str
    metric: str
    statistic: Literal["sum", "mean"]
    start: str  # YYYY-MM
    end: str  # YYYY-MM
    stated: float
    label: str = ""
    tolerance: float = 0.5


@dataclass(frozen=True)
class RefreshDef:
    """How often URL sources are fetched, how failures back off, when data counts as overdue."""

    http_interval: float = 300.0
    backoff_initial: float = 5.0
    backoff_max: float = 1800.0
    # monthly data is due about three months after month end (the publication calendar)
    overdue_months: int = PUBLICATION_CALENDAR.due_after
    # Read the sources from the (shared) offline cache, kept current by `jctui refresh`,
    # instead of fetching them: many dashboards on one host, one fetch per interval.
    follow_cache: bool = False


@dataclass(frozen=True)
class PlaylistItem:
    """One page of the kiosk rotation: a view, what it shows and for how long."""

    view: ViewName
    dwell: float = 20.0
    jobcenter: str = ""
    jobcenters: tuple[str, ...] = ()
    metric: str = ""
    group: str = ""  # a value of the comparison group (e.g. "HE" when group_by = "state")
    group_by: GroupBy = "comparison_type"
    hours: str = ""  # "08:00-10:00": only shown in this time of day


@dataclass(frozen=True)
class KioskDef:
    """The unattended kiosk display: its look and its playlist."""

    enabled: bool = False
    site_label: str = ""
    theme: ThemeName = "high-contrast"
    idle_resume: float = 60.0
    playlist: tuple[PlaylistItem, ...] = ()


@dataclass(frozen=True)
class Config:
    """The whole validated configuration."""

    path: str = ""  # the file it came from ("" for built-in defaults)
    language: Language = "auto"
    theme: ThemeName = "dark"
    ascii: bool = False
    small_count_threshold: float = 0.0  # values below are shown as "*"; 0 = off
    small_counts_include_zero: bool = False  # zero is a small count too (official rule: no)
    screenshot_dir: str = ""
    cache_dir: str = ""  # the offline cache ("" = the user's cache dir); may be shared
    default_jobcenter: str = ""
    group_by: GroupBy = "comparison_type"
    window: str = DEFAULT_WINDOW
    sources: tuple[SourceDef, ...] = ()
    metrics: dict[str, MetricDef] = field(default_factory=dict)
    rates: dict[str, RateDef] = field(default_factory=dict)
    checks: tuple[StatedCheck, ...] = ()
    refresh: RefreshDef = field(default_factory=RefreshDef)
    kiosk: KioskDef = field(default_factory=KioskDef)

    @property
    def is_demo(self) -> bool:
        """True when every source is the bundled demo data (shown labelled as such)."""
        return bool(self.sources) and all(s.demo for s in self.sources)

    def with_source(self, location: str) -> Config:
        """This config with its sources replaced by one file or URL in the canonical long layout.

        Anything with a scheme (`xyz://`) is a URL and must be a usable http(s) one: a
        ConfigError on `--source` otherwise, which never repeats credentials."""
        is_url = bool(URL_SCHEME_RE.match(location))
        if is_url:
            problem = url_problem(location)
            if problem:
                raise ConfigError(f"--source: {problem}")
        src = SourceDef(
            name="cli",
            path="" if is_url else location,
            url=location if is_url else "",
        )
        return dataclasses.replace(self, sources=(src,))
