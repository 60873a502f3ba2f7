"""The warm parent of `jctui serve`'s browser sessions: imports Textual, Polars and jctui once,
then forks one dashboard per session onto the stdin/stdout/stderr its session hands over
(jctui/ui/zygote_client.py) instead of textual-serve starting a fresh interpreter for each.

Why: a fresh `python -m jctui` costs ~1.5 s of CPU before it draws (imports), so 20 browsers
opening at once on two cores waited ~50 s for their first frame (bench/RESULTS.md). A fork
of a process that has everything imported starts drawing at once and shares the imported
code's memory with its siblings.

Polars is imported but never used here: its thread pool starts on first use, so each forked
dashboard starts its own (a pool started before a fork would have no threads in the child).

What every session would make alike is made here once, before any fork (`prepare_sessions`):
the dashboard's CSS parsed (`share_parsed_css`); the heap is frozen, so no child's collector
walks (or copies) it. The figure store's look-ups need no head start: a session decodes only
the lines of the Jobcenters it shows (jctui.session.lazy_views).

Protocol over a Unix socket in a private (0700) directory: the client sends a 4-byte length
with its three file descriptors (SCM_RIGHTS), then that many bytes of JSON ({"env", "cwd"});
when the dashboard ends, the parent answers one byte, its exit code. A client that goes away
takes its dashboard with it (SIGTERM). The parent reads the app's arguments as one JSON line
on its stdin and ends, ending every dashboard, when that stdin closes (`jctui serve` ended).
No orphans: each dashboard gets SIGTERM when the parent dies, and the parent when `jctui
serve` dies, however they die (Linux PR_SET_PDEATHSIG); a dashboard that does not end within
STOP_GRACE seconds of its SIGTERM at shut-down is killed.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import runpy
import selectors
import signal
import socket
import struct
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jctui.config import Config

PRELOAD = (
    "polars",
    "plotext",
    "textual.app",
    "textual.drivers.web_driver",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "textual.pilot",
    "textual.drivers.headless_driver",
    "jctui.cli",
    "jctui.ui.run",
    "jctui.ui.app",
    "jctui.ui.kiosk_app",
    "jctui.session.session",
    "jctui.session.load",
    "jctui.session.answers",
    "jctui.session.lookup",
    "jctui.session.prepare",
    "jctui.session.refresh",
    "jctui.session.shared",
    "jctui.session.state",
    "jctui.session.store",
    "jctui.session.store_link",
    "jctui.session.lazy_views",
    "jctui.engine",
    "jctui.engine.figures",
    "jctui.engine.ranks",
    "jctui.engine.revisions",
    "jctui.engine.search",
    "jctui.engine.over_time",
    "jctui.presentation.attention",
    "jctui.presentation.suppression",
    "jctui.sources",
    "jctui.sources.pointer",
    "jctui.readers.parquet",
    "jctui.readers.csv",
    "jctui.readers.json",
)  # what a dashboard imports up to its first figures (JCTUI_PROFILE lists what it imported)
REQUEST_TIMEOUT = 2.0  # seconds a client has to send its request (ours sends it at once)
STOP_GRACE = 5.0  # seconds the dashboards have to end at shut-down before SIGKILL
PR_SET_PDEATHSIG = 1
CSS_DEPTH = 8  # the deepest a widget class's DEFAULT_CSS may be inherited, parsed ahead
PROFILE_ENV = "JCTUI_PROFILE"  # a folder: each dashboard's profile up to its figures


def die_with_parent(parent: int) -> None:
    """SIGTERM to this process when its parent (`parent`) dies; at once if it already did."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it died before the line above took effect
        os.kill(os.getpid(), signal.SIGTERM)


@dataclass
class Session:
    """One forked dashboard and the client waiting for it."""

    pid: int
    pidfd: int
    client: socket.socket | None


@dataclass
class Zygote:
    listener: socket.socket
    app_argv: list[str]
    sessions: dict[int, Session] = field(default_factory=dict)  # by pid
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)

    def run(self) -> None:
        self.selector.register(self.listener, selectors.EVENT_READ, "accept")
        self.selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "parent")
        while True:
            for key, _ in self.selector.select():
                kind = key.data
                if kind == "parent":
                    if not os.read(sys.stdin.fileno(), 4096):
                        return  # main() ends every dashboard
                elif kind == "accept":
                    self.accept()
                elif kind[1] not in self.sessions:
                    continue  # reaped by an earlier event of the same select()
                elif kind[0] == "client":
                    self.client_gone(kind[1])
                else:
                    self.reap(kind[1])

    def accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:  # out of file descriptors: let sessions end before the next one
            time.sleep(0.1)
            return
        try:
            conn.settimeout(REQUEST_TIMEOUT)
            if not same_user(conn):
                conn.close()
                return
            request, fds = read_request(conn)
        except (OSError, ValueError):
            conn.close()
            return
        try:
            pid = self.fork(request, fds, conn)
            pidfd = os.pidfd_open(pid)
        except OSError:  # no process or no pidfd left: this session gets none, we go on
            conn.close()
            return
        finally:
            for fd in fds:
                os.close(fd)
        self.sessions[pid] = Session(pid, pidfd, conn)
        conn.setblocking(False)
        self.selector.register(conn, selectors.EVENT_READ, ("client", pid))
        self.selector.register(pidfd, selectors.EVENT_READ, ("exit", pid))

    def fork(self, request: dict[str, Any], fds: list[int], conn: socket.socket) -> int:
        sys.stdout.flush()
        sys.stderr.flush()
        me = os.getpid()
        pid = os.fork()
        if pid:
            return pid
        # the child: becomes the dashboard of this session
        code = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            die_with_parent(me)
            self.selector.close()
            self.listener.close()
            conn.close()  # the parent answers the client; the dashboard has only its streams
            for session in self.sessions.values():
                os.close(session.pidfd)
                if session.client is not None:
                    session.client.close()
            code = run_dashboard(self.app_argv, request, fds)
        except BaseException:  # to the session's stderr, as `python -m jctui` printed it
            traceback.print_exc()
        finally:
            os._exit(code)

    def client_gone(self, pid: int) -> None:
        """The client ended (its session closed, or it was killed): so does its dashboard."""
        session = self.sessions[pid]
        if session.client is not None:
            self.selector.unregister(session.client)
            session.client.close()
            session.client = None
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)

    def reap(self, pid: int) -> None:
        session = self.sessions.pop(pid)
        self.selector.unregister(session.pidfd)
        os.close(session.pidfd)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if session.client is not None:
            self.selector.unregister(session.client)
            with contextlib.suppress(OSError):
                session.client.setblocking(True)
                session.client.sendall(bytes([code & 0xFF if code >= 0 else 1]))
            session.client.close()

    def shut_down(self) -> None:
        """End every dashboard: SIGTERM, and SIGKILL for one still there after STOP_GRACE."""
        for pid in list(self.sessions):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        end = time.monotonic() + STOP_GRACE
        waiting = set(self.sessions)
        while waiting:
            for pid in list(waiting):
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    done = pid
                if done:
                    waiting.discard(pid)
            if waiting and time.monotonic() > end:
                for pid in waiting:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                end = float("inf")
            elif waiting:
                time.sleep(0.05)


def same_user(conn: socket.socket) -> bool:
    """Only our own user may start a dashboard (the directory is 0700 already)."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", creds)
    return bool(uid == os.getuid())


def read_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The client's request and its three descriptors (closed again if the request is bad)."""
    header, fds, _, _ = socket.recv_fds(conn, 4, 3)
    try:
        if len(fds) != 3 or len(header) != 4:
            raise ValueError("malformed request")
        (size,) = struct.unpack("!I", header)
        body = b""
        while len(body) < size:
            chunk = conn.recv(size - len(body))
            if not chunk:
                raise ValueError("truncated request")
            body += chunk
        request = json.loads(body)  # a JSONDecodeError is a ValueError
        if not isinstance(request, dict) or not isinstance(request.get("env"), dict):
            raise ValueError("malformed request")
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return request, fds


def profile_until_figures(folder: str) -> None:
    """Measuring (JCTUI_PROFILE=FOLDER, e.g. bench/bench_serve.py): this dashboard's UI
    thread under cProfile from the fork to its first figures on screen (the frame that
    shows them rendered), then
    FOLDER/PID.prof and FOLDER/PID.txt (CPU seconds by thread since the fork); with
    JCTUI_PROFILE_CPU=1 only the latter (no profiler's overhead)."""
    import cProfile

    from jctui.ui.app import JctuiApp

    profile = cProfile.Profile(time.thread_time)  # the UI thread's CPU: a busy host adds none
    shown = JctuiApp.on_figures_shown
    imported = set(sys.modules)

    def on_figures_shown(app: JctuiApp, message: Any) -> None:
        if JctuiApp.on_figures_shown is not shown:
            JctuiApp.on_figures_shown = shown  # type: ignore[method-assign]
            app.call_after_refresh(dump)
        shown(app, message)

    def dump() -> None:
        base = os.path.join(folder, str(os.getpid()))
        if not cpu_only:
            profile.disable()
            profile.dump_stats(base + ".prof")
        with open(base + ".txt", "w", encoding="utf-8") as out:
            out.write(f"process {time.process_time():.3f}\n")
            out.write(f"imported {' '.join(sorted(set(sys.modules) - imported))}\n")
            import threading

            names = {t.native_id: t.name for t in threading.enumerate()}
            for task in sorted(os.listdir("/proc/self/task"), key=int):
                with contextlib.suppress(OSError):
                    with open(f"/proc/self/task/{task}/stat", encoding="utf-8") as stat:
                        name, _, rest = stat.read().partition(") ")
                    ticks = sum(int(v) for v in rest.split()[11:13])
                    name = names.get(int(task)) or name.partition("(")[2]
                    out.write(f"{name} {ticks / os.sysconf('SC_CLK_TCK')}\n")

    JctuiApp.on_figures_shown = on_figures_shown  # type: ignore[method-assign,assignment]
    cpu_only = os.environ.get("JCTUI_PROFILE_CPU") == "1"
    if not cpu_only:
        profile.enable()


def run_dashboard(app_argv: list[str], request: dict[str, Any], fds: list[int]) -> int:
    """In the forked child: take over the session's streams and environment, run the app."""
    os.setsid()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
        signal.signal(
            signum, signal.SIG_DFL if signum != signal.SIGINT else signal.default_int_handler
        )
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    with contextlib.suppress(OSError, TypeError):
        os.chdir(str(request.get("cwd", ".")))
    if os.environ.get(PROFILE_ENV):
        profile_until_figures(os.environ[PROFILE_ENV])
    import textual.constants

    importlib.reload(textual.constants)  # it reads TEXTUAL_* at import: this session's values
    sys.argv = ["jctui", *app_argv]
    try:  # exactly what the fresh `python -m jctui ARGS` did, minus the imports
        runpy.run_module("jctui", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
    return code


def share_parsed_css(config: Config) -> int:
    """Textual parses each CSS source (app.tcss, every widget's DEFAULT_CSS) anew in each
    app, ~0.04 s of each session's start: here its parser keeps what it parsed for the
    process, by source and CSS variables, and the sources of the dashboard's app and of
    every widget class imported are parsed once, before the fork, with the app's variables
    (a session with other variables, another theme, parses its own). Returns how many."""
    from textual.css.stylesheet import Stylesheet
    from textual.dom import DOMNode

    from jctui.ui.app import JctuiApp

    parse_rules = Stylesheet._parse_rules
    parsed: dict[tuple[Any, ...], Any] = {}

    def variables_key(sheet: Stylesheet) -> tuple[tuple[str, str], ...]:
        kept = sheet.__dict__.get("_jctui_variables")
        if kept is None or kept[0] is not sheet._variables:  # set_variables: a new dict
            kept = (sheet._variables, tuple(sorted(sheet._variables.items())))
            sheet.__dict__["_jctui_variables"] = kept
        return kept[1]

    def shared_parse_rules(
        sheet: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables_key(sheet))
        rules = parsed.get(key)
        if rules is None:
            rules = parse_rules(sheet, css, read_from, is_default_rules, tie_breaker, scope)
            parsed[key] = rules
        return rules

    Stylesheet._parse_rules = shared_parse_rules  # type: ignore[method-assign,assignment]
    app = JctuiApp(config)
    sheet = app.stylesheet
    sheet.read_all(app.css_path)
    classes: dict[type[DOMNode], None] = {}  # every node class imported
    bases: list[type[DOMNode]] = [DOMNode]
    while bases:
        for sub in bases.pop().__subclasses__():
            if sub not in classes:
                classes[sub] = None
                bases.append(sub)
    sheet.parse()
    sources = {}
    for cls in classes:
        with contextlib.suppress(Exception):
            for read_from, css, _, scope in object.__new__(cls)._get_default_css():
                sources[read_from] = (css, scope)
    # a source's place among the others (its "tie breaker") is the lowest of the classes
    # mounted so far that have it: each one a session may come to have, parsed here
    for read_from, (css, scope) in sources.items():
        for tie_breaker in range(-CSS_DEPTH, 1):
            with contextlib.suppress(Exception):
                sheet._parse_rules(css, read_from, True, tie_breaker, scope)
    return len(parsed)


def unicode_table() -> None:
    """Rich's table of character widths (imported on first use: in each child, else)."""
    with contextlib.suppress(Exception):
        from rich._unicode_data._versions import VERSIONS

        importlib.import_module(f".unicode{VERSIONS[-1].replace('.', '-')}", "rich._unicode_data")


def prepare_sessions(app_argv: list[str]) -> None:
    """What every session forked would make alike, made once, here: the CSS parsed."""
    config = session_config(app_argv)
    if config is None:
        return
    with contextlib.suppress(Exception):  # only a head start: each session can do it
        share_parsed_css(config)


def session_config(app_argv: list[str]) -> Config | None:
    """The sessions' config as `jctui` reads it from their arguments (--config, --source,
    --lang); None when it cannot be read (each dashboard then says why)."""
    import argparse
    import dataclasses

    from jctui.config import load_config

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--config")
    parser.add_argument("--source")
    parser.add_argument("--lang")
    try:
        known, _ = parser.parse_known_args(app_argv)
        config = load_config(known.config)
        if known.source is not None:
            config = config.with_source(known.source)
        if known.lang:
            config = dataclasses.replace(config, language=known.lang)
    except Exception:
        return None
    return config


def main() -> int:
    if len(sys.argv) != 2:
        print(
            "usage: python -m jctui.ui.zygote SOCKET (app arguments as JSON on stdin)",
            file=sys.stderr,
        )
        return 2
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches `jctui serve`, which ends us
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # ends the dashboards on the way out
    die_with_parent(os.getppid())
    app_argv = json.loads(sys.stdin.buffer.readline())
    path = sys.argv[1]
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)  # sessions opened while we import wait in the backlog
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # not warm then: the dashboard imports it (and says why) itself
            continue
    unicode_table()
    from jctui.build import code_revision

    code_revision()  # of the code imported here, not of what is on disk when a child stores
    prepare_sessions(app_argv)
    gc.collect()
    gc.freeze()  # the collector in a child never walks (so never copies) what we imported
    from jctui.ui import background

    background.PARENT_FROZE = True  # the children need not count the frozen objects
    zygote = Zygote(listener, [str(a) for a in app_argv])
    try:
        zygote.run()
    finally:  # stdin closed, SIGTERM (or `jctui serve` died): no dashboard stays
        zygote.shut_down()
    return 0


if __name__ == "__main__":
    sys.exit(main())
