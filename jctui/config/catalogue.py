"""The built-in catalogue: the standard metrics and rates with their prose, and the defaults.

A config file's [metrics] and [rates] are merged over this catalogue; without any config the
dashboard runs on these definitions and the bundled demo data.
"""

from __future__ import annotations

from jctui.config.schema import Config, MetricDef, RateDef, SourceDef, StatedCheck
from jctui.demo import demo_targets_path, demo_values_path


def default_metrics() -> dict[str, MetricDef]:
    """The standard SGB II key figures, labelled and described in German and English."""
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
