"""A real HTTP server on 127.0.0.1 for the tests, told what to do per request.

Standard library only (ThreadingHTTPServer in a thread). `server.mode` picks the behaviour:
ok, slow, hang, status (with `status` and `retry_after`), invalid_json, truncated, huge,
gzip_bomb, redirect_other_host, redirect_same_host, paginate_body, paginate_link, csv, list
(the records as a top-level array; like ok, with an ETag and 304s), and the misbehaving
ones: redirect (`redirect_status` to `location`, any origin), not_modified (304 whatever was asked),
trickle_body / trickle_headers (one byte every `delay` seconds, without end),
endless_chunked (a chunk every `delay` seconds, without end), not_http (an SSH banner),
bad_header (a header line without a colon); genesis (GENESIS' REST API: POST with a form
and `username`/`password` headers, JSON answers). Pagination links start with `next_base`
(another origin when set). Every request is recorded (path, method, headers, the form
of a POST and the status answered) so tests can check what the client sent.

A second LocalServer is a second origin (another port); TlsServer speaks HTTPS (a trustme
certificate for 127.0.0.1) with the same modes.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import ssl
import threading
import time
import urllib.parse
import zipfile
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def records(value_of: dict[str, float] | None = None) -> list[dict[str, Any]]:
    """12 months of integrations for two Jobcenters, canonical long layout."""
    value_of = value_of or {}
    out = []
    for jc, name in (("A1", "Kreis A"), ("B2", "Stadt B")):
        for m in range(1, 13):
            key = f"{jc}-2018-{m:02d}"
            out.append(
                {"jobcenter_id": jc, "period": f"2018-{m:02d}", "metric": "integrations",
                 "value": value_of.get(key, 10.0 + m), "name": name}
            )  # fmt: skip
    return out


class Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        """A POST: its form body is recorded; `genesis` answers as GENESIS' REST API does,
        any other mode as for a GET."""
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(
            self.rfile.read(length).decode("ascii"), keep_blank_values=True
        )
        self.do_GET(method="POST", form={k: v[-1] for k, v in form.items()})

    def do_GET(self, method: str = "GET", form: dict[str, str] | None = None) -> None:
        srv = self.server
        self.record: dict[str, Any] = {
            "path": self.path, "headers": dict(self.headers), "method": method, "form": form,
        }  # fmt: skip
        with srv.lock:
            srv.requests.append(self.record)
        time.sleep(srv.pause)
        mode = srv.mode
        if mode == "slow":
            time.sleep(srv.delay)
            mode = "ok"
        if mode == "hang":
            time.sleep(srv.delay)
            return
        if mode in RAW_REPLIES:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.wfile.write(RAW_REPLIES[mode])
            return
        if mode in ("trickle_body", "trickle_headers", "endless_chunked"):
            self.close_connection = True
            return self.trickle(mode)
        if mode == "genesis":
            return self.genesis(form or {})
        if mode == "not_modified":
            self.send_response(304)
            self.end_headers()
            return
        if mode == "redirect":
            self.send_response(srv.redirect_status)
            self.send_header("Location", srv.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode == "status":
            self.send_response(srv.status, srv.reason)
            if srv.retry_after is not None:
                self.send_header("Retry-After", str(srv.retry_after))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode == "redirect_other_host":
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{srv.server_port}/data")
            self.end_headers()
            return
        if mode == "redirect_same_host" and self.path.startswith("/data"):
            self.send_response(301)
            self.send_header("Location", "/moved")
            self.end_headers()
            return
        if mode == "invalid_json":
            return self.reply(b'{"data": [1, 2,', "application/json")
        if mode == "truncated":
            body = json.dumps(srv.payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) + 1000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            return
        if mode == "huge":
            size = srv.huge_bytes
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b" " * 65536
            sent = 0
            try:
                while sent < size:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if mode == "gzip_bomb":
            body = gzip.compress(b" " * srv.huge_bytes, compresslevel=9)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)
            return
        if mode in ("paginate_body", "paginate_link"):
            page = int(self.path.rsplit("page=", 1)[1]) if "page=" in self.path else 1
            size = 8
            part = srv.payload[(page - 1) * size : page * size]
            more = page * size < len(srv.payload)
            if mode == "paginate_body":
                answer = {
                    "data": {"items": part},
                    "links": {"next": f"{srv.next_base}/data?page={page + 1}" if more else None},
                }
                return self.reply(json.dumps(answer).encode(), "application/json")
            extra = {"Link": f'<{srv.next_base}/data?page={page + 1}>; rel="next"'} if more else {}
            return self.reply(
                json.dumps({"data": {"items": part}}).encode(), "application/json", extra
            )
        if mode == "file":  # a downloaded file as it is (`srv.file`), e.g. a published table
            file_etag = {"ETag": f'"{hashlib.sha256(srv.file).hexdigest()[:16]}"'}
            return self.reply(srv.file, "text/csv; charset=windows-1252", file_etag)
        if mode == "csv":
            lines = ["jobcenter_id;period;metric;value;name"]
            lines += [
                f"{r['jobcenter_id']};{r['period']};{r['metric']};{str(r['value']).replace('.', ',')};{r['name']}"
                for r in srv.payload
            ]
            return self.reply(
                ("\n".join(lines) + "\n").encode("cp1252"), "text/csv; charset=windows-1252"
            )
        if mode == "list":  # the canonical records as a plain JSON array (what --source URL reads)
            body = json.dumps(srv.payload).encode()
        else:
            body = json.dumps({"data": {"items": srv.payload}}).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.reply(body, "application/json", {"ETag": etag})

    def genesis(self, form: dict[str, str]) -> None:
        """GENESIS' REST API (`data/tablefile`): HTTP 200 whatever happens; the table
        (`genesis_table`, a flat-file CSV) when the `username` and `password` headers are
        `genesis_login` — in Object.Content of a JSON answer, or as the file itself or its
        ZIP (`genesis_answer`: json, csv, zip) — else JSON with the Status
        `genesis_refusal` and no Object. A table not in `genesis_tables` is refused the same
        way (GENESIS' code 104)."""
        srv = self.server
        login = (self.headers.get("username"), self.headers.get("password"))
        status = {"Code": 0, "Content": "erfolgreich", "Type": "Information"}
        answer: dict[str, Any] = {"Ident": {"Service": "data", "Method": "tablefile"}}
        if login != srv.genesis_login:
            status = srv.genesis_refusal
        elif form.get("name") not in srv.genesis_tables:
            status = {
                "Code": 104,
                "Content": "Kein passendes Objekt zu Suche",
                "Type": "Information",
            }
        if status["Code"] == 0 and srv.genesis_answer == "csv":
            return self.reply(srv.genesis_table.encode("utf-8"), "text/csv; charset=utf-8")
        if status["Code"] == 0 and srv.genesis_answer == "zip":
            packed = io.BytesIO()
            with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(f"{form.get('name')}_flat.csv", srv.genesis_table)
            return self.reply(packed.getvalue(), "application/zip")
        if status["Code"] == 0:
            answer["Object"] = {"Content": srv.genesis_table, "Structure": {}}
        answer["Status"] = status
        answer["Copyright"] = "© Statistisches Bundesamt (Destatis), 2026"
        self.reply(json.dumps(answer, ensure_ascii=False).encode("utf-8"), "application/json")

    def trickle(self, mode: str) -> None:
        """Bytes every `delay` seconds until the client gives up or the server stops."""
        srv = self.server
        if mode == "trickle_headers":
            head, unit = b"HTTP/1.1 200 OK\r\nX-Slow: ", b"x"
        elif mode == "trickle_body":
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            head += b"Content-Length: 100000\r\n\r\n"
            unit = b" "
        else:
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            head += b"Transfer-Encoding: chunked\r\n\r\n"
            unit = b"1\r\n \r\n"
        try:
            self.wfile.write(head)
            self.wfile.flush()
            while not srv.stopping.wait(srv.delay):
                self.wfile.write(unit)
                self.wfile.flush()
        except OSError:  # the client gave up: that is what the tests wait for
            pass

    def send_response(self, code: int, message: str | None = None) -> None:
        self.record["status"] = code  # what the server answered, for the tests to check
        super().send_response(code, message)

    def reply(self, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


RAW_REPLIES = {
    "not_http": b"SSH-2.0-OpenSSH_9.6\r\n",
    "bad_header": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nBad Header Line\r\n\r\n[]",
}


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        # the last requests only: a soak of 10,000 cycles must not measure the test server
        self.requests: deque[dict[str, Any]] = deque(maxlen=500)
        self.mode = "ok"
        self.delay = 0.0
        self.status = 200
        self.reason: str | None = None  # None: the standard phrase of `status`
        self.retry_after: str | None = None
        self.payload = records()
        self.huge_bytes = 3_000_000
        self.file = b""  # mode file: the bytes answered
        self.pause = 0.0  # before every reply, whatever the mode
        self.location = "/data"
        self.redirect_status = 302  # of mode redirect
        self.next_base = ""
        # mode genesis: the login it accepts, the tables it has, the flat file it answers,
        # and the Status it answers a wrong login with
        self.genesis_login: tuple[str | None, str | None] = ("", "")
        self.genesis_tables = {"82111-0001"}
        self.genesis_table = ""
        self.genesis_answer = "json"
        self.genesis_refusal: dict[str, Any] = {
            "Code": -1, "Content": "Anmeldung fehlgeschlagen", "Type": "Fehler",
        }  # fmt: skip
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    @property
    def url(self) -> str:
        return f"{self.origin}/data"

    def stop(self) -> None:
        self.stopping.set()  # ends the trickling replies
        self.shutdown()
        self.server_close()


class TlsServer(LocalServer):
    """The same server (same modes, same request log), speaking HTTPS only."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        super().__init__()

    def server_activate(self) -> None:
        # Runs inside ThreadingHTTPServer.__init__, before LocalServer starts serving.
        # A client that rejects the certificate makes accept() raise ssl.SSLError (an
        # OSError), which socketserver drops quietly.
        super().server_activate()
        self.socket = self.context.wrap_socket(self.socket, server_side=True)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.server_port}"
