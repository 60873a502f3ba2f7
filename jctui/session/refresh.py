"""Refresh scheduling: when to fetch each source again, and what to tell the user.

Pure Python with the clock passed in (so tests run weeks of retries in milliseconds); the
Textual app runs `Refresher.refresh` in a worker thread and shows `Refresher.summary()`.

- success: back to the normal interval; the data is kept (and cached); a 304 costs nothing;
- failure: exponential backoff with jitter up to a ceiling, Retry-After honoured (429/503);
  the last good data stays; a notice on the first failure and on recovery, not on retries.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jctui.config import Config, SourceDef
from jctui.errors import JctuiError
from jctui.model import Dataset
from jctui.readers import ReadResult
from jctui.session.load import combine, read_fetched
from jctui.sources import Fetched, fetch_source

log = logging.getLogger("jctui.refresh")


@dataclass
class SourceState:
    """What the scheduler knows of one source."""

    source: SourceDef
    interval: float
    state: str = "loading"  # loading | fresh | stale | error
    reason: str = ""
    failures: int = 0
    next_due: float = 0.0
    since: dt.datetime | None = None  # when the current state began (stale since ...)
    fetched_at: dt.datetime | None = None
    etag: str = ""
    last_modified: str = ""
    last_good: ReadResult | None = None


@dataclass(frozen=True)
class Notice:
    """Something worth one notification: a first failure or a recovery."""

    kind: str  # "failure" | "recovery"
    source: str
    message: str


def backoff_delay(
    failures: int,
    initial: float,
    ceiling: float,
    rng: random.Random,
    retry_after: float | None = None,
) -> float:
    """Exponential backoff with "equal jitter" (half fixed, half random), capped; Retry-After wins if longer."""
    base = min(ceiling, initial * 2.0 ** max(0, failures - 1))
    delay = base / 2 + rng.uniform(0, base / 2)
    if retry_after is not None:
        delay = max(delay, min(retry_after, ceiling * 4))
    return delay


@dataclass
class Refresher:
    """Fetches, reads, caches and combines all sources, keeping the last good data of each."""

    config: Config
    now: Callable[[], float]
    wall: Callable[[], dt.datetime] = dt.datetime.now
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    fetch: Callable[..., Fetched] = fetch_source
    use_cache: bool = True
    states: dict[str, SourceState] = field(default_factory=dict)

    clients: dict[str, Any] = field(default_factory=dict)

    def client(self, src: SourceDef) -> Any:
        """One httpx client per URL source, kept between refreshes (connection reuse, and a
        TLS context built once instead of every few minutes for weeks)."""
        if src.name not in self.clients:
            from jctui.sources.http import build_client

            self.clients[src.name] = build_client(src)
        return self.clients[src.name]

    def close(self) -> None:
        for client in self.clients.values():
            client.close()
        self.clients.clear()

    def __post_init__(self) -> None:
        for src in self.config.sources:
            if src.refresh >= 0:
                interval = src.refresh
            elif src.url:
                interval = self.config.refresh.http_interval
            else:
                interval = float("inf")  # files: reloaded when they change (watcher)
            self.states[src.name] = SourceState(src, interval)

    # -- scheduling ------------------------------------------------------------------

    def due(self) -> list[SourceState]:
        t = self.now()
        return [s for s in self.states.values() if s.next_due <= t]

    def seconds_to_next(self) -> float:
        t = self.now()
        return max(0.0, min((s.next_due for s in self.states.values()), default=float("inf")) - t)

    def load_cache(self) -> Dataset | None:
        """The cached data of every source, shown at once on start (marked stale)."""
        from jctui.sources import cache

        for state in self.states.values():
            cached = cache.load(state.source)
            if cached is None:
                return None
            state.last_good = ReadResult(
                values=cached.values, registry=cached.registry, targets=cached.targets
            )
            state.etag, state.last_modified = cached.etag, cached.last_modified
            state.fetched_at = cached.fetched_at
            state.state, state.since, state.reason = "stale", cached.fetched_at, "offline cache"
        results = [s.last_good for s in self.states.values() if s.last_good is not None]
        return combine(results, [s.source for s in self.states.values()])

    # -- one cycle -------------------------------------------------------------------

    def refresh(
        self, *, force: bool = False, only: frozenset[str] | None = None
    ) -> tuple[Dataset | None, list[Notice], bool]:
        """Refresh the due sources (all with `force`). Returns (dataset, notices, changed):
        the combined last good data (None while no source ever succeeded), and whether
        anything new arrived (False after 304s and failures: nothing to recompute)."""
        notices: list[Notice] = []
        changed = False
        targets = list(self.states.values()) if force else self.due()
        if only is not None:
            targets = [s for s in targets if s.source.name in only]
        for state in targets:
            outcome = self.refresh_one(state)
            if isinstance(outcome, Notice):
                notices.append(outcome)
            changed = (
                changed
                or outcome is True
                or (isinstance(outcome, Notice) and outcome.kind == "recovery")
            )
        results = [s.last_good for s in self.states.values() if s.last_good is not None]
        if len(results) < len(self.states):
            return None, notices, changed
        return combine(results, [s.source for s in self.states.values()]), notices, changed

    def refresh_one(self, state: SourceState) -> bool | Notice | None:
        src = state.source
        was_failing = state.failures > 0
        try:
            if src.url:
                fetched = self.fetch(
                    src, etag=state.etag, last_modified=state.last_modified, client=self.client(src)
                )
            else:
                fetched = self.fetch(src)
            if fetched.not_modified and state.last_good is not None:
                result, new = state.last_good, False
            else:
                result = read_fetched(fetched, src, self.config)
                if (
                    result.values.is_empty()
                    and state.last_good is not None
                    and not state.last_good.values.is_empty()
                ):
                    raise JctuiError(f"{fetched.origin}: no valid rows (kept the last good data)")
                new = True
                state.etag, state.last_modified = fetched.etag, fetched.last_modified
        except JctuiError as exc:
            return self._failed(state, str(exc), getattr(exc, "retry_after", None), was_failing)
        except Exception as exc:  # never let one source take the app down
            log.exception("refresh of %s failed unexpectedly", src.name)
            return self._failed(state, f"{type(exc).__name__}: {exc}", None, was_failing)
        state.last_good = result
        state.failures = 0
        state.state, state.reason, state.since = "fresh", "", self.wall()
        state.fetched_at = self.wall()
        state.next_due = self.now() + state.interval
        if new and self.use_cache and not src.demo:
            try:
                from jctui.sources import cache

                cache.save(
                    src,
                    result.values,
                    result.registry,
                    etag=state.etag,
                    last_modified=state.last_modified,
                    targets=result.targets,
                )
            except Exception as exc:  # a full disk must not stop the refresh
                log.warning("could not write the offline cache of %s: %s", src.name, exc)
        if was_failing:
            return Notice("recovery", src.name, f"{src.name}: recovered")
        return new

    def _failed(
        self, state: SourceState, reason: str, retry_after: float | None, was_failing: bool
    ) -> Notice | None:
        state.failures += 1
        if state.state != "stale" and state.state != "error":
            state.since = self.wall()
        state.state = "stale" if state.last_good is not None else "error"
        state.reason = reason
        delay = backoff_delay(
            state.failures,
            self.config.refresh.backoff_initial,
            self.config.refresh.backoff_max,
            self.rng,
            retry_after,
        )
        state.next_due = self.now() + delay
        log.info("refresh of %s failed (%s); retry in %.0f s", state.source.name, reason, delay)
        return None if was_failing else Notice("failure", state.source.name, reason)

    # -- what the header shows -------------------------------------------------------

    def summary(self) -> tuple[str, str, dt.datetime | None, float | None]:
        """(state, reason, since, seconds to the next retry) over all sources: the worst wins."""
        order = {"error": 3, "stale": 2, "loading": 1, "fresh": 0}
        worst = max(self.states.values(), key=lambda s: order[s.state])
        retry = None if worst.state == "fresh" else max(0.0, worst.next_due - self.now())
        return worst.state, worst.reason, worst.since, retry
