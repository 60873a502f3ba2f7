"""The dashboard on an HTTP source that fails and recovers: the header says so, data stays."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from jctui.config import HttpDef, RefreshDef, SourceDef, load_config
from jctui.ui.app import JctuiApp
from jctui.ui.messages import NoticePosted
from jctui.ui.widgets.status_header import StatusHeader
from tests.httpserver import LocalServer

TOKEN = "t0ken-never-shown"


class Recording(JctuiApp):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notices: list[NoticePosted] = []

    def on_notice_posted(self, message: NoticePosted) -> None:
        self.notices.append(message)
        super().on_notice_posted(message)


def header(app: JctuiApp) -> str:
    return str(app.query_one(StatusHeader).render())


async def wait(pilot: Pilot[None], check: Callable[[], object], steps: int = 100) -> None:
    for _ in range(steps):
        await pilot.pause(0.05)
        if check():
            return
    raise AssertionError("condition not reached")


async def test_failure_shows_stale_with_reason_then_recovers(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JCTUI_API_TOKEN", TOKEN)
    src = SourceDef(
        name="api", url=server.url, records_path="data.items",
        http=HttpDef(auth="bearer", token_env="JCTUI_API_TOKEN", timeout=2),
    )  # fmt: skip
    config = dataclasses.replace(
        load_config(None), sources=(src,), checks=(), language="en",
        refresh=RefreshDef(http_interval=300, backoff_initial=1, backoff_max=2),
    )  # fmt: skip
    app = Recording(config)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait(pilot, lambda: app.figures is not None)
        assert "updated" in header(app)
        assert "Kreis A" in str(app.query_one("#overview-title").render())
        good = app.figures
        server.mode, server.status = "status", 503
        await pilot.press("r")
        await wait(pilot, lambda: "fetch failed since" in header(app))
        assert "HTTP 503" in header(app)
        assert "retry" in header(app)
        assert app.figures is good  # the last good figures stay on screen
        assert [n.kind for n in app.notices] == ["failure"]
        server.mode = "ok"
        await wait(pilot, lambda: "updated" in header(app), steps=100)  # the retry timer (<= 2 s)
        assert [n.kind for n in app.notices] == ["failure", "recovery"]
        assert TOKEN not in header(app)
        assert TOKEN not in app.export_screenshot()


@pytest.mark.parametrize("width", [80, 200])
async def test_a_failing_source_keeps_reason_and_retry_and_names_the_url_once(
    server: LocalServer, width: int
) -> None:
    src = SourceDef(name="api", url=server.url, records_path="data.items", http=HttpDef(timeout=2))
    config = dataclasses.replace(
        load_config(None), sources=(src,), checks=(), language="en",
        refresh=RefreshDef(http_interval=300, backoff_initial=60, backoff_max=60),
    )  # fmt: skip
    app = Recording(config)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait(pilot, lambda: app.figures is not None)
        server.mode, server.status = "status", 503
        await pilot.press("r")
        await wait(pilot, lambda: "fetch failed" in header(app))
        await pilot.pause(0.1)
        text = header(app)
        assert "503" in text  # the reason ...
        assert "retry" in text  # ... and when the next try is
        assert "Oct 2018" in text or "2018" in text  # the as-of month stays
        host = server.url.split("//", 1)[1].split("/", 1)[0]
        assert text.count(host) <= 1  # the URL never twice
        assert len(text.rstrip()) <= width
