"""The look-ups the warm parent of `jctui serve` decoded before it forked
(store_link.preload_views) are used while their file is the one decoded; a file rewritten
since (another `jctui refresh`) is read anew."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from jctui.config import load_config
from jctui.session import store_link
from jctui.session.store_link import preload_views, store_all, stored_load


def test_look_ups_rewritten_after_the_warm_parent_decoded_them_are_read_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = dataclasses.replace(load_config(None), cache_dir=str(tmp_path / "cache"))
    store_all(config)  # as `jctui refresh`: the three latest months' look-ups kept
    monkeypatch.setattr(store_link, "PRELOADED", {})
    assert preload_views(config) == 3
    link = stored_load(config)
    assert link is not None
    path = Path(max(store_link.PRELOADED))  # of the latest month
    text = path.read_text("utf-8").partition("\n")[2]
    head, *lines = text.split("\n")
    _, _, month, shown = json.loads(head)
    as_of = dt.date.fromisoformat(month)

    before = link.views(as_of, shown)
    assert before is not None
    assert before.compare_rows
    assert before.metrics is store_link.PRELOADED[str(path)][1][1]["metrics"]  # not decoded

    lines = [("compare_rows []" if line.startswith("compare_rows ") else line) for line in lines]
    text = "\n".join([head, *lines])
    path.write_text(f"{hashlib.blake2b(text.encode()).hexdigest()}\n{text}", "utf-8")
    after = link.views(as_of, shown)
    assert after is not None
    assert after.compare_rows == []
    assert after.metrics == before.metrics
    assert after.metrics is not before.metrics
