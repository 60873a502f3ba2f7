"""Credentials and origins: what only the configured origin receives (the configured
headers, the bearer token, basic auth, the GENESIS `username`/`password` headers), secrets
read from the environment, and which redirects and next-page links may be followed, with
or without them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from jctui.config import SourceDef, header_value_problem, redact_url, secret_from_env, url_problem
from jctui.errors import SourceError
from jctui.sources.http.errors import HttpSourceError

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Credentials:
    """What only the configured origin receives: the configured headers and the auth
    (secrets: left out of the repr, which a log or a traceback may show)."""

    headers: dict[str, str] = field(default_factory=dict, repr=False)
    auth: httpx.Auth | None = field(default=None, repr=False)


def credentials(src: SourceDef) -> Credentials:
    """The configured headers and the bearer, basic or GENESIS auth, secrets read from the
    environment. A secret sent as a header must be a usable header value: checked here, so
    that no error of the HTTP stack (which quotes the value) can carry it into a message."""
    http = src.http
    headers = dict(http.headers)
    where = f"sources.{src.name}.http"
    if http.auth == "bearer":
        token = secret_from_env(http.token_env)
        if not token:
            raise SourceError(
                f"{where}.token_env: environment variable {http.token_env} is not set"
            )
        _usable_in_header(token, http.token_env, f"{where}.token_env")
        headers["Authorization"] = f"Bearer {token}"
        return Credentials(headers)
    if http.auth in ("basic", "genesis"):
        user, password = secret_from_env(http.username_env), secret_from_env(http.password_env)
        if not user or password is None:
            raise SourceError(
                f"{where}: environment variables {http.username_env} and {http.password_env} must be set"
            )
        if http.auth == "basic":
            return Credentials(headers, httpx.BasicAuth(user, password))
        # GENESIS REST API: user (or token) and password as the headers `username`, `password`
        _usable_in_header(user, http.username_env, f"{where}.username_env")
        _usable_in_header(password, http.password_env, f"{where}.password_env")
        headers.update(username=user, password=password)
    return Credentials(headers)


def _usable_in_header(secret: str, variable: str, where: str) -> None:
    """A SourceError naming the variable (never its value) when `secret` cannot be sent as a
    header value, e.g. a CR left by an env file with Windows line ends."""
    problem = header_value_problem(secret)
    if problem:
        raise SourceError(f"{where}: environment variable {variable}: {problem}")


# -- origins: who may receive the credentials -------------------------------------------------


def origin_of(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL, with the default port filled in; the unit of trust."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(scheme, 0)


def shown_origin(origin: tuple[str, str, int]) -> str:
    """An origin as messages show it; the host comes from a server, so it goes through the
    same redaction as any URL (printable ASCII only)."""
    scheme, host, port = origin
    host = f"[{host}]" if ":" in host else host
    return redact_url(f"{scheme}://{host}:{port}")


def may_follow(src: SourceDef, current: str, target: str, what: str) -> bool:
    """Whether `target` (a redirect or a next-page link) may be fetched, and if so whether
    with the credentials (True: it is the configured origin). Refused with a reason: another
    origin not listed in `allow_redirect_hosts`, and a step from https down to http."""
    home, here, there = origin_of(src.url), origin_of(current), origin_of(target)
    shown = redact_url(current)
    problem = url_problem(target)
    if problem:
        raise HttpSourceError(f"{shown}: {what} to an unusable URL refused ({problem})")
    if there[0] == "http" and "https" in (home[0], here[0]):
        raise HttpSourceError(f"{shown}: {what} from https to http ({shown_origin(there)}) refused")
    if there == home:
        return True
    allowed = {host.lower() for host in src.http.allow_redirect_hosts}
    if there[1] in allowed:
        return False  # followed, but the credentials stay with their origin
    raise HttpSourceError(
        f"{shown}: {what} to another origin ({shown_origin(there)}) refused "
        "(credentials go only to the configured origin; allow_redirect_hosts lists exceptions)"
    )
