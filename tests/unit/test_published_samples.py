"""Every family of published files reads with every figure equal to its cells, and the same
file with one cell changed is refused with the failed check's message (issue 21). The
samples come from tests/samples/generate.py."""

from __future__ import annotations

import pytest

from jctui.errors import SourceError
from tests.samples.generate import Sample, samples
from tests.unit.test_published import read

SAMPLES = samples()


def figures(sample: Sample, data: bytes) -> dict[tuple[str, str, str], float]:
    result = read(data, sample.file_name, **sample.options)
    return {
        (r["jobcenter_id"], f"{r['period']:%Y-%m}", r["metric"]): r["value"]
        for r in result.values.iter_rows(named=True)
    }


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.file_name for s in SAMPLES])
def test_every_figure_equals_its_cell(sample: Sample) -> None:
    result = read(sample.data, sample.file_name, **sample.options)
    assert result.rejected.is_empty(), result.rejected.to_dicts()
    assert result.conflicts.is_empty(), result.conflicts.to_dicts()
    got = figures(sample, sample.data)
    assert got == pytest.approx(sample.expected), sorted(set(got) ^ set(sample.expected))
    assert not any("failed" in n for n in result.notices), result.notices


TWINS = [s for s in SAMPLES if s.broken is not None]


@pytest.mark.parametrize("sample", TWINS, ids=[s.file_name for s in TWINS])
def test_one_changed_cell_is_refused_with_the_checks_message(sample: Sample) -> None:
    assert sample.broken is not None
    result = read(sample.broken, sample.file_name, **sample.options)
    problems = result.rejected["problem"].to_list()
    assert any(sample.broken_message in p for p in problems), problems
    got = figures(sample, sample.broken)
    wrong = {k: v for k, v in got.items() if sample.expected.get(k) != v}
    assert not wrong, wrong  # never a figure its own file contradicts


def test_the_generator_writes_every_sample_and_its_values(tmp_path: object) -> None:
    from pathlib import Path

    from tests.samples.generate import write

    folder = Path(str(tmp_path)) / "samples"
    write(folder)
    names = {p.name for p in folder.iterdir()}
    assert "expected.json" in names
    assert {s.file_name for s in SAMPLES} <= names


def test_a_sample_of_one_region_without_its_option_names_the_region() -> None:
    sample = next(s for s in SAMPLES if s.options and "Kreis:" in s.data.decode("cp1252"))
    result = read(sample.data, sample.file_name)
    assert set(result.registry["name"]) == {"Offenbach"}
    one = next(s for s in SAMPLES if s.file_name.startswith("zeitreihe-"))
    with pytest.raises(SourceError, match='set jobcenter = "<id>"'):
        read(one.data, one.file_name)


def test_the_bulk_file_with_a_filter_reads_the_rows_it_names() -> None:
    sample = next(s for s in SAMPLES if s.file_name.startswith("dl_48a"))
    men = read(sample.data, sample.file_name, filter={"Geschlecht": "Männer"})
    got = {(r["jobcenter_id"], r["metric"]): r["value"] for r in men.values.iter_rows(named=True)}
    assert got[("06438", "integrations_12m")] == round(
        sample.expected[("06438", "2018-07", "integrations_12m")] * 0.55
    )
    assert "breakdowns kept apart: Geschlecht Frauen, Geschlecht insgesamt" in men.notices[0]
    with pytest.raises(SourceError, match=r"filter\.Sex: no such column"):
        read(sample.data, sample.file_name, filter={"Sex": "Männer"})


def test_a_key_repeated_within_one_breakdown_is_a_conflict() -> None:
    sample = next(s for s in SAMPLES if s.file_name.startswith("dl_48a"))
    lines = sample.data.decode("cp1252").split("\n")
    again = next(line for line in lines if ";K2;insgesamt;" in line).replace(
        ";insgesamt;", ";insgesamt;1"
    )
    result = read("\n".join([*lines, again]).encode("cp1252"), sample.file_name)
    assert result.conflicts.height == 1
    assert result.conflicts.row(0, named=True)["metric"] == "k2_published"
