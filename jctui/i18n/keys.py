"""Keys and key bindings as the footer and the help screen name them, in the UI language."""

from __future__ import annotations

from jctui.i18n.lang import Lang

# Key binding descriptions are written in English in the code; the footer and the help
# screen show them in the UI language through this table.
BINDINGS_DE: dict[str, str] = {
    "Overview": "Übersicht",
    "Compare": "Vergleich",
    "Chart": "Diagramm",
    "Warnings": "Hinweise",
    "Month back": "Monat zurück",
    "Month fwd": "Monat vor",
    "Help": "Hilfe",
    "Explain": "Kennzahl erklären",
    "Language": "Sprache",
    "Theme": "Farbschema",
    "Refresh": "Aktualisieren",
    "Screenshot": "Bildschirmfoto",
    "Copy": "Kopieren",
    "Quit": "Beenden",
    "Mark": "Markieren",
    "Sort": "Sortieren",
    "Sort back": "Sortierung zurück",
    "State filter": "Filter Land",
    "Carrier filter": "Filter Träger",
    "Type filter": "Filter Vergleichstyp",
    "Filter": "Textfilter",
    "Figure": "Kennzahl",
    "Span": "Zeitraum",
    "Group avg.": "Gruppenmittel",
    "Per 1,000 ELB": "je 1.000 ELB",
    "Close": "Schließen",
    "My comparison type": "Mein Vergleichstyp",
    "Clear filters": "Alle Filter aus",
    "Set as my Jobcenter": "Als mein Jobcenter setzen",
    "Back to the table": "Zurück zur Tabelle",
    "Open": "Öffnen",
    "Scroll by a column": "Um eine Spalte schieben",
    "Previous/next figure": "Kennzahl links/rechts",
    "Figure above/below": "Kennzahl darüber/darunter",
    "Chart this figure": "Kennzahl im Diagramm",
    "palette": "Suche",
    "This screen": "Dieser Bildschirm",
    "Everywhere": "Überall",
}


# Key names as the help screen shows them: (de, en); ASCII terminals get words for arrows
KEY_NAMES: dict[str, tuple[str, str]] = {
    "enter": ("Enter", "Enter"), "escape": ("Esc", "Esc"), "space": ("Leertaste", "Space"),
    "tab": ("Tab", "Tab"), "slash": ("/", "/"), "question_mark": ("?", "?"),
    "left_square_bracket": ("[", "["), "right_square_bracket": ("]", "]"),
    "pageup": ("Bild auf", "PgUp"), "pagedown": ("Bild ab", "PgDn"), "home": ("Pos1", "Home"),
    "end": ("Ende", "End"), "left": ("←", "←"), "right": ("→", "→"), "up": ("↑", "↑"),
    "down": ("↓", "↓"), "ctrl": ("Strg", "Ctrl"), "shift": ("Umschalt", "Shift"),
}  # fmt: skip
KEY_NAMES_ASCII: dict[str, tuple[str, str]] = {
    "left": ("links", "Left"), "right": ("rechts", "Right"), "up": ("hoch", "Up"),
    "down": ("runter", "Down"),
}  # fmt: skip


def key_name(key: str, lang: Lang, *, ascii_only: bool = False) -> str:
    """A key as people name it: "enter" -> "Enter", "left" -> "←", "ctrl+p" -> "Strg+P" (de),
    "slash" -> "/"; several keys ("escape,q") joined with "/"."""
    if "," in key:
        return "/".join(key_name(k.strip(), lang, ascii_only=ascii_only) for k in key.split(","))
    if "+" in key and len(key) > 1:
        *mods, last = key.split("+")
        return "+".join([*(key_name(m, lang) for m in mods), key_name(last, lang).upper()])
    names = KEY_NAMES_ASCII.get(key) if ascii_only else None
    names = names or KEY_NAMES.get(key)
    if names is None:
        return key
    return names[0] if lang == "de" else names[1]


SORT_BY = "Sort by "  # the compare table's key per figure: "Sort by K2"


def binding_text(description: str, lang: Lang) -> str:
    """A key binding's description in the UI language ("Sort by K2": a figure's key)."""
    if lang == "de" and description.startswith(SORT_BY):
        return f"Sortieren nach {description.removeprefix(SORT_BY)}"
    return BINDINGS_DE.get(description, description) if lang == "de" else description
