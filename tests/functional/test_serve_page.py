"""`jctui serve` serves everything its page needs itself: a browser that opens a kiosk page
contacts no third party (textual-serve's own page links fonts.googleapis.com), and the
start-up output does not repeat the --source URL with its credentials.

A real `jctui serve` process on a free port of 127.0.0.1, read with an HTTP client.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

pytest.importorskip("textual_serve")

SECRET = "pw-S3CRET"
REFERENCE_RE = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']([^"']+)["'])|(?:url\(\s*["']?([^"')\s]+))|(?:@import\s+["']([^"']+))""",
    # case-sensitive: the page's script says `new URL(window.location.href)`, not a fetch
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str], str]]:
    port = free_port()
    source = f"http://alice:{SECRET}@127.0.0.1:1/figures.csv?api_key=Q-T0KEN"
    proc = subprocess.Popen(
        [sys.executable, "-m", "jctui", "serve", "--port", str(port), "--source", source],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp_path),
             "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(Path(__file__).parents[2])},
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the address it serves on, with this start's key
        found = re.search(r"serving on (http://127\.0\.0\.1:\d+/\?token=[\w-]+)", line)
        assert found, line
        base = found.group(1)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(base, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("jctui serve did not answer within 20 s")
        yield base, proc, line
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def references(text: str, base: str) -> list[str]:
    """Every URL a browser would fetch for this HTML or CSS, absolute."""
    return [urljoin(base, next(g for g in m.groups() if g)) for m in REFERENCE_RE.finditer(text)]


def test_the_page_loads_nothing_from_other_hosts(
    served: tuple[str, subprocess.Popen[str], str],
) -> None:
    base, proc, first_line = served
    page = httpx.get(base, timeout=5)
    assert page.status_code == 200
    assert "fonts.googleapis.com" not in page.text
    fetched = references(page.text, base)
    assert any(u.endswith(".ttf") for u in fetched)  # the font comes from us now
    stylesheets = [u for u in fetched if u.endswith(".css")]
    assert stylesheets
    for css in stylesheets:  # what the stylesheets pull in, too
        fetched += references(httpx.get(css, cookies=page.cookies, timeout=5).text, css)
    own = urlsplit(base).netloc
    assert page.cookies.get("jctui_browser")  # this browser's own "my Jobcenter"
    assert {urlsplit(u).netloc for u in fetched if not u.startswith("data:")} == {own}
    for url in fetched:  # and we really serve each of them, to the browser of the page
        if not url.startswith("data:"):
            assert httpx.get(url, cookies=page.cookies, timeout=5).status_code == 200, url
    assert SECRET not in page.text
    proc.terminate()
    output = first_line + proc.communicate(timeout=10)[0]
    token = base.split("token=", 1)[1]
    assert output.count(token) == 1  # the key is printed once, not in every log line
    assert "serving on http://127.0.0.1:" in output
    assert SECRET not in output
    assert "Q-T0KEN" not in output
