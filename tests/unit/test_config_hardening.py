"""Config errors a user makes by mistake: one line naming file and key, exit 2, no traceback,
and never a secret repeated back (a token pasted into token_env, credentials in a URL, a
header value)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jctui.cli import main
from jctui.config import load_config, load_config_file, redact_url
from jctui.errors import ConfigError

SECRET = "pw-S3CRET"
TOKEN_LIKE = (
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",  # a GitHub token: letters and digits mixed
    "3f9a1c2e7b8d4f6a0e1c3b5d7f9a2c4e",  # hex
    "s3cr3t-t0ken-value",  # not even a possible name
    "Bearer abc.def",
    "A" * 80,  # longer than any name
)


def write(tmp_path: Path, http: str = "", url: str = "http://127.0.0.1:1/x") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[[sources]]\nname = "api"\nurl = "{url}"\n[sources.http]\n{http}\n', encoding="utf-8"
    )
    return path


def cli_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run jctui; it must exit 2 with exactly one line on stderr, which is returned."""
    assert main(list(argv)) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1, captured.err
    assert "Traceback" not in captured.err
    assert "internal error" not in captured.err
    return captured.err.strip()


@pytest.mark.parametrize("value", TOKEN_LIKE)
def test_a_token_pasted_into_token_env_is_refused_without_echoing_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    config = write(tmp_path, f'auth = "bearer"\ntoken_env = "{value}"')
    err = cli_error(capsys, "check", "--config", str(config))
    assert f"{config}: sources[0].http.token_env" in err
    assert "token_env must name an environment variable, not hold the token" in err
    assert value not in err


def test_a_password_pasted_into_password_env_is_refused_too(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        f'auth = "basic"\nusername_env = "JC_USER"\npassword_env = "{TOKEN_LIKE[1]}"',
    )
    with pytest.raises(ConfigError, match="password_env must name an environment variable") as e:
        load_config_file(config)
    assert TOKEN_LIKE[1] not in str(e.value)


@pytest.mark.parametrize("name", ["JCTUI_TOKEN", "API_TOKEN_2", "jctui_api_token", "_T", "TOKEN"])
def test_ordinary_variable_names_are_accepted(tmp_path: Path, name: str) -> None:
    config = write(tmp_path, f'auth = "bearer"\ntoken_env = "{name}"')
    assert load_config_file(config).sources[0].http.token_env == name


def test_a_non_http_url_with_credentials_is_shown_redacted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write(tmp_path, url=f"ftp://alice:{SECRET}@files.example.org/x.csv?token=Q-T0KEN")
    err = cli_error(capsys, "check", "--config", str(config))
    assert f"{config}: sources[0].url: must start with http:// or https://" in err
    assert "ftp://files.example.org/x.csv" in err
    assert SECRET not in err
    assert "Q-T0KEN" not in err
    assert "alice" not in err


@pytest.mark.parametrize(
    ("line", "key", "problem"),
    [
        ("timeout = -5", "timeout", "must be a positive number of seconds, got -5"),
        ("timeout = 0", "timeout", "must be a positive number of seconds, got 0"),
        ("timeout = nan", "timeout", "must be a positive number of seconds"),
        ("deadline = 0", "deadline", "must be a positive number of seconds, got 0"),
        ("deadline = -1.5", "deadline", "must be a positive number of seconds, got -1.5"),
        ("max_bytes = -1", "max_bytes", "must be a positive number of bytes, got -1"),
        ("max_bytes = 0", "max_bytes", "must be a positive number of bytes, got 0"),
        ("page_limit = 0", "page_limit", "must be at least 1, got 0"),
    ],
)
def test_limits_must_be_positive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, key: str, problem: str
) -> None:
    config = write(tmp_path, line)
    err = cli_error(capsys, "check", "--config", str(config))
    assert err.startswith(f"jctui: error: {config}: sources[0].http.{key}: {problem}")


@pytest.mark.parametrize("key", ["http_interval", "backoff_initial", "backoff_max"])
def test_refresh_intervals_must_be_positive(tmp_path: Path, key: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"[refresh]\n{key} = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"refresh\.{key}: must be a positive number of seconds"):
        load_config_file(config)


def test_the_deadline_has_a_sensible_default(tmp_path: Path) -> None:
    http = load_config_file(write(tmp_path)).sources[0].http
    assert http.deadline == 60.0
    assert http.timeout < http.deadline


@pytest.mark.parametrize(
    ("value", "what", "position"),
    [("Grüße", "a non-ASCII character", 3), ("a\\r\\nX-Evil: 1", "a control character", 2)],
)
def test_a_bad_header_value_is_a_clear_error_without_the_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, what: str, position: int
) -> None:
    config = write(tmp_path, f'headers = {{ X-Api-Key = "{value}" }}')
    err = cli_error(capsys, "check", "--config", str(config))
    assert (
        f"{config}: sources[0].http.headers.X-Api-Key: the value has {what} at position {position}"
        in err
    )
    assert value.replace("\\r\\n", "\r\n") not in err
    assert "printable ASCII" in err


def test_a_bad_header_name_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"http\.headers: 'X Api' is not a valid header name"):
        load_config_file(write(tmp_path, 'headers = { "X Api" = "1" }'))


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://[::1", "not a valid URL"),
        (f"http://alice:{SECRET}@[::1/x", "not a valid URL"),
        ("http://127.0.0.1:99999/x", "the port is not a number from 0 to 65535"),
        (f"http://alice:{SECRET}@host:port/x", "the port is not a number"),
        ("http:///x", "no host"),
        (f"ftp://alice:{SECRET}@host/x?k=Q-T0KEN", "must start with http:// or https://, got ftp://host/x"),
    ],
)  # fmt: skip
def test_a_bad_source_url_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], url: str, problem: str
) -> None:
    for command in (["check"], ["show", "x"], ["export", "-o", "x.csv"]):
        err = cli_error(capsys, *command, "--source", url)
        assert err.startswith("jctui: error: --source: ")
        assert problem in err
        assert SECRET not in err
        assert "Q-T0KEN" not in err


def test_a_bad_url_in_the_config_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"sources\[0\]\.url: not a valid URL"):
        load_config(str(write(tmp_path, url="https://[::1")))


def test_redaction_survives_urls_it_cannot_parse() -> None:
    assert redact_url(f"http://alice:{SECRET}@[::1/x") == "http://(unparseable URL)"
    assert redact_url(f"http://alice:{SECRET}@host:port/x") == "http://(unparseable URL)"
    assert redact_url(f"https://alice:{SECRET}@[::1]:8443/x?k=1") == "https://[::1]:8443/x"
    # a URL from a server (a redirect target) shows only printable ASCII
    assert redact_url("http://h/a\x9b2J b") == "http://h/a%C2%9B2J%20b"


GENESIS = 'method = "POST"\nauth = "genesis"\nusername_env = "GENESIS_USER"\n'


@pytest.mark.parametrize(
    ("http", "problem"),
    [
        ('form = { name = "82111-0001" }', 'http.form: a form body is sent with method = "POST" only'),
        ('method = "POST"\nnext_path = "links.next"', "http.next_path: a POST source is one request"),
        ('method = "PUT"', "http.method: expected 'GET' | 'POST', got string 'PUT'"),
        ('method = "POST"\nbody = "name=1"', "http.body: unknown key"),
        ('auth = "genesis"\nusername_env = "GENESIS_USER"', 'username_env and password_env are required when auth = "genesis"'),
        (GENESIS + f'password_env = "P"\nheaders = {{ password = "{SECRET}" }}', 'http.headers.password: sent by auth = "genesis"'),
        (f'method = "POST"\nform = {{ name = "x", password = "{SECRET}" }}', "http.form.password: a password is never written in the config"),
        (f'params = {{ Passwort = "{SECRET}" }}', "http.params.Passwort: a password is never written"),
    ],
)  # fmt: skip
def test_a_genesis_post_source_is_validated_strictly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], http: str, problem: str
) -> None:
    config = write(tmp_path, http)
    err = cli_error(capsys, "check", "--config", str(config))
    assert f"{config}: sources[0]." in err
    assert problem in err
    assert SECRET not in err


def test_a_post_is_for_a_url_source(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[sources]]\nname = "f"\npath = "x.csv"\n[sources.http]\nmethod = "POST"\n',
        encoding="utf-8",
    )
    with pytest.raises(
        ConfigError, match=r'sources\[0\]\.http\.method: "POST" is for a URL source'
    ):
        load_config_file(path)


def test_the_genesis_source_the_readme_shows_is_accepted(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A GENESIS table, downloaded by jctui", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "genesis.toml"
    path.write_text(example, encoding="utf-8")
    src = load_config_file(path).sources[0]
    assert src.url.endswith("/genesisWS/rest/2020/data/tablefile")
    assert (src.http.method, src.http.auth, src.http.form["format"]) == ("POST", "genesis", "ffcsv")
    assert (src.http.username_env, src.http.password_env) == ("GENESIS_USER", "GENESIS_PASSWORD")


def test_a_header_value_with_a_space_at_an_end_is_refused(tmp_path: Path) -> None:
    config = write(tmp_path, 'headers = { X-Api-Key = "k3y " }')
    with pytest.raises(
        ConfigError, match=r"headers\.X-Api-Key: the value starts or ends with a sp"
    ):
        load_config_file(config)
