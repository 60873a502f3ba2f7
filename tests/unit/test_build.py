"""What a store and a kept answer are keyed by changes with jctui's code, not only with its
version: a reader fixed by a `git pull` of an editable install recomputes what the old one
stored."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

import jctui
from jctui import build
from jctui.config import load_config
from jctui.session import store
from jctui.session.load import locate


def test_the_code_revision_changes_when_a_module_changes(tmp_path: Path) -> None:
    tree = tmp_path / "jctui"
    shutil.copytree(Path(jctui.__file__).parent, tree, ignore=shutil.ignore_patterns("*.pyc"))
    before = build.tree_revision(str(tree))
    assert build.tree_revision(str(tree)) == before  # the same code, the same revision
    (tree / "__pycache__").mkdir(exist_ok=True)
    (tree / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert build.tree_revision(str(tree)) == before  # compiled files are not the code
    reader = tree / "readers" / "parse.py"
    reader.write_text(reader.read_text(encoding="utf-8") + "\n# fixed\n", encoding="utf-8")
    assert build.tree_revision(str(tree)) != before
    assert build.tree_revision(str(tree)).startswith(jctui.__version__ + "+")


def test_the_store_key_follows_the_code_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = dataclasses.replace(load_config(None), cache_dir=str(tmp_path))
    located = [locate(src, config) for src in config.sources]
    key = store.store_key(config, located)
    monkeypatch.setattr(store, "code_revision", lambda: jctui.__version__ + "+another-checkout")
    other = store.store_key(config, located)
    assert key is not None
    assert other is not None
    assert other.slot != key.slot  # the other code's store is another one
    assert other.revision == key.revision  # of the same data
