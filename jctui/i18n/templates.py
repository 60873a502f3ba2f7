"""The wording's templates in every language, and filling them.

One table per language (`jctui/i18n/de.py`, `jctui/i18n/en.py`), message id -> template
with named placeholders: adding a language is adding a table (and its code in `Lang`).
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from jctui.i18n import de, en
from jctui.i18n.lang import Lang

TEMPLATES: dict[Lang, Mapping[str, str]] = {"de": de.TEMPLATES, "en": en.TEMPLATES}


def template(key: str, lang: Lang, default: str | None = None) -> str:
    """The template `key` in `lang` (English for a language without a table); `default`
    for an id no table has (a KeyError without one: every fixed id has a template)."""
    table = TEMPLATES.get(lang, TEMPLATES["en"])
    if default is not None:
        return table.get(key, default)
    return table[key]


def fill(key: str, lang: Lang, **params: object) -> str:
    """The template `key` in `lang` with its placeholders filled from `params`."""
    return template(key, lang).format(**params)


def placeholders(text: str) -> frozenset[str]:
    """The named placeholders of a template: "gap: {count} from {since}" -> {count, since}."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)
