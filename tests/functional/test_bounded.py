"""Bounded work for every input: a small hostile file or answer never stops the process,
never takes more than 1 GB and never more than a deadline.

Each case runs `jctui check` in a child process under RLIMIT_AS = 1 GiB and a timeout, on
real files on disk (a FIFO, /dev/zero, ZIPs, workbooks) or a real server on 127.0.0.1:
the answer is one line naming the file, the place and the limit, exit 2, no traceback.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.httpserver import LocalServer

MEMORY = 1 << 30  # 1 GiB of address space for the child
DEADLINE = 60.0  # seconds for one child
# one BLAS and few Polars threads: their per-thread reservations would count against 1 GiB
QUIET_ENV = {
    "RUST_BACKTRACE": "0",
    "JCTUI_DEBUG": "",
    "OPENBLAS_NUM_THREADS": "1",
    "POLARS_MAX_THREADS": "2",
}

GENESIS_HEADER = (
    "statistics_code;time;1_variable_code;1_variable_attribute_code;"
    "1_variable_attribute_label;value;value_variable_code;value_variable_label\n"
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


# the child reports its peak resident memory as its last line of stderr
CHILD = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF)"
    ".ru_maxrss, file=sys.stderr))\n"
    "from jctui.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _address_limit(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def check(
    source: str, *args: str, deadline: float = DEADLINE, address: int = MEMORY
) -> tuple[int, str, float]:
    """`jctui check --source SOURCE` in a child under `address` bytes of address space and
    the deadline: (exit code, its output, seconds); its peak resident memory stays < 1 GiB.
    A read that succeeds maps more than it uses (thread stacks, arenas): give it more
    address space and hold it to the peak resident memory."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "check", "--source", source, *args],
        capture_output=True,
        text=True,
        timeout=deadline,
        preexec_fn=lambda: _address_limit(address),
        env={**os.environ, **QUIET_ENV},
        check=False,
    )
    seconds = time.monotonic() - started
    lines = done.stderr.splitlines()
    peak = [int(line.split()[1]) for line in lines if line.startswith("MAXRSS ")]
    assert peak, done.stderr[-2000:]  # the child ended by itself, not by a signal
    assert peak[0] * 1024 < MEMORY, f"peak memory {peak[0] // 1024} MB"
    output = "\n".join(line for line in lines if not line.startswith("MAXRSS ")) + done.stdout
    return done.returncode, output, seconds


def refused(source: str, *words: str) -> str:
    """The one line of a refusal: exit 2, no traceback, naming the source and `words`."""
    return timed_refusal(source, *words)[0]


def timed_refusal(source: str, *words: str) -> tuple[str, float]:
    """`refused`, and the seconds the refusal took (one run of `check`)."""
    code, output, seconds = check(source)
    assert code == 2, output[-2000:]
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output[-2000:]
    line = lines[0]
    assert "Traceback" not in output, output[-2000:]
    assert "internal error" not in line, line
    assert source in line, line
    for word in words:
        assert word in line, line
    return line, seconds


def zipped(members: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buf.getvalue()


def workbook(sheet: str, shared: str = "") -> bytes:
    """A minimal .xlsx workbook of one sheet (and a shared-string table)."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook {NS} xmlns:r="{rel}"><sheets><sheet name="S" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            + (
                f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
                if shared
                else ""
            )
            + "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet {NS}>{sheet}</worksheet>',
    }
    if shared:
        members["xl/sharedStrings.xml"] = shared
    return zipped(members)


def header_cells(*names: str) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{n}</t></is></c>' for i, n in enumerate(names)
    )
    return f'<row r="1">{cells}</row>'


# -- spreadsheets: a declared dimension costs nothing, a far cell is refused ---------------


def test_a_5kb_workbook_with_a_cell_at_xfd1048576_is_one_line_not_an_abort(
    tmp_path: Path,
) -> None:
    """Today: `memory allocation of 549755813888 bytes failed`, SIGABRT."""
    path = tmp_path / "far.xlsx"
    path.write_bytes(
        workbook(
            '<dimension ref="A1:XFD1048576"/><sheetData>'
            + header_cells("jobcenter_id")
            + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        )
    )
    assert len(path.read_bytes()) < 5000
    line = refused(str(path), "XFD1048576", "limit of 4,000,000 cells")
    assert "sheet" in line


def test_a_far_cell_without_a_dimension_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "far.xlsx"
    path.write_bytes(
        workbook(
            "<sheetData>"
            + header_cells("jobcenter_id")
            + '<row r="2"><c r="ZZ900000"><v>1</v></c></row></sheetData>'
        )
    )
    refused(str(path), "ZZ900000", "limit of")


def test_a_declared_dimension_larger_than_the_cells_costs_nothing(tmp_path: Path) -> None:
    """The dimension says A1:XFD1048576, the cells fill A1:D3: the table is read."""
    rows = [
        header_cells("jobcenter_id", "period", "metric", "value"),
        *(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>J0{r}</t></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>2024-01</t></is></c>'
            f'<c r="C{r}" t="inlineStr"><is><t>integrations</t></is></c>'
            f'<c r="D{r}"><v>{r}</v></c></row>'
            for r in (2, 3)
        ),
    ]
    path = tmp_path / "dimension.xlsx"
    path.write_bytes(
        workbook('<dimension ref="A1:XFD1048576"/><sheetData>' + "".join(rows) + "</sheetData>")
    )
    code, output, seconds = check(str(path), address=4 * MEMORY)
    assert code == 0, output
    assert "J03" in output, output
    assert "no problems found" in output, output
    assert seconds < 30


def test_a_shared_string_table_over_its_limit_is_refused_before_calamine(
    tmp_path: Path,
) -> None:
    """Today: an 830 KB sharedStrings took 1.6 GB and 26 s."""
    count = 2_000_000
    shared = f'<sst {NS} count="{count}">' + "<si><t>a</t></si>" * count + "</sst>"
    path = tmp_path / "shared.xlsx"
    path.write_bytes(
        workbook('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>', shared)
    )
    assert len(path.read_bytes()) < 200_000
    _, seconds = timed_refusal(str(path), "2,000,000 shared strings", "limit of 1,000,000")
    assert seconds < 30


# -- archives: what a ZIP unpacks to ------------------------------------------------------


def test_a_genesis_zip_of_blank_lines_is_refused_at_the_cell_limit(tmp_path: Path) -> None:
    """Today: 11 KB unpacking to 10 MB of blank lines passed 6 GB."""
    path = tmp_path / "genesis.zip"
    path.write_bytes(zipped({"table.csv": GENESIS_HEADER + "\n" * 10_000_000}))
    assert len(path.read_bytes()) < 20_000
    refused(str(path), "limit of 20,000,000 cells")


def test_a_zip_that_unpacks_over_its_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(
        zipped({"table.csv": b"jobcenter_id,period,metric,value\n" + b" " * 200_000_000})
    )
    refused(str(path), "over the limit of 100,000,000 bytes (sources.limits.unpacked_bytes)")


def test_a_zip_of_too_many_members_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    path.write_bytes(zipped({f"m{i}.csv": b"" for i in range(10_001)}))
    refused(str(path), "10,001 members", "limit of 10,000 members")


def test_2000_nested_zips_are_one_line_not_a_recursion_error(tmp_path: Path) -> None:
    data = b"jobcenter_id,period,metric,value\nJ1,2020-01,integrations,1\n"
    for i in range(2000):  # stored: deflating the zips inside again took 6 s of the test's CPU
        data = zipped({f"n{i}.csv": data}, zipfile.ZIP_STORED if i < 1999 else zipfile.ZIP_DEFLATED)
    path = tmp_path / "nested.zip"
    path.write_bytes(data)
    refused(str(path), "a ZIP inside a ZIP", "limit of 1 level")


def test_a_genesis_answer_zip_of_blank_lines_over_http_is_refused(server: LocalServer) -> None:
    server.mode = "file"
    server.file = zipped({"table.csv": GENESIS_HEADER + "\n" * 10_000_000})
    refused(server.url, "limit of 20,000,000 cells")


# -- nesting and columns ------------------------------------------------------------------


def test_a_100k_deep_json_is_refused_at_the_depth_limit(tmp_path: Path) -> None:
    for name, text in (
        ("array.json", "[" * 100_000 + "]" * 100_000),
        ("genesis.json", '{"Object":' * 100_000 + "1" + "}" * 100_000),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        refused(str(path), "JSON nested deeper than the limit of 256 levels")


def test_a_csv_of_20000_columns_is_refused_at_the_column_limit(tmp_path: Path) -> None:
    """Today: 96 s, quadratic in the columns."""
    path = tmp_path / "wide.csv"
    width = 20_000
    path.write_text(
        ";".join(f"c{i}" for i in range(width)) + "\n" + ";".join("1" * width) + "\n",
        encoding="utf-8",
    )
    _, seconds = timed_refusal(str(path), "20,000 columns", "limit of 4,096 columns")
    assert seconds < 20


def test_a_csv_of_4000_columns_is_read_in_linear_time(tmp_path: Path) -> None:
    """Under the limit the published-layout reader looks at every column in one pass."""
    path = tmp_path / "wide.csv"
    width = 4_000
    path.write_text(
        ";".join(f"c{i}" for i in range(width)) + "\n" + ";".join("1" * width) + "\n",
        encoding="utf-8",
    )
    code, output, seconds = check(str(path), address=4 * MEMORY)
    assert code == 2, output
    assert "Traceback" not in output, output
    assert seconds < 15, seconds


# -- special files -------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_source_is_refused_before_reading(tmp_path: Path) -> None:
    """Today: blocks forever."""
    fifo = tmp_path / "figures.csv"
    os.mkfifo(fifo)
    refused(str(fifo), "a FIFO", "not a regular file")


def test_dev_zero_as_source_is_refused_before_reading() -> None:
    """Today: grows until MemoryError."""
    refused("/dev/zero", "a device", "not a regular file")


# -- folders -------------------------------------------------------------------------------


def test_a_folder_of_10000_files_is_answered_within_the_deadline(tmp_path: Path) -> None:
    """Today: 320 s. Now the file limit is checked before any file is read."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"f{i:05d}.csv").write_text(
            f"jobcenter_id,period,metric,value\nJ{i % 400:03d},2024-01,integrations,{i}\n",
            encoding="utf-8",
        )
    _, seconds = timed_refusal(
        str(folder), "10,000 data files", "limit of 1,000 files", "(sources.limits.folder_files)"
    )
    assert seconds < 30, seconds


@pytest.mark.parametrize(
    ("files", "seconds"),
    [
        pytest.param(250, 15, id="quick"),  # make test: a quarter of them in a quarter of 60 s
        pytest.param(1_000, 60, id="full", marks=[pytest.mark.slow, pytest.mark.timeout(900)]),
    ],
)
def test_a_folder_at_its_file_limit_is_read_within_the_deadline(
    tmp_path: Path, files: int, seconds: float
) -> None:
    """1,000 small files (the default `folder_files`): read whole within 60 s, not refused
    (`make test-slow`; `make test` reads 250 within 15 s, the same pace)."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    for i in range(files):
        (folder / f"f{i:05d}.csv").write_text(
            f"jobcenter_id,period,metric,value\nJ{i % 400:03d},2024-01,integrations,{i}\n",
            encoding="utf-8",
        )
    code, output, took = check(str(folder), deadline=90, address=4 * MEMORY)
    assert code == 0, output[-2000:]
    assert f"jobcenters: {min(files, 400)}" in output, output[:1000]
    assert took < seconds, took


@pytest.mark.parametrize(
    "reads",
    [
        pytest.param(15, id="quick"),
        pytest.param(40, id="full", marks=[pytest.mark.slow, pytest.mark.timeout(900)]),
    ],
)
def test_a_file_renamed_during_a_folder_scan_is_never_silently_dropped(
    tmp_path: Path, reads: int
) -> None:
    """A producer renames one month's file back and forth (a new publication replacing the
    old) while the folder is read 40 times: every read has all 312 files, or is refused
    (the last good data stay); today 2 of 20 runs silently lost a month. (`make test` reads
    it 15 times, `make test-slow` 40.)"""
    import threading

    from jctui.config import SourceDef
    from jctui.errors import SourceError
    from jctui.sources.file import fetch_file

    folder = tmp_path / "downloads"
    folder.mkdir()
    for m in range(1, 13):
        (folder / f"kennzahlen-2024{m:02d}.csv").write_text(
            f"jobcenter_id,period,metric,value\nJ01,2024-{m:02d},integrations,{m}\n",
            encoding="utf-8",
        )
    for n in range(300):  # earlier publications: the listing takes a while to check
        (folder / f"archiv-2010{n % 12 + 1:02d}-{n}.csv").write_text(
            f"jobcenter_id,period,metric,value\nJ01,2010-{n % 12 + 1:02d},integrations,{n}\n",
            encoding="utf-8",
        )
    old = folder / "kennzahlen-202406.csv"
    new = folder / "kennzahlen-202406-korrigiert.csv"
    time.sleep(0.15)  # held still
    stop = threading.Event()

    def renamer() -> None:
        while not stop.is_set():
            burst = time.monotonic() + 0.3  # a burst of renames, then a quiet moment
            while time.monotonic() < burst:
                for a, b in ((old, new), (new, old)):
                    os.rename(a, b)
            stop.wait(0.3)

    thread = threading.Thread(target=renamer, daemon=True)
    thread.start()
    whole = 0
    refusals: list[str] = []
    try:
        for _ in range(reads):
            try:
                fetched = fetch_file(SourceDef(name="f", path=str(folder)), max_wait=2.0)
            except SourceError as exc:
                refusals.append(str(exc))
                continue
            names = [Path(p.origin).name for p in fetched.parts]
            assert len(names) == 312, sorted(set(os.listdir(folder)) - set(names))
            assert old.name in names or new.name in names
            whole += 1
    finally:
        stop.set()
        thread.join(timeout=5)
    assert whole > 0  # the quiet moments let reads through
    assert all("renamed" in r or "kept changing" in r for r in refusals), refusals


# -- a reader that fails is contained ------------------------------------------------------

REFRESHER = """
import json, shutil, sys, time
from jctui.config import load_config
from jctui.session.refresh import Refresher
folder, hostile = sys.argv[1], sys.argv[2]
ref = Refresher(load_config(None).with_source(folder), now=time.monotonic)
dataset, _, _ = ref.refresh(force=True)
before = dataset.registry.height
shutil.copy(hostile, folder)
time.sleep(0.15)
dataset, notices, changed = ref.refresh(force=True)
state, reason, _, _ = ref.summary()
import resource
print(json.dumps({"before": before, "after": dataset.registry.height, "state": state,
                  "reason": reason, "changed": changed,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def test_the_dashboard_keeps_its_data_when_a_hostile_workbook_joins_its_folder(
    tmp_path: Path,
) -> None:
    """Today the kiosk died (SIGABRT) on every start once the 5 KB workbook was in its
    watched folder. Now the refresher keeps the last good data, stale, and says why."""
    import json

    from tests.functional.test_hostile import figures_csv

    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "kennzahlen-202401.csv").write_text(figures_csv(40), encoding="utf-8")
    hostile = tmp_path / "kennzahlen-202402.xlsx"
    hostile.write_bytes(
        workbook(
            '<dimension ref="A1:XFD1048576"/><sheetData>'
            + header_cells("jobcenter_id")
            + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        )
    )
    time.sleep(0.15)
    done = subprocess.run(
        [sys.executable, "-c", REFRESHER, str(folder), str(hostile)],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        env={**os.environ, **QUIET_ENV},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.splitlines()[-1])
    # its peak resident memory (the child's own ru_maxrss: what it touched, not the address
    # space its threads and allocator arenas reserve)
    assert found["peak_kb"] * 1024 < MEMORY, f"peak memory {found['peak_kb'] // 1024} MB"
    assert found["before"] == 40
    assert found["after"] == 40  # the last good data stay
    assert found["state"] == "stale"
    assert not found["changed"]
    assert "XFD1048576" in found["reason"]
    assert "limit of 4,000,000 cells" in found["reason"]
