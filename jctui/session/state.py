"""What the user chose in the dashboard and keeps across starts: "my Jobcenter".

A small JSON file (`jctui.locations.state_file`), written atomically. It is a convenience,
never a reason to fail: an unreadable or broken file counts as no choice.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from jctui.locations import state_file


def load_my_jobcenter(path: Path | None = None) -> str:
    """The id of the Jobcenter the user made theirs, or ''."""
    try:
        data = json.loads((path or state_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    value = data.get("my_jobcenter") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def save_my_jobcenter(jobcenter_id: str, name: str, path: Path | None = None) -> Path:
    """Keep `jobcenter_id` as the user's Jobcenter (the name only to make the file readable)."""
    path = path or state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"my_jobcenter": jobcenter_id, "name": name}, ensure_ascii=False)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".state-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text + "\n")
    os.replace(tmp, path)
    return path
