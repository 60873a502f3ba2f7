"""Errors a user can act on: each carries a one-line message and the documented exit code.

Exit codes (documented in README):
  0  success / data clean
  1  data problems found (`check`), or nothing matched (`show`)
  2  unusable configuration or unreadable source
"""

from __future__ import annotations

from jctui.textsafe import safe_text, shortened

EXIT_OK = 0
EXIT_DATA = 1
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2


class JctuiError(Exception):
    """Base for errors shown to the user as one line, never as a traceback.

    Messages quote file names, headers, JSON keys, values and suggestions from the data:
    the message is made inert here (jctui.textsafe), once for every place that raises, so
    no error line can carry an escape sequence to the terminal or a newline into a log.
    """

    exit_code: int = EXIT_USAGE

    def __init__(self, message: str, *, key: str = "", **params: str) -> None:
        """`message` in English; `key` names its template in jctui.i18n (filled from
        `params`), so that the command line can say it in the user's language."""
        self.full = safe_text(message)  # secrets are removed from it (`without`), then cut
        self.full_params = {name: safe_text(value) for name, value in params.items()}
        self.key = key
        self._shorten()

    def _shorten(self) -> None:
        """The message and parameters as shown: never longer than a line may be (a file's
        1 MB header line is not printed), cut after any secret was taken out."""
        self.message = shortened(self.full)
        self.params = {k: shortened(v) for k, v in self.full_params.items()}
        self.args = (self.message,)

    def __str__(self) -> str:
        return self.message

    def without(self, secrets: tuple[str, ...]) -> JctuiError:
        """This error with every secret in its text replaced by `***` (a server that
        echoes the login in its refusal must not put it on a screen or in a log)."""
        for secret in sorted(secrets, key=len, reverse=True):
            if len(secret) >= MIN_SECRET:
                self.full = self.full.replace(secret, "***")
                self.full_params = {
                    k: v.replace(secret, "***") for k, v in self.full_params.items()
                }
        self._shorten()
        return self


MIN_SECRET = 3  # shorter secrets are not searched for (they would garble every message)


class ConfigError(JctuiError):
    """The configuration file is unusable: names file, key and problem."""

    exit_code = EXIT_USAGE


class SourceError(JctuiError):
    """A source (file or URL) cannot be read at all: names the source and the problem."""

    exit_code = EXIT_USAGE


class MissingExtraError(SourceError):
    """An optional dependency is needed; the message names the extra to install."""


class NotFoundError(JctuiError):
    """A query matched nothing (exit 1)."""

    exit_code = EXIT_NOT_FOUND
