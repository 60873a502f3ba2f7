"""Drive a real terminal: run a command in a detached tmux session, type, read the screen.

Each session uses its own tmux server socket, so tests never touch a user's tmux.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Mapping

TMUX = shutil.which("tmux")


class TmuxSession:
    def __init__(
        self,
        command: list[str],
        *,
        width: int = 80,
        height: int = 24,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if TMUX is None:
            raise RuntimeError("tmux is not installed")
        self.tmux: str = TMUX
        self.socket = f"jctui-test-{uuid.uuid4().hex[:8]}"
        self.name = "t"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        inner = f"env {exports} {shlex.join(command)}" if exports else shlex.join(command)
        # keep the pane after the program exits so a crash stays readable
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), inner)
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on")
        # let the program set tmux's paste buffer with OSC 52, as a terminal's clipboard
        self._tmux("set-option", "-s", "set-clipboard", "on")

    def _tmux(self, *args: str) -> str:
        proc = subprocess.run(
            [self.tmux, "-L", self.socket, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
        return proc.stdout

    def screen(self) -> str:
        """What a person sees in the pane right now, as text."""
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def send(self, *keys: str) -> None:
        """Type keys as tmux names them ('q', 'Enter', 'Escape', 'C-q', '2')."""
        for key in keys:
            self._tmux("send-keys", "-t", self.name, key)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Poll the screen until `text` is on it; return the screen (or fail with it)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout}s; screen:\n{screen}")

    def settled(self, quiet: float = 0.5, timeout: float = 10.0) -> str:
        """The screen once it has not changed for `quiet` seconds (the app is idle)."""
        deadline = time.monotonic() + timeout
        screen, since = self.screen(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = self.screen()
            if now != screen:
                screen, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return screen
        return screen

    def wait_until_gone(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} still on screen after {timeout}s:\n{screen}")

    def clipboard(self) -> str:
        """What the program copied with OSC 52 (tmux's newest paste buffer), or ''."""
        try:
            return self._tmux("show-buffer")
        except subprocess.CalledProcessError:  # no buffer yet
            return ""

    def title(self) -> str:
        """The pane's title, as an OSC 2 sequence from the program would have set it."""
        return self._tmux("display-message", "-p", "-t", self.name, "#{pane_title}").strip()

    def buffers(self) -> str:
        """Every paste buffer (each OSC 52 write makes one), one per line."""
        return self._tmux("list-buffers", "-F", "#{buffer_sample}")

    def pane_dead(self) -> bool:
        return self._tmux("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "1"

    def close(self) -> None:
        subprocess.run(
            [self.tmux, "-L", self.socket, "kill-server"], capture_output=True, check=False
        )

    def __enter__(self) -> TmuxSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
