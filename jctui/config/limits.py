"""The bounds of one read of a source (`[sources.limits]`): what a file or answer may unpack
to, how many cells, columns, sheets and levels of nesting a reader takes on, how many files
a folder may hold. Each is checked before the work (jctui.readers.limits), and a refusal
names its key, so a user who needs more knows what to raise; each key has an allowed range.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from jctui.errors import ConfigError


@dataclass(frozen=True)
class LimitsDef:
    """The bounds of one read (defaults generous for every table the Bundesagentur, GENESIS
    or a spreadsheet export publishes)."""

    file_bytes: int = 256_000_000  # a file on disk (a URL's answer: [sources.http] max_bytes)
    unpacked_bytes: int = 100_000_000  # what a ZIP's or workbook's members unpack to together
    zip_members: int = 10_000  # members of one ZIP or workbook
    zip_depth: int = 1  # levels of archives: 1 = a ZIP is opened, a ZIP inside it is not
    sheets: int = 256  # worksheets of one workbook
    sheet_cells: int = 4_000_000  # rows x columns of a worksheet (calamine holds them all)
    shared_strings: int = 1_000_000  # entries of a workbook's shared-string table
    cells: int = 20_000_000  # lines x columns of a delimited file
    columns: int = 4_096  # columns of a delimited file
    json_depth: int = 256  # levels of nested JSON arrays and objects
    folder_files: int = 1_000  # data files of a folder or glob source (read in 60 s)

    def key(self, name: str) -> str:
        """How a refusal names the key that sets the limit `name`."""
        return f"sources.limits.{name}"


LIMITS = LimitsDef()

# The allowed range of each key: from 1 (0 would refuse everything) to where one read would
# need far more than a host has (calamine: about 24 bytes a cell; Python's JSON parser
# recurses once per level, and its stack ends near 1,000).
RANGES: dict[str, tuple[int, int]] = {
    "file_bytes": (1, 1 << 40),
    "unpacked_bytes": (1, 1 << 40),
    "zip_members": (1, 1_000_000),
    "zip_depth": (1, 16),
    "sheets": (1, 10_000),
    "sheet_cells": (1, 1_000_000_000),
    "shared_strings": (1, 100_000_000),
    "cells": (1, 10_000_000_000),
    "columns": (1, 1_000_000),
    "json_depth": (1, 900),
    "folder_files": (1, 1_000_000),
}


def check_limits(limits: LimitsDef, where: str, key: str) -> None:
    """Every limit within its allowed range, else one line naming the key and the range."""
    for f in dataclasses.fields(limits):
        low, high = RANGES[f.name]
        value = getattr(limits, f.name)
        if not low <= value <= high:
            raise ConfigError(
                f"{where}: {key}.{f.name}: must be from {low:,} to {high:,}, got {value:,}"
            )
