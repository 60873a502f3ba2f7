"""The report (jctui.views.report) as text: JSON, and inert for CSV. Plain Python, so a
lookup answered by the figure store's record prints it without importing Polars."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from jctui.presentation.text import safe_text


def report_json(report: Mapping[str, Any]) -> str:
    """The report as JSON text (German letters as they are); control, bidi and invisible
    characters from the data as \\uXXXX escapes, so printing it cannot drive a terminal."""
    return safe_text(json.dumps(report, ensure_ascii=False, indent=2), escaped=True) + "\n"


def inert_report(value: Any) -> Any:
    """The report with every text made inert ("?" for control, bidi and invisible
    characters): for CSV output, which has no escapes of its own."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, Mapping):
        return {k: inert_report(v) for k, v in value.items()}
    if isinstance(value, list):
        return [inert_report(v) for v in value]
    return value
