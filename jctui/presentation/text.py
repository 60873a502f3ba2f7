"""Plain-text helpers shared by every view: safe strings from data, sparklines, arrows.

Strings from data (Jobcenter names, messages) go through `safe_text` before they reach a
terminal: control characters and escape sequences are replaced, so a name cannot move the
cursor, change colours or clear the screen. (Rich markup is escaped separately in jctui.ui,
where Rich is used; here we only make the raw text inert.)
"""

from __future__ import annotations

import locale
import math
import os
import re
from collections.abc import Sequence

# C0/C1 control characters, DEL, and the bidi overrides that can reorder what is shown.
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

SPARK_PERIODS = 24  # periods in a sparkline, everywhere one is shown
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
SPARK_ASCII = "_.-=+*#@"
ARROWS = {"up": "▲", "down": "▼", "flat": "▶"}
ARROWS_ASCII = {"up": "^", "down": "v", "flat": ">"}


def safe_text(text: object) -> str:
    """Make a data string inert for a terminal: control characters become U+FFFD-free '?'."""
    if text is None:
        return ""
    return _CONTROL_RE.sub("?", str(text))


def fit(text: str, width: int) -> str:
    """`text` cut to `width` characters, with an ellipsis where it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def sparkline(
    values: Sequence[float | None], *, ascii_only: bool = False, width: int | None = None
) -> str:
    """One character per value, scaled between the series' min and max; gaps are spaces."""
    blocks = SPARK_ASCII if ascii_only else SPARK_BLOCKS
    if width is not None and len(values) > width:
        values = values[-width:]
    present = [v for v in values if v is not None and not math.isnan(v)]
    if not present:
        return " " * len(values)
    low, high = min(present), max(present)
    span = high - low
    out = []
    for v in values:
        if v is None or math.isnan(v):
            out.append(" ")
        elif span == 0:
            out.append(blocks[len(blocks) // 2])
        else:
            out.append(
                blocks[min(len(blocks) - 1, int((v - low) / span * (len(blocks) - 1) + 0.5))]
            )
    return "".join(out)


def direction(change: float | None, *, eps: float = 1e-9) -> str:
    """'up', 'down' or 'flat' for a change value ('flat' also when missing)."""
    if change is None or math.isnan(change) or abs(change) < eps:
        return "flat"
    return "up" if change > 0 else "down"


def verdict(change: float | None, better: str) -> str:
    """'good', 'bad' or 'neutral': a change judged by the metric's better direction."""
    d = direction(change)
    if d == "flat" or better not in ("higher", "lower"):
        return "neutral"
    return "good" if (d == "up") == (better == "higher") else "bad"


def arrow(change: float | None, *, ascii_only: bool = False) -> str:
    return (ARROWS_ASCII if ascii_only else ARROWS)[direction(change)]


def utf8_locale() -> bool:
    """False in a non-UTF-8 locale (LANG=C, ISO-8859-1 ...): then sparklines and arrows use ASCII."""
    env = os.environ
    # Python coerces the C locale (PEP 538), also the one it falls back to for a locale
    # that is not installed, by setting LC_CTYPE=C.UTF-8 for itself; the terminal is still
    # what LANG says (unset: the C locale)
    coerced = env.get("LC_CTYPE", "").lower() in ("c.utf-8", "c.utf8")
    if coerced and not env.get("LC_ALL"):
        return _names_utf8(env.get("LANG", ""))
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        if env.get(var):
            return _names_utf8(env[var])
    return _names_utf8(locale.getpreferredencoding(False))


def _names_utf8(name: str) -> bool:
    """'de_DE.UTF-8', 'C.utf8', 'UTF-8' -> True."""
    return "utf8" in name.lower().replace("-", "")


# Characters of our own text in a terminal that shows ASCII only, each as one ASCII cell
ASCII_LOOKALIKES = {
    "·": "-", "…": ".", "–": "-", "—": "-", "‑": "-", "−": "-", "„": '"', "“": '"',
    "”": '"', "‚": "'", "‘": "'", "’": "'", "«": '"', "»": '"', "ß": "s", "Ø": "O",
    "ø": "o", "Æ": "A", "æ": "a", "Œ": "O", "œ": "o", "€": "E", "°": "o", "×": "x",
    "\u00a0": " ", "\u202f": " ",
}  # fmt: skip


def ascii_cells(text: str) -> str:
    """`text` with every non-ASCII character as ASCII of the same width on screen ("ä" ->
    "a", "·" -> "-", "…" -> ".", a wide glyph -> "??", a combining mark -> ""), so that a
    screen laid out for the original keeps its columns in a non-UTF-8 terminal."""
    import unicodedata

    out = []
    for ch in text:
        if ch < "\x80":
            out.append(ch)
        elif ch in ASCII_LOOKALIKES:
            out.append(ASCII_LOOKALIKES[ch])
        elif unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
            continue  # no width of its own
        else:
            base = unicodedata.normalize("NFKD", ch)[:1]
            wide = unicodedata.east_asian_width(ch) in ("W", "F")
            out.append(
                ("?" * 2) if wide else (base if base < "\x80" and base.isprintable() else "?")
            )
    return "".join(out)
