"""Configuration: strict TOML -> frozen dataclasses.

Lookup order: `--config PATH`, `$JCTUI_CONFIG`, the user config dir (platformdirs; XDG on
Linux), else built-in defaults on the bundled demo data. Every key is validated against the
dataclass that holds it: an unknown key, a wrong type or a bad value is a ConfigError naming
the file, the key and the problem.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from jctui.errors import ConfigError

ENV_CONFIG = "JCTUI_CONFIG"
APP_NAME = "jctui"

Kind = Literal["flow", "stock"]
Better = Literal["higher", "lower", "none"]
Layout = Literal["long", "wide"]
Role = Literal["values", "registry"]
FileFormat = Literal["auto", "csv", "parquet", "json", "ndjson", "xlsx"]
Language = Literal["auto", "de", "en"]
ThemeName = Literal["dark", "light", "high-contrast"]
GroupBy = Literal["comparison_type", "state", "carrier"]
Auth = Literal["none", "bearer", "basic"]
ViewName = Literal["overview", "compare", "chart", "ranking"]


@dataclass(frozen=True)
class MetricDef:
    """One metric of the catalogue: how to label it and how to aggregate it."""

    label_de: str
    label_en: str
    kind: Kind
    better: Better = "none"
    unit: str = ""
    target: float | None = None  # flows: per calendar year; stocks: level to reach
    description_de: str = ""
    description_en: str = ""

    def label(self, lang: str) -> str:
        return self.label_de if lang == "de" else self.label_en


@dataclass(frozen=True)
class RateDef:
    """A rate from a flow and a stock, K2-style: sum(flow, window) / mean(stock, lagged window)."""

    label_de: str
    label_en: str
    numerator: str
    denominator: str
    better: Better = "higher"
    window: str = "12"
    denominator_lag: int = 1  # K2: denominator is the mean of t-12..t-1
    scale: float = 100.0
    description_de: str = ""
    description_en: str = ""

    def label(self, lang: str) -> str:
        return self.label_de if lang == "de" else self.label_en


@dataclass(frozen=True)
class HttpDef:
    """HTTP details of a URL source. Secrets are read from the named environment variables."""

    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0
    auth: Auth = "none"
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
    sheet: str = ""  # Excel sheet name (default: first sheet)
    records_path: str = ""  # dotted path of the records in a JSON body, e.g. data.items
    refresh: float = -1  # seconds; -1: default (HTTP 300 s, files: on change)
    demo: bool = False
    # canonical name -> header in the file (jobcenter_id = "Jobcenter", period = "Monat")
    columns: dict[str, str] = field(default_factory=dict)
    # wide layout: header -> metric key; long layout: metric label in the file -> key
    metrics: dict[str, str] = field(default_factory=dict)
    http: HttpDef = field(default_factory=HttpDef)

    @property
    def location(self) -> str:
        return self.url or self.path


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
    http_interval: float = 300.0
    backoff_initial: float = 5.0
    backoff_max: float = 1800.0
    overdue_months: int = 3  # monthly data is due about three months after month end


@dataclass(frozen=True)
class PlaylistItem:
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
    screenshot_dir: str = ""
    default_jobcenter: str = ""
    group_by: GroupBy = "comparison_type"
    window: str = "12"
    sources: tuple[SourceDef, ...] = ()
    metrics: dict[str, MetricDef] = field(default_factory=dict)
    rates: dict[str, RateDef] = field(default_factory=dict)
    checks: tuple[StatedCheck, ...] = ()
    refresh: RefreshDef = field(default_factory=RefreshDef)
    kiosk: KioskDef = field(default_factory=KioskDef)

    @property
    def is_demo(self) -> bool:
        return bool(self.sources) and all(s.demo for s in self.sources)

    def with_source(self, location: str) -> Config:
        """This config with its sources replaced by one file or URL in the canonical long layout."""
        is_url = location.startswith(("http://", "https://"))
        src = SourceDef(
            name="cli",
            path="" if is_url else location,
            url=location if is_url else "",
        )
        return dataclasses.replace(self, sources=(src,))


# --------------------------------------------------------------------------------------
# Built-in catalogue and defaults


def default_metrics() -> dict[str, MetricDef]:
    return {
        "integrations": MetricDef(
            label_de="Integrationen",
            label_en="Integrations",
            kind="flow",
            better="higher",
            unit="persons",
            description_de=(
                "Aufnahmen einer sozialversicherungspflichtigen Beschäftigung, einer vollqualifizierenden "
                "Ausbildung oder einer Selbständigkeit durch erwerbsfähige Leistungsberechtigte "
                "(Zugang je Monat; höchstens eine je Person und Monat)."
            ),
            description_en=(
                "People on benefits who took up a job subject to social insurance, a full vocational "
                "training or self-employment (events per month; at most one per person and month)."
            ),
        ),
        "apprenticeships": MetricDef(
            label_de="Ausbildungsvermittlungen",
            label_en="Apprenticeship placements",
            kind="flow",
            better="higher",
            unit="persons",
            description_de="Vermittlungen junger Menschen in eine Berufsausbildung (Zugang je Monat).",
            description_en="Young people placed into an apprenticeship (events per month).",
        ),
        "elb": MetricDef(
            label_de="Erwerbsfähige Leistungsberechtigte (ELB)",
            label_en="People able to work on benefits (ELB)",
            kind="stock",
            better="lower",
            unit="persons",
            description_de="Bestand am Monatsende: erwerbsfähige Menschen, die Leistungen nach SGB II beziehen.",
            description_en="Stock at month end: people able to work who receive SGB II benefits.",
        ),
        "long_term_recipients": MetricDef(
            label_de="Langzeitleistungsbeziehende (LZB)",
            label_en="Long-term recipients (LZB)",
            kind="stock",
            better="lower",
            unit="persons",
            description_de=(
                "Bestand am Monatsende: ELB, die in mindestens 21 der letzten 24 Monate Leistungen bezogen."
            ),
            description_en=(
                "Stock at month end: ELB who received benefits in at least 21 of the last 24 months."
            ),
        ),
        "customers": MetricDef(
            label_de="Betreute Kundinnen und Kunden",
            label_en="Customers looked after",
            kind="stock",
            better="none",
            unit="persons",
            description_de="Bestand am Monatsende: alle vom Jobcenter betreuten Personen.",
            description_en="Stock at month end: all people the Jobcenter looks after.",
        ),
    }


def default_rates() -> dict[str, RateDef]:
    return {
        "k2": RateDef(
            label_de="Integrationsquote (K2)",
            label_en="Integration rate (K2)",
            numerator="integrations",
            denominator="elb",
            better="higher",
            description_de=(
                "Summe der Integrationen der letzten 12 Monate (t-11 bis t) geteilt durch den "
                "durchschnittlichen ELB-Bestand der 12 Monate davor (t-12 bis t-1), in Prozent."
            ),
            description_en=(
                "Integrations of the last 12 months (t-11 to t) divided by the mean stock of ELB "
                "of the 12 months before (t-12 to t-1), in percent."
            ),
        ),
    }


def demo_source() -> SourceDef:
    from jctui.demo import demo_values_path

    return SourceDef(name="demo", path=str(demo_values_path()), format="parquet", demo=True)


def default_config() -> Config:
    """Built-in defaults: the catalogue and the bundled demo data."""
    return Config(
        sources=(demo_source(),),
        metrics=default_metrics(),
        rates=default_rates(),
        default_jobcenter="Kreis Offenbach",
        checks=(
            StatedCheck(
                jobcenter="Kreis Offenbach",
                metric="integrations",
                statistic="mean",
                start="2018-01",
                end="2018-06",
                stated=310,
                label="Kreis Offenbach, Pressemitteilung 11/2018",
            ),
        ),
    )


# --------------------------------------------------------------------------------------
# Loading and validation


def user_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "config.toml"


def resolve_config_path(explicit: str | None) -> Path | None:
    """Which file to read: --config, $JCTUI_CONFIG, the user config dir, else None (defaults)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_CONFIG, "").strip()
    if env:
        return Path(env)
    candidate = user_config_path()
    return candidate if candidate.is_file() else None


def load_config(explicit: str | None = None) -> Config:
    path = resolve_config_path(explicit)
    if path is None:
        return default_config()
    return load_config_file(path)


def load_config_file(path: Path) -> Config:
    where = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{where}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read config file ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from None
    return parse_config(data, where, base_dir=path.parent)


def _relative_to(src: SourceDef, base_dir: Path) -> SourceDef:
    """A source with its file path and CA bundle resolved against the config's folder."""
    if src.path and not Path(src.path).is_absolute():
        src = dataclasses.replace(src, path=str(base_dir / src.path))
    ca_bundle = src.http.ca_bundle
    if ca_bundle and not Path(ca_bundle).expanduser().is_absolute():
        http = dataclasses.replace(src.http, ca_bundle=str(base_dir / ca_bundle))
        src = dataclasses.replace(src, http=http)
    return src


def parse_config(
    data: dict[str, Any], where: str = "<config>", base_dir: Path | None = None
) -> Config:
    """Validate a parsed TOML document and merge it over the built-in catalogue."""
    data = dict(data)
    if "path" in data:
        raise ConfigError(f"{where}: unknown key 'path'")
    cfg: Config = _build(Config, data, where, "")
    metrics = {**default_metrics(), **cfg.metrics}
    rates = {**default_rates(), **cfg.rates}
    sources = cfg.sources or (demo_source(),)
    if base_dir is not None:  # relative paths are relative to the config file
        sources = tuple(_relative_to(s, base_dir) for s in sources)
    cfg = dataclasses.replace(cfg, path=where, metrics=metrics, rates=rates, sources=sources)
    _check_semantics(cfg, where)
    return cfg


WINDOW_RE = re.compile(r"^(\d+)(d?)$")
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
HOURS_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")


def _check_semantics(cfg: Config, where: str) -> None:
    if not WINDOW_RE.match(cfg.window):
        raise ConfigError(
            f'{where}: window: expected a number of periods like "12" or days like "30d", got {cfg.window!r}'
        )
    names: set[str] = set()
    for i, src in enumerate(cfg.sources):
        key = f"sources[{i}]"
        if bool(src.path) == bool(src.url):
            raise ConfigError(f"{where}: {key}: give exactly one of 'path' or 'url'")
        if src.url and not src.url.startswith(("http://", "https://")):
            raise ConfigError(
                f"{where}: {key}.url: must start with http:// or https://, got {src.url!r}"
            )
        if src.name in names:
            raise ConfigError(f"{where}: {key}.name: duplicate source name {src.name!r}")
        names.add(src.name)
        if src.http.auth == "bearer" and not src.http.token_env:
            raise ConfigError(f'{where}: {key}.http.token_env: required when auth = "bearer"')
        if src.http.auth == "basic" and not (src.http.username_env and src.http.password_env):
            raise ConfigError(
                f'{where}: {key}.http: username_env and password_env are required when auth = "basic"'
            )
        for canonical in src.columns:
            if canonical not in CANONICAL_COLUMNS:
                raise ConfigError(
                    f"{where}: {key}.columns.{canonical}: unknown canonical column; "
                    f"expected one of {', '.join(CANONICAL_COLUMNS)}"
                )
    if not any(s.role == "values" for s in cfg.sources):
        raise ConfigError(f'{where}: sources: no source with role = "values" (missing source)')
    for key, rate in cfg.rates.items():
        for part in ("numerator", "denominator"):
            metric = getattr(rate, part)
            if metric not in cfg.metrics:
                raise ConfigError(f"{where}: rates.{key}.{part}: unknown metric {metric!r}")
        if cfg.metrics[rate.numerator].kind != "flow":
            raise ConfigError(f"{where}: rates.{key}.numerator: {rate.numerator!r} must be a flow")
        if cfg.metrics[rate.denominator].kind != "stock":
            raise ConfigError(
                f"{where}: rates.{key}.denominator: {rate.denominator!r} must be a stock"
            )
        if not WINDOW_RE.match(rate.window):
            raise ConfigError(
                f'{where}: rates.{key}.window: expected like "12" or "30d", got {rate.window!r}'
            )
    for i, check in enumerate(cfg.checks):
        for part in ("start", "end"):
            if not MONTH_RE.match(getattr(check, part)):
                raise ConfigError(
                    f"{where}: checks[{i}].{part}: expected YYYY-MM, got {getattr(check, part)!r}"
                )
        if check.metric not in cfg.metrics:
            raise ConfigError(f"{where}: checks[{i}].metric: unknown metric {check.metric!r}")
    for i, item in enumerate(cfg.kiosk.playlist):
        if item.hours and not HOURS_RE.match(item.hours):
            raise ConfigError(
                f"{where}: kiosk.playlist[{i}].hours: expected HH:MM-HH:MM, got {item.hours!r}"
            )
        if item.dwell <= 0:
            raise ConfigError(f"{where}: kiosk.playlist[{i}].dwell: must be positive")
        if item.metric and item.metric not in cfg.metrics and item.metric not in cfg.rates:
            raise ConfigError(
                f"{where}: kiosk.playlist[{i}].metric: unknown metric {item.metric!r}"
            )


CANONICAL_COLUMNS: tuple[str, ...] = (
    "jobcenter_id",
    "period",
    "metric",
    "value",
    "name",
    "state",
    "carrier",
    "comparison_type",
    "inhabitants",
)


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is Literal:
        return " | ".join(repr(a) for a in get_args(tp))
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_type_name(a) for a in get_args(tp) if a is not type(None))
    if origin is tuple:
        return f"a list of {_type_name(get_args(tp)[0])}"
    if origin is dict:
        return "a table"
    if dataclasses.is_dataclass(tp):
        return "a table"
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _convert(tp: Any, value: Any, where: str, key: str) -> Any:
    """Check `value` against the type hint `tp`; return it converted (lists -> tuples)."""
    origin = get_origin(tp)
    bad = ConfigError(f"{where}: {key}: expected {_type_name(tp)}, got {_describe(value)}")
    if origin is Literal:
        if value not in get_args(tp):
            raise bad
        return value
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in get_args(tp) if a is not type(None)]
        return _convert(inner[0], value, where, key)
    if origin is tuple:
        if not isinstance(value, list):
            raise bad
        item_tp = get_args(tp)[0]
        return tuple(_convert(item_tp, v, where, f"{key}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise bad
        val_tp = get_args(tp)[1]
        return {str(k): _convert(val_tp, v, where, f"{key}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise bad
        return _build(tp, value, where, key)
    if tp is bool:
        if not isinstance(value, bool):
            raise bad
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise bad
        return value
    raise bad  # pragma: no cover - a type hint this validator does not know


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"string {value!r}"
    return f"{type(value).__name__} {value!r}"


def _build(cls: type, table: dict[str, Any], where: str, prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if key not in fields or (key == "path" and cls is Config):
            known = ", ".join(n for n in fields if not (cls is Config and n == "path"))
            raise ConfigError(f"{where}: {dotted}: unknown key (known keys: {known})")
        kwargs[key] = _convert(hints[key], value, where, dotted)
    for name, f in fields.items():
        if (
            name not in kwargs
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        ):
            dotted = f"{prefix}.{name}" if prefix else name
            raise ConfigError(f"{where}: {dotted}: missing required key")
    return cls(**kwargs)


def secret_from_env(name: str) -> str | None:
    """Read a secret from the environment; never stored in config or printed."""
    return os.environ.get(name) if name else None
