"""Issue 22, `jctui show` as a user reads it: the comparison at 80 columns for six
Jobcenters with the rank in the type and the gaps, flows month by month, --dialect not
ignored, one matcher with the command palette, nothing wrapped mid-word or cut for good,
--metric naming the close keys; and pure ASCII under --ascii, LANG=C and TERM=linux."""

from __future__ import annotations

import pytest

from jctui.cli import main
from jctui.engine.search import rank_matches
from tests.functional.figure_stores import with_demo_store

OFFENBACH = "Kreis Offenbach"
SIX = ("Stadt Offenbach", "Darmstadt-Dieburg", "Hamburg", "Bremen", "Berlin Mitte")


@pytest.fixture(autouse=True)
def _demo_store() -> None:
    """The demo's figures read from its store, as after a dashboard or an earlier `show`:
    these tests are about the words and the layout, not the computing."""
    with_demo_store()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_compare_of_six_fits_80_columns_with_rank_in_type_and_gaps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "show", OFFENBACH, "--compare", *SIX, "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any("Kreis Offenbach" in line for line in lines)  # first block
    assert any("Berlin Mitte" in line for line in lines)  # second block
    integrations = [line for line in lines if line.startswith("Integrations")]
    assert len(integrations) == 2  # two blocks of three
    assert "4,303 +2.0% 9/29" in integrations[0]  # headline, change, rank in the type
    assert len([line for line in lines if line.startswith("gap to best")]) == 2
    assert len([line for line in lines if line.startswith("gap to type Ø")]) == 2
    assert "(gaps of: Integrations, change on prev. yr)" in lines


def test_compare_gaps_follow_the_sorted_figure(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "show", OFFENBACH, "--compare", "Stadt Offenbach", "--sort", "k2", "--lang", "de"
    )
    assert code == 0
    assert "(Abstände bei: K2, Stand)" in out
    best = next(line for line in out.splitlines() if line.startswith("Abstand Bester"))
    assert "Pkt." in best  # a rate's gap in points


def test_flows_show_the_month_beside_the_same_month_a_year_earlier(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "show", OFFENBACH, "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("The month and a year"))
    assert "Oct 2018" in lines[at]
    assert "Oct 2017" in lines[at]
    assert lines[at + 1].split() == ["Integrations", "353", "366", "-3.6%"]


def test_dialect_with_the_table_format_is_an_error_not_ignored(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "show", OFFENBACH, "--dialect", "de")
    assert code == 2
    assert out == ""
    assert "--dialect de: only for --format csv" in err
    code, out, _ = run(capsys, "show", OFFENBACH, "--dialect", "de", "--format", "csv")
    assert code == 0
    assert "Stichmonat;" in out


def test_a_misspelt_name_finds_what_the_palette_offers_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "show", "Kreis Offenbch")
    assert code == 0
    assert "Kreis Offenbach (06438)" in out
    names = ["Kreis Offenbach", "Stadt Offenbach am Main", "Landkreis Gießen"]
    palette = rank_matches(names, "Kreis Offenbch", fuzzy=True)
    assert names[palette[0].index] == "Kreis Offenbach"


def test_notes_and_warnings_are_wrapped_between_words_never_cut(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "show", "stadt")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 79
    note = [line for line in lines[:8] if "matches" in line or line.startswith("  ")]
    assert note
    assert "and 104 more" in " ".join(lines[:8]) or "more" in " ".join(lines[:8])
    code, out, _ = run(capsys, "show", OFFENBACH)
    text = " ".join(line.strip() for line in out.splitlines())
    assert "Kreis Offenbach, Pressemitteilung 11/2018)" in text  # the warning, whole
    assert "…" not in out.split("Warnings:")[1].split("\n\n")[0]


def test_unknown_metric_names_the_close_keys_not_all(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", OFFENBACH, "--metric", "integration")
    assert code == 2
    assert "close: integrations (Integrations)" in err
    assert len(err) < 300
    code, _, err = run(capsys, "show", OFFENBACH, "--metric", "foo")
    assert code == 2
    assert "k1e4_numerator" not in err
    assert len(err) < 120


@pytest.mark.parametrize(
    ("env", "args"),
    [
        ({"LANG": "C.UTF-8"}, ("--ascii",)),
        ({"LANG": "C"}, ()),
        ({"LANG": "de_DE.UTF-8", "TERM": "linux"}, ()),
    ],
)
@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("compare", [(), ("--compare", "Stadt Offenbach")])
def test_ascii_lang_c_and_the_linux_console_get_pure_ascii(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    args: tuple[str, ...],
    lang: str,
    compare: tuple[str, ...],
) -> None:
    for var in ("LC_ALL", "LC_CTYPE", "LANG", "TERM"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    code, out, _ = run(capsys, "show", OFFENBACH, "--lang", lang, *compare, *args)
    assert code == 0
    high = sorted({ch for ch in out if ord(ch) > 127})
    assert high == [], f"bytes above 127: {high}"
    assert ("off track: -85" in out) or ("nicht auf Kurs: -85" in out) or compare


def test_the_note_on_several_matches_is_german_with_lang_de(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "show", "stadt", "--lang", "de")
    assert code == 0
    head = " ".join(out.splitlines()[:6])
    assert "'stadt': 112 Treffer: Stadt Adlerberg" in head
    assert "und 104 weitere" in head
    assert "matches" not in head
    assert " more" not in head
