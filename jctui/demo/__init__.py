"""The bundled demo data: synthetic figures, always labelled as such.

Generated deterministically by `python -m jctui.demo.generate` and, from its values, the
targets by `python -m jctui.demo.generate_targets` (see those modules); the generated files
are what ships inside the package.
"""

from __future__ import annotations

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
DEMO_LABEL = {
    "de": "Demodaten, synthetische Zahlen",
    "en": "Demo data, synthetic figures",
}


def demo_values_path() -> Path:
    """Long table (jobcenter_id, period, metric, value) with the registry columns inline."""
    return DEMO_DIR / "demo_values.parquet"


def demo_targets_path() -> Path:
    """Targets per Jobcenter, year and figure (jobcenter_id, year, metric, target), CSV."""
    return DEMO_DIR / "demo_targets.csv"
