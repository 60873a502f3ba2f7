"""Configuration: lookup order, the documented example, and every error path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jctui.config import (
    ENV_CONFIG,
    Config,
    load_config,
    load_config_file,
    user_config_path,
)
from jctui.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config_file(path)
    message = str(info.value)
    assert message.startswith(str(path)), message  # always names the file
    assert "\n" not in message  # one line
    return message


def test_example_config_in_repo_is_valid_and_documents_every_option() -> None:
    cfg = load_config_file(REPO / "config.toml")
    assert cfg.language == "auto"
    assert cfg.metrics["integrations"].kind == "flow"
    assert cfg.metrics["elb"].kind == "stock"
    assert cfg.rates["k2"].denominator_lag == 1
    assert cfg.is_demo  # no [[sources]] -> the bundled demo data
    assert len(cfg.kiosk.playlist) == 3
    text = (REPO / "config.toml").read_text(encoding="utf-8")
    # every key of every config dataclass is mentioned in the documented example
    import dataclasses

    from jctui.config import HttpDef, KioskDef, PlaylistItem, RefreshDef, SourceDef
    from jctui.config.limits import LimitsDef

    for cls in (Config, SourceDef, HttpDef, LimitsDef, RefreshDef, KioskDef, PlaylistItem):
        for f in dataclasses.fields(cls):
            if cls is Config and f.name == "path":
                continue
            assert f"{f.name}" in text, f"config.toml does not document {cls.__name__}.{f.name}"


def test_no_config_anywhere_gives_demo_defaults() -> None:
    cfg = load_config(None)
    assert cfg.path == ""
    assert cfg.is_demo
    assert Path(cfg.sources[0].path).name == "demo_values.parquet"
    assert set(cfg.metrics) >= {
        "integrations",
        "apprenticeships",
        "elb",
        "long_term_recipients",
        "customers",
    }


def test_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = user_config_path()
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text('theme = "light"\n', encoding="utf-8")
    assert load_config(None).theme == "light"  # user config dir

    env_file = write(tmp_path, 'theme = "high-contrast"\n', "env.toml")
    monkeypatch.setenv(ENV_CONFIG, str(env_file))
    assert load_config(None).theme == "high-contrast"  # $JCTUI_CONFIG beats the user dir

    explicit = write(tmp_path, 'theme = "dark"\nlanguage = "en"\n', "explicit.toml")
    cfg = load_config(str(explicit))
    assert (cfg.theme, cfg.language) == ("dark", "en")  # --config beats both


def test_relative_source_path_is_relative_to_the_config_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[[sources]]\nname = "a"\npath = "data/x.csv"\n')
    cfg = load_config_file(path)
    assert cfg.sources[0].path == str(tmp_path / "data" / "x.csv")
    assert not cfg.is_demo


def test_user_metric_overrides_and_extends_the_catalogue(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[metrics.integrations]\nlabel_de = "I"\nlabel_en = "I"\nkind = "flow"\ntarget = 4500\n'
        '[metrics.inflow]\nlabel_de = "Zugänge"\nlabel_en = "Inflow"\nkind = "flow"\n',
    )
    cfg = load_config_file(path)
    assert cfg.metrics["integrations"].target == 4500.0
    assert cfg.metrics["inflow"].kind == "flow"
    assert "elb" in cfg.metrics  # built-ins kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('colour = "red"\n', "colour: unknown key"),
        ('[[sources]]\nname = "a"\npath = "x.csv"\npth = "y"\n', "sources[0].pth: unknown key"),
        ('[sources]\nname = "a"\n', "sources: expected a list of a table"),
        (
            '[metrics.x]\nlabel_de = "X"\nlabel_en = "X"\nkind = "flow"\ncolour = 1\n',
            "metrics.x.colour: unknown key",
        ),
        ("[kiosk]\nenabled = true\nfoo = 1\n", "kiosk.foo: unknown key"),
        (
            '[[kiosk.playlist]]\nview = "overview"\nspeed = 2\n',
            "kiosk.playlist[0].speed: unknown key",
        ),
        (
            '[refresh]\nhttp_interval = "fast"\n',
            "refresh.http_interval: expected a number, got string 'fast'",
        ),
        ('ascii = "yes"\n', "ascii: expected true or false, got string 'yes'"),
        ("theme = 3\n", "theme: expected 'dark' | 'light' | 'high-contrast', got int 3"),
        (
            'theme = "blue"\n',
            "theme: expected 'dark' | 'light' | 'high-contrast', got string 'blue'",
        ),
        (
            "small_count_threshold = true\n",
            "small_count_threshold: expected a number, got boolean true",
        ),
        ('[[sources]]\npath = "x.csv"\n', "sources[0].name: missing required key"),
        ('[metrics.x]\nlabel_de = "X"\nlabel_en = "X"\n', "metrics.x.kind: missing required key"),
        (
            '[metrics.x]\nlabel_de = "X"\nlabel_en = "X"\nkind = "sum"\n',
            "metrics.x.kind: expected 'flow' | 'stock'",
        ),
        ('[[sources]]\nname = "a"\n', "sources[0]: give exactly one of 'path' or 'url'"),
        (
            '[[sources]]\nname = "a"\npath = "x"\nurl = "https://x"\n',
            "give exactly one of 'path' or 'url'",
        ),
        (
            '[[sources]]\nname = "a"\nurl = "ftp://x"\n',
            "sources[0].url: must start with http:// or https://",
        ),
        (
            '[[sources]]\nname = "a"\npath = "x"\n[[sources]]\nname = "a"\npath = "y"\n',
            "duplicate source name 'a'",
        ),
        (
            '[[sources]]\nname = "r"\npath = "x"\nrole = "registry"\n',
            'no source with role = "values" (missing source)',
        ),
        (
            '[[sources]]\nname = "a"\nurl = "https://x"\nhttp = { auth = "bearer" }\n',
            "sources[0].http.token_env: required",
        ),
        (
            '[[sources]]\nname = "a"\npath = "x"\ncolumns = { jobcentre = "JC" }\n',
            "sources[0].columns.jobcentre: unknown canonical column",
        ),
        (
            '[[sources]]\nname = "a"\npath = "x"\nhttp = { timeout = "long" }\n',
            "sources[0].http.timeout: expected a number",
        ),
        (
            '[rates.q]\nlabel_de = "Q"\nlabel_en = "Q"\nnumerator = "nope"\ndenominator = "elb"\n',
            "rates.q.numerator: unknown metric 'nope'",
        ),
        (
            '[rates.q]\nlabel_de = "Q"\nlabel_en = "Q"\nnumerator = "elb"\ndenominator = "elb"\n',
            "rates.q.numerator: 'elb' must be a flow",
        ),
        ('window = "twelve"\n', "window: expected a number of periods"),
        (
            '[[checks]]\njobcenter = "X"\nmetric = "integrations"\nstatistic = "mean"\nstart = "2018-13"\nend = "2018-06"\nstated = 1\n',
            "checks[0].start: expected YYYY-MM",
        ),
        (
            '[[kiosk.playlist]]\nview = "ranking"\nhours = "8-10"\n',
            "kiosk.playlist[0].hours: expected HH:MM-HH:MM",
        ),
        (
            '[[kiosk.playlist]]\nview = "slideshow"\n',
            "kiosk.playlist[0].view: expected 'overview' | 'compare' | 'chart' | 'ranking'",
        ),
        ("path = 'x'\n", "unknown key 'path'"),
        (
            'small_counts_include_zero = "yes"\n',
            "small_counts_include_zero: expected true or false, got string 'yes'",
        ),
        (
            "small_counts_include_zero = true\n",
            "small_counts_include_zero: needs small_count_threshold above 0",
        ),
        ("small_count_threshold = -3\n", "small_count_threshold: expected 0 (off) or a positive"),
        ("small_count_threshold = nan\n", "small_count_threshold: expected 0 (off) or a positive"),
        (
            '[[kiosk.playlist]]\nview = "ranking"\nmetric = "customers"\n',
            "kiosk.playlist[0].metric: 'customers' has better = \"none\": no direction, no ranking",
        ),
    ],
)
def test_invalid_config_names_file_key_and_problem(
    tmp_path: Path, text: str, expected: str
) -> None:
    assert expected in error_of(tmp_path, text)


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, 'theme = "dark"\nlanguage = \n')
    assert "invalid TOML" in message
    assert "line 2" in message


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml: config file not found"):
        load_config(str(tmp_path / "nope.toml"))
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('theme = "d\xe4rk"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config_file(bad)


def test_token_is_read_from_the_environment_not_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[sources]]\nname = "api"\nurl = "https://example.invalid/x"\n'
        '[sources.http]\nauth = "bearer"\ntoken_env = "JCTUI_TEST_TOKEN"\n',
    )
    cfg = load_config_file(path)
    assert cfg.sources[0].http.token_env == "JCTUI_TEST_TOKEN"
    assert "token =" not in path.read_text()
    with pytest.raises(ConfigError, match=r"sources\[0\]\.http\.token: unknown key"):
        load_config_file(write(tmp_path, path.read_text() + 'token = "s3cret"\n', "t2.toml"))


def test_cli_reports_config_error_in_one_line_with_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "blue"\n')
    proc = subprocess.run(
        [sys.executable, "-m", "jctui", "check", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().count("\n") == 0
    assert "Traceback" not in proc.stderr
    assert str(path) in proc.stderr
    assert "theme" in proc.stderr


def test_the_dashboard_always_has_figures_to_show() -> None:
    """A file of K2's numerator and denominator only gives no tile of its own: the dashboard
    then shows the usual figures empty (a dashboard with no figure at all crashed)."""
    from jctui.config import dashboard_figures
    from jctui.config.catalogue import default_metrics, default_rates

    metrics, rates = default_metrics(), default_rates()
    only_parts = dashboard_figures(metrics, rates, {"integrations_12m", "elb_mean_12m"})
    assert only_parts == dashboard_figures(metrics, rates, set())
    assert only_parts[0]
    assert dashboard_figures(metrics, rates, {"k2_published"}) == (["k2_published"], [])
