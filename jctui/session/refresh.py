"""Refresh scheduling: when to fetch each source again, and what to tell the user.

Pure Python with the clock passed in (so tests run weeks of retries in milliseconds); the
Textual app runs `Refresher.refresh` in a worker thread and shows `Refresher.summary()`.

- success: back to the normal interval; the data is kept (and cached); a 304 costs nothing;
- failure: exponential backoff with jitter up to a ceiling, Retry-After honoured (429/503);
  the last good data stays; a notice on the first failure and on recovery, not on retries;
- a read that shrinks the data by surprise (a file caught while its producer rewrites it)
  is held back like a failure, with the reason, and taken only when the next read brings
  the same bytes: good data is never replaced, nor the offline cache overwritten, unseen;
- an offline cache that cannot be written is one notice (not silent, not one per refresh).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jctui.config import Config, SourceDef
from jctui.errors import JctuiError, SourceError
from jctui.locations import cache_dir
from jctui.model import Dataset
from jctui.readers import ReadResult
from jctui.session.load import cached_result, combine, kept_by_source, read_fetched, remember
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
    held_back: bytes = b""  # digest of a shrunk read waiting for a second read to confirm it
    held_since: float = 0.0  # when that shrunk read was first seen (the quiet period starts)
    cache_error: str = ""  # why the offline cache could not be written ("" when it could)
    cached_at: dt.datetime | None = None  # fetch time of the cached copy last taken in


@dataclass(frozen=True)
class Notice:
    """Something worth one notification: a first failure or a recovery."""

    kind: str  # "failure" | "recovery"
    source: str
    message: str


SHRINK_LIMIT = 0.9  # a read with fewer than 90% of the Jobcenters or rows needs confirming
QUIET = 10.0  # seconds a shrunk read must stay the same bytes before it is taken


def fetched_digest(fetched: Fetched) -> bytes:
    """A digest of what a fetch brought: its bytes, of a folder its files' names and bytes."""
    body = fetched.data or b"".join(part.origin.encode() + part.data for part in fetched.parts)
    return hashlib.blake2b(body, digest_size=16).digest()


def shrinkage(old: ReadResult | None, new: ReadResult) -> str:
    """How a read shrank the data by surprise ("12 of 40 Jobcenters, ..."), "" when it did not:
    fewer than SHRINK_LIMIT of the Jobcenters or of the rows of the last good read."""
    if old is None:
        return ""
    old_frame, new_frame = (
        (old.values, new.values) if not old.values.is_empty() else (old.registry, new.registry)
    )
    if old_frame.is_empty():
        return ""
    old_ids, new_ids = (f.get_column("jobcenter_id").n_unique() for f in (old_frame, new_frame))
    if new_ids >= old_ids * SHRINK_LIMIT and new_frame.height >= old_frame.height * SHRINK_LIMIT:
        return ""
    return f"{new_ids} of {old_ids} Jobcenters, {new_frame.height} of {old_frame.height} rows"


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
    # a shrunk read is taken when the same bytes come again after this long (QUIET)
    quiet: float = field(default_factory=lambda: QUIET)
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
            elif src.is_remote:
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

        cache.tidy(cache_dir(self.config.cache_dir))  # what killed or concurrent writes left
        for state in self.states.values():
            cached = cache.load(state.source, folder=cache_dir(self.config.cache_dir))
            if cached is None:
                return None
            state.last_good = cached_result(cached)
            state.etag, state.last_modified = cached.etag, cached.last_modified
            state.fetched_at = state.cached_at = cached.fetched_at
            state.state, state.since, state.reason = "stale", cached.fetched_at, "offline cache"
        results = [s.last_good for s in self.states.values() if s.last_good is not None]
        return combine(results, [s.source for s in self.states.values()])

    def read_any(self) -> bool:
        """True once any source was read (or taken from the cache)."""
        return any(s.last_good is not None for s in self.states.values())

    def read_all(self) -> bool:
        """True when every source was read: a refresh of some of them can combine them."""
        return all(s.last_good is not None for s in self.states.values())

    def mark_fresh(self) -> None:
        """Every source as current without reading it (a load shown from the figure store
        of their files as they are): next due after its interval, as after a read."""
        for state in self.states.values():
            state.state, state.reason, state.failures = "fresh", "", 0
            state.since = state.fetched_at = self.wall()
            state.next_due = self.now() + state.interval

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
            outcome = self.refresh_one(state, notices)
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

    def refresh_one(self, state: SourceState, notices: list[Notice]) -> bool | Notice | None:
        """Fetch and read one source: True when new data arrived, False when unchanged, a
        Notice on a first failure or a recovery (None on a repeated failure); other
        notices (the offline cache) are added to `notices`."""
        src = state.source
        was_failing = state.failures > 0
        confirmed = ""
        try:
            if self.follows(src):
                result, new = self.from_shared_cache(state)
            elif src.is_remote:
                fetched = self.fetch(
                    src,
                    etag=state.etag,
                    last_modified=state.last_modified,
                    client=self.client(src),
                    **kept_by_source(src, cache_dir(self.config.cache_dir)),
                )
                result, new, confirmed = self.take(state, fetched)
            else:
                result, new, confirmed = self.take(state, self.fetch(src))
        except JctuiError as exc:
            notice = self._failed(state, str(exc), getattr(exc, "retry_after", None), was_failing)
            if state.held_back:  # read again when the quiet period is over, not later
                quiet_over = state.held_since + self.quiet + 0.05
                state.next_due = min(state.next_due, max(self.now() + 0.05, quiet_over))
            return notice
        except Exception as exc:  # never let one source take the app down
            log.exception("refresh of %s failed unexpectedly", src.name)
            return self._failed(state, f"{type(exc).__name__}: {exc}", None, was_failing)
        state.last_good = result
        state.failures = 0
        state.state, state.reason, state.since = "fresh", "", self.wall()
        state.fetched_at = self.wall()
        state.next_due = self.now() + state.interval
        if new and (cache_notice := self._save_cache(state, result)) is not None:
            notices.append(cache_notice)
        if was_failing:
            return Notice("recovery", src.name, confirmed or f"{src.name}: recovered")
        return new

    def _save_cache(self, state: SourceState, result: ReadResult) -> Notice | None:
        """Keep `result` as the offline cache of the source (not for a source that follows
        the shared cache: `jctui refresh` writes that); a notice the first time that fails (a
        full disk or a folder that cannot be written must not stop the refresh)."""
        src = state.source
        if not self.use_cache or src.demo or self.follows(src):
            return None
        folder = cache_dir(self.config.cache_dir)
        problem = remember(src, result, folder, etag=state.etag, last_modified=state.last_modified)
        if problem:
            reason = f"{src.name}: offline cache not written ({problem})"
            first = not state.cache_error
            state.cache_error = reason
            return Notice("failure", src.name, reason) if first else None
        state.cache_error = ""
        return None

    def take(self, state: SourceState, fetched: Fetched) -> tuple[ReadResult, bool, str]:
        """The data of a fetch (the last good data after a 304), whether they are new, and
        what a second read confirmed ("" unless a shrunk read was held back before).

        A read that shrinks the data by surprise (a file being rewritten) is held back until
        a second read brings the same bytes: an error now, the last good data stay."""
        if fetched.not_modified and state.last_good is not None:
            return state.last_good, False, ""
        src = state.source
        result = read_fetched(fetched, src, self.config)
        if (
            result.values.is_empty()
            and state.last_good is not None
            and not state.last_good.values.is_empty()
        ):
            raise JctuiError(f"{fetched.origin}: no valid rows (kept the last good data)")
        confirmed = ""
        if shrunk := shrinkage(state.last_good, result):
            digest, now = fetched_digest(fetched), self.now()
            if digest != state.held_back:  # new bytes: the quiet period starts again
                state.held_back, state.held_since = digest, now
            if now - state.held_since < self.quiet:  # not yet the same for long enough
                raise JctuiError(
                    f"{fetched.origin}: only {shrunk} (still being written?); kept the"
                    f" last good data until a second read after {self.quiet:g} s quiet"
                    " confirms it"
                )
            confirmed = f"{src.name}: {shrunk}, confirmed by a second read after a quiet period"
        state.held_back = b""
        state.etag, state.last_modified = fetched.etag, fetched.last_modified
        return result, True, confirmed

    def follows(self, src: SourceDef) -> bool:
        """With `follow_cache`, a source comes from the shared cache (kept current by
        `jctui refresh`), never from its file or URL."""
        return self.config.refresh.follow_cache and not src.demo

    def from_shared_cache(self, state: SourceState) -> tuple[ReadResult, bool]:
        """The shared cache's copy of a source, and whether it is newer than the one held:
        an unchanged pointer costs one small file read."""
        from jctui.sources import cache

        folder = cache_dir(self.config.cache_dir)
        known = cache.validators(state.source, folder=folder)
        if known is None:
            raise SourceError(
                f"{folder}: no cached data of source {state.source.name!r} yet (run jctui refresh)"
            )
        if state.last_good is not None and state.cached_at == known.fetched_at:
            return state.last_good, False
        cached = cache.load(state.source, folder=folder)
        if cached is None:
            raise SourceError(f"{folder}: the cached data of {state.source.name!r} are unreadable")
        state.cached_at = cached.fetched_at
        return cached_result(cached), True

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
