"""jctui over SSH, as a manager uses it: a private sshd on 127.0.0.1, a generated key, the
dashboard in tmux on the far side at 80x24, with 256 colours, 16 colours and NO_COLOR.

Marked `ssh` (run by `make test-ssh`, which installs openssh-server and tmux as root).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.ssh
SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)
REPO = Path(__file__).resolve().parents[2]
JCTUI = str(Path(sys.executable).parent / "jctui")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]  # an AF_INET address: (host, port)
        return port


class Ssh:
    def __init__(self, key: Path, port: int) -> None:
        self.key, self.port = key, port

    def run(self, command: str, check: bool = True) -> str:
        proc = subprocess.run(
            ["ssh", "-i", str(self.key), "-p", str(self.port), "-o", "StrictHostKeyChecking=no",
             "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
             f"{os.environ.get('USER', 'root')}@127.0.0.1", command],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        if check and proc.returncode != 0:
            raise AssertionError(f"ssh {command!r} failed: {proc.stderr}")
        return proc.stdout


@pytest.fixture
def ssh(tmp_path: Path) -> Iterator[Ssh]:
    if SSHD is None or shutil.which("ssh") is None or shutil.which("tmux") is None:
        pytest.skip("sshd, ssh or tmux missing: run `make test-ssh`")
    if os.geteuid() != 0:
        pytest.skip("the private sshd needs root to switch users")
    host_key, client_key = tmp_path / "host_key", tmp_path / "client_key"
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    authorized = tmp_path / "authorized_keys"
    authorized.write_text((tmp_path / "client_key.pub").read_text())
    authorized.chmod(0o600)
    port = free_port()
    config = tmp_path / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nAuthorizedKeysFile {authorized}\n"
        f"PidFile {tmp_path / 'sshd.pid'}\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)
    daemon = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    for _ in range(50):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield Ssh(client_key, port)
    daemon.terminate()
    daemon.wait(timeout=10)


@pytest.mark.parametrize(
    ("term", "extra"),
    [("xterm-256color", ""), ("xterm-16color", ""), ("xterm-256color", "NO_COLOR=1")],
    ids=["256-colours", "16-colours", "no-color"],
)
def test_dashboard_over_ssh_at_80x24(ssh: Ssh, tmp_path: Path, term: str, extra: str) -> None:
    sock = f"jctui-ssh-{os.getpid()}-{term}-{bool(extra)}"
    env = f"env LANG=C.UTF-8 TERM={term} {extra} XDG_CACHE_HOME={tmp_path} JCTUI_FROZEN_CLOCK='2026-11-25 12:00'"
    command = f"cd {REPO} && {env} {JCTUI} --at 2018-10 --lang en"
    ssh.run(f'tmux -L {sock} -f /dev/null new-session -d -x 80 -y 24 "{command}"')
    try:
        screen = ""
        for _ in range(100):
            screen = ssh.run(f"tmux -L {sock} capture-pane -p")
            if "4,303" in screen:
                break
            time.sleep(0.2)
        assert "Kreis Offenbach" in screen, screen
        assert "4,303" in screen  # integrations over 12 months
        assert "Demo data, synthetic figures" in screen
        assert "updated" in screen
        ssh.run(f"tmux -L {sock} send-keys 2")
        for _ in range(50):
            screen = ssh.run(f"tmux -L {sock} capture-pane -p")
            if "407/407" in screen:
                break
            time.sleep(0.2)
        assert "407/407" in screen
    finally:
        ssh.run(f"tmux -L {sock} kill-server", check=False)
