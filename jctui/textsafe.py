"""THE sanitiser: text from data made inert before it reaches a terminal or a clipboard.

A Jobcenter name, an id, a header or a JSON key comes from a file or a server we do not
control. Shown raw, an escape sequence in it could set the window title (OSC 2), write the
clipboard (OSC 52), recolour or clear the screen; a C1 control (U+009B is a one-character
CSI) does the same on terminals that honour 8-bit controls; bidi overrides and isolates
reorder what is shown; zero-width and other invisible format characters make two different
names look alike. Every such character is made visible here:

- `safe_text(text)` replaces each with "?" (tables, notifications, error lines, CSV);
- `safe_text(json_text, escaped=True)` writes it as the JSON escape "\\uXXXX": for the
  output of `json.dumps(..., ensure_ascii=False)`, which escapes C0 controls in strings
  itself but passes DEL, C1, bidi and invisible characters; lossless (a JSON reader gets
  the original strings back) and still valid JSON. Tab, CR and LF are left alone in this
  mode: in JSON text they can only be the indentation's whitespace.

It lives at the bottom of the layers so that errors (jctui.errors) and every layer above
use this one rule; jctui.presentation.text re-exports it for the views.
"""

from __future__ import annotations

import re

# The characters made visible: C0 controls, DEL and C1 controls; soft hyphen, Arabic letter
# mark, Mongolian vowel separator; zero-width space/non-joiner/joiner, LRM/RLM; line and
# paragraph separators, bidi embeddings and overrides (U+202A-U+202E); word joiner,
# invisible operators, bidi isolates (U+2066-U+2069) and the deprecated format characters up
# to U+206F; BOM / zero-width no-break space; interlinear annotations; the invisible tag
# characters (U+E0000-U+E007F).
_BEYOND_C0 = (
    r"\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    r"\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
_UNSAFE_RE = re.compile(rf"[\x00-\x1f{_BEYOND_C0}]")
_UNSAFE_IN_JSON_RE = re.compile(rf"[\x00-\x08\x0b\x0c\x0e-\x1f{_BEYOND_C0}]")
REPLACEMENT = "?"  # ASCII, so it shows in any locale


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # a surrogate pair, as JSON spells it
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def safe_text(text: object, *, escaped: bool = False) -> str:
    """`text` with every control, bidi and invisible format character made visible: "?"
    (default) or, in JSON text, the escape "\\uXXXX" (`escaped`); None becomes ""."""
    if text is None:
        return ""
    if escaped:
        return _UNSAFE_IN_JSON_RE.sub(_json_escape, str(text))
    return _UNSAFE_RE.sub(REPLACEMENT, str(text))


MAX_SHOWN = 1_000  # characters of an error line: a 1 MB header line is never printed
NAME_CHARS = 60  # characters of one quoted name (a header field, a member of a ZIP)
NAMES_SHOWN = 20  # names of a quoted list


def shortened(text: str, limit: int = MAX_SHOWN) -> str:
    """`text`, cut to `limit` characters with "…" where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def names_shown(names: list[str], most: int = NAMES_SHOWN) -> str:
    """A list of names from a file (its header fields) as an error line may quote it: the
    first `most`, each shortened, made inert; "no columns" when there is none."""
    shown = [shortened(safe_text(n), NAME_CHARS) for n in names[:most]]
    return ", ".join(shown) + (", …" if len(names) > most else "") or "no columns"
