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
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from jctui.cli import main
from tests.functional.test_ui import plot_of
from tests.httpserver import LocalServer

if TYPE_CHECKING:
    from jctui.session.refresh import Refresher

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
    assert_inert(out + err)  # the query quoted, inert
    code, out, err = run(capsys, "show", "Nmae", "--source", str(data))
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
        code, out, err = run(capsys, "show", "Big A", "--source", str(data), "--format", fmt)
        assert code == 0, err
        assert "internal error" not in err
        if fmt == "table":  # short numbers, not 400 digits: the table keeps its shape
            assert "1.00e+308" in out
            assert max(len(line) for line in out.splitlines()) <= 90


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
        assert any("clipboard: Name ?]2;PWNED" in text for _, text in app.notices)
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
    async with app.run_test(size=(240, 30)) as pilot:  # room for the whole reason
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
        await plot_of(pilot, app)  # the chart's lines come from a worker
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


# -- a file being written never replaces good data ---------------------------------------


def figures_csv(jobcenters: int = 40, months_n: int = 24) -> str:
    """A canonical CSV of `jobcenters` Jobcenters (sorted by Jobcenter, as exports are)."""
    rows = ["jobcenter_id,period,metric,value,name,state,carrier"]
    for n in range(jobcenters):
        rows += [
            f"J{n:02d},{p},integrations,{100 + i},Jobcenter {n:02d},HE,zkT"
            for i, p in enumerate(months(months_n))
        ]
    return "\n".join(rows) + "\n"


def test_a_file_rewritten_in_place_while_it_is_read_is_never_taken_half_written(
    tmp_path: Path,
) -> None:
    """A writer thread rewrites the export in place (truncate, then write in chunks, as a
    producer does) while it is read again and again: every read is whole or refused."""
    import random
    import threading
    import time

    from jctui.config import load_config
    from jctui.errors import SourceError
    from jctui.session.load import load_dataset

    data = tmp_path / "figures.csv"
    text = figures_csv()
    data.write_text(text, encoding="utf-8")
    config = load_config(None).with_source(str(data))
    lines = text.splitlines(keepends=True)
    stop = threading.Event()
    rng = random.Random(7)

    def writer() -> None:
        while not stop.is_set():
            with open(data, "w", encoding="utf-8") as fh:  # truncates: readers see it grow
                for start in range(0, len(lines), 60):
                    fh.write("".join(lines[start : start + 60]))
                    fh.flush()
                    time.sleep(0.002)
            stop.wait(rng.uniform(0.1, 0.4))

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    whole = refused = 0
    try:
        for _ in range(40):
            try:
                dataset = load_dataset(config)
            except SourceError:
                refused += 1
            else:
                assert dataset.registry.height == 40  # never a partial read
                assert dataset.values.height == 40 * 24
                whole += 1
            time.sleep(rng.uniform(0, 0.05))
    finally:
        stop.set()
        thread.join(timeout=5)
    assert whole > 0  # the reads were not simply all refused


def shrink_refresher(data: Path) -> Refresher:
    import time

    from jctui.config import load_config
    from jctui.session.refresh import Refresher

    return Refresher(load_config(None).with_source(str(data)), now=time.monotonic, quiet=0.3)


def test_a_read_that_shrinks_the_data_is_held_back_until_a_second_read_confirms_it(
    tmp_path: Path,
) -> None:
    import time

    from jctui.sources import cache

    data = tmp_path / "figures.csv"
    data.write_text(figures_csv(40), encoding="utf-8")
    ref = shrink_refresher(data)
    dataset, _, _ = ref.refresh(force=True)
    assert dataset is not None
    assert dataset.registry.height == 40
    src = ref.states["cli"].source

    data.write_text(figures_csv(12), encoding="utf-8")  # cut at a line end: it parses
    time.sleep(0.15)
    dataset, notices, changed = ref.refresh(force=True)
    assert dataset is not None
    assert dataset.registry.height == 40  # the good data stays ...
    assert not changed
    state, reason, _, _ = ref.summary()
    assert state == "stale"  # ... and is not called fresh ...
    assert "only 12 of 40 Jobcenters" in reason  # ... and the reason says why
    assert [n.kind for n in notices] == ["failure"]
    cached = cache.load(src)
    assert cached is not None
    assert cached.registry.height == 40  # the offline cache keeps the good data too

    time.sleep(0.35)  # the quiet period
    dataset, notices, changed = ref.refresh(force=True)  # the same bytes again: confirmed
    assert dataset is not None
    assert dataset.registry.height == 12
    assert changed
    assert ref.summary()[0] == "fresh"
    assert any("confirmed by a second read" in n.message for n in notices)
    cached = cache.load(src)
    assert cached is not None
    assert cached.registry.height == 12


def test_a_shrunk_read_followed_by_the_whole_file_never_shows_the_shrunk_one(
    tmp_path: Path,
) -> None:
    import time

    data = tmp_path / "figures.csv"
    data.write_text(figures_csv(40), encoding="utf-8")
    ref = shrink_refresher(data)
    ref.refresh(force=True)
    data.write_text(figures_csv(12), encoding="utf-8")
    time.sleep(0.15)
    dataset, _, _ = ref.refresh(force=True)
    assert dataset is not None
    assert dataset.registry.height == 40
    data.write_text(figures_csv(40), encoding="utf-8")  # the producer finished
    time.sleep(0.15)
    dataset, notices, _ = ref.refresh(force=True)
    assert dataset is not None
    assert dataset.registry.height == 40
    assert ref.summary()[0] == "fresh"
    assert [n.kind for n in notices] == ["recovery"]


def test_an_offline_cache_that_cannot_be_written_is_one_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the cache folder cannot be made
    data = tmp_path / "figures.csv"
    data.write_text(figures_csv(3), encoding="utf-8")
    ref = shrink_refresher(data)
    dataset, notices, _ = ref.refresh(force=True)
    assert dataset is not None  # the data is shown all the same
    assert len(notices) == 1
    assert notices[0].kind == "failure"
    assert "offline cache not written" in notices[0].message
    data.write_text(figures_csv(4), encoding="utf-8")
    _, notices, _ = ref.refresh(force=True)
    assert notices == []  # said once, not on every refresh


# -- files that are read wrongly ---------------------------------------------------------


def test_cr_only_line_endings_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "mac.csv"  # "CSV (Macintosh)" from Excel: CR alone ends a line
    data.write_bytes(figures_csv(3, 12).replace("\n", "\r").encode("cp1252"))
    code, out, err = run(capsys, "check", "--source", str(data))
    assert code == 0, out + err
    assert "rows:       36" in out
    assert "jobcenters: 3" in out


def test_a_rejected_row_does_not_change_the_registry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "figures.csv"
    text = figures_csv(2, 12)
    text += "J00,2018-01,integrations,not a number,Renamed by a bad row,BY,gE\n"
    data.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "show", "J00", "--source", str(data), "--format", "json")
    assert code == 0, err
    (jc,) = json.loads(out)["jobcenters"]
    assert (jc["name"], jc["state"], jc["carrier"]) == ("Jobcenter 00", "HE", "zkT")


def test_a_header_only_file_is_a_problem_in_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "header.csv"
    data.write_text("jobcenter_id,period,metric,value\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--source", str(data))
    assert code == 1
    assert "OK" not in out
    assert "no data rows" in out


def test_an_empty_source_option_is_an_error_not_demo_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "show", "Kreis Offenbach", "--source", "")
    assert code == 2
    assert out == ""
    assert err == "jctui: error: --source: empty (give a file path or URL)\n"


def test_duplicate_json_keys_are_an_error_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "dup.json"
    data.write_text(
        '[{"jobcenter_id": "A", "period": "2018-01", "metric": "integrations",'
        ' "value": 1, "value": 1000}]',
        encoding="utf-8",
    )
    code, _, err = run(capsys, "check", "--source", str(data))
    assert code == 2
    assert "duplicate key 'value'" in err

    lines = tmp_path / "dup.ndjson"  # NDJSON: that line is set aside, the others are used
    lines.write_text(
        '{"jobcenter_id": "A", "period": "2018-01", "metric": "integrations", "value": 1}\n'
        '{"jobcenter_id": "A", "period": "2018-02", "metric": "integrations", "value": 1,'
        ' "value": 1000}\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", "--source", str(lines))
    assert code == 1
    assert "duplicate key 'value'" in out


# -- untidy: the offline cache ------------------------------------------------------------


def test_leftovers_of_killed_refreshes_are_removed_on_start_and_write(tmp_path: Path) -> None:
    """kill -9 during a refresh leaves temporary and unnamed data files; they go once they
    are a minute old, on the next start or write. Young ones (another process's write in
    progress) and files that are not ours stay."""
    import os
    import time

    from jctui.locations import cache_dir
    from jctui.sources import cache

    data = tmp_path / "figures.csv"
    data.write_text(figures_csv(3), encoding="utf-8")
    ref = shrink_refresher(data)
    ref.refresh(force=True)
    folder = cache_dir()
    key = cache.source_key(ref.states["cli"].source)
    (kept,) = [p.name for p in folder.glob("*.arrow")]
    old = [
        f".{key}-0123456789ab.arrow.tmp",  # killed before os.replace
        f"{key}-ba9876543210.arrow",  # killed between the data and the pointer
        f"{key}-ba9876543210.rejected.parquet",  # its set-aside rows
        f".{key}.01234567.json.tmp",  # killed while writing the pointer
        f"{'f' * 20}-0123456789ab.parquet",  # an orphan of an earlier version's cache
    ]
    young = [f".{key}-aaaaaaaaaaaa.arrow.tmp", f"{key}-bbbbbbbbbbbb.arrow"]
    foreign = ["notes.parquet", "README.txt"]
    hour_ago = time.time() - 3600
    for name in old + young + foreign:
        (folder / name).write_bytes(b"x")
    for name in old + foreign:
        os.utime(folder / name, (hour_ago, hour_ago))

    shrink_refresher(data).load_cache()  # a start
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted([".write.lock", f"{key}.json", kept, *young, *foreign])

    for name in young:
        os.utime(folder / name, (hour_ago, hour_ago))
    data.write_text(figures_csv(4), encoding="utf-8")
    time.sleep(0.15)
    ref.refresh(force=True)  # a write
    named = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))["data"]
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted([".write.lock", f"{key}.json", named, *foreign])


def test_a_broken_offline_cache_is_one_line(server: LocalServer) -> None:
    from jctui.config import load_config
    from jctui.locations import cache_dir
    from jctui.sources import cache

    server.mode = "list"  # the canonical records as a top-level array
    online = [sys.executable, "-m", "jctui", "show", "Kreis A", "--source", server.url]
    assert subprocess.run(online, capture_output=True, timeout=60).returncode == 0
    src = load_config(None).with_source(server.url).sources[0]
    pointer = cache_dir() / f"{cache.source_key(src)}.json"
    pointer.write_text("{not json", encoding="utf-8")
    proc = subprocess.run(  # a process of its own: what a user sees, logging included
        [*online, "--offline"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith(
        "jctui: error: --offline: offline cache of source 'cli' is broken ("
    )


async def test_dashboard_says_when_the_offline_cache_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jctui.config import load_config
    from tests.functional.test_ui import make_app, ready

    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    data = tmp_path / "figures.csv"
    data.write_text(figures_csv(3), encoding="utf-8")
    app = make_app(load_config(None).with_source(str(data)), as_of=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app, None)
        await pilot.pause(0.2)
        errors = [text for severity, text in app.notices if severity == "error"]
        assert len(errors) == 1
        assert errors[0].startswith("cli: offline cache not written (")


# -- a real terminal (tmux): nothing escapes ----------------------------------------------

needs_tmux = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (make test-e2e)"
)
TMUX_ENV = {"JCTUI_FROZEN_CLOCK": "2026-11-25 12:00", "LANG": "C.UTF-8", "TERM": "xterm-256color"}


@needs_tmux
@pytest.mark.tmux
def test_tmux_cli_output_of_hostile_names_changes_no_title_no_clipboard(tmp_path: Path) -> None:
    from tests.tmux_session import TmuxSession

    data = hostile_csv(tmp_path / "evil.csv")
    jctui = f"{sys.executable} -m jctui"
    script = "; ".join(
        [
            f"{jctui} show Name --source {data} --lang en",
            f"{jctui} show Name --source {data} --format csv",
            f"{jctui} show Name --source {data} --format json | head -9",
            f"{jctui} show Nmea --source {data}",
            "echo ALL-DONE",
        ]
    )
    env = {**TMUX_ENV, "XDG_CACHE_HOME": str(tmp_path)}
    with TmuxSession(["sh", "-c", script], width=200, height=60, env=env) as term:
        title = term.title()
        screen = term.wait_for("ALL-DONE", timeout=60)
        assert term.title() == title  # no OSC 2 took effect
        assert "PWNED" not in term.title()
        assert "pwned" not in term.buffers()  # no OSC 52 took effect
        assert "Name ?]2;PWNED??]52;c;cHduZWQ=??[31mRED?[0m?31m?evil?x" in screen  # table
        assert "X?]2;PWNED" in screen  # csv
        assert "\\u009b31m\\u202eevil\\u200bx" in screen  # json
        assert "closest: Name ?]2;PWNED" in screen  # the error line's suggestion


@needs_tmux
@pytest.mark.tmux
def test_tmux_dashboard_with_hostile_names_changes_no_title_no_clipboard(tmp_path: Path) -> None:
    from tests.tmux_session import TmuxSession

    data = hostile_csv(tmp_path / "evil.csv")
    env = {**TMUX_ENV, "XDG_CACHE_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "jctui", "--source", str(data), "--lang", "en"]
    with TmuxSession(command, width=100, height=30, env=env) as term:
        title = term.title()
        # the hostile Jobcenter comes first by name: its overview, title inert and visible
        term.wait_for("Name ?]2;PWNED??]52;c;cHduZWQ=??[31mRED?[0m?31m?evil?x")
        term.wait_for("1,410")  # its figures are there: the copy has something to copy
        term.send("c")
        term.wait_for("clipboard")  # the notification (wrapped on screen)
        assert term.clipboard().startswith("Name ?]2;PWNED??]52;c;cHduZWQ=??[31mRED?[0m?31m?evil?x")
        term.send("C-p")
        term.wait_for("Search")
        for key in "Name":
            term.send(key)
        term.wait_for("X?]2;PWNED")  # the palette's help line (id · state · carrier)
        term.send("Escape")
        assert "pwned" not in term.buffers()  # only our copy reached the clipboard
        assert term.title() == title  # no OSC 2 took effect
        assert "PWNED" not in term.title()
        term.send("q")


def test_every_promise_in_the_readme_names_a_test_that_exists() -> None:
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Hostile data", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_\w+)`", section))
    assert len(named) >= 12
    defined = set(
        re.findall(
            r"def (test_\w+)\(",
            "".join(p.read_text(encoding="utf-8") for p in (root / "tests").rglob("test_*.py")),
        )
    )
    assert named <= defined, named - defined


async def test_dashboard_keeps_40_jobcenters_when_the_file_is_caught_with_12(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case: mid-write the dashboard dropped from 40 to 12 Jobcenters and called
    the data fresh. Now the 12 are held back (stale, with the reason) until a second read."""
    import dataclasses
    import time

    from jctui.config import load_config
    from jctui.ui.messages import DataLoaded
    from jctui.ui.widgets.compare_table import CompareTable
    from jctui.ui.widgets.status_header import StatusHeader
    from tests.functional.test_ui import make_app, ready

    monkeypatch.setattr("jctui.session.refresh.QUIET", 2.0)  # the quiet period, shortened
    data = tmp_path / "figures.csv"
    data.write_text(figures_csv(40), encoding="utf-8")
    config = load_config(None).with_source(str(data))
    config = dataclasses.replace(
        config, refresh=dataclasses.replace(config.refresh, backoff_initial=1.0)
    )
    app = make_app(config, as_of=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot, app, None)
        status = app.query_one(StatusHeader)
        await pilot.press("2")
        table = app.query_one("#compare-table", CompareTable)
        assert table.row_count == 40
        mark = len(app.seen)

        with open(data, "w", encoding="utf-8") as fh:  # in place: the producer is rewriting
            fh.write(figures_csv(12))
        deadline = time.monotonic() + 10
        while status.state != "stale" and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert status.state == "stale"  # not "fresh"
        assert "only 12 of 40 Jobcenters" in status.reason
        assert not [m for m in app.seen[mark:] if isinstance(m, DataLoaded)]
        assert table.row_count == 40  # the good data stays on screen

        deadline = time.monotonic() + 20  # the same bytes after the quiet period: confirmed
        while (status.state, table.row_count) != ("fresh", 12) and time.monotonic() < deadline:
            await pilot.pause(0.05)  # the header may say fresh a moment before the rows change
        assert status.state == "fresh"
        assert table.row_count == 12
        assert any("confirmed by a second read" in text for _, text in app.notices)
