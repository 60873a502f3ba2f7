"""The built-in catalogue: the standard metrics and rates with their prose, and the defaults.

A config file's [metrics] and [rates] are merged over this catalogue; without any config the
dashboard runs on these definitions and the bundled demo data.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping

from jctui.config.schema import Config, MetricDef, RateDef, SourceDef, StatedCheck
from jctui.demo import demo_targets_path, demo_values_path
from jctui.textsafe import safe_text


def default_metrics() -> dict[str, MetricDef]:
    """The standard SGB II key figures, labelled and described in German and English."""
    return {**basic_metrics(), **published_metrics()}


def basic_metrics() -> dict[str, MetricDef]:
    """The monthly counts the dashboard is built around."""
    return {
        "integrations": MetricDef(
            label_de="Integrationen",
            short_de="Int.",
            short_en="Int.",
            label_en="Integrations",
            kind="flow",
            better="higher",
            unit="persons",
            description_de=(
                "Aufnahmen einer sozialversicherungspflichtigen Beschäftigung, einer vollqualifizierenden "
                "Ausbildung oder einer Selbständigkeit durch erwerbsfähige Leistungsberechtigte "
                "(Zugang je Monat; höchstens eine je Person und Monat)."
            ),
            description_en=(
                "People on benefits who took up a job subject to social insurance, a full vocational "
                "training or self-employment (events per month; at most one per person and month)."
            ),
            aliases=(
                "Integrationen im Monat",
                "Integrationen (Zugang im Monat)",
                "Integrationen im Berichtsmonat",
            ),
        ),
        "apprenticeships": MetricDef(
            label_de="Ausbildungsvermittlungen",
            short_de="Ausb.-Verm.",
            short_en="Appr. placements",
            label_en="Apprenticeship placements",
            kind="flow",
            better="higher",
            unit="persons",
            description_de="Vermittlungen junger Menschen in eine Berufsausbildung (Zugang je Monat).",
            description_en="Young people placed into an apprenticeship (events per month).",
        ),
        "elb": MetricDef(
            label_de="Erwerbsfähige Leistungsberechtigte (ELB)",
            short_de="ELB",
            short_en="ELB",
            label_en="People able to work on benefits (ELB)",
            kind="stock",
            better="lower",
            unit="persons",
            description_de="Bestand am Monatsende: erwerbsfähige Menschen, die Leistungen nach SGB II beziehen.",
            description_en="Stock at month end: people able to work who receive SGB II benefits.",
            aliases=(
                "ELB",
                "erwerbsfähige Leistungsberechtigte",
                "dav. erwerbsfähige Leistungsberechtigte (ELB)",
                "erwerbsfähige Leistungsberechtigte (ELB)",
            ),
        ),
        "long_term_recipients": MetricDef(
            label_de="Langzeitleistungsbeziehende (LZB)",
            short_de="LZB",
            short_en="LZB",
            label_en="Long-term recipients (LZB)",
            kind="stock",
            better="lower",
            unit="persons",
            description_de=(
                "Bestand am Monatsende: ELB, die in mindestens 21 der letzten 24 Monate Leistungen bezogen."
            ),
            description_en=(
                "Stock at month end: ELB who received benefits in at least 21 of the last 24 months."
            ),
            aliases=(
                "lzb",
                "LZB",
                "Bestand LZB",
                "Langzeitleistungsbezieher",
                "Langzeitleistungsbeziehende",
            ),
        ),
        "customers": MetricDef(
            label_de="Betreute Kundinnen und Kunden",
            short_de="Kunden",
            short_en="Customers",
            label_en="Customers looked after",
            kind="stock",
            better="none",
            unit="persons",
            description_de="Bestand am Monatsende: alle vom Jobcenter betreuten Personen.",
            description_en="Stock at month end: all people the Jobcenter looks after.",
        ),
    }


# The official key figures (SGB2§48aFKV) as published: (code, German, English, better,
# change: the figure is (numerator / denominator - 1) * 100, else numerator / denominator * 100)
# Names: ../shared/domain/kennzahlen.md where it names them; K1E1 and K2E1-K2E3 as in the
# ordinance (§ 4 Abs. 2, § 5 Abs. 2 SGB2§48aFKV; K1E1 also in the BA's methodological notes
# "Kennzahlen nach § 48a SGB II": "Veränderung der Summe der Leistungen für Unterkunft und
# Heizung"), K3E3 and K3E4 as § 6 Abs. 2 Nr. 3 and 4 SGB2§48aFKV name them (the average
# inflow and outflow rate of the LZB, formed as K1E3 and K1E4 are for all ELB).
KENNZAHLEN: tuple[tuple[str, str, str, str, bool], ...] = (
    ("K1", "Veränderung der Summe der Leistungen zum Lebensunterhalt", "Change in benefits for living costs", "lower", True),
    ("K1E1", "Veränderung der Summe der Leistungen für Unterkunft und Heizung", "Change in benefits for housing and heating", "lower", True),
    ("K1E2", "Veränderung der Zahl der ELB", "Change in the number of ELB", "lower", True),
    ("K1E3", "Durchschnittliche Zugangsrate ELB", "Average inflow rate of ELB", "lower", False),
    ("K1E4", "Durchschnittliche Abgangsrate ELB", "Average outflow rate of ELB", "higher", False),
    ("K2", "Integrationsquote", "Integration rate", "higher", False),
    ("K2E1", "Quote der Eintritte in geringfügige Beschäftigung", "Rate of entries into marginal employment", "none", False),
    ("K2E2", "Quote der Eintritte in öffentlich geförderte Beschäftigung", "Rate of entries into publicly funded employment", "none", False),
    ("K2E3", "Kontinuierliche Beschäftigung nach Integration", "Continued employment after integration", "higher", False),
    ("K2E4", "Integrationsquote der Alleinerziehenden", "Integration rate of lone parents", "higher", False),
    ("K3", "Veränderung des Bestands an LZB", "Change in long-term recipients", "lower", True),
    ("K3E1", "Integrationsquote der LZB", "Integration rate of LZB", "higher", False),
    ("K3E2", "Aktivierungsquote der LZB", "Activation rate of LZB", "higher", False),
    ("K3E3", "Durchschnittliche Zugangsrate der LZB", "Average inflow rate of LZB", "lower", False),
    ("K3E4", "Durchschnittliche Abgangsrate der LZB", "Average outflow rate of LZB", "higher", False),
)  # fmt: skip
# Numerator and denominator of a key figure where they are metrics of their own: a month's
# stock and the same stock a year earlier (key, months back), or K2's 12-month sums.
KENNZAHL_PARTS: dict[str, tuple[tuple[str, int], tuple[str, int]]] = {
    "K1E2": (("elb", 0), ("elb", 12)),
    "K2": (("integrations_12m", 0), ("elb_mean_12m", 0)),
    "K3": (("long_term_recipients", 0), ("long_term_recipients", 12)),
}
# BA/BIAJ short names of numerators and denominators (kennzahlen.md, publications.md)
SHORT_NAMES: dict[str, str] = {
    "luh": "k1e1_numerator",  # Leistungen für Unterkunft und Heizung
    "bs_gering": "k2e1_numerator",
    "int": "integrations_12m",
    "int_allein": "k2e4_numerator",
    "int_lzb": "k3e1_numerator",
    "lzb_amp": "k3e2_numerator",
}


def kennzahl_key(code: str) -> str:
    """The metric key of a key figure as published: "K2" -> "k2_published"."""
    return f"{code.lower()}_published"


def kennzahl_part(code: str, part: str) -> tuple[str, int]:
    """(metric key, months back) of a key figure's numerator or denominator."""
    parts = KENNZAHL_PARTS.get(code.upper())
    if parts is not None:
        return parts[0] if part == "numerator" else parts[1]
    return f"{code.lower()}_{part}", 0


def published_metrics() -> dict[str, MetricDef]:
    """The key figures as published, with their numerators and denominators: listed only
    where a file has them. Rates are levels in %, never summed; the 12-month sums are never
    summed again either (kind "stock": compared with a year earlier, never added up)."""
    metrics: dict[str, MetricDef] = {
        "integrations_12m": MetricDef(
            label_de="Integrationen der letzten 12 Monate (K2-Zähler)",
            label_en="Integrations of the last 12 months (K2 numerator)",
            kind="stock",
            better="higher",
            unit="persons",
            description_de="Summe der Integrationen der Monate t-11 bis t, wie veröffentlicht.",
            description_en="Sum of the integrations of months t-11 to t, as published.",
            aliases=(
                "INT",
                "Summe der Integrationen der letzten 12 Monate",
                "Summe der Integrationen in den vergangenen zwölf Monaten",
            ),
            optional=True,
        ),
        "elb_mean_12m": MetricDef(
            label_de="Durchschnittlicher ELB-Bestand (K2-Nenner)",
            label_en="Mean stock of ELB (K2 denominator)",
            kind="stock",
            better="none",
            unit="persons",
            description_de="Mittel des ELB-Bestands der Monate t-12 bis t-1, wie veröffentlicht.",
            description_en="Mean stock of ELB of months t-12 to t-1, as published.",
            aliases=(
                "durchschnittlicher Bestand ELB",
                "durchschnittlicher Bestand an ELB",
                "durchschnittlicher Bestand an erwerbsfähigen Leistungsberechtigten",
            ),
            optional=True,
        ),
    }
    metrics["inhabitants"] = MetricDef(
        label_de="Einwohnerinnen und Einwohner",
        label_en="Inhabitants",
        kind="stock",
        better="none",
        unit="persons",
        description_de="Bevölkerungsstand, wie veröffentlicht (GENESIS, Regionalatlas).",
        description_en="Population, as published (GENESIS, Regionalatlas).",
        aliases=(
            "Bevölkerungsstand",
            "Bevölkerung",
            "Bevölkerung insgesamt",
            "Einwohner",
            "Einwohnerinnen und Einwohner",
            "Einwohnerzahl",
            "BEVSTD",
        ),
        optional=True,
    )
    for code, label_de, label_en, better, _change in KENNZAHLEN:
        metrics[kennzahl_key(code)] = MetricDef(
            label_de=f"{label_de} ({code})",
            label_en=f"{label_en} ({code})",
            kind="stock",
            better=better,  # type: ignore[arg-type]
            unit="%",
            description_de=f"Kennzahl {code} nach § 48a SGB II, wie veröffentlicht, in Prozent.",
            description_en=f"Key figure {code} under section 48a SGB II, as published, in percent.",
            aliases=(code, code.replace("E", "_E")),
            optional=True,
        )
        if code in KENNZAHL_PARTS:
            continue
        for part, de, en in (
            ("numerator", "Zähler", "numerator"),
            ("denominator", "Nenner", "denominator"),
        ):
            short = [name for name, key in SHORT_NAMES.items() if key == f"{code.lower()}_{part}"]
            metrics[f"{code.lower()}_{part}"] = MetricDef(
                label_de=f"{code} {de}",
                label_en=f"{code} {en}",
                kind="stock",
                better="none",
                description_de=f"{de} der Kennzahl {code}, wie veröffentlicht.",
                description_en=f"The {en} of key figure {code}, as published.",
                aliases=tuple(short),
                optional=True,
            )
    return metrics


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_LEVEL_WORDS = re.compile(r"(?i)quote|anteil|prozent|%|\brate\b")
LABEL_KEY_CHARS = 48


def label_figure_key(label: str, taken: Collection[str] = ()) -> str:
    """The stable key of a figure the catalogue lacks, from the label its file gives it:
    "SGB II-Quote" -> "sgb_ii_quote" (the same label gives the same key in every file and
    month); a key of the catalogue (`taken`) is never reused ("label_..." then)."""
    text = " ".join(label.split()).casefold().translate(_TRANSLIT)
    key = re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:LABEL_KEY_CHARS].strip("_") or "figure"
    return f"label_{key}" if key in taken else key


def label_figure(label: str) -> MetricDef:
    """A figure the catalogue lacks, read under its label (shown as given, made inert by
    the one sanitiser): never summed (a stock), no better direction, "%" where the label
    says it is a rate or share ("SGB II-Quote"); listed only where the data have it."""
    shown = safe_text(" ".join(label.split()))
    return MetricDef(
        label_de=shown,
        label_en=shown,
        kind="stock",
        unit="%" if _LEVEL_WORDS.search(shown) else "",
        description_de="Eine Größe, die der Katalog nicht kennt, unter ihrer Bezeichnung in der Datei.",
        description_en="A figure the catalogue does not know, under the label its file gives it.",
        optional=True,
    )


def with_label_figures(
    metrics: Mapping[str, MetricDef], present: Collection[str], labels: Mapping[str, str]
) -> dict[str, MetricDef]:
    """The catalogue with the figures it lacks that the data hold (`present`), each under
    its label (`labels`: key -> label as given; the key itself where none is known, e.g.
    after a cache that kept only the values)."""
    extra = {k: label_figure(labels.get(k) or k) for k in present if k not in metrics}
    return {**metrics, **dict(sorted(extra.items()))} if extra else dict(metrics)


def describe_labels(labels: Mapping[str, str]) -> str:
    """How `check` and `inspect` list the figures the catalogue lacks: "figures the catalogue
    lacks, read under their label: 'SGB II-Quote' (sgb_ii_quote)" (labels made inert)."""
    shown = ", ".join(f"'{safe_text(label)}' ({key})" for key, label in labels.items())
    return f"figures the catalogue lacks, read under their label: {shown}"


def config_with_labels(
    config: Config, present: Collection[str], labels: Mapping[str, str]
) -> Config:
    """The config with the figures its catalogue lacks that the data hold, under their
    labels (with_label_figures): what the engine computes and the front ends list."""
    metrics = with_label_figures(config.metrics, present, labels)
    if len(metrics) == len(config.metrics):
        return config
    return dataclasses.replace(config, metrics=metrics)


def listed_metrics(metrics: Mapping[str, MetricDef], present: Collection[str]) -> list[str]:
    """The metric keys to list (show, tiles): every one, except optional ones the data lacks."""
    return [key for key, m in metrics.items() if not m.optional or key in present]


def dashboard_figures(
    metrics: Mapping[str, MetricDef], rates: Mapping[str, RateDef], present: Collection[str]
) -> tuple[list[str], list[str]]:
    """(metric keys, rate keys) the dashboard shows as tiles, compare columns and chart
    figures: the figures the data can give — the metrics it has, the rates whose numerator
    and denominator it has — then the key figures as published (K1, K2, K3 ...) it has.
    Numerators and denominators as published are listed by `show` and `export` only.
    Without data yet (`present` empty), or data that gives none of them: every metric and
    rate that is not optional."""
    everything = [k for k, m in metrics.items() if not m.optional], list(rates)
    if not present:
        return everything
    basic = [k for k, m in metrics.items() if not m.optional and k in present]
    published = [k for k, m in metrics.items() if m.optional and m.is_level and k in present]
    computed = [k for k, r in rates.items() if {r.numerator, r.denominator} <= set(present)]
    if not basic and not published and not computed:
        return everything  # data with none of them (only numerators, say): empty tiles, not none
    return basic + published, computed


def default_rates() -> dict[str, RateDef]:
    """The standard rates (K2 integration rate) over the catalogue metrics."""
    return {
        "k2": RateDef(
            label_de="Integrationsquote (K2)",
            short_de="K2",
            short_en="K2",
            label_en="Integration rate (K2)",
            numerator="integrations",
            denominator="elb",
            better="higher",
            description_de=(
                "Summe der Integrationen der letzten 12 Monate (t-11 bis t) geteilt durch den "
                "durchschnittlichen ELB-Bestand der 12 Monate davor (t-12 bis t-1), in Prozent."
            ),
            description_en=(
                "Integrations of the last 12 months (t-11 to t) divided by the mean stock of ELB "
                "of the 12 months before (t-12 to t-1), in percent."
            ),
        ),
    }


def demo_source() -> SourceDef:
    """The bundled synthetic demo data as a source."""
    return SourceDef(name="demo", path=str(demo_values_path()), format="parquet", demo=True)


def demo_targets_source() -> SourceDef:
    """The bundled synthetic targets per Jobcenter (2017 and 2018) as a targets source."""
    return SourceDef(
        name="demo-targets", path=str(demo_targets_path()), format="csv", role="targets", demo=True
    )


def demo_sources() -> tuple[SourceDef, ...]:
    """The bundled demo data: the values and the targets."""
    return (demo_source(), demo_targets_source())


def default_config() -> Config:
    """Built-in defaults: the catalogue and the bundled demo data (values and targets)."""
    return Config(
        sources=demo_sources(),
        metrics=default_metrics(),
        rates=default_rates(),
        default_jobcenter="Kreis Offenbach",
        checks=(
            StatedCheck(
                jobcenter="Kreis Offenbach",
                metric="integrations",
                statistic="mean",
                start="2018-01",
                end="2018-06",
                stated=310,
                label="Kreis Offenbach, Pressemitteilung 11/2018",
            ),
        ),
    )
