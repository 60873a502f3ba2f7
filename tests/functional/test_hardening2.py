"""Hardening II (issue 25): exports that no spreadsheet evaluates, config values refused in
one line, secrets that stay out of error lines (README "Hostile data")."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import polars as pl
import pytest

from jctui.cli import main
from jctui.presentation.inert import inert_cell, inert_frame

# What an attacker writes into a name, id, state or comparison type.
FORMULAS = (
    '=HYPERLINK("http://x","a")',
    "\t=1+1",
    "\r=2+2",
    "@SUM(1)",
    "+1",
    "-2+3",
    "https://evil.example",
)
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def months(n: int = 24) -> list[str]:
    return [f"{2017 + m // 12}-{m % 12 + 1:02d}" for m in range(n)]


def formula_csv(path: Path) -> Path:
    """Jobcenters whose id, name, state and comparison type are formulas, one of them
    falling (a negative change: a real number that must stay a number)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["jobcenter_id", "period", "metric", "value", "name", "state", "carrier", "comparison_type"]
    )
    for n, evil in enumerate(FORMULAS):
        ident = evil if n % 2 == 0 else f"J{n:02d}"
        for i, period in enumerate(months()):
            value = 300 - i if n == 0 else 100 + i
            writer.writerow([ident, period, "integrations", value, evil, evil, "zkT", evil])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def cells(text: str, separator: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=separator))


def assert_no_live_cell(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if cell.startswith(DANGEROUS):
                try:
                    float(cell.replace(",", "."))
                except ValueError:
                    pytest.fail(f"a cell a spreadsheet evaluates: {cell!r} in {row!r}")


def test_inert_cell_quotes_formulas_and_leaves_numbers() -> None:
    assert inert_cell('=HYPERLINK("http://x","a")') == '\'=HYPERLINK("http://x","a")'
    assert inert_cell("\t=1+1") == "'\t=1+1"
    assert inert_cell("@SUM(1)") == "'@SUM(1)"
    assert inert_cell("+1") == "'+1"  # we never write a plus sign: from the data
    assert inert_cell("-2+3") == "'-2+3"
    assert inert_cell("-2") == "-2"
    assert inert_cell("-2,5") == "-2,5"
    assert inert_cell("-1.5e-3") == "-1.5e-3"
    assert inert_cell("https://evil.example") == "https://evil.example"  # not a formula in CSV
    assert inert_cell("-3\n=1") == "'-3\n=1"
    assert inert_cell("-3\n") == "'-3\n"  # a number and a line more: no number, as Polars says
    frame = pl.DataFrame(
        {"name": ["=1", "-3", None, "ok", "-3\n"], "value": [-1.0, 2.0, None, 3.0, 4.0]}
    )
    assert inert_frame(frame).to_dict(as_series=False) == {
        "name": ["'=1", "-3", None, "ok", "'-3\n"],
        "value": [-1.0, 2.0, None, 3.0, 4.0],
    }


@pytest.mark.parametrize("dialect", ["plain", "de"])
def test_export_csv_writes_formulas_from_the_data_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dialect: str
) -> None:
    data = formula_csv(tmp_path / "formulas.csv")
    out = tmp_path / f"figures-{dialect}.csv"
    code = main(["export", "-o", str(out), "--source", str(data), "--dialect", dialect])
    assert code == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    rows = cells(text, ";" if dialect == "de" else ",")
    assert_no_live_cell(rows)
    flat = [c for row in rows for c in row]
    for evil in ('=HYPERLINK("http://x","a")', "@SUM(1)", "+1", "-2+3"):
        assert "'" + evil in flat, evil  # kept, as text
    assert "https://evil.example" in flat
    assert not any(c.startswith(("=", "@")) for c in flat)
    # a negative figure is still a number
    change = rows[0].index("Veränderung" if dialect == "de" else "change")
    falling = [row[change] for row in rows[1:] if row[change].startswith("-")]
    assert falling, "no negative change"
    assert all(float(c.replace(",", ".")) < 0 for c in falling), falling


def test_show_csv_writes_formulas_from_the_data_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = formula_csv(tmp_path / "formulas.csv")
    for query in ("HYPERLINK", "SUM", "evil"):
        code = main(["show", query, "--source", str(data), "--format", "csv"])
        out, err = capsys.readouterr()
        assert code == 0, err
        rows = cells(out, ",")
        assert_no_live_cell(rows)
    code = main(["show", "HYPERLINK", "--source", str(data), "--format", "csv", "--dialect", "de"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert_no_live_cell(cells(out, ";"))
    assert '\'=HYPERLINK("http://x","a")' in out.replace('""', '"')


def test_export_xlsx_writes_urls_and_formulas_as_strings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("xlsxwriter")
    data = formula_csv(tmp_path / "formulas.csv")
    out = tmp_path / "figures.xlsx"
    assert main(["export", "-o", str(out), "--source", str(data)]) == 0, capsys.readouterr().err
    with zipfile.ZipFile(out) as book:
        rels = [book.read(n).decode() for n in book.namelist() if n.endswith(".rels")]
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet  # no formula cell
    assert "<hyperlink" not in sheet  # no hyperlink
    assert not any("External" in r or "evil" in r for r in rels)  # no link target
    assert "https://evil.example" in strings  # the text itself is kept
    assert "=HYPERLINK(" in strings.replace("&quot;", '"')
    frame = pl.read_excel(out)
    assert "https://evil.example" in frame.get_column("Jobcenter").to_list()


# -- config values refused in one line ---------------------------------------------------

VALUES_SOURCE = """[[sources]]
name = "v"
path = "values.csv"
"""
K2 = """[rates.k2]
label_de = "Integrationsquote"
label_en = "Integration rate"
numerator = "integrations"
denominator = "elb"
"""
GENESIS_HTTP = """[[sources]]
name = "genesis"
url = "{url}"
[sources.http]
method = "POST"
auth = "genesis"
username_env = "GENESIS_USER"
password_env = "GENESIS_PASSWORD"
"""
# (config text, what the one line must say: the key and the allowed range)
BAD_CONFIGS = {
    "timeout_1e300": (
        VALUES_SOURCE + "[sources.http]\ntimeout = 1e300\n",
        "sources[0].http.timeout: must be a positive number of seconds, got 1e+300 (allowed: above 0, at most 86400",
    ),
    "header_row_10_12": (
        VALUES_SOURCE + "header_row = 1000000000000\n",
        "sources[0].header_row: must be 0 (find it) or a row number from 1 to 1048576",
    ),
    "overdue_months": (
        VALUES_SOURCE + "[refresh]\noverdue_months = -5\n",
        "refresh.overdue_months: must be a number of months from 0 to 24, got -5",
    ),
    "denominator_lag": (
        VALUES_SOURCE + K2 + "denominator_lag = -3\n",
        "rates.k2.denominator_lag: must be a number of periods from 0 to 120, got -3",
    ),
    "idle_resume": (
        VALUES_SOURCE + "[kiosk]\nidle_resume = -1\n",
        "kiosk.idle_resume: must be a number of seconds from 0 to 86400",
    ),
    "scale_nan": (
        VALUES_SOURCE + K2 + "scale = nan\n",
        "rates.k2.scale: must be a positive finite number",
    ),
    "separator": (
        VALUES_SOURCE + 'separator = ";;"\n',
        'sources[0].separator: must be "auto", "tab" or one ASCII character',
    ),
    "genesis_over_http": (
        GENESIS_HTTP.format(url="http://genesis.example/genesisWS/rest/2020/data/tablefile"),
        'sources[0].http.auth: auth = "genesis" sends the login in clear text over http://',
    ),
    "form_username": (
        GENESIS_HTTP.format(url="https://genesis.example/tablefile")
        + 'form = { name = "82111-0001", username = "DE1234567X" }\n',
        "sources[0].http.form.username: a login or token is never written in the config",
    ),
    "params_token": (
        '[[sources]]\nname = "api"\nurl = "https://api.example/x"\n'
        '[sources.http]\nparams = { Api-Key = "k" }\n',
        "sources[0].http.params.Api-Key: a login or token is never written in the config",
    ),
    "authorization_over_http": (
        '[[sources]]\nname = "api"\nurl = "http://api.example/x"\n'
        '[sources.http]\nheaders = { Authorization = "Basic eDp5" }\n',
        "sources[0].http.headers.Authorization: a credential header is sent in clear text",
    ),
    "window_zero": ('window = "0"\n' + VALUES_SOURCE, "window: must be from 1 to 120 periods"),
    "dwell_inf": (
        VALUES_SOURCE + '[kiosk]\n[[kiosk.playlist]]\nview = "overview"\ndwell = inf\n',
        "kiosk.playlist[0].dwell: must be positive, at most 86400",
    ),
}


def write_values(folder: Path) -> None:
    rows = ["jobcenter_id,period,metric,value,name,state,carrier"]
    rows += [f"J1,{p},integrations,{10 + i},Town,HE,zkT" for i, p in enumerate(months())]
    (folder / "values.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_a_config_value_out_of_range_is_one_line_naming_key_and_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    text, expected = BAD_CONFIGS[case]
    write_values(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    code = main(["check", "--config", str(config)])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"jctui: error: {config}: "), lines[0]
    assert expected in lines[0], lines[0]
    assert "DE1234567X" not in err  # a login written in the form is not repeated


def test_a_3000_deep_inline_table_is_one_line_not_a_recursion_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    config = tmp_path / "deep.toml"
    config.write_text("x = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "jctui", "check", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"jctui: error: {config}: x: tables or arrays nested more than 32 deep "
        "(a jctui config nests at most 4)"
    ]
    shallow = tmp_path / "shallow.toml"  # deep, but within the stack: refused the same way
    shallow.write_text("y = " + "[" * 40 + "]" * 40 + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "jctui", "check", "--config", str(shallow)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "y: tables or arrays nested more than 32 deep" in done.stderr
    assert "Traceback" not in done.stderr


def test_genesis_over_plain_http_to_loopback_is_allowed(tmp_path: Path) -> None:
    from jctui.config import load_config_file

    config = tmp_path / "local.toml"
    config.write_text(
        GENESIS_HTTP.format(url="http://127.0.0.1:9/genesisWS/rest/2020/data/tablefile"),
        encoding="utf-8",
    )
    assert load_config_file(config).sources[0].http.auth == "genesis"


def test_a_target_for_an_unknown_jobcenter_is_a_problem_in_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_values(tmp_path)
    (tmp_path / "targets.csv").write_text(
        "jobcenter_id,year,metric,target\nJ1,2018,integrations,200\nJ99,2018,integrations,5\n",
        encoding="utf-8",
    )
    config = tmp_path / "config.toml"
    config.write_text(
        VALUES_SOURCE + '[[sources]]\nname = "t"\npath = "targets.csv"\nrole = "targets"\n',
        encoding="utf-8",
    )
    code = main(["check", "--config", str(config)])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    (line,) = [x for x in out.splitlines() if "targets:" in x and "problem" in x]
    assert "J99" in line
    assert "J1," not in line
    assert "targets.jobcenter_id must be an id of the registry" in line


# -- secrets never shown ----------------------------------------------------------------

SECRET = "hunter2-Sup3rS3cret"


def folder_with_a_link_out(tmp_path: Path) -> Path:
    """A watched folder with one good table and a link to an env file outside it."""
    env = tmp_path / "secrets.env"
    env.write_text(f"GENESIS_PASSWORD={SECRET}\nGENESIS_USER=DE1234567X\n", encoding="utf-8")
    folder = tmp_path / "downloads"
    folder.mkdir()
    write_values(folder)
    (folder / "secrets.csv").symlink_to(env)
    (folder / "nested.csv").symlink_to(tmp_path)  # a link to a folder: not a file either
    return folder


@pytest.mark.parametrize("command", ["check", "show"])
def test_a_folder_follows_no_link_out_of_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    folder = folder_with_a_link_out(tmp_path)
    args = ["show", "Town"] if command == "show" else ["check"]
    code = main([*args, "--source", str(folder)])
    out, err = capsys.readouterr()
    assert code == 0, (out, err)
    assert SECRET not in out + err
    assert "GENESIS_PASSWORD" not in out + err
    assert "Town" in out or command == "check"
    pattern = main([*args, "--source", str(folder / "*.csv")])  # a glob: the same rule
    out, err = capsys.readouterr()
    assert pattern == 0, (out, err)
    assert SECRET not in out + err


def test_a_link_inside_the_folder_is_still_read(tmp_path: Path) -> None:
    from jctui.config import SourceDef
    from jctui.sources.file import folder_files

    folder = folder_with_a_link_out(tmp_path)
    (folder / "latest.csv").symlink_to(folder / "values.csv")
    names = [p.name for p in folder_files(SourceDef(name="f", path=str(folder)))]
    assert sorted(names) == ["latest.csv", "values.csv"]


def test_a_file_swapped_for_a_link_out_after_the_listing_is_refused(tmp_path: Path) -> None:
    from jctui.errors import SourceError
    from jctui.sources.file import fetch_one

    folder = folder_with_a_link_out(tmp_path)
    swapped = folder / "values.csv"
    swapped.unlink()
    swapped.symlink_to(tmp_path / "secrets.env")
    with pytest.raises(SourceError) as caught:
        fetch_one(swapped, settle=0.0, within=folder.resolve())
    assert "a link out of the folder" in str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    "header",
    [
        "GENESIS_PASSWORD=" + "x" * 1_000_000,  # a 1 MB header line of one field
        ",".join(f"field{i}_" + "y" * 50_000 for i in range(20)),  # 20 fields of 50 KB
        ";".join(f"c{i}" for i in range(3000)),  # 3000 short fields
    ],
    ids=["one_1mb_field", "twenty_50kb_fields", "3000_fields"],
)
def test_an_error_line_quotes_at_most_the_header_fields_it_names_cut_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str
) -> None:
    """A file's content reaches an error line only as the header fields it names (the
    first 20, each at most 60 characters, inert), the line at most 1,000 characters; no
    data row is quoted."""
    path = tmp_path / "wide.csv"
    path.write_text(header + f"\nROW-{SECRET}\n", encoding="utf-8")
    code = main(["check", "--source", str(path)])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err[:500]
    assert len(lines[0]) <= 1_000 + len("jctui: error: "), len(lines[0])
    assert lines[0].startswith(f"jctui: error: {path}: "), lines[0][:300]
    assert SECRET not in err
    assert "x" * 61 not in err
    assert "y" * 61 not in err


def test_a_secret_at_the_cut_of_a_long_error_line_is_still_taken_out() -> None:
    """The secret is removed before the line is cut: no part of it is left at the end."""
    from jctui.errors import SourceError

    message = "a" * 990 + f" said: {SECRET}"
    shown = str(SourceError(message).without((SECRET,)))
    assert len(shown) <= 1_000
    assert SECRET[:3] not in shown.replace("***", "")
