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

Warm dashboards (`jctui serve --warm-sessions N`, jctui/ui/warm_driver.py): N dashboards
are forked before any session comes and run unseen until one is handed a session's streams
over its channel (`Zygote.adopt`); one is made again when the sessions leave a core free
(`Zygote.keep_warm`). A session whose environment differs from the one they were made with
(but for its size and state file) gets a dashboard forked for it, as every session did.

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
    "jctui.ui.warm_driver",
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
WARM_DRIVER = "jctui.ui.warm_driver:WarmWebDriver"
STATE_ENV = "JCTUI_STATE_FILE"  # jctui.ui.serve_guard's: each session's own, not the app's
SESSION_OWN = ("COLUMNS", "ROWS", STATE_ENV)  # what differs between sessions of one serve
WARM_QUIET = 1.0  # seconds without a new session before a warm dashboard is made
WARM_READY_AFTER = 20.0  # seconds: a warm dashboard that drew no figures counts as ready
WARM_SESSIONS_BUSY = 0.1  # share of a core the sessions may use while one is made
WARM_PAUSE_MAX = 300.0  # seconds: the longest pause after warm dashboards died unadopted


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
class Warm:
    """A dashboard started before its session (jctui.ui.warm_driver), and its channel:
    it says when its figures are drawn, and is handed its session's streams there."""

    pid: int
    pidfd: int
    channel: socket.socket
    born: float
    ready: bool = False


@dataclass(frozen=True)
class WarmPool:
    """How many dashboards to keep started ahead (`jctui serve --warm-sessions`), and the
    environment textual-serve gives each session, but for what is each session's own
    (SESSION_OWN): a session whose environment differs gets a dashboard of its own."""

    size: int = 0
    env: dict[str, str] = field(default_factory=dict)
    size_file: str = ""  # where the last session's size is kept across restarts

    def fits(self, env: dict[str, Any]) -> bool:
        return bool(self.size) and same_sessions(env, self.env)


def same_sessions(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two sessions' environments differ only in what is each session's own."""
    return {k: v for k, v in a.items() if k not in SESSION_OWN} == {
        k: v for k, v in b.items() if k not in SESSION_OWN
    }


@dataclass
class Zygote:
    listener: socket.socket
    app_argv: list[str]
    pool: WarmPool = field(default_factory=WarmPool)
    sessions: dict[int, Session] = field(default_factory=dict)  # by pid
    warm: dict[int, Warm] = field(default_factory=dict)  # by pid, oldest first
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    last_request: float = 0.0  # monotonic: when the last session came
    size: tuple[str, str] = ("80", "24")  # the warm dashboards' size: the last session's
    sessions_cpu: tuple[float, float] = (0.0, 0.0)  # (monotonic, CPU seconds): a sample
    warm_after: float = 0.0  # monotonic: no warm dashboard before (one died unadopted)
    warm_pause: float = WARM_QUIET  # the next such pause

    def run(self) -> None:
        self.selector.register(self.listener, selectors.EVENT_READ, "accept")
        self.selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "parent")
        while True:
            for key, _ in self.selector.select(self.keep_warm()):
                kind = key.data
                if kind == "parent":
                    if not os.read(sys.stdin.fileno(), 4096):
                        return  # main() ends every dashboard
                elif kind == "accept":
                    self.accept()
                elif kind[0] == "warm":
                    if kind[1] in self.warm:
                        self.warm_said(kind[1])
                elif kind[0] == "warm-exit":
                    if kind[1] in self.warm:
                        self.warm_ended(kind[1])
                elif kind[1] not in self.sessions:
                    continue  # reaped by an earlier event of the same select()
                elif kind[0] == "client":
                    self.client_gone(kind[1])
                else:
                    self.reap(kind[1])

    # -- the warm dashboards ----------------------------------------------------------

    def keep_warm(self) -> float | None:
        """Start a warm dashboard when one is missing and the sessions leave a core free:
        none is still starting, no session came for WARM_QUIET seconds and the sessions used
        under a tenth of a core since (their keys go first); after a warm dashboard died
        unadopted, only after a pause that doubles each time. The seconds until it is time
        to look again (None: nothing to wait for)."""
        if len(self.warm) >= self.pool.size:
            return None
        now = time.monotonic()
        for warm in self.warm.values():
            if not warm.ready and now - warm.born < WARM_READY_AFTER:
                return WARM_READY_AFTER - (now - warm.born)  # its "ready" wakes us sooner
            warm.ready = True
        cpu = sum(map(cpu_seconds, self.sessions))
        since, used = self.sessions_cpu
        if now - since >= WARM_QUIET:
            self.sessions_cpu = (now, cpu)
        wait = max(self.last_request + WARM_QUIET, self.warm_after) - now
        if wait > 0:
            return wait
        if now - since < WARM_QUIET or (cpu - used) / (now - since) >= WARM_SESSIONS_BUSY:
            return WARM_QUIET - (now - self.sessions_cpu[0])
        self.fork_warm()
        return None if len(self.warm) >= self.pool.size else WARM_READY_AFTER

    def fork_warm(self) -> None:
        ours, theirs = socket.socketpair()
        sys.stdout.flush()
        sys.stderr.flush()
        me = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            ours.close()
            theirs.close()
            return
        if pid:
            theirs.close()
            try:
                pidfd = os.pidfd_open(pid)
            except OSError:
                ours.close()
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return
            self.warm[pid] = Warm(pid, pidfd, ours, time.monotonic())
            self.selector.register(ours, selectors.EVENT_READ, ("warm", pid))
            self.selector.register(pidfd, selectors.EVENT_READ, ("warm-exit", pid))
            return
        code = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            die_with_parent(me)
            ours.close()
            self.close_inherited()
            code = run_warm(self.app_argv, self.pool.env, self.size, theirs)
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)

    def warm_said(self, pid: int) -> None:
        """A warm dashboard drew its figures (or its channel closed: it ended)."""
        warm = self.warm[pid]
        try:
            said = warm.channel.recv(1)
        except OSError:
            said = b""
        if said:
            warm.ready = True
            self.warm_pause = WARM_QUIET
        else:
            self.selector.unregister(warm.channel)  # its exit (pidfd) removes it

    def warm_ended(self, pid: int) -> None:
        """A warm dashboard ended before a session came: the next one waits (it may fail
        the same way; kept for the sessions' start, never a loop of forks)."""
        warm = self.warm.pop(pid)
        self.warm_after = time.monotonic() + self.warm_pause
        self.warm_pause = min(self.warm_pause * 2, WARM_PAUSE_MAX)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(warm.channel)
        warm.channel.close()
        self.selector.unregister(warm.pidfd)
        os.close(warm.pidfd)
        os.waitpid(pid, 0)

    def adopt(self, request: dict[str, Any], fds: list[int]) -> int | None:
        """A warm dashboard given this session's streams (the oldest ready one, else the
        oldest); its pid, or None when there is none for this session."""
        if not self.warm or not self.pool.fits(request["env"]):
            return None
        pid = next((p for p, w in self.warm.items() if w.ready), next(iter(self.warm)))
        warm = self.warm.pop(pid)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(warm.channel)
        self.selector.unregister(warm.pidfd)
        try:
            body = json.dumps(request).encode()
            socket.send_fds(warm.channel, [struct.pack("!I", len(body))], fds)
            warm.channel.sendall(body)
        except OSError:  # it just ended: the session gets a dashboard of its own
            warm.channel.close()
            os.close(warm.pidfd)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        warm.channel.close()
        os.close(warm.pidfd)  # accept() opens the session's own
        return pid

    def take_size(self, columns: Any, rows: Any, keep: bool = True) -> None:
        """The warm dashboards' size from now on: this one's (a session's, or the kept one),
        if it is a terminal's; kept in the pool's file when it changed."""
        try:
            size = (int(columns), int(rows))
        except (TypeError, ValueError):
            return
        if not all(10 <= n <= 1000 for n in size) or tuple(map(int, self.size)) == size:
            return
        self.size = (str(size[0]), str(size[1]))
        if keep and self.pool.size_file:
            with contextlib.suppress(OSError):
                path = self.pool.size_file
                os.makedirs(os.path.dirname(path) or ".", mode=0o700, exist_ok=True)
                with open(f"{path}.tmp", "w", encoding="utf-8") as out:
                    json.dump({"columns": size[0], "rows": size[1]}, out)
                os.replace(f"{path}.tmp", path)

    def close_inherited(self) -> None:
        """In a child: what the parent holds for the others is not the child's."""
        self.selector.close()
        self.listener.close()
        for session in self.sessions.values():
            os.close(session.pidfd)
            if session.client is not None:
                session.client.close()
        for warm in self.warm.values():
            os.close(warm.pidfd)
            warm.channel.close()

    # -- sessions ---------------------------------------------------------------------

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
        self.last_request = time.monotonic()
        env = request["env"]
        self.take_size(env.get("COLUMNS"), env.get("ROWS"))
        try:
            pid = self.adopt(request, fds) or self.fork(request, fds, conn)
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
            conn.close()  # the parent answers the client; the dashboard has only its streams
            self.close_inherited()
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
        waiting = set(self.sessions) | set(self.warm)
        for pid in waiting:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        end = time.monotonic() + STOP_GRACE
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


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process used so far; 0.0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def run_warm(
    app_argv: list[str], env: dict[str, str], size: tuple[str, str], channel: socket.socket
) -> int:
    """In a forked child: a dashboard with no session yet (jctui.ui.warm_driver). It runs
    on an idle pipe and /dev/null with the sessions' environment at the last session's
    size, says on `channel` when its figures are drawn, and takes the streams of the
    session the parent hands it there (`wait_for_session`)."""
    import threading

    import jctui.ui.warm_driver  # noqa: F401  (here, not first in the thread below)

    idle_in, keep_open = os.pipe()  # never written: no input until a session's
    nulls = [os.open(os.devnull, os.O_WRONLY) for _ in range(2)]  # run_dashboard closes each
    warm_env = {**env, "COLUMNS": size[0], "ROWS": size[1], "TEXTUAL_DRIVER": WARM_DRIVER}
    warm_env[STATE_ENV] = os.devnull  # no session's "my Jobcenter", and none written
    threading.Thread(
        target=wait_for_session, args=(channel, keep_open), name="warm", daemon=True
    ).start()
    return run_dashboard(app_argv, {"env": warm_env, "cwd": os.getcwd()}, [idle_in, *nulls])


def wait_for_session(channel: socket.socket, keep_open: int) -> None:
    """The warm dashboard's thread: says "ready" once the figures are drawn, then waits
    for its session; its streams become 0, 1 and 2, its environment and folder this
    process's, and the driver goes on the air at its size. The parent gone (the channel
    closed before a session came): the dashboard ends."""
    from jctui.ui.warm_driver import WarmWebDriver

    try:
        WarmWebDriver.figures.wait(WARM_READY_AFTER)
        wait_until_idle()  # what follows the figures (the months around) done too
        with contextlib.suppress(OSError):
            channel.sendall(b"R")
        channel.settimeout(None)
        request, fds = read_request(channel)
    except (OSError, ValueError):
        os.kill(os.getpid(), signal.SIGTERM)
        return
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in (*fds, keep_open):
        if fd > 2:
            os.close(fd)
    channel.close()
    env = request["env"]
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in env.items()})
    with contextlib.suppress(OSError, TypeError):
        os.chdir(str(request.get("cwd", ".")))
    WarmWebDriver.started.wait()
    driver = WarmWebDriver.instance
    assert driver is not None
    width, height = int(env.get("COLUMNS", 80)), int(env.get("ROWS", 24))
    driver._app.call_from_thread(driver.adopt, width, height)


def wait_until_idle(most: float = 10.0) -> None:
    """Until this process used under 5 % of a core for a quarter second (at most `most` s)."""
    end = time.monotonic() + most
    while time.monotonic() < end:
        before = time.process_time()
        time.sleep(0.25)
        if time.process_time() - before < 0.0125:
            return


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
    spec = json.loads(sys.stdin.buffer.readline())  # the app's arguments; or with a pool
    if isinstance(spec, dict):
        pool = WarmPool(int(spec.get("warm", 0)), dict(spec["env"]), str(spec.get("size_file", "")))
        app_argv = spec["argv"]
    else:
        app_argv, pool = spec, WarmPool()
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
    zygote = Zygote(listener, [str(a) for a in app_argv], pool)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        with open(pool.size_file, encoding="utf-8") as kept:
            size = json.load(kept)
        zygote.take_size(size.get("columns"), size.get("rows"), keep=False)
    try:
        zygote.run()
    finally:  # stdin closed, SIGTERM (or `jctui serve` died): no dashboard stays
        zygote.shut_down()
    return 0


if __name__ == "__main__":
    sys.exit(main())
