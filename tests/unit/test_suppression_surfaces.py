"""The differential attack over every output surface, not only the declared fields.

tests/unit/test_suppression_attack.py compares the declared fields of `export`. Here the
same seeded data and the same perturbation (every withheld count changed to another
withheld value, the aggregates still the sums of their Jobcenters) go through everything
jctui shows, compared whole, at as-of months around the withheld ones:

- `show ID --format json|csv` of every small Jobcenter, and of all of them with
  `--compare`; the compare table with its gaps (`--sort`) for every figure;
- `export` as JSON and as CSV;
- the figure store (every frame it keeps);
- the dashboard's screens from the session: every Jobcenter's tiles (values, ranks, group
  and state texts, targets, details, sparklines, copy lines), the compare rows (ranks,
  group means, state values), the kiosk's headline and targets pages, the chart's series
  (2 years, 5 years, all; with the group average and per ELB) and the warnings;
- `check` (the data's problems) and `check --attention` for every small Jobcenter.

Anything that differs between the runs is a leak: a withheld count can be told from it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from jctui.cli import main
from tests.unit.test_suppression import MONTHS, SMALL, make_data, month
from tests.unit.test_suppression_attack import CONFIG, TARGETS, Truth, perturbed, write_variant

LARGE = tuple(f"L{n}" for n in range(6))
JOBCENTERS = (*LARGE, *SMALL)
# as-of months: where S1..S4's withheld months enter and leave the windows (S3 starts at
# 26 with a gap at 33, S4's small month is 41), the turn of a year, the last month
AS_OF = (23, 24, 26, 33, 34, 35, 41, 42, 45, 47)
# `make test` attacks two of them: S4's small month and the last month (where S1..S3 have
# withheld months in every window); `make test-slow` all ten, with a second perturbation
AS_OF_QUICK = (41, 47)
FIGURES = ("integrations", "apprenticeships", "elb", "long_term_recipients", "k2")
Surfaces = dict[str, Any]
# every front end at ten months: about 50 s a run on a quiet machine, 10 s at two months
pytestmark = pytest.mark.timeout(900)


def plain(value: Any) -> Any:
    """A value as comparable JSON-like data: dataclasses, tuples, dates and frames too."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, pl.DataFrame):
        return plain(value.to_dicts())
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, frozenset | set) else items
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def cli(args: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(args)
    return f"exit {code}\n{out.getvalue()}"


def cli_surfaces(config: Path, folder: Path, at: str) -> Iterator[tuple[str, Any]]:
    base = ["--config", str(config), "--lang", "en", "--at", at]
    for jc in SMALL:
        for fmt in ("json", "csv", "table"):
            yield f"show {jc} {fmt}", cli(["show", jc, "--format", fmt, *base])
        yield f"check --attention {jc}", cli(["check", "--attention", jc, *base])
    yield "check", cli(["check", "--config", str(config), "--lang", "en"])
    others = [j for j in JOBCENTERS if j != "S1"]
    compare = ["show", "S1", "--compare", *others, *base]
    yield "show --compare json", cli([*compare, "--format", "json"])
    for figure in FIGURES:
        yield f"show --compare --sort {figure}", cli([*compare, "--sort", figure])
    for fmt in ("json", "csv"):
        out = folder / f"export-{at}.{fmt}"
        said = cli(["export", *base, "--format", fmt, "-o", str(out)])
        yield f"export {fmt}", said + out.read_text(encoding="utf-8")


def store_surfaces(folder: Path) -> Iterator[tuple[str, Any]]:
    """Every frame the figure store keeps, its rows in a fixed order (the order a frame is
    written in is not shown), and its meta but for the key and the files' digests (of the
    source, and of the bytes as written)."""
    root = folder / "cache" / "figures"
    for path in sorted(root.rglob("*.arrow")):
        where = path.relative_to(root).parts[1:]
        yield f"store {'/'.join(where)}", sorted(plain(pl.read_ipc(path)), key=repr)
    for path in sorted(root.rglob("meta.json")):
        where = path.relative_to(root).parts[1:]
        meta = json.loads(path.read_text(encoding="utf-8"))
        yield (
            f"store {'/'.join(where)}",
            {k: v for k, v in meta.items() if k not in ("key", "files")},
        )


def session_surfaces(config_path: Path, as_of: dt.date) -> Iterator[tuple[str, Any]]:
    from jctui.config import load_config
    from jctui.session.chart import SPANS, ChartQuery
    from jctui.session.session import Loaded, RefreshRequest, Session

    config = load_config(str(config_path))
    session = Session(config, as_of=as_of, today=dt.date(2019, 1, 15))
    loaded = [e for e in session.refresh_cycle(RefreshRequest()) if isinstance(e, Loaded)]
    accepted = session.accept_data(loaded[0])
    assert session.accept_figures(session.compute(accepted, session.next_compute()))
    for jc in JOBCENTERS:
        session.choose(jc)
        overview = session.overview("en")
        yield f"tiles {jc}", plain(overview)
        if overview is not None:
            yield f"copy {jc}", [session.copy_line(tile, "en") for tile in overview.tiles]
        yield f"headline {jc}", plain(session.headline("en"))
    yield "compare rows", plain(session.lookups.compare_rows)
    yield "warnings", plain(session.warning_rows())
    for figure in FIGURES:
        yield f"targets page {figure}", plain(session.targets_page(figure, "en"))
        yield f"clipboard {figure}", session.figure_lines(figure, JOBCENTERS, "en")
    source = session.chart_source()
    assert source is not None
    for figure in FIGURES:
        for span in range(len(SPANS)):
            for per_elb in (False, True):
                query = ChartQuery(figure, JOBCENTERS, span, with_group=True, per_elb=per_elb)
                yield f"chart {figure} {span} {per_elb}", plain(source.data(query, "en"))
        for jc in SMALL:  # the first Jobcenter charted brings its target and projected path
            query = ChartQuery(figure, (jc, "L0"), 0, with_group=True)
            yield f"chart {figure} {jc}", plain(source.data(query, "en"))


def surfaces(config: Path, folder: Path, as_of: tuple[int, ...]) -> Surfaces:
    """What every front end shows at the attacked as-of months, the variant's folder named
    `<folder>` (the source label is the one thing that may differ)."""
    out: Surfaces = {}
    for i in as_of:
        at = month(i).strftime("%Y-%m")
        out |= {f"{at} {k}": v for k, v in cli_surfaces(config, folder, at)}
        out |= {f"{at} {k}": v for k, v in session_surfaces(config, month(i))}
    out |= dict(store_surfaces(folder))
    named: Surfaces = json.loads(json.dumps(out, default=str).replace(str(folder), "<folder>"))
    return named


def differences(a: Any, b: Any, where: str = "") -> Iterator[str]:
    """Where two surfaces differ, down to the value (a line of text, a field)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from differences(a.get(key), b.get(key), f"{where}/{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from differences(x, y, f"{where}[{n}]")
    elif isinstance(a, str) and isinstance(b, str) and "\n" in a + b and a != b:
        lines_a, lines_b = a.splitlines(), b.splitlines()
        for n, (x, y) in enumerate(zip(lines_a, lines_b, strict=False)):
            if x != y:
                yield f"{where} line {n}: {x!r} != {y!r}"
        if len(lines_a) != len(lines_b):
            yield f"{where}: {len(lines_a)} lines != {len(lines_b)}"
    elif a != b:
        yield f"{where}: {str(a)[:120]} != {str(b)[:120]}"


@pytest.fixture(scope="module")
def variants(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str, tuple[int, ...]], Surfaces]:
    """The surfaces of the seeded data ("truth") and of two perturbations of it, at the
    as-of months asked for (each set of months with a store of its own)."""
    tmp = tmp_path_factory.mktemp("surfaces")
    data, _, truth = make_data(tmp)
    base = pl.read_csv(data, schema_overrides={"value": pl.Float64, "period": pl.String})
    rng = np.random.default_rng(11)
    truths: dict[str, Truth] = {"truth": truth, "a": perturbed(truth, rng)}
    truths["b"] = perturbed(truth, rng)
    config_text = 'cache_dir = "{folder}/cache"\n' + CONFIG  # the store of each variant apart
    cache: dict[tuple[str, tuple[int, ...]], Surfaces] = {}

    def run(name: str, as_of: tuple[int, ...]) -> Surfaces:
        if (name, as_of) not in cache:
            folder = tmp / f"{name}-{len(cache)}"
            config = write_variant(folder, base, truths[name], config_text)
            (folder / "targets.csv").write_text(TARGETS, encoding="utf-8")
            cache[name, as_of] = surfaces(config, folder, as_of)
        return cache[name, as_of]

    return run


def test_the_surfaces_carry_what_the_attack_needs(
    variants: Callable[[str, tuple[int, ...]], Surfaces],
) -> None:
    """Teeth: every surface is there, with the small Jobcenters in it and their withheld
    figures marked, and the store holds frames."""
    seen = variants("truth", AS_OF_QUICK)
    last = month(MONTHS - 1).strftime("%Y-%m")
    assert '"suppressed": true' in seen[f"{last} show S4 json"]
    assert "Jobcenter S4" in seen[f"{last} show --compare --sort integrations"]
    assert seen[f"{last} check --attention S1"].startswith(("exit 0", "exit 3"))
    assert any(key.startswith("store ") and key.endswith(".arrow") for key in seen)
    assert any(key.startswith("store ") and key.endswith("meta.json") for key in seen)
    assert any(
        line["label"].endswith("Projection") for line in seen[f"{last} chart elb S4"]["lines"]
    )
    assert seen[f"{last} chart integrations 0 False"]["lines"]
    assert seen[f"{last} compare rows"]
    assert any("*" in line for line in seen[f"{last} copy S1"] if line)


@pytest.mark.parametrize(
    ("variant", "as_of"),
    [
        pytest.param("a", AS_OF_QUICK, id="a-quick"),
        pytest.param("a", AS_OF, id="a", marks=pytest.mark.slow),
        pytest.param("b", AS_OF, id="b", marks=pytest.mark.slow),
    ],
)
def test_a_withheld_count_changes_no_surface(
    variants: Callable[[str, tuple[int, ...]], Surfaces], variant: str, as_of: tuple[int, ...]
) -> None:
    truth, changed = variants("truth", as_of), variants(variant, as_of)
    # the store holds the months looked up so far (a dashboard's prefetch runs in the
    # background): those both runs hold are compared
    both = {k for k in truth.keys() & changed.keys() if k.startswith("store ")}
    truth = {k: v for k, v in truth.items() if not k.startswith("store ") or k in both}
    changed = {k: v for k, v in changed.items() if not k.startswith("store ") or k in both}
    found = list(differences(truth, changed))
    assert found == [], f"{len(found)} changes:\n" + "\n".join(found[:40])
