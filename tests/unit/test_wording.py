"""Warning messages from structured warning rows, in German and English, for every kind."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest

from jctui.i18n import LABELS, LANGS, TEMPLATES, Lang, fill, placeholders, template
from jctui.presentation.policy import SmallCounts
from jctui.presentation.wording import (
    KINDS,
    kind_label,
    number,
    revision_message,
    warning_message,
)


def warning(kind: str, **fields: Any) -> dict[str, Any]:
    """A warning row as `iter_rows(named=True)` gives it: unused columns are None."""
    row: dict[str, Any] = dict.fromkeys(
        ("jobcenter_id", "period", "metric", "value", "expected", "unit", "values", "lines",
         "statistic", "label", "first", "count"),
    )  # fmt: skip
    row.update(jobcenter_id="06438", metric="integrations", kind=kind, **fields)
    return row


CASES: list[tuple[dict[str, Any], str, str]] = [
    (
        warning("gap", period=dt.date(2018, 5, 1), value=1.0, unit="month"),
        "Lücke: 1 fehlende Monate ab 2018-05",
        "gap: 1 missing months from 2018-05",
    ),
    (
        warning("gap", period=dt.date(2018, 5, 3), value=3.0, unit="day"),
        "Lücke: 3 fehlende Tage ab 2018-05",
        "gap: 3 missing days from 2018-05",
    ),
    (
        warning("negative", period=dt.date(2016, 6, 1), value=-2.5),
        "negativer Wert -2,5 bei einer Bewegungsgröße",
        "negative value -2.5 for a flow",
    ),
    (
        warning("outlier", period=dt.date(2018, 7, 1), value=95.0, expected=11.0),
        "Ausreißer: 95 (üblich in diesem Monat: 11)",
        "outlier: 95 (usual for this month: 11)",
    ),
    (
        warning("outlier", period=dt.date(2018, 7, 1), value=1234.56, expected=-0.04),
        "Ausreißer: 1.234,6 (üblich in diesem Monat: 0)",
        "outlier: 1,234.6 (usual for this month: 0)",
    ),
    (
        warning("conflict", value=7.25, values=[5.0, 7.25], lines=[6, 1030]),
        "Widerspruch: Werte 5, 7,25 in Zeilen 6, 1030; verwendet: letzter",
        "conflict: values 5, 7.25 on lines 6, 1030; used: the last",
    ),
    (
        warning("duplicate", value=5.0, values=[5.0, 5.0], lines=[7, 31]),
        "doppelt geliefert in Zeilen 7, 31",
        "delivered twice, lines 7, 31",
    ),
    (
        warning("incomplete_window", period=dt.date(2018, 12, 1), value=11.0, expected=12.0),
        "Zeitraum unvollständig: 11 von 12 Perioden vorhanden, kein Wert berechnet",
        "incomplete window: 11 of 12 periods present, no figure computed",
    ),
    (
        warning(
            "stated",
            period=dt.date(2018, 6, 1),
            value=2169 / 6,
            expected=310.0,
            statistic="mean",
            label="Kreis Offenbach, Pressemitteilung 11/2018",
            first=dt.date(2018, 1, 1),
            count=6,
        ),
        "aus den Daten folgt 361,5, angegeben 310 (Mittelwert je Monat Integrationen 2018-01 "
        "bis 2018-06: 2.169 / 6; Kreis Offenbach, Pressemitteilung 11/2018)",
        "the data give 361.5, stated 310 (mean per month of Integrations 2018-01 to 2018-06: "
        "2,169 / 6; Kreis Offenbach, Pressemitteilung 11/2018)",
    ),
    (
        warning(
            "stated",
            period=dt.date(2018, 3, 1),
            value=95.0,
            expected=100.25,
            statistic="sum",
            first=dt.date(2018, 1, 1),
            count=3,
        ),
        "aus den Daten folgt 95, angegeben 100,25 (Summe Integrationen 2018-01 bis 2018-03: 95 / 3)",
        "the data give 95, stated 100.25 (sum of Integrations 2018-01 to 2018-03: 95 / 3)",
    ),
]


@pytest.mark.parametrize(("row", "german", "english"), CASES, ids=[c[0]["kind"] for c in CASES])
def test_warning_message_in_both_languages(row: dict[str, Any], german: str, english: str) -> None:
    label = {"de": "Integrationen", "en": "Integrations"}
    assert warning_message(row, "de", metric_label=label["de"]) == german
    assert warning_message(row, "en", metric_label=label["en"]) == english


def test_every_engine_kind_has_a_case_and_a_label() -> None:
    kinds = {"gap", "duplicate", "conflict", "negative", "outlier", "incomplete_window", "stated"}
    assert {row["kind"] for row, _, _ in CASES} == kinds
    assert kinds < set(KINDS)
    assert all(template(f"kind.{kind}", lang, default="") for kind in KINDS for lang in LANGS)


def test_stated_message_without_a_metric_label_names_the_metric_key() -> None:
    row = CASES[-1][0]
    assert "(sum of integrations 2018-01" in warning_message(row, "en")


def test_unknown_kind_is_named_as_it_is() -> None:
    assert warning_message(warning("something_new"), "en") == "something_new"


@pytest.mark.parametrize(
    ("kind", "lang", "label"),
    [
        ("gap", "de", "Lücke"),
        ("gap", "en", "gap"),
        ("incomplete_window", "en", "incomplete"),
        ("stated", "en", "stated figure"),
        ("revision", "de", "Revision"),
        ("other", "de", "other"),
    ],
)
def test_kind_label(kind: str, lang: Lang, label: str) -> None:
    assert kind_label(kind, lang) == label


@pytest.mark.parametrize(
    ("value", "decimals", "german", "english"),
    [
        (6.0, 1, "6", "6"),
        (361.5, 1, "361,5", "361.5"),
        (95.04, 1, "95", "95"),
        (-0.04, 1, "0", "0"),
        (0.1 + 0.2, 6, "0,3", "0.3"),
        (4236.0, 1, "4.236", "4,236"),
        (None, 1, "–", "–"),
        (float("nan"), 1, "–", "–"),
    ],
)
def test_number(value: float | None, decimals: int, german: str, english: str) -> None:
    assert number(value, "de", decimals) == german
    assert number(value, "en", decimals) == english


def test_revision_message() -> None:
    def message(
        old: float, new: float, lang: Lang, threshold: float = 0, ascii: bool = False
    ) -> str:
        return revision_message(old, new, lang, counts=SmallCounts(threshold), ascii_only=ascii)

    assert message(12.0, 14.0, "en") == "revised: 12 → 14"
    assert message(1234.5, 1240.0, "de") == "revidiert: 1.234,5 → 1.240"
    assert message(2.0, 14.0, "en", threshold=3, ascii=True) == "revised: * -> 14"


def test_every_message_has_a_template_in_every_language_with_the_same_placeholders() -> None:
    """A message missing in one language, or naming other placeholders there, fails here."""
    assert set(TEMPLATES) == set(LANGS)
    ids = set().union(*(set(table) for table in TEMPLATES.values()))
    for lang in LANGS:
        missing = sorted(ids - set(TEMPLATES[lang]))
        assert not missing, f"no {lang} template for {missing}"
    for key in sorted(ids):
        names = {lang: placeholders(TEMPLATES[lang][key]) for lang in LANGS}
        assert len(set(names.values())) == 1, f"{key}: placeholders differ: {names}"
        assert all(TEMPLATES[lang][key].strip() for lang in LANGS), f"{key}: empty template"


def test_every_label_has_the_same_placeholders_in_german_and_english() -> None:
    for key, (german, english) in LABELS.items():
        assert placeholders(german) == placeholders(english), key


def test_placeholders_and_fill() -> None:
    assert placeholders("gap: {count} missing {unit} from {since}") == {"count", "unit", "since"}
    assert placeholders("no placeholder") == frozenset()
    assert fill("warning.duplicate", "de", lines="7, 31") == "doppelt geliefert in Zeilen 7, 31"
    assert template("kind.unknown", "en", default="unknown") == "unknown"
    with pytest.raises(KeyError):
        template("no.such.message", "en")


def test_wording_imports_neither_polars_nor_textual() -> None:
    code = (
        "import sys, jctui.presentation.wording; "
        "print(sorted(m for m in ('polars', 'textual') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_explanation_of_a_flow_names_the_configured_window() -> None:
    from jctui.config import default_metrics
    from jctui.presentation.wording import explain_figure

    integrations = default_metrics()["integrations"]
    assert "6 Monate: Summe der letzten 6 Perioden" in explain_figure(integrations, "de", "6")[1]
    assert "12 months: sum of the last 12 periods" in explain_figure(integrations, "en", "12")[1]
    assert "30 days: sum of the last 30 periods" in explain_figure(integrations, "en", "30d")[1]
