"""The architecture boundary: only jctui.ui imports Textual; readers and engine not httpx.

Checked in a fresh interpreter, as harlequin does, so that nothing the test runner already
imported can hide a violation. (The import-linter contracts in pyproject.toml check the same
statically; this checks what really happens at import time.)
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import jctui


def non_ui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(jctui.__path__, prefix="jctui."):
        if info.name.startswith("jctui.ui") or info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return sorted(names)


def imported_after(modules: list[str]) -> set[str]:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return set(proc.stdout.split())


def test_walk_finds_the_stages() -> None:
    names = non_ui_modules()
    for stage in ("jctui.readers", "jctui.engine", "jctui.views.show", "jctui.config", "jctui.cli"):
        assert any(n == stage or n.startswith(stage + ".") for n in names), stage


def test_non_ui_modules_do_not_import_textual() -> None:
    loaded = imported_after(non_ui_modules())
    assert "jctui.readers" in loaded  # the import really happened
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_readers_and_engine_do_not_import_httpx() -> None:
    modules = [
        n
        for n in non_ui_modules()
        if n.startswith(("jctui.readers", "jctui.engine", "jctui.model"))
    ]
    loaded = imported_after(modules)
    assert "jctui.engine" in loaded
    assert "httpx" not in loaded
    assert "textual" not in loaded


def test_cli_help_does_not_import_polars_or_textual() -> None:
    code = (
        "import sys, contextlib, io\n"
        "import jctui.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        jctui.cli.main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('polars' in sys.modules, 'textual' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert proc.stdout.split() == ["False", "False"]


def test_presentation_and_session_state_import_without_polars() -> None:
    """The presentation rules and the dashboard's session import light: Polars loads in the
    workers, after the first frame is painted."""
    modules = [n for n in non_ui_modules() if n.startswith(("jctui.presentation", "jctui.i18n"))]
    modules += ["jctui.session.session", "jctui.session.lookups", "jctui.session.as_of"]
    loaded = imported_after(modules)
    assert "jctui.presentation.policy" in loaded
    assert "polars" not in loaded
    assert "textual" not in loaded


def test_the_dashboard_module_imports_without_polars() -> None:
    loaded = imported_after(["jctui.ui.app", "jctui.ui.kiosk_app"])
    assert "textual" in loaded
    assert "polars" not in loaded


def test_widgets_and_screens_read_no_application_state() -> None:
    """Widgets get their data through constructors, reactives and messages: the only use
    of `self.app` left is Textual's own machinery (the console a table renders with; the
    screen stack a screen pushes the explain box onto; the terminal's clipboard and size,
    which the dashboard lays its tiles out for before the first layout; how the footer
    shows a key and the palette's key, read as Textual's own Footer reads them; a table
    starting the scrollbars it makes, as Textual's Widget starts its own)."""
    import ast
    from pathlib import Path

    allowed = {"console", "push_screen", "copy_to_clipboard", "size"}
    allowed |= {"get_key_display", "COMMAND_PALETTE_BINDING", "ENABLE_COMMAND_PALETTE"}
    allowed |= {"_start_widget"}
    ui = Path(jctui.__path__[0]) / "ui"
    found = []
    for path in sorted([*ui.glob("widgets/*.py"), *ui.glob("screens/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "app"
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id == "self"
                and node.attr not in allowed
            ):
                found.append(f"{path.name}:{node.lineno} self.app.{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "jctui.ui.app":
                found.append(f"{path.name}:{node.lineno} imports jctui.ui.app")
    assert found == []
