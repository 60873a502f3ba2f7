"""Plain-text helpers shared by every view: safe strings from data, sparklines, arrows.

Strings from data (Jobcenter names, messages) go through `safe_text` before they reach a
terminal: control, bidi and invisible characters are made visible, so a name cannot move the
cursor, change colours or clear the screen, nor look like another. The rule itself is in
jctui.textsafe (the bottom layer, so that error messages use it too); it is re-exported here
for the views. (Rich markup is escaped separately in jctui.ui, where Rich is used; here we
only make the raw text inert.)
"""

from __future__ import annotations

import locale
import math
import os
from collections.abc import Sequence

from jctui.textsafe import safe_text as safe_text  # THE sanitiser, re-exported for the views

SPARK_PERIODS = 24  # periods in a sparkline, everywhere one is shown
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
SPARK_ASCII = "_.-=+*#@"
ARROWS = {"up": "▲", "down": "▼", "flat": "▶"}
ARROWS_ASCII = {"up": "^", "down": "v", "flat": ">"}


def fit(text: str, width: int) -> str:
    """`text` cut to `width` characters, with an ellipsis where it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def wrap_words(text: str, width: int, *, indent: int = 2) -> list[str]:
    """`text` in lines of at most `width` characters, broken between words (never inside
    one), the lines after the first indented by `indent`; a word longer than a line is cut
    only where nothing else can hold it."""
    lines: list[str] = []
    words = text.split(" ")
    line = words[0]
    for word in words[1:]:
        candidate = f"{line} {word}"
        if len(candidate) <= width or not line.strip():
            line = candidate
            continue
        lines.append(line.rstrip())
        line = " " * indent + word
    lines.append(line.rstrip())
    return [fit(x, width) for x in lines]


def sparkline(
    values: Sequence[float | None], *, ascii_only: bool = False, width: int | None = None
) -> str:
    """One character per value, scaled between the series' min and max; gaps are spaces.

    Missing, NaN and infinite values are gaps; values near the float limits (±1e308, whose
    span overflows to inf) are scaled by halves, so no value can break the line."""
    blocks = SPARK_ASCII if ascii_only else SPARK_BLOCKS
    if width is not None and len(values) > width:
        values = values[-width:]
    present = [v for v in values if v is not None and math.isfinite(v)]
    if not present:
        return " " * len(values)
    low, high = min(present), max(present)
    span = high / 2 - low / 2  # halves: finite even for -1e308 .. 1e308
    out = []
    for v in values:
        if v is None or not math.isfinite(v):
            out.append(" ")
        elif span == 0:
            out.append(blocks[len(blocks) // 2])
        else:
            share = (v / 2 - low / 2) / span
            out.append(blocks[min(len(blocks) - 1, int(share * (len(blocks) - 1) + 0.5))])
    return "".join(out)


def spark_rows(
    values: Sequence[float | None], rows: int, width: int, *, ascii_only: bool = False
) -> list[str]:
    """The sparkline as a bar chart `rows` high, each value as wide as `width` allows (the
    last values when they do not all fit); gaps stay blank. Scaled like `sparkline`."""
    blocks = SPARK_ASCII if ascii_only else SPARK_BLOCKS
    values = list(values[-width:]) if width < len(values) else list(values)
    present = [v for v in values if v is not None and math.isfinite(v)]
    if not present or rows < 1:
        return [" " * len(values)] * max(0, rows)
    low, high = min(present), max(present)
    span = high / 2 - low / 2  # halves: finite even for -1e308 .. 1e308
    steps = rows * len(blocks)  # eighths of a row, over the whole height
    heights = [
        None if v is None or not math.isfinite(v)
        else steps // 2 if span == 0
        else 1 + int((v / 2 - low / 2) / span * (steps - 1) + 0.5)
        for v in values
    ]  # fmt: skip
    repeat = max(1, width // max(1, len(values)))
    full = "#" if ascii_only else blocks[-1]
    out = []
    for row in range(rows - 1, -1, -1):  # top row first
        cells = []
        for h in heights:
            fill = 0 if h is None else min(len(blocks), max(0, h - row * len(blocks)))
            cell = " " if fill == 0 else full if fill == len(blocks) else blocks[fill - 1]
            cells.append(cell * repeat)
        out.append("".join(cells))
    return out


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


def ascii_wanted(asked: bool, stream: object | None = None) -> bool:
    """The one rule for "ASCII only", of the dashboard, the kiosk and `show`: asked for
    (--ascii, `ascii = true`), a non-UTF-8 locale or output `stream`, or the Linux console
    (TERM=linux: no braille, few box lines)."""
    encoding = str(getattr(stream, "encoding", None) or "utf-8")
    return (
        asked or not _names_utf8(encoding) or not utf8_locale() or os.environ.get("TERM") == "linux"
    )


def _names_utf8(name: str) -> bool:
    """'de_DE.UTF-8', 'C.utf8', 'UTF-8' -> True."""
    return "utf8" in name.lower().replace("-", "")


# Characters of our own text in a terminal that shows ASCII only, each as one ASCII cell
ASCII_LOOKALIKES = {
    "·": "-", "…": ".", "–": "-", "—": "-", "‑": "-", "−": "-", "„": '"', "“": '"',
    "”": '"', "‚": "'", "‘": "'", "’": "'", "«": '"', "»": '"', "ß": "s", "Ø": "O",
    "ø": "o", "Æ": "A", "æ": "a", "Œ": "O", "œ": "o", "€": "E", "°": "o", "×": "x",
    "•": "*", "\u00a0": " ", "\u202f": " ",
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


ASCII_ERRORS = "jctui-ascii"  # a codec error handler: what a stream cannot encode, ascii_cells


def ascii_fallback(stream: object) -> None:
    """Let `stream` write what its encoding lacks as ascii_cells instead of failing (a
    non-UTF-8 terminal, PYTHONIOENCODING=ascii, a Windows code page): one rule for the
    dashboard and the commands."""
    import codecs

    def replace(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeEncodeError):
            raise error
        return ascii_cells(error.object[error.start : error.end]), error.end

    codecs.register_error(ASCII_ERRORS, replace)
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors=ASCII_ERRORS)
