"""Benchmark: a folder of 120 monthly key-figure tables (10 years x 404 Jobcenters).

Each file is laid out as the BA publishes it (publications.md): title rows with
"Berichtsmonat: …", a blank row, a two-row header (K2 numerator/denominator/rate, K3
stock/previous-year stock/change), column numbers, 17 aggregate rows (Deutschland, West,
Ost, 14 states), 404 Jobcenter rows with withheld cells, footnotes and "Quelle:";
`;`-separated, Windows-1252, decimal comma. Timed: reading the folder into one series
(`fetch_source` + `read_fetched`, what `--source FOLDER` does), median of 5. Target: < 2 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from machine import header

from jctui.config import default_config
from jctui.session.load import read_fetched
from jctui.sources import fetch_source

JOBCENTERS = 404
MONTHS = 120
TARGET_SECONDS = 2.0
GERMAN = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
STATES = ("Schleswig-Holstein", "Hamburg", "Niedersachsen", "Bremen", "Nordrhein-Westfalen",
          "Hessen", "Rheinland-Pfalz", "Baden-Württemberg", "Bayern", "Saarland", "Berlin",
          "Brandenburg", "Mecklenburg-Vorpommern", "Sachsen")  # fmt: skip


def table(k: int) -> bytes:
    """The key-figure table of month k (0 = January 2009)."""
    year, month = divmod(2009 * 12 + k, 12)
    ids = pl.col("i")
    ints = 1000 + (ids * 37 + k * 11) % 4000
    elb = 10000 + (ids * 53) % 30000
    lzb = 5000 + (ids * 29 + k) % 9000
    lzb_prev = 5000 + (ids * 29 + k - 12) % 9000

    def comma(expr: pl.Expr) -> pl.Expr:
        return expr.round(1).cast(pl.String).str.replace(".", ",", literal=True)

    frame = pl.DataFrame({"i": pl.int_range(0, JOBCENTERS, eager=True)}).select(
        nr=((1001 + ids * 211) % 99999).cast(pl.String).str.zfill(5),
        name=pl.format("Jobcenter Nr. {} Gießen", ids),
        land=pl.when(ids % 3 == 0).then(pl.lit("Hessen")).otherwise(pl.lit("Bayern")),
        typ=pl.when(ids % 3 == 0).then(pl.lit("Ia")).otherwise(pl.lit("IIIc")),
        form=pl.when(ids % 2 == 0)
        .then(pl.lit("gemeinsame Einrichtung (gE)"))
        .otherwise(pl.lit("zugelassener kommunaler Träger")),
        z=pl.when(ids % 50 == 0).then(pl.lit("*")).otherwise(ints.cast(pl.String)),
        n=elb.cast(pl.String),
        q=comma(ints / elb * 100),
        b=lzb.cast(pl.String),
        v=lzb_prev.cast(pl.String),
        c=comma((lzb / lzb_prev - 1) * 100),
    )
    rows = frame.write_csv(separator=";", include_header=False)
    # Germany, West, East and 14 states, their stocks consistent from month to month
    names = ["Deutschland", "Westdeutschland", "Ostdeutschland", *STATES]
    codes = ["D", "W", "O", *(f"{i + 1:02d}" for i in range(len(STATES)))]
    aggregates = [
        f"{code};{name};;;;90000;300000;30,0;{180000 + k + j};{180000 + k - 12 + j};-2,7"
        for j, (code, name) in enumerate(zip(codes, names, strict=True))
    ]
    text = "\n".join(
        [
            "Kennzahlen nach § 48a SGB II;;;;;;;;;;",
            f"Berichtsmonat: {GERMAN.split()[month]} {year};;;;;;;;;;",
            "Erstellungsdatum: 15.10.2018;;;;;;;;;;",
            ";;;;;;;;;;",
            "Nr.;Jobcenter;Land;Vergleichstyp;Form der Aufgabenwahrnehmung;K2 - Integrationsquote;;;"
            "K3 - Veränderung des Bestands an LZB;;",
            ";;;;;Zähler: Summe der Integrationen der letzten 12 Monate;Nenner: durchschnittlicher "
            "Bestand ELB;in %;Bestand LZB;Bestand LZB Vorjahresmonat;Veränderung in %",
            "1;2;3;4;5;6;7;8;9;10;11",
            *aggregates,
            rows.rstrip("\n"),
            "1) Summe der Integrationen der letzten 12 Monate;;;;;;;;;;",
            "Zeichenerklärung: * = Zahlenwert anonymisiert;;;;;;;;;;",
            "Quelle: Statistik der Bundesagentur für Arbeit;;;;;;;;;;",
        ]
    )
    return (text + "\n").encode("cp1252")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "kennzahlen"
        folder.mkdir()
        for k in range(MONTHS):
            year, month = divmod(2009 * 12 + k, 12)
            (folder / f"kennzahlen-{year}{month + 1:02d}.csv").write_bytes(table(k))
        config = default_config().with_source(str(folder))
        source = config.sources[0]
        timings, cpu = [], []
        result = None
        for _ in range(5):
            start, start_cpu = time.perf_counter(), time.process_time()
            result = read_fetched(fetch_source(source), source, config)
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    assert result is not None
    median = statistics.median(timings)
    print(header())
    print(f"folder: {MONTHS} key-figure tables, {JOBCENTERS} Jobcenters + 17 aggregate rows each")
    print(
        f"read: {result.values.height:,} values, {result.rejected.height} rejected, "
        f"{result.registry.height} Jobcenters, {result.aggregates.height:,} aggregate values, "
        f"{result.missing.height:,} missing cells"
    )
    print(*result.notices, sep="\n")
    load = os.getloadavg()[0]
    print(
        f"CPU time of the process (all threads): median {statistics.median(cpu):.3f} s; "
        f"load average when done: {load:.1f} (other jobs share the 2 cores)"
    )
    print(
        f"folder read: median {median:.3f} s of 5 (min {min(timings):.3f} s, "
        f"max {max(timings):.3f} s); target < {TARGET_SECONDS:.1f} s: "
        f"{'OK' if median < TARGET_SECONDS else 'MISSED'}"
    )
    ok = result.rejected.height == 0 and result.registry.height == JOBCENTERS
    if not ok:
        print("error: rejected rows or wrong number of Jobcenters", file=sys.stderr)
    return 0 if ok and median < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
