"""The UI languages and which one to use."""

from __future__ import annotations

import locale
import os
from typing import Literal, get_args

Lang = Literal["de", "en"]
# every language with its tables (number style, templates): a new one is added here
LANGS: tuple[Lang, ...] = get_args(Lang)


def resolve_language(configured: str = "auto") -> Lang:
    """The UI language: the configured one, else from the locale (LC_ALL, LC_MESSAGES, LANG)."""
    if configured == "de":
        return "de"
    if configured == "en":
        return "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "de" if value.lower().startswith("de") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "de" if loc.lower().startswith("de") else "en"
