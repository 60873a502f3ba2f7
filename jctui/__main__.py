"""`python -m jctui` is the same as the `jctui` command."""

from __future__ import annotations

from jctui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
