"""Hostile data: files written by an attacker or by a producer caught mid-write.

What is promised (README, "Hostile data"):
- no escapes: a name, id, header or key from the data never drives the terminal (no title
  change, no clipboard write, no colours, no reordering, no look-alike through invisible
  characters), in `show` (table, JSON, CSV), in error lines and in the dashboard;
- a file being written never replaces good data;
- extreme values, a screenshot folder that is a file, an output that cannot be written:
  one line, a documented exit code, never a traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jctui.cli import main

# A Jobcenter name as an attacker writes it: OSC 2 (window title), OSC 52 (clipboard:
# base64 of "pwned"), SGR colours, a one-character C1 CSI, a bidi override, a zero-width space.
EVIL = "\x1b]2;PWNED\x07\x1b]52;c;cHduZWQ=\x07\x1b[31mRED\x1b[0m\u009b31m\u202eevil\u200bx"
# Characters that must never reach a terminal (newline aside, which ends our own lines).
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)


def assert_inert(text: str) -> None:
    found = UNSAFE.findall(text)
    assert not found, f"unsafe characters reach the terminal: {found!r} in {text[:300]!r}"


def months(n: int = 24) -> list[str]:
    return [f"{2017 + m // 12}-{m % 12 + 1:02d}" for m in range(n)]


def hostile_csv(path: Path, evil_id: str = "X" + EVIL, evil_name: str = "Name " + EVIL) -> Path:
    """20 ordinary Jobcenters, then one whose id and name carry escape sequences (after the
    first 4 KB, so the file does not look binary)."""
    rows = ["jobcenter_id,period,metric,value,name,state,carrier"]
    for n in range(20):
        rows += [
            f"J{n:02d},{p},integrations,{100 + i},{f'Town {n:02d}' if i == 0 else ''},HE,zkT"
            for i, p in enumerate(months())
        ]
    rows += [
        f"{evil_id},{p},integrations,{100 + i},{evil_name if i == 0 else ''},HE,zkT"
        for i, p in enumerate(months())
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- no escapes: the command line --------------------------------------------------------


def test_show_table_json_and_csv_carry_no_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = hostile_csv(tmp_path / "evil.csv")
    code, table, err = run(capsys, "show", "Name", "--source", str(data), "--lang", "en")
    assert code == 0, err
    assert_inert(table + err)
    assert "Name ?]2;PWNED??]52;c;" in table  # shown, but inert and visible
    assert "evil?x" in table  # the zero-width space is visible: no look-alike name

    code, out, err = run(capsys, "show", "Name", "--source", str(data), "--format", "json")
    assert code == 0, err
    assert_inert(out + err)
    assert "\\u009b31m\\u202eevil\\u200bx" in out  # escaped as JSON escapes ...
    (jc,) = json.loads(out)["jobcenters"]
    assert (jc["id"], jc["name"]) == ("X" + EVIL, "Name " + EVIL)  # ... so nothing is lost

    code, out, err = run(capsys, "show", "Name", "--source", str(data), "--format", "csv")
    assert code == 0, err
    assert_inert(out + err)
    assert "X?]2;PWNED" in out


def test_show_compare_and_notes_carry_no_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = hostile_csv(tmp_path / "evil.csv", evil_name="Town " + EVIL)
    code, out, err = run(
        capsys, "show", "Town 01", "--compare", "Town", "--source", str(data), "--lang", "en"
    )
    assert code == 0, err
    assert "21 matches" in out  # the note on the query names every match, inertly
    assert_inert(out + err)


def test_error_lines_quote_names_headers_and_keys_inertly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = hostile_csv(tmp_path / "evil.csv")
    code, out, err = run(capsys, "show", "Nmae " + EVIL[:12], "--source", str(data))
    assert code == 1
    assert "closest: Name ?]2;PWNED" in err  # the suggestion, inert
    assert_inert(out + err)

    header = tmp_path / "header.csv"  # a header name with escapes, and a required column missing
    header.write_text(f"jobcenter_id,period,value,{EVIL}\nA,2018-01,1,x\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "--source", str(header))
    assert code == 2
    assert "missing column" in err
    assert "?[31mRED" in err
    assert_inert(out + err)

    keys = tmp_path / "keys.json"  # a JSON object whose list sits under a hostile key
    keys.write_text(json.dumps({EVIL: [{"a": 1}]}), encoding="utf-8")
    code, out, err = run(capsys, "check", "--source", str(keys))
    assert code == 2
    assert "records_path" in err
    assert_inert(out + err)


def test_an_error_line_from_an_exception_text_is_inert(tmp_path: Path) -> None:
    """Even a message formed by a library (Polars, the json module) is made inert: the rule
    sits in the error type itself, not at each place that raises."""
    from jctui.errors import SourceError

    assert_inert(str(SourceError(f"{tmp_path}/x.csv: bad header {EVIL}")))


# -- crashes ---------------------------------------------------------------------------


def test_values_at_the_float_limits_do_not_crash_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "huge.csv"
    rows = ["jobcenter_id,period,metric,value,name"]
    for jc in ("A", "B"):
        for i, p in enumerate(months()):
            rows.append(f"{jc},{p},integrations,{('1e308', '-1e308', '5')[i % 3]},Big {jc}")
            rows.append(f"{jc},{p},elb,{('1e308', '-1e308', '7', '1.7976931348623157e308')[i % 4]},Big {jc}")  # fmt: skip
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for fmt in ("table", "json", "csv"):
        code, _out, err = run(capsys, "show", "Big A", "--source", str(data), "--format", fmt)
        assert code == 0, err
        assert "internal error" not in err


def test_sparkline_survives_every_float() -> None:
    from jctui.presentation.text import sparkline

    line = sparkline([1e308, -1e308, 0.0, float("inf"), float("nan"), None, -float("inf"), 5e-324])
    assert line == "█▁▅    ▅"


def test_output_that_cannot_be_written_is_one_line_and_exit_2(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "jctui", "show", "Kreis Offenbach"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2
    assert proc.stderr == "jctui: error: standard output: No space left on device\n"


# -- no escapes and no crashes: the dashboard (Textual's Pilot) ---------------------------


def huge_csv(path: Path) -> Path:
    rows = ["jobcenter_id,period,metric,value,name"]
    for jc in ("A", "B"):
        for i, p in enumerate(months()):
            rows.append(f"{jc},{p},integrations,{('1e308', '-1e308', '5')[i % 3]},Big {jc}")
            rows.append(f"{jc},{p},elb,{('1e308', '-1e308', '7')[i % 3]},Big {jc}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


async def test_dashboard_copy_palette_and_header_show_hostile_names_inertly(
    tmp_path: Path,
) -> None:
    from jctui.config import load_config
    from tests.functional.test_ui import make_app, ready

    data = hostile_csv(tmp_path / "evil.csv")
    app = make_app(load_config(None).with_source(str(data)), as_of=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app, None)
        app.choose_jobcenter("X" + EVIL)
        await pilot.pause(0.3)
        assert_inert(app.export_screenshot())
        await pilot.press("c")  # copy the focused figure: the clipboard and the notification
        await pilot.pause(0.2)
        assert app.clipboard.startswith("Name ?]2;PWNED??]52;c;cHduZWQ=??[31mRED")
        assert_inert(app.clipboard)
        assert any("Copied: Name ?]2;PWNED" in text for _, text in app.notices)
        for _, text in app.notices:
            assert_inert(text)
        await pilot.press("ctrl+p", *"Name")  # the palette's hit and its help line (id, state)
        await pilot.pause(0.8)
        palette = app.export_screenshot()
        assert "X?]2;PWNED" in palette
        assert_inert(palette)


async def test_dashboard_error_reason_quoting_a_hostile_header_is_inert(tmp_path: Path) -> None:
    from jctui.config import load_config
    from jctui.ui.messages import LoadFailed
    from tests.functional.test_ui import header, make_app

    data = tmp_path / "evil.csv"
    data.write_text(f"jobcenter_id,period,value,{EVIL}\nA,2018-01,1,x\n", encoding="utf-8")
    app = make_app(load_config(None).with_source(str(data)), as_of=None)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(60):
            await pilot.pause(0.05)
            if app.seen_of(LoadFailed):
                break
        await pilot.pause(0.2)
        assert "missing column" in header(app)
        assert "?[31mRED" in header(app)
        assert_inert(header(app))
        for _, text in app.notices:
            assert_inert(text)
        assert_inert(app.export_screenshot())


async def test_dashboard_survives_values_at_the_float_limits(tmp_path: Path) -> None:
    from jctui.config import load_config
    from jctui.ui.widgets.metric_tile import MetricTile
    from tests.functional.test_ui import make_app, ready

    app = make_app(load_config(None).with_source(str(huge_csv(tmp_path / "huge.csv"))), as_of=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app, None)
        await pilot.pause(0.2)
        tiles = list(app.query(MetricTile))
        assert tiles
        await pilot.press("2")
        await pilot.pause(0.3)
        await pilot.press("3")
        await pilot.pause(0.3)
        assert "values beyond the range a chart can show" in app.export_screenshot().replace(
            "&#160;", " "
        )
        await pilot.press("4", "1")
        await pilot.pause(0.3)
        assert app.is_running
        assert "Big" in app.export_screenshot()


async def test_screenshot_folder_that_is_a_file_is_one_notification(tmp_path: Path) -> None:
    import dataclasses

    from jctui.config import load_config
    from tests.functional.test_ui import make_app, ready

    blocker = tmp_path / "shots"
    blocker.write_text("not a folder", encoding="utf-8")
    app = make_app(dataclasses.replace(load_config(None), screenshot_dir=str(blocker)))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert app.is_running
        errors = [text for severity, text in app.notices if severity == "error"]
        assert len(errors) == 1
        assert errors[0].startswith("Screenshot not saved: ")
        assert str(blocker) in errors[0]
        assert "\n" not in errors[0]
