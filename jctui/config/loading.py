"""Finding and reading the config file, and secrets from the environment.

Lookup order: `--config PATH`, `$JCTUI_CONFIG`, the user config file (jctui.locations), else
the built-in defaults on the bundled demo data. Relative paths in a file are relative to the
folder of that file.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path
from typing import Any

from jctui.config.catalogue import default_config, default_metrics, default_rates, demo_sources
from jctui.config.schema import Config, HttpDef, SourceDef
from jctui.config.typed import MAX_NESTING, build_dataclass, check_nesting
from jctui.config.validation import check_semantics
from jctui.errors import ConfigError
from jctui.locations import config_file
from jctui.textsafe import safe_text

ENV_CONFIG = "JCTUI_CONFIG"

user_config_path = config_file  # the name callers and tests know


def resolve_config_path(explicit: str | None) -> Path | None:
    """Which file to read: --config, $JCTUI_CONFIG, the user config dir, else None (defaults)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_CONFIG, "").strip()
    if env:
        return Path(env)
    candidate = config_file()
    return candidate if candidate.is_file() else None


def load_config(explicit: str | None = None) -> Config:
    """The config from the file the lookup order finds, else the built-in defaults."""
    path = resolve_config_path(explicit)
    if path is None:
        return default_config()
    return load_config_file(path)


def load_config_file(path: Path) -> Config:
    """Read, parse and validate one config file; any problem is a one-line ConfigError."""
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
    except RecursionError:  # tomllib parses nested tables and arrays recursively
        raise ConfigError(
            f"{where}: {deep_key(raw)}: tables or arrays nested more than {MAX_NESTING} deep "
            "(a jctui config nests at most 4)"
        ) from None
    return parse_config(data, where, base_dir=path.parent)


def deep_key(raw: bytes) -> str:
    """The key of the first line that opens more than MAX_NESTING tables or arrays (for the
    message when tomllib ran out of stack; strings are not told apart: a hint, not a parse)."""
    depth = 0
    for line in raw.decode("utf-8", errors="replace").splitlines():
        for char in line:
            depth += (char in "{[") - (char in "}]")
            if depth > MAX_NESTING:
                return safe_text(line.split("=", 1)[0].strip()[:40]) or "the document"
    return "the document"


def parse_config(
    data: dict[str, Any], where: str = "<config>", base_dir: Path | None = None
) -> Config:
    """Validate a parsed TOML document and merge it over the built-in catalogue."""
    check_nesting(data, where)
    data = dict(data)
    if "path" in data:
        raise ConfigError(f"{where}: unknown key 'path'")
    # `path` records the file the config came from; a file cannot set it.
    cfg = build_dataclass(Config, data, where, hidden=frozenset({"path"}))
    metrics = {**default_metrics(), **cfg.metrics}
    rates = {**default_rates(), **cfg.rates}
    sources = cfg.sources or demo_sources()
    if base_dir is not None:  # relative paths are relative to the config file
        sources = tuple(_relative_to(s, base_dir) for s in sources)
    cache = cfg.cache_dir
    if cache and base_dir is not None and not Path(cache).expanduser().is_absolute():
        cache = str(base_dir / cache)
    cfg = dataclasses.replace(
        cfg, path=where, metrics=metrics, rates=rates, sources=sources, cache_dir=cache
    )
    check_semantics(cfg, where)
    return cfg


def _relative_to(src: SourceDef, base_dir: Path) -> SourceDef:
    """A source with its file path and CA bundle resolved against the config's folder."""
    if src.path and not Path(src.path).is_absolute():
        src = dataclasses.replace(src, path=str(base_dir / src.path))
    ca_bundle = src.http.ca_bundle
    if ca_bundle and not Path(ca_bundle).expanduser().is_absolute():
        http = dataclasses.replace(src.http, ca_bundle=str(base_dir / ca_bundle))
        src = dataclasses.replace(src, http=http)
    return src


def secret_from_env(name: str) -> str | None:
    """Read a secret from the environment; never stored in config or printed."""
    return os.environ.get(name) if name else None


def secrets_sent(http: HttpDef) -> tuple[str, ...]:
    """The secrets a source sends (its token, login and header values): what no message
    from its server may repeat (JctuiError.without)."""
    named = (secret_from_env(n) for n in (http.token_env, http.username_env, http.password_env))
    return tuple(s for s in (*named, *http.headers.values()) if s)
