"""The command each browser session of `jctui serve` runs: hands its stdin, stdout and stderr
to the warm parent (jctui.ui.zygote), which forks the dashboard onto them, and exits with
the dashboard's exit code.

Run as `python -I -S zygote_client.py SOCKET`: standard library only, no site, so it starts
in about 15 ms instead of the ~1.5 s a fresh `python -m jctui` needs to import Textual and
Polars. It carries no arguments of the app (the parent has them), so nothing of the
configured source shows in `ps`.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys
import time

CONNECT_FOR = 10.0  # seconds: the parent may be restarting after a crash


def connect(path: str) -> socket.socket:
    end = time.monotonic() + CONNECT_FOR
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > end:
                raise
            time.sleep(0.1)


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if len(argv) != 2:
        print("usage: zygote_client.py SOCKET", file=sys.stderr)
        return 2
    try:
        sock = connect(argv[1])
    except OSError as exc:
        print(f"jctui: error: the session starter is not running: {exc.strerror}", file=sys.stderr)
        return 1
    request = json.dumps({"env": dict(os.environ), "cwd": os.getcwd()}).encode()
    socket.send_fds(sock, [struct.pack("!I", len(request))], [0, 1, 2])
    sock.sendall(request)
    for fd in (0, 1, 2):  # the dashboard holds them now; its end of file is its own
        os.close(fd)
    answer = sock.recv(1)
    return answer[0] if answer else 1


if __name__ == "__main__":
    os._exit(main(sys.argv))  # not sys.exit: stdout is closed, a flush at exit would complain
