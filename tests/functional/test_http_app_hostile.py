"""The dashboard against a misbehaving server: a refresh that would never end is cut at the
deadline (the last good data stays, the header says why), and a --source URL with
credentials and a query token shows neither in the header nor in a screenshot."""

from __future__ import annotations

import dataclasses

import pytest

from jctui.config import HttpDef, RefreshDef, SourceDef, load_config
from jctui.ui.app import JctuiApp
from tests.functional.test_http_app import header, wait
from tests.httpserver import LocalServer

SECRET = "pw-S3CRET"
QUERY_TOKEN = "Q-T0KEN"


async def test_a_trickling_server_is_cut_at_the_deadline_and_the_data_stays(
    server: LocalServer,
) -> None:
    src = SourceDef(
        name="api", url=server.url, records_path="data.items",
        http=HttpDef(timeout=5, deadline=1),
    )  # fmt: skip
    config = dataclasses.replace(
        load_config(None), sources=(src,), checks=(), language="en",
        refresh=RefreshDef(http_interval=300, backoff_initial=60, backoff_max=120),
    )  # fmt: skip
    app = JctuiApp(config)
    async with app.run_test(size=(160, 24)) as pilot:
        await wait(pilot, lambda: app.figures is not None)
        good = app.figures
        assert "updated" in header(app)
        server.mode, server.delay = "endless_chunked", 0.1
        await pilot.press("r")
        await wait(pilot, lambda: "fetch failed" in header(app), steps=80)  # <= 4 s
        assert "deadline of 1 s" in header(app)
        assert app.figures is good  # the last good figures stay on screen
        assert "Kreis A" in str(app.query_one("#overview-title").render())


@pytest.mark.parametrize("fails", [False, True])
async def test_credentials_in_a_source_url_never_reach_the_screen(
    server: LocalServer, fails: bool
) -> None:
    server.mode = "csv"
    port = server.server_port
    url = f"http://alice:{SECRET}@127.0.0.1:{port}/data?api_key={QUERY_TOKEN}"
    config = dataclasses.replace(
        load_config(None).with_source(url), language="en", checks=(),
        refresh=RefreshDef(http_interval=300, backoff_initial=60, backoff_max=120),
    )  # fmt: skip
    app = JctuiApp(config)
    async with app.run_test(size=(160, 24)) as pilot:
        await wait(pilot, lambda: app.figures is not None)
        if fails:  # the reason of a failure names the URL too
            server.mode, server.status = "status", 503
            await pilot.press("r")
            await wait(pilot, lambda: "HTTP 503" in header(app))
        shown = header(app) + app.export_screenshot()
        assert f"127.0.0.1:{port}" in shown
        assert SECRET not in shown
        assert "alice" not in shown
        assert QUERY_TOKEN not in shown
    assert server.requests[0]["headers"]["Authorization"].startswith("Basic ")  # it was used
