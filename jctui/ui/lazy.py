"""Polars, imported on first use: the dashboard paints its first frame before Polars loads.

`import polars` alone takes about 0.35 s here; the UI modules use `pl` only once data has
arrived, and the data is loaded by a worker thread, which is where the import then happens.
"""

from __future__ import annotations

import importlib
from typing import Any


class _LazyModule:
    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self._name)
        return getattr(module, attr)


pl: Any = _LazyModule("polars")
