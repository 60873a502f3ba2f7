"""The config keys of the public sources built in: a connector source (`connector`,
`table`, `regions`, `base_url`, `regions_url`) and a URL template (`months`). Checked by
jctui.config.validation with every source; one-line ConfigErrors naming file and key.
"""

from __future__ import annotations

import re

from jctui.config.schema import SourceDef, url_problem
from jctui.errors import ConfigError

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
TEMPLATE_RE = re.compile(r"\{(yyyymm|yyyy|mm|month_de|month_en)\}")


def check_public_source(src: SourceDef, where: str, key: str) -> None:
    """The keys of a connector source (connector, table, regions, base_url, regions_url) and
    of a URL template (months): which belong together, and what they must look like."""
    connector_keys = ("table", "regions", "base_url", "regions_url")
    if src.connector:
        if src.path or src.url:
            raise ConfigError(
                f"{where}: {key}: a connector source has no 'path' or 'url' "
                "(base_url points it at a mirror)"
            )
        if not src.table:
            raise ConfigError(f"{where}: {key}.table: required with connector")
        if not src.regions or any(not r.strip() for r in src.regions):
            raise ConfigError(f"{where}: {key}.regions: required with connector (region names)")
        if src.format not in ("auto", "json", "csv"):
            raise ConfigError(
                f"{where}: {key}.format: a connector answers 'json' (default) or 'csv', "
                f"got {src.format!r}"
            )
        for name in ("base_url", "regions_url"):
            problem = url_problem(getattr(src, name)) if getattr(src, name) else None
            if problem:
                raise ConfigError(f"{where}: {key}.{name}: {problem}")
    else:
        for name in connector_keys:
            if getattr(src, name):
                raise ConfigError(f"{where}: {key}.{name}: only with connector")
    if src.months:
        if not MONTH_RE.match(src.months):
            raise ConfigError(f"{where}: {key}.months: expected YYYY-MM, got {src.months!r}")
        if not src.url or not TEMPLATE_RE.search(src.url):
            raise ConfigError(
                f"{where}: {key}.months: needs a url with a month placeholder "
                "({yyyymm}, {yyyy}, {mm}, {month_de}, {month_en})"
            )
