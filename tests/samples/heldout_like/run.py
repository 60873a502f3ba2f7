"""Read each hand-written file as `jctui check --source FILE` does and compare with expected.json.

    python -m tests.samples.heldout_like.run FOLDER [FILE ...]

Prints one line per file: read right / refused / READ WRONG (a figure differs and no problem).
"""

from __future__ import annotations

import dataclasses
import json
import math
import sys
from pathlib import Path

import polars as pl

from jctui.config.catalogue import default_config
from jctui.errors import JctuiError
from jctui.session.load import load_dataset


def run(folder: Path, only: list[str]) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    options = json.loads((folder / "options.json").read_text(encoding="utf-8"))
    for name, rows in expected.items():
        if only and name not in only:
            continue
        config = default_config().with_source(str(folder / name))
        if name in options:  # the one option inspect proposes
            src = dataclasses.replace(config.sources[0], **options[name])
            config = dataclasses.replace(config, sources=(src,))
        try:
            ds = load_dataset(config, offline=True)
        except JctuiError as exc:
            print(f"REFUSED   {name}: {exc}")
            continue
        problems = ds.rejected.height + ds.conflicts.height + len(ds.source_problems)
        got = {
            (r["jobcenter_id"], str(r["period"])[:7], r["metric"]): r["value"]
            for r in ds.values.iter_rows(named=True)
        }
        wrong, missing = [], []
        for jc, month, metric, value in rows:
            have = got.get((jc, month, metric))
            if have is None:
                missing.append(f"{jc} {month} {metric}")
            elif not math.isclose(have, value, abs_tol=1e-6):
                wrong.append(f"{jc} {month} {metric}: {have} != {value}")
        exp_keys = {(r[0], r[1], r[2]) for r in rows}
        extra = [k for k in got if k not in exp_keys and k[2] in {r[2] for r in rows}]
        status = "RIGHT" if not wrong and not missing else ("WRONG" if wrong else "MISSING")
        if wrong and problems:
            status = "wrong+problem"
        print(
            f"{status:9} {name}: {len(rows)} expected, {len(missing)} missing, {len(wrong)} wrong, "
            f"{len(extra)} extra, problems={problems}, ids={sorted(ds.registry['jobcenter_id'].to_list())[:6]}"
        )
        for line in wrong[:4] + missing[:4] + [str(e) for e in extra[:3]]:
            print("     ", line)
        if problems:
            for r in ds.rejected.head(3).iter_rows(named=True):
                print("      rejected:", dict(r.items()))
            for p in ds.source_problems[:3]:
                print("      problem:", p)
            if ds.conflicts.height:
                print("      conflicts:", ds.conflicts.head(2).to_dicts())


if __name__ == "__main__":
    pl.Config.set_tbl_rows(5)
    run(Path(sys.argv[1]), sys.argv[2:])
