"""Secondary suppression under attack: can a withheld small count be computed back?

The attacker sees everything jctui shows at every as-of month a user can step to (here:
`jctui export --format json` at every month, which holds what `show` prints as well, with
the warnings' messages) and writes down each shown figure as a linear equation over the
unknown monthly counts: a value is one count, a 12-month or year-to-date sum a sum of
counts, a change the difference of two sums, a change rate p the homogeneous equation
new - (1 + p/100) * old = 0, K2 = k the equation sum(integrations) - k/100 * mean(ELB) = 0,
an outlier warning its value, a stated-figure warning its sum. A count is determined by the
equations exactly when its unit vector lies in the row space of the coefficient matrix, that
is when the null space has no component on it.

The same attack against the old policy (withhold a count and the changes made from it, show
everything else) recovers withheld counts: that is what the issue found, and it shows the
test can fail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from jctui.cli import main
from jctui.config import load_config
from jctui.engine import Engine
from jctui.presentation.policy import SmallCounts
from jctui.session.load import load_dataset

THRESHOLD = 3
FIRST = dt.date(2015, 1, 1)
MONTHS = 48  # 2015-01 .. 2018-12
METRICS = ("integrations", "apprenticeships", "elb", "long_term_recipients", "customers")
SMALL = ("S1", "S2", "S3", "S4")  # the Jobcenters whose counts the attacker wants
FLOW = {"integrations", "apprenticeships"}


def month(i: int) -> dt.date:
    return dt.date(FIRST.year + i // 12, i % 12 + 1, 1)


def index(period: str | dt.date) -> int:
    if isinstance(period, str):
        year, mon = (int(p) for p in period.split("-")[:2])
    else:
        year, mon = period.year, period.month
    return (year - FIRST.year) * 12 + mon - 1


def make_data(tmp_path: Path) -> tuple[Path, Path, dict[tuple[str, str, int], float]]:
    """Seeded data: six large Jobcenters (for ranks and groups) and four small ones: S1 and
    S2 with counts around 1 to 4, S3 a late starter (from 2017-03) with a gap, S4 a larger
    series with one small outlier month (2 among ~40) and a stated figure over it."""
    rng = np.random.default_rng(20240611)
    rows: list[tuple[str, str, str, float, str]] = []
    truth: dict[tuple[str, str, int], float] = {}

    def add(jc: str, metric: str, i: int, value: float, group: str) -> None:
        rows.append((jc, month(i).strftime("%Y-%m"), metric, value, group))
        if jc in SMALL:
            truth[(jc, metric, i)] = value

    for n in range(6):
        jc = f"L{n}"
        for i in range(MONTHS):
            add(jc, "integrations", i, float(rng.poisson(150)), "A")
            add(jc, "apprenticeships", i, float(rng.poisson(20)), "A")
            add(jc, "elb", i, float(4000 + rng.integers(-200, 200)), "A")
            add(jc, "long_term_recipients", i, float(2500 + rng.integers(-100, 100)), "A")
            add(jc, "customers", i, float(6000 + rng.integers(-300, 300)), "A")
    for jc, mean in (("S1", 1.8), ("S2", 3.5)):
        for i in range(MONTHS):
            add(jc, "integrations", i, float(rng.poisson(mean)), "A")
            add(jc, "apprenticeships", i, float(rng.poisson(mean / 2)), "A")
            add(jc, "elb", i, float(30 + rng.integers(0, 20)), "A")
            add(jc, "long_term_recipients", i, float(rng.integers(1, 8)), "A")
            add(jc, "customers", i, float(rng.integers(2, 6)), "A")
    for i in range(26, MONTHS):
        if i == 33:
            continue  # a gap
        add("S3", "integrations", i, float(rng.poisson(2.5)), "A")
        add("S3", "elb", i, float(40 + rng.integers(0, 10)), "A")
        add("S3", "apprenticeships", i, float(rng.poisson(2.0)), "A")
    for i in range(MONTHS):
        add("S4", "integrations", i, 2.0 if i == 41 else float(40 + rng.integers(-2, 3)), "B")
        add("S4", "elb", i, float(300 + rng.integers(-5, 5)), "B")
    frame = pl.DataFrame(
        rows, schema=["jobcenter_id", "period", "metric", "value", "comparison_type"], orient="row"
    ).with_columns(name=pl.format("Jobcenter {}", pl.col("jobcenter_id")))
    data = tmp_path / "small.csv"
    frame.write_csv(data)
    config = tmp_path / "config.toml"
    config.write_text(
        f'small_count_threshold = {THRESHOLD}\n\n[[checks]]\njobcenter = "S4"\n'
        'metric = "integrations"\nstatistic = "sum"\nstart = "2018-01"\nend = "2018-06"\n'
        "stated = 1\n",
        encoding="utf-8",
    )
    return data, config, truth


# -- the attacker ---------------------------------------------------------------------


class Equations:
    """Linear equations over the small Jobcenters' monthly counts."""

    def __init__(self) -> None:
        self.column = {
            (jc, metric, i): n
            for n, (jc, metric, i) in enumerate(
                (jc, metric, i) for jc in SMALL for metric in METRICS for i in range(MONTHS)
            )
        }
        self.rows: list[np.ndarray] = []
        self.rhs: list[float] = []

    def vector(self, jc: str, metric: str, months: Iterable[int]) -> np.ndarray | None:
        row = np.zeros(len(self.column))
        for i in months:
            if not 0 <= i < MONTHS:
                return None  # a window reaching before the data: the figure is null anyway
            row[self.column[(jc, metric, i)]] += 1.0
        return row

    def add(self, row: np.ndarray | None, rhs: float) -> None:
        if row is not None:
            self.rows.append(row)
            self.rhs.append(rhs)

    def window(self, jc: str, metric: str, first: int, last: int) -> np.ndarray | None:
        return self.vector(jc, metric, range(first, last + 1))

    def metric(self, jc: str, metric: str, t: int, e: Mapping[str, Any]) -> None:
        """Every equation a shown metric entry gives (null fields give none)."""
        year_start = t - t % 12
        parts = {
            "value": self.window(jc, metric, t, t),
            "value_prev_year": self.window(jc, metric, t - 12, t - 12),
            "window_sum": self.window(jc, metric, t - 11, t),
            "window_sum_prev": self.window(jc, metric, t - 23, t - 12),
            "ytd": self.window(jc, metric, year_start, t),
            "ytd_prev": self.window(jc, metric, year_start - 12, t - 12),
        }
        for field, row in parts.items():
            if e.get(field) is not None:
                self.add(row, e[field])
        new, old = (
            ("window_sum", "window_sum_prev") if metric in FLOW else ("value", "value_prev_year")
        )
        self.ratio(parts[new], parts[old], e.get("change_pct"), e.get("change"))
        self.ratio(parts["ytd"], parts["ytd_prev"], e.get("ytd_change_pct"), None)

    def ratio(
        self, new: np.ndarray | None, old: np.ndarray | None, pct: float | None, diff: float | None
    ) -> None:
        if new is None or old is None:
            return
        if diff is not None:
            self.add(new - old, diff)
        if pct is not None:
            self.add(new - (1 + pct / 100) * old, 0.0)

    def k2(self, jc: str, t: int, k: float | None) -> None:
        """K2 = sum(integrations t-11..t) / mean(ELB t-12..t-1) * 100, as a homogeneous row."""
        num, den = self.window(jc, "integrations", t - 11, t), self.window(jc, "elb", t - 12, t - 1)
        if k is not None and num is not None and den is not None:
            self.add(num - k / 100 * den / 12, 0.0)

    def blocks(self) -> Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(columns, rows, right-hand sides) per Jobcenter: an equation never mixes two, so
        the row space is the sum of the Jobcenters' (and each block is small and fast)."""
        a, b = np.array(self.rows), np.array(self.rhs)
        for jc in SMALL:
            cols = np.array([n for (j, _, _), n in self.column.items() if j == jc])
            rows = np.abs(a[:, cols]).sum(axis=1) > 0
            yield cols, a[np.ix_(rows, cols)], b[rows]

    def solve(self) -> dict[tuple[str, str, int], float]:
        """The unknowns the equations fix, with their values.

        Unknown i is fixed exactly when its unit vector is in the row space: in the reduced
        row echelon form, when column i is a pivot and its row has no other coefficient.
        (Gauss-Jordan elimination in plain numpy: LAPACK's SVD spins up a thread per core
        and crawls on a shared two-core machine.)"""
        fixed: dict[tuple[str, str, int], float] = {}
        key_of = {n: key for key, n in self.column.items()}
        for cols, a, b in self.blocks():
            m = np.hstack([a, b[:, None]])
            r = 0
            for c in range(len(cols)):
                if r == len(m):
                    break
                p = r + int(np.argmax(np.abs(m[r:, c])))
                if abs(m[p, c]) < 1e-9:
                    continue
                m[[r, p]] = m[[p, r]]
                m[r] /= m[r, c]
                other = m[:, c] != 0
                other[r] = False
                m[other] -= np.outer(m[other, c], m[r])
                coefficients = m[:, :-1]
                coefficients[np.abs(coefficients) < 1e-9] = 0.0
                r += 1
            for row in m[:r]:
                nonzero = np.flatnonzero(row[:-1])
                if len(nonzero) == 1:
                    fixed[key_of[int(cols[nonzero[0]])]] = float(row[-1] / row[nonzero[0]])
        return fixed


NUMBER = r"([-\d.,]+|\*)"


def read_warning(eq: Equations, jc: str, w: Mapping[str, Any]) -> None:
    """An outlier's value and a stated figure's sum, as far as the message shows them."""
    if w["kind"] == "outlier":
        found = re.match(rf"outlier: {NUMBER} ", w["message"])
        assert found is not None, w["message"]
        if found.group(1) != "*":
            eq.add(eq.window(jc, w["metric"], index(w["period"]), index(w["period"])),
                   float(found.group(1).replace(",", "")))  # fmt: skip
    if w["kind"] == "stated":
        found = re.search(
            rf"the data give {NUMBER}, stated .* \(sum of .* (\d{{4}}-\d\d) to", w["message"]
        )
        assert found is not None, w["message"]
        if found.group(1) != "*":
            first, last = index(found.group(2)), index(w["period"])
            eq.add(eq.window(jc, w["metric"], first, last), float(found.group(1).replace(",", "")))


def attack(reports: Iterable[Mapping[str, Any]]) -> Equations:
    eq = Equations()
    for report in reports:
        t = index(report["as_of"])
        for jc in report["jobcenters"]:
            if jc["id"] not in SMALL:
                continue
            for metric, entry in jc["metrics"].items():
                eq.metric(jc["id"], metric, t, entry)
            k2 = jc["rates"].get("k2", {})
            eq.k2(jc["id"], t, k2.get("value"))
            eq.k2(jc["id"], t - 12, k2.get("value_prev_year"))
            for w in jc["warnings"]:
                read_warning(eq, jc["id"], w)
    return eq


def withheld_counts(truth: Mapping[tuple[str, str, int], float]) -> set[tuple[str, str, int]]:
    counts = SmallCounts(THRESHOLD)
    return {key for key, value in truth.items() if counts.hides(value)}


# -- the tests --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """jctui's own exports at every as-of month of the seeded data, and `show --format json`
    of the small Jobcenters at every month (the attacker reads both)."""
    tmp_path = tmp_path_factory.mktemp("attack")
    data, config, truth = make_data(tmp_path)
    reports = []
    common = ["--config", str(config), "--source", str(data), "--lang", "en"]
    for i in range(MONTHS):
        out = tmp_path / f"export-{i}.json"
        at = ["--at", month(i).strftime("%Y-%m")]
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["export", *common, "--format", "json", "-o", str(out), *at]) == 0
        reports.append(json.loads(out.read_text(encoding="utf-8")))
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            assert (
                main(["show", "S1", "--compare", *SMALL[1:], *common, "--format", "json", *at]) == 0
            )
        reports.append(json.loads(shown.getvalue()))
    return {"data": data, "config": config, "truth": truth, "reports": reports}


def test_no_withheld_count_can_be_computed_from_everything_shown(
    attacked: dict[str, Any],
) -> None:
    truth, reports = attacked["truth"], attacked["reports"]
    withheld = withheld_counts(truth)
    eq = attack(reports)
    fixed = eq.solve()
    shown = set(truth) - withheld
    assert len(withheld) > 100  # the seeded data really has many small counts (149)
    assert len(eq.rows) > 1000
    assert set(fixed) & withheld == set()
    # the attack has teeth: the shown counts are pinned down (490 of 490), and rightly
    assert len(set(fixed) & shown) > len(shown) * 0.9
    assert all(abs(fixed[k] - truth[k]) < 1e-6 for k in fixed)


def test_the_same_attack_recovers_withheld_counts_from_the_old_policy(
    attacked: dict[str, Any],
) -> None:
    """The old policy withheld a small count and the changes made from it, and showed
    year-to-date and 12-month sums, K2 and ranks over windows with withheld months."""
    config = load_config(attacked["config"]).with_source(str(attacked["data"]))
    engine = Engine.for_dataset(config, load_dataset(config))
    truth = attacked["truth"]
    old = SmallCounts(THRESHOLD, include_zero=True)  # the old rule: 0 <= v < threshold
    derived = {"value": ("change", "change_pct"), "value_prev_year": ("change", "change_pct"),
               "window_sum": ("change", "change_pct"), "window_sum_prev": ("change", "change_pct"),
               "ytd": ("ytd_change_pct",), "ytd_prev": ("ytd_change_pct",)}  # fmt: skip
    reports = []
    for i in range(MONTHS):
        figures = engine.figures(month(i), with_data_warnings=False)
        jobcenters: dict[str, dict[str, Any]] = {
            jc: {"id": jc, "metrics": {}, "rates": {}, "warnings": []} for jc in SMALL
        }
        for row in figures.metrics.filter(pl.col("jobcenter_id").is_in(SMALL)).iter_rows(
            named=True
        ):
            entry = dict(row)
            for count, fields in derived.items():
                if old.hides(row[count]):
                    entry[count] = None
                    entry.update(dict.fromkeys(fields))
            jobcenters[row["jobcenter_id"]]["metrics"][row["metric"]] = entry
        for row in figures.rates.filter(pl.col("jobcenter_id").is_in(SMALL)).iter_rows(named=True):
            jobcenters[row["jobcenter_id"]]["rates"][row["rate"]] = row
        reports.append({"as_of": month(i).isoformat(), "jobcenters": list(jobcenters.values())})
    fixed = attack(reports).solve()
    recovered = set(fixed) & withheld_counts(truth)
    assert len(recovered) > 40
    assert all(abs(fixed[k] - truth[k]) < 1e-6 for k in recovered)  # and rightly


def test_what_is_withheld_is_said_and_ranks_follow(attacked: dict[str, Any]) -> None:
    """Withheld fields are null and named; a withheld change has no rank, and the shown
    ranks count only the shown figures; warnings print no withheld count."""
    last = attacked["reports"][-2]  # the export of the last month
    by_id = {jc["id"]: jc for jc in last["jobcenters"]}
    s1 = by_id["S1"]["metrics"]["integrations"]
    assert s1["suppressed"] is True
    assert s1["change_pct"] is None
    assert s1["rank"] is None
    assert "rank" in s1["withheld"]
    for field in s1["withheld"]:
        assert field == "rank" or s1[field] is None
    large = by_id["L0"]["metrics"]["integrations"]
    ranked = [jc["metrics"]["integrations"] for jc in last["jobcenters"]]
    assert large["rank_of"] == sum(1 for e in ranked if e["change_pct"] is not None)
    k2 = by_id["S1"]["rates"]["k2"]
    assert k2["value"] is None
    assert "value" in k2["withheld"]
    s4 = [w for r in attacked["reports"] for jc in r["jobcenters"] if jc["id"] == "S4"
          for w in jc["warnings"]]  # fmt: skip
    outliers = {w["message"] for w in s4 if w["kind"] == "outlier"}
    # its June (2) is withheld: no outlier flag on that series at all (the flag's rule, the
    # seasonal median and spread, is made of every month; which months are flagged would
    # narrow the withheld value down)
    assert outliers == set()
    stated = {w["message"] for w in s4 if w["kind"] == "stated"}
    assert stated == {"the data give *, stated 1 (sum of Integrations 2018-01 to 2018-06: * / 6)"}
    # show says what export says
    shown = {jc["id"]: jc for jc in attacked["reports"][-1]["jobcenters"]}
    assert all(shown[jc] == by_id[jc] for jc in SMALL)


def test_zero_is_a_small_count_only_when_configured(tmp_path: Path) -> None:
    rows = ["jobcenter_id,period,metric,value,name"]
    rows += [f"Z,2018-{m:02d},apprenticeships,{0 if m == 1 else 7},Kreis Z" for m in range(1, 13)]
    data = tmp_path / "zero.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    shown = []
    for include_zero in ("false", "true"):
        config = tmp_path / f"config-{include_zero}.toml"
        config.write_text(
            f"small_count_threshold = 3\nsmall_counts_include_zero = {include_zero}\n",
            encoding="utf-8",
        )
        out = tmp_path / f"out-{include_zero}.json"
        args = ["export", "--config", str(config), "--source", str(data), "-o", str(out)]
        assert main([*args, "--at", "2018-12", "--lang", "en"]) == 0
        entry = json.loads(out.read_text(encoding="utf-8"))["jobcenters"][0]["metrics"]
        shown.append(entry["apprenticeships"])
    official, strict = shown
    assert official["ytd"] == 77  # the January zero is shown: the official rule hides 1 and 2
    assert "suppressed" not in official
    assert strict["ytd"] is None
    assert "ytd" in strict["withheld"]


def test_the_dashboard_shows_what_the_policy_left(attacked: dict[str, Any]) -> None:
    """Tiles, copy line, compare rows, kiosk headline, warnings screen and chart of the
    dashboard's session: withheld figures are `*` or gaps, never their values."""
    from jctui.presentation.tiles import rank_variants
    from jctui.session.chart import ChartQuery
    from jctui.session.session import Loaded, RefreshRequest, Session

    config = load_config(attacked["config"]).with_source(str(attacked["data"]))
    session = Session(config, as_of=dt.date(2018, 12, 1), today=dt.date(2019, 1, 15))
    loaded = [e for e in session.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
    as_of = session.accept_data(loaded[0])
    assert session.accept_figures(session.compute(as_of, session.next_compute()))
    session.choose("S1")
    overview = session.overview("en")
    assert overview is not None
    tiles = {t.key: t for t in overview.tiles}
    integrations = tiles["integrations"]
    assert {"value", "figure", "change", "ytd", "rank"} <= integrations.withheld
    assert integrations.shown("figure", "en") == "*"
    assert integrations.shown_change("en") == "*"
    assert rank_variants(integrations, "en") == ("#*",)
    line = session.copy_line(integrations, "en")
    assert line == "Jobcenter S1, December 2018: Integrations *; 12 months * (*)"
    assert session.copy_line(tiles["k2"], "en") == (
        "Jobcenter S1, December 2018: Integration rate (K2) * (prev. yr *)"
    )
    assert rank_variants(tiles["customers"], "en") == ()  # no direction, no rank
    headline = {h.key: h.text for h in session.headline("en")}  # the kiosk's large figures
    assert headline == {"integrations": "*", "k2": "*", "long_term_recipients": "*"}
    row = next(r for r in session.lookups.compare_rows if r["jobcenter_id"] == "S1")
    assert {"integrations", "change", "rate:k2"} <= set(row["withheld"])
    assert row["integrations"] is None
    assert row["rate:k2"] is None
    outliers = [
        r for r in session.warning_rows() if r["kind"] == "outlier" and r["jobcenter_id"] == "S4"
    ]
    assert outliers == []  # a series with a withheld count flags no outliers
    source = session.chart_source()
    assert source is not None
    chart = source.data(ChartQuery("integrations", ("S1",)), "en")
    lines = {line.label: line for line in chart.lines}
    withheld_months = {i - (MONTHS - 24) for (jc, m, i) in withheld_counts(attacked["truth"])
                       if jc == "S1" and m == "integrations" and i >= MONTHS - 24}  # fmt: skip
    assert withheld_months
    assert not withheld_months & set(lines["Jobcenter S1"].xs)
    # the group average of a month with a withheld member count is withheld too
    assert not withheld_months & set(lines["avg. group A"].xs)


def test_conflicting_small_values_are_not_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ["jobcenter_id,period,metric,value,name"]
    rows += [f"C,2018-{m:02d},integrations,{40 + m},Kreis C" for m in range(1, 13)]
    rows += ["C,2018-03,integrations,2,Kreis C"]  # delivered again, differently: a conflict
    data = tmp_path / "conflict.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text("small_count_threshold = 3\n", encoding="utf-8")
    args = ["show", "Kreis C", "--config", str(config), "--source", str(data), "--lang", "en"]
    assert main([*args, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    (conflict,) = [w for w in report["jobcenters"][0]["warnings"] if w["kind"] == "conflict"]
    assert conflict["message"] == "conflict: values 43, * on lines 4, 14; used: the last"
    assert main(args) == 0
    table = capsys.readouterr().out
    assert "values 43, * on lines" in table


def test_the_explanation_says_what_a_rank_compares() -> None:
    from jctui.config import load_config
    from jctui.presentation.wording import explain_figure

    config = load_config(None)
    _, customers = explain_figure(config.metrics["customers"], "en", "12")
    _, k2 = explain_figure(config.rates["k2"], "en", "12")
    _, integrations = explain_figure(config.metrics["integrations"], "de", "12")
    assert "Rank: none, the figure has no better direction" in customers
    assert "Rank: by the level of the rate" in k2
    assert "Rang: nach der Veränderung gegenüber dem Vorjahr" in integrations


def test_a_published_level_is_no_count_but_goes_with_its_parts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """K1E3 = 2.1 % is a level, not a count of 2 people: shown with small counts withheld.
    K2 as published goes with its numerator: where that count is withheld, K2 x its
    denominator would give it back, so K2 is withheld too (and has no rank)."""
    rows = ["jobcenter_id,period,metric,value,name,comparison_type"]
    for jc, numerator in (("A", 420), ("B", 380), ("C", 2)):
        for m in range(1, 13):
            period = f"2018-{m:02d}"
            for metric, value in (
                ("k1e3_published", 2.1),
                ("k1e3_numerator", 40),
                ("k1e3_denominator", 1900),
                ("k2_published", 5.0 if jc == "C" else round(numerator / 1900 * 100, 1)),
                ("integrations_12m", numerator),
                ("elb_mean_12m", 1900),
            ):
                rows.append(f"{jc},{period},{metric},{value},Kreis {jc},IIb")
    data = tmp_path / "levels.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text("small_count_threshold = 3\n", encoding="utf-8")
    out = tmp_path / "out.json"
    args = ["export", "--config", str(config), "--source", str(data), "-o", str(out)]
    assert main([*args, "--at", "2018-12", "--lang", "en"]) == 0
    entries = {
        jc["id"]: jc["metrics"] for jc in json.loads(out.read_text(encoding="utf-8"))["jobcenters"]
    }
    assert entries["A"]["k1e3_published"]["value"] == 2.1  # a level below 3: shown
    assert "suppressed" not in entries["A"]["k1e3_published"]
    assert entries["A"]["k2_published"]["value"] == round(420 / 19, 1)
    c_k2 = entries["C"]["k2_published"]
    assert c_k2["value"] is None  # its numerator (2) is withheld: so is K2
    assert "value" in c_k2["withheld"]
    assert c_k2["rank"] is None
    assert entries["C"]["integrations_12m"]["value"] is None
    assert entries["C"]["k1e3_published"]["value"] == 2.1  # its own parts are no small counts
    assert entries["A"]["k2_published"]["rank_of"] == 2  # ranked among the shown ones
    # C's published 5.0 % is not what 2 / 1,900 give: the stated-figure warning says so
    # without its figures (5.0 x 1,900 / 100 would give the withheld numerator back)
    show = ["show", "Kreis C", "--config", str(config), "--source", str(data), "--at", "2018-12"]
    capsys.readouterr()  # what export said
    assert main([*show, "--format", "json", "--lang", "en"]) == 0
    warnings = json.loads(capsys.readouterr().out)["jobcenters"][0]["warnings"]
    (published,) = [w for w in warnings if w["metric"] == "k2_published"]
    assert published["message"].startswith("published * (K2), its numerator and denominator give *")
    assert "5" not in published["message"]


def test_check_lists_the_warnings_as_the_dashboard_does(
    attacked: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """`jctui check` lists the dashboard's warnings: with small counts withheld there too."""
    args = ["check", "--config", str(attacked["config"]), "--source", str(attacked["data"])]
    main([*args, "--lang", "en"])
    out = capsys.readouterr().out
    s4 = [line for line in out.splitlines() if "(S4)" in line]
    assert any("the data give *" in line for line in s4)  # the stated figure, withheld
    assert not [line for line in s4 if "outlier" in line]  # as on the dashboard: none
