"""Benchmark: read a German CSV export of 1 million rows into the canonical model.

The file (seeded, generated in a temp dir): long layout, ~407 Jobcenters x 240 months x
10 metrics, `;` separator, decimal comma and thousands dot, Windows-1252 with umlauts,
German headers mapped by the source config, months as "07/2018". Target: < 2 s.
Prints machine, date and commit (bench/machine.py) and the median of 5 runs.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from machine import header

from jctui.config import MetricDef, SourceDef
from jctui.readers import read_bytes

JOBCENTERS = 417  # 417 x 240 x 10 = 1,000,800 rows
MONTHS = 240
METRICS = 10
TARGET_SECONDS = 2.0
NAMES = ("Landkreis Gießen", "Märkischer Kreis", "Kreis Offenbach", "Stadt Köln", "Landkreis Fürth")


def catalogue() -> dict[str, MetricDef]:
    return {
        f"metric_{i}": MetricDef(
            label_de=f"Kennzahl Nr. {i} (Zugänge)", label_en=f"Metric {i}", kind="flow"
        )
        for i in range(METRICS)
    }


def make_csv(path: Path, seed: int = 42) -> int:
    """Write the German CSV (cp1252) and return its number of data rows."""
    rows = JOBCENTERS * MONTHS * METRICS
    idx = pl.int_range(0, rows, eager=True).alias("i")
    frame = pl.DataFrame(idx).select(
        jc=pl.col("i") // (MONTHS * METRICS),
        month=(pl.col("i") // METRICS) % MONTHS,
        metric=pl.col("i") % METRICS,
        value=pl.Series(
            pl.int_range(0, rows, eager=True).sample(rows, seed=seed).cast(pl.Float64) / 7.0
        ),
    )
    year = 2005 + pl.col("month") // 12
    mon = (pl.col("month") % 12 + 1).cast(pl.String).str.zfill(2)
    whole = pl.col("value").floor().cast(pl.Int64)
    # thousands dot ("4.236"), decimal comma on every third value ("12,5")
    thousands = (
        pl.when(whole >= 1000)
        .then(pl.format("{}.{}", whole // 1000, (whole % 1000).cast(pl.String).str.zfill(3)))
        .otherwise(whole.cast(pl.String))
    )
    text_value = (
        pl.when(pl.col("metric") % 3 == 0)
        .then(pl.format("{},{}", thousands, ((pl.col("value") * 10) % 10).floor().cast(pl.Int64)))
        .otherwise(thousands)
    )
    names = pl.Series(NAMES)
    out = frame.select(
        Jobcenter=pl.format("JC{}", pl.col("jc").cast(pl.String).str.zfill(5)),
        Name=pl.format(
            "{} {}",
            pl.col("jc").mod(len(NAMES)).replace_strict(dict(enumerate(names.to_list()))),
            pl.col("jc"),
        ),
        Monat=pl.format("{}/{}", mon, year),
        Kennzahl=pl.format("Kennzahl Nr. {} (Zugänge)", pl.col("metric")),
        Wert=text_value,
    )
    text = out.write_csv(separator=";", quote_style="necessary")
    path.write_bytes(text.encode("cp1252"))
    return rows


def main() -> int:
    source = SourceDef(
        name="bench",
        path="",
        columns={
            "jobcenter_id": "Jobcenter",
            "period": "Monat",
            "metric": "Kennzahl",
            "value": "Wert",
        },
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kennzahlen.csv"
        rows = make_csv(path)
        size_mb = path.stat().st_size / 1e6
        timings = []
        result = None
        for _ in range(5):
            start = time.perf_counter()
            data = path.read_bytes()
            result = read_bytes(
                data, source, catalogue=catalogue(), origin=str(path), format_hint="csv"
            )
            timings.append(time.perf_counter() - start)
    assert result is not None
    median = statistics.median(timings)
    print(header())
    print(f"file: {rows:,} rows, {size_mb:.1f} MB, cp1252, ';', decimal comma, thousands dot")
    print(
        f"read: {result.values.height:,} values, {result.rejected.height} rejected, "
        f"{result.registry.height} Jobcenters; details: {result.details}"
    )
    print(
        f"read_bytes incl. file read: median {median:.3f} s of 5 (min {min(timings):.3f} s, "
        f"max {max(timings):.3f} s); target < {TARGET_SECONDS:.1f} s: "
        f"{'OK' if median < TARGET_SECONDS else 'MISSED'}"
    )
    ok = result.values.height == rows and result.rejected.height == 0
    if not ok:
        print("error: not every row was read", file=sys.stderr)
    return 0 if ok and median < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
