"""`jctui export`: every format written and read back as a spreadsheet user would."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from jctui.cli import main


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json", "xlsx"])
def test_export_group_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    out = tmp_path / f"figures.{fmt}"
    code = main(["export", "-o", str(out), "--group", "IIb", "--at", "2017-12", "--lang", "en"])
    assert code == 0
    said = capsys.readouterr().out
    assert f"to {out} (demo data, synthetic figures)" in said
    if fmt == "json":
        report = json.loads(out.read_text(encoding="utf-8"))
        assert report["as_of"] == "2017-12"
        assert report["demo"] is True
        assert {j["comparison_type"] for j in report["jobcenters"]} == {"IIb"}
        return
    if fmt == "xlsx":  # for people: labels, not keys
        frame = pl.read_excel(out)
        assert set(frame.get_column("Comparison type")) == {"IIb"}
        row = frame.filter(
            (pl.col("Jobcenter") == "Kreis Offenbach") & (pl.col("Figure") == "Integrations")
        )
        assert row.item(0, "12-month sum") == 4236
        assert row.item(0, "Kind") == "flow"
        assert "window_sum" not in frame.columns
        return
    readers: dict[str, Callable[[Path], pl.DataFrame]] = {
        "csv": pl.read_csv,
        "parquet": pl.read_parquet,
    }
    frame = readers[fmt](out)
    assert set(frame.get_column("comparison_type")) == {"IIb"}
    assert frame.get_column("demo").to_list() == [True] * frame.height
    offenbach = frame.filter(
        (pl.col("name") == "Kreis Offenbach") & (pl.col("figure") == "integrations")
    )
    assert offenbach.item(0, "window_sum") == 4236
    assert said.startswith(f"wrote {frame.height} figures of ")


def test_export_chosen_jobcenters_and_metrics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "two.csv"
    assert main(["export", "-o", str(out), "--jobcenter", "offenb", "--metric", "elb"]) == 0
    frame = pl.read_csv(out)
    assert sorted(set(frame.get_column("name"))) == ["Kreis Offenbach", "Stadt Offenbach am Main"]
    assert set(frame.get_column("figure")) == {"elb"}  # only the figure asked for
    both = tmp_path / "both.csv"
    assert (
        main(
            [
                "export",
                "-o",
                str(both),
                "--jobcenter",
                "offenb",
                "--metric",
                "elb",
                "--metric",
                "k2",
            ]
        )
        == 0
    )
    assert set(pl.read_csv(both).get_column("figure")) == {"elb", "k2"}


def test_german_csv_dialect_opens_as_a_table_in_german_excel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain, german = tmp_path / "plain.csv", tmp_path / "de.csv"
    args = ["export", "--jobcenter", "Kreis Offenbach", "--at", "2017-12"]
    assert main([*args, "-o", str(plain)]) == 0
    assert main([*args, "-o", str(german), "--dialect", "de", "--lang", "de"]) == 0
    raw = german.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the umlauts as UTF-8
    header = raw[3:].decode("utf-8").splitlines()[0]
    assert header.startswith("Stichmonat;Jobcenter-Nr.;Jobcenter;Land;")
    frame = pl.read_csv(german, separator=";", decimal_comma=True)
    keys = pl.read_csv(plain)
    assert frame.height == keys.height
    integrations = frame.filter(pl.col("Kennzahl") == "Integrationen")
    assert integrations.item(0, "12-Monats-Summe") == 4236
    assert integrations.item(0, "Demodaten") == "ja"
    pct = keys.filter(pl.col("figure") == "integrations").item(0, "change_pct")
    assert integrations.item(0, "Veränderung %") == round(pct, 1)
    assert ",".join(f"{round(pct, 1):.1f}".split(".")) in raw.decode("utf-8")  # 2,5 not 2.5
    show_out = capsys.readouterr().out
    assert "wrote" in show_out
    assert (
        main(
            [
                "show",
                "Kreis Offenbach",
                "--at",
                "2017-12",
                "--format",
                "csv",
                "--dialect",
                "de",
                "--lang",
                "de",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.splitlines()[0].lstrip("\ufeff") == header


def test_export_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "-o", str(tmp_path / "x.ods")]) == 2
    assert "cannot tell the format from the name" in capsys.readouterr().err
    assert main(["export", "-o", str(tmp_path / "x.csv"), "--group", "ZZ"]) == 2
    assert "--group 'ZZ': no such comparison_type" in capsys.readouterr().err


def test_no_direction_no_rank_and_rank_by_says_what_is_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Customers (better = "none") have no rank; metrics rank by change, K2 by level."""
    out = tmp_path / "all.json"
    assert main(["export", "-o", str(out), "--at", "2018-07"]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    jc = next(j for j in report["jobcenters"] if j["name"] == "Kreis Offenbach")
    customers = jc["metrics"]["customers"]
    assert [customers[f] for f in ("rank", "rank_of", "group_rank", "group_rank_of")] == [None] * 4
    assert customers["rank_by"] is None
    assert jc["metrics"]["integrations"]["rank_by"] == "change"
    assert jc["rates"]["k2"]["rank_by"] == "level"
    # K2 really is ranked by its level: the highest K2 is rank 1
    k2 = [(j["rates"]["k2"]["value"], j["rates"]["k2"]["rank"]) for j in report["jobcenters"]]
    assert max(k2)[1] == 1
    csv = tmp_path / "all.csv"
    assert main(["export", "-o", str(csv), "--at", "2018-07"]) == 0
    frame = pl.read_csv(csv, schema_overrides={"jobcenter_id": pl.String})
    assert frame.filter(pl.col("figure") == "customers").get_column("rank").null_count() == 407
    by = dict(frame.group_by("figure").agg(pl.col("rank_by").first()).iter_rows())
    assert by == {"integrations": "change", "apprenticeships": "change", "elb": "change",
                  "long_term_recipients": "change", "customers": None, "k2": "level"}  # fmt: skip
    _, help_text = main_help(capsys, "export")
    assert "rates such as K2 by their level" in help_text
    assert 'better = "none" (customers) has no rank' in help_text


def main_help(capsys: pytest.CaptureFixture[str], command: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    return int(done.value.code or 0), " ".join(capsys.readouterr().out.split())


def test_a_jobcenter_without_data_at_the_month_is_listed_with_empty_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "late.csv"
    rows = ["jobcenter_id,period,metric,value,name"]
    rows += [f"A,2018-{m:02d},integrations,{40 + m},Kreis A" for m in range(1, 13)]
    rows += ["B,2018-11,integrations,7,Kreis B", "B,2018-12,integrations,8,Kreis B"]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    source = ["--source", str(data), "--at", "2018-06"]
    for fmt in ("csv", "json"):
        out = tmp_path / f"listed.{fmt}"
        assert main(["export", "-o", str(out), *source]) == 0
        if fmt == "json":
            report = json.loads(out.read_text(encoding="utf-8"))
            late = next(j for j in report["jobcenters"] if j["id"] == "B")
            assert set(late["metrics"]) == {"integrations", "apprenticeships", "elb",
                                            "long_term_recipients", "customers"}  # fmt: skip
            assert late["metrics"]["integrations"]["value"] is None
            assert late["rates"]["k2"]["value"] is None
        else:
            frame = pl.read_csv(out)
            late = frame.filter(pl.col("jobcenter_id") == "B")
            assert late.height == 6  # five metrics and K2, all empty
            assert late.get_column("value").null_count() == 6
    capsys.readouterr()
    assert main(["show", "Kreis B", *source, "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)["jobcenters"][0]
    assert shown["metrics"] == late_json_metrics(report)


def late_json_metrics(report: dict[str, object]) -> object:
    """The late starter's metrics as export says them: show says the same."""
    jobcenters = report["jobcenters"]
    assert isinstance(jobcenters, list)
    return next(j for j in jobcenters if j["id"] == "B")["metrics"]


def test_every_export_column_has_a_german_and_an_english_label() -> None:
    """`--dialect de` and xlsx label their headers: no column may stay a raw key."""
    from jctui.i18n import COLUMN_LABELS
    from jctui.views.report_table import ROW_SCHEMA

    assert set(ROW_SCHEMA) - set(COLUMN_LABELS) == set()


def test_the_window_is_named_as_configured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`window = "6"`: the JSON says so, the sum is of 6 months and every label says 6."""
    config = tmp_path / "config.toml"
    config.write_text('window = "6"\n', encoding="utf-8")
    args = ["export", "--config", str(config), "--jobcenter", "Kreis Offenbach", "--at", "2017-12"]
    out = tmp_path / "six.json"
    assert main([*args, "-o", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["window"] == "6"
    six = report["jobcenters"][0]["metrics"]["integrations"]["window_sum"]
    assert 0 < six < 4236  # half a year of 2017's 4,236 placements
    german, english = tmp_path / "de.csv", tmp_path / "en.xlsx"
    assert main([*args, "-o", str(german), "--dialect", "de", "--lang", "de"]) == 0
    assert main([*args, "-o", str(english), "--lang", "en"]) == 0
    frame = pl.read_csv(german, separator=";", decimal_comma=True)
    assert "6-Monats-Summe" in frame.columns
    assert "6-Monats-Summe Vorjahr" in frame.columns
    assert not [c for c in frame.columns if "12" in c]
    integrations = frame.filter(pl.col("Kennzahl") == "Integrationen")
    assert integrations.item(0, "6-Monats-Summe") == six
    assert {"6-month sum", "6-month sum previous year"} <= set(pl.read_excel(english).columns)
    capsys.readouterr()
    show = ["show", "Kreis Offenbach", "--config", str(config), "--at", "2017-12", "--lang"]
    assert main([*show, "de"]) == 0
    assert "6 Mon./Vorj." in capsys.readouterr().out
    assert main([*show, "en", "--compare", "Stadt Offenbach"]) == 0
    assert "flows: 6-month sum" in capsys.readouterr().out


def test_the_window_in_words() -> None:
    from jctui.i18n import window_label

    assert window_label("window_sum", "de", "12") == "12 Monate"
    assert window_label("window_sum", "en", "6") == "6 months"
    assert window_label("window_short", "de", "30d") == "30 T."
    assert window_label("window_mean", "en", "30d") == "30-day mean"
    assert window_label("window_sum_prev", "en", "1") == "1 month prev. year"


def test_show_and_export_have_a_figure_the_catalogue_lacks_under_its_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.samples.generate import genesis_table

    sample = genesis_table()
    path = tmp_path / sample.file_name
    path.write_bytes(sample.data)
    out = tmp_path / "out.csv"
    assert main(["export", "--source", str(path), "-o", str(out), "--jobcenter", "06438"]) == 0
    rows = pl.read_csv(out, infer_schema=False).filter(pl.col("figure") == "sgb_ii_quote")
    quote = sample.expected[("06438", "2017-12", "sgb_ii_quote")]
    assert rows.select("jobcenter_id", "value").rows() == [("06438", f"{quote}")]
    capsys.readouterr()
    assert main(["show", "06438", "--source", str(path), "--lang", "en"]) == 0
    assert "SGB II-Quote" in capsys.readouterr().out  # its label as the file gives it
