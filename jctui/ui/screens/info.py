"""`i`: what a figure means, in plain language: what is counted, formula, flow or stock, window."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from jctui.config import MetricDef, RateDef
from jctui.i18n import Lang, t


def explain(key: str, definition: MetricDef | RateDef, lang: Lang, window: str) -> Text:
    de = lang == "de"
    out = Text()
    out.append(definition.label(lang) + "\n\n", style="bold")
    description = definition.description_de if de else definition.description_en
    if description:
        out.append(description + "\n\n")
    if isinstance(definition, RateDef):
        out.append(
            (
                f"Formel: Summe {definition.numerator} über t-{int(definition.window) - 1}..t / "
                f"Mittel {definition.denominator} über t-{int(definition.window) - 1 + definition.denominator_lag}.."
                f"t-{definition.denominator_lag} × {definition.scale:g}\n"
            )
            if de
            else (
                f"Formula: sum of {definition.numerator} over t-{int(definition.window) - 1}..t / "
                f"mean of {definition.denominator} over t-{int(definition.window) - 1 + definition.denominator_lag}.."
                f"t-{definition.denominator_lag} × {definition.scale:g}\n"
            )
        )
        out.append("Rang: nach Quote, 1 = beste\n" if de else "Rank: by the rate, 1 = best\n")
        return out
    out.append(f"{'Art' if de else 'Kind'}: {t(definition.kind, lang)}\n")
    if definition.kind == "flow":
        out.append(
            f"12 Monate: Summe der letzten {window} Perioden; Veränderung: gegenüber denselben Monaten im Vorjahr.\n"
            if de
            else f"12 months: sum of the last {window} periods; change: against the same months a year earlier.\n"
        )
    else:
        out.append(
            "Veränderung wie K3: (Wert / Wert vor 12 Monaten − 1) × 100.\n"
            if de
            else "Change as K3: (value / value 12 months earlier − 1) × 100.\n"
        )
    better = {"higher": ("höher ist besser", "higher is better"), "lower": ("niedriger ist besser", "lower is better"),
              "none": ("keine Richtung", "no direction")}[definition.better]  # fmt: skip
    out.append(f"{'Richtung' if de else 'Direction'}: {better[0] if de else better[1]}\n")
    out.append(
        "Rang: nach der Veränderung gegenüber dem Vorjahr, 1 = beste; Gruppe = Vergleichstyp.\n"
        if de
        else "Rank: by the change against the previous year, 1 = best; group = comparison type.\n"
    )
    return out


class InfoScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,i,q", "dismiss", "Close")]

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="info-box"):
            yield Static(self.text)
