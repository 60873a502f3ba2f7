"""Who may open a dashboard of `jctui serve`: its user only.

A key made at each start (in the printed address, checked on the page and the websocket),
the Host and Origin checked against the bound address, a state file per browser (so one
browser's "my Jobcenter" is not another's), and the page shown when every session is
taken. jctui.ui.serve wires these into the server.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WILDCARD = {"0.0.0.0", "::", ""}  # "every address"
BROWSER_COOKIE = "jctui_browser"
BROWSER_ID_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
STATE_ENV = "JCTUI_STATE_FILE"  # jctui.locations.state_file: this session's "my Jobcenter"


@dataclass(frozen=True)
class Guard:
    """Who may use this `serve`: the start's secret, the Host names of the bound address
    (None: bound to every address, any Host), the session limit, where browsers' state goes."""

    token: str
    hosts: frozenset[str] | None
    max_sessions: int
    state_dir: Path

    def token_ok(self, given: str) -> bool:
        """Whether `given` is this start's secret (in constant time)."""
        return hmac.compare_digest(given.encode(), self.token.encode())

    def host_ok(self, host: str) -> bool:
        """Whether a request's Host header names the bound address."""
        return self.hosts is None or host.lower() in self.hosts

    def origin_ok(self, origin: str | None, host: str) -> bool:
        """No Origin (not a browser) or the page's own: http(s)://Host."""
        if origin is None:
            return True
        return origin.lower() in (f"http://{host.lower()}", f"https://{host.lower()}")

    @property
    def cookie(self) -> str:
        """The name of the cookie that carries the key to the page's files and downloads:
        one per start (two `serve` of one host on two ports keep their own)."""
        return f"jctui_key_{hashlib.sha256(self.token.encode()).hexdigest()[:12]}"

    def request_ok(self, path: str, query_token: str, cookie: str) -> bool:
        """Whether a request carries this start's key: the page in its query, the websocket
        in its path (checked by its handler), everything else (static files, downloads, any
        other path) in the query or in the cookie the page set."""
        if path.startswith("/ws/"):
            return True  # the handler compares the key in the path
        return self.token_ok(query_token) or self.token_ok(cookie)

    def state_file(self, browser: str) -> Path:
        """Where the browser `browser` keeps its "my Jobcenter" (a digest: no path from it)."""
        digest = hashlib.sha256(browser.encode()).hexdigest()[:32]
        return self.state_dir / f"{digest}.json"


class WithoutKey(logging.Filter):
    """The access log (textual-serve prints it) without the start's key: `/?token=…`."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token in str(record.msg):
            record.msg = str(record.msg).replace(self.token, "…")
        return True


def bound_hosts(host: str, port: int) -> frozenset[str] | None:
    """The Host headers that name the bound address: its name with the port (and without,
    on port 80); for loopback every loopback name; None when bound to every address."""
    if host in WILDCARD:
        return None
    names = {host.lower()}
    try:
        loopback = host in LOOPBACK or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        names |= {"127.0.0.1", "localhost", "[::1]"}
    names = {f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names}
    with_port = {f"{n}:{port}" for n in names}
    return frozenset(with_port | (names if port == 80 else set()))


def serve_state_dir() -> Path:
    """The folder of the browsers' "my Jobcenter" files, beside the user's state.json."""
    from jctui.locations import state_file

    return state_file().parent / "serve"


def session_environment(guard: Guard, browser: str, scratch: Path) -> dict[str, str]:
    """What one session's dashboard gets besides textual-serve's environment: its own state
    file, by the browser's id when it has a valid one, else one for this connection alone."""
    if BROWSER_ID_RE.match(browser):
        path = guard.state_file(browser)
    else:
        path = scratch / f"{secrets.token_hex(16)}.json"
    return {STATE_ENV: str(path)}


def limit_page(limit: int) -> str:
    """The page a browser gets when every session is taken."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>jctui: busy</title></head>"
        "<body style='font-family: sans-serif; margin: 3em'><h1>All sessions are in use</h1>"
        f"<p>This jctui serves at most {limit} dashboards at once, and {limit} are open. "
        "Close a tab with the dashboard, or try again in a moment.</p></body></html>"
    )


FORBIDDEN_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>jctui: no access</title></head>"
    "<body style='font-family: sans-serif; margin: 3em'><h1>No access</h1><p>Open the "
    "address <code>jctui serve</code> printed when it started: it carries the key of this "
    "start (<code>/?token=...</code>).</p></body></html>"
)
