"""`jctui ARGS` in a fresh interpreter, and whether it imported Polars: the proof that a
lookup answered from a kept answer or the store's record never loads the data stack."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = (
    "import sys; from jctui.cli import main; code = main(sys.argv[1:]); sys.stdout.flush(); "
    "sys.stderr.write('polars' if 'polars' in sys.modules else 'no polars'); "
    "raise SystemExit(code)"
)


def probe(args: list[str], **env: str) -> tuple[str, str]:
    """`jctui ARGS` in a fresh interpreter: its output, and whether it imported Polars."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=True,
    )
    return done.stdout, done.stderr.strip().splitlines()[-1]
