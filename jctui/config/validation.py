"""The semantic checks of a config: what its types cannot say (one of path/url, known
metrics, YYYY-MM months, ranges, secrets never in clear text, ...), each a one-line
ConfigError naming the file, the dotted key and the problem (types: jctui.config.typed)."""

from __future__ import annotations

import codecs
import ipaddress
import math
import re
from urllib.parse import urlsplit

from jctui import formats
from jctui.config.limits import check_limits
from jctui.config.public import check_public_source
from jctui.config.schema import Config, HttpDef, SourceDef, url_problem
from jctui.errors import ConfigError

WINDOW_RE = re.compile(r"^(\d+)(d?)$")
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
HOURS_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
HEADER_NAME_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an RFC 9110 token
# the headers auth = "genesis" sends (GENESIS REST API), values from username_env/password_env
GENESIS_HEADERS = ("username", "password")
# the names under which a login could be written into `form` or `params` (GENESIS' old API
# took `username` and `password` as parameters): never in the config, always *_env
CREDENTIAL_NAMES = frozenset(
    {"password", "passwort", "pass", "passwd", "pwd", "kennwort", "username", "user", "user_name",
     "benutzer", "benutzername", "login", "token", "api_key", "apikey", "access_token",
     "secret", "client_secret", "auth", "authorization"}
)  # fmt: skip
# The allowed ranges of numbers whose extremes broke something (1e300 s of timeout overflowed
# asyncio; header_row = 10**12 indexed past every list): each a one-line error naming them.
DAY = 86_400.0
MONTH_OF_SECONDS = 31 * DAY
MAX_SHEET_ROW = 1_048_576  # the last row of an Excel sheet
MAX_OVERDUE_MONTHS = 24
MAX_LAG = 120  # months: ten years
MAX_WINDOW_PERIODS = 120
MAX_WINDOW_DAYS = 3660
LOOPBACK_NAMES = ("localhost",)
# headers that carry a credential: never over plain http to another host
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "apikey",
     "x-auth-token", "x-access-token", "username", "password"}
)  # fmt: skip
# what the *_env keys must not hold: the secret itself
SECRET_OF_ENV = {
    "token_env": "the token",
    "username_env": "the user name",
    "password_env": "the password",
}

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
# The canonical columns of a targets source (role = "targets").
TARGET_COLUMNS: tuple[str, ...] = ("jobcenter_id", "year", "metric", "target")


def check_semantics(cfg: Config, where: str) -> None:
    """Check what the types cannot: cross references, formats and required combinations."""
    if not WINDOW_RE.match(cfg.window):
        raise ConfigError(
            f'{where}: window: expected a number of periods like "12" or days like "30d", got {cfg.window!r}'
        )
    check_window(cfg.window, where, "window")
    if not 0 <= cfg.small_count_threshold < float("inf"):
        raise ConfigError(
            f"{where}: small_count_threshold: expected 0 (off) or a positive number, "
            f"got {cfg.small_count_threshold:g}"
        )
    if cfg.small_counts_include_zero and cfg.small_count_threshold <= 0:
        raise ConfigError(
            f"{where}: small_counts_include_zero: needs small_count_threshold above 0 "
            "(suppression is off)"
        )
    names: set[str] = set()
    for i, src in enumerate(cfg.sources):
        key = f"sources[{i}]"
        check_public_source(src, where, key)
        if not src.connector and bool(src.path) == bool(src.url):
            raise ConfigError(f"{where}: {key}: give exactly one of 'path' or 'url'")
        problem = url_problem(src.url) if src.url else None
        if problem:
            raise ConfigError(f"{where}: {key}.url: {problem}")
        if src.name in names:
            raise ConfigError(f"{where}: {key}.name: duplicate source name {src.name!r}")
        names.add(src.name)
        if src.format != formats.AUTO and formats.get(src.format) is None:
            accepted = " | ".join(repr(n) for n in (formats.AUTO, *formats.names()))
            raise ConfigError(
                f"{where}: {key}.format: expected {accepted}, got string {src.format!r}"
            )
        check_http(src.http, where, f"{key}.http")
        if src.http.auth == "bearer" and not src.http.token_env:
            raise ConfigError(f'{where}: {key}.http.token_env: required when auth = "bearer"')
        if src.http.auth in ("basic", "genesis") and not (
            src.http.username_env and src.http.password_env
        ):
            raise ConfigError(
                f"{where}: {key}.http: username_env and password_env are required when "
                f'auth = "{src.http.auth}"'
            )
        if src.http.method != "GET" and not src.url:
            raise ConfigError(
                f'{where}: {key}.http.method: "{src.http.method}" is for a URL source (url), '
                "not a file"
            )
        check_source_numbers(src, where, key)
        check_limits(src.limits, where, f"{key}.limits")
        check_clear_text_login(src, where, key)
        known = TARGET_COLUMNS if src.role == "targets" else CANONICAL_COLUMNS
        if src.month and not MONTH_RE.match(src.month):
            raise ConfigError(f"{where}: {key}.month: expected YYYY-MM, got {src.month!r}")
        for canonical in src.columns:
            if canonical not in known:
                raise ConfigError(
                    f"{where}: {key}.columns.{canonical}: unknown canonical column; "
                    f"expected one of {', '.join(known)}"
                )
        if src.role == "targets" and src.layout != "long":
            raise ConfigError(
                f"{where}: {key}.layout: a targets source is long (jobcenter_id, year, metric, target); got {src.layout!r}"
            )
        for label, metric in src.metrics.items():
            if src.role == "targets" and metric not in cfg.metrics and metric not in cfg.rates:
                raise ConfigError(
                    f"{where}: {key}.metrics.{label}: unknown metric or rate {metric!r}"
                )
    for name in ("http_interval", "backoff_initial", "backoff_max"):
        seconds = getattr(cfg.refresh, name)
        if not (math.isfinite(seconds) and 0 < seconds <= MONTH_OF_SECONDS):
            raise ConfigError(
                f"{where}: refresh.{name}: must be a positive number of seconds, got "
                f"{seconds:g} (allowed: above 0, at most {MONTH_OF_SECONDS:.0f}, 31 days)"
            )
    overdue = cfg.refresh.overdue_months
    if not 0 <= overdue <= MAX_OVERDUE_MONTHS:
        raise ConfigError(
            f"{where}: refresh.overdue_months: must be a number of months from 0 to "
            f"{MAX_OVERDUE_MONTHS}, got {overdue}"
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
        check_window(rate.window, where, f"rates.{key}.window")
        if not 0 <= rate.denominator_lag <= MAX_LAG:
            raise ConfigError(
                f"{where}: rates.{key}.denominator_lag: must be a number of periods from 0 to "
                f"{MAX_LAG}, got {rate.denominator_lag}"
            )
        if not (math.isfinite(rate.scale) and rate.scale > 0):
            raise ConfigError(
                f"{where}: rates.{key}.scale: must be a positive finite number (100 for %), "
                f"got {rate.scale:g}"
            )
    for key, metric_def in cfg.metrics.items():
        if metric_def.target is not None and not math.isfinite(metric_def.target):
            raise ConfigError(
                f"{where}: metrics.{key}.target: must be a finite number, got {metric_def.target:g}"
            )
    for i, check in enumerate(cfg.checks):
        for part in ("start", "end"):
            if not MONTH_RE.match(getattr(check, part)):
                raise ConfigError(
                    f"{where}: checks[{i}].{part}: expected YYYY-MM, got {getattr(check, part)!r}"
                )
        if check.metric not in cfg.metrics:
            raise ConfigError(f"{where}: checks[{i}].metric: unknown metric {check.metric!r}")
        if not math.isfinite(check.stated):
            raise ConfigError(
                f"{where}: checks[{i}].stated: must be a finite number, got {check.stated:g}"
            )
        if not (math.isfinite(check.tolerance) and check.tolerance >= 0):
            raise ConfigError(
                f"{where}: checks[{i}].tolerance: must be 0 or a positive finite number, "
                f"got {check.tolerance:g}"
            )
    idle = cfg.kiosk.idle_resume
    if not (math.isfinite(idle) and 0 <= idle <= DAY):
        raise ConfigError(
            f"{where}: kiosk.idle_resume: must be a number of seconds from 0 to {DAY:.0f} "
            f"(a day), got {idle:g}"
        )
    for i, item in enumerate(cfg.kiosk.playlist):
        if item.hours and not HOURS_RE.match(item.hours):
            raise ConfigError(
                f"{where}: kiosk.playlist[{i}].hours: expected HH:MM-HH:MM, got {item.hours!r}"
            )
        if not (math.isfinite(item.dwell) and 0 < item.dwell <= DAY):
            raise ConfigError(
                f"{where}: kiosk.playlist[{i}].dwell: must be positive, at most {DAY:.0f} "
                f"seconds (a day), got {item.dwell:g}"
            )
        if item.metric and item.metric not in cfg.metrics and item.metric not in cfg.rates:
            raise ConfigError(
                f"{where}: kiosk.playlist[{i}].metric: unknown metric {item.metric!r}"
            )
        figure = cfg.metrics.get(item.metric) or cfg.rates.get(item.metric)
        if item.view == "ranking" and figure is not None and figure.better == "none":
            raise ConfigError(
                f'{where}: kiosk.playlist[{i}].metric: {item.metric!r} has better = "none": '
                "no direction, no ranking"
            )


def check_window(window: str, where: str, key: str) -> None:
    """A window (matching WINDOW_RE) of 1 to 120 periods or 1 to 3660 days."""
    number, days = WINDOW_RE.match(window).groups()  # type: ignore[union-attr]
    high = MAX_WINDOW_DAYS if days else MAX_WINDOW_PERIODS
    if not 1 <= int(number) <= high:
        unit = "days" if days else "periods"
        raise ConfigError(f"{where}: {key}: must be from 1 to {high} {unit}, got {window!r}")


def check_source_numbers(src: SourceDef, where: str, key: str) -> None:
    """A source's row, separator, decimal mark, encoding and refresh within what they can be."""
    if not 0 <= src.header_row <= MAX_SHEET_ROW:
        raise ConfigError(
            f"{where}: {key}.header_row: must be 0 (find it) or a row number from 1 to "
            f"{MAX_SHEET_ROW}, got {src.header_row}"
        )
    separator = src.separator
    if separator not in ("auto", "\\t", "tab") and (
        len(separator.encode("utf-8")) != 1 or separator in '"\r\n'
    ):
        raise ConfigError(
            f'{where}: {key}.separator: must be "auto", "tab" or one ASCII character such as '
            f'";" or ",", got {separator!r}'
        )
    if src.decimal not in ("auto", ",", "."):
        raise ConfigError(
            f'{where}: {key}.decimal: must be "auto", "," or ".", got {src.decimal!r}'
        )
    if src.encoding.lower() != "auto":
        try:
            codecs.lookup(src.encoding)
        except LookupError:
            raise ConfigError(
                f'{where}: {key}.encoding: must be "auto" or an encoding Python knows '
                f"(utf-8, cp1252, ...), got {src.encoding!r}"
            ) from None
    refresh = src.refresh
    if refresh != -1 and not (math.isfinite(refresh) and 0 < refresh <= MONTH_OF_SECONDS):
        raise ConfigError(
            f"{where}: {key}.refresh: must be -1 (the default) or a positive number of "
            f"seconds, at most {MONTH_OF_SECONDS:.0f} (31 days), got {refresh:g}"
        )


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine: localhost or a loopback address."""
    if host.lower().rstrip(".") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_clear_text_login(src: SourceDef, where: str, key: str) -> None:
    """A login or token is never sent over plain http to another machine: anyone on the way
    reads it. Over loopback (a local proxy, a test server) plain http is fine."""
    url = src.base_url if src.connector else src.url  # a connector: its API's address
    if not url:
        return
    parts = urlsplit(url)
    if parts.scheme.lower() != "http" or is_loopback(parts.hostname or ""):
        return
    if src.http.auth != "none":
        raise ConfigError(
            f'{where}: {key}.http.auth: auth = "{src.http.auth}" sends the login in clear '
            "text over http:// to another host; allowed only with https:// (or http:// to "
            "127.0.0.1, ::1 or localhost)"
        )
    for header in src.http.headers:
        if header.lower() in SECRET_HEADERS:
            raise ConfigError(
                f"{where}: {key}.http.headers.{header}: a credential header is sent in clear "
                "text over http:// to another host; allowed only with https:// (or http:// "
                "to 127.0.0.1, ::1 or localhost)"
            )


def check_http(http: HttpDef, where: str, key: str) -> None:
    """The HTTP options of a source: positive limits, usable headers, variable names that are
    names. No message repeats a header value or what a *_env key holds: either may be a secret."""
    for name in ("timeout", "deadline"):
        seconds = getattr(http, name)
        if not (math.isfinite(seconds) and 0 < seconds <= DAY):
            raise ConfigError(
                f"{where}: {key}.{name}: must be a positive number of seconds, got "
                f"{seconds:g} (allowed: above 0, at most {DAY:.0f}, a day)"
            )
    if http.max_bytes < 1:
        raise ConfigError(
            f"{where}: {key}.max_bytes: must be a positive number of bytes, got {http.max_bytes}"
        )
    if http.page_limit < 1:
        raise ConfigError(f"{where}: {key}.page_limit: must be at least 1, got {http.page_limit}")
    for name, secret in SECRET_OF_ENV.items():
        value = getattr(http, name)
        if value and not looks_like_env_name(value):
            raise ConfigError(
                f"{where}: {key}.{name}: {name} must name an environment variable, not hold {secret}"
            )
    for header, value in http.headers.items():
        if not HEADER_NAME_RE.match(header):
            raise ConfigError(f"{where}: {key}.headers: {header!r} is not a valid header name")
        problem = header_value_problem(value)
        if problem:
            raise ConfigError(f"{where}: {key}.headers.{header}: {problem}")
        if http.auth == "genesis" and header.lower() in GENESIS_HEADERS:
            raise ConfigError(
                f'{where}: {key}.headers.{header}: sent by auth = "genesis" from the variable '
                f"named in {header.lower()}_env; a secret is never written in the config"
            )
    if http.form and http.method != "POST":
        raise ConfigError(
            f'{where}: {key}.form: a form body is sent with method = "POST" only '
            f'(method is "{http.method}"; a GET request takes `params`)'
        )
    if http.method == "POST" and http.next_path:
        raise ConfigError(
            f"{where}: {key}.next_path: a POST source is one request: no next pages "
            '(pagination is for method = "GET")'
        )
    for table in ("form", "params"):
        for name in getattr(http, table):
            folded = name.lower().replace("-", "_")
            if folded in ("password", "passwort"):  # GENESIS' old API took it so
                raise ConfigError(
                    f"{where}: {key}.{table}.{name}: a password is never written in the "
                    "config: name its environment variable in password_env "
                    '(auth = "genesis" sends it as a header, auth = "basic" as basic auth)'
                )
            if folded in CREDENTIAL_NAMES or folded.replace("_", "") in CREDENTIAL_NAMES:
                raise ConfigError(
                    f"{where}: {key}.{table}.{name}: a login or token is never written in the "
                    "config: name its environment variables in username_env, password_env or "
                    'token_env (auth = "genesis", "basic" or "bearer" sends them)'
                )


def header_value_problem(value: str) -> str | None:
    """What makes `value` unusable as an HTTP header value, None when nothing does:
    printable ASCII (and tabs), no space or tab at either end. The reason never repeats the
    value (it may be a secret: a token, a password)."""
    bad = next((i for i, c in enumerate(value) if c != "\t" and not " " <= c <= "~"), None)
    if bad is not None:
        what = "a non-ASCII character" if ord(value[bad]) > 0x7F else "a control character"
        return f"the value has {what} at position {bad + 1}; header values must be printable ASCII"
    if value != value.strip(" \t"):
        return "the value starts or ends with a space or tab; header values cannot"
    return None


def looks_like_env_name(value: str) -> bool:
    """Whether `value` reads as the name of an environment variable (JCTUI_TOKEN) rather than
    a secret pasted in its place: only letters, digits and underscores, not starting with a
    digit, at most 64 characters, and no long part that mixes digits and letters or both
    cases the way generated tokens do (ghp_..., hex, base62)."""
    if not ENV_NAME_RE.match(value) or len(value) > 64:
        return False
    for part in value.split("_"):
        mixed = (any(c.isdigit() for c in part) and any(c.isalpha() for c in part)) or (
            part != part.upper() and part != part.lower()
        )
        if len(part) >= 32 or (len(part) >= 16 and mixed):
            return False
    return True
