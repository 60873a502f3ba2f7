"""Language, number and date formatting, and the label catalogue (German and English).

`lang` (the languages), `numbers` (numbers, percentages, months, dates), `labels` (the
label catalogue, export column headers), `keys` (keys and key bindings), `templates` (the
wording's templates, one table per language: `de`, `en`). Import from here:
`from jctui.i18n import fmt_number, t`.
"""

from __future__ import annotations

from jctui.i18n.keys import BINDINGS_DE, KEY_NAMES, KEY_NAMES_ASCII, binding_text, key_name
from jctui.i18n.labels import (
    COLUMN_LABELS,
    KIND_NAMES,
    LABELS,
    column_label,
    kind_name,
    t,
    window_label,
    window_words,
)
from jctui.i18n.lang import LANGS, Lang, resolve_language
from jctui.i18n.numbers import (
    HUGE,
    MONTHS,
    MONTHS_SHORT,
    NO_VALUE,
    STYLES,
    NumberStyle,
    finite_or_none,
    fmt_moment,
    fmt_month,
    fmt_number,
    fmt_pct,
    fmt_period,
    is_missing,
)
from jctui.i18n.templates import TEMPLATES, fill, placeholders, template

__all__ = [
    "BINDINGS_DE",
    "COLUMN_LABELS",
    "HUGE",
    "KEY_NAMES",
    "KEY_NAMES_ASCII",
    "KIND_NAMES",
    "LABELS",
    "LANGS",
    "MONTHS",
    "MONTHS_SHORT",
    "NO_VALUE",
    "STYLES",
    "TEMPLATES",
    "Lang",
    "NumberStyle",
    "binding_text",
    "column_label",
    "fill",
    "finite_or_none",
    "fmt_moment",
    "fmt_month",
    "fmt_number",
    "fmt_pct",
    "fmt_period",
    "is_missing",
    "key_name",
    "kind_name",
    "placeholders",
    "resolve_language",
    "t",
    "template",
    "window_label",
    "window_words",
]
