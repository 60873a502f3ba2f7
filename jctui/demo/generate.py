"""Generate the bundled demo data: `python -m jctui.demo.generate` (or `make demo-data`).

Synthetic but plausible monthly figures, January 2012 to October 2018, for 407 Jobcenters
(and, as a published table carries them, the 16 states and Germany: sums of their
Jobcenters, ids "01".."16" and "DG", names "Hessen", "Deutschland"):
the 104 zkT of `zkt_jobcenters.csv` (real names and states; among them both Kreis Offenbach
and Stadt Offenbach am Main) and 303 gE, invented names except in the city states (Hamburg,
Bremen, Bremerhaven, the Berlin districts), each with a comparison type (Vergleichstyp,
groups of 14 to 41 members) and a number of inhabitants (districts 100,000 to 450,000). Metrics: integrations and apprenticeships (flows), elb, long_term_recipients
and customers (stocks; LZB <= ELB <= customers). Sizes follow the inhabitants, flows have a
seasonal pattern (apprenticeships peak August to October), stocks a slow trend.

Kreis Offenbach (id "06438", zkT, Hesse) is anchored on the figures the district published
in November 2018 (../shared/domain/kennzahlen.md): integrations 4,133 in 2016, 4,236 in 2017,
2,169 in January to June 2018 and more than 27,600 since January 2012; apprenticeship
placements January to October 432 in 2017 and 466 in 2018; long-term recipients in July
9,549 in 2017 and 9,096 in 2018. Yearly totals are spread over the months by a seasonal
pattern with the largest-remainder method, so every monthly value is an integer and every
total is exact.

Deterministic: a fixed seed and Python's own `random`; the same run always writes the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TypedDict

import polars as pl

from jctui.demo import DEMO_DIR, demo_values_path
from jctui.model import REGISTRY_COLUMNS, STATE_NAMES, VALUE_SCHEMA

SEED = 20181130
FIRST = dt.date(2012, 1, 1)
LAST = dt.date(2018, 10, 1)
OFFENBACH_ID = "06438"
OFFENBACH_NAME = "Kreis Offenbach"
STADT_OFFENBACH_NAME = "Stadt Offenbach am Main"
STATE_CODES = {
    "SH": "01", "HH": "02", "NI": "03", "HB": "04", "NW": "05", "HE": "06", "RP": "07", "BW": "08",
    "BY": "09", "SL": "10", "BE": "11", "BB": "12", "MV": "13", "SN": "14", "ST": "15", "TH": "16",
}  # fmt: skip
# gE per state (303 in all), roughly as in reality: many in NW, BY, BW, NI
GE_PER_STATE = {
    "SH": 11, "HH": 1, "NI": 30, "HB": 2, "NW": 45, "HE": 14, "RP": 26, "BW": 33,
    "BY": 78, "SL": 5, "BE": 12, "BB": 13, "MV": 6, "SN": 7, "ST": 10, "TH": 10,
}  # fmt: skip
INTEGRATION_SEASON = (0.86, 0.93, 1.06, 1.05, 1.00, 0.95, 1.00, 1.14, 1.13, 1.04, 0.96, 0.88)
APPRENTICE_SEASON = (0.35, 0.35, 0.45, 0.55, 0.65, 0.85, 1.25, 2.30, 2.50, 1.55, 0.65, 0.55)
NAME_HEADS = (
    "Ahorn", "Birken", "Eichen", "Erlen", "Falken", "Fichten", "Hasel", "Hohen", "Kirsch",
    "Linden", "Mühl", "Rosen", "Sonnen", "Tannen", "Ulmen", "Wiesen", "Buchen", "Lerchen",
    "Marien", "Adler", "Quell", "Schwanen", "Eschen", "Otter", "Reb", "Kranich", "Hirsch",
    "Biber", "Heide", "Moor",
)  # fmt: skip
NAME_TAILS = (
    "au", "bach", "berg", "burg", "dorf", "feld", "hausen", "heim", "hof", "ingen", "stadt",
    "tal", "furt", "brück", "rode", "wald", "see", "stedt", "kirchen", "born",
)  # fmt: skip
NAME_KINDS = ("Landkreis", "Stadt", "Kreis", "Landkreis", "Stadt", "Landkreis")
# The city states' gE by their real names (the figures stay synthetic): one Jobcenter for
# Hamburg, two in Bremen, one per Berlin district; inhabitants rounded from the census.
CITY_STATE_GE: dict[str, tuple[tuple[str, float], ...]] = {
    "HH": (("Hamburg", 1_850_000.0),),
    "HB": (("Bremen", 565_000.0), ("Bremerhaven", 113_000.0)),
    "BE": (
        ("Berlin Mitte", 380_000.0), ("Berlin Friedrichshain-Kreuzberg", 290_000.0),
        ("Berlin Pankow", 410_000.0), ("Berlin Charlottenburg-Wilmersdorf", 340_000.0),
        ("Berlin Spandau", 240_000.0), ("Berlin Steglitz-Zehlendorf", 300_000.0),
        ("Berlin Tempelhof-Schöneberg", 350_000.0), ("Berlin Neukölln", 330_000.0),
        ("Berlin Treptow-Köpenick", 270_000.0), ("Berlin Marzahn-Hellersdorf", 270_000.0),
        ("Berlin Lichtenberg", 290_000.0), ("Berlin Reinickendorf", 260_000.0),
    ),
}  # fmt: skip
# Members per comparison type: uneven, as in the official typing (large groups of rural
# districts, small groups of big cities), 407 in all.
TYPE_SIZES: dict[str, int] = {
    "Ia": 24, "Ib": 37, "Ic": 41, "Id": 22, "Ie": 14,
    "IIa": 34, "IIb": 28, "IIc": 39, "IId": 30, "IIe": 19,
    "IIIa": 32, "IIIb": 27, "IIIc": 25, "IIId": 21, "IIIe": 14,
}  # fmt: skip


class Jobcenter(TypedDict):
    """One row of the demo registry (the columns of jctui.model.REGISTRY_SCHEMA)."""

    jobcenter_id: str
    name: str
    state: str
    carrier: str
    inhabitants: float
    comparison_type: str


def months() -> list[dt.date]:
    out, year, month = [], FIRST.year, FIRST.month
    while (year, month) <= (LAST.year, LAST.month):
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def spread(total: int, weights: Sequence[float]) -> list[int]:
    """Integers proportional to `weights` that add up to `total` exactly (largest remainder)."""
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    out = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - out[i], -i), reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def noisy(rng: random.Random, weights: Sequence[float], sd: float) -> list[float]:
    return [w * max(0.2, rng.gauss(1.0, sd)) for w in weights]


def read_zkt(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(row["state"], row["name"]) for row in csv.DictReader(fh)]


def invented_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        place = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS)
        name = f"{rng.choice(NAME_KINDS)} {place}"
        if name not in taken and not any(place in n for n in taken):
            taken.add(name)
            names.append(name)
    return names


def registry(rng: random.Random, zkt: list[tuple[str, str]]) -> list[Jobcenter]:
    """407 Jobcenters: the real zkT plus invented gE, with ids, types and inhabitants."""
    taken = {name for _, name in zkt}
    entries: list[tuple[str, str, str]] = [(state, name, "zkT") for state, name in zkt]
    for state, count in GE_PER_STATE.items():
        real = CITY_STATE_GE.get(state, ())
        entries += [(state, name, "gE") for name, _ in real]
        entries += [(state, name, "gE") for name in invented_names(rng, count - len(real), taken)]
    known_inhabitants = {name: n for state in CITY_STATE_GE.values() for name, n in state}
    per_state: dict[str, int] = {}
    rows: list[Jobcenter] = []
    cities: set[str] = set()
    for state, name, carrier in entries:
        if name == OFFENBACH_NAME:
            jc_id = OFFENBACH_ID
        else:
            per_state[state] = per_state.get(state, 0) + 1
            jc_id = f"{STATE_CODES[state]}{900 - per_state[state]:03d}"
        city = name.startswith(("Stadt", "Landeshauptstadt")) or state in ("HH", "HB", "BE")
        # districts (Kreise) have 100,000 to 450,000 inhabitants, towns with their own
        # Jobcenter 90,000 to 600,000
        if name in known_inhabitants:
            inhabitants = known_inhabitants[name]
        else:
            inhabitants = rng.uniform(90_000, 600_000) if city else rng.uniform(100_000, 450_000)
        if name == OFFENBACH_NAME:
            inhabitants = 353_000.0
        if name == STADT_OFFENBACH_NAME:
            inhabitants = 128_000.0
        rows.append(
            {"jobcenter_id": jc_id, "name": name, "state": state, "carrier": carrier,
             "inhabitants": float(round(inhabitants, -2)), "comparison_type": ""}
        )  # fmt: skip
        if city:
            cities.add(jc_id)
    # comparison types: cities towards III (harder labour markets), districts towards I/II;
    # dealt in order of a noisy "difficulty" into groups of TYPE_SIZES members
    difficulty = {
        r["jobcenter_id"]: (1.0 if r["jobcenter_id"] in cities else 0.0) + rng.random() * 1.2
        for r in rows
    }
    ordered = sorted(rows, key=lambda r: difficulty[r["jobcenter_id"]])
    if sum(TYPE_SIZES.values()) != len(rows):  # every Jobcenter gets a comparison type
        raise ValueError(f"TYPE_SIZES hold {sum(TYPE_SIZES.values())}, not {len(rows)}")
    i = 0
    for ctype, n in TYPE_SIZES.items():
        for r in ordered[i : i + n]:
            r["comparison_type"] = ctype
        i += n
    for r in rows:
        if r["name"] == OFFENBACH_NAME:
            r["comparison_type"] = "IIb"
    return rows


def stock_path(
    rng: random.Random, n: int, start: float, yearly_trend: float, sd: float
) -> list[float]:
    """A slowly moving level: trend, a small 2015/16 bump, mild noise."""
    out, level = [], start
    for i in range(n):
        bump = 1.0 + (0.004 if 40 <= i < 60 else 0.0)
        level *= (1 + yearly_trend / 12) * bump * rng.gauss(1.0, sd)
        out.append(level)
    return out


def offenbach_series(rng: random.Random, periods: list[dt.date]) -> dict[str, list[float]]:
    """Kreis Offenbach, anchored exactly on the published figures."""
    n = len(periods)
    integrations: list[int] = []
    yearly = {2012: 3846, 2013: 3902, 2014: 3975, 2015: 4061, 2016: 4133, 2017: 4236}
    for total in yearly.values():
        integrations += spread(total, noisy(rng, INTEGRATION_SEASON, 0.04))
    integrations += spread(2169, noisy(rng, INTEGRATION_SEASON[:6], 0.04))  # Jan-Jun 2018
    integrations += spread(1489, noisy(rng, INTEGRATION_SEASON[6:10], 0.04))  # Jul-Oct 2018
    apprenticeships: list[int] = []
    jan_oct = {2012: 401, 2013: 409, 2014: 415, 2015: 421, 2016: 427, 2017: 432}
    for total in jan_oct.values():
        apprenticeships += spread(total, noisy(rng, APPRENTICE_SEASON[:10], 0.08))
        apprenticeships += spread(round(total * 0.13), noisy(rng, APPRENTICE_SEASON[10:], 0.08))
    apprenticeships += spread(466, noisy(rng, APPRENTICE_SEASON[:10], 0.08))
    # LZB: a smooth path through the two July anchors, then the anchors exactly
    lzb = stock_path(rng, n, 10_350.0, -0.012, 0.002)
    july17, july18 = periods.index(dt.date(2017, 7, 1)), periods.index(dt.date(2018, 7, 1))
    lzb = [v * 9549 / lzb[july17] if i <= july17 else v for i, v in enumerate(lzb)]
    factor = (9096 / 9549) ** (1 / 12)
    for i in range(july17 + 1, n):
        lzb[i] = 9549 * factor ** (i - july17) * rng.gauss(1.0, 0.0015)
    lzb = [round(v) for v in lzb]
    lzb[july17], lzb[july18] = 9549, 9096
    share = [0.60 + 0.01 * math.sin(i / 9) for i in range(n)]
    elb = [round(v / s) for v, s in zip(lzb, share, strict=True)]
    customers = [round(e * rng.uniform(1.31, 1.35)) for e in elb]
    assert len(integrations) == len(apprenticeships) == n
    return {
        "integrations": [float(v) for v in integrations],
        "apprenticeships": [float(v) for v in apprenticeships],
        "elb": [float(v) for v in elb],
        "long_term_recipients": [float(v) for v in lzb],
        "customers": [float(v) for v in customers],
    }


def generic_series(
    rng: random.Random, periods: list[dt.date], inhabitants: float, ctype: str
) -> dict[str, list[float]]:
    """Any other Jobcenter: sizes from its inhabitants and type, seasonal flows, trending stocks."""
    n = len(periods)
    hardness = {"I": 0.0, "II": 0.5, "III": 1.0}[ctype.rstrip("abcde")]
    elb_share = rng.uniform(0.025, 0.045) + hardness * rng.uniform(0.02, 0.05)
    elb = stock_path(rng, n, inhabitants * elb_share, rng.uniform(-0.035, 0.01), 0.003)
    lzb_share = rng.uniform(0.52, 0.66)
    lzb = [e * lzb_share * (1 + 0.02 * math.sin(i / 11)) for i, e in enumerate(elb)]
    customers = [e * rng.uniform(1.28, 1.40) for e in elb]
    k2 = rng.uniform(0.17, 0.30) - hardness * 0.04
    appr_rate = rng.uniform(0.018, 0.035)
    trend = rng.uniform(-0.01, 0.03)
    integrations, apprenticeships = [], []
    for i, p in enumerate(periods):
        level = 1 + trend * i / 12
        mu_int = elb[i] * k2 / 12 * INTEGRATION_SEASON[p.month - 1] * level
        mu_app = elb[i] * appr_rate / 12 * APPRENTICE_SEASON[p.month - 1] * level
        integrations.append(max(0, round(rng.gauss(mu_int, math.sqrt(mu_int) + 1))))
        apprenticeships.append(max(0, round(rng.gauss(mu_app, math.sqrt(mu_app) + 0.5))))
    return {
        "integrations": [float(v) for v in integrations],
        "apprenticeships": [float(v) for v in apprenticeships],
        "elb": [float(round(v)) for v in elb],
        "long_term_recipients": [float(round(v)) for v in lzb],
        "customers": [float(round(v)) for v in customers],
    }


def build(zkt_path: Path | None = None) -> pl.DataFrame:
    """The whole demo table (long, registry columns inline), deterministically."""
    rng = random.Random(SEED)
    zkt = read_zkt(zkt_path or DEMO_DIR / "zkt_jobcenters.csv")
    periods = months()
    columns: dict[str, list[object]] = {
        k: [] for k in ("jobcenter_id", "period", "metric", "value")
    }
    reg = registry(rng, zkt)
    for jc in reg:
        if jc["name"] == OFFENBACH_NAME:
            data = offenbach_series(random.Random(SEED + 1), periods)
        else:
            data = generic_series(rng, periods, jc["inhabitants"], jc["comparison_type"])
        for metric, series_values in data.items():
            columns["jobcenter_id"] += [jc["jobcenter_id"]] * len(periods)
            columns["period"] += periods
            columns["metric"] += [metric] * len(periods)
            columns["value"] += series_values
    values = pl.DataFrame(
        columns,
        schema={
            "jobcenter_id": pl.String,
            "period": pl.Date,
            "metric": pl.String,
            "value": pl.Float64,
        },
    )
    registry_frame = pl.DataFrame(
        reg,
        schema={
            "jobcenter_id": pl.String, "name": pl.String, "state": pl.String, "carrier": pl.String,
            "inhabitants": pl.Float64, "comparison_type": pl.String,
        },
    )  # fmt: skip
    canonical = [*VALUE_SCHEMA, *REGISTRY_COLUMNS[1:]]  # the long table, registry inline
    table = values.join(registry_frame, on="jobcenter_id", how="left").select(canonical)
    return pl.concat([table, aggregate_rows(table).select(canonical)], how="vertical_relaxed")


def aggregate_rows(table: pl.DataFrame) -> pl.DataFrame:
    """The states and Germany as a published table carries them: the sums of their
    Jobcenters per month and metric, with ids as published ("06" for Hesse, "DG" for
    Germany) and names ("Hessen", "Deutschland"), so readers keep them as reference
    values (jctui.readers.published.split_aggregates), never as Jobcenters."""
    names = {code: name for name, code in STATE_NAMES.items()}
    sums = ("period", "metric")
    states = (
        table.group_by("state", *sums)
        .agg(pl.col("value").sum(), pl.col("inhabitants").sum())
        .with_columns(
            jobcenter_id=pl.col("state").replace_strict(STATE_CODES),
            name=pl.col("state").replace_strict(names).str.to_titlecase(),
        )
    )
    germany = (
        table.group_by(*sums)
        .agg(pl.col("value").sum(), pl.col("inhabitants").sum())
        .with_columns(jobcenter_id=pl.lit("DG"), name=pl.lit("Deutschland"), state=pl.lit(None))
    )
    rows = pl.concat([states, germany], how="diagonal_relaxed").with_columns(
        carrier=pl.lit(None, pl.String), comparison_type=pl.lit(None, pl.String)
    )
    return rows.sort("jobcenter_id", *sums)


def generate(output: Path | None = None) -> Path:
    output = output or demo_values_path()
    build().write_parquet(output, compression="zstd", compression_level=19, statistics=False)
    return output


if __name__ == "__main__":
    path = generate(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
