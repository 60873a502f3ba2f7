"""Every path jctui uses on disk, in one place.

The folders come from platformdirs (XDG on Linux, the native places elsewhere), so that no
other module guesses them. platformdirs is imported inside the functions: it is only needed
when a path is really asked for, and `jctui --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

APP_NAME = "jctui"


def config_file() -> Path:
    """The user config file, e.g. ~/.config/jctui/config.toml (it may not exist)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "config.toml"


def cache_dir(configured: str = "") -> Path:
    """The offline cache of the sources' last good data: the configured `cache_dir` (a
    shared folder on a host with many sessions), else e.g. ~/.cache/jctui/sources."""
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME)) / "sources"


def screenshot_dir() -> Path:
    """Where screenshots go unless the config says otherwise, e.g. ~/.local/share/jctui/screenshots."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME)) / "screenshots"


def state_file() -> Path:
    """What the user chose in the dashboard and keeps across starts ("my Jobcenter"),
    e.g. ~/.local/state/jctui/state.json; a `jctui serve` session's own file where
    JCTUI_STATE_FILE names one (each browser its own, never the shared one)."""
    import os

    own = os.environ.get("JCTUI_STATE_FILE", "")
    if own:
        return Path(own)
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME)) / "state.json"


def answers_dir() -> Path:
    """The answers of `jctui show` kept for a repeat (jctui.session.answers), e.g.
    ~/.cache/jctui/answers: each user's own, as they depend on the user's config."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME)) / "answers"
