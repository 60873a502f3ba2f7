"""`jctui serve` in headless Chromium (Debian's chromium and chromium-driver).

Marked `browser` (run by `make test-browser`, which installs them). The page's terminal is
drawn by xterm.js, often on a canvas; what the browser received is read from its own
network log (the websocket frames carry the screen), the screenshot must not be blank.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
JCTUI = str(Path(sys.executable).parent / "jctui")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]  # an AF_INET address: (host, port)
        return port


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "XDG_CACHE_HOME": str(tmp_path),
        "HOME": str(tmp_path),
    }
    proc = subprocess.Popen(
        [JCTUI, "serve", "--port", str(port), "--lang", "en"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # "jctui: serving on http://...:port/?token=..."
        wait_for_port(port)
        yield line.split("serving on ", 1)[1].split()[0]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_dashboard_renders_in_headless_chromium(served: str, tmp_path: Path) -> None:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("chromium or chromedriver missing: run `make test-browser`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,800"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(served)  # the printed address, with this start's key
        received = ""
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and "4,303" not in received:
            time.sleep(0.5)
            for entry in driver.get_log("performance"):  # type: ignore[no-untyped-call]
                message = json.loads(entry["message"])["message"]
                if message.get("method") == "Network.webSocketFrameReceived":
                    frame = message["params"]["response"]
                    payload = frame.get("payloadData", "")
                    if frame.get("opcode") == 2:  # binary frames arrive base64-encoded
                        payload = base64.b64decode(payload).decode("utf-8", "replace")
                    received += payload
        assert "Kreis Offenbach" in received
        assert "Demo data, synthetic figures" in received
        assert "4,303" in received
        shot = tmp_path / "dashboard.png"
        driver.save_screenshot(str(shot))
        png = shot.read_bytes()
        assert png.startswith(b"\x89PNG")
        assert len(png) > 20_000  # a rendered dashboard, not an empty page
    finally:
        driver.quit()


def test_serve_binds_loopback_and_warns_for_other_addresses(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [JCTUI, "serve", "--host", "0.0.0.0", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path), "HOME": str(tmp_path)},
    )  # fmt: skip
    try:
        wait_for_port(port)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "jctui: warning: serving on 0.0.0.0" in err
    assert "no login" in err
