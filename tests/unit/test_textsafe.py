"""THE sanitiser (jctui.textsafe.safe_text): which characters are made visible, and how."""

from __future__ import annotations

import json

from jctui.presentation.text import safe_text as presented
from jctui.textsafe import safe_text

C0 = [chr(c) for c in range(0x20)]
C1 = [chr(c) for c in range(0x7F, 0xA0)]  # DEL and the C1 controls (U+009B: a CSI)
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)]
INVISIBLE = [chr(c) for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0xE0041)]
UNSAFE = C0 + C1 + BIDI + INVISIBLE


def test_every_control_bidi_and_invisible_character_becomes_a_visible_question_mark() -> None:
    for ch in UNSAFE:
        assert safe_text(f"a{ch}b") == "a?b", repr(ch)


def test_names_keep_their_letters() -> None:
    for name in ("Landkreis Gießen", "Städteregion Aachen", "Kreis Offenbach – Süd", "Ærø €"):
        assert safe_text(name) == name
    assert safe_text(None) == ""
    assert safe_text(407) == "407"


def test_json_text_escapes_them_losslessly_and_stays_valid() -> None:
    original = {"name": "Kreis Offenbach" + "".join(UNSAFE), "ort": "Gießen"}
    text = safe_text(json.dumps(original, ensure_ascii=False, indent=2), escaped=True)
    assert not [ch for ch in text if ch in UNSAFE and ch not in "\n"]  # only the indentation
    assert json.loads(text) == original
    assert "\\u009b" in text
    assert "\\u202e" in text
    assert "\\udb40\\udc41" in text  # a tag character, as a JSON surrogate pair
    assert "Gießen" in text  # letters stay readable


def test_the_views_use_the_same_function() -> None:
    assert presented is safe_text
