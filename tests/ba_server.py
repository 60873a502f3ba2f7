"""A local stand-in for the BA's statistics API, its region list and monthly downloads.

Serves on 127.0.0.1 exactly the documented shapes (jctui/sources/connectors): the JSON
cells of `pc/v1/tableFetch/dia/<TABLE>?Kreis=<NAME>`, the CSV with metadata lines of
`ct/v1/tableFetch/csv/<TABLE>` (one region per request, `?Kreis=`, `?Bundesland=` or
`?Agentur für Arbeit=`: a name asked under a level the list does not give it is refused),
the region list as JavaScript, a refused region (HTTP 400), a slow answer (`delay`), and
monthly files (`months`: month -> bytes) that appear and change over time, with ETags and
304s, and a 404 for a month not yet out. Every request is recorded (path and query, and
the status answered), and every conditional one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip

# The BA's list as its JavaScript file has it: Kreise, a Bundesland, an Agentur für Arbeit
# whose name is also a Kreis' (the keys of the last one are made up for the tests).
REGIONS = [
    ("Kreis", "064380000000", "Offenbach"),
    ("Kreis", "064130000000", "Offenbach am Main, Stadt"),
    ("Kreis", "064120000000", "Frankfurt am Main, Stadt"),
    ("Kreis", "091620000000", "München, Landeshauptstadt"),
    ("Bundesland", "060000000000", "Hessen"),
    ("Agentur für Arbeit", "945000000000", "Offenbach"),
]
LEVELS = ("Kreis", "Bundesland", "Agentur für Arbeit")  # the parameters the API takes


def region_js(regions: list[tuple[str, str, str]] = REGIONS) -> bytes:
    """`var persistListenfelderJSON = {...};` with lists of formValues entries."""
    lists: dict[str, list[dict[str, Any]]] = {}
    for level, key, name in regions:
        entry = {"formValues": {"Filtername": level, "BA_SCHL": key, "DESC": name}}
        lists.setdefault(level, []).append(entry)
    return f"var persistListenfelderJSON = {json.dumps(lists, ensure_ascii=False)};\n".encode()


def label(month: str) -> str:
    """ "2018-07" -> "Juli 2018"."""
    year, mm = month.split("-")
    return f"{MONTHS_DE[int(mm) - 1]} {year}"


def series(elb: dict[str, int | None], lzb: int = 900) -> list[tuple[str, dict[str, Any]]]:
    """Month -> metric values, latest month first (index 0), as the API orders them."""
    return [
        (m, {"Erwerbsfähige Leistungsberechtigte": v, "Langzeitleistungsbezieher": lzb})
        for m, v in sorted(elb.items(), reverse=True)
    ]


def cells(rows: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The JSON answer: a flat list of cells."""
    out = []
    for index, (month, values) in enumerate(rows):
        for metric, value in values.items():
            shown = "*" if value is None else f"{value:,}".replace(",", ".")
            out.append(
                {"index": index, "metricName": metric, "value": value, "showValue": shown,
                 "attributes": {"0": {"DESC": label(month)}}}
            )  # fmt: skip
    return out


def csv_answer(level: str, region: str, rows: list[tuple[str, dict[str, Any]]]) -> bytes:
    """The CSV answer of a time series: metadata lines, a header, German numbers, footer."""
    metrics = list(rows[0][1])
    lines = [
        f"{'Land' if level == 'Bundesland' else level}:;{region}",
        "Gebietsstand:;Januar 2024",
        f"Berichtsmonat:;{label(rows[0][0])}",
        "Datenstand:;",
        "Rechtskreis:;SGB II",
        "",
        "Berichtsmonat;" + ";".join(metrics) + ";",
    ]
    for month, values in rows:
        shown = ["*" if values[m] is None else f"{values[m]:,}".replace(",", ".") for m in metrics]
        lines.append(f"{label(month)};" + ";".join(shown) + ";")
    lines += ["", "© Statistik der Bundesagentur für Arbeit", "Hinweis: Daten vertraulich"]
    return ("\n".join(lines) + "\n").encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server: BAServer

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        srv = self.server
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        path = urllib.parse.unquote(parts.path)
        time.sleep(srv.delay)
        if path == "/regions.js":
            return self.answer(200, srv.regions, "application/javascript")
        if path.startswith(("/bids/pc/v1/tableFetch/dia/", "/bids/ct/v1/tableFetch/csv/")):
            asked = [(k, v) for k, v in query.items() if k in LEVELS]
            level, region = asked[0] if len(asked) == 1 else ("", "")
            rows = srv.tables.get((level, region)) or srv.tables.get(region)
            listed = {lv for lv, _, name in REGIONS if name == region} or {"Kreis"}
            if rows is None or level not in listed:
                return self.answer(400, b'{"error": "unknown region"}', "application/json")
            if "/csv/" in path:
                body = csv_answer(level, region, rows)
                return self.answer(200, body, "text/csv; charset=utf-8")
            body = json.dumps(cells(rows), ensure_ascii=False).encode()
            return self.answer(200, body, "application/json")
        if path.startswith("/monthly/"):
            served = srv.months.get(path.rsplit("/", 1)[1])
            if served is None:
                return self.answer(404, b"not found", "text/plain")
            etag = '"' + hashlib.sha256(served).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                with srv.lock:
                    srv.conditional.append(path)
            if self.headers.get("If-None-Match") == etag:
                return self.answer(304, b"", "", {"ETag": etag})
            return self.answer(200, served, "text/csv; charset=utf-8", {"ETag": etag})
        return self.answer(404, b"not found", "text/plain")

    def answer(
        self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None
    ) -> None:
        with self.server.lock:
            self.server.requests.append((self.path, status))
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            with contextlib.suppress(OSError):  # a client that gave up (a timeout test)
                self.wfile.write(body)


class BAServer(ThreadingHTTPServer):
    """The stand-in on 127.0.0.1 (a free port); `url` is its base."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, int]] = []
        self.delay = 0.0
        self.regions = region_js()
        # region name (or (level, name) where a name is on two levels) -> its rows
        self.tables: dict[Any, list[tuple[str, dict[str, Any]]]] = {}
        self.months: dict[str, bytes] = {}
        self.conditional: list[str] = []  # the month files asked for with a validator
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up is no failure of the stand-in

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def paths(self, prefix: str) -> list[str]:
        """The paths asked (with their queries) that start with `prefix`."""
        with self.lock:
            return [p for p, _ in self.requests if p.startswith(prefix)]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
