"""What a failed fetch says: HttpSourceError (with the status and Retry-After the scheduler
needs), and the words for protocol errors and other exceptions (never the server's bytes).
"""

from __future__ import annotations

import email.utils
import time

import httpx

from jctui.errors import SourceError


class HttpSourceError(SourceError):
    """A failed fetch; `status` and `retry_after` (seconds) tell the scheduler what to do."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def protocol_problem(exc: httpx.RemoteProtocolError) -> str:
    """What a protocol error means, in words that do not blame the body for a bad head.

    h11's messages tell the cases apart; the bytes it quotes come from the server and are
    not repeated here."""
    text = str(exc)
    if "complete message body" in text:
        return "connection closed early (truncated body)"
    if "without sending a response" in text or "status line" in text:
        return "not an HTTP response (no valid status line and headers)"
    if "chunk" in text:
        return "malformed chunked encoding"
    if "header" in text.lower() or "content-length" in text.lower():
        return "malformed header in the response"
    return "HTTP protocol error"


def short(exc: Exception) -> str:
    """The first line of an exception's text (at most 120 characters), else its type."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]
