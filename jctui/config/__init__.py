"""Configuration: strict TOML -> frozen dataclasses.

Lookup order: `--config PATH`, `$JCTUI_CONFIG`, the user config dir (jctui.locations; XDG on
Linux), else built-in defaults on the bundled demo data. Every key is validated against the
dataclass that holds it: an unknown key, a wrong type or a bad value is a ConfigError naming
the file, the key and the problem.

The package: `schema` (the dataclasses), `catalogue` (built-in metrics, rates and defaults),
`validation` (the strict builder and the semantic checks) and `loading` (file lookup and
reading). Import the public names from here: `from jctui.config import Config`.
"""

from __future__ import annotations

from jctui.config.catalogue import (
    dashboard_figures,
    default_config,
    default_metrics,
    default_rates,
    demo_source,
    demo_sources,
    demo_targets_source,
    listed_metrics,
)
from jctui.config.loading import (
    ENV_CONFIG,
    load_config,
    load_config_file,
    parse_config,
    resolve_config_path,
    secret_from_env,
    secrets_sent,
    user_config_path,
)
from jctui.config.schema import (
    DEFAULT_WINDOW,
    Auth,
    Better,
    Config,
    FileFormat,
    GroupBy,
    HttpDef,
    Kind,
    KioskDef,
    Language,
    Layout,
    MetricDef,
    PlaylistItem,
    RateDef,
    RefreshDef,
    Role,
    SourceDef,
    StatedCheck,
    ThemeName,
    ViewName,
    redact_url,
    url_problem,
)
from jctui.config.typed import build_dataclass
from jctui.config.validation import (
    CANONICAL_COLUMNS,
    HOURS_RE,
    MONTH_RE,
    TARGET_COLUMNS,
    WINDOW_RE,
    check_semantics,
    header_value_problem,
)
from jctui.locations import APP_NAME

__all__ = [
    "APP_NAME",
    "CANONICAL_COLUMNS",
    "DEFAULT_WINDOW",
    "ENV_CONFIG",
    "HOURS_RE",
    "MONTH_RE",
    "TARGET_COLUMNS",
    "WINDOW_RE",
    "Auth",
    "Better",
    "Config",
    "FileFormat",
    "GroupBy",
    "HttpDef",
    "Kind",
    "KioskDef",
    "Language",
    "Layout",
    "MetricDef",
    "PlaylistItem",
    "RateDef",
    "RefreshDef",
    "Role",
    "SourceDef",
    "StatedCheck",
    "ThemeName",
    "ViewName",
    "build_dataclass",
    "check_semantics",
    "dashboard_figures",
    "default_config",
    "default_metrics",
    "default_rates",
    "demo_source",
    "demo_sources",
    "demo_targets_source",
    "header_value_problem",
    "listed_metrics",
    "load_config",
    "load_config_file",
    "parse_config",
    "redact_url",
    "resolve_config_path",
    "secret_from_env",
    "secrets_sent",
    "url_problem",
    "user_config_path",
]
